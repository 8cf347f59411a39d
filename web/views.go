package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/store"
)

// postView is a post as a card shows it (and the API returns it).
type postView struct {
	ID           string    `json:"id"`
	Source       string    `json:"source"`
	Platform     string    `json:"platform"`
	URL          string    `json:"url,omitempty"`
	AuthorHandle string    `json:"author_handle"`
	AuthorName   string    `json:"author_name,omitempty"`
	AuthorURL    string    `json:"author_url,omitempty"`
	Created      time.Time `json:"created_at"`
	Lang         string    `json:"lang,omitempty"`
	Text         string    `json:"text"`
	Segments     []segment `json:"-"`
	Likes        int64     `json:"likes"`
	Reposts      int64     `json:"reposts"`
	Replies      int64     `json:"replies"`
	Quotes       int64     `json:"quotes"`
	Sentiment    string    `json:"sentiment,omitempty"`
	Score        float64   `json:"sentiment_score"`
	Deleted      bool      `json:"deleted"`
	DeletedAt    time.Time `json:"deleted_at,omitzero"`
	Edited       bool      `json:"edited"`
	ReplyTo      string    `json:"reply_to,omitempty"`
	QuoteOf      string    `json:"quote_of,omitempty"`
}

// newPostView makes the card of a stored post, its text cut into
// highlighted segments for terms. Post text is plain text (the importers
// turned any HTML into text), and the template escapes it.
func newPostView(st store.Stored, terms []string) postView {
	p := st.Post
	return postView{
		ID: p.ID, Source: p.Source, Platform: platform(p.Source), URL: safeURL(p.URL),
		AuthorHandle: p.Author.Handle, AuthorName: p.Author.Name, AuthorURL: safeURL(p.Author.URL),
		Created: p.CreatedAt, Lang: p.Lang, Text: p.Text, Segments: highlight(p.Text, terms),
		Likes: p.Metrics.Likes, Reposts: p.Metrics.Reposts, Replies: p.Metrics.Replies, Quotes: p.Metrics.Quotes,
		Sentiment: p.Sentiment.Label, Score: p.Sentiment.Score, Deleted: st.Deleted(), DeletedAt: st.DeletedAt, Edited: p.Revision > 0 || !p.EditedAt.IsZero(),
		ReplyTo: p.ReplyTo, QuoteOf: p.QuoteOf,
	}
}

// safeURL keeps http(s) URLs only: a javascript: or data: link from a
// payload never becomes a link.
func safeURL(u string) string {
	l := strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return u
	}
	return ""
}

// zoneOf loads a display zone; "" is UTC.
func zoneOf(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := export.LoadZone(name)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	return loc, nil
}

// formTimeLayout is how times travel in query parameters (an HTML
// datetime-local value), read in the page's zone.
const formTimeLayout = "2006-01-02T15:04"

// parseFormTime reads a time parameter: RFC 3339, or a datetime-local value
// or a date in loc. "" is the zero time.
func parseFormTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return checkFormTime(t)
	}
	for _, layout := range []string{formTimeLayout, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return checkFormTime(t)
		}
	}
	return time.Time{}, fmt.Errorf("cannot read time %q: use 2017-02-28T16:00 or 2017-02-28", s)
}
