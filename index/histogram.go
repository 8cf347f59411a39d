package index

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
)

// The histogram rides along the search itself: a hitHook adds each hit to
// its bucket, O(1) per hit whatever the number of buckets, before paging
// drops it. Bleve's date-range facets instead test every range for every
// hit: O(hits × buckets).

// buckets aligns bucket boundaries to multiples of the width counted from
// 0001-01-01 UTC, as time.Truncate does: hours and days start on the UTC
// hour and midnight, weeks on Monday.
type buckets struct {
	width time.Duration
	e0    time.Time // the bucket boundary at or before 1970-01-01 UTC
	off   uint64    // 1970-01-01 − e0, in nanoseconds (< width)
}

func newBuckets(width time.Duration) buckets {
	epoch := time.Unix(0, 0).UTC()
	e0 := epoch.Truncate(width)
	return buckets{width: width, e0: e0, off: uint64(epoch.Sub(e0))}
}

// index returns the number of the bucket holding ns (nanoseconds since
// 1970), counted from e0.
func (b buckets) index(ns int64) int64 {
	w := int64(b.width)
	q, r := ns/w, ns%w
	if r < 0 {
		q, r = q-1, r+w
	}
	if uint64(r)+b.off >= uint64(w) {
		q++
	}
	return q
}

func (b buckets) start(k int64) time.Time { return b.e0.Add(time.Duration(k) * b.width) }

func bucketCount(from, last time.Time, width time.Duration) int64 {
	b := newBuckets(width)
	return b.index(last.UnixNano()) - b.index(from.UnixNano()) + 1
}

// newHistogram counts each hit into its bucket as Bleve's collector passes
// it by: from the sort value at createdAt, which Bleve has computed anyway,
// or, when the search does not sort by time (createdAt < 0), from the doc
// value. It returns the hook and a function that returns the buckets after
// the search.
func newHistogram(width time.Duration, createdAt int, from, to time.Time) (hitHook, func() ([]Bucket, error)) {
	b := newBuckets(width)
	var counts dense[uint64]
	counts.reserve(b, from, to)
	tooMany := false
	add := func(ns int64) {
		if tooMany {
			return
		}
		if c := counts.at(b.index(ns)); c != nil {
			*c++
		} else {
			tooMany = true
		}
	}
	// Hits without a creation time are not counted.
	var hook hitHook
	if createdAt >= 0 {
		hook.hit = func(d *search.DocumentMatch) {
			if createdAt >= len(d.Sort) {
				return
			}
			if ns, err := numeric.PrefixCoded(d.Sort[createdAt]).Int64(); err == nil {
				add(ns)
			}
		}
	} else {
		hook.fields = []string{fTime}
		hook.visit = func(_ string, term []byte) {
			if ns, err := numeric.PrefixCoded(term).Int64(); err == nil {
				add(ns)
			}
		}
	}

	result := func() ([]Bucket, error) {
		if tooMany {
			return nil, fmt.Errorf("%w: more than %d buckets of %v", ErrTooManyBuckets, MaxBuckets, width)
		}
		lo, hi, ok, err := counts.span(b, from, to)
		if err != nil {
			return nil, err
		}
		if !ok {
			return []Bucket{}, nil
		}
		out := make([]Bucket, 0, max(hi-lo+1, 0))
		for k := lo; k <= hi; k++ {
			out = append(out, Bucket{Start: b.start(k), Count: counts.get(k)})
		}
		return out, nil
	}
	return hook, result
}

// dense holds one T per bucket number, in a slice that spans the numbers
// seen: O(1) per hit without hashing. It never spans more than MaxBuckets.
type dense[T any] struct {
	lo          int64 // the bucket number of vals[0]
	vals        []T
	first, last int64 // the lowest and highest number asked for by at
	hits        bool  // whether at was called
}

// reserve makes the slice span the buckets of from..to up front when both
// are given (and at most MaxBuckets apart), as span will return them.
func (d *dense[T]) reserve(b buckets, from, to time.Time) {
	if from.IsZero() || to.IsZero() {
		return
	}
	lo, hi := b.index(from.UnixNano()), b.index(to.UnixNano()-1)
	if len(d.vals) == 0 && hi >= lo && hi-lo < MaxBuckets {
		d.lo, d.vals = lo, make([]T, hi-lo+1)
	}
}

// at returns bucket k's value, widening the span to include it; nil when
// the hits would then span more than MaxBuckets buckets.
func (d *dense[T]) at(k int64) *T {
	if !d.hits {
		d.first, d.last, d.hits = k, k, true
	}
	d.first, d.last = min(d.first, k), max(d.last, k)
	if d.last-d.first >= MaxBuckets {
		return nil
	}
	n := int64(len(d.vals))
	switch {
	case n == 0:
		d.lo, d.vals = k, make([]T, 1, 64)
	case k < d.lo:
		// Widen downwards by at least the current length, so that hits
		// arriving newest first cost amortised O(1).
		lo := min(k, d.lo-n)
		grown := make([]T, d.lo-lo+n)
		copy(grown[d.lo-lo:], d.vals)
		d.lo, d.vals = lo, grown
	case k >= d.lo+n:
		d.vals = append(d.vals, make([]T, k-d.lo+1-n)...)
	}
	return &d.vals[k-d.lo]
}

// span returns the bucket numbers a result covers: those of from..to where
// given, else of the first..last hit; ok is false when there is nothing to
// return (no hit and an open bound). It fails when the span is wider than
// MaxBuckets.
func (d *dense[T]) span(b buckets, from, to time.Time) (lo, hi int64, ok bool, err error) {
	lo, hi = d.first, d.last
	if !from.IsZero() {
		lo = b.index(from.UnixNano())
	}
	if !to.IsZero() {
		hi = b.index(to.UnixNano() - 1)
	}
	if !d.hits && (from.IsZero() || to.IsZero()) {
		return 0, 0, false, nil
	}
	if hi-lo+1 > MaxBuckets {
		return 0, 0, false, fmt.Errorf("%w: %d buckets of %v (at most %d)", ErrTooManyBuckets, hi-lo+1, b.width, MaxBuckets)
	}
	return lo, hi, true, nil
}

// get returns bucket k's value, the zero value outside the span.
func (d *dense[T]) get(k int64) T {
	var zero T
	if k < d.lo || k >= d.lo+int64(len(d.vals)) {
		return zero
	}
	return d.vals[k-d.lo]
}
