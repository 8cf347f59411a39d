package sentiment

import (
	"math"
	"strings"
)

// Entry flags of a lexicon word.
const (
	fBooster  uint8 = 1 << iota // intensifier (val > 0) or dampener (val < 0): changes the next polar word
	fNegator                    // "not", "nicht", "kein", "n't" words
	fContrast                   // "but", "aber": what follows weighs more
	fFunction                   // "work", "load", "geht": neutral, but negative when negated ("doesn't load")
	fPhrase                     // starts a phrase of the phrase table
	fOutage                     // outage vocabulary (val < 0: trouble, val > 0: recovery)
)

// entry is what a lexicon knows of one lower-cased word.
type entry struct {
	val   float32 // valence on VADER's scale, about -4 … 4; a booster's increment
	flags uint8
}

// lexicon is one language's word knowledge for the rule layer.
type lexicon struct {
	words   map[string]entry
	phrases map[string]entry // "w1 w2" or "w1 w2 w3", lower case, single spaces
	// heads are compound heads tried as suffixes of unknown long words
	// (German "Serverausfall" → "ausfall").
	heads []string
	// endings are inflection endings tried on unknown words ("schlechten" →
	// "schlecht").
	endings []string
	// postNegation: a negator with no polar word after it in its clause
	// negates the polar word before it ("gefällt mir nicht").
	postNegation bool
	// properNouns: a capitalised polar word inside a run of capitalised words
	// not at a sentence start is taken for part of a name and its valence
	// is multiplied by nameScale. Not for German, which capitalises every
	// noun.
	properNouns bool
	nameScale   float64
}

// VADER's constants (Hutto & Gilbert 2014), used by the rule layer.
const (
	boostIncr   = 0.293 // booster increment
	capsIncr    = 0.733 // ALL CAPS emphasis
	negScalar   = -0.74 // negation
	exclIncr    = 0.292 // per '!' (up to 4)
	questIncr   = 0.18  // per '?' when there are 2 or 3
	questMax    = 0.96  // more '?'
	contrastPre = 0.5   // weight before the contrast word
	contrastPst = 1.5   // weight after it
	funcNegated = -1.8  // a negated function word ("won't load")
	normAlpha   = 15    // compound normalisation
)

// inName reports whether word i, capitalised, stands beside another
// capitalised word and not at the start of a sentence.
func (t *tokens) inName(i int) bool {
	if i == 0 || t.toks[i-1].end {
		// A sentence start: only a capitalised next word makes it a name.
		return i+1 < len(t.toks) && !t.toks[i].end && t.toks[i+1].title && t.toks[i+1].kind == tkWord
	}
	prev := t.toks[i-1].title && t.toks[i-1].kind == tkWord && !(i-1 == 0 || i >= 2 && t.toks[i-2].end)
	next := i+1 < len(t.toks) && !t.toks[i].end && t.toks[i+1].title && t.toks[i+1].kind == tkWord
	return prev || next
}

// ruleResult is what the rule layer computes for one text.
type ruleResult struct {
	sum       float64 // sum of valences, with punctuation emphasis
	compound  float64 // sum normalised to [-1, 1]
	pos, neg  float64 // sums of positive and (absolute) negative valences
	npos      int     // polar tokens
	nneg      int
	emoji     float64 // valence of emoji and emoticons
	outageNeg int     // outage trouble words and phrases
	outagePos int     // recovery words and phrases
	negators  int
	maxPos    float64 // strongest positive valence
	maxNeg    float64 // strongest negative valence (absolute)
	foreign   float64 // sum of another language's lexicon (cross-lingual cue)
}

// scratch is the per-call working memory of a scorer.
type scratch struct {
	toks    tokens
	val     []float64
	negated []bool
	used    []bool // token belongs to a phrase already scored
	tmp     []byte
	feats   []uint32
}

