package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Format names a file format the importer reads.
type Format string

// The formats, as named on the command line (--format).
const (
	TwitterV1      Format = "twitter-v1"   // X/Twitter API v1.1 tweets: JSON lines, an array, a search response, premium search results
	Twarc2         Format = "twarc2"       // twarc2 output: X API v2 pages or flattened tweets
	XArchive       Format = "x-archive"    // X "Download your archive" data/*.js, legacy Grailbird data/js/tweets/*.js
	Mastodon       Format = "mastodon"     // Mastodon API statuses: one, an array, a page, a context, a search
	Outbox         Format = "outbox"       // ActivityPub outbox.json (a Mastodon account export)
	Jetstream      Format = "jetstream"    // Bluesky Jetstream JSON lines
	BlueskyAppView Format = "bluesky"      // Bluesky AppView responses: getPostThread, searchPosts, getPosts, getAuthorFeed, …
	BlueskyRepo    Format = "bluesky-repo" // a Bluesky repository export (repo.car, com.atproto.sync.getRepo)
	HackerNews     Format = "hn"           // Hacker News Algolia search or items responses, Firebase items
	RedditJSON     Format = "reddit"       // Reddit listing JSON
	CSV            Format = "csv"          // CSV with a header row
	formatUnset    Format = ""
)

// Formats lists every format, for help texts.
func Formats() []Format {
	return []Format{TwitterV1, Twarc2, XArchive, Mastodon, Outbox, Jetstream, BlueskyAppView, BlueskyRepo, HackerNews, RedditJSON, CSV}
}

// ParseFormat checks a format name given by a user.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if f == "" || slices.Contains(Formats(), f) {
		return f, nil
	}
	names := make([]string, 0, 9)
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown format %q (known: %s)", s, strings.Join(names, ", "))
}

// ErrUnknownFormat is returned when the content matches no format.
var ErrUnknownFormat = errors.New("unknown format")

// Detect tells the format from the first bytes of a (decompressed) input:
// CSV, an X archive's JavaScript, or, for JSON, the format of the first
// record. JSON inputs are read record by record and each record's format is
// told from that whole record (see decodeJSON), so Detect's answer for JSON
// is only the first record's, as far as head holds it.
func Detect(head []byte) (Format, error) {
	kind, err := sniff(head)
	if err != nil || kind != formatUnset {
		return kind, err
	}
	keys := firstObjectKeys(bytes.TrimLeft(head, " \t\r\n"))
	if len(keys) == 0 {
		return formatUnset, fmt.Errorf("%w: no JSON object at the start of the input; use --format", ErrUnknownFormat)
	}
	return classify(keys)
}

// sniff tells the layout of an input from its first bytes: CSV, an X
// archive's JavaScript, or JSON (formatUnset with no error).
func sniff(head []byte) (Format, error) {
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return formatUnset, errors.New("empty input")
	}
	if bytes.HasPrefix(trimmed, []byte("window.YTD.")) || bytes.HasPrefix(trimmed, []byte("Grailbird.data.")) {
		return XArchive, nil
	}
	if isCAR(head) {
		return BlueskyRepo, nil
	}
	if trimmed[0] != '{' && trimmed[0] != '[' {
		line, _, _ := bytes.Cut(trimmed, []byte("\n"))
		if bytes.ContainsAny(line, ",;\t") {
			return CSV, nil
		}
		return formatUnset, fmt.Errorf("%w: the input is neither JSON nor CSV (starts with %q); use --format", ErrUnknownFormat, clip(line, 40))
	}
	return formatUnset, nil
}

// isCAR reports whether head starts as a CAR v1 file does: the length of its
// header as a varint, then the header, a DAG-CBOR map of two entries whose
// keys are "roots" and "version".
func isCAR(head []byte) bool {
	n := 0
	for n < len(head) && n < 4 && head[n]&0x80 != 0 {
		n++
	}
	n++ // the varint's last byte
	if n+8 > len(head) || head[n] != 0xa2 {
		return false
	}
	h := head[n:min(len(head), n+96)]
	return bytes.Contains(h, []byte("\x65roots")) && bytes.Contains(h, []byte("\x67version"))
}

