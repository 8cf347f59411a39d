package reddit

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

type result struct {
	posts []*post.Post
	lines []int // line of each post
	dels  []*post.Ref
	errs  []collector.Item
	exps  []collector.Item
}

// decodeAll collects what DecodeListing yields and checks the item
// invariants.
func decodeAll(t testing.TB, in []byte) result {
	t.Helper()
	var r result
	for it := range DecodeListing(bytes.NewReader(in)) {
		if err := it.Check(); err != nil {
			t.Fatal(err)
		}
		switch {
		case it.Post != nil:
			r.posts = append(r.posts, it.Post)
			r.lines = append(r.lines, it.Line)
		case it.Delete != nil:
			r.dels = append(r.dels, it.Delete)
		case it.Expect != nil:
			r.exps = append(r.exps, it)
		default:
			if !strings.HasPrefix(it.Err.Error(), "reddit: ") {
				t.Errorf("error %q lacks context", it.Err)
			}
			r.errs = append(r.errs, it)
		}
	}
	return r
}

func readData(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testdata.Path(t, "reddit", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestListingFiles(t *testing.T) {
	tests := []struct {
		file   string
		ids    []string // fullnames, in order
		lines  []int
		expect []collector.Expect
	}{
		// The /comments/<id> answer: the post announces 2 comments.
		{"go-reddit_post_with_comments.json", []string{"t3_testpost", "t1_testc1", "t1_testc2"}, []int{2, 123, 123}, []collector.Expect{{Posts: 3, Field: "num_comments"}}},
		{"go-reddit_search_posts_listing.json", []string{"t3_hybow9", "t3_hmwhd7"}, []int{1, 1}, nil},
		{"go-reddit_subreddit_random_listing.json", []string{"t3_href69", "t3_href9f", "t3_huv6o6"}, []int{1, 1, 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := readData(t, tt.file)
			r := decodeAll(t, in)
			if len(r.posts) != len(tt.ids) || len(r.dels) != 0 || len(r.errs) != 0 {
				t.Fatalf("got %d posts, %d deletes, %d errors %v; want %d posts", len(r.posts), len(r.dels), len(r.errs), r.errs, len(tt.ids))
			}
			if len(r.exps) != len(tt.expect) {
				t.Fatalf("got %d expects, want %d", len(r.exps), len(tt.expect))
			}
			for i, e := range tt.expect {
				if *r.exps[i].Expect != e || r.exps[i].Line != 2 {
					t.Errorf("expect %+v on line %d, want %+v on line 2", *r.exps[i].Expect, r.exps[i].Line, e)
				}
			}
			for i, p := range r.posts {
				if p.NativeID != tt.ids[i] || p.ID != "reddit:"+tt.ids[i] || p.Source != post.Reddit {
					t.Errorf("post %d: id %q native %q, want %q", i, p.ID, p.NativeID, tt.ids[i])
				}
				if r.lines[i] != tt.lines[i] {
					t.Errorf("post %d on line %d, want %d", i, r.lines[i], tt.lines[i])
				}
				if !json.Valid(p.Raw) || !bytes.Contains(p.Raw, []byte(`"name": "`+tt.ids[i]+`"`)) {
					t.Errorf("post %d: raw is not its data object", i)
				}
				if bytes.Contains(p.Raw, []byte(`"kind": "Listing"`)) {
					t.Errorf("post %d: raw keeps the nested replies", i)
				}
			}
		})
	}
}

func TestListingFields(t *testing.T) {
	byID := map[string]*post.Post{}
	for _, f := range []string{"go-reddit_post_with_comments.json", "go-reddit_search_posts_listing.json", "go-reddit_subreddit_random_listing.json"} {
		for _, p := range decodeAll(t, readData(t, f)).posts {
			byID[p.NativeID] = p
		}
	}
	tests := []struct {
		id             string
		author         post.Author
		url            string
		created        time.Time
		likes, replies int64
		replyTo        string
		text           string
		prefix         bool
		links, media   []string
	}{
		{
			id:      "t3_testpost",
			author:  post.Author{ID: "t2_testuser", Handle: "testuser", URL: "https://www.reddit.com/user/testuser"},
			url:     "https://www.reddit.com/r/test/comments/testpost/test/",
			created: time.Unix(1595067967, 0), likes: 1, replies: 2,
			text: "Test\n\nHello",
		},
		{
			id:      "t1_testc1",
			author:  post.Author{ID: "t2_testuser", Handle: "testuser", URL: "https://www.reddit.com/user/testuser"},
			url:     "https://www.reddit.com/r/test/comments/testpost/test/testc1/",
			created: time.Unix(1595068319, 0), likes: 1, replyTo: "reddit:t3_testpost",
			text: "Hi",
		},
		{
			id:      "t1_testc2",
			author:  post.Author{ID: "t2_testuser", Handle: "testuser", URL: "https://www.reddit.com/user/testuser"},
			url:     "https://www.reddit.com/r/test/comments/testpost/test/testc2/",
			created: time.Unix(1595068348, 0), likes: 1, replyTo: "reddit:t1_testc1",
			text: "Hello",
		},
		{
			id:      "t3_hybow9",
			author:  post.Author{ID: "t2_3p32m02", Handle: "chocolat_ice_cream", URL: "https://www.reddit.com/user/chocolat_ice_cream"},
			url:     "https://www.reddit.com/r/WatchPeopleDieInside/comments/hybow9/pregnancy_test/",
			created: time.Unix(1595787264, 0), likes: 103829, replies: 3748,
			text:  "Pregnancy test",
			media: []string{"https://v.redd.it/ra4qnt8bt8d51/DASH_360.mp4?source=fallback"},
		},
		{
			id:      "t3_hmwhd7",
			author:  post.Author{ID: "t2_wgrkg", Handle: "Jeremy_Martin", URL: "https://www.reddit.com/user/Jeremy_Martin"},
			url:     "https://www.reddit.com/r/worldnews/comments/hmwhd7/brazilian_president_jair_bolsonaro_tests_positive/",
			created: time.Unix(1594135182, 0), likes: 149238, replies: 7415,
			text:  "Brazilian president Jair Bolsonaro tests positive for coronavirus",
			links: []string{"https://www.theguardian.com/world/2020/jul/07/jair-bolsonaro-coronavirus-positive-test-brazil-president"},
		},
		{
			id:      "t3_href9f",
			author:  post.Author{ID: "t2_6l4z3", Handle: "AutoModerator", URL: "https://www.reddit.com/user/AutoModerator"},
			url:     "https://www.reddit.com/r/GalaxyS8/comments/href9f/weekly_customization_thread_july_14_2020/",
			created: time.Unix(1594776567, 0), likes: 12,
			text:   "Weekly Customization Thread - July 14, 2020\n\nThis thread is for sharing the customizations you have made to your S8, both externally and to the software. So if you're trying \nout a new home screen layout,",
			prefix: true,
		},
		{
			id:      "t3_huv6o6",
			author:  post.Author{ID: "t2_fogvw", Handle: "imabadastronaut", URL: "https://www.reddit.com/user/imabadastronaut"},
			url:     "https://www.reddit.com/r/GalaxyS8/comments/huv6o6/looking_for_a_certain_glass_screen_protector/",
			created: time.Unix(1595283700, 0), likes: 3, replies: 2,
			text: "Looking for a certain glass screen protector\n\nHas anyone seen a glass screen protector that is edge to edge and only has a hole for the speaker and nothing else? \n" +
				"I've looked through many listings but all I can see are glass protectors that have the cutout at the top or have holes for the speakers and camera too. \n\n" +
				"It looks like this but this one is PET: https://www.screenhug.co.nz/products/samsung-galaxy-s8-nano-film-screen-protector?variant=29245065592874&utm_campaign=gs-2020-03-13&utm_source=google&utm_medium=smart_campaign&gclid=CjwKCAjwgdX4BRB_EiwAg8O8Hah74XfBkNAwHFTQ6PqdjIVzn18nyqJMKvx-oQcY6MHm42tSfvS3NRoC3-wQAvD_BwE\n\nThanks!",
			links: []string{"https://www.screenhug.co.nz/products/samsung-galaxy-s8-nano-film-screen-protector?variant=29245065592874&utm_campaign=gs-2020-03-13&utm_source=google&utm_medium=smart_campaign&gclid=CjwKCAjwgdX4BRB_EiwAg8O8Hah74XfBkNAwHFTQ6PqdjIVzn18nyqJMKvx-oQcY6MHm42tSfvS3NRoC3-wQAvD_BwE"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p := byID[tt.id]
			if p == nil {
				t.Fatalf("%s not decoded", tt.id)
			}
			if p.Author != tt.author {
				t.Errorf("author %+v, want %+v", p.Author, tt.author)
			}
			if p.URL != tt.url {
				t.Errorf("url %q, want %q", p.URL, tt.url)
			}
			if !p.CreatedAt.Equal(tt.created) || p.CreatedAt.Location() != time.UTC {
				t.Errorf("created %v, want %v UTC", p.CreatedAt, tt.created.UTC())
			}
			if p.Metrics != (post.Metrics{Likes: tt.likes, Replies: tt.replies}) {
				t.Errorf("metrics %+v, want likes %d replies %d", p.Metrics, tt.likes, tt.replies)
			}
			if p.ReplyTo != tt.replyTo {
				t.Errorf("reply to %q, want %q", p.ReplyTo, tt.replyTo)
			}
			if tt.prefix && !strings.HasPrefix(p.Text, tt.text) || !tt.prefix && p.Text != tt.text {
				t.Errorf("text %q, want %q (prefix %v)", p.Text, tt.text, tt.prefix)
			}
			if !slices.Equal(p.Links, tt.links) {
				t.Errorf("links %q, want %q", p.Links, tt.links)
			}
			if !slices.Equal(p.Media, tt.media) {
				t.Errorf("media %q, want %q", p.Media, tt.media)
			}
			if p.Lang != "" || p.Hashtags != nil || !p.EditedAt.IsZero() || p.Revision != 0 || !p.CollectedAt.IsZero() {
				t.Errorf("lang %q hashtags %q edited %v/%d collected %v: want none", p.Lang, p.Hashtags, p.EditedAt, p.Revision, p.CollectedAt)
			}
		})
	}
	// The comment tree's raw keeps everything but the nested Listing.
	if raw := string(byID["t1_testc1"].Raw); !strings.Contains(raw, "\"replies\": \"\",\n            \"user_reports\": [],") {
		t.Errorf("raw of t1_testc1 does not have its replies replaced: %.300s", raw)
	}
}

func TestListingJSONLines(t *testing.T) {
	// Collectors save one compact Listing per line.
	var jl bytes.Buffer
	for _, f := range []string{"go-reddit_search_posts_listing.json", "go-reddit_subreddit_random_listing.json", "go-reddit_post_with_comments.json"} {
		var c bytes.Buffer
		if err := json.Compact(&c, readData(t, f)); err != nil {
			t.Fatal(err)
		}
		jl.Write(c.Bytes())
		jl.WriteByte('\n')
	}
	r := decodeAll(t, jl.Bytes())
	if len(r.posts) != 8 || len(r.errs) != 0 || len(r.dels) != 0 || len(r.exps) != 1 {
		t.Fatalf("got %d posts, %d deletes, %d errors, %d expects; want 8, 0, 0, 1", len(r.posts), len(r.dels), len(r.errs), len(r.exps))
	}
	if e := r.exps[0]; e.Line != 3 || e.Expect.Posts != 3 {
		t.Errorf("expect %+v on line %d, want 3 posts on line 3", *e.Expect, e.Line)
	}
	if want := []int{1, 1, 2, 2, 2, 3, 3, 3}; !slices.Equal(r.lines, want) {
		t.Errorf("lines %v, want %v", r.lines, want)
	}
}

func TestListingEdgeCases(t *testing.T) {
	type want struct {
		posts, dels, errs int
		errHas            string
		errLine           int
	}
	const (
		t3 = `{"kind":"t3","data":{"id":"a1","title":"Is it down?","selftext":"","author":"u","author_fullname":"t2_u","permalink":"/r/s/comments/a1/x/","created_utc":1700000000.5,"score":5,"num_comments":1,"is_self":true,"url":"https://www.reddit.com/r/s/comments/a1/x/"}}`
		t1 = `{"kind":"t1","data":{"id":"c1","name":"t1_c1","body":"yes &amp; no &lt;3","author":"[deleted]","parent_id":"t3_a1","permalink":"/r/s/comments/a1/x/c1/","created_utc":1700000100,"score":-2,"edited":1700000200.0,"replies":""}}`
	)
	tests := []struct {
		name  string
		in    string
		want  want
		check func(t *testing.T, r result)
	}{
		{name: "empty", in: ""},
		{name: "single things", in: t3 + "\n" + t1, want: want{posts: 2}, check: func(t *testing.T, r result) {
			a, c := r.posts[0], r.posts[1]
			if a.NativeID != "t3_a1" || a.Text != "Is it down?" || a.Links != nil || a.CreatedAt != time.UnixMilli(1700000000500).UTC() {
				t.Errorf("t3: %+v", a)
			}
			if c.Text != "yes & no <3" || c.Author != (post.Author{}) || c.ReplyTo != "reddit:t3_a1" || c.Metrics.Likes != -2 ||
				!c.EditedAt.Equal(time.Unix(1700000200, 0)) || c.Revision != 1700000200 {
				t.Errorf("t1: %+v", c)
			}
		}},
		{name: "malformed line goes on", in: t3 + "\n{\"kind\":\n" + t1, want: want{posts: 2, errs: 1, errLine: 2, errHas: "malformed JSON"}},
		{name: "no id", in: `{"kind":"t3","data":{"title":"x","created_utc":1}}`, want: want{errs: 1, errHas: "t3 has no name or id"}},
		{name: "no time", in: `{"kind":"t1","data":{"name":"t1_x","body":"x"}}`, want: want{errs: 1, errHas: "t1_x: created_utc: missing"}},
		{name: "bad time", in: `{"kind":"t1","data":{"name":"t1_x","body":"x","created_utc":-5}}`, want: want{errs: 1, errHas: "out of range"}},
		{name: "wrong field type", in: `{"kind":"t1","data":{"name":"t1_x","body":7,"created_utc":1}}`, want: want{errs: 1, errHas: "malformed t1"}},
		{name: "more and accounts skipped", in: `{"kind":"Listing","data":{"children":[{"kind":"more","data":{"count":3,"children":["x","y"]}},{"kind":"t2","data":{"name":"t2_u"}},{"kind":"t5","data":{}}]}}`},
		{name: "unknown kind", in: `{"kind":"t9","data":{}}`, want: want{errs: 1, errHas: `unknown kind "t9"`}},
		{name: "kind not a string", in: `{"kind":3,"data":{}}`, want: want{errs: 1, errHas: "not a string"}},
		{name: "listing without data", in: `{"kind":"Listing"}`, want: want{errs: 1, errHas: "Listing has no data"}},
		{name: "thing with null data", in: `{"kind":"t3","data":null}`, want: want{errs: 1, errHas: "t3 Thing has no data"}},
		{name: "listing child not an object", in: `{"kind":"Listing","data":{"children":[1,` + t3 + `,{"data":{}}]}}`, want: want{posts: 1, errs: 2, errHas: "not an object"}},
		{name: "api error", in: `{"message": "Forbidden", "error": 403}`, want: want{errs: 1, errHas: "API error 403: Forbidden"}},
		{name: "other shape", in: `{"foo": 1}`, want: want{errs: 1, errHas: "not a Listing"}},
		{name: "not an object", in: `[1, "x"]`, want: want{errs: 2, errHas: "not a JSON object"}},
		{name: "deleted and removed", in: `{"kind":"Listing","data":{"children":[` +
			`{"kind":"t1","data":{"name":"t1_d","body":"[deleted]","author":"[deleted]","created_utc":1,"replies":{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_e","body":"child","parent_id":"t1_d","created_utc":2}}]}}}},` +
			`{"kind":"t3","data":{"name":"t3_r","title":"T","selftext":"[removed]","created_utc":1}},` +
			`{"kind":"t3","data":{"name":"t3_m","title":"T","selftext":"","removed_by_category":"moderator","created_utc":1}}]}}`,
			want: want{posts: 4, dels: 3}, check: func(t *testing.T, r result) {
				// What is left of each deleted one is a post, then its Delete.
				d, e, rm, mod := r.posts[0], r.posts[1], r.posts[2], r.posts[3]
				if d.NativeID != "t1_d" || d.Text != "" || d.Author != (post.Author{}) || d.Links != nil || !d.CreatedAt.Equal(time.Unix(1, 0)) {
					t.Errorf("deleted comment: %+v", d)
				}
				if r.dels[0].ID != "reddit:t1_d" || e.ReplyTo != "reddit:t1_d" || !r.dels[0].At.IsZero() {
					t.Errorf("got %+v, %+v", r.dels[0], e)
				}
				if rm.NativeID != "t3_r" || rm.Text != "T" || mod.NativeID != "t3_m" || mod.Text != "T" {
					t.Errorf("removed submissions: %q %q, %q %q", rm.NativeID, rm.Text, mod.NativeID, mod.Text)
				}
				if r.dels[1].ID != "reddit:t3_r" || r.dels[2].ID != "reddit:t3_m" {
					t.Errorf("deletes %+v %+v", r.dels[1], r.dels[2])
				}
			}},
		{name: "deleted without time is only a Delete", in: `{"kind":"t1","data":{"name":"t1_d","body":"[removed]","author":"[deleted]"}}`, want: want{dels: 1}},
		{name: "link, image, gallery, crosspost", in: `{"kind":"Listing","data":{"children":[` +
			`{"kind":"t3","data":{"name":"t3_l","title":"AWS down","url":"https://health.aws.amazon.com/health/status?a=1&amp;b=2","permalink":"/r/aws/comments/l/x/","created_utc":1,"is_self":false}},` +
			`{"kind":"t3","data":{"name":"t3_i","title":"pic","url":"https://i.redd.it/abc.png","post_hint":"image","permalink":"/r/a/comments/i/x/","created_utc":1}},` +
			`{"kind":"t3","data":{"name":"t3_g","title":"gal","url":"https://www.reddit.com/gallery/g","is_gallery":true,"gallery_data":{"items":[{"media_id":"m2"},{"media_id":"m1"}]},"media_metadata":{"m1":{"s":{"u":"https://preview.redd.it/m1.jpg?a=1&amp;b=2"}},"m2":{"s":{"gif":"https://i.redd.it/m2.gif"}}},"created_utc":1}},` +
			`{"kind":"t3","data":{"name":"t3_x","title":"xp","url":"/r/aws/comments/l/x/","crosspost_parent":"t3_l","permalink":"/r/b/comments/x/y/","created_utc":1}}]}}`,
			want: want{posts: 4}, check: func(t *testing.T, r result) {
				if !slices.Equal(r.posts[0].Links, []string{"https://health.aws.amazon.com/health/status?a=1&b=2"}) {
					t.Errorf("link: %q", r.posts[0].Links)
				}
				if !slices.Equal(r.posts[1].Media, []string{"https://i.redd.it/abc.png"}) || r.posts[1].Links != nil {
					t.Errorf("image: %q %q", r.posts[1].Media, r.posts[1].Links)
				}
				if !slices.Equal(r.posts[2].Media, []string{"https://i.redd.it/m2.gif", "https://preview.redd.it/m1.jpg?a=1&b=2"}) || r.posts[2].Links != nil {
					t.Errorf("gallery: %q %q", r.posts[2].Media, r.posts[2].Links)
				}
				if x := r.posts[3]; x.QuoteOf != "reddit:t3_l" || !slices.Equal(x.Links, []string{"https://www.reddit.com/r/aws/comments/l/x/"}) {
					t.Errorf("crosspost: %q %q", x.QuoteOf, x.Links)
				}
			}},
		{name: "pushshift lines", in: `{"id":"p1","title":"Outage","selftext":"see https://status.example.com/.","author":"a","created_utc":"1700000000","subreddit":"s","permalink":"/r/s/comments/p1/outage/","score":3,"num_comments":"4"}` + "\n" +
			`{"id":"c9","body":"[same](https://status.example.com/x)","author":"b","created_utc":1700000001,"parent_id":"t3_p1","link_id":"t3_p1"}`,
			want: want{posts: 2}, check: func(t *testing.T, r result) {
				p, c := r.posts[0], r.posts[1]
				if p.NativeID != "t3_p1" || p.Metrics.Replies != 4 || !slices.Equal(p.Links, []string{"https://status.example.com/"}) {
					t.Errorf("submission %+v", p)
				}
				if c.NativeID != "t1_c9" || c.ReplyTo != "reddit:t3_p1" || c.URL != "https://www.reddit.com/comments/p1/_/c9/" || !slices.Equal(c.Links, []string{"https://status.example.com/x"}) {
					t.Errorf("comment %+v", c)
				}
			}},
		{name: "deep replies", in: strings.Repeat(`{"kind":"t1","data":{"name":"t1_x","body":"b","created_utc":1,"replies":{"kind":"Listing","data":{"children":[`, 1500) +
			strings.Repeat(`]}}}}`, 1500), want: want{posts: 1500}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeAll(t, []byte(tt.in))
			if len(r.posts) != tt.want.posts || len(r.dels) != tt.want.dels || len(r.errs) != tt.want.errs {
				t.Fatalf("got %d posts, %d deletes, %d errors %v; want %+v", len(r.posts), len(r.dels), len(r.errs), r.errs, tt.want)
			}
			if tt.want.errHas != "" {
				found := false
				for _, e := range r.errs {
					found = found || strings.Contains(e.Err.Error(), tt.want.errHas)
				}
				if !found {
					t.Errorf("no error contains %q: %v", tt.want.errHas, r.errs)
				}
			}
			if tt.want.errLine != 0 && r.errs[0].Line != tt.want.errLine {
				t.Errorf("error on line %d, want %d", r.errs[0].Line, tt.want.errLine)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func FuzzDecodeListing(f *testing.F) {
	for _, s := range []string{
		`{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_a","title":"T &amp; U","selftext":"x","created_utc":1.5,"edited":false,"url":"https://x","permalink":"/r/a/"}}],"after":null}}`,
		`[{"kind":"Listing","data":{"children":[]}},{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"id":"c","body":"[deleted]","created_utc":1,"replies":{"kind":"Listing","data":{"children":[{"kind":"more","data":{}}]}}}}]}}]`,
		"{\"id\":\"p\",\"body\":\"b https://x\",\"created_utc\":\"2\"}\n{bad",
		`{"kind":"t3","data":{"id":"g","title":"g","is_gallery":true,"gallery_data":{"items":[{"media_id":"m"}]},"media_metadata":{"m":{"s":{"u":"u"}}},"created_utc":1}}`,
		`{"error":404,"message":"Not Found"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		decodeAll(t, in)
	})
}