// lookup finds a word: as written, with letter runs squeezed ("goood"), with
// an inflection ending removed, or by a compound head.
func (lx *lexicon) lookup(sc *scratch, w []byte, long bool) (entry, bool) {
	if e, ok := lx.words[string(w)]; ok {
		return e, true
	}
	if long {
		for _, max := range []int{2, 1} {
			sc.tmp = squeeze(sc.tmp[:0], w, max)
			if e, ok := lx.words[string(sc.tmp)]; ok {
				return e, true
			}
		}
	}
	for _, end := range lx.endings {
		if len(w) > len(end)+3 && string(w[len(w)-len(end):]) == end {
			if e, ok := lx.words[string(w[:len(w)-len(end)])]; ok && e.flags&(fNegator|fContrast|fBooster) == 0 {
				return e, true
			}
		}
	}
	if len(w) >= 8 {
		for _, h := range lx.heads {
			if len(w) > len(h)+2 && string(w[len(w)-len(h):]) == h {
				return lx.words[h], true
			}
		}
	}
	return entry{}, false
}

// apply runs the rule layer over sc.toks: lexicon valences, phrases,
// boosters, negation, capitals, elongation, contrast and punctuation, after
// VADER. foreign, if not nil, is another language's lexicon whose hits are
// summed as a separate cue.
func (lx *lexicon) apply(sc *scratch, foreign *lexicon) ruleResult {
	var rr ruleResult
	t := &sc.toks
	n := len(t.toks)
	sc.val = resize(sc.val, n)
	sc.negated = resizeBool(sc.negated, n)
	sc.used = resizeBool(sc.used, n)
	capDiff := t.capWords > 0 && t.capWords < t.words
	contrastAt := -1

	for i := 0; i < n; i++ {
		k := t.toks[i]
		switch k.kind {
		case tkEmoji, tkEmoticon:
			sc.val[i] = float64(k.val)
			rr.emoji += float64(k.val)
			continue
		case tkNumber:
			if e, ok := lx.words[string(t.bytes(i))]; ok {
				sc.val[i] = float64(e.val)
				if e.flags&fOutage != 0 {
					rr.outageNeg++
				}
			}
			continue
		}
		if sc.used[i] {
			continue
		}
		w := t.bytes(i)
		e, ok := lx.lookup(sc, w, k.long)
		if !ok {
			if foreign != nil {
				if fe, ok := foreign.words[string(w)]; ok && fe.flags == 0 && len(w) >= 3 && !englishFalseFriends(string(w)) {
					rr.foreign += float64(fe.val)
				}
			}
			continue
		}
		if e.flags&fPhrase != 0 {
			if pe, m := lx.phrase(sc, i); m > 0 {
				for j := i + 1; j < i+m; j++ {
					sc.used[j] = true
				}
				e = pe
			}
			e.flags &^= fPhrase
		}
		if e.flags&fNegator != 0 {
			rr.negators++
		}
		if e.flags&fContrast != 0 && contrastAt < 0 {
			contrastAt = i
		}
		if e.flags&fOutage != 0 {
			if e.val < 0 {
				rr.outageNeg++
			} else {
				rr.outagePos++
			}
		}
		if e.flags&(fBooster|fNegator|fContrast) != 0 || e.val == 0 && e.flags&fFunction == 0 {
			continue
		}
		v := float64(e.val)
		if e.flags&fFunction != 0 && v == 0 {
			// Only a negation gives a function word a valence.
			if lx.negatedBefore(sc, i) {
				sc.val[i] = funcNegated
				sc.negated[i] = true
				rr.outageNeg++
			}
			continue
		}
		if lx.properNouns && k.title && t.inName(i) {
			v *= lx.nameScale
		}
		if k.caps && capDiff {
			v += math.Copysign(capsIncr, v)
		}
		if k.long {
			v += math.Copysign(boostIncr, v)
		}
		// Boosters and negators up to three words back, within the clause.
		for d := 1; d <= 3 && i-d >= 0; d++ {
			p := t.toks[i-d]
			if p.end {
				break
			}
			if p.kind != tkWord {
				continue
			}
			pe, ok := lx.words[string(t.bytes(i-d))]
			if !ok {
				continue
			}
			if pe.flags&fBooster != 0 {
				s := float64(pe.val)
				if v < 0 {
					s = -s
				}
				if p.caps && capDiff {
					s += math.Copysign(capsIncr, s)
				}
				s *= [...]float64{1, 0.95, 0.9}[d-1]
				v += s
			}
			if pe.flags&fNegator != 0 && !sc.negated[i] {
				v *= negScalar
				sc.negated[i] = true
			}
		}
		sc.val[i] = v
	}
	if lx.postNegation {
		lx.negateBackward(sc)
	}
	if contrastAt >= 0 {
		for i := range n {
			if i < contrastAt {
				sc.val[i] *= contrastPre
			} else if i > contrastAt {
				sc.val[i] *= contrastPst
			}
		}
	}
	for _, v := range sc.val[:n] {
		switch {
		case v > 0:
			rr.pos += v
			rr.npos++
			rr.maxPos = max(rr.maxPos, v)
		case v < 0:
			rr.neg -= v
			rr.nneg++
			rr.maxNeg = max(rr.maxNeg, -v)
		}
		rr.sum += v
	}
	if rr.sum != 0 {
		emph := float64(min(t.excl, 4)) * exclIncr
		if t.quest > 1 {
			emph += min(float64(t.quest)*questIncr, questMax)
		}
		rr.sum += math.Copysign(emph, rr.sum)
	}
	rr.compound = rr.sum / math.Sqrt(rr.sum*rr.sum+normAlpha)
	return rr
}

