package bluesky

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// PostCollection is the NSID of Bluesky post records.
const PostCollection = "app.bsky.feed.post"

// DecodeJetstream reads Bluesky Jetstream v1 events, one JSON object per
// line. Commits to app.bsky.feed.post yield posts (create, update) and
// deletion notices (delete); identity events teach the handles of the DIDs
// that follow; every other event is skipped.
func DecodeJetstream(r io.Reader) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, "jetstream", JetstreamRecords())
}

// JetstreamRecords returns the per-record decoder of [DecodeJetstream]: one
// record is one event. It remembers the handles that the identity events
// of its input teach (did → handle), so each input needs its own.
func JetstreamRecords() collector.RecordFunc {
	handles := map[string]string{} // did → handle, from identity events seen so far
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		if len(handles) > maxHandles {
			clear(handles)
		}
		it, ok := decodeEvent(data, handles)
		if !ok {
			return true
		}
		it.Line = max(line, 1)
		return yield(it)
	}
}

// event is a Jetstream v1 event.
type event struct {
	Did      string  `json:"did"`
	TimeUS   int64   `json:"time_us"`
	Kind     string  `json:"kind"`
	Commit   *commit `json:"commit"`
	Identity *struct {
		Did    string  `json:"did"`
		Handle *string `json:"handle"`
	} `json:"identity"`
}

type commit struct {
	Rev        string          `json:"rev"`
	Operation  string          `json:"operation"`
	Collection string          `json:"collection"`
	Rkey       string          `json:"rkey"`
	Record     json.RawMessage `json:"record"`
	Cid        string          `json:"cid"`
}

// record is an app.bsky.feed.post record.
type record struct {
	Text      string   `json:"text"`
	CreatedAt string   `json:"createdAt"`
	Langs     []string `json:"langs"`
	Tags      []string `json:"tags"`
	Reply     *struct {
		Parent struct {
			URI string `json:"uri"`
		} `json:"parent"`
	} `json:"reply"`
	Facets []struct {
		Features []struct {
			Type string `json:"$type"`
			Tag  string `json:"tag"`
			Did  string `json:"did"`
			URI  string `json:"uri"`
		} `json:"features"`
	} `json:"facets"`
	Embed *embed `json:"embed"`
}

// embed is any of the app.bsky.embed.* unions.
type embed struct {
	Type   string `json:"$type"`
	Images []struct {
		Image blob `json:"image"`
	} `json:"images"` // images
	Video    *blob `json:"video"` // video
	External *struct {
		URI string `json:"uri"`
	} `json:"external"` // external
	Record *struct {
		URI    string `json:"uri"`
		Record *struct {
			URI string `json:"uri"`
		} `json:"record"`
	} `json:"record"` // record: {uri, cid}; recordWithMedia: {record: {uri, cid}}
	Media *embed `json:"media"` // recordWithMedia
}

// blob is a blob reference, in the current ({ref: {$link}}) or the legacy
// ({cid}) form.
type blob struct {
	Ref struct {
		Link string `json:"$link"`
	} `json:"ref"`
	Cid string `json:"cid"`
}

