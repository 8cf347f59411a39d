package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"unicode/utf8"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// FromItem makes the export record of a collection item: text, author and
// counts from the snapshot taken when it was quoted; the status (live,
// edited since, deleted since) from the archive's current copy. urls maps
// post ids to permalinks, for the posts it answers or quotes.
func FromItem(it store.CollectionItem, urls map[string]string) Item {
	x := fromPost(it.Snapshot, urls)
	x.Position, x.Note, x.Tags, x.AddedBy, x.AddedAt = it.Position, it.Note, it.Tags, it.AddedBy, it.AddedAt
	x.ContentHash = it.ContentHash
	if it.HasCurrent {
		cur := it.Current
		switch {
		case cur.Deleted():
			x.Status, x.StatusAt = Deleted, cur.DeletedAt
		case cur.Text != it.Snapshot.Text || cur.Revision != it.Snapshot.Revision:
			x.Status, x.CurrentText, x.StatusAt = Edited, cur.Text, cur.EditedAt
		}
	}
	return x
}

// FromItems makes the export records of a collection's items, looking up
// the permalinks of the posts they answer or quote in st.
func FromItems(ctx context.Context, st *store.Store, items []store.CollectionItem) ([]Item, error) {
	snaps := make([]post.Post, len(items))
	for i, it := range items {
		snaps[i] = it.Snapshot
	}
	urls, err := st.Permalinks(ctx, Related(snaps))
	if err != nil {
		return nil, err
	}
	xs := make([]Item, len(items))
	for i, it := range items {
		xs[i] = FromItem(it, urls)
	}
	return xs, nil
}

// FromStored makes the export record of an archived post as the archive
// holds it now (exporting an event rather than a collection). The raw
// payload must be loaded (store.GetManyRaw).
func FromStored(p store.Stored, position int, urls map[string]string) Item {
	x := fromPost(p.Post, urls)
	x.Position = position
	if p.Deleted() {
		x.Status, x.StatusAt = Deleted, p.DeletedAt
	}
	return x
}

func fromPost(p post.Post, urls map[string]string) Item {
	sum := sha256.Sum256(p.Raw)
	x := Item{
		PostID: p.ID, Source: p.Source, NativeID: p.NativeID,
		AuthorName: p.Author.Name, AuthorHandle: p.Author.Handle, AuthorURL: p.Author.URL, Permalink: p.URL,
		CreatedAt: p.CreatedAt.UTC(), CollectedAt: p.CollectedAt.UTC(), Lang: p.Lang, Text: p.Text,
		Likes: p.Metrics.Likes, Reposts: p.Metrics.Reposts, Replies: p.Metrics.Replies, Quotes: p.Metrics.Quotes,
		ReplyTo: p.ReplyTo, ReplyToURL: urls[p.ReplyTo], QuoteOf: p.QuoteOf, QuoteOfURL: urls[p.QuoteOf],
		Hashtags: p.Hashtags, Mentions: p.Mentions, Links: p.Links, Media: p.Media,
		Status:         Live,
		SentimentLabel: p.Sentiment.Label, SentimentScore: p.Sentiment.Score, SentimentModel: p.Sentiment.Model,
		ContentHash: hex.EncodeToString(sum[:]),
	}
	if len(p.Raw) > 0 {
		if json.Valid(p.Raw) {
			x.Raw = json.RawMessage(p.Raw)
		} else if utf8.Valid(p.Raw) {
			// A payload that is not JSON (never written by our importers, but
			// possible in an old archive) travels as a JSON string.
			x.Raw, _ = json.Marshal(string(p.Raw))
		}
	}
	return x
}

// Related returns the ids of the posts that items answer or quote, for a
// lookup of their permalinks.
func Related(posts []post.Post) []string {
	var ids []string
	for _, p := range posts {
		for _, id := range []string{p.ReplyTo, p.QuoteOf} {
			if id != "" {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// Post is the post an item quotes, as far as the item records it (a case
// file being restored on another machine).
func (x Item) Post() post.Post {
	return post.Post{
		ID: x.PostID, Source: x.Source, NativeID: x.NativeID, URL: x.Permalink,
		Author: post.Author{Handle: x.AuthorHandle, Name: x.AuthorName, URL: x.AuthorURL},
		Text:   x.Text, Lang: x.Lang, CreatedAt: x.CreatedAt, CollectedAt: x.CollectedAt,
		ReplyTo: x.ReplyTo, QuoteOf: x.QuoteOf,
		Hashtags: x.Hashtags, Mentions: x.Mentions, Links: x.Links, Media: x.Media,
		Metrics:   post.Metrics{Likes: x.Likes, Reposts: x.Reposts, Replies: x.Replies, Quotes: x.Quotes},
		Sentiment: post.Sentiment{Label: x.SentimentLabel, Score: x.SentimentScore, Model: x.SentimentModel},
		Raw:       []byte(x.Raw),
	}
}
