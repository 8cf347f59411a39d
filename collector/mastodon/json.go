package mastodon

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"
)

// part is one member of a JSON object or one element of a JSON array: its
// key (objects only), its bytes (a sub-slice of the enclosing value) and the
// line it starts on.
type part struct {
	key  string
	data []byte
	line int
}

// members returns the members of the JSON object data, which starts on line.
// It reports false when data is not an object.
func members(data []byte, line int) ([]part, bool) {
	return walk(data, line, '{')
}

// elements returns the elements of the JSON array data, which starts on line.
// It reports false when data is not an array.
func elements(data []byte, line int) ([]part, bool) {
	return walk(data, line, '[')
}

func walk(data []byte, line int, open json.Delim) ([]part, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != open {
		return nil, false
	}
	var parts []part
	counted, at := 0, line // newlines are counted incrementally
	for dec.More() {
		var key string
		if open == '{' {
			tok, err := dec.Token()
			if err != nil {
				return parts, false
			}
			key, _ = tok.(string)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return parts, false
		}
		end := int(dec.InputOffset())
		start := end - len(raw)
		if start < counted || end > len(data) {
			return parts, false
		}
		at += bytes.Count(data[counted:start], []byte("\n"))
		counted = start
		parts = append(parts, part{key: key, data: data[start:end], line: at})
	}
	return parts, true
}

// lookup returns the value of the last member named key, or nil. A key
// that occurs twice takes its last value, as in JavaScript and in
// encoding/json (Mastodon's own exports repeat "orderedItems", the first
// time empty).
func lookup(ms []part, key string) *part {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].key == key {
			return &ms[i]
		}
	}
	return nil
}

// lookupAll returns the values of every member named key, in order.
func lookupAll(ms []part, key string) []*part {
	var ps []*part
	for i := range ms {
		if ms[i].key == key {
			ps = append(ps, &ms[i])
		}
	}
	return ps
}

// isNull reports whether a raw JSON value is absent or null.
func isNull(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// unmarshal decodes data into v, tolerating values of the wrong type in
// fields (they stay zero): the caller checks the fields it needs.
func unmarshal(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return nil
	}
	return err
}

// flexString is a JSON string that also accepts a number (some servers send
// numeric ids); null and other types read as "". It never fails, so a
// malformed id does not abort decoding the rest of the object.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		_ = json.Unmarshal(b, &s) // b is a valid JSON string
		*f = flexString(s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*f = flexString(b)
	default: // objects, arrays, booleans: not an id
		*f = ""
	}
	return nil
}

// parseTime parses an RFC 3339 timestamp into UTC; the zero time if s is
// empty or malformed.
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil || t.IsZero() {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// hostOf returns the host of an absolute URL, or "".
func hostOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return u.Host
}

// fullHandle turns an acct ("bob", "@bob", "bob@other.example") into a
// handle with its instance: a local acct gets the host of profile (or of
// fallback when profile has none).
func fullHandle(acct, profile, fallback string) string {
	h := strings.TrimPrefix(strings.TrimSpace(acct), "@")
	if h == "" || strings.Contains(h, "@") {
		return h
	}
	host := hostOf(profile)
	if host == "" {
		host = hostOf(fallback)
	}
	if host == "" {
		return h
	}
	return h + "@" + host
}

// isWebLink reports whether s is an absolute http(s) URL.
func isWebLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
