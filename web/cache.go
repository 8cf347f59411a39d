package web

import (
	"context"
	"sync"
	"time"
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
func (c *pageCache[V]) get(ctx context.Context, key pageKey, now time.Time, build func() (V, error)) (V, error) {
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
			return e.v, e.err
		default:
		}
		if p.latest != nil && now.Sub(p.latest.built) <= staleFor {
			v := p.latest.v
			c.mu.Unlock()
			return v, nil
		}
		c.mu.Unlock()
		select {
		case <-e.done:
			return e.v, e.err
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	if len(c.entries) >= c.max {
		c.evict()
	}
	e = &pageEntry[V]{done: make(chan struct{})}
	c.entries[key] = e
	p.building = e
	c.mu.Unlock()

	e.v, e.err = build()
	e.built = now

	c.mu.Lock()
	p.building = nil
	if e.err == nil {
		p.latest = e
	}
	close(e.done)
	c.mu.Unlock()
	return e.v, e.err
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
