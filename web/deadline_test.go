package web

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// syntheticArchive is an archive of n posts, text(i) each, with a raw
// payload of about rawBytes, and a collection "all" of them when collect
// is set.
func syntheticArchive(t *testing.T, n int, text func(i int) string, rawBytes int, collect bool) *archive.Archive {
	t.Helper()
	ctx := context.Background()
	a, err := archive.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	base := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	raw := strings.Repeat("r", rawBytes)
	var ids []string
	for start := 0; start < n; start += 1000 {
		var b store.Batch
		for i := start; i < min(start+1000, n); i++ {
			native := fmt.Sprint(100000 + i)
			b.Posts = append(b.Posts, post.Post{ID: post.MakeID("twitter", native), Source: "twitter", NativeID: native,
				Text: text(i), CreatedAt: base.Add(time.Duration(i) * time.Second), Author: post.Author{Handle: fmt.Sprintf("user%d", i%50)},
				URL: "https://x.com/u/status/" + native, Raw: []byte(`{"id":"` + native + `","pad":"` + raw + `"}`)})
			ids = append(ids, post.MakeID("twitter", native))
		}
		if _, err := a.Store.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if collect {
		if err := a.Store.CreateCollection(ctx, store.Collection{Slug: "all", Name: "All"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.AddItems(ctx, "all", ids, "", nil, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

// commonText is a post full of one common word, which phrases of that word
// must read position by position.
func commonText(i int) string {
	return strings.Repeat("the cat and the dog saw the the ", 4) + fmt.Sprint(i)
}

// costlyQuery is the costliest query the bounds let through: 4 phrases of
// 16 words, every word in every post.
var costlyQuery = strings.Repeat(`"`+strings.TrimSpace(strings.Repeat("the ", index.MaxPhraseWords))+`" `, index.MaxTerms/index.MaxPhraseWords)

// requestLog collects the server's request log lines (path and when).
type requestLog struct{ done chan string }

func (l requestLog) Enabled(context.Context, slog.Level) bool { return true }
func (l requestLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l requestLog) WithGroup(string) slog.Handler            { return l }
func (l requestLog) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "request" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "path" {
				select {
				case l.done <- a.Value.String():
				default:
				}
			}
			return true
		})
	}
	return nil
}

// TestSearchDeadline: the request's deadline and the client's leaving
// reach the search (they stopped at the handler: a *gin.Context was the
// context, whose Done is nil), and a query over the cost bounds is a 400.
func TestSearchDeadline(t *testing.T) {
	a := syntheticArchive(t, 8000, commonText, 10, false)
	logs := requestLog{done: make(chan string, 16)}
	s := newServer(t, a, Config{Log: slog.New(logs)})
	h := s.Handler()
	search := "/api/v1/search?q=" + url.QueryEscape(costlyQuery)

	// How long the search takes with time to finish (the figure a deadline
	// cuts short).
	start := time.Now()
	res, err := a.Search(context.Background(), index.Query{Text: costlyQuery, Facets: true, Histogram: time.Hour})
	if err != nil || res.Total != 0 {
		t.Fatalf("the costly query: %v, %v", res, err)
	}
	full := time.Since(start)
	t.Logf("the costly query runs %v to the end on 8,000 posts", full)

	// A deadline: 503 right after it.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	start = time.Now()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+search, nil).WithContext(ctx))
	took := time.Since(start)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "took too long") {
		t.Errorf("search past its deadline: %d %s", rec.Code, rec.Body)
	}
	if took > full/2 {
		t.Errorf("search with a 100 ms deadline answered after %v (the whole search: %v)", took, full)
	}
	t.Logf("100 ms deadline: %d after %v", rec.Code, took)
	drain(logs.done)

	// A client that leaves: the handler ends soon after, not when the
	// search would have.
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, leave := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+search+"&sort=newest", nil)
	go func() {
		time.Sleep(100 * time.Millisecond)
		leave()
	}()
	left := time.Now().Add(100 * time.Millisecond)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("the request was answered: %d", resp.StatusCode)
	}
	select {
	case path := <-logs.done:
		after := time.Since(left)
		t.Logf("client gone: %s ended %v after", path, after)
		if after > full/2 {
			t.Errorf("the search went on %v after the client left (the whole search: %v)", after, full)
		}
	case <-time.After(full + 10*time.Second):
		t.Fatal("the handler did not end")
	}

	// Over the bounds: a 400 that says which bound, at once.
	for _, q := range []string{
		strings.Repeat(`"`+strings.TrimSpace(strings.Repeat("the ", 50))+`" `, 50), // the red team's 10 KB query
		strings.Repeat("cat ", index.MaxTerms+1),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/api/v1/search?q="+url.QueryEscape(q), nil))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "at most") {
			t.Errorf("%.20q: %d %s", q, rec.Code, rec.Body)
		}
	}
	if code, msg := statusOf(fmt.Errorf("index: search: %w: ab* stands for more than 2000 different words", index.ErrTooCostly)); code != http.StatusBadRequest || !strings.Contains(msg, "ab*") {
		t.Errorf("ErrTooCostly: %d %q", code, msg)
	}
}

