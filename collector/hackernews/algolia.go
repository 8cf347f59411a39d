package hackernews

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

const (
	itemURL = "https://news.ycombinator.com/item?id="
	userURL = "https://news.ycombinator.com/user?id="

	maxEpoch = 253402300799 // 9999-12-31T23:59:59Z
)

// record is the union of the objects the Algolia API returns (a search
// response, a hit, an /items node or a user) and of the Firebase API's items
// and users.
type record struct {
	// Search response.
	Hits    json.RawMessage `json:"hits"`
	Message string          `json:"message"`

	// Hit or item.
	ObjectID    flexID   `json:"objectID"`
	ID          flexID   `json:"id"`
	Type        string   `json:"type"`
	Tags        []string `json:"_tags"`
	Title       *string  `json:"title"`
	URL         *string  `json:"url"`
	Author      *string  `json:"author"`
	Text        *string  `json:"text"`
	StoryText   *string  `json:"story_text"`
	CommentText *string  `json:"comment_text"`
	Points      flexInt  `json:"points"`
	NumComments flexInt  `json:"num_comments"`
	ParentID    flexID   `json:"parent_id"`
	StoryID     flexID   `json:"story_id"`
	CreatedAtI  flexInt  `json:"created_at_i"`
	CreatedAt   string   `json:"created_at"`
	Deleted     bool     `json:"deleted"`

	// Firebase item (hacker-news.firebaseio.com/v0/item/<id>.json); id,
	// type, title, url, text and deleted are shared with Algolia's items.
	By          *string `json:"by"`
	Time        flexInt `json:"time"`
	Parent      flexID  `json:"parent"`
	Score       flexInt `json:"score"`
	Descendants flexInt `json:"descendants"`
	Dead        bool    `json:"dead"`

	// Firebase user (/v0/user/<name>.json).
	Karma json.RawMessage `json:"karma"`

	// User (/users/<name>).
	Username *string `json:"username"`
}

// DecodeAlgolia decodes Algolia HN Search API responses, hits and /items
// trees, and Firebase API items, from r (see the package documentation for
// the layouts and fields). It reads every record with [AlgoliaRecords].
func DecodeAlgolia(r io.Reader) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		for it := range collector.DecodeRecords(r, "hackernews", AlgoliaRecords()) {
			if !yield(it) {
				return
			}
		}
	}
}

// AlgoliaRecords returns a [collector.RecordFunc] that decodes one Hacker
// News record: an Algolia search response, hit or /items tree, or a Firebase
// item (see the package documentation). It keeps no state across records;
// each input gets a new one all the same, as the contract asks.
func AlgoliaRecords() collector.RecordFunc {
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		return decodeValue(data, line, yield)
	}
}

// decodeValue decodes one top-level JSON value. It returns false when the
// consumer stopped.
func decodeValue(data []byte, line int, yield func(collector.Item) bool) bool {
	fail := func(format string, args ...any) bool {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("hackernews: "+format, args...)})
	}
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		return true // what Firebase answers for an id without an item
	}
	if len(data) == 0 || data[0] != '{' {
		return fail("record is not a JSON object")
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return fail("malformed record: %v", err)
	}
	if rec.Hits != nil {
		return decodeResponse(&rec, line, yield)
	}
	if isUser(&rec) {
		return true // a user, not a post
	}
	if rec.ObjectID.s == "" && rec.ID.s == "" {
		if rec.Message != "" {
			return fail("API error: %s", rec.Message)
		}
		return fail("record is not a search response, hit or item (keys: %s)", keys(data))
	}
	return decodeItem(data, line, yield)
}

func decodeResponse(rec *record, line int, yield func(collector.Item) bool) bool {
	if string(rec.Hits) == "null" {
		rec.Hits = json.RawMessage("[]")
	}
	var hits []json.RawMessage
	if err := json.Unmarshal(rec.Hits, &hits); err != nil {
		return yield(collector.Item{Line: line, Err: errors.New(`hackernews: search response: "hits" is not an array`)})
	}
	if len(hits) == 0 && rec.Message != "" {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("hackernews: search response without hits: %s", rec.Message)})
	}
	for i, h := range hits {
		var hit record
		if err := json.Unmarshal(h, &hit); err != nil {
			if !yield(collector.Item{Line: line, Err: fmt.Errorf("hackernews: hit %d: %v", i, err)}) {
				return false
			}
			continue
		}
		if isUser(&hit) {
			continue
		}
		if !decodeItem(h, line, yield) {
			return false
		}
	}
	return true
}

