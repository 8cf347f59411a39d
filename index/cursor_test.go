package index

import (
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// A cursor holds the creation time readably and codes it back to the sort
// term; a sort value that is not a time (Bleve's HighTerm, for a hit
// without one, which Apply never writes) survives the trip unchanged.
func TestCursorRoundTrip(t *testing.T) {
	order := sortOrder(Newest, false)
	at := time.Date(2017, 2, 28, 17, 37, 0, 123, time.UTC)
	for _, v := range []string{timeTerm(at), search.HighTerm} {
		h := &search.DocumentMatch{ID: "x:1", Sort: []string{v, "x:1"}, DecodedSort: []string{v, "x:1"}}
		got, err := decodeCursor(encodeCursor(Newest, h, order), Newest, order)
		if err != nil || len(got) != 2 || got[0] != v || got[1] != "x:1" {
			t.Errorf("%q: got %q, %v", v, got, err)
		}
	}
}

// decodeCursor reads what a URL brings: whatever it is, an error or one
// value per sort key, never a panic.
func FuzzDecodeCursor(f *testing.F) {
	order := sortOrder(Newest, false)
	h := &search.DocumentMatch{ID: "x:1", Sort: []string{timeTerm(time.Unix(1488303420, 0)), "x:1"}}
	h.DecodedSort = h.Sort
	f.Add(encodeCursor(Newest, h, order))
	f.Add("e30")
	f.Add("eyJzIjoxLCJ2IjpbIjIwMTctMDItMjhUMTc6Mzc6MDBaIiwieCJdfQ")
	f.Fuzz(func(t *testing.T, s string) {
		for _, sort := range []Sort{Newest, Oldest, Relevance, Engagement} {
			o := sortOrder(sort, false)
			v, err := decodeCursor(s, sort, o)
			if err != nil {
				continue
			}
			if len(v) != len(o) {
				t.Fatalf("%d values for %d sort keys", len(v), len(o))
			}
		}
	})
}
