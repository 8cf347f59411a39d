package mastodon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"slices"
	"strings"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// DecodeOutbox reads ActivityPub JSON as a Mastodon account export's
// outbox.json holds it: an OrderedCollection (or a page of one) whose
// orderedItems are Create activities wrapping Notes and Announce activities
// (boosts). It also takes single activities or objects, and JSON Lines of
// them. Create/Update of a Note, Question, Article or Page yields a post,
// Announce yields a boost, Delete yields a deletion notice; other activities
// (Like, Follow, …) are skipped. An export's collection also yields an
// Expect of its totalItems.
func DecodeOutbox(r io.Reader) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, "activitypub", OutboxRecords())
}

// DecodeOutboxFor is [DecodeOutbox] for an outbox whose owner is known:
// actor is what [ReadActor] read from the actor.json beside it. Posts and
// boosts attributed to actor.ID take the handle, name and profile URL that
// their attributedTo or actor alone does not tell (Mastodon 4.5 ids such as
// https://host/ap/users/<number> name no user).
func DecodeOutboxFor(r io.Reader, actor post.Author) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, "activitypub", OutboxRecordsFor(actor))
}

// OutboxRecords returns the per-record decoder of [DecodeOutbox].
func OutboxRecords() collector.RecordFunc {
	return OutboxRecordsFor(post.Author{})
}

// OutboxRecordsFor returns the per-record decoder of [DecodeOutboxFor].
func OutboxRecordsFor(actor post.Author) collector.RecordFunc {
	d := &outbox{actor: actor}
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		return d.record(data, line, 0, yield)
	}
}

// outbox decodes the records of one outbox.
type outbox struct {
	actor post.Author // the outbox's owner, when known (ID empty otherwise)
}

// ap is an ActivityStreams object read member by member, since most of its
// properties may be a string, an object or an array.
type ap struct {
	data []byte
	line int
	ms   []part
}

func readAP(data []byte, line int) (*ap, bool) {
	ms, ok := members(data, line)
	if !ok {
		return nil, false
	}
	return &ap{data: data, line: line, ms: ms}, true
}

// str returns the string value of property key, or "".
func (o *ap) str(key string) string {
	p := lookup(o.ms, key)
	if p == nil {
		return ""
	}
	return jsonString(p.data)
}

// typ returns the object's type (the first one when it has several).
func (o *ap) typ() string {
	p := lookup(o.ms, "type")
	if p == nil {
		return ""
	}
	if s := jsonString(p.data); s != "" {
		return s
	}
	es, _ := elements(p.data, p.line)
	for _, e := range es {
		if s := jsonString(e.data); s != "" {
			return s
		}
	}
	return ""
}

// ref returns the id a property names: the string itself, or the id (or
// href) of the object it holds, or that of the first element of an array.
func (o *ap) ref(key string) string {
	p := lookup(o.ms, key)
	if p == nil {
		return ""
	}
	return refOf(p.data, p.line, 0)
}

func refOf(data []byte, line, depth int) string {
	if s := jsonString(data); s != "" {
		return s
	}
	if depth > 2 {
		return ""
	}
	if o, ok := readAP(data, line); ok {
		if id := o.str("id"); id != "" {
			return id
		}
		return o.str("href")
	}
	es, _ := elements(data, line)
	for _, e := range es {
		if s := refOf(e.data, e.line, depth+1); s != "" {
			return s
		}
	}
	return ""
}

// list returns the elements of property key: the elements of an array, or
// the value itself.
func (o *ap) list(key string) []part {
	p := lookup(o.ms, key)
	if p == nil || isNull(p.data) {
		return nil
	}
	if es, ok := elements(p.data, p.line); ok {
		return es
	}
	return []part{*p}
}

// total returns totalItems of the collection in property key, or 0.
func (o *ap) total(key string) int64 {
	p := lookup(o.ms, key)
	if p == nil {
		return 0
	}
	var c struct {
		TotalItems int64 `json:"totalItems"`
	}
	_ = unmarshal(p.data, &c)
	return max(c.TotalItems, 0)
}

