package twitter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	gotwitter "github.com/dghubble/go-twitter/twitter"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

const v1Format = "twitter v1.1"

// v1Envelope holds the top-level keys that tell a v1.1 record's kind apart.
type v1Envelope struct {
	ID       json.RawMessage `json:"id"`
	IDStr    json.RawMessage `json:"id_str"`
	Statuses json.RawMessage `json:"statuses"`
	Results  json.RawMessage `json:"results"`
	Delete   json.RawMessage `json:"delete"`

	// Stream control messages: not posts.
	Limit          json.RawMessage `json:"limit"`
	Warning        json.RawMessage `json:"warning"`
	Disconnect     json.RawMessage `json:"disconnect"`
	ScrubGeo       json.RawMessage `json:"scrub_geo"`
	StatusWithheld json.RawMessage `json:"status_withheld"`
	UserWithheld   json.RawMessage `json:"user_withheld"`
	Event          json.RawMessage `json:"event"`
	Friends        json.RawMessage `json:"friends"`
	FriendsStr     json.RawMessage `json:"friends_str"`
	Control        json.RawMessage `json:"control"`
	ForUser        json.RawMessage `json:"for_user"`
	SearchMetadata json.RawMessage `json:"search_metadata"`
}

// present reports whether a field was in the record with a non-null value.
func present(v json.RawMessage) bool { return len(v) > 0 && string(v) != "null" }

// isControl reports whether the record is a stream control message.
func (e *v1Envelope) isControl() bool {
	for _, v := range []json.RawMessage{e.Limit, e.Warning, e.Disconnect, e.ScrubGeo, e.StatusWithheld,
		e.UserWithheld, e.Event, e.Friends, e.FriendsStr, e.Control, e.ForUser, e.SearchMetadata} {
		if present(v) {
			return true
		}
	}
	return false
}

// v1Deletion is a status deletion notice:
// {"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"},"timestamp_ms":"…"}}.
type v1Deletion struct {
	Status *struct {
		ID    jsonString `json:"id"`
		IDStr jsonString `json:"id_str"`
	} `json:"status"`
	TimestampMS jsonString `json:"timestamp_ms"`
}

// DecodeV1 decodes X/Twitter API v1.1 tweets: JSON Lines (stream output,
// twarc 1 files), a JSON array, a single tweet, a search response
// {"statuses":[…],"search_metadata":{…}}, or a premium/enterprise search
// response {"results":[…],"next":…,"requestParameters":{…}}. Stream deletion
// notices become Delete items; other stream control messages (limit, warning,
// disconnect, …) are skipped. It reads the records with
// [collector.DecodeRecords] and [V1Records].
func DecodeV1(r io.Reader) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, v1Format, V1Records())
}

// V1Records returns the [collector.RecordFunc] of API v1.1 input: it decodes
// one record (a tweet, a search or premium search response, a stream
// message) as [DecodeV1] does. The decoder keeps no state across records;
// each call still returns a new one, as the contract asks.
func V1Records() collector.RecordFunc {
	return decodeV1Record
}

// decodeV1Record yields the items of one top-level record; it returns false
// when the consumer stopped.
func decodeV1Record(line int, data []byte, yield func(collector.Item) bool) bool {
	if k := objectKind(data); k != "" {
		return yield(errItem(line, "%s: record is %s, not a tweet object", v1Format, k))
	}
	var env v1Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return yield(errItem(line, "%s: %v", v1Format, err))
	}
	switch {
	case present(env.Statuses):
		return yieldV1List(line, env.Statuses, "search response: statuses", yield)
	case present(env.Results) && !present(env.ID) && !present(env.IDStr):
		return yieldV1List(line, env.Results, "premium search response: results", yield)
	case present(env.Delete):
		return yield(v1DeleteItem(line, env.Delete))
	case !present(env.ID) && !present(env.IDStr) && env.isControl():
		return true
	}
	return yieldV1Tweet(line, data, yield)
}

