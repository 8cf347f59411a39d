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

// DecodeListing decodes Reddit Listings, Things and bare submission or
// comment objects from r (see the package documentation for the layouts and
// fields).
func DecodeListing(r io.Reader) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		for raw := range collector.JSONValues(r) {
			if raw.Err != nil {
				if !yield(collector.Item{Line: raw.Line, Err: fmt.Errorf("reddit: %w", raw.Err)}) {
					return
				}
				continue
			}
			entries, err := flatten(raw.Data)
			if err != nil {
				entries = []entry{{err: err}}
			}
			for _, e := range entries {
				it := collector.Item{Line: raw.Line, Err: e.err}
				if e.err == nil {
					it = item(e.kind, e.raw, raw.Line)
				} else {
					it.Err = fmt.Errorf("reddit: %w", e.err)
				}
				if !yield(it) {
					return
				}
			}
		}
	}
}

// item turns the data of one submission or comment into an item.
func item(kind string, data []byte, line int) collector.Item {
	it := collector.Item{Line: line}
	var t thing
	if err := json.Unmarshal(data, &t); err != nil {
		it.Err = fmt.Errorf("reddit: malformed %s: %v", kind, err)
		return it
	}
	id := strings.TrimSpace(t.Name)
	if id == "" && strings.TrimSpace(t.ID) != "" {
		id = kind + "_" + strings.TrimSpace(t.ID)
	}
	if id == "" {
		it.Err = fmt.Errorf("reddit: %s has no name or id", kind)
		return it
	}
	text := t.Selftext
	if kind == "t1" {
		text = t.Body
	}
	if tx := deref(text); tx == "[deleted]" || tx == "[removed]" || kind == "t3" && t.RemovedByCategory != "" {
		it.Delete = &post.Ref{ID: post.MakeID(post.Reddit, id), Source: post.Reddit, NativeID: id}
		return it
	}
	p, err := makePost(kind, id, data, &t)
	if err != nil {
		it.Err = fmt.Errorf("reddit: %s: %w", id, err)
		return it
	}
	it.Post = p
	return it
}

func makePost(kind, id string, data []byte, t *thing) (*post.Post, error) {
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
	if pl := strings.TrimSpace(t.Permalink); strings.HasPrefix(pl, "/") {
		p.URL = siteURL + pl
	} else if strings.HasPrefix(pl, "https://") {
		p.URL = pl
	}
	if a := strings.TrimSpace(t.Author); a != "" && a != "[deleted]" {
		p.Author = post.Author{ID: t.AuthorFullname, Handle: a, URL: userURL + a}
	}
	if t.Edited.ok && t.Edited.v > 1 {
		if e, err := epoch(t.Edited); err == nil {
			p.EditedAt = e
			p.Revision = e.Unix()
		}
	}
	if kind == "t1" {
		p.Text = post.UnescapeEntities(deref(t.Body))
		if pid := strings.TrimSpace(t.ParentID); pid != "" {
			p.ReplyTo = post.MakeID(post.Reddit, pid)
		}
		p.Links = textLinks(p.Text)
	} else {
		p.Text = post.UnescapeEntities(deref(t.Title))
		if body := post.UnescapeEntities(deref(t.Selftext)); strings.TrimSpace(body) != "" {
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
		p.Links = append(p.Links, textLinks(post.UnescapeEntities(deref(t.Selftext)))...)
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
