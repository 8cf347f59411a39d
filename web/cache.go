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
type pageCache[V any] struct {
	mu      sync.Mutex
	entries map[pageKey]*pageEntry[V]
	ttl     time.Duration
	max     int
}

type pageKey struct {
	slug, tz string
	width    time.Duration
	updated  time.Time // the event's last edit
	seq      int64     // the index's last applied change
	status   int64     // the store's status updates
	minute   int64     // an open window ends now: it changes each minute
	query    string    // the page's own parameters (selected range, bucket)
}

type pageEntry[V any] struct {
	done  chan struct{}
	v     V
	err   error
	built time.Time
}

func newPageCache[V any](ttl time.Duration, max int) *pageCache[V] {
	return &pageCache[V]{entries: map[pageKey]*pageEntry[V]{}, ttl: ttl, max: max}
}

// get returns the value for key, building it with build if it is not
// cached (or is older than the TTL).
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
	if e == nil {
		if len(c.entries) >= c.max {
			for k, old := range c.entries {
				select {
				case <-old.done:
					delete(c.entries, k)
				default:
				}
			}
		}
		e = &pageEntry[V]{done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.v, e.err = build()
		e.built = now
		close(e.done)
		return e.v, e.err
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
