package twitter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// errItem returns an Item that reports a record that could not be decoded.
func errItem(line int, format string, args ...any) collector.Item {
	return collector.Item{Line: line, Err: fmt.Errorf(format, args...)}
}

// postItem normalises p and returns it as an Item, or an Err item (prefixed
// with the format name) if p is still not a valid post.
func postItem(line int, format string, p *post.Post) collector.Item {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return errItem(line, "%s: %w", format, err)
	}
	return collector.Item{Line: line, Post: p}
}

// isTweetID reports whether s looks like a tweet id: decimal digits only.
func isTweetID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// relID returns the post id a relation points at, or "" when nativeID is not
// a tweet id (absent, "0", garbage).
func relID(nativeID string) string {
	if !isTweetID(nativeID) || strings.Trim(nativeID, "0") == "" {
		return ""
	}
	return post.MakeID(post.Twitter, nativeID)
}

// lang returns the post language: X/Twitter's pseudo-codes for "no language"
// (und, zxx, and the q* codes for posts made only of mentions, hashtags,
// cashtags, media or very short text) become "".
func lang(code string) string {
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "und", "zxx", "qam", "qct", "qht", "qme", "qst":
		return ""
	}
	return strings.TrimSpace(code)
}

// rubyTime parses the v1.1 / archive created_at form "Mon Jan 02 15:04:05 -0700 2006".
func rubyTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RubyDate, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("bad created_at %q (want %q)", s, time.RubyDate)
	}
	return t.UTC(), nil
}

// isSelfLink reports whether link is X/Twitter's "read the rest" link to the
// post itself (https://twitter.com/i/web/status/<id>), which truncated texts
// end with; it is not content the author linked to.
func isSelfLink(link, id string) bool {
	if id == "" {
		return false
	}
	for _, prefix := range []string{"https://twitter.com/i/web/status/", "http://twitter.com/i/web/status/", "https://x.com/i/web/status/"} {
		if rest, ok := strings.CutPrefix(link, prefix); ok && rest == id {
			return true
		}
	}
	return false
}

// jsonString decodes a JSON string or number (X archives and some tools write
// ids and counts either way) into a string; null gives "".
type jsonString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *jsonString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = jsonString(v)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*s = jsonString(b)
	default:
		return fmt.Errorf("want a string or number, got %.20s", b)
	}
	return nil
}

// jsonCount decodes a count given as a JSON number or numeric string. A value
// that is not a number (null, "", garbage) is read as 0: a bad count does not
// make the post unreadable.
type jsonCount int64

// UnmarshalJSON implements json.Unmarshaler.
func (c *jsonCount) UnmarshalJSON(b []byte) error {
	*c = 0
	s := string(bytes.Trim(bytes.TrimSpace(b), `"`))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*c = jsonCount(n)
	} else if f, err := strconv.ParseFloat(s, 64); err == nil && f >= -1<<62 && f <= 1<<62 {
		*c = jsonCount(f)
	}
	return nil
}

// objectKind describes the JSON value in b for error messages when it is not
// an object, or returns "" when it is one.
func objectKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "empty"
	}
	switch b[0] {
	case '{':
		return ""
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
