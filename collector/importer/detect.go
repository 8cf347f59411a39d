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
	TwitterV1   Format = "twitter-v1" // X/Twitter API v1.1 tweets: JSON lines, an array, or a search response
	Twarc2      Format = "twarc2"     // twarc2 output: X API v2 pages or flattened tweets
	XArchive    Format = "x-archive"  // X "Download your archive" tweets.js
	Mastodon    Format = "mastodon"   // Mastodon API statuses: one, an array, a page, a context
	Outbox      Format = "outbox"     // ActivityPub outbox.json (a Mastodon account export)
	Jetstream   Format = "jetstream"  // Bluesky Jetstream JSON lines
	HackerNews  Format = "hn"         // Hacker News Algolia search or items responses
	RedditJSON  Format = "reddit"     // Reddit listing JSON
	CSV         Format = "csv"        // CSV with a header row
	formatUnset Format = ""
)

// Formats lists every format, for help texts.
func Formats() []Format {
	return []Format{TwitterV1, Twarc2, XArchive, Mastodon, Outbox, Jetstream, HackerNews, RedditJSON, CSV}
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

// Detect tells the format from the first bytes of a (decompressed) input.
func Detect(head []byte) (Format, error) {
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return formatUnset, errors.New("empty input")
	}
	if bytes.HasPrefix(trimmed, []byte("window.YTD.")) {
		return XArchive, nil
	}
	if trimmed[0] != '{' && trimmed[0] != '[' {
		line, _, _ := bytes.Cut(trimmed, []byte("\n"))
		if bytes.ContainsAny(line, ",;\t") {
			return CSV, nil
		}
		return formatUnset, fmt.Errorf("%w: the input is neither JSON nor CSV (starts with %q); use --format", ErrUnknownFormat, clip(line, 40))
	}
	keys := firstObjectKeys(trimmed)
	if len(keys) == 0 {
		return formatUnset, fmt.Errorf("%w: no JSON object at the start of the input; use --format", ErrUnknownFormat)
	}
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
	case has("data") && (has("includes") || has("meta") || has("__twarc") || has("matching_rules") || has("errors")):
		return Twarc2, nil
	case has("hits") || has("nbHits") || has("objectID") || has("created_at_i"):
		return HackerNews, nil
	case has("statuses", "search_metadata"):
		return TwitterV1, nil
	case has("ancestors") || has("descendants") || has("statuses") && has("accounts"):
		return Mastodon, nil
	case has("orderedItems") || keys["type"] == "OrderedCollection" || keys["type"] == "OrderedCollectionPage" || has("@context"):
		return Outbox, nil
	case has("tweet") && len(keys) == 1:
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
	return formatUnset, fmt.Errorf("%w: the first record has the fields %s; use --format", ErrUnknownFormat, strings.Join(names, ", "))
}

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
	dec := json.NewDecoder(bytes.NewReader(b))
	keys := map[string]string{}
	depth := 0 // depth inside the first object; 0 before it starts
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if depth == 0 && t == '[' {
					continue // an array around the records
				}
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return keys
				}
			}
		case string:
			if depth != 1 {
				continue
			}
			// At depth 1 the decoder alternates keys and values.
			key := t
			keys[key] = ""
			if !dec.More() {
				return keys
			}
			val, err := dec.Token()
			if err != nil {
				return keys
			}
			switch v := val.(type) {
			case string:
				keys[key] = v
			case json.Delim:
				depth++
			}
		}
	}
}
