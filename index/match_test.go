package index

import (
	"context"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
)

// TestMatchAgreesWithSearch runs every query both ways — through the index
// and through Match — over the same posts.
func TestMatchAgreesWithSearch(t *testing.T) {
	at := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	posts := []post.Post{
		{ID: "twitter:1", Source: "twitter", NativeID: "1", Lang: "en", Text: "S3 outages everywhere, the coffee machine is down", CreatedAt: at,
			Author: post.Author{Handle: "Alice"}, Hashtags: []string{"AWS"}, Links: []string{"https://status.aws.amazon.com/x"}},
		{ID: "mastodon:2", Source: "mastodon", NativeID: "2", Lang: "de", Text: "Die Ausfälle bei AWS dauern an", CreatedAt: at,
			Author: post.Author{Handle: "bob@example.social"}, Mentions: []string{"awscloud"}, Media: []string{"https://x/y.jpg"}},
		{ID: "bluesky:3", Source: "bluesky", NativeID: "3", Text: "is down again? #nimbusdown", CreatedAt: at, Author: post.Author{Handle: "carol"},
			Hashtags: []string{"nimbusdown"}, Sentiment: post.Sentiment{Label: "negative", Score: -0.5, Model: "m"}},
	}
	ix := openMem(t)
	var docs []Doc
	for _, p := range posts {
		docs = append(docs, Doc{Post: p})
	}
	apply(t, ix, docs...)
	for _, q := range []string{
		"outage", "Ausfall", "s3 outage", "aws OR nimbus", `"is down"`, `"coffee machine"`, "out*", "-aws", "aws -outage",
		"from:alice", "source:mastodon", "lang:de", "#aws", "@awscloud", "domain:amazon.com", "sentiment:negative",
		"has:links", "has:media", "(s3 OR ausfall) -coffee", "", "down",
	} {
		pq, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), Query{Text: q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		inIndex := map[string]bool{}
		for _, h := range res.Hits {
			inIndex[h.ID] = true
		}
		for i := range posts {
			if got := pq.Match(&posts[i]); got != inIndex[posts[i].ID] {
				t.Errorf("%q on %s: Match %v, index %v", q, posts[i].ID, got, inIndex[posts[i].ID])
			}
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add(`s3 OR "is down" -coffee #aws from:alice out*`, "S3 is down, coffee #AWS", "en")
	f.Add(`(a OR b) c`, "Ausfälle überall", "de")
	f.Fuzz(func(t *testing.T, q, text, lang string) {
		pq, err := ParseQuery(q)
		if err != nil {
			return
		}
		p := post.Post{ID: "x:1", Source: "x", NativeID: "1", Text: text, Lang: lang, Hashtags: []string{text}, Links: []string{text}}
		pq.Match(&p)
	})
}
