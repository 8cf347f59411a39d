package bluesky

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// The AppView fixtures in testdata/appview were written for these tests in
// the shape of the app.bsky lexicons (invented accounts and posts).
const (
	didNina   = "did:plc:x7k2m4qv5tjw3yhz6ne2rbda"
	didRaj    = "did:plc:r5fwq2l6cu3oxj7kjd4vzs3m"
	didStatus = "did:plc:s3gq7vjhx2ld6fk4ep5cyrtm"
	didMia    = "did:plc:m2pv6ow3zqbtk5hj7xr4lyae"

	rootURI  = "at://" + didStatus + "/app.bsky.feed.post/3lrbq2xk5cs2a" // the status account's incident post
	ninaURI  = "at://" + didNina + "/app.bsky.feed.post/3lrbq4mqa3k2b"   // Nina's reply to it
	rajURI   = "at://" + didRaj + "/app.bsky.feed.post/3lrbq5ttbwc2k"    // Raj's reply to Nina, with an image
	miaURI   = "at://" + didMia + "/app.bsky.feed.post/3lrbqb3ykqs2x"    // Mia's reply to Nina
	searchA  = "at://" + didRaj + "/app.bsky.feed.post/3lrbq3c2ffk2s"    // two hashtags
	searchB  = "at://" + didNina + "/app.bsky.feed.post/3lrbq7xcqfs2m"   // link facet and external embed
	quoteURI = "at://" + didMia + "/app.bsky.feed.post/3lrbqa2nd5c2p"    // quotes rootURI
	pmURI    = "at://" + didNina + "/app.bsky.feed.post/3lrdx2k4wyc2t"   // Nina's post-mortem post
)

func decodeAppViewFixture(t *testing.T, name string) result {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "appview", name))
	if err != nil {
		t.Fatal(err)
	}
	return collect(t, DecodeAppView(bytes.NewReader(b)))
}

func nativeIDs(posts []*post.Post) []string {
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.NativeID)
	}
	return ids
}

func TestDecodeAppViewFixtures(t *testing.T) {
	tests := []struct {
		file string
		ids  []string
	}{
		// Parents oldest first (the not-found grandparent skipped), the
		// post, its replies depth first (a blocked and a not-found reply
		// skipped).
		{"getPostThread.json", []string{rootURI, ninaURI, rajURI, miaURI}},
		{"getPostThreadV2.json", []string{rootURI, ninaURI}},
		// The quote's viewRecord yields the quoted post after it.
		{"searchPosts.json", []string{searchA, searchB, quoteURI, rootURI}},
		// A reply's parent and root follow it, once per record; a repost
		// and a pin yield the post itself; a not-found root is skipped.
		{"getAuthorFeed.json", []string{pmURI, ninaURI, rootURI, miaURI, searchA, searchB}},
		{"getPosts.json", []string{pmURI, rajURI}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			r := decodeAppViewFixture(t, tc.file)
			if len(r.errs) != 0 || len(r.dels) != 0 {
				t.Fatalf("%d errors %v, %d deletes", len(r.errs), r.errs, len(r.dels))
			}
			eq(t, "posts", nativeIDs(r.posts), tc.ids)
			for _, p := range r.posts {
				if p.Revision != 0 || !p.EditedAt.IsZero() || !p.CollectedAt.IsZero() {
					t.Errorf("%s: revision %d, edited %v, collected %v", p.ID, p.Revision, p.EditedAt, p.CollectedAt)
				}
				var raw struct {
					URI string `json:"uri"`
				}
				if err := json.Unmarshal(p.Raw, &raw); err != nil || raw.URI != p.NativeID {
					t.Errorf("%s: Raw is not its view (uri %q, %v)", p.ID, raw.URI, err)
				}
			}
		})
	}
}

