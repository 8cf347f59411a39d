package export

import (
	"bufio"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// cleanText returns s as valid UTF-8 without control characters other than
// tab, line feed and carriage return: invalid bytes, other C0 controls, DEL
// and C1 controls become U+FFFD. Every format but JSON writes text through it.
func cleanText(s string) string {
	clean := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
				clean = false
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r >= 0x80 && r <= 0x9f {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n == 1,
			r < 0x20 && r != '\t' && r != '\n' && r != '\r',
			r >= 0x7f && r <= 0x9f:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalizeNewlines turns CR LF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// oneLine returns cleaned s on one line: line breaks and tabs become spaces.
func oneLine(s string) string {
	s = cleanText(s)
	if !strings.ContainsAny(s, "\t\n\r") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// platformName returns the display name of a source.
func platformName(source string) string {
	switch source {
	case "twitter":
		return "Twitter"
	case "mastodon":
		return "Mastodon"
	case "bluesky":
		return "Bluesky"
	case "hackernews":
		return "Hacker News"
	case "reddit":
		return "Reddit"
	}
	return oneLine(source)
}

// handleDisplay returns the handle as the platform writes it: "u/name" on
// Reddit, "@name" elsewhere; "" for no handle.
func handleDisplay(source, handle string) string {
	handle = strings.TrimPrefix(oneLine(handle), "@")
	switch {
	case handle == "":
		return ""
	case source == "reddit":
		return "u/" + strings.TrimPrefix(handle, "u/")
	}
	return "@" + handle
}

// authorDisplay returns "Name (@handle)", or only one of them when the other
// is missing or the same.
func authorDisplay(it *Item) string {
	name, h := oneLine(it.AuthorName), handleDisplay(it.Source, it.AuthorHandle)
	switch {
	case name == "" && h == "":
		return "unknown author"
	case name == "" || name == strings.TrimPrefix(oneLine(it.AuthorHandle), "@"):
		return h
	case h == "":
		return name
	}
	return name + " (" + h + ")"
}

const (
	localLayout = "2006-01-02 15:04 MST"
	isoLayout   = "2006-01-02T15:04:05Z07:00"
)

// isoUTC formats t as ISO 8601 in UTC to the second; "" for the zero time.
func isoUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(isoLayout)
}

// local formats t in loc as "2017-02-28 09:52 PST"; "" for the zero time.
func local(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(localLayout)
}

// whenDisplay returns the time in the display zone followed by UTC:
// "2017-02-28 09:52 PST (17:52 UTC)", with the UTC date when it differs; only
// UTC when the zone is UTC.
func whenDisplay(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "time unknown"
	}
	l, u := t.In(loc), t.UTC()
	if l.Format(localLayout) == u.Format(localLayout) {
		return u.Format(localLayout)
	}
	if l.Format("2006-01-02") == u.Format("2006-01-02") {
		return l.Format(localLayout) + " (" + u.Format("15:04") + " UTC)"
	}
	return l.Format(localLayout) + " (" + u.Format(localLayout) + ")"
}

// statusPhrase says what happened to a post since it was quoted; "" when live.
func statusPhrase(s Status) string {
	switch s {
	case Deleted:
		return "deleted at source since quoted"
	case Edited:
		return "edited since quoted"
	case Live, "":
		return ""
	}
	return "status: " + oneLine(string(s))
}

// safeURL reports whether s is an absolute http or https URL without
// characters that need escaping in a Markdown autolink or a spreadsheet
// hyperlink.
func safeURL(s string) bool {
	if s == "" || len(s) > 2000 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == '\\' || c == '`' {
			return false
		}
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// formatScore formats a sentiment score; "" when the item was not scored.
func formatScore(it *Item) string {
	if it.SentimentLabel == "" && it.SentimentScore == 0 {
		return ""
	}
	return strconv.FormatFloat(it.SentimentScore, 'f', -1, 64)
}

// zoneName returns the name of the display zone.
func zoneName(loc *time.Location) string {
	if loc == nil {
		return "UTC"
	}
	return loc.String()
}

// writeErr returns the error a bufio.Writer has met so far, if any (it keeps
// the first and returns it from every later write).
func writeErr(bw *bufio.Writer) error {
	_, err := bw.Write(nil)
	return err
}
