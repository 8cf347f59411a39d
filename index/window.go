package index

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Time-sorted pages by windows.
//
// A newest-first page of a query with many hits is slow the plain way:
// Bleve reads the creation time of every hit to sort them all, to keep
// twenty (pprof: 100 ms for 128,000 hits at a million posts). A page only
// needs the hits nearest its end, so searchByWindows asks for the query
// within a time window at that end (the newest posts, or the oldest, or
// those next to the cursor), sized from the query's hit density, and
// doubles the window until it holds the page; the total comes from a
// count-only pass, which reads no field. The page is exactly the one the
// plain search returns: a window that holds more hits than the page
// contains the page's hits, and the sort, ties and cursor are the same.

// span is the range of creation times in the index. It only widens (a
// deleted post may leave it wider than the posts left, which costs a
// window doubling at most). It is kept in the index with every batch; an
// index written before it was kept gets it from two sorted searches, once.
type span struct {
	known    bool // min and max are the index's range, or it is empty
	empty    bool
	min, max time.Time
}

func encodeSpan(lo, hi time.Time) []byte {
	return []byte(strconv.FormatInt(lo.UnixNano(), 10) + "," + strconv.FormatInt(hi.UnixNano(), 10))
}

func decodeSpan(b []byte) (time.Time, time.Time, bool) {
	a, z, ok := strings.Cut(string(b), ",")
	lo, err1 := strconv.ParseInt(a, 10, 64)
	hi, err2 := strconv.ParseInt(z, 10, 64)
	if !ok || err1 != nil || err2 != nil || hi < lo {
		return time.Time{}, time.Time{}, false
	}
	return time.Unix(0, lo).UTC(), time.Unix(0, hi).UTC(), true
}

// loadSpan reads the stored span when the index is opened; a new index is
// known to be empty.
func (ix *Index) loadSpan() error {
	v, err := ix.b.GetInternal(keySpan)
	if err != nil {
		return fmt.Errorf("index: time span: %w", err)
	}
	if lo, hi, ok := decodeSpan(v); ok {
		ix.span = span{known: true, min: lo, max: hi}
		return nil
	}
	n, err := ix.b.DocCount()
	if err != nil {
		return fmt.Errorf("index: time span: %w", err)
	}
	if n == 0 {
		ix.span = span{known: true, empty: true}
	}
	return nil
}

// with returns s widened to hold [lo, hi]; an unknown span stays unknown.
func (s span) with(lo, hi time.Time) span {
	if !s.known {
		return s
	}
	if s.empty || lo.Before(s.min) {
		s.min = lo
	}
	if s.empty || hi.After(s.max) {
		s.max = hi
	}
	s.empty = false
	return s
}

// widenSpan adds [lo, hi] to the span and, when it grows, writes it in
// b, the batch that indexes those times; commit records it once b is
// written. An unknown span is left to timeSpan.
func (ix *Index) widenSpan(b interface{ SetInternal(key, val []byte) }, lo, hi time.Time) (commit func()) {
	ix.spanMu.Lock()
	defer ix.spanMu.Unlock()
	cur := ix.span
	s := cur.with(lo, hi)
	if !cur.known || (!cur.empty && s.min.Equal(cur.min) && s.max.Equal(cur.max)) {
		return func() {}
	}
	b.SetInternal(keySpan, encodeSpan(s.min, s.max))
	return func() {
		ix.spanMu.Lock()
		ix.span = ix.span.with(s.min, s.max)
		ix.spanMu.Unlock()
	}
}