// jsonString returns the value of a JSON string, or "" for anything else.
func jsonString(data []byte) string {
	if len(data) == 0 || data[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(data, &s) != nil {
		return ""
	}
	return s
}

// isNoteType reports whether an object type is one the decoder makes a post of.
func isNoteType(t string) bool {
	switch t {
	case "Note", "Question", "Article", "Page":
		return true
	}
	return false
}

// record yields the items of one JSON record of an outbox.
func (d *outbox) record(data []byte, line, depth int, yield func(collector.Item) bool) bool {
	fail := func(format string, args ...any) bool {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("activitypub: "+format, args...)})
	}
	o, ok := readAP(data, line)
	if !ok {
		return fail("record is not a JSON object")
	}
	switch t := o.typ(); t {
	case "OrderedCollection", "Collection", "OrderedCollectionPage", "CollectionPage":
		// Every orderedItems member is read: Mastodon's export writes the
		// key twice, first with an empty list, then with the activities.
		lists := lookupAll(o.ms, "orderedItems")
		if len(lists) == 0 {
			lists = lookupAll(o.ms, "items")
		}
		embedded := false
		for _, l := range lists {
			if !isNull(l.data) {
				embedded = true
			}
		}
		if embedded {
			if n := o.totalItems(); n > 0 && depth == 0 && (t == "OrderedCollection" || t == "Collection") {
				// An export: the collection itself holds all its
				// activities, each a Create or Announce yielding a post.
				if !yield(collector.Item{Line: line, Expect: &collector.Expect{Posts: n, Field: "totalItems"}}) {
					return false
				}
			}
			for _, l := range lists {
				if isNull(l.data) {
					continue
				}
				es, ok := elements(l.data, l.line)
				if !ok {
					if !fail("collection %s: %q is not an array", o.str("id"), l.key) {
						return false
					}
					continue
				}
				for _, e := range es {
					if !d.activity(e.data, e.line, depth, yield) {
						return false
					}
				}
			}
			return true
		}
		if first := lookup(o.ms, "first"); first != nil && first.data[0] == '{' && depth < maxDepth {
			return d.record(first.data, first.line, depth+1, yield)
		}
		if n := o.totalItems(); n > 0 {
			return fail("collection %s holds %d items but embeds none (they are on page %s)", o.str("id"), n, o.ref("first"))
		}
		return true
	case "":
		return fail("record has no type: not an ActivityPub outbox, activity or object")
	default:
		return d.activity(data, line, depth, yield)
	}
}

// totalItems returns the object's own totalItems.
func (o *ap) totalItems() int64 {
	var c struct {
		TotalItems int64 `json:"totalItems"`
	}
	_ = unmarshal(o.data, &c)
	return max(c.TotalItems, 0)
}

// activity yields the items of one activity or object.
func (d *outbox) activity(data []byte, line, depth int, yield func(collector.Item) bool) bool {
	fail := func(format string, args ...any) bool {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("activitypub: "+format, args...)})
	}
	a, ok := readAP(data, line)
	if !ok {
		if s := jsonString(data); s != "" {
			return fail("item %s is a link, not an embedded activity", s)
		}
		return fail("item is not a JSON object")
	}
	t := a.typ()
	switch {
	case t == "Create" || t == "Update":
		op := lookup(a.ms, "object")
		if op == nil || isNull(op.data) {
			return fail("%s activity %s has no object", t, a.str("id"))
		}
		obj, ok := readAP(op.data, op.line)
		if !ok {
			if ref := jsonString(op.data); ref != "" {
				return fail("%s activity %s does not embed its object %s", t, a.str("id"), ref)
			}
			return fail("%s activity %s: object is not a JSON object", t, a.str("id"))
		}
		if !isNoteType(obj.typ()) {
			return true // a Create of something that is not a post
		}
		return d.yieldNote(obj, a, t == "Update", yield)
	case t == "Announce":
		return d.yieldAnnounce(a, depth, yield)
	case t == "Delete":
		target := a.ref("object")
		if target == "" {
			return fail("Delete activity %s has no object", a.str("id"))
		}
		if target == a.ref("actor") {
			return true // an account deletion, not a post's
		}
		ref := &post.Ref{ID: post.MakeID(post.Mastodon, target), Source: post.Mastodon, NativeID: target}
		ref.At, _ = parseTime(a.str("published"))
		return yield(collector.Item{Line: line, Delete: ref})
	case isNoteType(t):
		return d.yieldNote(a, nil, false, yield)
	case t == "":
		return fail("item has no type")
	default:
		return true // other activities (Like, Follow, …) carry no post
	}
}

// yieldNote yields the post of a Note-like object, wrapped in activity act
// (nil when the object stands alone).
func (d *outbox) yieldNote(o, act *ap, update bool, yield func(collector.Item) bool) bool {
	po, err := d.notePost(o, act, update)
	if err != nil {
		return yield(collector.Item{Line: o.line, Err: fmt.Errorf("activitypub: %w", err)})
	}
	return yield(collector.Item{Line: o.line, Post: po})
}

