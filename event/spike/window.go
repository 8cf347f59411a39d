package spike

import "slices"

// sorted is a multiset of float64 kept in increasing order. Insert and
// remove find their place by binary search and shift the tail (a memmove of
// at most the window's length), so the robust baseline of a trailing window
// costs O(log w) comparisons and one short copy per bucket instead of a sort.
type sorted []float64

func (s *sorted) insert(v float64) {
	i, _ := slices.BinarySearch(*s, v)
	*s = slices.Insert(*s, i, v)
}

// remove deletes one copy of v; v must be present (the callers remove only
// values they inserted, computed by the same expression, so equality is
// exact).
func (s *sorted) remove(v float64) {
	if i, ok := slices.BinarySearch(*s, v); ok {
		*s = slices.Delete(*s, i, i+1)
	}
}

// robust returns the median of the sorted values v and their median absolute
// deviation scaled to a standard deviation, floored at minScale; v is not
// empty. The deviations from the median are two sorted runs (leftwards from
// the middle and rightwards from it), so their median is found by merging
// the runs from the middle outwards: O(len(v)) without a sort.
func robust(v []float64) (med, scale float64) {
	n := len(v)
	m := n / 2
	if n%2 == 1 {
		med = v[m]
	} else {
		med = (v[m-1] + v[m]) / 2
	}
	// The deviations med−v[i] for i = m−1, m−2, … and v[j]−med for j = m,
	// m+1, … each increase; walk the merge to ranks m−1 and m.
	i, j := m-1, m
	var prev, cur float64
	for r := 0; r <= m; r++ {
		prev = cur
		if j < n && (i < 0 || v[j]-med <= med-v[i]) {
			cur = v[j] - med
			j++
		} else {
			cur = med - v[i]
			i--
		}
	}
	mad := cur
	if n%2 == 0 {
		mad = (prev + cur) / 2
	}
	return med, max(minScale, madToSigma*mad)
}