// timeSpan returns the oldest and newest creation time in the index; ok is
// false when it is empty.
func (ix *Index) timeSpan(ctx context.Context) (time.Time, time.Time, bool, error) {
	ix.spanMu.Lock()
	defer ix.spanMu.Unlock()
	if ix.span.known {
		return ix.span.min, ix.span.max, !ix.span.empty, nil
	}
	var ends [2]time.Time
	for i, desc := range []bool{false, true} {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), 1, 0, false)
		req.SortByCustom(search.SortOrder{createdSort(desc)})
		req.Score = "none"
		res, err := ix.search(ctx, req)
		if err != nil {
			return time.Time{}, time.Time{}, false, fmt.Errorf("index: time span: %w", err)
		}
		if len(res.Hits) == 0 || len(res.Hits[0].Sort) == 0 {
			return time.Time{}, time.Time{}, false, nil // empty, for now
		}
		t, ok := termTime(res.Hits[0].Sort[0])
		if !ok {
			return time.Time{}, time.Time{}, false, nil
		}
		ends[i] = t
	}
	ix.mu.RLock()
	err := ix.b.SetInternal(keySpan, encodeSpan(ends[0], ends[1]))
	ix.mu.RUnlock()
	if err != nil {
		return time.Time{}, time.Time{}, false, fmt.Errorf("index: time span: %w", err)
	}
	ix.span = span{known: true, min: ends[0], max: ends[1]}
	return ends[0], ends[1], true, nil
}

// minWindow is the narrowest window tried.
const minWindow = time.Minute

// searchByWindows returns the page of a Newest or Oldest search without
// facets or histogram, or ok false when the plain search is the better
// way (few hits, or no times in the index).
func (ix *Index) searchByWindows(ctx context.Context, q Query, top query.Query, size int, order search.SortOrder, after []string) (*Results, bool, error) {
	// The total, reading nothing per hit.
	count := bleve.NewSearchRequestOptions(top, 0, 0, false)
	count.Score = "none"
	cres, err := ix.search(ctx, count)
	if err != nil {
		return nil, false, fmt.Errorf("index: search: %w", err)
	}
	total := cres.Total
	if total <= uint64(4*(size+1)) {
		return nil, false, nil // sorting a few hits is cheap
	}
	oldest, newest, ok, err := ix.timeSpan(ctx)
	if err != nil || !ok {
		return nil, false, err
	}
	// The range the page can come from: [lo, hi], narrowed by the query's
	// own bounds and by the cursor (whose time is inclusive: ties go on by
	// id). Windows grow from hi down (Newest) or from lo up (Oldest).
	lo, hi := oldest, newest
	if !q.From.IsZero() && q.From.After(lo) {
		lo = q.From
	}
	if !q.To.IsZero() && !q.To.After(hi) {
		hi = q.To.Add(-time.Nanosecond) // To is exclusive
	}
	if after != nil {
		t, ok := termTime(after[0])
		if !ok {
			return nil, false, nil // after a hit without a creation time: no windows
		}
		if q.Sort == Newest && t.Before(hi) {
			hi = t
		}
		if q.Sort == Oldest && t.After(lo) {
			lo = t
		}
	}
	if hi.Before(lo) {
		return &Results{Total: total, Hits: []Hit{}}, true, nil
	}
	full := hi.Sub(lo) + time.Nanosecond
	// Hits are assumed spread evenly: a window expected to hold four
	// pages. Denser ends cost a doubling or two.
	w := time.Duration(float64(full) * float64(4*(size+1)) / float64(total))
	w = max(w, minWindow)
	for {
		wlo, whi := lo, hi
		last := w >= full
		if !last {
			if q.Sort == Newest {
				wlo = hi.Add(-w)
			} else {
				whi = lo.Add(w)
			}
		}
		yes := true
		r := query.NewDateRangeInclusiveQuery(wlo, whi, &yes, &yes)
		r.SetField(fCreated)
		req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{top, r}), size+1, 0, false)
		req.SortByCustom(order)
		req.Score = "none"
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.search(ctx, req)
		if err != nil {
			return nil, false, fmt.Errorf("index: search: %w", err)
		}
		if len(res.Hits) > size || last {
			out := &Results{Total: total}
			out.Hits, out.Next = page(q.Sort, res.Hits, size, order)
			return out, true, nil
		}
		w *= 2
	}
}
