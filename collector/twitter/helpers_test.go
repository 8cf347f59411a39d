package twitter

import (
	"iter"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// result is what a decoder yielded, split by kind.
type result struct {
	posts   []*post.Post
	lines   []int // line of each post
	deletes []collector.Item
	errs    []collector.Item
	expects []collector.Item
}

// collect runs a decoder to the end, checking the Item invariants.
func collect(t testing.TB, seq iter.Seq[collector.Item]) result {
	t.Helper()
	var r result
	for it := range seq {
		checkItem(t, it)
		switch {
		case it.Post != nil:
			r.posts = append(r.posts, it.Post)
			r.lines = append(r.lines, it.Line)
		case it.Delete != nil:
			r.deletes = append(r.deletes, it)
		case it.Expect != nil:
			r.expects = append(r.expects, it)
		default:
			r.errs = append(r.errs, it)
		}
	}
	return r
}

// checkItem fails unless it has exactly one of Post, Delete, Err, Expect, a line,
// and (for a post) passes Validate and carries its raw bytes.
func checkItem(t testing.TB, it collector.Item) {
	t.Helper()
	if err := it.Check(); err != nil {
		t.Fatal(err)
	}
	if p := it.Post; p != nil {
		if len(p.Raw) == 0 || p.Raw[0] != '{' {
			t.Fatalf("post %s: Raw is not a JSON object: %.40q", p.ID, p.Raw)
		}
		if p.Source != post.Twitter {
			t.Fatalf("post %s: source %q", p.ID, p.Source)
		}
	}
	if d := it.Delete; d != nil && (d.ID != post.MakeID(d.Source, d.NativeID) || d.NativeID == "") {
		t.Fatalf("delete %+v: bad id", d)
	}
}

// decodeFile runs dec on a shared data file.
func decodeFile(t *testing.T, dec collector.DecodeFunc, elem ...string) result {
	t.Helper()
	f, err := os.Open(testdata.Path(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return collect(t, dec(f))
}

// want is the expected content of one decoded post.
type want struct {
	idx, line                  int // position among the file's posts, line
	id, url                    string
	author                     post.Author
	text                       string
	lang                       string
	created, collected, edited string // RFC 3339, "" for zero
	revision                   int64
	replyTo, quoteOf, repostOf string
	metrics                    post.Metrics
	hashtags, mentions         []string
	links, media               []string
}

func checkWant(t *testing.T, r result, w want) {
	t.Helper()
	// Embedded originals (retweeted, quoted, included tweets) are yielded
	// after the post that carries them, so a wanted post is found by its id
	// (and permalink, where edit versions share an id) rather than position.
	if w.idx >= len(r.posts) || r.posts[w.idx].ID != w.id {
		found := -1
		for i, p := range r.posts {
			if p.ID == w.id && (found < 0 || p.URL == w.url && r.posts[found].URL != w.url) {
				found = i
			}
		}
		if found < 0 {
			t.Fatalf("no post %s among %d posts", w.id, len(r.posts))
		}
		w.idx = found
	}
	p := r.posts[w.idx]
	errorf := func(field string, got, want any) {
		t.Helper()
		t.Errorf("post %d (%s): %s = %#v, want %#v", w.idx, p.ID, field, got, want)
	}
	if r.lines[w.idx] != w.line {
		errorf("line", r.lines[w.idx], w.line)
	}
	if p.ID != w.id {
		errorf("ID", p.ID, w.id)
	}
	if p.URL != w.url {
		errorf("URL", p.URL, w.url)
	}
	if p.Author != w.author {
		errorf("Author", p.Author, w.author)
	}
	if p.Text != w.text {
		errorf("Text", p.Text, w.text)
	}
	if p.Lang != w.lang {
		errorf("Lang", p.Lang, w.lang)
	}
	for _, c := range []struct {
		name string
		got  time.Time
		want string
	}{{"CreatedAt", p.CreatedAt, w.created}, {"CollectedAt", p.CollectedAt, w.collected}, {"EditedAt", p.EditedAt, w.edited}} {
		got := ""
		if !c.got.IsZero() {
			if c.got.Location() != time.UTC {
				errorf(c.name+" location", c.got.Location().String(), "UTC")
			}
			got = c.got.Format(time.RFC3339Nano)
		}
		if got != c.want {
			errorf(c.name, got, c.want)
		}
	}
	if p.Revision != w.revision {
		errorf("Revision", p.Revision, w.revision)
	}
	if p.ReplyTo != w.replyTo {
		errorf("ReplyTo", p.ReplyTo, w.replyTo)
	}
	if p.QuoteOf != w.quoteOf {
		errorf("QuoteOf", p.QuoteOf, w.quoteOf)
	}
	if p.RepostOf != w.repostOf {
		errorf("RepostOf", p.RepostOf, w.repostOf)
	}
	if p.Metrics != w.metrics {
		errorf("Metrics", p.Metrics, w.metrics)
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"Hashtags", p.Hashtags, w.hashtags}, {"Mentions", p.Mentions, w.mentions}, {"Links", p.Links, w.links}, {"Media", p.Media, w.media}} {
		if !slices.Equal(c.got, c.want) {
			errorf(c.name, c.got, c.want)
		}
	}
}

// fileCase is the expected outcome of decoding one shared data file.
type fileCase struct {
	file                 string
	posts, deletes, errs int
	errLines             []int
	want                 []want
}

func runFileCases(t *testing.T, dec collector.DecodeFunc, dir string, cases []fileCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			r := decodeFile(t, dec, dir, tc.file)
			if len(r.posts) != tc.posts || len(r.deletes) != tc.deletes || len(r.errs) != tc.errs {
				t.Fatalf("got %d posts, %d deletes, %d errors (%v); want %d, %d, %d",
					len(r.posts), len(r.deletes), len(r.errs), r.errs, tc.posts, tc.deletes, tc.errs)
			}
			for i, e := range r.errs {
				if i < len(tc.errLines) && e.Line != tc.errLines[i] {
					t.Errorf("error %d at line %d, want %d: %v", i, e.Line, tc.errLines[i], e.Err)
				}
			}
			for _, w := range tc.want {
				checkWant(t, r, w)
			}
			for _, p := range r.posts {
				if strings.Contains(p.Text, "&amp;") || strings.Contains(p.Text, "&gt;") {
					t.Errorf("post %s: text has undecoded entities: %q", p.ID, p.Text)
				}
			}
		})
	}
}

// fuzzCheck decodes in with dec and checks every item; it is the body of the
// fuzz targets.
func fuzzCheck(t *testing.T, dec collector.DecodeFunc, in []byte) {
	for it := range dec(strings.NewReader(string(in))) {
		checkItem(t, it)
	}
}
