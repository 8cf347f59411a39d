package reddit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

const (
	siteURL = "https://www.reddit.com"
	userURL = "https://www.reddit.com/user/"

	maxEpoch = 253402300799 // 9999-12-31T23:59:59Z
)

// thing is the data of a t3 (submission) or t1 (comment).
type thing struct {
	ID                string      `json:"id"`
	Name              string      `json:"name"`
	Author            string      `json:"author"`
	AuthorFullname    string      `json:"author_fullname"`
	Title             *string     `json:"title"`
	Selftext          *string     `json:"selftext"`
	Body              *string     `json:"body"`
	URL               string      `json:"url"`
	URLOverridden     string      `json:"url_overridden_by_dest"`
	Permalink         string      `json:"permalink"`
	CreatedUTC        flexFloat   `json:"created_utc"`
	Edited            flexFloat   `json:"edited"`
	Score             flexFloat   `json:"score"`
	NumComments       flexFloat   `json:"num_comments"`
	ParentID          string      `json:"parent_id"`
	Subreddit         string      `json:"subreddit"`
	LinkID            string      `json:"link_id"`
	IsSelf            bool        `json:"is_self"`
	IsVideo           bool        `json:"is_video"`
	IsGallery         bool        `json:"is_gallery"`
	PostHint          string      `json:"post_hint"`
	RemovedByCategory string      `json:"removed_by_category"`
	CrosspostParent   string      `json:"crosspost_parent"`
	Preview           *preview    `json:"preview"`
	Media             *mediaEmbed `json:"media"`
	SecureMedia       *mediaEmbed `json:"secure_media"`
	MediaMetadata     map[string]struct {
		S struct {
			U   string `json:"u"`
			GIF string `json:"gif"`
			MP4 string `json:"mp4"`
		} `json:"s"`
	} `json:"media_metadata"`
	GalleryData *struct {
		Items []struct {
			MediaID string `json:"media_id"`
		} `json:"items"`
	} `json:"gallery_data"`
	Replies json.RawMessage `json:"replies"`
}

type preview struct {
	Images []struct {
		Source struct {
			URL string `json:"url"`
		} `json:"source"`
	} `json:"images"`
}

type mediaEmbed struct {
	RedditVideo *struct {
		FallbackURL string `json:"fallback_url"`
	} `json:"reddit_video"`
}

// DecodeListing decodes Reddit Listings, Things, /api/morechildren answers
// and bare submission or comment objects from r (see the package
// documentation for the layouts and fields). It reads every record with one
// [ListingRecords] decoder.
func DecodeListing(r io.Reader) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		for it := range collector.DecodeRecords(r, "reddit", ListingRecords()) {
			if !yield(it) {
				return
			}
		}
	}
}

// ListingRecords returns a [collector.RecordFunc] that decodes one Reddit
// JSON record (a Listing, a Thing, an /api/morechildren answer, a bare
// submission or comment, or an array of these) of one input. It keeps the
// submission of a one-post Listing until the next record, so that the
// /comments/<id> endpoint's pair of Listings, which [collector.JSONValues]
// yields as two records, gives the thread's Expect (see the package
// documentation). Each input needs a new one.
func ListingRecords() collector.RecordFunc {
	d := &decoder{}
	return d.record
}

// decoder is the state of one input.
type decoder struct {
	// thread is the submission of the previous record when that record was
	// a Listing holding it alone: the first half of a /comments/<id> answer.
	thread *thread
}

type thread struct {
	name     string // fullname of the submission
	comments int64  // its num_comments
	line     int
}

// maxArrayDepth bounds the arrays nested in arrays a record may be.
const maxArrayDepth = 8

func (d *decoder) record(line int, data []byte, yield func(collector.Item) bool) bool {
	return d.value(line, data, yield, 0)
}

func (d *decoder) value(line int, data []byte, yield func(collector.Item) bool, depth int) bool {
	fail := func(err error) bool {
		d.thread = nil
		return yield(collector.Item{Line: line, Err: fmt.Errorf("reddit: %w", err)})
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		// JSONValues unwraps the top-level array; one nested deeper (an
		// array of /comments/<id> answers) is read element by element.
		var elems []json.RawMessage
		if err := json.Unmarshal(data, &elems); err != nil {
			return fail(fmt.Errorf("malformed array: %v", err))
		}
		if depth >= maxArrayDepth {
			return fail(errors.New("arrays nested too deep"))
		}
		for _, e := range elems {
			if !d.value(line, e, yield, depth+1) {
				return false
			}
		}
		return true
	}
	rec, err := flatten(data)
	if err != nil {
		return fail(err)
	}
	pending := d.thread
	d.thread = nil

	things := make([]*thing, len(rec.entries))
	for i, e := range rec.entries {
		if e.err != nil {
			continue
		}
		var t thing
		if err := json.Unmarshal(e.raw, &t); err != nil {
			rec.entries[i].err = fmt.Errorf("malformed %s: %v", e.kind, err)
			continue
		}
		things[i] = &t
	}
	if pending != nil && rec.kind == "Listing" && commentsOf(rec, things, pending.name) {
		ex := &collector.Expect{Posts: pending.comments + 1, Field: "num_comments"}
		if !yield(collector.Item{Line: pending.line, Expect: ex}) {
			return false
		}
	}
	if rec.kind == "Listing" && len(rec.entries) == 1 && rec.entries[0].kind == "t3" && things[0] != nil && things[0].NumComments.ok {
		t := things[0]
		if name := fullname("t3", t); name != "" {
			d.thread = &thread{name: name, comments: max(count(t.NumComments), 0), line: line}
		}
	}
	for i, e := range rec.entries {
		if e.err != nil {
			if !yield(collector.Item{Line: line, Err: fmt.Errorf("reddit: %w", e.err)}) {
				return false
			}
			continue
		}
		if !items(e.kind, e.raw, things[i], line, yield) {
			return false
		}
	}
	return true
}