// decodeItem turns one hit or item, and for an /items node every item of
// its tree, into items.
func decodeItem(data []byte, line int, yield func(collector.Item) bool) bool {
	nodes, err := flatten(data)
	if err != nil {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("hackernews: %v", err)})
	}
	for _, n := range nodes {
		var rec record
		if err := json.Unmarshal(n.raw, &rec); err != nil {
			what := "record"
			if n.parent >= 0 {
				what = "reply to item " + nodes[n.parent].id
			}
			if !yield(collector.Item{Line: line, Err: fmt.Errorf("hackernews: malformed %s: %v", what, err)}) {
				return false
			}
			continue
		}
		parent := ""
		if n.parent >= 0 {
			parent = nodes[n.parent].id
		}
		it := collector.Item{Line: line}
		switch {
		case n.id == "":
			it.Err = errors.New("hackernews: item has no objectID or id")
		case rec.Type == "pollopt" || slices.Contains(rec.Tags, "pollopt"):
			continue // a poll option is part of its poll, not a post
		case isDeleted(&rec, n.parent >= 0) || rec.Dead:
			// What is left (time, author of a dead item, place in the
			// thread) keeps the thread whole; without a time there is no
			// post, only the notice.
			if p, err := makePost(n.raw, &rec, n.id, parent, true); err == nil {
				if !yield(collector.Item{Line: line, Post: p}) {
					return false
				}
			}
			it.Delete = &post.Ref{ID: post.MakeID(post.HackerNews, n.id), Source: post.HackerNews, NativeID: n.id}
		default:
			p, err := makePost(n.raw, &rec, n.id, parent, false)
			if err != nil {
				it.Err = fmt.Errorf("hackernews: item %s: %w", n.id, err)
			} else {
				it.Post = p
			}
		}
		if !yield(it) {
			return false
		}
	}
	return true
}

// isUser reports whether rec is a user object (Algolia's /users/<name>, with
// "username", or Firebase's /v0/user/<name>, with "karma"), not a post.
func isUser(rec *record) bool {
	return (rec.Username != nil || rec.Karma != nil) && rec.Type == "" && rec.Title == nil && rec.Text == nil &&
		rec.StoryText == nil && rec.CommentText == nil
}

// isDeleted reports whether rec is a deleted item: marked so, or an /items
// node (it has a type or sits in a tree) with neither author nor text. Search
// hits are never deleted ones: Algolia drops deleted items from its index.
func isDeleted(rec *record, inTree bool) bool {
	if rec.Deleted {
		return true
	}
	return (rec.Type != "" || inTree) && rec.Author == nil && rec.By == nil && rec.Title == nil && rec.Text == nil && rec.StoryText == nil && rec.CommentText == nil
}

// gone reports whether an item's text is a placeholder Hacker News shows in
// place of text it no longer shows ("[dead]", "[deleted]", "[flagged]").
func gone(text string) bool {
	switch strings.TrimSpace(text) {
	case "[dead]", "[deleted]", "[flagged]":
		return true
	}
	return false
}

func isComment(rec *record) bool {
	if rec.Type != "" {
		return rec.Type == "comment"
	}
	if slices.Contains(rec.Tags, "comment") {
		return true
	}
	return rec.CommentText != nil
}