// phrase matches the longest phrase starting at token i; it returns the
// phrase's entry and its length in tokens (0 when none matches).
func (lx *lexicon) phrase(sc *scratch, i int) (entry, int) {
	t := &sc.toks
	best, bestN := entry{}, 0
	key := sc.tmp[:0]
	key = append(key, t.bytes(i)...)
	for m := 2; m <= 3 && i+m-1 < len(t.toks); m++ {
		j := i + m - 1
		if t.toks[j-1].end || t.toks[j].kind != tkWord {
			break
		}
		key = append(key, ' ')
		key = append(key, t.bytes(j)...)
		if e, ok := lx.phrases[string(key)]; ok {
			best, bestN = e, m
		}
	}
	sc.tmp = key
	return best, bestN
}

// negatedBefore reports whether a negator stands up to three words before
// token i in its clause, or (with postNegation) up to two words after it.
func (lx *lexicon) negatedBefore(sc *scratch, i int) bool {
	t := &sc.toks
	for d := 1; d <= 3 && i-d >= 0; d++ {
		if t.toks[i-d].end {
			break
		}
		if e, ok := lx.words[string(t.bytes(i-d))]; ok && e.flags&fNegator != 0 {
			return true
		}
	}
	if lx.postNegation {
		for d := 0; d < 2 && i+d+1 < len(t.toks); d++ {
			if t.toks[i+d].end {
				break
			}
			if e, ok := lx.words[string(t.bytes(i+d+1))]; ok && e.flags&fNegator != 0 {
				return true
			}
		}
	}
	return false
}

// negateBackward gives a negator that negated nothing after it to the polar
// word up to three words before it: "gefällt mir nicht", "mag ich nicht".
func (lx *lexicon) negateBackward(sc *scratch) {
	t := &sc.toks
	for j := range t.toks {
		if t.toks[j].kind != tkWord {
			continue
		}
		e, ok := lx.words[string(t.bytes(j))]
		if !ok || e.flags&fNegator == 0 {
			continue
		}
		// Did it negate something after it?
		after := false
		for d := 1; d <= 3 && j+d < len(t.toks); d++ {
			if sc.negated[j+d] {
				after = true
				break
			}
			if t.toks[j+d-1].end {
				break
			}
		}
		if after {
			continue
		}
		for d := 1; d <= 3 && j-d >= 0; d++ {
			if t.toks[j-d].end {
				break
			}
			if sc.val[j-d] != 0 && !sc.negated[j-d] && t.toks[j-d].kind == tkWord {
				sc.val[j-d] *= negScalar
				sc.negated[j-d] = true
				break
			}
		}
	}
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n, n+n/2)
	}
	s = s[:n]
	clear(s)
	return s
}

func resizeBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n, n+n/2)
	}
	s = s[:n]
	clear(s)
	return s
}

// addPhrase adds a phrase and marks its first word.
func (lx *lexicon) addPhrase(p string, val float32, flags uint8) {
	p = strings.Join(strings.Fields(strings.ToLower(p)), " ")
	lx.phrases[p] = entry{val: val, flags: flags | fPhrase}
	first, _, _ := strings.Cut(p, " ")
	e := lx.words[first]
	e.flags |= fPhrase
	lx.words[first] = e
}
