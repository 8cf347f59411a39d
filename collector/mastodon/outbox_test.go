package mastodon

import (
	"strings"
	"testing"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// outboxJSON is a small outbox.json in the shape a Mastodon account export
// writes (invented content): Create activities wrapping Notes, and an
// Announce whose object is a bare URI.
const outboxJSON = `{
  "@context": [
    "https://www.w3.org/ns/activitystreams",
    {
      "ostatus": "http://ostatus.org#",
      "atomUri": "ostatus:atomUri",
      "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
      "conversation": "ostatus:conversation",
      "sensitive": "as:sensitive",
      "toot": "http://joinmastodon.org/ns#",
      "votersCount": "toot:votersCount",
      "blurhash": "toot:blurhash",
      "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"},
      "Hashtag": "as:Hashtag"
    }
  ],
  "id": "outbox.json",
  "type": "OrderedCollection",
  "totalItems": 4,
  "orderedItems": [
    {
      "id": "https://mastodon.example/users/alice/statuses/113000000000000001/activity",
      "type": "Create",
      "actor": "https://mastodon.example/users/alice",
      "published": "2026-05-01T10:00:00Z",
      "to": ["https://www.w3.org/ns/activitystreams#Public"],
      "cc": ["https://mastodon.example/users/alice/followers"],
      "object": {
        "id": "https://mastodon.example/users/alice/statuses/113000000000000001",
        "type": "Note",
        "summary": null,
        "inReplyTo": null,
        "published": "2026-05-01T10:00:00Z",
        "url": "https://mastodon.example/@alice/113000000000000001",
        "attributedTo": "https://mastodon.example/users/alice",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": ["https://mastodon.example/users/alice/followers", "https://other.example/users/bob"],
        "sensitive": false,
        "atomUri": "https://mastodon.example/users/alice/statuses/113000000000000001",
        "inReplyToAtomUri": null,
        "conversation": "tag:mastodon.example,2026-05-01:objectId=1001:objectType=Conversation",
        "content": "<p>Is S3 down for anyone else? Uploads fail with 503 &amp; the console times out. <a href=\"https://mastodon.example/tags/aws\" class=\"mention hashtag\" rel=\"tag\">#<span>aws</span></a> <span class=\"h-card\" translate=\"no\"><a href=\"https://other.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span></p><p>Status page: <a href=\"https://health.aws.example/\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">health.aws.example/</span><span class=\"invisible\"></span></a></p>",
        "contentMap": {
          "en": "<p>Is S3 down for anyone else? Uploads fail with 503 &amp; the console times out. <a href=\"https://mastodon.example/tags/aws\" class=\"mention hashtag\" rel=\"tag\">#<span>aws</span></a> <span class=\"h-card\" translate=\"no\"><a href=\"https://other.example/@bob\" class=\"u-url mention\">@<span>bob</span></a></span></p><p>Status page: <a href=\"https://health.aws.example/\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">health.aws.example/</span><span class=\"invisible\"></span></a></p>"
        },
        "attachment": [
          {
            "type": "Document",
            "mediaType": "image/png",
            "url": "/media_attachments/files/113/000/000/000/000/001/original/3f2a9c.png",
            "name": "Screenshot of the S3 console showing an error",
            "blurhash": "U02rs+WB00of~qj[M{ay00of%MayM{ay-;j[",
            "focalPoint": [0.0, 0.0],
            "width": 1280,
            "height": 720
          }
        ],
        "tag": [
          {"type": "Hashtag", "href": "https://mastodon.example/tags/aws", "name": "#aws"},
          {"type": "Mention", "href": "https://other.example/users/bob", "name": "@bob@other.example"}
        ],
        "replies": {
          "id": "https://mastodon.example/users/alice/statuses/113000000000000001/replies",
          "type": "Collection",
          "first": {
            "type": "CollectionPage",
            "next": "https://mastodon.example/users/alice/statuses/113000000000000001/replies?only_other_accounts=true&page=true",
            "partOf": "https://mastodon.example/users/alice/statuses/113000000000000001/replies",
            "items": []
          }
        },
        "likes": {"id": "https://mastodon.example/users/alice/statuses/113000000000000001/likes", "type": "Collection", "totalItems": 7},
        "shares": {"id": "https://mastodon.example/users/alice/statuses/113000000000000001/shares", "type": "Collection", "totalItems": 3}
      }
    },
    {
      "id": "https://mastodon.example/users/alice/statuses/113000000000000002/activity",
      "type": "Create",
      "actor": "https://mastodon.example/users/alice",
      "published": "2026-05-01T10:20:00Z",
      "to": ["https://www.w3.org/ns/activitystreams#Public"],
      "cc": ["https://mastodon.example/users/alice/followers"],
      "object": {
        "id": "https://mastodon.example/users/alice/statuses/113000000000000002",
        "type": "Note",
        "summary": "Ausfall, langer Text",
        "inReplyTo": "https://mastodon.example/users/alice/statuses/113000000000000001",
        "published": "2026-05-01T10:20:00Z",
        "updated": "2026-05-01T10:25:30Z",
        "url": "https://mastodon.example/@alice/113000000000000002",
        "attributedTo": "https://mastodon.example/users/alice",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": ["https://mastodon.example/users/alice/followers"],
        "sensitive": true,
        "atomUri": "https://mastodon.example/users/alice/statuses/113000000000000002",
        "inReplyToAtomUri": "https://mastodon.example/users/alice/statuses/113000000000000001",
        "conversation": "tag:mastodon.example,2026-05-01:objectId=1001:objectType=Conversation",
        "content": "<p>Nachtrag: Die Störung betrifft nur us-east-1.</p><p>Grüße aus Köln</p>",
        "contentMap": {"de": "<p>Nachtrag: Die Störung betrifft nur us-east-1.</p><p>Grüße aus Köln</p>"},
        "attachment": [],
        "tag": []
      }
    },
    {
      "id": "https://mastodon.example/users/alice/statuses/113000000000000003/activity",
      "type": "Announce",
      "actor": "https://mastodon.example/users/alice",
      "published": "2026-05-01T10:30:00Z",
      "to": ["https://www.w3.org/ns/activitystreams#Public"],
      "cc": ["https://other.example/users/bob", "https://mastodon.example/users/alice/followers"],
      "object": "https://other.example/users/bob/statuses/42"
    },
    {
      "id": "https://mastodon.example/users/alice/statuses/113000000000000004/activity",
      "type": "Create",
      "actor": "https://mastodon.example/users/alice",
      "published": "2026-05-01T10:40:00Z",
      "object": {
        "id": "https://mastodon.example/users/alice/statuses/113000000000000004",
        "type": "Note",
        "attributedTo": "https://mastodon.example/users/alice",
        "content": "<p>no time</p>"
      }
    }
  ]
}
`

func TestDecodeOutbox(t *testing.T) {
	posts, dels, errs, expects := collectExpects(t, DecodeOutbox(strings.NewReader(outboxJSON)))
	if len(posts) != 4 || len(dels) != 0 || len(errs) != 0 {
		t.Fatalf("got %d posts, %d deletes, %d errors %v; want 4, 0, 0", len(posts), len(dels), len(errs), errs)
	}
	eq(t, "expects", expects, []collector.Expect{{Posts: 4, Field: "totalItems"}})
	alice := post.Author{ID: "https://mastodon.example/users/alice", Handle: "alice@mastodon.example", URL: "https://mastodon.example/users/alice"}

	t.Run("note", func(t *testing.T) {
		p := posts[0]
		eq(t, "id", p.ID, "mastodon:https://mastodon.example/users/alice/statuses/113000000000000001")
		eq(t, "url", p.URL, "https://mastodon.example/@alice/113000000000000001")
		eq(t, "author", p.Author, alice)
		eq(t, "text", p.Text, "Is S3 down for anyone else? Uploads fail with 503 & the console times out. #aws @bob\n\nStatus page: https://health.aws.example/")
		eq(t, "lang", p.Lang, "en")
		eq(t, "created", p.CreatedAt, mustTime(t, "2026-05-01T10:00:00Z"))
		eq(t, "hashtags", p.Hashtags, []string{"aws"})
		eq(t, "mentions", p.Mentions, []string{"bob@other.example"})
		eq(t, "links", p.Links, []string{"https://health.aws.example/"})
		eq(t, "media", p.Media, []string{"/media_attachments/files/113/000/000/000/000/001/original/3f2a9c.png"})
		eq(t, "metrics", p.Metrics, post.Metrics{Likes: 7, Reposts: 3})
		eq(t, "reply", p.ReplyTo, "")
		eq(t, "edited", p.EditedAt.IsZero(), true)
		if !strings.HasPrefix(string(p.Raw), `{`) || !strings.Contains(string(p.Raw), `"type": "Note"`) || strings.Contains(string(p.Raw), `"Create"`) {
			t.Errorf("Raw is not the Note: %.80s", p.Raw)
		}
	})
	t.Run("reply with content warning", func(t *testing.T) {
		p := posts[1]
		eq(t, "text", p.Text, "CW: Ausfall, langer Text\n\nNachtrag: Die Störung betrifft nur us-east-1.\n\nGrüße aus Köln")
		eq(t, "lang", p.Lang, "de")
		eq(t, "reply", p.ReplyTo, "mastodon:https://mastodon.example/users/alice/statuses/113000000000000001")
		eq(t, "edited", p.EditedAt, mustTime(t, "2026-05-01T10:25:30Z"))
		eq(t, "revision", p.Revision, mustTime(t, "2026-05-01T10:25:30Z").UnixNano())
	})
	t.Run("announce", func(t *testing.T) {
		p := posts[2]
		eq(t, "id", p.ID, "mastodon:https://mastodon.example/users/alice/statuses/113000000000000003/activity")
		eq(t, "repost", p.RepostOf, "mastodon:https://other.example/users/bob/statuses/42")
		eq(t, "text", p.Text, "")
		eq(t, "author", p.Author, alice)
		eq(t, "created", p.CreatedAt, mustTime(t, "2026-05-01T10:30:00Z"))
	})
	t.Run("note without published takes the activity's", func(t *testing.T) {
		eq(t, "created", posts[3].CreatedAt, mustTime(t, "2026-05-01T10:40:00Z"))
		eq(t, "url", posts[3].URL, posts[3].NativeID)
	})
}

func TestDecodeOutboxLinesAndErrors(t *testing.T) {
	// The fourth item's Note has no published time: it falls back to the
	// activity's. Drop both to get an error, on the Note's line.
	in := strings.Replace(outboxJSON, `"published": "2026-05-01T10:40:00Z",`, ``, 1)
	var got []string
	for it := range DecodeOutbox(strings.NewReader(in)) {
		switch {
		case it.Post != nil:
			got = append(got, "post")
		case it.Err != nil:
			got = append(got, it.Err.Error())
		}
		if it.Line < 1 {
			t.Errorf("line %d", it.Line)
		}
	}
	want := []string{"post", "post", "post", "activitypub: Note https://mastodon.example/users/alice/statuses/113000000000000004 has no published time"}
	eq(t, "items", got, want)

	var lines []int
	for it := range DecodeOutbox(strings.NewReader(outboxJSON)) {
		lines = append(lines, it.Line)
	}
	// The Expect of totalItems is on the collection's line; Notes start on
	// the line of their "object", the Announce on its own.
	eq(t, "lines", lines, []int{1, lineOf(outboxJSON, `"id": "https://mastodon.example/users/alice/statuses/113000000000000001",`) - 1,
		lineOf(outboxJSON, `"id": "https://mastodon.example/users/alice/statuses/113000000000000002",`) - 1,
		lineOf(outboxJSON, `"id": "https://mastodon.example/users/alice/statuses/113000000000000003/activity",`) - 1,
		lineOf(outboxJSON, `"id": "https://mastodon.example/users/alice/statuses/113000000000000004",`) - 1})
}

// lineOf returns the 1-based line of the first occurrence of s in text.
func lineOf(text, s string) int {
	return strings.Count(text[:strings.Index(text, s)], "\n") + 1
}

func TestDecodeOutboxShapes(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		posts  int
		dels   int
		errs   []string
		verify func(t *testing.T, posts []*post.Post, dels []*post.Ref)
	}{
		{name: "empty", in: ""},
		{name: "empty collection", in: `{"type":"OrderedCollection","totalItems":0,"orderedItems":[]}`},
		{name: "live outbox without items", in: `{"id":"https://m.example/users/a/outbox","type":"OrderedCollection","totalItems":12,"first":"https://m.example/users/a/outbox?page=true"}`,
			errs: []string{"holds 12 items but embeds none (they are on page https://m.example/users/a/outbox?page=true)"}},
		{name: "embedded first page", in: `{"type":"OrderedCollection","first":{"type":"OrderedCollectionPage","orderedItems":[{"type":"Note","id":"https://m.example/n/1","published":"2026-01-01T00:00:00Z","content":"hi"}]}}`, posts: 1},
		{name: "JSON Lines of activities", in: `{"type":"Create","object":{"type":"Note","id":"https://m.example/n/1","published":"2026-01-01T00:00:00Z","attributedTo":{"id":"https://m.example/@carol","name":"Carol","preferredUsername":"carol"},"contentMap":{"fr":"<p>salut</p>"},"tag":{"type":"Hashtag","name":"#panne"},"attachment":{"type":"Image","url":[{"type":"Link","href":"https://files.m.example/i.jpg"}]},"quoteUri":"https://o.example/n/9"}}
{"type":"Like","object":"https://m.example/n/1"}
{"type":"Delete","id":"https://m.example/n/1#delete","actor":"https://m.example/@carol","published":"2026-01-02T00:00:00Z","object":{"type":"Tombstone","id":"https://m.example/n/1"}}
{"type":"Delete","actor":"https://m.example/@carol","object":"https://m.example/@carol"}
{"type":"Announce","id":"https://m.example/a/1","published":"2026-01-03T00:00:00Z","object":{"type":"Note","id":"https://o.example/n/2","published":"2026-01-01T00:00:00Z","content":"boosted"}}
`, posts: 3, dels: 1, verify: func(t *testing.T, posts []*post.Post, dels []*post.Ref) {
			p := posts[0]
			eq(t, "author", p.Author, post.Author{ID: "https://m.example/@carol", Handle: "carol@m.example", Name: "Carol", URL: "https://m.example/@carol"})
			eq(t, "text", p.Text, "salut")
			eq(t, "lang", p.Lang, "fr")
			eq(t, "hashtags", p.Hashtags, []string{"panne"})
			eq(t, "media", p.Media, []string{"https://files.m.example/i.jpg"})
			eq(t, "quote", p.QuoteOf, "mastodon:https://o.example/n/9")
			eq(t, "delete", *dels[0], post.Ref{ID: "mastodon:https://m.example/n/1", Source: "mastodon", NativeID: "https://m.example/n/1", At: mustTime(t, "2026-01-02T00:00:00Z")})
			eq(t, "boost text", posts[1].Text, "boosted")
			eq(t, "boost of", posts[1].RepostOf, "mastodon:https://o.example/n/2")
			eq(t, "boosted", posts[2].ID, "mastodon:https://o.example/n/2")
		}},
		{name: "wrong shapes", in: `[1, "https://m.example/a/1", {"foo":1}, {"type":"Create","id":"x"}, {"type":"Create","id":"y","object":"https://m.example/n/1"}, {"type":"Note","published":"2026-01-01T00:00:00Z"}, {"type":"Announce","id":"z","published":"2026-01-01T00:00:00Z"}, {"type":"Announce","id":"z"}]`,
			errs: []string{
				"record is not a JSON object",
				"record is not a JSON object",
				"record has no type",
				"Create activity x has no object",
				"Create activity y does not embed its object https://m.example/n/1",
				"Note object has no id",
				"announce z has no object",
				"announce z has no valid published time",
			}},
		{name: "collection with link items", in: `{"type":"OrderedCollectionPage","orderedItems":["https://m.example/a/1", 5, {"id":"q"}]}`,
			errs: []string{"item https://m.example/a/1 is a link", "item is not a JSON object", "item has no type"}},
		{name: "truncated", in: "{\n \"type\": \"OrderedCollection\",\n \"orderedItems\": [\n", errs: []string{"malformed JSON"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			posts, dels, errs := collect(t, DecodeOutbox(strings.NewReader(tc.in)))
			if len(posts) != tc.posts || len(dels) != tc.dels {
				t.Errorf("got %d posts, %d deletes; want %d, %d", len(posts), len(dels), tc.posts, tc.dels)
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(tc.errs))
			}
			for i, e := range errs {
				if !strings.Contains(e.Err.Error(), tc.errs[i]) || !strings.HasPrefix(e.Err.Error(), "activitypub: ") {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Err, tc.errs[i])
				}
			}
			if tc.verify != nil && !t.Failed() {
				tc.verify(t, posts, dels)
			}
		})
	}
}

func FuzzDecodeOutbox(f *testing.F) {
	for _, s := range []string{
		outboxJSON, "", "{}", "[]", `"x"`,
		`{"type":"OrderedCollection","orderedItems":[{"type":"Announce","id":"a","published":"2026-01-01T00:00:00Z","object":"b"}]}`,
		`{"type":"Create","object":{"type":"Note","id":"n","published":"2026-01-01T00:00:00Z","tag":[{"type":"Mention","name":"@x","href":"https://h/users/x"}],"url":[{"href":"h","mediaType":"text/html"}]}}`,
		`{"type":["Note"],"id":"n","published":"2026-01-01T00:00:00Z","attributedTo":[{"id":"https://h/u/x"}],"contentMap":{}}`,
		`{"type":"OrderedCollection","first":{"type":"OrderedCollectionPage","first":{"type":"OrderedCollection"}}}`,
		`{"type":"Delete","object":{"id":"x"}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		collect(t, DecodeOutbox(strings.NewReader(in)))
	})
}