// yieldV1List yields the tweets of a response's array of tweets (what names
// it in errors).
func yieldV1List(line int, list json.RawMessage, what string, yield func(collector.Item) bool) bool {
	var tweets []json.RawMessage
	if err := json.Unmarshal(list, &tweets); err != nil {
		return yield(errItem(line, "%s: %s is not an array of objects: %v", v1Format, what, err))
	}
	for _, t := range tweets {
		if !yieldV1Tweet(line, t, yield) {
			return false
		}
	}
	return true
}

// yieldV1Tweet yields a tweet and then the tweets embedded in it (the
// original of a retweet, the quoted tweet), which are full posts too. An
// embedded tweet that cannot be read is left out quietly.
func yieldV1Tweet(line int, raw []byte, yield func(collector.Item) bool) bool {
	it := v1TweetItem(line, raw)
	if !yield(it) {
		return false
	}
	if it.Post == nil {
		return true
	}
	var emb struct {
		Retweeted json.RawMessage `json:"retweeted_status"`
		Quoted    json.RawMessage `json:"quoted_status"`
	}
	if json.Unmarshal(raw, &emb) != nil {
		return true
	}
	for _, e := range []json.RawMessage{emb.Retweeted, emb.Quoted} {
		if !present(e) || objectKind(e) != "" {
			continue
		}
		// Nested once more at most: the quote inside a retweeted tweet.
		if !yieldV1Tweet(line, e, func(it collector.Item) bool { return it.Post == nil || yield(it) }) {
			return false
		}
	}
	return true
}

func v1DeleteItem(line int, data []byte) collector.Item {
	var d v1Deletion
	if err := json.Unmarshal(data, &d); err != nil {
		return errItem(line, "%s: delete notice: %v", v1Format, err)
	}
	if d.Status == nil {
		return errItem(line, "%s: delete notice has no status", v1Format)
	}
	id := string(d.Status.IDStr)
	if id == "" {
		id = string(d.Status.ID)
	}
	if !isTweetID(id) {
		return errItem(line, "%s: delete notice has no valid status id (%q)", v1Format, id)
	}
	ref := &post.Ref{ID: post.MakeID(post.Twitter, id), Source: post.Twitter, NativeID: id}
	if ms, err := strconv.ParseInt(string(d.TimestampMS), 10, 64); err == nil && ms > 0 {
		ref.At = time.UnixMilli(ms).UTC()
	}
	return collector.Item{Line: line, Delete: ref}
}

func v1TweetItem(line int, raw []byte) collector.Item {
	if k := objectKind(raw); k != "" {
		return errItem(line, "%s: tweet is %s, not an object", v1Format, k)
	}
	var tw gotwitter.Tweet
	if err := json.Unmarshal(raw, &tw); err != nil {
		return errItem(line, "%s: decode tweet: %v", v1Format, err)
	}
	p, err := v1Post(&tw)
	if err != nil {
		return errItem(line, "%s: %v", v1Format, err)
	}
	p.Raw = bytes.Clone(raw)
	return postItem(line, v1Format, p)
}

// v1ID returns a tweet's id: id_str, else the numeric id.
func v1ID(idStr string, id int64) string {
	if idStr != "" {
		return idStr
	}
	if id > 0 {
		return strconv.FormatInt(id, 10)
	}
	return ""
}