func (d *outbox) notePost(o, act *ap, update bool) (*post.Post, error) {
	id := o.str("id")
	if id == "" {
		return nil, fmt.Errorf("%s object has no id", o.typ())
	}
	po := &post.Post{
		ID:       post.MakeID(post.Mastodon, id),
		Source:   post.Mastodon,
		NativeID: id,
		URL:      webURL(o, "url"),
		Raw:      bytes.Clone(o.data),
	}
	if po.URL == "" {
		po.URL = id
	}
	actor := lookup(o.ms, "attributedTo")
	if actor == nil && act != nil {
		actor = lookup(act.ms, "actor")
	}
	if actor != nil {
		po.Author = d.author(actor, po.URL)
	}

	content, lang := o.str("content"), ""
	if cm := lookup(o.ms, "contentMap"); cm != nil {
		if langs, ok := members(cm.data, cm.line); ok && len(langs) > 0 {
			lang = langs[0].key
			if content == "" {
				content = jsonString(langs[0].data)
			}
		}
	}
	po.Lang = lang
	po.Text = post.HTMLToText(content)
	if cw := strings.TrimSpace(post.HTMLToText(o.str("summary"))); cw != "" {
		po.Text = "CW: " + cw + "\n\n" + po.Text
	}

	published := o.str("published")
	if published == "" && act != nil {
		published = act.str("published")
	}
	var ok bool
	if po.CreatedAt, ok = parseTime(published); !ok {
		if published == "" {
			return nil, fmt.Errorf("%s %s has no published time", o.typ(), id)
		}
		return nil, fmt.Errorf("%s %s: bad published time %q", o.typ(), id, published)
	}
	edited, ok := parseTime(o.str("updated"))
	if !ok && update && act != nil {
		edited, ok = parseTime(act.str("published"))
	}
	if ok {
		po.EditedAt = edited
		po.Revision = edited.UnixNano()
	}

	if r := o.ref("inReplyTo"); r != "" {
		po.ReplyTo = post.MakeID(post.Mastodon, r)
	}
	for _, key := range []string{"quote", "quoteUri", "quoteUrl", "_misskey_quote"} {
		if q := o.ref(key); q != "" {
			po.QuoteOf = post.MakeID(post.Mastodon, q)
			break
		}
	}
	po.Metrics = post.Metrics{
		Likes:   o.total("likes"),
		Reposts: o.total("shares"),
		Replies: o.total("replies"),
	}

	skip := map[string]bool{}
	for _, tp := range o.list("tag") {
		tag, ok := readAP(tp.data, tp.line)
		if !ok {
			continue
		}
		name, href := tag.str("name"), tag.str("href")
		switch tag.typ() {
		case "Hashtag":
			po.Hashtags = append(po.Hashtags, strings.TrimPrefix(name, "#"))
			skip[href] = true
		case "Mention":
			h := fullHandle(name, href, "")
			if h == "" {
				h = actorHandle(href)
			}
			po.Mentions = append(po.Mentions, h)
			skip[href] = true
		}
	}
	po.Links = contentLinks(content, skip)
	for _, at := range o.list("attachment") {
		u := jsonString(at.data)
		if a, ok := readAP(at.data, at.line); ok {
			u = attachmentURL(a)
		}
		po.Media = append(po.Media, u)
	}
	po.Hashtags = slices.Clone(po.Hashtags)
	po.Mentions = slices.Clone(po.Mentions)
	po.Normalize()
	if err := po.Validate(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", o.typ(), id, err)
	}
	return po, nil
}

// attachmentURL returns the URL of an attachment object: its url (a string,
// a Link or an array of them), else its href or id.
func attachmentURL(a *ap) string {
	if u := a.ref("url"); u != "" {
		return u
	}
	if h := a.str("href"); h != "" {
		return h
	}
	return a.str("id")
}

// webURL returns the web page of an object: its url property when that is a
// string, or the href of the text/html Link (else the first Link) it holds.
func webURL(o *ap, key string) string {
	p := lookup(o.ms, key)
	if p == nil {
		return ""
	}
	if s := jsonString(p.data); s != "" {
		return s
	}
	links := []part{*p}
	if es, ok := elements(p.data, p.line); ok {
		links = es
	}
	first := ""
	for _, l := range links {
		if s := jsonString(l.data); s != "" {
			if first == "" {
				first = s
			}
			continue
		}
		lo, ok := readAP(l.data, l.line)
		if !ok {
			continue
		}
		h := lo.str("href")
		if h == "" {
			continue
		}
		if lo.str("mediaType") == "text/html" {
			return h
		}
		if first == "" {
			first = h
		}
	}
	return first
}

