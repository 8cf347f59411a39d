package bluesky

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// Lexicon types of the AppView views the decoder tells apart.
const (
	typeThreadViewPost = "app.bsky.feed.defs#threadViewPost"
	typeNotFoundPost   = "app.bsky.feed.defs#notFoundPost"
	typeBlockedPost    = "app.bsky.feed.defs#blockedPost"
	typeRecordView     = "app.bsky.embed.record#view"
	typeRecordMedia    = "app.bsky.embed.recordWithMedia#view"
	typeViewRecord     = "app.bsky.embed.record#viewRecord"
)

// maxQuoteDepth bounds how deeply quoted posts inside quoted posts are
// followed.
const maxQuoteDepth = 2

// DecodeAppView reads responses of the Bluesky AppView
// (https://public.api.bsky.app/xrpc/…) as a client saves them:
// app.bsky.feed.getPostThread ({thread}), app.bsky.unspecced.getPostThreadV2
// ({thread: [items]}), app.bsky.feed.searchPosts and getPosts ({posts}),
// getAuthorFeed, getTimeline, getFeed and getListFeed ({feed}), single post
// views, feed items or thread views, or JSON Lines or arrays of them. Every
// post view yields a post, with the same id as the post read from
// Jetstream; posts a view embeds (a thread's parents and replies, a feed
// item's reply root and parent, quoted posts) are yielded too, each post
// once per record. Posts not found or blocked are skipped.
func DecodeAppView(r io.Reader) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, "appview", AppViewRecords())
}

// AppViewRecords returns the per-record decoder of [DecodeAppView]. It keeps
// no state across records.
func AppViewRecords() collector.RecordFunc {
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		a := &appView{line: max(line, 1), seen: map[string]bool{}, yield: yield}
		return a.record(data)
	}
}

// appView decodes one record of an AppView response.
type appView struct {
	line  int
	seen  map[string]bool // ids of the posts yielded for this record
	yield func(collector.Item) bool
}

func (a *appView) fail(format string, args ...any) bool {
	return a.yield(collector.Item{Line: a.line, Err: fmt.Errorf("appview: "+format, args...)})
}

// profile is an app.bsky.actor.defs#profileViewBasic.
type profile struct {
	Did         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

// postView is an app.bsky.feed.defs#postView or an
// app.bsky.embed.record#viewRecord (whose record is in value, its embeds in
// embeds), or one of the notFound/blocked stand-ins.
type postView struct {
	Type        string            `json:"$type"`
	URI         string            `json:"uri"`
	Author      profile           `json:"author"`
	Record      json.RawMessage   `json:"record"`
	Value       json.RawMessage   `json:"value"`
	Embed       json.RawMessage   `json:"embed"`
	Embeds      []json.RawMessage `json:"embeds"`
	ReplyCount  int64             `json:"replyCount"`
	RepostCount int64             `json:"repostCount"`
	LikeCount   int64             `json:"likeCount"`
	QuoteCount  int64             `json:"quoteCount"`
	IndexedAt   string            `json:"indexedAt"`
	NotFound    bool              `json:"notFound"`
	Blocked     bool              `json:"blocked"`
}

// threadNode is an app.bsky.feed.defs#threadViewPost (or a stand-in), or an
// app.bsky.unspecced.getPostThreadV2 item ({uri, depth, value}).
type threadNode struct {
	Type    string            `json:"$type"`
	Post    json.RawMessage   `json:"post"`
	Parent  json.RawMessage   `json:"parent"`
	Replies []json.RawMessage `json:"replies"`
	Value   json.RawMessage   `json:"value"`
}

// feedItem is an app.bsky.feed.defs#feedViewPost. Its reason (a repost or
// a pin) is not read: a repost is no post of its own, as in Jetstream.
type feedItem struct {
	Post  json.RawMessage `json:"post"`
	Reply *struct {
		Root   json.RawMessage `json:"root"`
		Parent json.RawMessage `json:"parent"`
	} `json:"reply"`
}

// record yields the items of one JSON record.
func (a *appView) record(data []byte) bool {
	if len(data) == 0 || data[0] != '{' {
		return a.fail("record is not a JSON object")
	}
	var top struct {
		Type    string          `json:"$type"`
		Thread  json.RawMessage `json:"thread"`
		Posts   json.RawMessage `json:"posts"`
		Feed    json.RawMessage `json:"feed"`
		Post    json.RawMessage `json:"post"`
		URI     string          `json:"uri"`
		Record  json.RawMessage `json:"record"`
		Value   json.RawMessage `json:"value"`
		Error   string          `json:"error"`
		Message string          `json:"message"`
	}
	if err := unmarshal(data, &top); err != nil {
		return a.fail("record: %v", err)
	}
	switch {
	case !isNull(top.Thread):
		if top.Thread[0] == '[' {
			return a.list("thread", top.Thread, a.threadItem)
		}
		return a.thread(top.Thread)
	case !isNull(top.Feed):
		return a.list("feed", top.Feed, a.feedItem)
	case !isNull(top.Posts):
		return a.list("posts", top.Posts, func(raw json.RawMessage) bool { return a.post(raw, 0) })
	case top.Type == typeThreadViewPost:
		return a.thread(data)
	case !isNull(top.Post):
		return a.feedItem(data)
	case strings.HasPrefix(top.URI, "at://") && (!isNull(top.Record) || !isNull(top.Value)),
		top.Type == typeNotFoundPost, top.Type == typeBlockedPost:
		return a.post(data, 0)
	case !isNull(top.Value):
		return a.threadItem(data)
	case top.Error != "":
		return a.fail("XRPC error %s: %s", top.Error, top.Message)
	case top.Thread != nil || top.Feed != nil || top.Posts != nil:
		return true // null: nothing found
	default:
		return a.fail("record is neither an AppView response (thread, feed, posts) nor a post view")
	}
}

// list calls each on the elements of the JSON array raw, the value of key.
func (a *appView) list(key string, raw json.RawMessage, each func(json.RawMessage) bool) bool {
	var es []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &es) != nil {
		return a.fail("%q is not an array", key)
	}
	for _, e := range es {
		if !each(e) {
			return false
		}
	}
	return true
}