func drain(ch chan string) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// TestStatsCached: / and /status count the archive once per store
// sequence (0.78 s a request at 145k posts, recounted for each).
func TestStatsCached(t *testing.T) {
	a := syntheticArchive(t, 30, commonText, 10, false)
	s := newServer(t, a, Config{})
	c := newClient(t, s.Handler())
	entries := func() map[pageKey]*pageEntry[store.Stats] {
		s.stats.mu.Lock()
		defer s.stats.mu.Unlock()
		out := map[pageKey]*pageEntry[store.Stats]{}
		for k, e := range s.stats.entries {
			out[k] = e
		}
		return out
	}
	for _, p := range []string{"/status", "/", "/api/v1/status", "/"} {
		if code, body, _ := c.get(p); code != http.StatusOK {
			t.Fatalf("%s: %d %s", p, code, body)
		}
	}
	first := entries()
	if len(first) != 1 {
		t.Fatalf("%d counts after 4 requests at one sequence, want 1", len(first))
	}
	// A new post: a new count, with it.
	p := post.Post{ID: "twitter:1", Source: "twitter", NativeID: "1", Text: "new", CreatedAt: time.Now().UTC(), Author: post.Author{Handle: "x"}}
	if _, err := a.Store.Write(context.Background(), store.Batch{Posts: []post.Post{p}}); err != nil {
		t.Fatal(err)
	}
	code, body, _ := c.get("/api/v1/status")
	if code != http.StatusOK || !strings.Contains(body, `"posts":31`) {
		t.Errorf("after a new post: %d %s", code, body)
	}
	if n := len(entries()); n != 2 {
		t.Errorf("%d counts after the new post, want 2", n)
	}
}

// discard is a response writer that keeps only the status and a count of
// the body's bytes.
type discard struct {
	h     http.Header
	code  int
	bytes int64
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}
func (d *discard) Write(b []byte) (int, error) {
	if d.code == 0 {
		d.code = http.StatusOK
	}
	d.bytes += int64(len(b))
	return len(b), nil
}

// TestExportStreams: a collection export is written to the response as
// it is made, not built in memory first (the file twice over: 630 MB for
// 30,000 items). The bytes allocated by an export, less those of loading
// its items, stay under twice the size of the file (they were 6 to 7 times
// it; html/template escaping each card is most of what is left). A
// case file streams its zip too, but export.WriteCaseFile makes each
// format in memory before zipping it: it is not measured here.
func TestExportStreams(t *testing.T) {
	const n = 500
	a := syntheticArchive(t, n, func(i int) string {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		var b strings.Builder
		fmt.Fprintf(&b, "post %d", i)
		for range 200 {
			b.WriteByte(' ')
			for range 40 + r.IntN(20) {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
		}
		return b.String()
	}, 4000, true)
	s := newServer(t, a, Config{})
	h := s.Handler()
	ctx := context.Background()
	allocated := func(f func()) uint64 {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		f()
		runtime.ReadMemStats(&m1)
		return m1.TotalAlloc - m0.TotalAlloc
	}
	loadItems := func() {
		col, err := a.Store.Collection(ctx, "all")
		if err != nil {
			t.Fatal(err)
		}
		items, err := a.Store.Items(ctx, col.Slug)
		if err != nil || len(items) != n {
			t.Fatalf("items: %d, %v", len(items), err)
		}
	}
	allocated(loadItems) // the store's page cache filled
	load := allocated(loadItems)
	for _, format := range []string{"csv", "jsonl", "html"} {
		w := &discard{h: http.Header{}}
		all := allocated(func() {
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/collections/all/export?format="+format, nil))
		})
		if w.code != http.StatusOK || w.bytes < n*9_000 {
			t.Fatalf("%s: %d, %d bytes", format, w.code, w.bytes)
		}
		extra := int64(all) - int64(load)
		t.Logf("%s: %.1f MB written, %.1f MB allocated, %.1f MB of them loading the items", format, float64(w.bytes)/1e6, float64(all)/1e6, float64(load)/1e6)
		if extra > 2*w.bytes {
			t.Errorf("%s: %.1f MB allocated beyond loading the items for a file of %.1f MB: the file is held in memory", format, float64(extra)/1e6, float64(w.bytes)/1e6)
		}
	}
	// An unknown format is still a 400 page, not a download.
	w := &discard{h: http.Header{}}
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/collections/all/export?format=doc", nil))
	if w.code != http.StatusBadRequest || w.h.Get("Content-Disposition") != "" {
		t.Errorf("unknown format: %d %v", w.code, w.h)
	}
}
