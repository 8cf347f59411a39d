package twitter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

const twarcFormat = "twarc2"

// v2Page is one raw API v2 response as twarc2 writes it, one per line.
type v2Page struct {
	Data     json.RawMessage `json:"data"`
	Includes struct {
		Users  []v2User  `json:"users"`
		Tweets []v2Tweet `json:"tweets"`
		Media  []v2Media `json:"media"`
	} `json:"includes"`
	Errors []v2Error `json:"errors"`
	Twarc  *v2Twarc  `json:"__twarc"`
}

// v2Shape holds the top-level keys that tell a twarc2 record's kind apart.
type v2Shape struct {
	Data     json.RawMessage `json:"data"`
	Includes json.RawMessage `json:"includes"`
	Meta     json.RawMessage `json:"meta"`
	Errors   []v2Error       `json:"errors"`
	ID       json.RawMessage `json:"id"`
}

type v2Twarc struct {
	RetrievedAt string `json:"retrieved_at"`
}

// v2Error is an entry of a page's errors[]: a resource (tweet, user) the
// page could not include, or an error of the request or stream itself.
type v2Error struct {
	Title        string     `json:"title"`
	Detail       string     `json:"detail"`
	Type         string     `json:"type"`
	ResourceType string     `json:"resource_type"`
	ResourceID   jsonString `json:"resource_id"`
	Value        any        `json:"value"`
}

type v2User struct {
	ID       jsonString `json:"id"`
	Username string     `json:"username"`
	Name     string     `json:"name"`
}

type v2Media struct {
	MediaKey        string `json:"media_key"`
	URL             string `json:"url"`
	PreviewImageURL string `json:"preview_image_url"`
}

type v2Entities struct {
	Hashtags []struct {
		Tag string `json:"tag"`
	} `json:"hashtags"`
	Mentions []struct {
		Username string `json:"username"`
	} `json:"mentions"`
	URLs []struct {
		URL         string `json:"url"`
		ExpandedURL string `json:"expanded_url"`
		UnwoundURL  string `json:"unwound_url"`
		DisplayURL  string `json:"display_url"`
		MediaKey    string `json:"media_key"`
	} `json:"urls"`
}

// v2Tweet is an API v2 tweet. The fields after the first block appear in
// `twarc2 flatten` output only, where includes are merged into each tweet.
type v2Tweet struct {
	ID                  jsonString      `json:"id"`
	Text                string          `json:"text"`
	AuthorID            jsonString      `json:"author_id"`
	CreatedAt           string          `json:"created_at"`
	Lang                string          `json:"lang"`
	ReferencedTweets    []v2Ref         `json:"referenced_tweets"`
	EditHistoryTweetIDs []jsonString    `json:"edit_history_tweet_ids"`
	Entities            *v2Entities     `json:"entities"`
	PublicMetrics       *v2Metrics      `json:"public_metrics"`
	NoteTweet           *v2NoteTweet    `json:"note_tweet"`
	Attachments         *v2Attachments  `json:"attachments"`
	TweetCount          json.RawMessage `json:"tweet_count"` // counts endpoint buckets have this and no id

	Author *v2User  `json:"author"`
	Twarc  *v2Twarc `json:"__twarc"`
}

type v2Ref struct {
	Type string `json:"type"` // retweeted, quoted, replied_to
	v2Tweet
}

type v2Metrics struct {
	RetweetCount jsonCount `json:"retweet_count"`
	ReplyCount   jsonCount `json:"reply_count"`
	LikeCount    jsonCount `json:"like_count"`
	QuoteCount   jsonCount `json:"quote_count"`
}

type v2NoteTweet struct {
	Text     string      `json:"text"`
	Entities *v2Entities `json:"entities"`
}

type v2Attachments struct {
	MediaKeys []string  `json:"media_keys"`
	Media     []v2Media `json:"media"` // flattened
}

// v2Context is what a page contributes to each of its tweets.
type v2Context struct {
	users       map[string]*v2User
	tweets      map[string]*v2Tweet
	media       map[string]*v2Media
	collectedAt time.Time
}

