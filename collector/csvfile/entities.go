package csvfile

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Entities written in a post's text, for files without columns for them.
// The rules follow what X and Mastodon link: a hashtag is '#' and letters,
// digits, '_' or joiners, holding at least one letter, not preceded by a
// letter, digit, '_', '&' or '/'; a mention is '@' and up to 64 ASCII letters,
// digits, '_' or '.', optionally '@domain' (Mastodon), not preceded by such a
// character or '@' (so e-mail addresses are no mentions); a link starts with
// http:// or https:// and runs to white space or <>"', less trailing
// punctuation and unbalanced closing brackets.

// textHashtags returns the hashtags of s without '#'.
func textHashtags(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '#' && !strings.HasPrefix(s[i:], "＃") {
			continue
		}
		if i > 0 {
			if r, _ := utf8.DecodeLastRuneInString(s[:i]); isWordRune(r) || r == '&' || r == '/' || r == '#' {
				continue
			}
		}
		start := i + 1
		if s[i] != '#' {
			start = i + len("＃")
		}
		end, letter := start, false
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if !isWordRune(r) && r != '\u200c' && r != '\u200d' && !unicode.Is(unicode.Mn, r) {
				break
			}
			letter = letter || unicode.IsLetter(r)
			end += n
		}
		if letter && end-start <= 140 {
			out = append(out, s[start:end])
		}
		i = end - 1
	}
	return out
}

// textMentions returns the mentioned handles of s without '@'.
func textMentions(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		if i > 0 {
			if r, _ := utf8.DecodeLastRuneInString(s[:i]); isWordRune(r) || r == '@' || r == '.' || r == '/' {
				continue
			}
		}
		end := handleEnd(s, i+1)
		if end == i+1 || end-(i+1) > 64 {
			i = end - 1
			continue
		}
		h := strings.TrimRight(s[i+1:end], ".")
		// Mastodon's @user@example.social
		if end < len(s) && s[end] == '@' {
			if dEnd := domainEnd(s, end+1); dEnd > end+1 {
				h = s[i+1 : dEnd]
				end = dEnd
			}
		}
		if h != "" {
			out = append(out, h)
		}
		i = end - 1
	}
	return out
}

func handleEnd(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' {
			i++
			continue
		}
		break
	}
	return i
}

func domainEnd(s string, i int) int {
	start := i
	for i < len(s) {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			i++
			continue
		}
		break
	}
	for i > start && s[i-1] == '.' {
		i--
	}
	if !strings.Contains(s[start:i], ".") {
		return start
	}
	return i
}

// textLinks returns the http(s) links written in s.
func textLinks(s string) []string {
	var out []string
	for rest := s; ; {
		i := strings.Index(rest, "http")
		if i < 0 {
			return out
		}
		u := rest[i:]
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") ||
			i > 0 && isWordRune(lastRune(rest[:i])) {
			rest = rest[i+4:]
			continue
		}
		end := strings.IndexFunc(u, func(r rune) bool {
			return unicode.IsSpace(r) || r == '<' || r == '>' || r == '"' || r == '\'' || r == '`'
		})
		if end < 0 {
			end = len(u)
		}
		link := trimLink(u[:end])
		if len(link) > len("https://") && !strings.HasSuffix(link, "://") {
			out = append(out, link)
		}
		rest = u[end:]
	}
}

// trimLink drops trailing punctuation, and closing brackets that do not
// close one opened inside the link.
func trimLink(u string) string {
	for u != "" {
		if strings.HasSuffix(u, "…") {
			u = strings.TrimSuffix(u, "…")
			continue
		}
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*", c) >= 0,
			c == ')' && strings.Count(u, "(") < strings.Count(u, ")"),
			c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// listCell reads a cell that lists entities: a JSON array of strings
// (twarc-csv's ["#tag", …]) or values separated by commas, semicolons, '|'
// or white space (4CAT's "tag1,tag2", an X archive's expanded_urls). prefix
// ('#' or '@') is dropped from each value.
func listCell(cell string, prefix byte) []string {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil
	}
	var vals []string
	if cell[0] == '[' {
		if err := json.Unmarshal([]byte(cell), &vals); err != nil {
			vals = nil
			cell = strings.Trim(cell, "[]")
		}
	}
	if vals == nil {
		vals = strings.FieldsFunc(cell, func(r rune) bool {
			return r == ',' || r == ';' || r == '|' || unicode.IsSpace(r)
		})
	}
	out := vals[:0]
	for _, v := range vals {
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		if prefix != 0 {
			v = strings.TrimPrefix(v, string(prefix))
		}
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// linkCell reads a cell that lists links, keeping the http(s) ones.
func linkCell(cell string) []string {
	var out []string
	for _, v := range listCell(cell, 0) {
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			out = append(out, v)
		}
	}
	return out
}
