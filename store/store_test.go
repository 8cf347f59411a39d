package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mk(native, text string, rev int64) post.Post {
	p := post.Post{
		ID: post.MakeID("twitter", native), Source: "twitter", NativeID: native, Text: text, Revision: rev,
		CreatedAt: time.Date(2017, 2, 28, 17, 37, 0, 0, time.UTC), Author: post.Author{Handle: "alice"},
		Hashtags: []string{"aws"}, Raw: []byte(`{"id":"` + native + `","text":"` + text + `"}`),
	}
	return p
}

func write(t *testing.T, s *Store, b Batch) []Outcome {
	t.Helper()
	out, err := s.Write(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUpsertIdempotent(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	b := Batch{Posts: []post.Post{mk("1", "s3 is down", 0), mk("2", "still down", 0)}}
	if got := write(t, s, b); got[0] != New || got[1] != New {
		t.Fatalf("first write: %v", got)
	}
	seq, _ := s.MaxSeq(ctx)
	if got := write(t, s, b); got[0] != Unchanged || got[1] != Unchanged {
		t.Fatalf("second write: %v", got)
	}
	if seq2, _ := s.MaxSeq(ctx); seq2 != seq {
		t.Errorf("seq moved on a no-op write: %d -> %d", seq, seq2)
	}
	// New engagement counts update the row but need no reindex.
	p := mk("1", "s3 is down", 0)
	p.Metrics.Likes = 7
	if got := write(t, s, Batch{Posts: []post.Post{p}}); got[0] != Updated {
		t.Fatalf("counts: %v", got)
	}
	g, err := s.Get(ctx, p.ID)
	if err != nil || g.Metrics.Likes != 7 {
		t.Fatalf("get: %+v %v", g.Metrics, err)
	}
	// The same post without counts or entities (say from a CSV) keeps them and the raw payload.
	bare := mk("1", "s3 is down", 0)
	bare.Hashtags, bare.Raw = nil, []byte(`id,text`)
	if got := write(t, s, Batch{Posts: []post.Post{bare}}); got[0] != Unchanged {
		t.Fatalf("bare: %v", got)
	}
	g, _ = s.Get(ctx, p.ID)
	if g.Metrics.Likes != 7 || len(g.Hashtags) != 1 || string(g.Raw) != string(p.Raw) {
		t.Errorf("bare re-import changed the post: %+v %q", g.Metrics, g.Raw)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Posts != 2 || st.Versions != 0 {
		t.Errorf("stats %+v %v", st, err)
	}
}

func TestEditsKeepVersions(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	// The newer revision arrives first, the original later: both are kept,
	// the newer stays current, in either order and on re-import.
	v0, v1 := mk("1", "i miss y'all", 0), mk("1", "hey :)", 1)
	for _, order := range [][]post.Post{{v1, v0}, {v0, v1}} {
		s := openTest(t)
		for _, p := range order {
			write(t, s, Batch{Posts: []post.Post{p}})
		}
		write(t, s, Batch{Posts: order})
		g, _ := s.Get(ctx, v0.ID)
		if g.Text != "hey :)" || g.Revision != 1 {
			t.Errorf("current = %q rev %d", g.Text, g.Revision)
		}
		vs, _ := s.Versions(ctx, v0.ID)
		if len(vs) != 1 || vs[0].Text != "i miss y'all" || vs[0].Revision != 0 {
			t.Errorf("versions = %+v", vs)
		}
	}
	// A source without revisions: a new text replaces, the old is kept, and
	// re-importing the old one does not flip it back.
	a, b := mk("9", "first text", 0), mk("9", "second text", 0)
	write(t, s, Batch{Posts: []post.Post{a}})
	seq, _ := s.MaxSeq(ctx)
	if got := write(t, s, Batch{Posts: []post.Post{b}}); got[0] != Updated {
		t.Fatalf("edit: %v", got)
	}
	if seq2, _ := s.MaxSeq(ctx); seq2 <= seq {
		t.Errorf("edit did not advance seq")
	}
	if got := write(t, s, Batch{Posts: []post.Post{a}}); got[0] != Unchanged {
		t.Fatalf("stale: %v", got)
	}
	g, _ := s.Get(ctx, a.ID)
	if g.Text != "second text" {
		t.Errorf("current = %q", g.Text)
	}
}

func TestDeletions(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	at := time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC)
	write(t, s, Batch{Posts: []post.Post{mk("1", "x", 0)}})
	seq, _ := s.MaxSeq(ctx)
	out := write(t, s, Batch{Deletes: []post.Ref{{ID: "twitter:1", At: at}, {ID: "twitter:2", At: at}}})
	if out[0] != Deleted || out[1] != Deleted {
		t.Fatalf("deletes: %v", out)
	}
	if out := write(t, s, Batch{Deletes: []post.Ref{{ID: "twitter:1", At: at}}}); out[0] != Unchanged {
		t.Fatalf("second delete: %v", out)
	}
	g, _ := s.Get(ctx, "twitter:1")
	if !g.DeletedAt.Equal(at) || g.Seq <= seq || g.Text != "x" {
		t.Errorf("deleted post: %+v", g)
	}
	// The deletion came before the post: applied when it arrives.
	write(t, s, Batch{Posts: []post.Post{mk("2", "y", 0)}})
	g, _ = s.Get(ctx, "twitter:2")
	if !g.Deleted() {
		t.Errorf("early deletion not applied")
	}
	ch, _ := s.Changes(ctx, 0, 10)
	if len(ch) != 2 || ch[0].Seq >= ch[1].Seq {
		t.Errorf("changes: %+v", ch)
	}
}

func TestBadPostRejected(t *testing.T) {
	s := openTest(t)
	p := mk("1", "x", 0)
	p.CreatedAt = time.Time{}
	if _, err := s.Write(context.Background(), Batch{Posts: []post.Post{p}}); !errors.Is(err, post.ErrNoTime) {
		t.Fatalf("err = %v", err)
	}
}

func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	if err := os.WriteFile(path, []byte("this is not sqlite, just some text that is long enough to look like a header......"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); err == nil {
		t.Fatal("opened a file that is not a database")
	}
}

// Several writers (as several processes would) never produce the same seq,
// and the order of seq is the order of commits.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 3 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				p := mk(string(rune('a'+w))+string(rune('a'+i)), "t", 0)
				if _, err := s.Write(ctx, Batch{Posts: []post.Post{p}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s, _ := Open(ctx, path)
	defer s.Close()
	ch, err := s.Changes(ctx, 0, 100)
	if err != nil || len(ch) != 60 {
		t.Fatalf("changes: %d %v", len(ch), err)
	}
	for i := range ch {
		if ch[i].Seq != int64(i+1) {
			t.Fatalf("seq %d at %d", ch[i].Seq, i)
		}
	}
}

func TestRuns(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	id, err := s.StartRun(ctx, []string{"a.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, Run{ID: id, Read: 3, New: 2, Errors: 1, FirstErrors: []string{"a.jsonl:2: bad"}}); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, 5)
	if err != nil || len(runs) != 1 || runs[0].New != 2 || runs[0].FirstErrors[0] != "a.jsonl:2: bad" || runs[0].Finished.IsZero() {
		t.Fatalf("runs %+v %v", runs, err)
	}
}

// Large payloads are stored compressed and read back byte for byte; small
// ones are stored as they are.
func TestRawCompressed(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	big := mk("1", "x", 0)
	big.Raw = []byte(`{"text":"` + strings.Repeat("the S3 outage ", 400) + `"}`)
	small := mk("2", "y", 0)
	write(t, s, Batch{Posts: []post.Post{big, small}})
	for _, p := range []post.Post{big, small} {
		g, err := s.Get(ctx, p.ID)
		if err != nil || string(g.Raw) != string(p.Raw) {
			t.Errorf("%s: raw not read back: %v", p.ID, err)
		}
	}
	var n int
	if err := s.db.QueryRow("SELECT length(raw) FROM posts WHERE id = 'twitter:1'").Scan(&n); err != nil || n*5 > len(big.Raw) {
		t.Errorf("stored %d bytes for a %d-byte payload", n, len(big.Raw))
	}
	// An edit keeps the compressed old payload as a version, readable.
	edit := big
	edit.Text, edit.Revision = "edited", 1
	write(t, s, Batch{Posts: []post.Post{edit}})
	vs, err := s.Versions(ctx, big.ID)
	if err != nil || len(vs) != 1 || string(vs[0].Raw) != string(big.Raw) {
		t.Errorf("version raw: %v", err)
	}
}

func TestSentimentStoredAndRescored(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	p := mk("1", "S3 is down again", 0)
	p.Lang, p.Sentiment = "en", post.Sentiment{Score: -0.6, Label: "negative", Confidence: 0.8, Model: "m@1"}
	write(t, s, Batch{Posts: []post.Post{p}})
	g, _ := s.Get(ctx, p.ID)
	if g.Sentiment != p.Sentiment {
		t.Fatalf("sentiment %+v", g.Sentiment)
	}
	// The same post unscored keeps its score; scored by another model takes the new one.
	bare := mk("1", "S3 is down again", 0)
	if out := write(t, s, Batch{Posts: []post.Post{bare}}); out[0] != Unchanged {
		t.Errorf("unscored copy: %v", out)
	}
	seq, _ := s.MaxSeq(ctx)
	n, err := s.SetSentiments(ctx, []Rescored{{ID: p.ID, Lang: "en", Sentiment: post.Sentiment{Score: -0.7, Label: "negative", Confidence: 0.9, Model: "m@2"}}, {ID: p.ID, Lang: "en", Sentiment: post.Sentiment{Score: -0.7, Label: "negative", Confidence: 0.9, Model: "m@2"}}})
	if err != nil || n != 1 {
		t.Fatalf("rescore: %d %v", n, err)
	}
	g, _ = s.Get(ctx, p.ID)
	if g.Sentiment.Model != "m@2" || g.Seq <= seq {
		t.Errorf("after rescore: %+v seq %d (was %d)", g.Sentiment, g.Seq, seq)
	}
}

// TestPageSize: a new archive has 16 KiB pages (rows of a post and its raw
// payload pack several to a page); reopening keeps them.
func TestPageSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	for range 2 {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.QueryRow("PRAGMA page_size").Scan(&n); err != nil || n != pageSize {
			t.Errorf("page size %d (%v), want %d", n, err, pageSize)
		}
		var mode string
		if s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); mode != "wal" {
			t.Errorf("journal mode %q", mode)
		}
		s.Close()
	}
}

// A copy without its author has a permalink made without the handle; the
// copy with the author brings its permalink, in either order.
func TestAuthorBringsPermalink(t *testing.T) {
	for _, withFirst := range []bool{false, true} {
		s := openTest(t)
		bare := mk("5", "hello", 0)
		bare.Author, bare.URL = post.Author{}, "https://x.com/i/web/status/5"
		full := mk("5", "hello", 0)
		full.URL = "https://x.com/alice/status/5"
		order := []post.Post{bare, full}
		if withFirst {
			order = []post.Post{full, bare}
		}
		for _, p := range order {
			write(t, s, Batch{Posts: []post.Post{p}})
		}
		got, err := s.Get(context.Background(), "twitter:5")
		if err != nil {
			t.Fatal(err)
		}
		if got.Author.Handle != "alice" || got.URL != full.URL {
			t.Errorf("author first %v: @%s %s", withFirst, got.Author.Handle, got.URL)
		}
	}
}
