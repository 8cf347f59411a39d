package archive

import (
	"context"
	"fmt"
	"time"

	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

// Result is a page of search results with the stored posts behind the hits.
type Result struct {
	*index.Results
	Posts []store.Stored // in hit order; a hit whose post is gone from the store is left out
}

// Search runs q against the index and loads the posts it found.
func (a *Archive) Search(ctx context.Context, q index.Query) (Result, error) {
	if err := a.needIndex(); err != nil {
		return Result{}, err
	}
	res, err := a.Index.Search(ctx, q)
	if err != nil {
		return Result{}, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	posts, err := a.Store.GetMany(ctx, ids)
	if err != nil {
		return Result{}, fmt.Errorf("search: load posts: %w", err)
	}
	return Result{Results: res, Posts: posts}, nil
}

// EachPageSize is how many posts Each loads at a time.
const EachPageSize = index.MaxSize

// eachSlice is how many posts one time slice of Each holds at most (unless
// one histogram bucket alone holds more).
const eachSlice = 20 * EachPageSize

// Each calls fn with every post matching q (its text and filters; sorting
// and paging are Each's), oldest first, raw payloads loaded, one page of
// EachPageSize at a time: memory does not grow with the number of posts.
// progress, if set, is called after each page with the posts done and the
// total.
//
// Paging a million hits by cursor would make every page sort all of them
// again; Each first counts the hits per hour, then pages through one time
// slice of about eachSlice hits at a time, so each page sorts only its
// slice.
func (a *Archive) Each(ctx context.Context, q index.Query, fn func(store.Stored) error, progress func(done, total uint64)) error {
	return a.each(ctx, q, eachSlice, EachPageSize, fn, progress)
}

func (a *Archive) each(ctx context.Context, q index.Query, per, pageSize int, fn func(store.Stored) error, progress func(done, total uint64)) error {
	if err := a.needIndex(); err != nil {
		return err
	}
	q.Sort, q.Size, q.After, q.Facets, q.Histogram = index.Oldest, pageSize, "", false, 0
	slices, total, err := a.timeSlices(ctx, q, per)
	if err != nil {
		return err
	}
	var done uint64
	for _, sl := range slices {
		sq := q
		sq.From, sq.To = sl[0], sl[1]
		for {
			page, err := a.Index.Search(ctx, sq)
			if err != nil {
				return err
			}
			ids := make([]string, len(page.Hits))
			for i, h := range page.Hits {
				ids[i] = h.ID
			}
			posts, err := a.Store.GetManyRaw(ctx, ids)
			if err != nil {
				return fmt.Errorf("load posts: %w", err)
			}
			for _, p := range posts {
				if err := fn(p); err != nil {
					return err
				}
			}
			done += uint64(len(posts))
			if progress != nil {
				progress(done, max(total, done))
			}
			if page.Next == "" {
				break
			}
			sq.After = page.Next
		}
	}
	return nil
}

// timeSlices splits q's hits into consecutive time ranges of about per
// hits, from an hourly (or coarser, for long spans) histogram.
// Posts without a creation time do not exist (the store requires one).
func (a *Archive) timeSlices(ctx context.Context, q index.Query, per int) ([][2]time.Time, uint64, error) {
	cq := q
	cq.Size = -1
	fq := cq
	fq.Sort, fq.Size = index.Oldest, 1
	first, err := a.Index.Search(ctx, fq)
	if err != nil || len(first.Hits) == 0 {
		return nil, 0, err
	}
	last := cq
	last.Sort, last.Size = index.Newest, 1
	lastRes, err := a.Index.Search(ctx, last)
	if err != nil || len(lastRes.Hits) == 0 {
		return nil, 0, err
	}
	lo, hi := first.Hits[0].Created, lastRes.Hits[0].Created
	width := time.Hour
	if span := hi.Sub(lo); span/width > index.MaxBuckets/2 {
		width = (span/(index.MaxBuckets/2) + time.Hour) / time.Hour * time.Hour
	}
	cq.Histogram = width
	res, err := a.Index.Search(ctx, cq)
	if err != nil {
		return nil, 0, err
	}
	var (
		out   [][2]time.Time
		start time.Time
		n     uint64
	)
	for i, b := range res.Histogram {
		if n == 0 {
			start = b.Start
		}
		n += b.Count
		if n >= uint64(per) || i == len(res.Histogram)-1 {
			out = append(out, [2]time.Time{start, b.Start.Add(width)})
			n = 0
		}
	}
	// The first and last slices keep q's own bounds.
	if len(out) > 0 {
		if !q.From.IsZero() && q.From.After(out[0][0]) {
			out[0][0] = q.From
		}
		if !q.To.IsZero() && q.To.Before(out[len(out)-1][1]) {
			out[len(out)-1][1] = q.To
		}
	}
	return out, res.Total, nil
}
