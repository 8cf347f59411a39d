package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mkPost(n int) post.Post {
	id := fmt.Sprint(n)
	return post.Post{ID: "hackernews:" + id, Source: "hackernews", NativeID: id, Text: "post " + id,
		CreatedAt: time.Date(2017, 2, 28, 17, 0, n, 0, time.UTC), Author: post.Author{Handle: "u"}, Raw: []byte(`{}`)}
}

// pager serves posts 1..total in pages of size, the cursor being the last
// post number; fail returns an error at the given call numbers.
type pager struct {
	mu          sync.Mutex
	total, size int
	calls       int
	fail        map[int]error
	cursors     []string
}

func (p *pager) Name() string { return "fake" }

func (p *pager) Fetch(ctx context.Context, cursor string) (Batch, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	p.cursors = append(p.cursors, cursor)
	if err := p.fail[p.calls]; err != nil {
		return Batch{}, err
	}
	var from int
	if cursor != "" {
		fmt.Sscan(cursor, &from)
	}
	var b Batch
	for n := from + 1; n <= min(from+p.size, p.total); n++ {
		b.Posts = append(b.Posts, mkPost(n))
	}
	last := min(from+p.size, p.total)
	b.Cursor = fmt.Sprint(last)
	b.More = last < p.total
	return b, nil
}

// noSleep makes the loop's waits instant, and ends the run after the
// given number of waits.
func noSleep(cancel func(), after int) func(context.Context, time.Duration) bool {
	var mu sync.Mutex
	n := 0
	return func(ctx context.Context, d time.Duration) bool {
		mu.Lock()
		defer mu.Unlock()
		n++
		if n >= after {
			cancel()
			return false
		}
		return ctx.Err() == nil
	}
}

func TestRunPoller(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := &pager{total: 25, size: 10, fail: map[int]error{
		2: errors.New("connection reset"),
		3: &HTTPError{Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second},
	}}
	var waits []time.Duration
	opt := Options{sleep: func(ctx context.Context, d time.Duration) bool {
		waits = append(waits, d)
		if len(waits) == 4 { // two failures, caught up once, then stop
			cancel()
			return false
		}
		return true
	}}
	if err := RunPoller(ctx, p, st, opt); err != nil {
		t.Fatal(err)
	}
	stats, _ := st.Stats(context.Background())
	if stats.Posts != 25 {
		t.Errorf("%d posts stored, want 25", stats.Posts)
	}
	// After each failure the same cursor is fetched again.
	if want := []string{"", "10", "10", "10", "20", "25"}; fmt.Sprint(p.cursors) != fmt.Sprint(want) {
		t.Errorf("cursors %v, want %v", p.cursors, want)
	}
	if waits[1] < 27*time.Second {
		t.Errorf("the 429's Retry-After was not honoured: waited %v", waits[1])
	}
	if c, _ := st.SourceCursor(context.Background(), "fake"); c != "25" {
		t.Errorf("stored cursor %q", c)
	}
	spans, _ := st.Coverage(context.Background(), time.Time{}, time.Now().Add(time.Hour))
	var states []string
	for _, s := range spans {
		states = append(states, s.State)
	}
	if want := "connected down rate_limited connected caught_up stopped"; fmt.Sprint(states) != "["+want+"]" {
		t.Errorf("coverage %v, want %s", states, want)
	}

	// A new run (a restart) resumes from the stored cursor.
	p2 := &pager{total: 30, size: 10}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	if err := RunPoller(ctx2, p2, st, Options{sleep: noSleep(cancel2, 1)}); err != nil {
		t.Fatal(err)
	}
	if p2.cursors[0] != "25" {
		t.Errorf("restart began at %q", p2.cursors[0])
	}
	if stats, _ := st.Stats(context.Background()); stats.Posts != 30 {
		t.Errorf("%d posts after the restart, want 30", stats.Posts)
	}
}

func TestRunPollerAuth(t *testing.T) {
	st := openStore(t)
	p := &pager{total: 5, size: 10, fail: map[int]error{1: fmt.Errorf("no token: %w", ErrAuth)}}
	err := RunPoller(context.Background(), p, st, Options{sleep: func(context.Context, time.Duration) bool {
		t.Error("waited after refused credentials")
		return false
	}})
	if !errors.Is(err, ErrAuth) || p.calls != 1 {
		t.Errorf("err %v after %d calls", err, p.calls)
	}
	srcs, _ := st.Sources(context.Background())
	if len(srcs) != 1 || srcs[0].State != store.StateAuth {
		t.Errorf("sources %+v", srcs)
	}
}