func TestDecodeAppViewFields(t *testing.T) {
	thread := decodeAppViewFixture(t, "getPostThread.json").posts
	search := decodeAppViewFixture(t, "searchPosts.json").posts
	feed := decodeAppViewFixture(t, "getAuthorFeed.json").posts

	t.Run("reply with mention", func(t *testing.T) {
		p := thread[1]
		eq(t, "id", p.ID, "bluesky:"+ninaURI)
		eq(t, "url", p.URL, "https://bsky.app/profile/"+didNina+"/post/3lrbq4mqa3k2b")
		eq(t, "author", p.Author, post.Author{ID: didNina, Handle: "nina-ops.bsky.social", Name: "Nina ☁️", URL: "https://bsky.app/profile/" + didNina})
		eq(t, "text", p.Text, "Same here, uploads to eu-west fail with 503 since 13:55 CET. @status.cloudhost.example any ETA?")
		eq(t, "created", p.CreatedAt, mustTime(t, "2026-02-17T13:05:40.118Z"))
		eq(t, "reply", p.ReplyTo, "bluesky:"+rootURI)
		eq(t, "mentions", p.Mentions, []string{didStatus})
		eq(t, "metrics", p.Metrics, post.Metrics{Likes: 9, Reposts: 1, Replies: 2})
		eq(t, "lang", p.Lang, "en")
	})
	t.Run("image from the record's blob", func(t *testing.T) {
		p := thread[2]
		eq(t, "reply", p.ReplyTo, "bluesky:"+ninaURI)
		eq(t, "media", p.Media, []string{"https://cdn.bsky.app/img/feed_fullsize/plain/" + didRaj + "/bafkreibme22gw2h7y2eunqjyqzi6uo5mt2yxfjn2xe6ldhxpiizgwhl6wu@jpeg"})
	})
	t.Run("empty display name", func(t *testing.T) {
		eq(t, "author", thread[3].Author, post.Author{ID: didMia, Handle: "mia.bsky.social", URL: "https://bsky.app/profile/" + didMia})
	})
	t.Run("hashtags and links", func(t *testing.T) {
		eq(t, "hashtags", search[0].Hashtags, []string{"cloudhost", "outage"})
		eq(t, "links", search[1].Links, []string{"https://status.cloudhost.example/incidents/8841"})
		eq(t, "metrics", search[1].Metrics, post.Metrics{Likes: 5, Reposts: 3, Quotes: 1})
	})
	t.Run("quote and quoted post", func(t *testing.T) {
		q, root := search[2], search[3]
		eq(t, "quote", q.QuoteOf, "bluesky:"+rootURI)
		// The viewRecord gives the same post as the thread's postView.
		want := thread[0]
		eq(t, "id", root.ID, want.ID)
		eq(t, "author", root.Author, want.Author)
		eq(t, "text", root.Text, want.Text)
		eq(t, "created", root.CreatedAt, want.CreatedAt)
		eq(t, "hashtags", root.Hashtags, []string{"incident"})
		eq(t, "metrics", root.Metrics, post.Metrics{Likes: 57, Reposts: 41, Replies: 3, Quotes: 2})
		eq(t, "metrics in the thread", want.Metrics, root.Metrics)
	})
	t.Run("langs", func(t *testing.T) {
		eq(t, "lang", feed[0].Lang, "en")
		eq(t, "hashtags", feed[0].Hashtags, []string{"postmortem"})
	})
}

