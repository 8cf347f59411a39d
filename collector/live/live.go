// Package live runs collectors that follow sources as posts arrive: pollers
// (REST APIs asked again and again from a cursor) and streams (WebSockets
// and HTTP streams that push). A source only writes how to fetch one page
// (Poller) or how to read its stream (Streamer); the loop here owns the
// rest: interval with jitter, exponential backoff with a cap, Retry-After
// and rate-limit headers, timeouts, the User-Agent, body size limits, and
// saving each batch's cursor in the same store transaction as its posts, so
// that a crash or restart resumes with no gap and no duplicate.
//
// Coverage: the loop records when each source was connected and caught up,
// and when it was not (down, rate limited, missing or wrong credentials),
// so that a dip in volume caused by our own collector is never mistaken
// for a dip in public interest.
package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aftershock/aftershock/post"
)

// Batch is what one fetch (or one stretch of a stream) yields: posts,
// deletions, and the cursor that resumes after them. The loop stores all of
// it in one transaction.
type Batch struct {
	Posts   []post.Post
	Deletes []post.Ref
	// Cursor resumes the source after this batch ("" keeps the stored
	// one). Its meaning is the source's own (a since_id, a time_us, a
	// min_id, a next_token chain state as JSON).
	Cursor string
	// More is true when the source has more right away (the next page of a
	// backlog): the loop fetches again without waiting for the interval.
	More bool
	// Skipped counts records that did not parse (the source logged each
	// with an excerpt).
	Skipped int
}

// Poller fetches one page after cursor ("" = start from now, or from the
// source's configured start). It returns the batch, or an error: an
// *HTTPError for HTTP failures (so the loop can honour Retry-After and
// rate-limit headers), ErrAuth wrapped for missing or refused credentials.
type Poller interface {
	Name() string // "mastodon:mastodon.social #aws", unique per configured source
	Fetch(ctx context.Context, cursor string) (Batch, error)
}

// Streamer reads a stream from cursor until ctx ends or the connection
// drops, calling emit with each batch (emit stores it with its cursor; an
// error from emit ends the stream). It returns nil or an error when the
// connection ends; the loop reconnects with backoff from the last stored
// cursor.
type Streamer interface {
	Name() string
	Stream(ctx context.Context, cursor string, emit func(Batch) error) error
}

// ErrAuth marks missing or refused credentials: the loop stops that source
// after one try and reports it, never retries in a storm.
var ErrAuth = errors.New("credentials missing or refused")

// HTTPError is a failed HTTP request, with what the response said about
// when to come back.
type HTTPError struct {
	Status     int
	RetryAfter time.Duration // from Retry-After or the source's rate-limit reset header; 0 if none
	Body       string        // the start of the body, for the log
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	if e.Body != "" {
		s += ": " + e.Body
	}
	return s
}

// UserAgent names Aftershock in every request.
const UserAgent = "Aftershock/0.1 (+https://github.com/aftershock/aftershock)"

// MaxBody is the largest response body a source reads: 16 MiB, several
// times the largest page a source sends (1,000 Hacker News hits, 100 X
// posts with their expansions). Each post in it is then held to
// post.Limits before it is stored.
const MaxBody = 16 << 20
