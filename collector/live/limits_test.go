package live

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/post"
)

// bigPager returns once: a normal post, one with a 32 MiB text (issue 16:
// such a post took the indexer to 5.8 GB) and one whose raw payload is over
// post.MaxRawBytes.
type bigPager struct{ done bool }

func (p *bigPager) Name() string { return "big" }

func (p *bigPager) Fetch(ctx context.Context, cursor string) (Batch, error) {
	if p.done {
		return Batch{Cursor: cursor}, nil
	}
	p.done = true
	long, huge := mkPost(2), mkPost(3)
	long.Text = strings.Repeat("the ", 8<<20)
	huge.Raw = bytes.Repeat([]byte(" "), post.MaxRawBytes+1)
	return Batch{Posts: []post.Post{mkPost(1), long, huge}, Cursor: "3"}, nil
}

// TestLoopLimitsPosts: the loop stores posts cut to post.Limits, skips one
// that cannot be cut, and logs both.
func TestLoopLimitsPosts(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs bytes.Buffer
	if err := RunPoller(ctx, &bigPager{}, st, Options{Log: slog.New(slog.NewTextHandler(&logs, nil)), sleep: noSleep(cancel, 1)}); err != nil {
		t.Fatal(err)
	}
	if stats, _ := st.Stats(context.Background()); stats.Posts != 2 {
		t.Errorf("%d posts stored, want 2", stats.Posts)
	}
	p, err := st.Get(context.Background(), "hackernews:2")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Text) != post.MaxTextBytes {
		t.Errorf("stored text of %d bytes, want %d", len(p.Text), post.MaxTextBytes)
	}
	for _, want := range []string{
		`msg="post cut to the per-post limits" source=big post=hackernews:2 cut="text cut from 33554432 to 131072 bytes"`,
		`msg="post skipped" source=big post=hackernews:3 err="post skipped: raw is 1048577 bytes, over the per-post limit of 1048576"`,
		`msg="records skipped" source=big skipped=1`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}

// TestGetBodyLimit: a response body over MaxBody (16 MiB) is an error, one
// of MaxBody bytes is read.
func TestGetBodyLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := MaxBody
		if r.URL.Path == "/over" {
			n++
		}
		w.Write(bytes.Repeat([]byte("x"), n))
	}))
	defer srv.Close()
	if body, _, err := Get(context.Background(), srv.Client(), srv.URL+"/at", nil); err != nil || len(body) != 16<<20 {
		t.Errorf("16 MiB body: %d bytes, err %v", len(body), err)
	}
	if _, _, err := Get(context.Background(), srv.Client(), srv.URL+"/over", nil); err == nil || !strings.Contains(err.Error(), "response larger than 16777216 bytes") {
		t.Errorf("16 MiB + 1 body: err %v", err)
	}
}
