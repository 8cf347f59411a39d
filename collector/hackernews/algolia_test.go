package hackernews

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// decodeAll collects what DecodeAlgolia yields and checks the item
// invariants.
func decodeAll(t testing.TB, in []byte) (posts []*post.Post, dels []*post.Ref, errs []collector.Item) {
	t.Helper()
	for it := range DecodeAlgolia(bytes.NewReader(in)) {
		if err := it.Check(); err != nil {
			t.Fatal(err)
		}
		switch {
		case it.Post != nil:
			posts = append(posts, it.Post)
		case it.Delete != nil:
			dels = append(dels, it.Delete)
		default:
			errs = append(errs, it)
		}
	}
	return posts, dels, errs
}

// fixtureReplies returns the recorded responses of the node-hacker-news-api
// fixture file, unwrapped from its {url, reply} test wrappers.
func fixtureReplies(t testing.TB) (urls []string, replies [][]byte) {
	t.Helper()
	b, err := os.ReadFile(testdata.Path(t, "hn", "node-hacker-news-api_algolia_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var wrappers []struct {
		URL   string          `json:"url"`
		Reply json.RawMessage `json:"reply"`
	}
	if err := json.Unmarshal(b, &wrappers); err != nil {
		t.Fatal(err)
	}
	for _, w := range wrappers {
		urls = append(urls, w.URL)
		replies = append(replies, w.Reply)
	}
	return urls, replies
}

func TestAlgoliaFixtureCounts(t *testing.T) {
	urls, replies := fixtureReplies(t)
	if len(replies) != 26 {
		t.Fatalf("got %d fixtures, want 26", len(replies))
	}
	total := 0
	for i, r := range replies {
		want := 1 // every search response has exactly one hit
		switch {
		case strings.HasPrefix(urls[i], "/api/v1/items/17"):
			want = 3 // 17 and its two replies
		case strings.HasPrefix(urls[i], "/api/v1/users/"):
			want = 0 // a user is not a post
		}
		posts, dels, errs := decodeAll(t, r)
		if len(posts) != want || len(dels) != 0 || len(errs) != 0 {
			t.Errorf("%s: got %d posts, %d deletes, %d errors (%v); want %d posts", urls[i], len(posts), len(dels), len(errs), errs, want)
		}
		total += len(posts)
	}
	if total != 27 {
		t.Errorf("total posts %d, want 27", total)
	}

	// All replies as JSON Lines, one response per line.
	var jl bytes.Buffer
	for _, r := range replies {
		var c bytes.Buffer
		if err := json.Compact(&c, r); err != nil {
			t.Fatal(err)
		}
		jl.Write(c.Bytes())
		jl.WriteByte('\n')
	}
	posts, dels, errs := decodeAll(t, jl.Bytes())
	if len(posts) != 27 || len(dels) != 0 || len(errs) != 0 {
		t.Errorf("JSON Lines: got %d posts, %d deletes, %d errors; want 27, 0, 0", len(posts), len(dels), len(errs))
	}
	lines := map[string]int{}
	for _, p := range posts {
		lines[p.NativeID] = 0
	}
	for it := range DecodeAlgolia(bytes.NewReader(jl.Bytes())) {
		if it.Post != nil && it.Post.NativeID == "454426" {
			lines["454426"] = it.Line
		}
	}
	if lines["454426"] != 9 {
		t.Errorf("item 454426 on line %d, want 9 (the items/17 response)", lines["454426"])
	}

	// As a JSON array of responses.
	arr := append([]byte("["), bytes.Join(replies, []byte(","))...)
	arr = append(arr, ']')
	if posts, _, errs := decodeAll(t, arr); len(posts) != 27 || len(errs) != 0 {
		t.Errorf("array: got %d posts, %d errors; want 27, 0", len(posts), len(errs))
	}

	// The wrapper file itself is not an Algolia format: every wrapper is an error.
	b, err := os.ReadFile(testdata.Path(t, "hn", "node-hacker-news-api_algolia_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	posts, _, errs = decodeAll(t, b)
	if len(posts) != 0 || len(errs) != 26 {
		t.Errorf("wrapper file: got %d posts, %d errors; want 0, 26", len(posts), len(errs))
	}
	if len(errs) > 0 && !strings.Contains(errs[0].Err.Error(), "keys: reply, url") {
		t.Errorf("wrapper error %q does not name the keys", errs[0].Err)
	}
}

func TestAlgoliaFixtureFields(t *testing.T) {
	_, replies := fixtureReplies(t)
	byID := map[string]*post.Post{}
	for _, r := range replies {
		posts, _, _ := decodeAll(t, r)
		for _, p := range posts {
			byID[p.NativeID] = p
		}
	}
	tests := []struct {
		id             string
		handle         string
		created        string
		replyTo        string
		likes, replies int64
		text           string // exact, unless prefix is set
		prefix         bool
		links          []string
	}{
		{id: "6805807", handle: "zedshaw", created: "2013-11-27T02:18:36Z", replyTo: "hackernews:6805699", likes: 1081,
			text: "Hey, other comments are going to give you a few lines telling you to not quit, that you should hang in there, and that it'll be alright.  That may be true", prefix: true},
		{id: "7919431", handle: "gohrt", created: "2014-06-20T03:39:55Z", replyTo: "hackernews:7919207", likes: 1,
			text:  "A perennial HN favorite\n\nhttps://hn.algolia.com/?q=Fibonacci+Flim-Flam#!/all/forever/...\n\nWhat's fascinating about this topic is that the reposts come at intervals that approximates the Fibonacci sequence.",
			links: []string{"https://hn.algolia.com/?q=Fibonacci+Flim-Flam#!/all/forever/0/Fibonacci%20Flim-Flam"}},
		{id: "7494555", handle: "pg", created: "2014-03-30T00:12:35Z", replyTo: "hackernews:7494175", likes: 8,
			text: "Is there a forum that doesn't ban people?"},
		{id: "3078128", handle: "patricktomas", created: "2011-10-05T23:42:23Z", likes: 4271, replies: 376,
			text: "Steve Jobs has passed away.", links: []string{"http://www.apple.com/stevejobs/"}},
		{id: "5239673", handle: "pg", created: "2013-02-18T18:26:05Z", likes: 1027, replies: 292,
			text: "Why HN was down\n\nHacker News was down all last night.  The problem was not due to\nthe new server.  In fact the cause was embarrassingly stupid.\n\nOn a comment thread,", prefix: true},
		{id: "3746692", handle: "GreekOphion", created: "2012-03-23T19:19:37Z", likes: 2321, replies: 592,
			text: "Poll: What's Your Favorite Programming Language?\n\nWhat's your favortie programming langauge?\n\nBelow are the most popular languages", prefix: true},
		{id: "7915384", handle: "techidse", created: "2014-06-19T09:53:30Z", likes: 1, replies: 3,
			// The 2014 recording holds a literal backslash-t and backslash-n.
			text: `Ask HN: How can I get Swag from Startups?` + "\n\n" + `\tHello HN,\nI'm a college student from India.`, prefix: true},
		{id: "17", handle: "pg", created: "2006-10-09T19:52:45Z", replyTo: "hackernews:15", likes: 5,
			text: "Is there anywhere to eat on Sandhill Road?"},
		{id: "1079", handle: "dmon", created: "2007-02-25T22:18:23Z", replyTo: "hackernews:17", likes: 4, text: "sure"},
		{id: "454426", handle: "Arrington", created: "2009-01-28T20:32:27Z", replyTo: "hackernews:17", likes: 1,
			text: "This is why we can't have nice things."},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p := byID[tt.id]
			if p == nil {
				t.Fatalf("post %s not decoded", tt.id)
			}
			if p.ID != "hackernews:"+tt.id || p.Source != post.HackerNews {
				t.Errorf("id %q source %q", p.ID, p.Source)
			}
			if want := "https://news.ycombinator.com/item?id=" + tt.id; p.URL != want {
				t.Errorf("url %q, want %q", p.URL, want)
			}
			wantAuthor := post.Author{ID: tt.handle, Handle: tt.handle, URL: "https://news.ycombinator.com/user?id=" + tt.handle}
			if p.Author != wantAuthor {
				t.Errorf("author %+v, want %+v", p.Author, wantAuthor)
			}
			if got := p.CreatedAt.Format(time.RFC3339); got != tt.created || p.CreatedAt.Location() != time.UTC {
				t.Errorf("created %s (%v), want %s UTC", got, p.CreatedAt.Location(), tt.created)
			}
			if p.ReplyTo != tt.replyTo {
				t.Errorf("reply to %q, want %q", p.ReplyTo, tt.replyTo)
			}
			if p.Metrics != (post.Metrics{Likes: tt.likes, Replies: tt.replies}) {
				t.Errorf("metrics %+v, want likes %d replies %d", p.Metrics, tt.likes, tt.replies)
			}
			if tt.prefix && !strings.HasPrefix(p.Text, tt.text) || !tt.prefix && p.Text != tt.text {
				t.Errorf("text %q, want %q (prefix %v)", p.Text, tt.text, tt.prefix)
			}
			if !slices.Equal(p.Links, tt.links) {
				t.Errorf("links %q, want %q", p.Links, tt.links)
			}
			if p.Lang != "" || p.Hashtags != nil || !p.CollectedAt.IsZero() {
				t.Errorf("lang %q hashtags %q collected %v: want none", p.Lang, p.Hashtags, p.CollectedAt)
			}
			var raw struct {
				ObjectID string `json:"objectID"`
				ID       int64  `json:"id"`
			}
			if err := json.Unmarshal(p.Raw, &raw); err != nil {
				t.Fatalf("raw is not JSON: %v", err)
			}
			if raw.ObjectID != tt.id && raw.ID == 0 {
				t.Errorf("raw %s is not the post's object", p.Raw)
			}
		})
	}
	// The story's text ends with its last paragraph, and the tree root keeps
	// only its children's ids.
	if p := byID["5239673"]; !strings.HasSuffix(p.Text, "and everything seems fine now.\n\nSorry about that.") {
		t.Errorf("story text ends %q", p.Text[len(p.Text)-60:])
	}
	if raw := string(byID["17"].Raw); !strings.Contains(raw, `"children":[1079,454426]`) || !json.Valid(byID["17"].Raw) {
		t.Errorf("raw of item 17 = %s, want children replaced by ids", raw)
	}
	if raw := string(byID["1079"].Raw); !strings.HasSuffix(raw, `"story_id":1,"children":[]}`) {
		t.Errorf("raw of item 1079 = %s, want verbatim", raw)
	}
}

func TestAlgoliaEdgeCases(t *testing.T) {
	type want struct {
		posts, dels, errs int
		errLines          []int
		errHas            string
	}
	tests := []struct {
		name string
		in   string
		want want
		post func(t *testing.T, ps []*post.Post, ds []*post.Ref)
	}{
		{name: "empty", in: "", want: want{}},
		{name: "blank lines", in: "\n \n", want: want{}},
		{
			name: "malformed line goes on",
			in:   `{"objectID":"1","created_at_i":1700000000,"author":"a","title":"T"}` + "\n" + `{"objectID":"2",` + "\n" + `{"objectID":"3","created_at_i":1700000000,"author":"a","comment_text":"c","parent_id":1}`,
			want: want{posts: 2, errs: 1, errLines: []int{2}, errHas: "malformed JSON"},
		},
		{
			name: "missing id",
			in:   `{"hits":[{"created_at_i":1700000000,"author":"a","title":"T"}],"nbHits":1}`,
			want: want{errs: 1, errLines: []int{1}, errHas: "no objectID"},
		},
		{
			name: "missing time",
			in:   `{"objectID":"9","author":"a","title":"T"}`,
			want: want{errs: 1, errLines: []int{1}, errHas: "item 9: no created_at_i, created_at or time"},
		},
		{
			name: "bad created_at",
			in:   `{"objectID":"9","author":"a","title":"T","created_at":"yesterday"}`,
			want: want{errs: 1, errHas: `created_at "yesterday"`},
		},
		{
			name: "created_at only, ids as strings and numbers",
			in:   `{"objectID":9,"author":"a","comment_text":"<p>x &amp; y</p><p>z","created_at":"2024-05-01T10:00:00.000Z","parent_id":"8","story_id":"7","points":null}`,
			want: want{posts: 1},
			post: func(t *testing.T, ps []*post.Post, _ []*post.Ref) {
				p := ps[0]
				if p.NativeID != "9" || p.ReplyTo != "hackernews:8" || p.Text != "x & y\n\nz" ||
					!p.CreatedAt.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			name: "story_id when parent_id is missing",
			in:   `{"objectID":"9","author":"a","comment_text":"c","created_at_i":1700000000,"story_id":7,"_tags":["comment"]}`,
			want: want{posts: 1},
			post: func(t *testing.T, ps []*post.Post, _ []*post.Ref) {
				if ps[0].ReplyTo != "hackernews:7" {
					t.Errorf("reply to %q", ps[0].ReplyTo)
				}
			},
		},
		{
			name: "story with text and url",
			in:   `{"objectID":"5","author":"a","title":"Down?","url":"https://status.example/","story_text":"Is it <i>down</i>? See <a href=\"https://x.example/a\">x</a>","created_at_i":1700000000,"points":3,"num_comments":2}`,
			want: want{posts: 1},
			post: func(t *testing.T, ps []*post.Post, _ []*post.Ref) {
				p := ps[0]
				if p.Text != "Down?\n\nIs it down? See x" || !slices.Equal(p.Links, []string{"https://status.example/", "https://x.example/a"}) ||
					p.ReplyTo != "" || p.Metrics.Likes != 3 || p.Metrics.Replies != 2 {
					t.Errorf("got %+v", p)
				}
			},
		},
		{
			name: "deleted item in a tree",
			in:   `{"id":1,"type":"story","author":"a","title":"T","created_at_i":1700000000,"children":[{"id":2,"type":"comment","author":null,"text":null,"created_at_i":1700000001,"children":[{"id":3,"type":"comment","author":"b","text":"r","created_at_i":1700000002,"children":[]}]},null]}`,
			want: want{posts: 3, dels: 1},
			post: func(t *testing.T, ps []*post.Post, ds []*post.Ref) {
				// What is left of item 2 is a post (then its Delete), so
				// 3 still hangs under 1 through it.
				if d := ps[1]; d.NativeID != "2" || d.Text != "" || d.Author != (post.Author{}) || d.ReplyTo != "hackernews:1" {
					t.Errorf("deleted item: %+v", d)
				}
				if ds[0].ID != "hackernews:2" || ps[2].ReplyTo != "hackernews:2" || string(ps[0].Raw) != `{"id":1,"type":"story","author":"a","title":"T","created_at_i":1700000000,"children":[2,null]}` {
					t.Errorf("got %+v %+v raw %s", ds[0], ps[1], ps[0].Raw)
				}
			},
		},
		{
			name: "explicitly deleted",
			in:   `{"id":4,"deleted":true,"type":"comment","created_at_i":1700000000}`,
			want: want{posts: 1, dels: 1},
		},
		{
			name: "deleted without time is only a Delete",
			in:   `{"id":4,"deleted":true,"type":"comment"}`,
			want: want{dels: 1},
		},
		{
			name: "children as ids, as newer hits have them",
			in:   `{"objectID":"1","author":"a","title":"T","created_at_i":1700000000,"children":[5, 6]}`,
			want: want{posts: 1},
			post: func(t *testing.T, ps []*post.Post, _ []*post.Ref) {
				if string(ps[0].Raw) != `{"objectID":"1","author":"a","title":"T","created_at_i":1700000000,"children":[5, 6]}` {
					t.Errorf("raw %s", ps[0].Raw)
				}
			},
		},
		{
			name: "bad child",
			in:   `{"id":1,"type":"story","author":"a","title":"T","created_at_i":1700000000,"children":[{"id":2,"type":"comment","text":5}]}`,
			want: want{posts: 1, errs: 1, errHas: "malformed reply to item 1"},
		},
		{
			name: "deep tree",
			in:   strings.Repeat(`{"id":1,"type":"comment","author":"a","text":"x","created_at_i":1,"children":[`, 2000) + strings.Repeat("]}", 2000),
			want: want{posts: 2000},
		},
		{name: "user skipped", in: `{"id":623037,"username":"pg","about":"Bug fixer.","karma":1,"created_at_i":1160418092,"objectID":"pg"}`, want: want{}},
		{name: "poll option skipped", in: `{"id":8,"type":"pollopt","author":"a","text":"Go","created_at_i":1700000000}`, want: want{}},
		{name: "error response", in: `{"message":"Invalid value for numericFilters","status":400}`, want: want{errs: 1, errHas: "API error: Invalid value"}},
		{name: "capped search", in: `{"hits":[],"nbHits":0,"message":"you can only fetch the 1000 hits for this query"}`, want: want{errs: 1, errHas: "1000 hits"}},
		{name: "hits not an array", in: `{"hits":{"a":1}}`, want: want{errs: 1, errHas: "not an array"}},
		{name: "null hits", in: `{"hits":null}`, want: want{}},
		{name: "wrong shape", in: "[1, \"x\", {\"a\":1}]", want: want{errs: 3}},
		{name: "wrong field type", in: `{"objectID":"1","title":5,"created_at_i":1}`, want: want{errs: 1, errHas: "malformed record"}},
		{name: "time out of range", in: `{"objectID":"1","title":"x","created_at_i":99999999999999}`, want: want{errs: 1, errHas: "out of range"}},
		{
			name: "array of responses over lines",
			in:   "[\n{\"hits\":[{\"objectID\":\"1\",\"title\":\"a\",\"created_at_i\":1}]},\n{\"hits\":[{\"objectID\":\"2\",\"title\":\"b\",\"created_at_i\":2}, {\"objectID\":\"3\"}]}\n]",
			want: want{posts: 2, errs: 1, errLines: []int{3}, errHas: "item 3: no created_at_i"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, ds, es := decodeAll(t, []byte(tt.in))
			if len(ps) != tt.want.posts || len(ds) != tt.want.dels || len(es) != tt.want.errs {
				t.Fatalf("got %d posts, %d deletes, %d errors %v; want %+v", len(ps), len(ds), len(es), es, tt.want)
			}
			for i, l := range tt.want.errLines {
				if es[i].Line != l {
					t.Errorf("error %d on line %d, want %d", i, es[i].Line, l)
				}
			}
			if tt.want.errHas != "" && !strings.Contains(es[0].Err.Error(), tt.want.errHas) {
				t.Errorf("error %q does not contain %q", es[0].Err, tt.want.errHas)
			}
			for _, e := range es {
				if !strings.HasPrefix(e.Err.Error(), "hackernews: ") {
					t.Errorf("error %q lacks context", e.Err)
				}
			}
			if tt.post != nil {
				tt.post(t, ps, ds)
			}
		})
	}
}

func TestAlgoliaStopsWhenAsked(t *testing.T) {
	in := `{"id":1,"type":"story","author":"a","title":"T","created_at_i":1,"children":[{"id":2,"type":"comment","author":"b","text":"r","created_at_i":2}]}`
	n := 0
	for range DecodeAlgolia(strings.NewReader(in)) {
		n++
		break
	}
	if n != 1 {
		t.Fatal(n)
	}
}

func FuzzDecodeAlgolia(f *testing.F) {
	for _, s := range []string{
		`{"hits":[{"objectID":"1","title":"a","url":"https://x","created_at_i":1700000000,"points":1,"num_comments":0,"_tags":["story"]}],"nbHits":1}`,
		`{"objectID":"2","comment_text":"<p>hi <a href=\"https://x\">x</a>","parent_id":1,"created_at":"2024-01-01T00:00:00Z","author":"b"}`,
		`{"id":1,"type":"story","author":"a","title":"T","created_at_i":1,"children":[{"id":2,"type":"comment","author":null,"text":null,"children":[]}]}`,
		"{\"objectID\":\"1\"}\n{bad\n[{\"hits\":null}]",
		`{"id":623037,"username":"pg","objectID":"pg"}`,
		`{"message":"err"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		decodeAll(t, in)
	})
}
