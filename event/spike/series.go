package spike

import (
	"math"
	"time"
)

// maxCount caps a bucket's count: a larger (or NaN, Inf, negative) input is
// not a count of posts, and the cap keeps sums and squares finite.
const maxCount = 1e12

// Series is a post-volume time series: Counts[i] posts in the bucket
// [Start+i·Step, Start+(i+1)·Step). Empty buckets are present as zeros.
type Series struct {
	Start  time.Time
	Step   time.Duration
	Counts []float64
}

// Len is the number of buckets.
func (s Series) Len() int { return len(s.Counts) }

// Time is the start of bucket i.
func (s Series) Time(i int) time.Time { return s.Start.Add(time.Duration(i) * s.Step) }

// Index is the bucket holding t, which may be out of range (negative or
// ≥ Len) when t is outside the series.
func (s Series) Index(t time.Time) int {
	if s.Step <= 0 {
		return -1
	}
	d := t.Sub(s.Start)
	i := int(d / s.Step)
	if d < 0 && d%s.Step != 0 {
		i--
	}
	return i
}

// FromTimes counts times into buckets of width step. The series starts at
// the bucket of the earliest time (times truncated to step, see
// [time.Time.Truncate]) and ends with the bucket of the latest. No times, or
// step ≤ 0, give an empty series.
func FromTimes(times []time.Time, step time.Duration) Series {
	if len(times) == 0 || step <= 0 {
		return Series{Step: step}
	}
	lo, hi := times[0], times[0]
	for _, t := range times[1:] {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	start := lo.Truncate(step).UTC()
	return FromTimesRange(times, start, hi.Truncate(step).Add(step), step)
}

// FromTimesRange counts times into the buckets of width step that cover
// [start, end); times outside are ignored. Use it to give an incident
// timeline the quiet hours before the first post, which a baseline needs.
func FromTimesRange(times []time.Time, start, end time.Time, step time.Duration) Series {
	s := Series{Start: start.UTC(), Step: step}
	if step <= 0 || !end.After(start) {
		return s
	}
	n := int((end.Sub(start) + step - 1) / step)
	s.Counts = make([]float64, n)
	for _, t := range times {
		if i := s.Index(t); i >= 0 && i < n {
			s.Counts[i]++
		}
	}
	return s
}

// clean returns the counts with NaN, Inf and negative values read as 0 and
// values above maxCount capped.
func clean(c []float64) []float64 {
	out := make([]float64, len(c))
	for i, v := range c {
		switch {
		case math.IsNaN(v) || v < 0:
			v = 0
		case v > maxCount: // includes +Inf
			v = maxCount
		}
		out[i] = v
	}
	return out
}

// buckets converts a duration to a number of buckets of width step, at
// least lo.
func buckets(d, step time.Duration, lo int) int {
	n := int(d / step)
	if n < lo {
		n = lo
	}
	return n
}
