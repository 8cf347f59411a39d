package index

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
)

// Timeline is a query's hits counted over time, bucket by bucket, with the
// sources and the tone of each bucket: the numbers an event's timeline
// chart draws.
type Timeline struct {
	Width   time.Duration
	Total   uint64
	Buckets []TimelineBucket // oldest first, empty buckets included
	Took    time.Duration
}

// TimelineBucket counts the hits created in [Start, Start+Width).
type TimelineBucket struct {
	Start   time.Time
	Count   uint64
	Sources map[string]uint64 // hits per source; nil when Count is 0
	// Negative, Neutral and Positive count the hits by sentiment label;
	// hits that were not scored are in Count only.
	Negative, Neutral, Positive uint64
	// ScoreSum is the sum of the compound scores of the scored hits, so
	// ScoreSum / Scored() is the bucket's mean tone.
	ScoreSum float64
}

// Scored is the number of hits in b with a sentiment label.
func (b TimelineBucket) Scored() uint64 { return b.Negative + b.Neutral + b.Positive }

// MeanScore is the mean compound score of b's scored hits, 0 when none was scored.
func (b TimelineBucket) MeanScore() float64 {
	if n := b.Scored(); n > 0 {
		return b.ScoreSum / float64(n)
	}
	return 0
}

// Timeline counts the hits of q (its text and filters; paging, sorting,
// facets and Histogram are ignored) in buckets of width, from q.From to
// q.To; an open bound ends at the first or last hit. Like Search's
// histogram it rides along one pass of Bleve's collector: a wrapper around
// the collector's hit handler reads each hit's creation time and timeline
// value (source, label, score) from the doc values and adds the hit to its
// bucket.
func (ix *Index) Timeline(ctx context.Context, q Query, width time.Duration) (*Timeline, error) {
	start := time.Now()
	if width <= 0 {
		return nil, fmt.Errorf("index: timeline bucket width %v must be positive", width)
	}
	if !q.From.IsZero() && !q.To.IsZero() {
		if !q.From.Before(q.To) {
			return nil, fmt.Errorf("index: timeline from %v is not before to %v", q.From, q.To)
		}
		if n := bucketCount(q.From, q.To.Add(-1), width); n > MaxBuckets {
			return nil, fmt.Errorf("%w: %d buckets of %v (at most %d)", ErrTooManyBuckets, n, width, MaxBuckets)
		}
	}
	top, err := buildQuery(q)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(top, 0, 0, false)
	req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}})
	req.Score = "none"

	b := newBuckets(width)
	var acc dense[timelineAcc]
	acc.reserve(b, q.From, q.To)
	tooMany := false
	var sources []string // the source names seen; a bucket counts by their index
	sourceIndex := func(src []byte) int {
		for i, n := range sources {
			if n == string(src) { // no allocation
				return i
			}
		}
		sources = append(sources, string(src))
		return len(sources) - 1
	}
	// One hit's doc values, gathered by visit, added by add.
	var (
		ns      int64
		hasTime bool
		tl      []byte
	)
	visit := func(field string, term []byte) {
		switch field {
		case fTime:
			var err error
			ns, err = numeric.PrefixCoded(term).Int64()
			hasTime = err == nil
		case fTimeline:
			tl = term
		}
	}
	add := func() {
		defer func() { hasTime, tl = false, nil }()
		if !hasTime || tooMany {
			return // no creation time
		}
		tb := acc.at(b.index(ns))
		if tb == nil {
			tooMany = true
			return
		}
		tb.Count++
		if tl == nil {
			return // indexed before the timeline value existed: counted only
		}
		src, rest, _ := bytes.Cut(tl, []byte{0x1f})
		label, score, _ := bytes.Cut(rest, []byte{0x1f})
		if len(src) > 0 {
			i := sourceIndex(src)
			if i >= len(tb.sources) {
				tb.sources = append(tb.sources, make([]uint64, i+1-len(tb.sources))...)
			}
			tb.sources[i]++
		}
		switch string(label) {
		case "negative":
			tb.Negative++
		case "neutral":
			tb.Neutral++
		case "positive":
			tb.Positive++
		default:
			return // not scored
		}
		if c, ok := parseCents(score); ok {
			tb.cents += c
		} else if x, err := strconv.ParseFloat(string(score), 64); err == nil {
			tb.ScoreSum += x
		}
	}
	ctx = withHooks(ctx, hitHook{fields: []string{fTime, fTimeline}, visit: visit, hit: func(*search.DocumentMatch) { add() }})
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: timeline: %w", err)
	}
	if tooMany {
		return nil, fmt.Errorf("%w: more than %d buckets of %v", ErrTooManyBuckets, MaxBuckets, width)
	}
	lo, hi, ok, err := acc.span(b, q.From, q.To)
	if err != nil {
		return nil, err
	}
	out := &Timeline{Width: width, Total: res.Total}
	if !ok {
		out.Buckets = []TimelineBucket{}
		out.Took = time.Since(start)
		return out, nil
	}
	out.Buckets = make([]TimelineBucket, 0, max(hi-lo+1, 0))
	for k := lo; k <= hi; k++ {
		a := acc.get(k)
		tb := a.TimelineBucket
		tb.Start = b.start(k)
		tb.ScoreSum += float64(a.cents) / 100
		if tb.Count > 0 {
			tb.Sources = make(map[string]uint64, len(a.sources))
			for i, n := range a.sources {
				if n > 0 {
					tb.Sources[sources[i]] = n
				}
			}
		}
		out.Buckets = append(out.Buckets, tb)
	}
	out.Took = time.Since(start)
	return out, nil
}

// timelineAcc is a bucket while the hits are counted: hits per source by
// the source's index, and the scores written with two decimals (as fTimeline
// holds them) summed exactly in hundredths.
type timelineAcc struct {
	TimelineBucket
	sources []uint64
	cents   int64
}

// parseCents reads a score as strconv.FormatFloat(x, 'f', 2, 64) writes it
// ("-0.53", "1.00") in hundredths, without strconv.ParseFloat's cost (a
// seventh of a timeline's time in pprof); ok is false for anything else.
func parseCents(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	dot := bytes.IndexByte(b, '.')
	if dot < 1 || dot > 9 || len(b) != dot+3 {
		return 0, false
	}
	var c int64
	for i, ch := range b {
		if i == dot {
			continue
		}
		if ch < '0' || ch > '9' {
			return 0, false
		}
		c = c*10 + int64(ch-'0')
	}
	if neg {
		c = -c
	}
	return c, true
}
