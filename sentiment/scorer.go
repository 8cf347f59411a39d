package sentiment

import (
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/jonreiter/govader"
)

// Scorer scores English and German texts. Build it once with [New]; it is
// safe for concurrent use and holds about 7 MB.
type Scorer struct {
	langs map[string]*language
	emo   emoji
	pool  sync.Pool // *scratch
}

// language is what the scorer has for one language.
type language struct {
	lex     *lexicon
	foreign *lexicon // a second lexicon whose hits are a cue (English words in German posts)
	model   *linearModel
}

// emoji holds the valences of emoji and emoticons (language-independent).
type emoji struct {
	runes     map[rune]float32
	emoticons map[string]float32
}

func (e *emoji) emoji(r rune) (float32, bool) {
	if r < 0x80 {
		return 0, false
	}
	v, ok := e.runes[r]
	return v, ok
}

func (e *emoji) emoticon(s []byte) (float32, bool) {
	v, ok := e.emoticons[string(s)]
	return v, ok
}

// New builds a scorer: it loads VADER's English lexicon from govader, builds
// the German lexicon, and decodes the embedded trained weights (about 30 ms).
func New() (*Scorer, error) {
	s := newUntrained(defaultENRules())
	for code, b := range map[string][]byte{"en": modelEN, "de": modelDE} {
		m, err := loadModel(b)
		if err != nil {
			return nil, err
		}
		s.langs[code].model = m
	}
	return s, nil
}

// newUntrained builds a scorer without models (training starts from it),
// with the given English rule options.
func newUntrained(opt enRules) *Scorer {
	sia := govader.NewSentimentIntensityAnalyzer()
	s := &Scorer{langs: map[string]*language{}}
	s.emo = buildEmoji(sia)
	en := englishLexicon(sia, opt)
	s.langs["en"] = &language{lex: en}
	s.langs["de"] = &language{lex: germanLexicon(), foreign: en}
	s.pool.New = func() any { return new(scratch) }
	return s
}

// buildEmoji gives each emoji of govader's emoji table the valence VADER
// gives its description ("face with tears of joy"), and each emoticon of the
// lexicon (":)", "<3") its lexicon valence.
func buildEmoji(sia *govader.SentimentIntensityAnalyzer) emoji {
	e := emoji{runes: map[rune]float32{}, emoticons: map[string]float32{}}
	for k, desc := range sia.EmojiDict {
		rs := []rune(k)
		if len(rs) != 1 || rs[0] < 0x80 {
			continue
		}
		var v float64
		for _, w := range strings.Fields(desc) {
			v += sia.Lexicon[strings.ToLower(w)]
		}
		e.runes[rs[0]] = float32(v)
	}
	for w, v := range sia.Lexicon {
		letters := true
		for _, r := range w {
			if !unicode.IsLetter(r) {
				letters = false
				break
			}
		}
		if !letters && len(w) >= 2 {
			e.emoticons[w] = float32(v)
		}
	}
	return e
}

// NormalizeLang returns the base language of a BCP 47 or ISO 639 tag,
// lower case: "en-US" → "en", "de_AT" → "de", "deu" → "de", "eng" → "en".
func NormalizeLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(tag)
	switch tag {
	case "eng":
		return "en"
	case "deu", "ger":
		return "de"
	}
	return tag
}

// Supported reports whether the scorer has a model for the language of tag.
func (s *Scorer) Supported(tag string) bool {
	_, ok := s.langs[NormalizeLang(tag)]
	return ok
}

// Score scores text written in the language tag names ("en", "de", "de-AT",
// …). A language without a model, an empty tag, and a text with nothing to
// score (blank, only URLs or mentions) give a NotScored Score. Text that is
// not valid UTF-8 is scored with the bad bytes as U+FFFD; only the first
// [MaxTextBytes] are scored. Score never panics.
func (s *Scorer) Score(text, lang string) Score {
	l, ok := s.langs[NormalizeLang(lang)]
	if !ok {
		return Score{}
	}
	sc := s.pool.Get().(*scratch)
	defer s.pool.Put(sc)
	return l.score(sc, clip(text), &s.emo)
}

// Analyze tells the language of text (see [GuessLanguage]: tag is the
// source's own tag, if any) and scores it; lang is the language found, ""
// when undetermined. A text without letters (emoji, emoticons) has no
// language and is scored by the English model, whose training tweets
// taught it their emoji.
func (s *Scorer) Analyze(text, tag string) (sc Score, lang string, detected bool) {
	lang, detected, d := guessLanguage(text, tag)
	if lang == "" && d.latin && d.letters == 0 {
		return s.Score(text, "en"), "", true
	}
	return s.Score(text, lang), lang, detected
}

func (l *language) score(sc *scratch, text string, emo *emoji) Score {
	sc.toks.tokenize(text, emo)
	if len(sc.toks.toks) == 0 {
		return Score{}
	}
	rr := l.lex.apply(sc, l.foreign)
	var dense [nDense]float64
	denseFeatures(&dense, &sc.toks, &rr)
	sc.feats = hashFeatures(sc.feats[:0], sc, l.lex, l.model.mode)
	p := l.model.predict(&dense, sc.feats)
	lab, conf := Negative, p[0]
	if p[1] > conf {
		lab, conf = Neutral, p[1]
	}
	if p[2] > conf {
		lab, conf = Positive, p[2]
	}
	c := p[2] - p[0]
	conf = l.model.confidence(conf)
	if math.IsNaN(c) || math.IsNaN(conf) {
		return Score{}
	}
	return Score{Compound: c, Label: lab, Confidence: conf, Model: l.model.name}
}