// DecodeTwarc2 decodes twarc2 output: raw API v2 response pages, one per line
// ({data, includes, meta, errors, __twarc}; data is an array, or a single
// tweet on filtered-stream lines), and `twarc2 flatten` output (one tweet per
// line with author and referenced tweets merged in). Both may be mixed.
// Page-level errors[] about missing resources, counts-endpoint buckets and
// empty pages yield nothing; a record that is only an error of the request
// or stream yields an Err item. A page whose meta has result_count yields an
// Expect item after its posts. It reads the records with
// [collector.DecodeRecords] and [Twarc2Records].
func DecodeTwarc2(r io.Reader) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, twarcFormat, Twarc2Records())
}

// maxFlatSeen bounds how many tweet ids one input of flattened lines
// remembers so as to yield each merged-in referenced tweet once; when it is
// reached the memory starts over (a repeat is then yielded again, which the
// store's upsert absorbs).
const maxFlatSeen = 1 << 20

// Twarc2Records returns the [collector.RecordFunc] of twarc2 output: it
// decodes one record, a raw API v2 page or a flattened tweet, as
// [DecodeTwarc2] does. Each call returns a decoder with fresh state (the
// referenced tweets of flattened lines already yielded), for one input.
func Twarc2Records() collector.RecordFunc {
	seen := make(map[string]bool) // tweet id → yielded with its author
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		return decodeTwarcRecord(line, data, seen, yield)
	}
}

func decodeTwarcRecord(line int, data []byte, seen map[string]bool, yield func(collector.Item) bool) bool {
	if k := objectKind(data); k != "" {
		return yield(errItem(line, "%s: record is %s, not an API page or tweet object", twarcFormat, k))
	}
	var shape v2Shape
	if err := json.Unmarshal(data, &shape); err != nil {
		return yield(errItem(line, "%s: %v", twarcFormat, err))
	}
	switch {
	case present(shape.Data) || present(shape.Includes) || present(shape.Meta):
		if !decodeTwarcPage(line, data, yield) {
			return false
		}
		return yieldResultCount(line, shape.Meta, yield)
	case present(shape.ID):
		return decodeFlatTweet(line, data, seen, yield)
	case len(shape.Errors) > 0:
		if e := requestError(shape.Errors); e != nil {
			return yield(errItem(line, "%s: API error record: %s", twarcFormat, describeError(e)))
		}
		return true // only errors about missing resources: nothing to import
	}
	return yield(errItem(line, "%s: record is neither an API page (no data) nor a tweet (no id)", twarcFormat))
}

// yieldResultCount yields an Expect item for a page's meta.result_count,
// when meta has one.
func yieldResultCount(line int, meta json.RawMessage, yield func(collector.Item) bool) bool {
	if !present(meta) || objectKind(meta) != "" {
		return true
	}
	var m struct {
		ResultCount *jsonCount `json:"result_count"`
	}
	if json.Unmarshal(meta, &m) != nil || m.ResultCount == nil || *m.ResultCount < 0 {
		return true
	}
	return yield(collector.Item{Line: line, Expect: &collector.Expect{Posts: int64(*m.ResultCount), Field: "meta.result_count"}})
}

// decodeFlatTweet yields a `twarc2 flatten` line: the tweet, then the
// referenced tweets merged into it (retweeted, quoted, replied-to, and the
// ones they reference in turn when those are merged in too), which are
// posts as much as the includes.tweets of a raw page are. A referenced tweet
// is merged in when it has a text or creation time; one with only an id and
// type is a bare reference. Each referenced tweet is yielded once per input
// (seen); one that cannot be read is left out quietly, as for pages.
func decodeFlatTweet(line int, data []byte, seen map[string]bool, yield func(collector.Item) bool) bool {
	var tw v2Tweet
	if err := json.Unmarshal(data, &tw); err != nil {
		return yield(errItem(line, "%s: decode flattened tweet: %v", twarcFormat, err))
	}
	ctx := &v2Context{}
	if tw.Twarc != nil {
		ctx.collectedAt = parseRetrievedAt(tw.Twarc.RetrievedAt)
	}
	it := v2TweetItem(line, data, &tw, ctx)
	if !yield(it) {
		return false
	}
	if it.Post == nil {
		return true
	}
	markSeen(seen, string(tw.ID), true)
	var refs struct {
		Refs []json.RawMessage `json:"referenced_tweets"`
	}
	if json.Unmarshal(data, &refs) != nil {
		return true
	}
	return yieldFlatRefs(line, refs.Refs, ctx, seen, 0, yield)
}