// actorAuthor maps an attributedTo or actor property (an actor id, or an
// embedded actor) onto an author.
func actorAuthor(p *part) post.Author {
	id := refOf(p.data, p.line, 0)
	au := post.Author{ID: id, URL: id, Handle: actorHandle(id)}
	o, ok := readAP(p.data, p.line)
	if !ok {
		return au
	}
	au.Name = o.str("name")
	if u := webURL(o, "url"); u != "" {
		au.URL = u
	}
	if pu := o.str("preferredUsername"); pu != "" {
		if host := hostOf(id); host != "" {
			au.Handle = pu + "@" + host
		}
	}
	return au
}

// author maps an attributedTo or actor property onto an author, completed
// from the outbox's owner when it names them, else (for the handle) from
// the web URL of the post, https://host/@user/….
func (d *outbox) author(p *part, postURL string) post.Author {
	au := actorAuthor(p)
	if own := &d.actor; own.ID != "" && au.ID == own.ID {
		if au.Handle == "" {
			au.Handle = own.Handle
		}
		if au.Name == "" {
			au.Name = own.Name
		}
		if au.URL == au.ID && own.URL != "" {
			au.URL = own.URL
		}
	}
	if au.Handle == "" {
		au.Handle = pageHandle(postURL)
	}
	return au
}

// pageHandle derives user@host from the web URL of a post,
// https://host/@user/<id> (or https://host/@user@other.host/<id> for a
// remote account shown by host).
func pageHandle(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) != 2 || !strings.HasPrefix(segs[0], "@") || segs[1] == "" {
		return ""
	}
	name := strings.TrimPrefix(segs[0], "@")
	if name == "" {
		return ""
	}
	if user, host, ok := strings.Cut(name, "@"); ok {
		if user == "" || host == "" || strings.Contains(host, "@") {
			return ""
		}
		return name
	}
	return name + "@" + u.Host
}

// actorHandle derives user@host from an actor URL of the usual forms
// https://host/users/name, https://host/@name, /u/name, /accounts/name.
func actorHandle(actor string) string {
	u, err := url.Parse(actor)
	if err != nil || u.Host == "" {
		return ""
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	var name string
	switch {
	case len(segs) == 1 && strings.HasPrefix(segs[0], "@"):
		name = strings.TrimPrefix(segs[0], "@")
	case len(segs) == 2 && slices.Contains([]string{"users", "user", "u", "accounts", "profile"}, segs[0]):
		name = segs[1]
	}
	if name == "" || strings.Contains(name, "@") {
		return ""
	}
	return name + "@" + u.Host
}

// yieldAnnounce yields a boost: a post whose RepostOf is the announced
// object. When the object is embedded it is yielded too and its text copied;
// when it is only a URI the boost has no text.
func (d *outbox) yieldAnnounce(a *ap, depth int, yield func(collector.Item) bool) bool {
	po, orig, err := d.announcePost(a)
	if err != nil {
		return yield(collector.Item{Line: a.line, Err: fmt.Errorf("activitypub: %w", err)})
	}
	if !yield(collector.Item{Line: a.line, Post: po}) {
		return false
	}
	if orig != nil && depth < maxDepth {
		return d.activity(orig.data, orig.line, depth+1, yield)
	}
	return true
}

func (d *outbox) announcePost(a *ap) (*post.Post, *ap, error) {
	id := a.str("id")
	if id == "" {
		return nil, nil, errors.New("announce activity has no id")
	}
	po := &post.Post{
		ID:       post.MakeID(post.Mastodon, id),
		Source:   post.Mastodon,
		NativeID: id,
		URL:      webURL(a, "url"),
		Raw:      bytes.Clone(a.data),
	}
	if po.URL == "" {
		po.URL = id
	}
	if actor := lookup(a.ms, "actor"); actor != nil {
		po.Author = d.author(actor, "")
	}
	var ok bool
	if po.CreatedAt, ok = parseTime(a.str("published")); !ok {
		return nil, nil, fmt.Errorf("announce %s has no valid published time", id)
	}
	target := a.ref("object")
	if target == "" {
		return nil, nil, fmt.Errorf("announce %s has no object", id)
	}
	po.RepostOf = post.MakeID(post.Mastodon, target)
	var orig *ap
	if op := lookup(a.ms, "object"); op != nil {
		if o, ok := readAP(op.data, op.line); ok && isNoteType(o.typ()) {
			orig = o
			if op, err := d.notePost(o, nil, false); err == nil {
				po.Text, po.Lang = op.Text, op.Lang
				po.Hashtags = slices.Clone(op.Hashtags)
				po.Mentions = slices.Clone(op.Mentions)
				po.Links = slices.Clone(op.Links)
				po.Media = slices.Clone(op.Media)
			}
		}
	}
	po.Normalize()
	if err := po.Validate(); err != nil {
		return nil, nil, fmt.Errorf("announce %s: %w", id, err)
	}
	return po, orig, nil
}