// thread yields the posts of a threadViewPost: its parents, oldest first,
// then itself and its replies depth first.
func (a *appView) thread(raw json.RawMessage) bool {
	var n threadNode
	if err := readNode(raw, &n); err != nil {
		return a.fail("thread: %v", err)
	}
	var parents []json.RawMessage
	for up := n.Parent; !isNull(up); {
		var p threadNode
		if err := readNode(up, &p); err != nil {
			if !a.fail("thread parent: %v", err) {
				return false
			}
			break
		}
		if p.Post != nil {
			parents = append(parents, p.Post)
		}
		up = p.Parent
	}
	for i := len(parents) - 1; i >= 0; i-- {
		if !a.post(parents[i], 0) {
			return false
		}
	}
	stack := []threadNode{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Post != nil && !a.post(n.Post, 0) {
			return false
		}
		for i := len(n.Replies) - 1; i >= 0; i-- {
			var r threadNode
			if err := readNode(n.Replies[i], &r); err != nil {
				if !a.fail("thread reply: %v", err) {
					return false
				}
				continue
			}
			r.Parent = nil // a reply's parent is the node above, read already
			stack = append(stack, r)
		}
	}
	return true
}

// readNode reads a thread node. A node that is not found or blocked comes
// back without a post; a threadViewPost without a post is an error.
func readNode(raw json.RawMessage, n *threadNode) error {
	if len(raw) == 0 || raw[0] != '{' {
		return fmt.Errorf("node is not a JSON object")
	}
	if err := unmarshal(raw, n); err != nil {
		return err
	}
	switch {
	case n.Type == typeNotFoundPost || n.Type == typeBlockedPost:
		n.Post = nil
	case isNull(n.Post):
		var stub struct {
			NotFound bool `json:"notFound"`
			Blocked  bool `json:"blocked"`
		}
		_ = unmarshal(raw, &stub)
		if !stub.NotFound && !stub.Blocked {
			return fmt.Errorf("node of type %q has no post", n.Type)
		}
		n.Post = nil
	}
	return nil
}

// threadItem yields the post of a getPostThreadV2 item,
// {uri, depth, value: {$type: app.bsky.unspecced.defs#threadItemPost, post}};
// the other item kinds (not found, blocked, hidden replies) hold none.
func (a *appView) threadItem(raw json.RawMessage) bool {
	var it struct {
		Value *struct {
			Type string          `json:"$type"`
			Post json.RawMessage `json:"post"`
		} `json:"value"`
	}
	if len(raw) == 0 || raw[0] != '{' || unmarshal(raw, &it) != nil {
		return a.fail("thread item is not a JSON object")
	}
	if it.Value == nil || isNull(it.Value.Post) {
		return true
	}
	return a.post(it.Value.Post, 0)
}

