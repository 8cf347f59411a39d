package reddit

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

func readRealworld(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testdata.Path(t, "realworld", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRealworldCommentsWithoutPermalink reads PRAW's r/all/comments page of
// 2016, whose comments carry no permalink: their address is built from
// subreddit, link_id and id.
func TestRealworldCommentsWithoutPermalink(t *testing.T) {
	r := decodeAll(t, readRealworld(t, "praw_r_all_comments.json"))
	if len(r.posts) != 100 || len(r.dels) != 0 || len(r.errs) != 0 || len(r.exps) != 0 {
		t.Fatalf("got %d posts, %d deletes, %d errors, %d expects; want 100, 0, 0, 0", len(r.posts), len(r.dels), len(r.errs), len(r.exps))
	}
	p := r.posts[0]
	if p.NativeID != "t1_dbhn11d" || p.URL != "https://www.reddit.com/r/coins/comments/5jffj1/_/dbhn11d/" ||
		p.ReplyTo != "reddit:t3_5jffj1" || p.Author.Handle != "Mametaro" || !p.CreatedAt.Equal(time.Unix(1482373040, 0)) {
		t.Errorf("first comment: %s %s %s %s %v", p.NativeID, p.URL, p.ReplyTo, p.Author.Handle, p.CreatedAt)
	}
	if last := r.posts[99]; last.URL != "https://www.reddit.com/r/TryingForABaby/comments/5jhmdj/_/dbhn0yk/" {
		t.Errorf("last comment's URL %q", last.URL)
	}
	for _, p := range r.posts {
		if !strings.HasPrefix(p.URL, "https://www.reddit.com/r/") || !strings.HasSuffix(p.URL, "/"+strings.TrimPrefix(p.NativeID, "t1_")+"/") {
			t.Errorf("%s: URL %q", p.NativeID, p.URL)
		}
	}
}

// n49rw holds what the two files of the r/announcements thread n49rw give.
type n49rw struct {
	byID    map[string]*post.Post
	deleted map[string]bool
}

// TestRealworldThread reads the /comments/n49rw answer (the post and the
// first 485 comments) and the 232 /api/morechildren answers that load the
// rest: 1 post and 1,425 comments, 25 of them deleted.
func TestRealworldThread(t *testing.T) {
	all := n49rw{byID: map[string]*post.Post{}, deleted: map[string]bool{}}
	files := []struct {
		name                   string
		posts, dels, firstLine int
		lastLine               int
		expect                 []collector.Expect
	}{
		{"praw_comments_n49rw.json", 486, 10, 1, 1, []collector.Expect{{Posts: 1413, Field: "num_comments"}}},
		{"praw_morechildren_n49rw.jsonl", 940, 15, 1, 230, nil},
	}
	for _, f := range files {
		r := decodeAll(t, readRealworld(t, f.name))
		if len(r.posts) != f.posts || len(r.dels) != f.dels || len(r.errs) != 0 || len(r.exps) != len(f.expect) {
			t.Fatalf("%s: got %d posts, %d deletes, %d errors %v, %d expects; want %d, %d, 0, %d",
				f.name, len(r.posts), len(r.dels), len(r.errs), r.errs, len(r.exps), f.posts, f.dels, len(f.expect))
		}
		for i, e := range f.expect {
			if *r.exps[i].Expect != e || r.exps[i].Line != 1 {
				t.Errorf("%s: expect %+v on line %d, want %+v on line 1", f.name, *r.exps[i].Expect, r.exps[i].Line, e)
			}
		}
		if r.lines[0] != f.firstLine || r.lines[len(r.lines)-1] != f.lastLine {
			t.Errorf("%s: posts from line %d to %d, want %d to %d", f.name, r.lines[0], r.lines[len(r.lines)-1], f.firstLine, f.lastLine)
		}
		for _, p := range r.posts {
			if all.byID[p.ID] != nil {
				t.Errorf("%s: %s seen twice", f.name, p.ID)
			}
			all.byID[p.ID] = p
		}
		for _, d := range r.dels {
			if all.byID[d.ID] == nil {
				t.Errorf("%s: delete of %s comes without what is left of it", f.name, d.ID)
			}
			all.deleted[d.ID] = true
		}
	}
	if len(all.byID) != 1426 || len(all.deleted) != 25 {
		t.Fatalf("got %d distinct posts and %d deletions, want 1,426 (1 post + 1,425 comments) and 25", len(all.byID), len(all.deleted))
	}
	root := all.byID["reddit:t3_n49rw"]
	if root == nil || root.Metrics.Replies != 1412 || root.URL != "https://www.reddit.com/r/announcements/comments/n49rw/were_back/" ||
		!strings.HasPrefix(root.Text, "We're back") {
		t.Fatalf("thread post: %+v", root)
	}
	// The thread is whole: every comment answers a post of the two files,
	// and following the answers ends at the thread's post.
	for id, p := range all.byID {
		if p == root {
			continue
		}
		steps := 0
		for q := p; q != root; steps++ {
			q = all.byID[q.ReplyTo]
			if q == nil || steps > 50 {
				t.Fatalf("%s: its chain of replies breaks (reply to %q)", id, p.ReplyTo)
			}
		}
		if !strings.HasPrefix(p.URL, "https://www.reddit.com/r/announcements/comments/n49rw/_/") {
			t.Errorf("%s: URL %q", id, p.URL)
		}
	}
	// A deleted comment: no text, no author; its reply is kept.
	d := all.byID["reddit:t1_c36ac5z"]
	if d == nil || all.deleted[d.ID] || d.Author != (post.Author{}) || !strings.HasPrefix(d.Text, "I don't mind reddit restarts") {
		t.Errorf("c36ac5z (an account deleted, its comment kept): %+v", d)
	}
	n := 0
	for id := range all.deleted {
		p := all.byID[id]
		if p.Text != "" || p.Author != (post.Author{}) || p.ReplyTo == "" || p.CreatedAt.IsZero() {
			t.Errorf("deleted %s: %+v", id, p)
		}
		for _, q := range all.byID {
			if q.ReplyTo == id {
				n++
			}
		}
	}
	if n == 0 {
		t.Error("no reply to a deleted comment; the test no longer shows the tree kept")
	}
}

func TestMoreChildren(t *testing.T) {
	const c = `{"kind":"t1","data":{"id":"c2","name":"t1_c2","body":"b","author":"a","parent_id":"t1_c1","link_id":"t3_p","subreddit":"s","created_utc":5,"replies":""}}`
	tests := []struct {
		name        string
		in          string
		posts, errs int
		errHas      string
	}{
		{"things", `{"json": {"errors": [], "data": {"things": [` + c + `, {"kind":"more","data":{"count":1,"parent_id":"t1_c2","children":["c3"],"id":"c3","name":"t1_c3"}}]}}}`, 1, 0, ""},
		{"empty", `{"json": {"errors": [], "data": {"things": []}}}`, 0, 0, ""},
		{"errors", `{"json": {"errors": [["RATELIMIT", "you are doing that too much. try again in 5 minutes.", "ratelimit"], ["TOO_LONG", "this is too long", ""]]}}`, 0, 1,
			"reddit: API errors: RATELIMIT: you are doing that too much. try again in 5 minutes.: ratelimit; TOO_LONG: this is too long"},
		{"errors beside things", `{"json": {"errors": [["X", "y"]], "data": {"things": [` + c + `]}}}`, 1, 1, "API errors: X: y"},
		{"odd errors", `{"json": {"errors": {"a": 1}}}`, 0, 1, `API errors: {"a": 1}`},
		{"null errors", `{"json": {"errors": null, "data": null}}`, 0, 0, ""},
		{"json not an object", `{"json": 3}`, 0, 1, "not a Listing"},
		{"thing not an object", `{"json": {"errors": [], "data": {"things": [3]}}}`, 0, 1, "not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeAll(t, []byte(tt.in))
			if len(r.posts) != tt.posts || len(r.errs) != tt.errs || len(r.dels) != 0 || len(r.exps) != 0 {
				t.Fatalf("got %d posts, %d errors %v, %d deletes, %d expects; want %d posts, %d errors", len(r.posts), len(r.errs), r.errs, len(r.dels), len(r.exps), tt.posts, tt.errs)
			}
			if tt.errHas != "" && !strings.Contains(r.errs[0].Err.Error(), tt.errHas) {
				t.Errorf("error %q, want it to contain %q", r.errs[0].Err, tt.errHas)
			}
			if tt.posts > 0 && r.posts[0].URL != "https://www.reddit.com/r/s/comments/p/_/c2/" {
				t.Errorf("URL %q", r.posts[0].URL)
			}
		})
	}
}

func TestThreadExpect(t *testing.T) {
	const (
		post1    = `{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_p","title":"T","num_comments":7,"created_utc":1}}]}}`
		post0    = `{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_p","title":"T","created_utc":1}}]}}`
		comms    = `{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_a","body":"x","parent_id":"t3_p","link_id":"t3_p","created_utc":2}},{"kind":"more","data":{"count":5,"children":["b"]}}]}}`
		onlyMore = `{"kind":"Listing","data":{"children":[{"kind":"more","data":{"count":5,"children":["b"]}}]}}`
		other    = `{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_a","body":"x","parent_id":"t3_q","link_id":"t3_q","created_utc":2}}]}}`
		posts    = `{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_q","title":"U","num_comments":3,"created_utc":1}}]}}`
		empty    = `{"kind":"Listing","data":{"children":[]}}`
	)
	tests := []struct {
		name   string
		in     string
		expect []int64 // Posts of each Expect
		lines  []int   // the line of each
	}{
		{"pretty pair", "[\n" + post1 + ",\n" + comms + "\n]", []int64{8}, []int{2}},
		{"pair on one line", "[" + post1 + "," + comms + "]\n[" + post1 + "," + onlyMore + "]", []int64{8, 8}, []int{1, 2}},
		{"array of pairs", "[[" + post1 + "," + comms + "],[" + post1 + "," + comms + "]]", []int64{8, 8}, []int{1, 1}},
		{"no num_comments", "[" + post0 + "," + comms + "]", nil, nil},
		{"comments of another post", "[" + post1 + "," + other + "]", nil, nil},
		{"two search pages", post1 + "\n" + posts, nil, nil},
		{"empty page after", post1 + "\n" + empty, nil, nil},
		{"apart", post1 + "\n" + posts + "\n" + comms, nil, nil},
		// A line that is not JSON never reaches the record decoder.
		{"broken between", post1 + "\n{\n" + comms, []int64{8}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeAll(t, []byte(tt.in))
			var got []int64
			for i, e := range r.exps {
				got = append(got, e.Expect.Posts)
				if e.Expect.Field != "num_comments" || i < len(tt.lines) && e.Line != tt.lines[i] {
					t.Errorf("expect %+v on line %d, want field num_comments on line %d", *e.Expect, e.Line, tt.lines[i])
				}
			}
			if len(got) != len(tt.expect) {
				t.Fatalf("expects %v, want %v", got, tt.expect)
			}
			for i := range got {
				if got[i] != tt.expect[i] {
					t.Errorf("expects %v, want %v", got, tt.expect)
				}
			}
		})
	}
}

