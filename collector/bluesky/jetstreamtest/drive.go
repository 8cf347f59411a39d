package jetstreamtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aftershock/aftershock/collector/live"
)

// Report is what [Drive] measured.
type Report struct {
	Streams   int            // calls of Stream (1 + reconnections)
	Batches   int            // batches emitted
	Posts     int            // posts emitted, duplicates included
	Deletes   int            // deletions emitted
	Skipped   int            // sum of Batch.Skipped
	Delivered map[string]int // post id → how many times it was emitted
	Cursors   []string       // the cursor of each batch, in order
	// Elapsed runs from the first Stream call to the batch that brought the
	// distinct posts to the number wanted.
	Elapsed time.Duration
	// PostsPerSecond is distinct posts / Elapsed.
	PostsPerSecond float64
	// Latency is, per emitted post, the time from the fake first sending
	// its event to the batch holding it reaching emit.
	LatencyP50, LatencyP99, LatencyMax time.Duration
}

// Drive follows st (a streamer pointed at srv) like the live loop does —
// from an empty cursor, reconnecting at once from the last emitted cursor
// whenever Stream returns — until want distinct posts have been emitted, and
// reports how fast they came. It fails if ctx ends first (the report so far
// is returned with the error).
func Drive(ctx context.Context, st live.Streamer, srv *Server, want int) (Report, error) {
	r := Report{Delivered: map[string]int{}}
	errEnough := errors.New("jetstreamtest: enough posts") // ends a stream once Drive has seen what it wanted
	var lat []time.Duration
	cursor := ""
	start := time.Now()
	emit := func(b live.Batch) error {
		now := time.Now()
		r.Batches++
		r.Posts += len(b.Posts)
		r.Deletes += len(b.Deletes)
		r.Skipped += b.Skipped
		for i := range b.Posts {
			p := &b.Posts[i]
			r.Delivered[p.ID]++
			if us, ok := TimeUS(p.Raw); ok {
				if t, ok := srv.SentAt(us); ok {
					lat = append(lat, now.Sub(t))
				}
			}
		}
		if b.Cursor != "" {
			cursor = b.Cursor
		}
		r.Cursors = append(r.Cursors, b.Cursor)
		if len(r.Delivered) >= want {
			r.Elapsed = time.Since(start)
			return errEnough
		}
		return nil
	}
	var err error
	for len(r.Delivered) < want {
		if ctx.Err() != nil {
			err = fmt.Errorf("jetstreamtest: %d of %d posts after %d streams: %w", len(r.Delivered), want, r.Streams, ctx.Err())
			break
		}
		r.Streams++
		if e := st.Stream(ctx, cursor, emit); e != nil && !errors.Is(e, errEnough) && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond) // the loop would back off
		}
	}
	if r.Elapsed > 0 {
		r.PostsPerSecond = float64(len(r.Delivered)) / r.Elapsed.Seconds()
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		r.LatencyP50 = lat[len(lat)/2]
		r.LatencyP99 = lat[len(lat)*99/100]
		r.LatencyMax = lat[len(lat)-1]
	}
	return r, err
}
