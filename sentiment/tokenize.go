package sentiment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextBytes is how much of a text is scored: a longer text is cut at the
// last rune boundary before it. Posts are far shorter; the limit only bounds
// the work a pathological input can cause.
const MaxTextBytes = 32 << 10

// clip cuts s to MaxTextBytes at a rune boundary.
func clip(s string) string {
	if len(s) <= MaxTextBytes {
		return s
	}
	i := MaxTextBytes
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// Token kinds.
const (
	tkWord     uint8 = iota // letters (and digits, apostrophes, inner hyphens)
	tkNumber                // digits only
	tkEmoji                 // one emoji (its valence in val)
	tkEmoticon              // ":)", "<3", … (its valence in val)
)

// token is one unit of a text. Its lower-cased form is buf[lo:hi] of the
// tokens value that holds it.
type token struct {
	lo, hi int32
	kind   uint8
	caps   bool    // a word of two or more letters, all upper case
	title  bool    // a word with an upper-case first letter and lower-case others
	long   bool    // a letter was repeated three times or more ("sooo")
	end    bool    // a clause ends after this token (. , ; : ! ? or a line break)
	val    float32 // valence of an emoji or emoticon
}

// tokens is a tokenised text; reused across calls of one scorer goroutine.
type tokens struct {
	buf      []byte  // lower-cased token text, back to back
	toks     []token // in text order
	excl     int     // '!' in the text
	quest    int     // '?' in the text
	capWords int     // words in caps
	words    int     // words
	letters  int     // letters in words
	urls     int     // URLs dropped
	mentions int     // @mentions dropped
	hashtags int     // #hashtags (their words are kept)
}

func (t *tokens) reset() {
	t.buf = t.buf[:0]
	t.toks = t.toks[:0]
	t.excl, t.quest, t.capWords, t.words, t.letters = 0, 0, 0, 0, 0
	t.urls, t.mentions, t.hashtags = 0, 0, 0
}

func (t *tokens) bytes(i int) []byte {
	k := t.toks[i]
	return t.buf[k.lo:k.hi]
}

// emojiTable gives the tokenizer the valence of an emoji rune or an
// emoticon; ok is false for what is neither.
type emojiTable interface {
	emoji(r rune) (float32, bool)
	emoticon(s []byte) (float32, bool)
}

// tokenize splits text into tokens. URLs, @mentions, e-mail addresses and a
// leading "RT" are dropped; a hashtag's '#' is dropped and its word kept.
func (t *tokens) tokenize(text string, em emojiTable) {
	t.reset()
	t.excl = strings.Count(text, "!")
	t.quest = strings.Count(text, "?")
	i := 0
	for i < len(text) {
		// Skip white space; a line break ends a clause.
		r, n := utf8.DecodeRuneInString(text[i:])
		if r == '\n' || r == '\r' {
			t.markEnd()
			i += n
			continue
		}
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		t.field(text[i:j], em)
		i = j
	}
	t.markEnd()
}

func (t *tokens) markEnd() {
	if n := len(t.toks); n > 0 {
		t.toks[n-1].end = true
	}
}

// field tokenises one white-space separated field.
func (t *tokens) field(f string, em emojiTable) {
	switch {
	case hasPrefixFold(f, "http://"), hasPrefixFold(f, "https://"), hasPrefixFold(f, "www."),
		strings.EqualFold(f, "http"), strings.EqualFold(f, "https"):
		// (SB-10k cuts its links to a bare "http".)
		t.urls++
		return
	case f[0] == '@' && len(f) > 1:
		t.mentions++
		// A mention; "@" alone is punctuation.
		if i := strings.IndexAny(f, ".!?,;"); i > 0 && i == len(f)-1 {
			t.markEnd()
		}
		return
	case f == "RT" && len(t.toks) == 0:
		return
	}
	if strings.IndexByte(f, '@') > 0 && strings.IndexByte(f, '.') > 0 && !strings.ContainsAny(f, "!?") {
		return // an e-mail address
	}
	if f[0] == '#' && len(f) > 1 {
		t.hashtags++
	}
	// An emoticon as a whole field (":-)", "<3", ":D", "xD").
	if len(f) >= 2 && len(f) <= 8 && !allLetters(f) {
		lo := len(t.buf)
		t.appendLower(f)
		if v, ok := em.emoticon(t.buf[lo:]); ok {
			t.toks = append(t.toks, token{lo: int32(lo), hi: int32(len(t.buf)), kind: tkEmoticon, val: v})
			return
		}
		t.buf = t.buf[:lo]
	}
	// Words, numbers and emoji inside the field.
	i := 0
	for i < len(f) {
		r, n := utf8.DecodeRuneInString(f[i:])
		switch {
		case isWordRune(r):
			j := i + n
			for j < len(f) {
				r2, n2 := utf8.DecodeRuneInString(f[j:])
				if isWordRune(r2) {
					j += n2
					continue
				}
				// Inner apostrophes and hyphens: "don't", "e-mail", "läuft's".
				if (r2 == '\'' || r2 == '’' || r2 == '-') && j+n2 < len(f) {
					r3, _ := utf8.DecodeRuneInString(f[j+n2:])
					if isWordRune(r3) {
						j += n2
						continue
					}
				}
				break
			}
			t.word(f[i:j])
			i = j
		case r == '.' || r == ',' || r == ';' || r == ':' || r == '!' || r == '?' || r == '…':
			t.markEnd()
			i += n
		default:
			if v, ok := em.emoji(r); ok {
				lo := len(t.buf)
				t.buf = utf8.AppendRune(t.buf, r)
				t.toks = append(t.toks, token{lo: int32(lo), hi: int32(len(t.buf)), kind: tkEmoji, val: v})
			}
			i += n
		}
	}
}

// word appends one word token, lower-cased, with a curly apostrophe made
// straight.
func (t *tokens) word(w string) {
	lo := len(t.buf)
	upper, lower, digits, letters := 0, 0, 0, 0
	run, long := 0, false
	firstUpper := false
	var prev rune
	for i, r := range w {
		if i == 0 {
			firstUpper = 'A' <= r && r <= 'Z' || r >= utf8.RuneSelf && unicode.IsUpper(r)
		}
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				upper++
				letters++
				r += 'a' - 'A'
			} else if 'a' <= r && r <= 'z' {
				lower++
				letters++
			} else if '0' <= r && r <= '9' {
				digits++
			}
			t.buf = append(t.buf, byte(r))
		case r == '’':
			r = '\''
			t.buf = append(t.buf, '\'')
		default:
			if unicode.IsUpper(r) {
				upper++
			} else if unicode.IsLower(r) {
				lower++
			}
			if unicode.IsLetter(r) {
				letters++
			}
			r = unicode.ToLower(r)
			t.buf = utf8.AppendRune(t.buf, r)
		}
		if r == prev && unicode.IsLetter(r) {
			run++
			if run >= 2 {
				long = true
			}
		} else {
			run = 0
		}
		prev = r
	}
	k := token{lo: int32(lo), hi: int32(len(t.buf)), kind: tkWord}
	if letters == 0 && digits > 0 {
		k.kind = tkNumber
	} else {
		t.words++
		t.letters += letters
		if upper >= 2 && lower == 0 {
			k.caps = true
			t.capWords++
		}
		k.title = firstUpper && upper == 1 && lower > 0
		k.long = long
	}
	t.toks = append(t.toks, k)
}

// appendLower appends s lower-cased to buf.
func (t *tokens) appendLower(s string) {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			t.buf = append(t.buf, byte(r))
			continue
		}
		t.buf = utf8.AppendRune(t.buf, unicode.ToLower(r))
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func allLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// squeeze returns w with runs of three or more equal letters cut to two
// ("sooooo" → "soo"), and with such runs cut to one in one (the second
// result), so a lexicon lookup can try both. It appends to dst.
func squeeze(dst []byte, w []byte, max int) []byte {
	var prev rune = -1
	run := 0
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		if r == prev {
			run++
		} else {
			run = 1
		}
		if run <= max {
			dst = append(dst, w[i:i+n]...)
		}
		prev = r
		i += n
	}
	return dst
}