// commentsOf reports whether the Listing rec is the comment tree of the
// submission named name: it holds comments or "more" stubs and nothing else,
// and no comment names another submission in link_id.
func commentsOf(rec record, things []*thing, name string) bool {
	if len(rec.entries) == 0 && rec.mores == 0 {
		return false
	}
	for i, e := range rec.entries {
		if e.kind != "t1" {
			return false
		}
		if t := things[i]; t != nil && t.LinkID != "" && t.LinkID != name {
			return false
		}
	}
	return true
}

// fullname returns the "name" of a Thing, else kind + "_" + id, else "".
func fullname(kind string, t *thing) string {
	id := strings.TrimSpace(t.Name)
	if id == "" && strings.TrimSpace(t.ID) != "" {
		id = kind + "_" + strings.TrimSpace(t.ID)
	}
	return id
}

// items yields the items of one submission or comment: a Post, or for a
// deleted one what is left of it as a Post (when that is enough for one)
// followed by a Delete.
func items(kind string, data []byte, t *thing, line int, yield func(collector.Item) bool) bool {
	id := fullname(kind, t)
	if id == "" {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("reddit: %s has no name or id", kind)})
	}
	text := t.Selftext
	if kind == "t1" {
		text = t.Body
	}
	tx := deref(text)
	deleted := tx == "[deleted]" || tx == "[removed]" || kind == "t3" && t.RemovedByCategory != ""
	p, err := makePost(kind, id, data, t, deleted)
	if deleted {
		// What is left (time, place in the thread, score) keeps the
		// thread whole; without a time there is no post, only the notice.
		if err == nil && !yield(collector.Item{Line: line, Post: p}) {
			return false
		}
		return yield(collector.Item{Line: line, Delete: &post.Ref{ID: post.MakeID(post.Reddit, id), Source: post.Reddit, NativeID: id}})
	}
	if err != nil {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("reddit: %s: %w", id, err)})
	}
	return yield(collector.Item{Line: line, Post: p})
}