// yieldFlatRefs yields the merged-in referenced tweets raws (each keeps its
// object verbatim as Raw, with the "type" key flatten puts beside the
// tweet's fields), descending into their own referenced_tweets up to three
// levels deep.
func yieldFlatRefs(line int, raws []json.RawMessage, ctx *v2Context, seen map[string]bool, depth int, yield func(collector.Item) bool) bool {
	if depth >= 3 {
		return true
	}
	for _, raw := range raws {
		if objectKind(raw) != "" {
			continue
		}
		var tw v2Tweet
		var nested struct {
			Refs []json.RawMessage `json:"referenced_tweets"`
		}
		if json.Unmarshal(raw, &tw) != nil || json.Unmarshal(raw, &nested) != nil || tw.ID == "" || (tw.Text == "" && tw.CreatedAt == "") {
			continue
		}
		// A reference merged in deeper down may lack its author; a later copy
		// that has it is yielded again, filling it in.
		complete := tw.Author != nil && tw.Author.Username != ""
		if had, ok := seen[string(tw.ID)]; !ok || complete && !had {
			markSeen(seen, string(tw.ID), complete)
			if it := v2TweetItem(line, raw, &tw, ctx); it.Post != nil && !yield(it) {
				return false
			}
		}
		if !yieldFlatRefs(line, nested.Refs, ctx, seen, depth+1, yield) {
			return false
		}
	}
	return true
}

// requestError returns the first error that is about the request or stream
// itself rather than a resource the page could not include, or nil.
func requestError(errs []v2Error) *v2Error {
	for i := range errs {
		if errs[i].ResourceType == "" && errs[i].ResourceID == "" {
			return &errs[i]
		}
	}
	return nil
}

func describeError(e *v2Error) string {
	var parts []string
	for _, s := range []string{e.Title, e.Detail} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "(no title)"
	}
	return strings.Join(parts, ": ")
}

