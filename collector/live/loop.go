package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// Store is what the loop needs of the archive (*store.Store).
type Store interface {
	Write(ctx context.Context, b store.Batch) ([]store.Outcome, error)
	SourceCursor(ctx context.Context, source string) (string, error)
	SetState(ctx context.Context, source, state, detail string) error
}

// Enricher scores a post's language and sentiment before it is stored
// (*sentiment.Scorer).
type Enricher interface{ Enrich(*post.Post) }

// Options tune the loop; the zero value works.
type Options struct {
	Interval   time.Duration // between polls once caught up; default 60 s
	MinBackoff time.Duration // first wait after a failure; default 2 s
	MaxBackoff time.Duration // the cap of the exponential backoff; default 10 min
	Enrich     Enricher      // nil: posts are stored as the source gave them
	Log        *slog.Logger
	// Limits bound what one post may carry (zero: post's defaults): a post
	// over them is stored cut, or skipped when its raw payload or id is,
	// and logged either way.
	Limits post.Limits
	// OnBatch, if set, is called after each stored batch (a status line).
	OnBatch func(source string, posts int)
	// sleep waits d or until ctx ends (tests replace it).
	sleep func(ctx context.Context, d time.Duration) bool
}

func (o Options) withDefaults() Options {
	if o.Interval <= 0 {
		o.Interval = time.Minute
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 2 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 10 * time.Minute
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.sleep == nil {
		o.sleep = sleepCtx
	}
	return o
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// jitter spreads d by ±10 %, so sources polled together drift apart.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.9 + 0.2*rand.Float64()))
}

// backoff is the wait after the n-th failure in a row (n ≥ 1): doubling
// from min, capped at max.
func backoff(n int, min, max time.Duration) time.Duration {
	d := min
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d
}

// diskFullRetry caps the wait after a write failed on a full disk.
const diskFullRetry = 30 * time.Second

// runner is one source's loop state.
type runner struct {
	name  string
	st    Store
	opt   Options
	state string // the state last recorded
}

func (r *runner) setState(ctx context.Context, state, detail string) {
	if state == r.state && detail == "" {
		return
	}
	// The state is recorded even as ctx ends (a "stopped" at shutdown).
	if err := r.st.SetState(context.WithoutCancel(ctx), r.name, state, detail); err != nil {
		r.opt.Log.Warn("coverage", "source", r.name, "err", err)
	}
	r.state = state
}

// limit holds every post of b to the per-post limits: a post over them is
// cut, or dropped and counted in Skipped; each is logged.
func (r *runner) limit(b *Batch) {
	kept := b.Posts[:0]
	for i := range b.Posts {
		p := &b.Posts[i]
		cut, err := p.Limit(r.opt.Limits)
		if err != nil {
			r.opt.Log.Warn("post skipped", "source", r.name, "post", excerpt([]byte(p.ID)), "err", err)
			b.Skipped++
			continue
		}
		if cut != nil {
			r.opt.Log.Warn("post cut to the per-post limits", "source", r.name, "post", p.ID, "cut", strings.Join(cut, ", "))
		}
		kept = append(kept, *p)
	}
	clear(b.Posts[len(kept):])
	b.Posts = kept
}

// store writes a batch with its cursor in one transaction.
func (r *runner) store(ctx context.Context, b Batch) error {
	r.limit(&b)
	if r.opt.Enrich != nil {
		for i := range b.Posts {
			r.opt.Enrich.Enrich(&b.Posts[i])
		}
	}
	sb := store.Batch{Posts: b.Posts, Deletes: b.Deletes}
	if b.Cursor != "" {
		sb.Cursor = &store.Cursor{Source: r.name, Value: b.Cursor}
	}
	if len(sb.Posts) == 0 && len(sb.Deletes) == 0 && sb.Cursor == nil {
		return nil
	}
	if _, err := r.st.Write(ctx, sb); err != nil {
		return err
	}
	if b.Skipped > 0 {
		r.opt.Log.Warn("records skipped", "source", r.name, "skipped", b.Skipped)
	}
	if r.opt.OnBatch != nil {
		r.opt.OnBatch(r.name, len(b.Posts))
	}
	return nil
}

// wait handles a failure: it records the state and waits the backoff (or
// what the source asked for). It returns false when the source must stop
// (credentials) or ctx ended.
func (r *runner) wait(ctx context.Context, err error, failures int) bool {
	var he *HTTPError
	d := backoff(failures, r.opt.MinBackoff, r.opt.MaxBackoff)
	switch {
	case errors.Is(err, ErrAuth):
		r.setState(ctx, store.StateAuth, err.Error())
		r.opt.Log.Error("source stopped: credentials", "source", r.name, "err", err)
		return false
	case store.IsDiskFull(err):
		// Our side, not the source's: the batch was not stored and the
		// cursor did not move, so nothing is skipped. Retry often enough
		// to resume soon after space is freed.
		d = min(d, diskFullRetry)
		r.setState(ctx, store.StateDiskFull, err.Error())
		r.opt.Log.Error("collection paused: the archive's disk is full; free space and it resumes", "source", r.name, "retry_in", d, "err", err)
		return r.opt.sleep(ctx, jitter(d))
	case errors.As(err, &he) && he.Status == http.StatusTooManyRequests:
		d = max(d, he.RetryAfter)
		r.setState(ctx, store.StateRateLimited, err.Error())
	default:
		if errors.As(err, &he) && he.RetryAfter > 0 {
			d = max(d, he.RetryAfter)
		}
		r.setState(ctx, store.StateDown, err.Error())
	}
	r.opt.Log.Warn("source failing", "source", r.name, "failures", failures, "wait", d, "err", err)
	return r.opt.sleep(ctx, jitter(d))
}

// RunPoller follows a polling source until ctx ends or its credentials are
// refused: fetch from the stored cursor, store the batch with its new
// cursor, fetch again at once while the source has more, else after the
// interval; back off on failures.
func RunPoller(ctx context.Context, p Poller, st Store, opt Options) error {
	r := &runner{name: p.Name(), st: st, opt: opt.withDefaults()}
	cursor, err := st.SourceCursor(ctx, r.name)
	if err != nil {
		return err
	}
	failures := 0
	for ctx.Err() == nil {
		b, err := p.Fetch(ctx, cursor)
		if err == nil {
			err = r.store(ctx, b)
		}
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			failures++
			if !r.wait(ctx, err, failures) {
				if errors.Is(err, ErrAuth) {
					return fmt.Errorf("%s: %w", r.name, err)
				}
				break
			}
			continue
		}
		failures = 0
		if b.Cursor != "" {
			cursor = b.Cursor
		}
		if b.More {
			r.setState(ctx, store.StateConnected, "")
			continue
		}
		r.setState(ctx, store.StateCaughtUp, "")
		if !r.opt.sleep(ctx, jitter(r.opt.Interval)) {
			break
		}
	}
	r.setState(ctx, store.StateStopped, "")
	return nil
}

// RunStreamer follows a pushing source until ctx ends or its credentials
// are refused, reconnecting with backoff from the last stored cursor.
func RunStreamer(ctx context.Context, s Streamer, st Store, opt Options) error {
	r := &runner{name: s.Name(), st: st, opt: opt.withDefaults()}
	failures := 0
	for ctx.Err() == nil {
		cursor, err := st.SourceCursor(ctx, r.name)
		if err != nil {
			return err
		}
		connectedAt := time.Now()
		r.setState(ctx, store.StateConnected, "")
		err = s.Stream(ctx, cursor, func(b Batch) error {
			if err := r.store(ctx, b); err != nil {
				return err
			}
			r.setState(ctx, store.StateCaughtUp, "")
			return nil
		})
		if ctx.Err() != nil {
			break
		}
		if err == nil {
			err = errors.New("stream ended")
		}
		if time.Since(connectedAt) > time.Minute {
			failures = 0 // it ran a while: start the backoff over
		}
		failures++
		if !r.wait(ctx, err, failures) {
			if errors.Is(err, ErrAuth) {
				return fmt.Errorf("%s: %w", r.name, err)
			}
			break
		}
	}
	r.setState(ctx, store.StateStopped, "")
	return nil
}
