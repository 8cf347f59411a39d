// Package post is Aftershock's shared vocabulary: the normalised Post every
// collector produces and every other package reads, its author and engagement
// counts, and the helpers that build ids and plain text. It does no I/O.
//
// Invariants:
//   - A Post's ID is "<source>:<native id>" (see [MakeID]); ids are strings
//     everywhere, never numbers.
//   - Times are UTC.
//   - Raw holds the source payload byte for byte; normalised fields are derived
//     from it and can be derived again.
package post

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Source names used in post ids. A CSV import may name any other source.
const (
	Twitter    = "twitter"
	Mastodon   = "mastodon"
	Bluesky    = "bluesky"
	HackerNews = "hackernews"
	Reddit     = "reddit"
)

// Author is who wrote a post.
type Author struct {
	ID     string `json:"id,omitempty"`     // the platform's stable id (user id, DID, acct URI)
	Handle string `json:"handle,omitempty"` // the name people type: "jack", "bob@other.example", "alice.bsky.social"
	Name   string `json:"name,omitempty"`   // display name
	URL    string `json:"url,omitempty"`    // profile page
}

// Metrics are engagement counts as the payload reported them when collected.
// A count the payload does not carry stays zero.
type Metrics struct {
	Likes   int64 `json:"likes,omitempty"`
	Reposts int64 `json:"reposts,omitempty"`
	Replies int64 `json:"replies,omitempty"`
	Quotes  int64 `json:"quotes,omitempty"`
}

// Sentiment is the tone of a post as a model scored it. The zero value
// means not scored (a language no model reads, or nothing to score).
type Sentiment struct {
	Score      float64 `json:"score"`           // compound polarity in [-1, 1]
	Label      string  `json:"label,omitempty"` // "negative", "neutral", "positive"; "" when not scored
	Confidence float64 `json:"confidence"`      // the model's probability of Label, in [0, 1]
	Model      string  `json:"model,omitempty"` // "name@version" of the model
}

// Post is one public post, normalised.
type Post struct {
	ID       string `json:"id"`        // "<source>:<native id>"
	Source   string `json:"source"`    // "twitter", "mastodon", …
	NativeID string `json:"native_id"` // the platform's id: tweet id, status URI, at:// URI, objectID, fullname
	URL      string `json:"url,omitempty"`
	Author   Author `json:"author"`
	Text     string `json:"text"` // plain text: HTML turned into text, entities decoded, full (not truncated)
	Lang     string `json:"lang,omitempty"`

	CreatedAt   time.Time `json:"created_at"`
	CollectedAt time.Time `json:"collected_at,omitzero"`
	// EditedAt is when this version of the post was written, zero for the
	// original. Revision orders the versions of one post (higher is newer); its
	// scale is the source's own (edit-history position, edit time, …).
	EditedAt time.Time `json:"edited_at,omitzero"`
	Revision int64     `json:"revision,omitempty"`

	ReplyTo  string `json:"reply_to,omitempty"`  // post id this answers
	QuoteOf  string `json:"quote_of,omitempty"`  // post id this quotes
	RepostOf string `json:"repost_of,omitempty"` // post id this reposts (Text is the original's full text)

	Metrics   Metrics   `json:"metrics"`
	Sentiment Sentiment `json:"sentiment"`          // computed once, before the store write
	Hashtags  []string  `json:"hashtags,omitempty"` // without '#', as written
	Mentions  []string  `json:"mentions,omitempty"` // handles without '@'
	Links     []string  `json:"links,omitempty"`    // expanded where the payload has them
	Media     []string  `json:"media,omitempty"`    // media URLs

	Raw []byte `json:"-"` // the source payload, verbatim
}

// Ref names a post without its content, as a deletion notice does.
type Ref struct {
	ID       string
	Source   string
	NativeID string
	At       time.Time // when the deletion happened or was seen; zero if unknown
}

// MakeID returns the post id for a source and native id.
func MakeID(source, nativeID string) string { return source + ":" + nativeID }

// SplitID splits a post id into source and native id.
func SplitID(id string) (source, nativeID string, ok bool) {
	source, nativeID, ok = strings.Cut(id, ":")
	if !ok || source == "" || nativeID == "" {
		return "", "", false
	}
	return source, nativeID, true
}

// Errors returned by Validate.
var (
	ErrNoID   = errors.New("post has no id")
	ErrNoTime = errors.New("post has no creation time")
)

// Validate reports whether p has what every stored post needs: an id that
// matches its source and native id, and a creation time.
func (p *Post) Validate() error {
	if p.Source == "" || p.NativeID == "" || p.ID == "" {
		return ErrNoID
	}
	if p.ID != MakeID(p.Source, p.NativeID) {
		return fmt.Errorf("post id %q does not match source %q and native id %q", p.ID, p.Source, p.NativeID)
	}
	if p.CreatedAt.IsZero() {
		return ErrNoTime
	}
	return nil
}

// Normalize puts p in canonical form: times in UTC, list fields without
// duplicates or empty entries, text trimmed of trailing white space.
func (p *Post) Normalize() {
	p.CreatedAt = p.CreatedAt.UTC()
	if !p.CollectedAt.IsZero() {
		p.CollectedAt = p.CollectedAt.UTC()
	}
	if !p.EditedAt.IsZero() {
		p.EditedAt = p.EditedAt.UTC()
	}
	p.Text = strings.TrimRight(p.Text, " \t\r\n")
	p.Hashtags = uniq(p.Hashtags)
	p.Mentions = uniq(p.Mentions)
	p.Links = uniq(p.Links)
	p.Media = uniq(p.Media)
}

func uniq(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(xs))
	out := xs[:0]
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