func decodeTwarcPage(line int, data []byte, yield func(collector.Item) bool) bool {
	var page v2Page
	if err := json.Unmarshal(data, &page); err != nil {
		return yield(errItem(line, "%s: decode page: %v", twarcFormat, err))
	}
	var items []json.RawMessage
	switch k := objectKind(page.Data); {
	case !present(page.Data):
		return true // no results
	case k == "":
		items = []json.RawMessage{page.Data}
	case k == "an array":
		if err := json.Unmarshal(page.Data, &items); err != nil {
			return yield(errItem(line, "%s: page data: %v", twarcFormat, err))
		}
	default:
		return yield(errItem(line, "%s: page data is %s, not a tweet or array of tweets", twarcFormat, k))
	}
	ctx := &v2Context{
		users:  make(map[string]*v2User, len(page.Includes.Users)),
		tweets: make(map[string]*v2Tweet, len(page.Includes.Tweets)),
		media:  make(map[string]*v2Media, len(page.Includes.Media)),
	}
	for i := range page.Includes.Users {
		ctx.users[string(page.Includes.Users[i].ID)] = &page.Includes.Users[i]
	}
	for i := range page.Includes.Tweets {
		ctx.tweets[string(page.Includes.Tweets[i].ID)] = &page.Includes.Tweets[i]
	}
	for i := range page.Includes.Media {
		ctx.media[page.Includes.Media[i].MediaKey] = &page.Includes.Media[i]
	}
	if page.Twarc != nil {
		ctx.collectedAt = parseRetrievedAt(page.Twarc.RetrievedAt)
	}
	// Decode every item first so that tweets of the page can be found by the
	// references of the others, like those in includes.tweets.
	type decoded struct {
		raw json.RawMessage
		tw  v2Tweet
		err error
	}
	tweets := make([]decoded, len(items))
	for i, raw := range items {
		d := &tweets[i]
		d.raw = raw
		if k := objectKind(raw); k != "" {
			d.err = fmt.Errorf("data item is %s, not a tweet object", k)
		} else if err := json.Unmarshal(raw, &d.tw); err != nil {
			d.err = fmt.Errorf("decode tweet: %v", err)
		} else if id := string(d.tw.ID); id != "" && ctx.tweets[id] == nil {
			ctx.tweets[id] = &d.tw
		}
	}
	inData := make(map[string]bool, len(tweets))
	for i := range tweets {
		inData[string(tweets[i].tw.ID)] = true
	}
	for i := range tweets {
		d := &tweets[i]
		var it collector.Item
		switch {
		case d.err != nil:
			it = errItem(line, "%s: %v", twarcFormat, d.err)
		case d.tw.ID == "" && present(d.tw.TweetCount):
			continue // a counts-endpoint bucket {start, end, tweet_count}
		default:
			it = v2TweetItem(line, d.raw, &d.tw, ctx)
		}
		if !yield(it) {
			return false
		}
	}
	// The referenced tweets in includes (originals of retweets, quoted and
	// replied-to tweets) are full posts too: archive them as well. One that
	// cannot be read is left out quietly, since the page's own posts are
	// what was asked for.
	var inc struct {
		Includes struct {
			Tweets []json.RawMessage `json:"tweets"`
		} `json:"includes"`
	}
	if json.Unmarshal(data, &inc) != nil {
		return true
	}
	for _, raw := range inc.Includes.Tweets {
		var tw v2Tweet
		if objectKind(raw) != "" || json.Unmarshal(raw, &tw) != nil || tw.ID == "" || inData[string(tw.ID)] {
			continue
		}
		inData[string(tw.ID)] = true
		if it := v2TweetItem(line, raw, &tw, ctx); it.Post != nil && !yield(it) {
			return false
		}
	}
	return true
}

func parseRetrievedAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func v2TweetItem(line int, raw []byte, tw *v2Tweet, ctx *v2Context) collector.Item {
	p, err := v2Post(tw, ctx)
	if err != nil {
		return errItem(line, "%s: %v", twarcFormat, err)
	}
	p.Raw = bytes.Clone(raw)
	return postItem(line, twarcFormat, p)
}

// editKey returns the native id a post is stored under and this version's
// revision: the first id of the edit history (the original) and the position
// of id in it. Without a history, or when id is not in it, the post is keyed
// by its own id.
func editKey(id string, history []jsonString) (nativeID string, revision int64) {
	for i, h := range history {
		if string(h) == id {
			if first := string(history[0]); isTweetID(first) {
				return first, int64(i)
			}
			break
		}
	}
	return id, 0
}

