package web

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/aftershock/aftershock/store"
)

// pageCache keeps recently built event pages (timeline, chart, top posts),
// so that a reporter (or a
// newsroom) reloading an event page during an incident does not rebuild
// the timeline of a million posts for every view. An entry is keyed by
// everything the timeline depends on, including the index's last applied
// sequence number: a new post, an edit of the event or a new status update
// makes a new key. Concurrent requests for the same key wait for one build.
//
// While posts arrive (an import, live collectors) the sequence changes
// every second, and a page of a million posts takes longer than that to
// build. So one build per page runs at a time: a request that finds the
// page's newer version being built gets the last one built instead, if it
// is at most staleFor old — the page it gets lags the index by seconds,
// and no pile of builds starves the machine. The key's seq, status and
// minute may lag so; its other fields (the event's edit, the parameters)
// never do.
type pageCache[V any] struct {
	mu      sync.Mutex
	entries map[pageKey]*pageEntry[V]
	pages   map[pageKey]*pageState[V] // by key with seq, status and minute zeroed
	ttl     time.Duration
	max     int
}

// staleFor is how old a page may be when it is served while its newer
// version is built.
const staleFor = 15 * time.Second

type pageKey struct {
	slug, tz string
	width    time.Duration
	updated  time.Time // the event's last edit
	seq      int64     // the index's last applied change
	status   int64     // the store's status updates
	minute   int64     // an open window ends now: it changes each minute
	query    string    // the page's own parameters (selected range, bucket)
}

// page is the key without what may lag.
func (k pageKey) page() pageKey {
	k.seq, k.status, k.minute = 0, 0, 0
	return k
}

type pageEntry[V any] struct {
	done  chan struct{}
	v     V
	err   error
	built time.Time
}

// pageState is one page's build in progress and its last good version.
type pageState[V any] struct {
	building *pageEntry[V]
	latest   *pageEntry[V]
}

func newPageCache[V any](ttl time.Duration, max int) *pageCache[V] {
	return &pageCache[V]{entries: map[pageKey]*pageEntry[V]{}, pages: map[pageKey]*pageState[V]{}, ttl: ttl, max: max}
}

// get returns the value for key, building it with build if it is not
// cached (or is older than the TTL), or the page's last version while
// another request builds it (see pageCache).
//
// A request waiting for another's build waits at most until its own ctx
// ends. A build that panics fails with an error, for its own request and
// for those waiting (the next request builds again). A build that failed
// because its own request's context ended (the client left, its deadline
// passed) is not the waiters' failure: a waiter whose ctx is still live
// builds the page itself.
func (c *pageCache[V]) get(ctx context.Context, key pageKey, now time.Time, build func() (V, error)) (V, error) {
	for {
		v, err, mine := c.try(ctx, key, now, build)
		if mine || err == nil || !isContextErr(err) || ctx.Err() != nil {
			return v, err
		}
		// Another request's build ended with its context: build it here.
	}
}

// isContextErr reports whether err is a context's end.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// try is one attempt of get; mine reports whether the result is this
// call's own build.
func (c *pageCache[V]) try(ctx context.Context, key pageKey, now time.Time, build func() (V, error)) (v V, err error, mine bool) {
	c.mu.Lock()
	e := c.entries[key]
	if e != nil {
		select {
		case <-e.done:
			if e.err != nil || now.Sub(e.built) > c.ttl {
				e = nil // rebuild
			}
		default: // being built
		}
	}
	p := c.pages[key.page()]
	if p == nil {
		p = &pageState[V]{}
		c.pages[key.page()] = p
	}
	if e == nil && p.building != nil {
		e = p.building // a build of another version is under way: join it
	}
	if e != nil {
		select {
		case <-e.done:
			c.mu.Unlock()
			return e.v, e.err, false
		default:
		}
		if p.latest != nil && now.Sub(p.latest.built) <= staleFor {
			v := p.latest.v
			c.mu.Unlock()
			return v, nil, false
		}
		c.mu.Unlock()
		select {
		case <-e.done:
			return e.v, e.err, false
		case <-ctx.Done():
			return v, ctx.Err(), false
		}
	}
	if len(c.entries) >= c.max {
		c.evict()
	}
	e = &pageEntry[V]{done: make(chan struct{})}
	c.entries[key] = e
	p.building = e
	c.mu.Unlock()

	e.v, e.err = safeBuild(build)
	e.built = now

	c.mu.Lock()
	p.building = nil
	if e.err == nil {
		p.latest = e
	}
	close(e.done)
	c.mu.Unlock()
	return e.v, e.err, true
}

// safeBuild runs build, turning a panic into an error that carries the
// panic's value and stack (for the log: the page says only that something
// went wrong).
func safeBuild[V any](build func() (V, error)) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero V
			v, err = zero, fmt.Errorf("web: building the page panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return build()
}

// statsCache holds the store's archive-wide statistics (counts by source
// and language, deleted posts), which / and /status show: counting them
// takes most of a second at 145k posts, and 50 clients reloading the home
// page each made the count.
type statsCache = pageCache[store.Stats]

func newStatsCache() *statsCache { return newPageCache[store.Stats](time.Hour, 4) }

// storeStats returns the store's statistics, counted once per store
// sequence number (every change of a post moves it): while posts arrive,
// requests share one count at a time and get the last one (at most
// staleFor old) while the next is counted.
func (s *Server) storeStats(ctx context.Context) (store.Stats, error) {
	seq, err := s.a.Store.MaxSeq(ctx)
	if err != nil {
		return store.Stats{}, err
	}
	return s.stats.get(ctx, pageKey{slug: "stats", seq: seq}, s.cfg.Now(), func() (store.Stats, error) {
		return s.a.Store.Stats(ctx)
	})
}

// evict drops the finished entries, and the pages with nothing left.
func (c *pageCache[V]) evict() {
	for k, old := range c.entries {
		select {
		case <-old.done:
			delete(c.entries, k)
		default:
		}
	}
	for k, p := range c.pages {
		if p.building == nil {
			delete(c.pages, k)
		}
	}
}
