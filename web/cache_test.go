package web

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestPageCacheOneBuildAtATime: while a page's newer version is built, other
// requests get its last version (if recent) instead of starting builds of
// their own; an old last version is not served; a failed build keeps the
// last good one.
func TestPageCacheOneBuildAtATime(t *testing.T) {
	ctx := context.Background()
	c := newPageCache[int](time.Minute, 16)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	key := func(seq int64) pageKey { return pageKey{slug: "s3", seq: seq} }
	var builds atomic.Int32
	value := func(v int) func() (int, error) {
		return func() (int, error) { builds.Add(1); return v, nil }
	}
	if v, _ := c.get(ctx, key(1), now, value(1)); v != 1 {
		t.Fatalf("first build: %d", v)
	}
	if v, _ := c.get(ctx, key(1), now, value(99)); v != 1 || builds.Load() != 1 {
		t.Fatalf("cached: %d after %d builds", v, builds.Load())
	}

	// A slow build of seq 2 is under way.
	release, started := make(chan struct{}), make(chan struct{})
	got2 := make(chan int)
	go func() {
		v, _ := c.get(ctx, key(2), now, func() (int, error) { close(started); <-release; builds.Add(1); return 2, nil })
		got2 <- v
	}()
	<-started
	for _, seq := range []int64{2, 3, 4} {
		if v, err := c.get(ctx, key(seq), now.Add(time.Second), value(int(seq))); v != 1 || err != nil {
			t.Errorf("seq %d during the build: %d %v, want the last version (1)", seq, v, err)
		}
	}
	// Another page is not held up by it.
	if v, _ := c.get(ctx, pageKey{slug: "gcp", seq: 2}, now, value(7)); v != 7 {
		t.Errorf("another page: %d", v)
	}
	close(release)
	if v := <-got2; v != 2 {
		t.Errorf("the builder got %d", v)
	}
	if n := builds.Load(); n != 3 { // 1, 2, and the other page
		t.Errorf("%d builds, want 3: requests during a build must not start their own", n)
	}
	// Once it is done, a newer version is built by the next request.
	if v, _ := c.get(ctx, key(3), now.Add(2*time.Second), value(3)); v != 3 {
		t.Errorf("after the build: %d", v)
	}

	// A last version older than staleFor is not served: the request waits.
	release, started = make(chan struct{}), make(chan struct{})
	late := now.Add(2*time.Second + staleFor + time.Second)
	go func() {
		c.get(ctx, key(5), late, func() (int, error) { close(started); <-release; return 5, nil })
	}()
	<-started
	waited := make(chan int)
	go func() { v, _ := c.get(ctx, key(6), late, value(6)); waited <- v }()
	select {
	case v := <-waited:
		t.Fatalf("got %d at once: a version older than %v was served", v, staleFor)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if v := <-waited; v != 5 {
		t.Errorf("after waiting: %d, want the build it waited for (5)", v)
	}

	// A failed build keeps the last good version for the others.
	boom := errors.New("boom")
	if _, err := c.get(ctx, key(7), late, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("failed build: %v", err)
	}
	if v, _ := c.get(ctx, key(7), late, value(8)); v != 8 {
		t.Errorf("after a failed build the next request builds again: %d", v)
	}
}

// TestPageCachePanic: a build that panics fails its own request and the
// requests waiting for it with an error (they waited for ever), and the
// next request builds again.
func TestPageCachePanic(t *testing.T) {
	ctx := context.Background()
	c := newPageCache[int](time.Minute, 16)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	key := pageKey{slug: "s3", seq: 1}
	release, started := make(chan struct{}), make(chan struct{})
	builder := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				builder <- fmt.Errorf("the panic left get: %v", v)
			}
		}()
		_, err := c.get(ctx, key, now, func() (int, error) { close(started); <-release; panic("template bug") })
		builder <- err
	}()
	<-started
	waiters := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := c.get(ctx, key, now, func() (int, error) { return 2, nil })
			waiters <- err
		}()
	}
	time.Sleep(50 * time.Millisecond) // the waiters join the build
	close(release)
	for i := range 4 {
		ch := waiters
		if i == 0 {
			ch = builder
		}
		select {
		case err := <-ch:
			if err == nil || !strings.Contains(err.Error(), "panicked: template bug") {
				t.Errorf("request %d: %v, want the build's panic as an error", i, err)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("request %d still waits for the build that panicked", i)
		}
	}
	if v, err := c.get(ctx, key, now, func() (int, error) { return 3, nil }); v != 3 || err != nil {
		t.Errorf("after the panic: %d %v, want a new build", v, err)
	}
}

// TestPageCacheContexts: a waiter stops waiting when its own context
// ends; a waiter whose builder's request ended (the client left) builds
// the page itself rather than fail with the other request's error.
func TestPageCacheContexts(t *testing.T) {
	c := newPageCache[int](time.Minute, 16)
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	key := pageKey{slug: "s3", seq: 1}
	builderCtx, leave := context.WithCancel(context.Background())
	started := make(chan struct{})
	builder := make(chan error, 1)
	go func() {
		_, err := c.get(builderCtx, key, now, func() (int, error) {
			close(started)
			<-builderCtx.Done()
			return 0, fmt.Errorf("search: %w", builderCtx.Err())
		})
		builder <- err
	}()
	<-started
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.get(short, key, now, func() (int, error) { return 2, nil }); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("waiter with a deadline: %v after %v", err, time.Since(start))
	}
	waiter := make(chan int, 1)
	go func() {
		v, err := c.get(context.Background(), key, now, func() (int, error) { return 2, nil })
		if err != nil {
			t.Errorf("waiter whose builder left: %v", err)
		}
		waiter <- v
	}()
	time.Sleep(50 * time.Millisecond)
	leave()
	if err := <-builder; !errors.Is(err, context.Canceled) {
		t.Errorf("builder: %v", err)
	}
	select {
	case v := <-waiter:
		if v != 2 {
			t.Errorf("waiter got %d, want its own build (2)", v)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the waiter still waits")
	}
}
