package sentiment

import (
	"strings"

	"github.com/jonreiter/govader"
)

// enRules are the options of the English rule layer that are selected by
// cross-validation on the training sets (see train_test.go), never on an
// evaluation set.
type enRules struct {
	// nameScale weighs a capitalised lexicon word inside a run of
	// capitalised words ("Super Eagles"); 1 leaves names alone.
	nameScale float64
	// commonWords applies the adjustments of common words that posts often
	// use without judging (names, events, politeness, "like" as a
	// comparison); see englishLexicon.
	commonWords bool
}

// defaultENRules are the rule options the shipped English model was trained
// with: the choice of the 5-fold cross-validation in train_test.go.
func defaultENRules() enRules { return enRules{nameScale: enNameScale, commonWords: enCommonWords} }

const (
	enNameScale   = 1     // names are left alone: stage 3 of the selection for model 4 dropped the rule (0.3), see the package doc
	enCommonWords = false // off: its word list may have been written after reading validation errors; kept out to be sure the figures are honest
)

// englishLexicon builds the English rule lexicon: VADER's lexicon, boosters
// and negations as govader ships them (MIT), with "but" as the contrast word,
// plus our own outage vocabulary, which overrides VADER where both have a
// word.
func englishLexicon(sia *govader.SentimentIntensityAnalyzer, opt enRules) *lexicon {
	lx := &lexicon{words: make(map[string]entry, len(sia.Lexicon)+400), phrases: map[string]entry{},
		properNouns: opt.nameScale != 1, nameScale: opt.nameScale}
	for w, v := range sia.Lexicon {
		lx.words[w] = entry{val: float32(v)}
	}
	for w, v := range sia.Constants.BoosterDict {
		if strings.Contains(w, " ") {
			continue // "kind of", "sort of": handled as phrases below
		}
		lx.words[w] = entry{val: float32(v), flags: fBooster}
	}
	for _, w := range sia.Constants.NegateList {
		lx.words[w] = entry{flags: fNegator}
	}
	// Negations VADER catches with its "n't" rule or misses.
	for _, w := range strings.Fields(`no not isn't aren't wasn't weren't don't doesn't didn't can't
		cannot couldn't won't wouldn't shouldn't haven't hasn't hadn't ain't isnt arent wasnt werent
		dont doesnt didnt cant couldnt wont wouldnt shouldnt havent hasnt hadnt aint unable nobody
		never nothing none neither nor nowhere without`) {
		lx.words[w] = entry{flags: fNegator}
	}
	lx.words["but"] = entry{flags: fContrast}
	lx.words["however"] = entry{flags: fContrast}

	// Outage vocabulary (ours).
	for w, v := range map[string]float32{
		"outage": -2.5, "outages": -2.5, "downtime": -2.0, "offline": -1.5, "crash": -1.9,
		"crashed": -2.1, "crashes": -1.9, "crashing": -2.1, "broken": -2.1, "broke": -1.6,
		"unavailable": -1.6, "unreachable": -1.8, "unresponsive": -1.8, "timeout": -1.3,
		"timeouts": -1.3, "laggy": -1.6, "lagging": -1.5, "buggy": -1.8, "glitch": -1.5,
		"glitches": -1.5, "glitchy": -1.8, "degraded": -1.5, "interruption": -1.3,
		"interruptions": -1.3, "disruption": -1.6, "disruptions": -1.6, "blackout": -2.0,
		"errors": -1.6, "error": -1.7, "slow": -0.9, "down": -0.4, "bug": -0.8, "bugs": -0.9,
		"503": -1.5, "502": -1.5, "504": -1.5, "500s": -1.5, "5xx": -1.5,
		"restored": 2.0, "resolved": 1.5, "fixed": 1.6, "recovered": 1.8, "recovering": 1.0,
		"mitigated": 1.2, "operational": 1.2, "stable": 1.2, "uptime": 1.0,
	} {
		lx.words[w] = entry{val: v, flags: fOutage}
	}
	for _, w := range strings.Fields(`work works working worked load loads loading loaded connect
		connects connecting connected respond responds responding open opens opening start starts
		starting sync syncing send sending login log stream streaming play playing access reach
		internet service signal connection power wifi wi-fi network electricity response reception
		upload uploading download downloading refresh refreshing`) {
		e := lx.words[w]
		if e.val == 0 {
			lx.words[w] = entry{flags: e.flags | fFunction}
		}
	}
	for p, v := range map[string]float32{
		"is down": -2.0, "was down": -1.8, "are down": -2.0, "were down": -1.8, "still down": -2.2,
		"down again": -2.2, "went down": -1.9, "goes down": -1.8, "going down": -1.2,
		"it's down": -2.0, "its down": -2.0, "site down": -2.0, "server down": -2.2,
		"servers down": -2.2, "network down": -2.0, "down for": -1.2, "not working": -2.0,
		"stopped working": -2.2, "doesn't work": -2.0, "won't load": -2.0, "keeps crashing": -2.4,
		"no service": -2.0, "no internet": -2.0, "no signal": -1.8, "no power": -2.0,
		"power outage": -2.6, "error 500": -1.8, "500 error": -1.8, "internal server error": -2.0,
		"service unavailable": -2.0, "bad gateway": -2.0, "timed out": -1.6,
		"back up": 1.6, "back online": 2.0, "back to normal": 2.1, "up again": 1.6,
		"online again": 1.8, "working again": 2.1, "works again": 2.1, "up and running": 2.1,
		"running again": 1.9, "is fixed": 1.6, "all good": 1.9, "kind of": 0, "sort of": 0,
	} {
		lx.addPhrase(p, v, fOutage)
	}
	// "pretty good": "pretty" boosts; VADER scores it as a positive word.
	lx.addPhrase("pretty good", 1.9*0.9, 0)
	// "kind of", "sort of" dampen like VADER's "kinda".
	lx.phrases["kind of"] = entry{val: -boostIncr, flags: fBooster | fPhrase}
	lx.phrases["sort of"] = entry{val: -boostIncr, flags: fBooster | fPhrase}
	if !opt.commonWords {
		return lx
	}
	// Lexicon words that posts mostly use without judging: names, events,
	// politeness. Phrases with value 0 silence their words.
	for w, v := range map[string]float32{"united": 0, "party": 0.4, "play": 0.4, "please": 0.4,
		"ready": 0.6, "top": 0.3, "free": 1.0, "yes": 1.0, "well": 0.4, "god": 0.3} {
		e := lx.words[w]
		e.val = v
		lx.words[w] = e
	}
	for _, p := range []string{"super bowl", "united states", "manchester united", "united kingdom",
		"united nations", "labour party", "democratic party", "republican party", "conservative party",
		"green party", "free agent", "free agency", "good friday", "top 10", "top 5", "best of",
		"feel like", "feels like", "looks like", "look like", "seems like", "sounds like",
		"just like", "more like", "something like", "kinda like", "like a", "like the", "like this",
		"like that", "pretty much", "as well", "well as"} {
		lx.addPhrase(p, 0, 0)
	}
	return lx
}