// makePost builds the post of a hit or item. For a deleted or dead one
// (removed) the placeholder text HN puts in place of the text is left out.
func makePost(raw []byte, rec *record, id, parent string, removed bool) (*post.Post, error) {
	created, err := createdAt(rec)
	if err != nil {
		return nil, err
	}
	p := &post.Post{
		ID:        post.MakeID(post.HackerNews, id),
		Source:    post.HackerNews,
		NativeID:  id,
		URL:       itemURL + id,
		CreatedAt: created,
		Metrics: post.Metrics{
			Likes:   rec.Points.n,
			Replies: rec.NumComments.n,
		},
	}
	if p.Metrics.Likes == 0 {
		p.Metrics.Likes = rec.Score.n
	}
	if p.Metrics.Replies == 0 {
		p.Metrics.Replies = rec.Descendants.n
	}
	a := deref(rec.Author)
	if a == "" {
		a = deref(rec.By)
	}
	if a = strings.TrimSpace(a); a != "" {
		p.Author = post.Author{ID: a, Handle: a, URL: userURL + a}
	}
	if removed {
		for _, s := range []**string{&rec.Text, &rec.CommentText, &rec.StoryText} {
			if *s != nil && gone(**s) {
				*s = nil
			}
		}
	}
	if isComment(rec) {
		html := deref(rec.CommentText)
		if html == "" {
			html = deref(rec.Text)
		}
		p.Text = post.HTMLToText(html)
		p.Links = hrefs(html)
		switch {
		case parent != "":
			p.ReplyTo = post.MakeID(post.HackerNews, parent)
		case rec.ParentID.s != "":
			p.ReplyTo = post.MakeID(post.HackerNews, rec.ParentID.s)
		case rec.Parent.s != "":
			p.ReplyTo = post.MakeID(post.HackerNews, rec.Parent.s)
		case rec.StoryID.s != "":
			p.ReplyTo = post.MakeID(post.HackerNews, rec.StoryID.s)
		}
	} else {
		html := deref(rec.StoryText)
		if strings.TrimSpace(html) == "" {
			html = deref(rec.Text)
		}
		p.Text = deref(rec.Title)
		if body := post.HTMLToText(html); strings.TrimSpace(body) != "" {
			if p.Text != "" {
				p.Text += "\n\n"
			}
			p.Text += body
		}
		if u := strings.TrimSpace(deref(rec.URL)); u != "" {
			p.Links = append(p.Links, u)
		}
		p.Links = append(p.Links, hrefs(html)...)
		if parent != "" { // a story cannot answer anything, but keep the tree
			p.ReplyTo = post.MakeID(post.HackerNews, parent)
		}
	}
	p.Raw = raw
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

func createdAt(rec *record) (time.Time, error) {
	if n := rec.CreatedAtI.n; n > 0 {
		if n > maxEpoch {
			return time.Time{}, fmt.Errorf("created_at_i %d is out of range", n)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if rec.CreatedAt == "" {
		if n := rec.Time.n; n > 0 { // a Firebase item
			if n > maxEpoch {
				return time.Time{}, fmt.Errorf("time %d is out of range", n)
			}
			return time.Unix(n, 0).UTC(), nil
		}
		return time.Time{}, errors.New("no created_at_i, created_at or time")
	}
	t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt)
	if err != nil {
		return time.Time{}, fmt.Errorf("created_at %q is not an RFC 3339 time", rec.CreatedAt)
	}
	if t.Year() < 1970 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("created_at %q is out of range", rec.CreatedAt)
	}
	return t.UTC(), nil
}

// keys lists the member names of a JSON object, for error messages.
func keys(obj []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(obj, &m) != nil {
		return "?"
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	if len(ks) > 10 {
		ks = append(ks[:10], "…")
	}
	return strings.Join(ks, ", ")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// flexID is an id given as a JSON string or number; null and "" are no id.
type flexID struct{ s string }

func (f *flexID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		f.s = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		f.s = strings.TrimSpace(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("id %s is neither a string nor a number", b)
		}
		f.s = n.String()
	}
	return nil
}

// flexInt is a count or epoch given as a JSON number (integer or not) or a
// numeric string; null, "" and anything else non-numeric count as zero.
type flexInt struct{ n int64 }

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	f.n = 0
	if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
		f.n = n
	} else if x, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && x > -9e18 && x < 9e18 {
		f.n = int64(x)
	}
	return nil
}