// classify tells the format of one JSON record from its top-level keys (and
// the values of those that are strings).
func classify(keys map[string]string) (Format, error) {
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := keys[n]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("did", "time_us") || has("kind", "commit") && has("did"):
		return Jetstream, nil
	case keys["kind"] == "Listing" || keys["kind"] == "t1" || keys["kind"] == "t3" || keys["kind"] == "more":
		return RedditJSON, nil
	case has("json") && len(keys) == 1: // an /api/morechildren answer
		return RedditJSON, nil
	case has("data") && (has("includes") || has("meta") || has("__twarc") || has("matching_rules") || has("errors")):
		return Twarc2, nil
	case has("hits") || has("nbHits") || has("objectID") || has("created_at_i"):
		return HackerNews, nil
	case has("id", "time", "type") && hnItemTypes[keys["type"]]: // a Firebase item
		return HackerNews, nil
	case has("thread") || has("posts") || has("feed") || has("uri", "cid", "author", "record") || has("post") && keys["$type"] != "":
		return BlueskyAppView, nil
	case has("statuses", "search_metadata"):
		return TwitterV1, nil
	case has("results") && (has("next") || has("requestParameters") || len(keys) == 1): // premium and enterprise search
		return TwitterV1, nil
	case has("ancestors") || has("descendants") || has("statuses") && (has("accounts") || has("hashtags")):
		return Mastodon, nil
	case has("orderedItems") || keys["type"] == "OrderedCollection" || keys["type"] == "OrderedCollectionPage" || has("@context"):
		return Outbox, nil
	case (has("tweet") || has("noteTweet")) && len(keys) == 1:
		return XArchive, nil
	case has("id_str") || has("delete") || has("retweeted_status") || has("user", "text"):
		return TwitterV1, nil
	case has("account", "content") || has("account", "uri"):
		return Mastodon, nil
	case has("edit_history_tweet_ids") || has("author_id") || has("__twarc") || has("id", "text", "author"):
		return Twarc2, nil
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 12 {
		names = append(names[:12], "…")
	}
	if len(names) == 0 {
		return formatUnset, fmt.Errorf("%w: the record is not a JSON object; use --format", ErrUnknownFormat)
	}
	return formatUnset, fmt.Errorf("%w: a record with the fields %s; use --format", ErrUnknownFormat, strings.Join(names, ", "))
}

// hnItemTypes are the types of Hacker News Firebase items.
var hnItemTypes = map[string]bool{"story": true, "comment": true, "job": true, "poll": true, "pollopt": true}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// firstObjectKeys returns the top-level keys of the first JSON object in b
// (the first element when b starts with arrays), with their values where
// those are strings. It reads only as far as it must, so a head cut off in
// the middle of a large record still gives the keys before the cut.
func firstObjectKeys(b []byte) map[string]string {
	for len(b) > 0 && b[0] == '[' {
		b = bytes.TrimLeft(b[1:], " \t\r\n")
	}
	return recordKeys(b)
}

// recordKeys returns the top-level keys of the JSON object b starts with,
// and the values of those whose value is a short string. It scans bytes
// without building tokens (the nested values it skips may be megabytes), and
// stops at the end of the object or of b, so a cut-off object gives the keys
// before the cut. A duplicated key keeps its last value, as JavaScript does.
func recordKeys(b []byte) map[string]string {
	keys := map[string]string{}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return keys
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return keys
		}
		end := skipString(b, i)
		if end < 0 {
			return keys
		}
		key := unquote(b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return keys
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			keys[key] = ""
			return keys
		}
		vstart := i
		i = skipValue(b, i)
		if i < 0 {
			keys[key] = ""
			return keys
		}
		keys[key] = ""
		if b[vstart] == '"' && i-vstart <= 256 {
			keys[key] = unquote(b[vstart:i])
		}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ',' {
			return keys
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the index just past the JSON string starting at b[i]
// (a '"'), or -1 when b ends first.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index just past the JSON value starting at b[i], or
// -1 when b ends first.
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j)
				if j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	for j := i; j < len(b); j++ {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j
		}
	}
	return len(b)
}

// unquote decodes a JSON string literal; one that does not decode is given
// back as written, without its quotes.
func unquote(lit []byte) string {
	if !bytes.ContainsRune(lit, '\\') {
		return string(lit[1 : len(lit)-1])
	}
	var s string
	if json.Unmarshal(lit, &s) != nil {
		return string(bytes.Trim(lit, `"`))
	}
	return s
}