// v2Post turns an API v2 tweet into a Post (without Raw).
func v2Post(tw *v2Tweet, ctx *v2Context) (*post.Post, error) {
	id := string(tw.ID)
	if id == "" {
		return nil, errors.New("tweet has no id")
	}
	if !isTweetID(id) {
		return nil, fmt.Errorf("tweet id %q is not numeric", id)
	}
	if strings.TrimSpace(tw.CreatedAt) == "" {
		return nil, fmt.Errorf("tweet %s has no created_at", id)
	}
	created, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(tw.CreatedAt))
	if err != nil {
		return nil, fmt.Errorf("tweet %s: bad created_at %q", id, tw.CreatedAt)
	}
	nativeID, rev := editKey(id, tw.EditHistoryTweetIDs)
	p := &post.Post{
		ID:          post.MakeID(post.Twitter, nativeID),
		Source:      post.Twitter,
		NativeID:    nativeID,
		Text:        v2Text(tw),
		Lang:        lang(tw.Lang),
		CreatedAt:   created.UTC(),
		CollectedAt: ctx.collectedAt,
		Revision:    rev,
	}
	if rev > 0 {
		p.EditedAt = p.CreatedAt
	}
	if m := tw.PublicMetrics; m != nil {
		p.Metrics = post.Metrics{
			Likes:   int64(m.LikeCount),
			Reposts: int64(m.RetweetCount),
			Replies: int64(m.ReplyCount),
			Quotes:  int64(m.QuoteCount),
		}
	}
	author := tw.Author
	if author == nil {
		author = ctx.users[string(tw.AuthorID)]
	}
	if author != nil {
		p.Author = post.Author{ID: string(author.ID), Handle: author.Username, Name: author.Name}
	}
	if p.Author.ID == "" {
		p.Author.ID = string(tw.AuthorID)
	}
	if p.Author.Handle != "" {
		p.Author.URL = "https://x.com/" + p.Author.Handle
		p.URL = "https://x.com/" + p.Author.Handle + "/status/" + id
	} else {
		p.URL = "https://x.com/i/web/status/" + id
	}
	addV2Entities(p, tw, ctx, id)
	for i := range tw.ReferencedTweets {
		ref := &tw.ReferencedTweets[i]
		refID := string(ref.ID)
		full := ctx.tweets[refID]
		if full == nil && (ref.Text != "" || ref.CreatedAt != "") {
			full = &ref.v2Tweet // flattened: the referenced tweet is merged in
		}
		target := relID(refID)
		if full != nil && len(full.EditHistoryTweetIDs) > 0 {
			// Point at the post the referenced version is stored under.
			if orig, _ := editKey(refID, full.EditHistoryTweetIDs); orig != refID {
				target = relID(orig)
			}
		}
		switch ref.Type {
		case "replied_to":
			p.ReplyTo = target
		case "quoted":
			p.QuoteOf = target
		case "retweeted":
			p.RepostOf = target
			if full != nil {
				if t := v2Text(full); t != "" {
					p.Text = t
				}
				addV2Entities(p, full, ctx, refID)
			}
		}
	}
	p.Text = post.UnescapeEntities(p.Text)
	return p, nil
}

// v2Text returns a tweet's full text: note_tweet.text for long posts, else text.
func v2Text(tw *v2Tweet) string {
	if n := tw.NoteTweet; n != nil && n.Text != "" {
		return n.Text
	}
	return tw.Text
}

// addV2Entities appends the hashtags, mentions, links and media of tw (whose
// id is id) to p.
func addV2Entities(p *post.Post, tw *v2Tweet, ctx *v2Context, id string) {
	for _, ent := range []*v2Entities{tw.Entities, noteEntities(tw)} {
		if ent == nil {
			continue
		}
		for _, h := range ent.Hashtags {
			p.Hashtags = append(p.Hashtags, h.Tag)
		}
		for _, m := range ent.Mentions {
			p.Mentions = append(p.Mentions, m.Username)
		}
		for _, u := range ent.URLs {
			if u.MediaKey != "" || strings.HasPrefix(u.DisplayURL, "pic.twitter.com/") || strings.HasPrefix(u.DisplayURL, "pic.x.com/") {
				continue // the link to attached media: the media is listed itself
			}
			link := u.UnwoundURL
			if link == "" {
				link = u.ExpandedURL
			}
			if link == "" {
				link = u.URL
			}
			if !isSelfLink(link, id) {
				p.Links = append(p.Links, link)
			}
		}
	}
	if a := tw.Attachments; a != nil {
		for _, m := range a.Media {
			p.Media = append(p.Media, mediaURL(&m))
		}
		for _, k := range a.MediaKeys {
			if m := ctx.media[k]; m != nil {
				p.Media = append(p.Media, mediaURL(m))
			}
		}
	}
}

func noteEntities(tw *v2Tweet) *v2Entities {
	if tw.NoteTweet == nil {
		return nil
	}
	return tw.NoteTweet.Entities
}

func mediaURL(m *v2Media) string {
	if m.URL != "" {
		return m.URL
	}
	return m.PreviewImageURL
}

// markSeen records that the post id was yielded, and whether with its
// author; it forgets all ids first when seen holds maxFlatSeen of them.
func markSeen(seen map[string]bool, id string, withAuthor bool) {
	if len(seen) >= maxFlatSeen {
		clear(seen)
	}
	seen[id] = withAuthor
}
