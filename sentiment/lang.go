package sentiment

import (
	_ "embed"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The English-German character trigram table, written by TestTrain (see
// train_test.go): for each of langBuckets hashed trigrams, the log ratio of
// its English to its German probability in units of 1/16, as int8. Trained
// on the English VADER movie and NYT snippets and SemEval training tweets
// and the German SB-10k training tweets.
//
//go:embed langid.bin
var langTable string

const langBuckets = 1 << 14

// Detection thresholds.
const (
	minLetters   = 12 // fewer letters (outside URLs, mentions, hashtags) are undetermined
	minWords     = 3  // and so are fewer words, in scripts that separate words
	minCJKLetter = 4  // Chinese, Japanese, Korean and Thai need this many letters
)

// DetectLanguage returns the language of a post: its source's own tag when
// it has one that is not obviously wrong, and otherwise what the text looks
// like. detected is true when the result comes from the text, not the tag.
//
// The tag is normalised with [NormalizeLang] ("en-GB" → "en"). Tags that say
// nothing ("", "und", "zxx", "mul", "qme", …) or are not two or three letters
// are ignored. A tag is obviously
// wrong when the text is in another script (a "en" tag on Japanese text), or
// when the text is long enough and plainly English or German while the tag
// says otherwise, or plainly something else while the tag says English or
// German (Mastodon posts carry the author's default language, not the
// post's).
//
// Detection knows English and German well (character trigrams and function
// words), tells French, Spanish, Italian, Dutch, Portuguese, Swedish, Danish,
// Norwegian, Polish, Czech, Turkish, Indonesian and Tagalog apart from them
// by their function words, and names other scripts' main language (ja, ko,
// zh, ru, uk, el, ar, fa, he, th, hi, ta, hy, ka). A text too short to tell
// (fewer than 12 letters or 3 words outside URLs, mentions, hashtags and
// emoji) is undetermined: lang is "" and detected is true, unless a tag was
// given, which is then kept.
func DetectLanguage(text, tag string) (lang string, detected bool) {
	lang, detected, _ = detectLanguage(text, tag)
	return lang, detected
}

// detectLanguage is DetectLanguage, returning also the evidence of the text.
func detectLanguage(text, tag string) (lang string, detected bool, d detection) {
	tag = NormalizeLang(tag)
	if !isLangCode(tag) {
		tag = ""
	}
	switch tag {
	case "und", "zxx", "mul", "mis", "qme", "qht", "qam", "qct", "qst", "art", "":
		tag = ""
	}
	if tag == "in" {
		tag = "id" // Twitter's old code for Indonesian
	}
	if tag == "iw" {
		tag = "he"
	}
	d = detect(clip(text))
	if tag == "" {
		return d.lang, true, d
	}
	if d.lang != "" && d.lang != tag && d.sure && (d.script || d.lang == "en" || d.lang == "de" || tag == "en" || tag == "de") {
		return d.lang, true, d
	}
	return tag, false, d
}

// isLangCode reports whether s looks like an ISO 639 code: two or three
// ASCII letters, lower case.
func isLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := range len(s) {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// detection is the result of detect.
type detection struct {
	lang   string
	sure   bool // clear enough to overrule a tag
	script bool // decided by the script, not by words
	// The evidence, for GuessLanguage.
	latin          bool           // Latin script (or no letters at all)
	letters, words int            // outside URLs, mentions and hashtags
	score          [nStop]float64 // function words and special letters
	llr            float64        // English versus German trigram log ratio (1/16 units), of the words
	trigrams       int
	tagLLR         float64 // the same, of the hashtags' letters
	tagTrigrams    int
	symbols        int // emoji and other symbols
}

// Scripts counted by detect.
const (
	scLatin = iota
	scCyrillic
	scGreek
	scArabic
	scHebrew
	scHangul
	scKana
	scHan
	scThai
	scDevanagari
	scTamil
	scArmenian
	scGeorgian
	scOther
	nScripts
)

var scriptLang = [nScripts]string{scCyrillic: "ru", scGreek: "el", scArabic: "ar", scHebrew: "he",
	scHangul: "ko", scKana: "ja", scHan: "zh", scThai: "th", scDevanagari: "hi", scTamil: "ta",
	scArmenian: "hy", scGeorgian: "ka"}

// scriptTables maps Unicode scripts (the standard library's tables) to the
// script classes the detector tells apart.
var scriptTables = []struct {
	table  *unicode.RangeTable
	script int
}{
	{unicode.Latin, scLatin}, {unicode.Greek, scGreek}, {unicode.Cyrillic, scCyrillic},
	{unicode.Armenian, scArmenian}, {unicode.Hebrew, scHebrew}, {unicode.Arabic, scArabic},
	{unicode.Devanagari, scDevanagari}, {unicode.Tamil, scTamil}, {unicode.Thai, scThai},
	{unicode.Georgian, scGeorgian}, {unicode.Hangul, scHangul}, {unicode.Hiragana, scKana},
	{unicode.Katakana, scKana}, {unicode.Han, scHan},
}

func scriptOf(r rune) int {
	if r < 0x250 {
		return scLatin // ASCII, Latin-1 and Latin Extended: the common case, without a table look-up
	}
	for _, t := range scriptTables {
		if unicode.Is(t.table, r) {
			return t.script
		}
	}
	return scOther
}

// Languages told apart by function words, in the order of stopLang.
const (
	lEN = iota
	lDE
	lFR
	lES
	lIT
	lNL
	lPT
	lSV
	lDA
	lNO
	lPL
	lCS
	lTR
	lID
	lTL
	nStop
)

var stopLangCode = [nStop]string{"en", "de", "fr", "es", "it", "nl", "pt", "sv", "da", "no", "pl", "cs", "tr", "id", "tl"}

// detect tells the language of text.
func detect(text string) detection {
	var scripts [nScripts]int
	var stop [nStop]float64
	letters, words := 0, 0
	var llr float64 // English versus German, trigram log ratio
	trigrams := 0
	var tagLLR float64
	tagTrigrams, symbols := 0, 0
	var special [nStop]float64
	var wbuf [64]byte
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			if r == '@' || r == '#' {
				// Skip a mention or hashtag; a hashtag's letters are
				// weak evidence, kept apart.
				j := i + n
				w := wbuf[:0]
				for j < len(text) {
					r2, n2 := utf8.DecodeRuneInString(text[j:])
					if unicode.IsSpace(r2) {
						break
					}
					if r == '#' && unicode.IsLetter(r2) && len(w) < cap(w)-utf8.UTFMax {
						w = utf8.AppendRune(w, unicode.ToLower(r2))
					}
					j += n2
				}
				if len(w) > 0 && len(langTable) == langBuckets {
					tagLLR, tagTrigrams = trigramLLR(w, tagLLR, tagTrigrams)
				}
				i = j
				continue
			}
			if r >= 0x2000 && unicode.In(r, unicode.So, unicode.Sk) {
				symbols++
			}
			i += n
			continue
		}
		// A word: letters, apostrophes.
		j := i
		w := wbuf[:0]
		wordLetters := 0
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) && r2 != '\'' && r2 != '’' && !unicode.Is(unicode.Mn, r2) {
				break
			}
			if r2 == '’' {
				r2 = '\''
			}
			if unicode.IsLetter(r2) {
				wordLetters++
				scripts[scriptOf(r2)]++
			}
			if len(w) < cap(w)-utf8.UTFMax {
				w = utf8.AppendRune(w, unicode.ToLower(r2))
			}
			j += n2
		}
		// A URL ("https://…", "www.…", "example.com/…"): skip to white space.
		if j < len(text) && (strings.HasPrefix(text[j:], "://") || text[j] == '.' && j+1 < len(text) && unicode.IsLetter(rune(text[j+1])) && (string(w) == "www" || strings.ContainsAny(nextField(text[j:]), "/"))) {
			scripts[scriptOf(firstRune(w))] -= wordLetters
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsSpace(r2) {
					break
				}
				j += n2
			}
			i = j
			continue
		}
		letters += wordLetters
		words++
		if set := stopLangs(string(w)); set != 0 {
			k := float64(popcount(set))
			for l := range nStop {
				if set&(1<<l) != 0 {
					stop[l] += 1 / k
				}
			}
		}
		specialChars(w, &special)
		if len(langTable) == langBuckets {
			llr, trigrams = trigramLLR(w, llr, trigrams)
		}
		i = j
	}
	d := detection{latin: true, letters: letters, words: words, llr: llr, trigrams: trigrams,
		tagLLR: tagLLR, tagTrigrams: tagTrigrams, symbols: symbols}
	if letters == 0 {
		return d
	}
	// Script.
	best := scLatin
	for s := range nScripts {
		if scripts[s] > scripts[best] {
			best = s
		}
	}
	n := scripts[best]
	if best == scHan || best == scKana {
		n = scripts[scHan] + scripts[scKana]
		if scripts[scKana] > 0 {
			best = scKana
		}
	}
	if best != scLatin && n*2 > letters {
		d.latin = false
		cjk := best == scHan || best == scKana || best == scHangul || best == scThai
		if cjk && n < minCJKLetter || !cjk && (n < minLetters || words < 2) {
			return d
		}
		d.lang = scriptLang[best]
		if d.lang == "ru" && hasAny(text, "іїєґ") {
			d.lang = "uk"
		}
		if d.lang == "ar" && hasAny(text, "پچژگ") {
			d.lang = "fa"
		}
		d.sure, d.script = d.lang != "", true
		return d
	}
	// Latin script: function words and letters.
	score := &d.score
	for l := range nStop {
		score[l] = stop[l] + special[l]
	}
	if letters < minLetters || words < minWords {
		return d
	}
	// English and German: the trigram evidence, up to two points either
	// way, for a language that has some function words in the text.
	if trigrams > 0 {
		x := math.Max(-2, math.Min(2, llr/16/4))
		if x > 0 && score[lEN] >= 1 {
			score[lEN] += x
		} else if x < 0 && score[lDE] >= 1 {
			score[lDE] -= x
		}
	}
	top, second := 0, 1
	if score[second] > score[top] {
		top, second = second, top
	}
	for l := 2; l < nStop; l++ {
		switch {
		case score[l] > score[top]:
			top, second = l, top
		case score[l] > score[second]:
			second = l
		}
	}
	if score[top] <= 0.5 {
		// Hardly a function word: English or German only if the trigrams
		// say so clearly and no other language has a word in the text.
		others := 0.0
		for l := lFR; l < nStop; l++ {
			others += score[l]
		}
		if others == 0 && trigrams >= 8 && math.Abs(llr/float64(trigrams)) > 8 {
			if llr > 0 {
				d.lang = "en"
			} else {
				d.lang = "de"
			}
		}
		return d
	}
	d.lang = stopLangCode[top]
	margin := score[top] - score[second]
	d.sure = margin >= 2.5 && score[top] >= 2*math.Max(score[second], 0.5) && words >= 5
	return d
}