// feedItem yields the post of a feedViewPost, then the parent and root of
// the thread it answers.
func (a *appView) feedItem(raw json.RawMessage) bool {
	var it feedItem
	if len(raw) == 0 || raw[0] != '{' {
		return a.fail("feed item is not a JSON object")
	}
	if err := unmarshal(raw, &it); err != nil {
		return a.fail("feed item: %v", err)
	}
	if isNull(it.Post) {
		return a.fail("feed item has no post")
	}
	if !a.post(it.Post, 0) {
		return false
	}
	if it.Reply != nil {
		for _, p := range []json.RawMessage{it.Reply.Parent, it.Reply.Root} {
			if !isNull(p) && !a.post(p, 0) {
				return false
			}
		}
	}
	return true
}

// post yields the post of a postView (or viewRecord), then the posts it
// quotes.
func (a *appView) post(raw json.RawMessage, depth int) bool {
	if len(raw) == 0 || raw[0] != '{' {
		return a.fail("post view is not a JSON object")
	}
	var v postView
	if err := unmarshal(raw, &v); err != nil {
		return a.fail("post view: %v", err)
	}
	if v.NotFound || v.Blocked || v.Type == typeNotFoundPost || v.Type == typeBlockedPost {
		return true
	}
	did, rkey, ok := splitPostURI(v.URI)
	if !ok {
		return a.fail("post view has no at:// URI of a post (%q)", v.URI)
	}
	rec := v.Record
	if isNull(rec) {
		rec = v.Value
	}
	indexed, _ := time.Parse(time.RFC3339Nano, v.IndexedAt)
	p, err := recordPost(did, rkey, rec, indexed.UTC(), "indexedAt")
	if err != nil {
		return a.fail("%v", err)
	}
	if a.seen[p.ID] {
		return true
	}
	a.seen[p.ID] = true
	if h := v.Author.Handle; h != "handle.invalid" {
		p.Author.Handle = h
	}
	p.Author.Name = strings.TrimSpace(v.Author.DisplayName)
	p.Metrics = post.Metrics{
		Likes:   max(v.LikeCount, 0),
		Reposts: max(v.RepostCount, 0),
		Replies: max(v.ReplyCount, 0),
		Quotes:  max(v.QuoteCount, 0),
	}
	p.Raw = bytes.Clone(raw)
	p.Normalize()
	if err := p.Validate(); err != nil {
		return a.fail("post %s: %v", p.NativeID, err)
	}
	if !a.yield(collector.Item{Line: a.line, Post: p}) {
		return false
	}
	if depth >= maxQuoteDepth {
		return true
	}
	embeds := v.Embeds
	if !isNull(v.Embed) {
		embeds = append([]json.RawMessage{v.Embed}, embeds...)
	}
	for _, e := range embeds {
		if q := quotedView(e); q != nil && !a.post(q, depth+1) {
			return false
		}
	}
	return true
}

// quotedView returns the viewRecord of the post an embed view quotes, or nil
// (no quote, or a quote of something that is not a readable post: a feed
// generator, a list, a post not found, blocked or detached).
func quotedView(raw json.RawMessage) json.RawMessage {
	var e struct {
		Type   string          `json:"$type"`
		Record json.RawMessage `json:"record"`
	}
	if len(raw) == 0 || raw[0] != '{' || unmarshal(raw, &e) != nil || isNull(e.Record) || e.Record[0] != '{' {
		return nil
	}
	inner := e.Record
	switch e.Type {
	case typeRecordView:
	case typeRecordMedia:
		var rm struct {
			Record json.RawMessage `json:"record"`
		}
		if unmarshal(e.Record, &rm) != nil || isNull(rm.Record) || rm.Record[0] != '{' {
			return nil
		}
		inner = rm.Record
	default:
		return nil
	}
	var vr struct {
		Type string `json:"$type"`
		URI  string `json:"uri"`
	}
	if unmarshal(inner, &vr) != nil || vr.Type != typeViewRecord {
		return nil
	}
	if _, _, ok := splitPostURI(vr.URI); !ok {
		return nil
	}
	return inner
}

// splitPostURI splits at://<did>/app.bsky.feed.post/<rkey>.
func splitPostURI(uri string) (did, rkey string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "at://")
	if !ok {
		return "", "", false
	}
	did, rkey, ok = strings.Cut(rest, "/"+PostCollection+"/")
	if !ok || !strings.HasPrefix(did, "did:") || strings.ContainsAny(did, "/?# ") ||
		rkey == "" || strings.ContainsAny(rkey, "/?# ") {
		return "", "", false
	}
	return did, rkey, true
}

// isNull reports whether a raw JSON value is absent or null.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}