// TestListingRecordsFresh checks that each ListingRecords call starts
// afresh: a one-post Listing read by one does not make the next one expect.
func TestListingRecordsFresh(t *testing.T) {
	var exps int
	count := func(it collector.Item) bool {
		if it.Expect != nil {
			exps++
		}
		return true
	}
	post1 := []byte(`{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_p","title":"T","num_comments":1,"created_utc":1}}]}}`)
	comms := []byte(`{"kind":"Listing","data":{"children":[{"kind":"t1","data":{"name":"t1_a","body":"x","link_id":"t3_p","created_utc":2}}]}}`)
	a := ListingRecords()
	a(1, post1, count)
	ListingRecords()(2, comms, count)
	if exps != 0 {
		t.Fatalf("a new decoder continued another's thread")
	}
	a(2, comms, count)
	if exps != 1 {
		t.Fatalf("got %d expects, want 1", exps)
	}
}

func FuzzListingRecords(f *testing.F) {
	for _, name := range []string{"praw_r_all_comments.json", "praw_comments_n49rw.json"} {
		b, err := os.ReadFile(testdata.Path(f, "realworld", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	b, err := os.ReadFile(testdata.Path(f, "realworld", "praw_morechildren_n49rw.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for i, line := range bytes.SplitN(b, []byte("\n"), 8)[:7] {
		if i%3 == 0 {
			f.Add(line)
		}
	}
	f.Add([]byte(`[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"name":"t3_p","num_comments":3,"created_utc":1}}]}},{"kind":"Listing","data":{"children":[{"kind":"more","data":{}}]}}]`))
	f.Add([]byte(`{"json":{"errors":[["A","b","c"]],"data":{"things":[{"kind":"t1","data":{"id":"x","body":"[deleted]","link_id":"t3_y","subreddit":"s","created_utc":1}}]}}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		decodeAll(t, in)
	})
}

func TestBuiltPermalink(t *testing.T) {
	tests := []struct {
		thing, want string
	}{
		{`{"kind":"t1","data":{"id":"c1","body":"x","created_utc":1,"subreddit":"aws","link_id":"t3_p1"}}`, "https://www.reddit.com/r/aws/comments/p1/_/c1/"},
		{`{"kind":"t1","data":{"name":"t1_c1","body":"x","created_utc":1,"link_id":"t3_p1"}}`, "https://www.reddit.com/comments/p1/_/c1/"},
		{`{"kind":"t1","data":{"id":"c1","body":"x","created_utc":1,"subreddit":"aws"}}`, ""},                                                           // no link_id
		{`{"kind":"t1","data":{"id":"c1","body":"x","created_utc":1,"subreddit":"a/b","link_id":"t3_p1"}}`, "https://www.reddit.com/comments/p1/_/c1/"}, // odd subreddit left out
		{`{"kind":"t1","data":{"id":"C/1","body":"x","created_utc":1,"link_id":"t3_p1"}}`, ""},                                                          // not a Reddit id
		{`{"kind":"t1","data":{"id":"c1","body":"x","created_utc":1,"link_id":"t3_p1","permalink":"/r/a/comments/p1/t/c1/"}}`, "https://www.reddit.com/r/a/comments/p1/t/c1/"},
		{`{"kind":"t3","data":{"id":"p1","title":"x","created_utc":1,"subreddit":"aws"}}`, "https://www.reddit.com/r/aws/comments/p1/"},
		{`{"kind":"t3","data":{"name":"t3_p1","title":"x","created_utc":1}}`, "https://www.reddit.com/comments/p1/"},
	}
	for _, tt := range tests {
		r := decodeAll(t, []byte(tt.thing))
		if len(r.posts) != 1 {
			t.Fatalf("%s: %d posts, errors %v", tt.thing, len(r.posts), r.errs)
		}
		if r.posts[0].URL != tt.want {
			t.Errorf("%s: URL %q, want %q", tt.thing, r.posts[0].URL, tt.want)
		}
	}
}