func nextField(s string) string {
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		return s[:i]
	}
	return s
}

func firstRune(w []byte) rune {
	r, _ := utf8.DecodeRune(w)
	return r
}

func hasAny(s, chars string) bool { return strings.ContainsAny(s, chars) }

func popcount(x uint32) int {
	n := 0
	for x != 0 {
		x &= x - 1
		n++
	}
	return n
}

// specialChars adds the evidence of letters that only some languages use.
func specialChars(w []byte, sp *[nStop]float64) {
	for _, r := range string(w) {
		if r < 0x80 {
			continue
		}
		switch r {
		case 'ß':
			sp[lDE] += 1
		case 'ä', 'ö', 'ü':
			sp[lDE] += 0.4
			sp[lSV] += 0.2
			sp[lTR] += 0.1
		case 'å':
			sp[lSV] += 0.4
			sp[lDA] += 0.4
			sp[lNO] += 0.4
		case 'ø', 'æ':
			sp[lDA] += 0.5
			sp[lNO] += 0.5
		case 'ñ', '¿', '¡':
			sp[lES] += 1
		case 'ã', 'õ':
			sp[lPT] += 1
		case 'ç':
			sp[lPT] += 0.3
			sp[lFR] += 0.3
		case 'è', 'ê', 'à', 'ù', 'û', 'î', 'ï', 'œ':
			sp[lFR] += 0.4
			sp[lIT] += 0.1
		case 'é':
			sp[lFR] += 0.2
			sp[lES] += 0.1
			sp[lPT] += 0.1
		case 'ł', 'ą', 'ę', 'ś', 'ż', 'ź', 'ć', 'ń':
			sp[lPL] += 1
		case 'ř', 'ě', 'ů', 'č', 'š', 'ž', 'ň', 'ť', 'ď':
			sp[lCS] += 1
		case 'ş', 'ğ', 'ı', 'İ':
			sp[lTR] += 1
		}
	}
}

// trigramLLR adds the English-German log ratio of the trigrams of one
// lower-cased word, with '^' and '$' marking its ends.
func trigramLLR(w []byte, llr float64, n int) (float64, int) {
	var a, b rune = '^', 0
	first := true
	for _, r := range string(w) {
		if first {
			b, first = r, false
			// ^ + first letter + next letter is the first trigram.
			continue
		}
		llr += float64(int8(langTable[trigramBucket(a, b, r)]))
		n++
		a, b = b, r
	}
	if !first {
		llr += float64(int8(langTable[trigramBucket(a, b, '$')]))
		n++
	}
	return llr, n
}

func trigramBucket(a, b, c rune) uint32 {
	h := uint32(2166136261)
	for _, r := range [3]rune{a, b, c} {
		h ^= uint32(r)
		h *= 16777619
	}
	h ^= h >> 13
	return h & (langBuckets - 1)
}