// v1Post turns a decoded v1.1 tweet into a Post (without Raw).
func v1Post(tw *gotwitter.Tweet) (*post.Post, error) {
	id := v1ID(tw.IDStr, tw.ID)
	if id == "" {
		return nil, errors.New("tweet has no id_str")
	}
	if !isTweetID(id) {
		return nil, fmt.Errorf("tweet id %q is not numeric", id)
	}
	if tw.CreatedAt == "" {
		return nil, fmt.Errorf("tweet %s has no created_at", id)
	}
	created, err := rubyTime(tw.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("tweet %s: %v", id, err)
	}
	p := &post.Post{
		ID:        post.MakeID(post.Twitter, id),
		Source:    post.Twitter,
		NativeID:  id,
		Text:      v1Text(tw),
		Lang:      lang(tw.Lang),
		CreatedAt: created,
		ReplyTo:   relID(v1ID(tw.InReplyToStatusIDStr, tw.InReplyToStatusID)),
		Metrics: post.Metrics{
			Likes:   int64(tw.FavoriteCount),
			Reposts: int64(tw.RetweetCount),
			Replies: int64(tw.ReplyCount),
			Quotes:  int64(tw.QuoteCount),
		},
	}
	if u := tw.User; u != nil {
		p.Author = post.Author{ID: v1ID(u.IDStr, u.ID), Handle: u.ScreenName, Name: u.Name}
		if u.ScreenName != "" {
			p.Author.URL = "https://twitter.com/" + u.ScreenName
		}
	}
	if p.Author.Handle != "" {
		p.URL = "https://twitter.com/" + p.Author.Handle + "/status/" + id
	} else {
		p.URL = "https://twitter.com/i/web/status/" + id
	}
	quoted := tw.QuotedStatusIDStr
	if quoted == "" && tw.QuotedStatus != nil {
		quoted = v1ID(tw.QuotedStatus.IDStr, tw.QuotedStatus.ID)
	}
	if quoted == "" {
		quoted = v1ID("", tw.QuotedStatusID)
	}
	p.QuoteOf = relID(quoted)
	if tw.Truncated && (tw.ExtendedTweet == nil || tw.ExtendedTweet.FullText == "") && tw.FullText == "" {
		// A compat-mode copy whose text the API cut short ("…"). It ranks
		// below any full copy of the same tweet, so the full text becomes
		// current whichever is imported first, and the cut one is kept as
		// an earlier version.
		p.Revision = -1
	}
	addV1Entities(p, tw, id)
	if orig := tw.RetweetedStatus; orig != nil {
		origID := v1ID(orig.IDStr, orig.ID)
		p.RepostOf = relID(origID)
		if t := v1Text(orig); t != "" {
			p.Text = t
		}
		addV1Entities(p, orig, origID)
	}
	p.Text = post.UnescapeEntities(p.Text)
	return p, nil
}

// v1Text returns a tweet's full text: extended_tweet.full_text, full_text
// (tweet_mode=extended) or text.
func v1Text(tw *gotwitter.Tweet) string {
	if et := tw.ExtendedTweet; et != nil && et.FullText != "" {
		return et.FullText
	}
	if tw.FullText != "" {
		return tw.FullText
	}
	return tw.Text
}

// addV1Entities appends the hashtags, mentions, links and media of tw (whose
// id is id) to p, from extended_tweet's entities when the tweet has them.
func addV1Entities(p *post.Post, tw *gotwitter.Tweet, id string) {
	ent, ext := tw.Entities, tw.ExtendedEntities
	if et := tw.ExtendedTweet; et != nil {
		if et.Entities != nil {
			ent = et.Entities
		}
		if et.ExtendedEntities != nil {
			ext = et.ExtendedEntities
		}
	}
	var media []gotwitter.MediaEntity
	if ent != nil {
		for _, h := range ent.Hashtags {
			p.Hashtags = append(p.Hashtags, h.Text)
		}
		for _, m := range ent.UserMentions {
			p.Mentions = append(p.Mentions, m.ScreenName)
		}
		for _, u := range ent.Urls {
			// URLEntity.Unwound never decodes (go-twitter tags it `string:`
			// instead of `json:`), so expanded_url is the best we have.
			link := u.ExpandedURL
			if link == "" {
				link = u.URL
			}
			if !isSelfLink(link, id) {
				p.Links = append(p.Links, link)
			}
		}
		media = ent.Media
	}
	if ext != nil && len(ext.Media) > 0 {
		media = ext.Media
	}
	for _, m := range media {
		u := m.MediaURLHttps
		if u == "" {
			u = m.MediaURL
		}
		p.Media = append(p.Media, u)
	}
}
