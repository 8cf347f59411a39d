package web

import (
	"context"
	"sync"
	"time"

	"github.com/aftershock/aftershock/event"
)

// timelineCache keeps recently built timelines, so that a reporter (or a
// newsroom) reloading an event page during an incident does not rebuild
// the timeline of a million posts for every view. An entry is keyed by
// everything the timeline depends on, including the index's last applied
// sequence number: a new post, an edit of the event or a new status update
// makes a new key. Concurrent requests for the same key wait for one build.
type timelineCache struct {
	mu      sync.Mutex
	entries map[timelineKey]*timelineEntry
	ttl     time.Duration
	max     int
}

type timelineKey struct {
	slug, tz string
	width    time.Duration
	updated  time.Time // the event's last edit
	seq      int64     // the index's last applied change
	status   int64     // the store's status updates
	minute   int64     // an open window ends now: it changes each minute
}

type timelineEntry struct {
	done  chan struct{}
	tl    *event.Timeline
	err   error
	built time.Time
}

func newTimelineCache(ttl time.Duration, max int) *timelineCache {
	return &timelineCache{entries: map[timelineKey]*timelineEntry{}, ttl: ttl, max: max}
}

// get returns the timeline for key, building it with build if it is not
// cached (or is older than the TTL).
func (c *timelineCache) get(ctx context.Context, key timelineKey, now time.Time, build func() (*event.Timeline, error)) (*event.Timeline, error) {
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
		e = &timelineEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.tl, e.err = build()
		e.built = now
		close(e.done)
		return e.tl, e.err
	}
	c.mu.Unlock()
	select {
	case <-e.done:
		return e.tl, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