// TestAppViewMatchesJetstream reads every post of the real Jetstream corpus
// twice: from its event, and from a getPosts response that a test builds
// around the same record (as the AppView serves it). Both must give the
// same post, apart from what only the AppView knows (handle, name, counts).
func TestAppViewMatchesJetstream(t *testing.T) {
	data, err := os.ReadFile(testdata.Path(t, "bluesky", "jetstream_v1_corpus_expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var views []map[string]any
	for line := range strings.SplitSeq(string(data), "\n") {
		var ev struct {
			Did    string `json:"did"`
			TimeUS int64  `json:"time_us"`
			Commit *struct {
				Operation  string          `json:"operation"`
				Collection string          `json:"collection"`
				Rkey       string          `json:"rkey"`
				Cid        string          `json:"cid"`
				Record     json.RawMessage `json:"record"`
			} `json:"commit"`
		}
		if json.Unmarshal([]byte(line), &ev) != nil || ev.Commit == nil || ev.Commit.Collection != PostCollection || ev.Commit.Operation != "create" {
			continue
		}
		views = append(views, map[string]any{
			"uri":         "at://" + ev.Did + "/" + PostCollection + "/" + ev.Commit.Rkey,
			"cid":         ev.Commit.Cid,
			"author":      map[string]any{"did": ev.Did, "handle": "someone.bsky.social", "displayName": "Someone"},
			"record":      ev.Commit.Record,
			"replyCount":  1,
			"repostCount": 2,
			"likeCount":   3,
			"quoteCount":  4,
			"indexedAt":   time.UnixMicro(ev.TimeUS).UTC().Format(time.RFC3339Nano),
		})
	}
	body, err := json.Marshal(map[string]any{"posts": views})
	if err != nil {
		t.Fatal(err)
	}
	js := collect(t, DecodeJetstream(bytes.NewReader(data)))
	av := collect(t, DecodeAppView(bytes.NewReader(body)))
	if len(js.posts) != 17 || len(av.posts) != 17 || len(av.errs) != 0 {
		t.Fatalf("jetstream %d posts, appview %d posts and %d errors %v; want 17, 17, 0", len(js.posts), len(av.posts), len(av.errs), av.errs)
	}
	for i, want := range js.posts {
		got := *av.posts[i]
		eq(t, "author", got.Author, post.Author{ID: want.Author.ID, Handle: "someone.bsky.social", Name: "Someone", URL: want.Author.URL})
		eq(t, "metrics", got.Metrics, post.Metrics{Likes: 3, Reposts: 2, Replies: 1, Quotes: 4})
		got.Author, got.Metrics, got.Raw = want.Author, want.Metrics, want.Raw
		eq(t, "post "+want.ID, got, *want)
	}
}

func TestDecodeAppViewShapes(t *testing.T) {
	const rec = `"record":{"$type":"app.bsky.feed.post","text":"hi","createdAt":"2026-01-01T00:00:00Z"}`
	view := func(uri string) string {
		return `{"uri":"` + uri + `","cid":"bafy","author":{"did":"did:plc:a","handle":"a.test"},` + rec + `,"indexedAt":"2026-01-01T00:00:01Z"}`
	}
	tests := []struct {
		name, in string
		posts    int
		errs     []string
	}{
		{name: "empty", in: ""},
		{name: "nothing found", in: `{"thread":null}` + "\n" + `{"posts":[]}` + "\n" + `{"feed":[],"cursor":"x"}`},
		{name: "thread not found", in: `{"thread":{"$type":"app.bsky.feed.defs#notFoundPost","uri":"at://did:plc:a/app.bsky.feed.post/1","notFound":true}}`},
		{name: "thread blocked", in: `{"thread":{"$type":"app.bsky.feed.defs#blockedPost","uri":"at://did:plc:a/app.bsky.feed.post/1","blocked":true,"author":{"did":"did:plc:a"}}}`},
		{name: "XRPC error", in: `{"error":"NotFound","message":"Post not found: at://did:plc:a/app.bsky.feed.post/1"}`, errs: []string{"XRPC error NotFound: Post not found"}},
		{name: "bare post views, JSON Lines", in: view("at://did:plc:a/app.bsky.feed.post/1") + "\n" + view("at://did:plc:a/app.bsky.feed.post/2"), posts: 2},
		{name: "array of post views", in: "[" + view("at://did:plc:a/app.bsky.feed.post/1") + ",\n" + view("at://did:plc:a/app.bsky.feed.post/1") + "]", posts: 2},
		{name: "bare feed item and thread view", in: `{"post":` + view("at://did:plc:a/app.bsky.feed.post/1") + `}` + "\n" + `{"$type":"app.bsky.feed.defs#threadViewPost","post":` + view("at://did:plc:a/app.bsky.feed.post/2") + `,"replies":[{"$type":"app.bsky.feed.defs#threadViewPost","post":` + view("at://did:plc:a/app.bsky.feed.post/3") + `}]}`, posts: 3},
		{name: "a post once per record", in: `{"posts":[` + view("at://did:plc:a/app.bsky.feed.post/1") + `,` + view("at://did:plc:a/app.bsky.feed.post/1") + `]}`, posts: 1},
		{name: "createdAt missing: indexedAt", in: `{"uri":"at://did:plc:a/app.bsky.feed.post/1","author":{"did":"did:plc:a"},"record":{"text":"x"},"indexedAt":"2026-01-01T00:00:01Z"}`, posts: 1},
		{name: "wrong shapes", in: `[1, {"foo":1}, {"posts":"x"}, {"feed":[{"reason":{}}, 5]}, {"thread":{"$type":"app.bsky.feed.defs#threadViewPost"}}]`,
			errs: []string{"record is not a JSON object", "neither an AppView response", `"posts" is not an array`, "feed item has no post", "feed item is not a JSON object", `thread: node of type "app.bsky.feed.defs#threadViewPost" has no post`}},
		{name: "bad post views", in: `{"posts":[` +
			view("at://did:plc:a/app.bsky.feed.generator/hot") + `,` +
			view("https://bsky.app/profile/a/post/1") + `,` +
			view("at://alice.test/app.bsky.feed.post/1") + `,` +
			`{"uri":"at://did:plc:a/app.bsky.feed.post/1"},` +
			`{"uri":"at://did:plc:a/app.bsky.feed.post/2","record":{"text":"x"}},` +
			`{"uri":"at://did:plc:a/app.bsky.feed.post/3","record":{"text":"x","createdAt":"soon"}},` +
			`"x"]}`,
			errs: []string{"no at:// URI of a post", "no at:// URI of a post", "no at:// URI of a post", "has no record", "neither createdAt nor indexedAt", `bad createdAt "soon" and no indexedAt`, "post view is not a JSON object"}},
		{name: "truncated", in: "{\"posts\": [\n", errs: []string{"malformed JSON"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := collect(t, DecodeAppView(strings.NewReader(tc.in)))
			if len(r.posts) != tc.posts {
				t.Errorf("got %d posts, want %d", len(r.posts), tc.posts)
			}
			if len(r.errs) != len(tc.errs) {
				t.Fatalf("got %d errors %v, want %d", len(r.errs), r.errs, len(tc.errs))
			}
			for i, e := range r.errs {
				if !strings.HasPrefix(e.Err.Error(), "appview: ") || !strings.Contains(e.Err.Error(), tc.errs[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Err, tc.errs[i])
				}
			}
		})
	}
}

func FuzzDecodeAppView(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "appview", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"", "{}", "[]", "null", `{"thread":[]}`, `{"thread":"x"}`, `{"error":"X"}`,
		`{"thread":{"$type":"app.bsky.feed.defs#threadViewPost","post":{"uri":"at://did:plc:a/app.bsky.feed.post/1","record":{"createdAt":"2026-01-01T00:00:00Z"}},"parent":{"$type":"app.bsky.feed.defs#threadViewPost","post":{},"parent":{"notFound":true}},"replies":[{"post":null,"blocked":true}]}}`,
		`{"feed":[{"post":{"uri":"at://did:plc:a/app.bsky.feed.post/1","record":{"createdAt":"2026-01-01T00:00:00Z"},"embed":{"$type":"app.bsky.embed.recordWithMedia#view","record":{"record":{"$type":"app.bsky.embed.record#viewRecord","uri":"at://did:plc:b/app.bsky.feed.post/2","value":{"createdAt":"x"},"indexedAt":"2026-01-01T00:00:00Z","embeds":[{"$type":"app.bsky.embed.record#view","record":{"$type":"app.bsky.embed.record#viewRecord","uri":"at://did:plc:c/app.bsky.feed.post/3","value":{}}}]}}}},"reply":{"root":{"notFound":true},"parent":"x"}}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		collect(t, DecodeAppView(strings.NewReader(in)))
	})
}

// BenchmarkDecodeAppView reads a getAuthorFeed page of 1,000 items, each a
// post view of the search fixture under a new URI.
func BenchmarkDecodeAppView(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "appview", "searchPosts.json"))
	if err != nil {
		b.Fatal(err)
	}
	var page struct {
		Posts []map[string]any `json:"posts"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		b.Fatal(err)
	}
	var feed []any
	for i := range 1000 {
		v := maps.Clone(page.Posts[i%2])
		v["uri"] = fmt.Sprintf("at://%s/app.bsky.feed.post/3lrbq%08d", didNina, i)
		feed = append(feed, map[string]any{"post": v})
	}
	in, err := json.Marshal(map[string]any{"feed": feed})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		n := 0
		for it := range DecodeAppView(bytes.NewReader(in)) {
			if it.Post == nil {
				b.Fatal(it.Err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("%d posts", n)
		}
	}
}
