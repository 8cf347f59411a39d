package export

import (
	"encoding/json"
	"time"
)

// Status says what the archive knows of a quoted post now.
type Status string

const (
	Live    Status = "live"    // unchanged since it was quoted
	Edited  Status = "edited"  // its author edited it after it was quoted (Text is what was quoted)
	Deleted Status = "deleted" // deleted at its source (Text is what was quoted)
)

// Item is one quoted post with everything a citation needs. Text, author
// and counts are the snapshot taken when the post was added to the
// collection (or, exporting an event, the archive's current copy).
type Item struct {
	Position int    `json:"position"` // 1-based place in the collection
	PostID   string `json:"post_id"`  // "<source>:<native id>", e.g. "twitter:835971235648204800"
	Source   string `json:"source"`   // platform: twitter, mastodon, bluesky, hackernews, reddit, …
	NativeID string `json:"native_id"`

	AuthorName   string `json:"author_name"`
	AuthorHandle string `json:"author_handle"` // without '@'
	AuthorURL    string `json:"author_url,omitempty"`
	Permalink    string `json:"permalink,omitempty"`

	CreatedAt   time.Time `json:"created_at"`   // UTC
	CollectedAt time.Time `json:"collected_at"` // UTC: when the archive's copy was collected
	Lang        string    `json:"lang,omitempty"`
	Text        string    `json:"text"` // exactly as quoted

	Likes   int64 `json:"likes"`
	Reposts int64 `json:"reposts"`
	Replies int64 `json:"replies"`
	Quotes  int64 `json:"quotes"`

	// ReplyTo and QuoteOf are the ids of the posts this one answers or
	// quotes; the URLs are their permalinks when the archive has them.
	ReplyTo    string `json:"reply_to,omitempty"`
	ReplyToURL string `json:"reply_to_url,omitempty"`
	QuoteOf    string `json:"quote_of,omitempty"`
	QuoteOfURL string `json:"quote_of_url,omitempty"`

	// Hashtags, mentions, links and media of the post, so that a case file
	// restores a searchable post.
	Hashtags []string `json:"hashtags,omitempty"`
	Mentions []string `json:"mentions,omitempty"`
	Links    []string `json:"links,omitempty"`
	Media    []string `json:"media,omitempty"`

	Status      Status    `json:"status"`
	CurrentText string    `json:"current_text,omitempty"` // the text now, when Status is Edited
	StatusAt    time.Time `json:"status_at,omitzero"`     // when it was edited or deleted, if known

	SentimentLabel string  `json:"sentiment_label,omitempty"`
	SentimentScore float64 `json:"sentiment_score"`
	SentimentModel string  `json:"sentiment_model,omitempty"`

	// ContentHash is the SHA-256 (hex) of Raw: the payload as collected.
	ContentHash string          `json:"content_hash"`
	Raw         json.RawMessage `json:"raw,omitempty"`

	// The reporter's annotations (empty when exporting an event).
	Note    string    `json:"note,omitempty"`
	Tags    []string  `json:"tags,omitempty"`
	AddedBy string    `json:"added_by,omitempty"`
	AddedAt time.Time `json:"added_at,omitzero"`
}

// Meta describes an export as a whole, for headers, the HTML page and the
// method note.
type Meta struct {
	Title       string // the collection's or event's name
	Slug        string
	Description string
	Event       string         // the event's name, if any
	Location    *time.Location // display zone; nil = UTC
	GeneratedAt time.Time
	Generator   string // "Aftershock <version>"
	// Method is the method note: where the posts came from, when they were
	// collected, which model scored their sentiment. Plain text, paragraphs
	// separated by blank lines.
	Method string
}