// makePost builds the post of a submission or comment. For a deleted one
// (deleted) the text its author wrote is gone: a comment keeps no text, a
// submission only its title.
func makePost(kind, id string, data []byte, t *thing, deleted bool) (*post.Post, error) {
	created, err := epoch(t.CreatedUTC)
	if err != nil {
		return nil, fmt.Errorf("created_utc: %w", err)
	}
	p := &post.Post{
		ID:        post.MakeID(post.Reddit, id),
		Source:    post.Reddit,
		NativeID:  id,
		CreatedAt: created,
		Metrics:   post.Metrics{Likes: count(t.Score)},
	}
	p.URL = permalink(kind, id, t)
	if a := strings.TrimSpace(t.Author); a != "" && a != "[deleted]" {
		p.Author = post.Author{ID: t.AuthorFullname, Handle: a, URL: userURL + a}
	}
	if t.Edited.ok && t.Edited.v > 1 {
		if e, err := epoch(t.Edited); err == nil {
			p.EditedAt = e
			p.Revision = e.Unix()
		}
	}
	selftext := deref(t.Selftext)
	if deleted {
		selftext = ""
	}
	if kind == "t1" {
		if !deleted {
			p.Text = post.UnescapeEntities(deref(t.Body))
		}
		if pid := strings.TrimSpace(t.ParentID); pid != "" {
			p.ReplyTo = post.MakeID(post.Reddit, pid)
		}
		p.Links = textLinks(p.Text)
	} else {
		p.Text = post.UnescapeEntities(deref(t.Title))
		if body := post.UnescapeEntities(selftext); strings.TrimSpace(body) != "" {
			if p.Text != "" {
				p.Text += "\n\n"
			}
			p.Text += body
		}
		p.Metrics.Replies = count(t.NumComments)
		p.Media = media(t)
		if l := link(t, p.URL); l != "" {
			p.Links = append(p.Links, l)
		}
		p.Links = append(p.Links, textLinks(post.UnescapeEntities(selftext))...)
		if cp := strings.TrimSpace(t.CrosspostParent); cp != "" {
			p.QuoteOf = post.MakeID(post.Reddit, cp)
		}
	}
	p.Raw = data
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// permalink returns the address of a submission or comment: its
// "permalink", else one built the way Reddit routes them, which pre-2017
// comments need (they carry no permalink):
// https://www.reddit.com/r/<subreddit>/comments/<submission id>/_/<comment id>/
// for a comment ("_" stands for the title slug, which Reddit ignores) and
// https://www.reddit.com/r/<subreddit>/comments/<id>/ for a submission;
// without a subreddit the path starts at /comments/. A comment without
// link_id, or ids that are not base-36, give no address.
func permalink(kind, fullname string, t *thing) string {
	pl := strings.TrimSpace(t.Permalink)
	switch {
	case strings.HasPrefix(pl, "/"):
		return siteURL + pl
	case strings.HasPrefix(pl, "https://"):
		return pl
	}
	base := strings.TrimPrefix(fullname, kind+"_")
	if !isBase36(base) {
		return ""
	}
	u := siteURL
	if sub := strings.TrimSpace(t.Subreddit); subredditRE.MatchString(sub) && !strings.Contains(sub, "+") {
		u += "/r/" + sub
	}
	if kind == "t3" {
		return u + "/comments/" + base + "/"
	}
	link := strings.TrimPrefix(strings.TrimSpace(t.LinkID), "t3_")
	if !isBase36(link) {
		return ""
	}
	return u + "/comments/" + link + "/_/" + base + "/"
}

// isBase36 reports whether s is a non-empty Reddit id (digits and lower-case letters).
func isBase36(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// link returns the target of a link post, or "" for a self post and for
// media hosted by Reddit (which go to Media).
func link(t *thing, permalinkURL string) string {
	if t.IsSelf || t.IsVideo || t.IsGallery || t.PostHint == "image" || t.PostHint == "hosted:video" {
		return ""
	}
	u := strings.TrimSpace(post.UnescapeEntities(t.URLOverridden))
	if u == "" {
		u = strings.TrimSpace(post.UnescapeEntities(t.URL))
	}
	if strings.HasPrefix(u, "/") { // a crosspost names the original's permalink
		u = siteURL + u
	}
	if !isHTTP(u) || strings.TrimSuffix(u, "/") == strings.TrimSuffix(permalinkURL, "/") {
		return ""
	}
	return u
}

func media(t *thing) []string {
	var out []string
	if t.PostHint == "image" {
		if u := post.UnescapeEntities(strings.TrimSpace(t.URL)); isHTTP(u) {
			out = append(out, u)
		} else if t.Preview != nil && len(t.Preview.Images) > 0 {
			out = append(out, post.UnescapeEntities(t.Preview.Images[0].Source.URL))
		}
	}
	if t.IsVideo {
		for _, m := range []*mediaEmbed{t.Media, t.SecureMedia} {
			if m != nil && m.RedditVideo != nil && m.RedditVideo.FallbackURL != "" {
				out = append(out, post.UnescapeEntities(m.RedditVideo.FallbackURL))
				break
			}
		}
	}
	if t.GalleryData != nil {
		for _, g := range t.GalleryData.Items {
			m, ok := t.MediaMetadata[g.MediaID]
			if !ok {
				continue
			}
			for _, u := range []string{m.S.U, m.S.GIF, m.S.MP4} {
				if u != "" {
					out = append(out, post.UnescapeEntities(u))
					break
				}
			}
		}
	}
	return out
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"'\[\]()]+`)

// textLinks returns the http(s) URLs written in Markdown text.
func textLinks(s string) []string {
	if !strings.Contains(s, "http") {
		return nil
	}
	var out []string
	for _, u := range urlRE.FindAllString(s, -1) {
		u = strings.TrimRight(u, ".,;:!?*_~`\\")
		if len(u) > len("https://") {
			out = append(out, u)
		}
	}
	return out
}

func isHTTP(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

func epoch(f flexFloat) (time.Time, error) {
	if !f.ok {
		return time.Time{}, errors.New("missing")
	}
	if f.v <= 0 || f.v > maxEpoch || math.IsNaN(f.v) {
		return time.Time{}, fmt.Errorf("%v is out of range", f.v)
	}
	sec, frac := math.Modf(f.v)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC(), nil
}

func count(f flexFloat) int64 {
	if !f.ok || math.IsNaN(f.v) || f.v > 9e18 || f.v < -9e18 {
		return 0
	}
	return int64(f.v)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// flexFloat is a JSON number or numeric string; ok is false for null,
// booleans and anything else.
type flexFloat struct {
	v  float64
	ok bool
}

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	f.v, f.ok = 0, false
	if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
		f.v, f.ok = v, true
	}
	return nil
}