// streamer sends posts from the cursor on, dropping the connection after
// drop posts on its first connection.
type streamer struct {
	total, drop int
	conns       []string
}

func (s *streamer) Name() string { return "stream" }

func (s *streamer) Stream(ctx context.Context, cursor string, emit func(Batch) error) error {
	s.conns = append(s.conns, cursor)
	var from int
	if cursor != "" {
		fmt.Sscan(cursor, &from)
	}
	for n := from + 1; n <= s.total; n++ {
		if len(s.conns) == 1 && n > s.drop {
			return errors.New("connection dropped")
		}
		if err := emit(Batch{Posts: []post.Post{mkPost(n)}, Cursor: fmt.Sprint(n)}); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return ctx.Err()
}

func TestRunStreamer(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := &streamer{total: 20, drop: 7}
	done := make(chan error)
	go func() {
		done <- RunStreamer(ctx, s, st, Options{sleep: func(ctx context.Context, d time.Duration) bool { return ctx.Err() == nil }})
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		stats, _ := st.Stats(context.Background())
		if stats.Posts == 20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if stats, _ := st.Stats(context.Background()); stats.Posts != 20 {
		t.Errorf("%d posts, want 20", stats.Posts)
	}
	if fmt.Sprint(s.conns) != "[ 7]" {
		t.Errorf("connections from %v, want the second from cursor 7", s.conns)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"120"}}, 2 * time.Minute},
		{http.Header{"Retry-After": {now.Add(time.Minute).Format(http.TimeFormat)}}, time.Minute},
		{http.Header{"X-Rate-Limit-Reset": {fmt.Sprint(now.Add(90 * time.Second).Unix())}}, 90 * time.Second},
		{http.Header{"X-Ratelimit-Reset": {"42"}}, 42 * time.Second},
		{http.Header{"X-Ratelimit-Reset": {now.Add(5 * time.Minute).Format(time.RFC3339)}}, 5 * time.Minute},
		{http.Header{}, 0},
	} {
		if got := RetryAfter(c.h, now); got != c.want {
			t.Errorf("%v: %v, want %v", c.h, got, c.want)
		}
	}
	if backoff(1, time.Second, time.Minute) != time.Second || backoff(4, time.Second, time.Minute) != 8*time.Second || backoff(20, time.Second, time.Minute) != time.Minute {
		t.Error("backoff")
	}
}

// fullDisk is a store whose disk is full for the first writes: they fail
// as a write to a full disk does, and store nothing.
type fullDisk struct {
	*store.Store
	full int // writes left to fail
}

func (f *fullDisk) Write(ctx context.Context, b store.Batch) ([]store.Outcome, error) {
	if f.full > 0 {
		f.full--
		return nil, fmt.Errorf("store: commit: %w", &os.PathError{Op: "write", Path: "archive.db-wal", Err: syscall.ENOSPC})
	}
	return f.Store.Write(ctx, b)
}

// TestRunPollerDiskFull: a full disk pauses collection with its own state
// (not the source's fault), retries at least every 30 s even after a long
// backoff, keeps the cursor where the last stored batch left it, and loses
// nothing once space is back.
func TestRunPollerDiskFull(t *testing.T) {
	st := &fullDisk{Store: openStore(t), full: 3}
	p := &pager{total: 25, size: 10, fail: map[int]error{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var waits []time.Duration
	opt := Options{MinBackoff: time.Hour, sleep: func(ctx context.Context, d time.Duration) bool {
		waits = append(waits, d)
		if len(waits) == 4 { // three full-disk waits, caught up once
			cancel()
			return false
		}
		return true
	}}
	if err := RunPoller(ctx, p, st, opt); err != nil {
		t.Fatal(err)
	}
	for _, d := range waits[:3] {
		if d > 33*time.Second {
			t.Errorf("waited %v after a full-disk failure, want at most 30 s (±10 %%)", d)
		}
	}
	if want := "[    10 20]"; fmt.Sprint(p.cursors) != want {
		t.Errorf("cursors %v, want %s: the first batch must be fetched again until it is stored", p.cursors, want)
	}
	if stats, _ := st.Stats(context.Background()); stats.Posts != 25 {
		t.Errorf("%d posts stored, want 25", stats.Posts)
	}
	spans, _ := st.Coverage(context.Background(), time.Time{}, time.Now().Add(time.Hour))
	var states []string
	for _, s := range spans {
		states = append(states, s.State)
	}
	if want := "[disk_full connected caught_up stopped]"; fmt.Sprint(states) != want {
		t.Errorf("coverage %v, want %s", states, want)
	}
}