func (b *blob) cid() string {
	if b.Ref.Link != "" {
		return b.Ref.Link
	}
	return b.Cid
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

// decodeEvent turns one event into an item; ok is false when the event is
// skipped.
func decodeEvent(data []byte, handles map[string]string) (it collector.Item, ok bool) {
	fail := func(format string, args ...any) (collector.Item, bool) {
		return collector.Item{Err: fmt.Errorf("jetstream: "+format, args...)}, true
	}
	if len(data) == 0 || data[0] != '{' {
		return fail("event is not a JSON object")
	}
	var ev event
	if err := unmarshal(data, &ev); err != nil {
		return fail("event: %v", err)
	}
	switch ev.Kind {
	case "commit":
	case "identity":
		if ev.Identity != nil {
			did := ev.Identity.Did
			if did == "" {
				did = ev.Did
			}
			if h := ev.Identity.Handle; h != nil && *h != "" && *h != "handle.invalid" {
				handles[did] = *h
			} else {
				delete(handles, did)
			}
		}
		return collector.Item{}, false
	case "":
		return fail("event has no kind")
	default: // account and kinds added later
		return collector.Item{}, false
	}
	c := ev.Commit
	if c == nil || c.Collection == "" {
		return fail("commit event has no commit collection")
	}
	if c.Collection != PostCollection {
		return collector.Item{}, false // likes, reposts, follows, profiles, other lexicons
	}
	if !strings.HasPrefix(ev.Did, "did:") || strings.ContainsAny(ev.Did, "/?# ") {
		return fail("post commit has no valid did (%q)", ev.Did)
	}
	if c.Rkey == "" || strings.ContainsAny(c.Rkey, "/?# ") {
		return fail("post commit by %s has no valid rkey (%q)", ev.Did, c.Rkey)
	}
	nativeID := "at://" + ev.Did + "/" + PostCollection + "/" + c.Rkey
	var seen time.Time // when the event was emitted
	if ev.TimeUS > 0 {
		seen = time.UnixMicro(ev.TimeUS).UTC()
	}

	switch c.Operation {
	case "delete":
		return collector.Item{Delete: &post.Ref{
			ID:       post.MakeID(post.Bluesky, nativeID),
			Source:   post.Bluesky,
			NativeID: nativeID,
			At:       seen,
		}}, true
	case "create", "update":
	default:
		return fail("post commit %s has unknown operation %q", nativeID, c.Operation)
	}

	if len(c.Record) == 0 || c.Record[0] != '{' {
		return fail("post %s: %s commit has no record", nativeID, c.Operation)
	}
	p, err := recordPost(ev.Did, c.Rkey, c.Record, seen, "time_us")
	if err != nil {
		return fail("%v", err)
	}
	p.Author.Handle = handles[ev.Did]
	p.Raw = bytes.Clone(data)
	if c.Operation == "update" {
		// An update is a new version; the create is version 0, as the
		// same post read from the AppView is.
		p.EditedAt = seen
		p.Revision = max(ev.TimeUS, 0)
	}
	if err := p.Validate(); err != nil {
		return fail("post %s: %v", p.NativeID, err)
	}
	return collector.Item{Post: p}, true
}

// recordPost maps the app.bsky.feed.post record data of did's record rkey
// onto a post (without Raw, handle or revision). fallback stands in for a
// missing or unparsable createdAt; fallbackName names it in errors.
func recordPost(did, rkey string, data []byte, fallback time.Time, fallbackName string) (*post.Post, error) {
	nativeID := "at://" + did + "/" + PostCollection + "/" + rkey
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("post %s has no record", nativeID)
	}
	var rec record
	if err := unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("post %s: record: %v", nativeID, err)
	}
	p := &post.Post{
		ID:       post.MakeID(post.Bluesky, nativeID),
		Source:   post.Bluesky,
		NativeID: nativeID,
		URL:      "https://bsky.app/profile/" + did + "/post/" + rkey,
		Author: post.Author{
			ID:  did,
			URL: "https://bsky.app/profile/" + did,
		},
		Text: rec.Text,
	}
	if len(rec.Langs) > 0 {
		p.Lang = rec.Langs[0]
	}
	if t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err == nil && !t.IsZero() {
		p.CreatedAt = t.UTC()
	} else {
		p.CreatedAt = fallback
	}
	if p.CreatedAt.IsZero() {
		if rec.CreatedAt == "" {
			return nil, fmt.Errorf("post %s has neither createdAt nor %s", nativeID, fallbackName)
		}
		return nil, fmt.Errorf("post %s: bad createdAt %q and no %s", nativeID, rec.CreatedAt, fallbackName)
	}
	if rec.Reply != nil {
		p.ReplyTo = postRef(rec.Reply.Parent.URI)
	}
	for _, f := range rec.Facets {
		for _, ft := range f.Features {
			switch ft.Type {
			case "app.bsky.richtext.facet#tag":
				p.Hashtags = append(p.Hashtags, strings.TrimPrefix(ft.Tag, "#"))
			case "app.bsky.richtext.facet#mention":
				p.Mentions = append(p.Mentions, ft.Did)
			case "app.bsky.richtext.facet#link":
				p.Links = append(p.Links, ft.URI)
			}
		}
	}
	for _, tag := range rec.Tags {
		p.Hashtags = append(p.Hashtags, strings.TrimPrefix(tag, "#"))
	}
	addEmbed(p, did, rec.Embed, 0)
	p.Normalize()
	return p, nil
}

// postRef returns the post id of an at:// URI of a post, or "" when uri
// names no post (a feed generator, a list, …).
func postRef(uri string) string {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok {
		return ""
	}
	did, rkey, ok := strings.Cut(rest, "/"+PostCollection+"/")
	if !ok || did == "" || rkey == "" || strings.Contains(rkey, "/") {
		return ""
	}
	return post.MakeID(post.Bluesky, uri)
}

// addEmbed adds what an embed contributes: the quoted post, links, media.
func addEmbed(p *post.Post, did string, e *embed, depth int) {
	if e == nil || depth > 1 {
		return
	}
	switch e.Type {
	case "app.bsky.embed.images":
		for _, im := range e.Images {
			if cid := im.Image.cid(); validCID(cid) {
				p.Media = append(p.Media, "https://cdn.bsky.app/img/feed_fullsize/plain/"+did+"/"+cid+"@jpeg")
			}
		}
	case "app.bsky.embed.video":
		if e.Video != nil {
			if cid := e.Video.cid(); validCID(cid) {
				p.Media = append(p.Media, "https://video.bsky.app/watch/"+url.PathEscape(did)+"/"+cid+"/playlist.m3u8")
			}
		}
	case "app.bsky.embed.external":
		if e.External != nil {
			p.Links = append(p.Links, e.External.URI)
		}
	case "app.bsky.embed.record":
		if e.Record != nil {
			p.QuoteOf = postRef(e.Record.URI)
		}
	case "app.bsky.embed.recordWithMedia":
		if e.Record != nil && e.Record.Record != nil {
			p.QuoteOf = postRef(e.Record.Record.URI)
		}
		addEmbed(p, did, e.Media, depth+1)
	}
}

// validCID reports whether s looks like a CID that can be placed in a URL.
func validCID(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
