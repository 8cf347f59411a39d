package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestWindowsEqualPlainSort: time-sorted pages found by windows are exactly
// the pages of the plain full sort (forced here by asking for facets), for
// both orders, every page by cursor, bounds, ties in time and bursts, and
// posts indexed after the first page.
func TestWindowsEqualPlainSort(t *testing.T) {
	ix := openMem(t)
	rng := rand.New(rand.NewPCG(7, 9))
	base := time.Date(2017, 2, 27, 0, 0, 0, 0, time.UTC)
	var docs []Doc
	words := []string{"down", "outage", "fine", "s3", "again"}
	for i := range 3000 {
		var at time.Time
		switch {
		case i%10 < 6: // a burst in one hour
			at = base.Add(30*time.Hour + time.Duration(rng.IntN(3600))*time.Second)
		case i%10 < 8: // many posts in the same second
			at = base.Add(50 * time.Hour)
		default: // spread over three days
			at = base.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))))
		}
		text := words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		docs = append(docs, doc(fmt.Sprintf("twitter:%d", i), "en", text, at))
	}
	if err := ix.Apply(docs[:2500], nil, 1); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pages := func(q Query, plain bool) ([]string, uint64) {
		t.Helper()
		q.Facets = plain
		var ids []string
		var total uint64
		for n := 0; ; n++ {
			res, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			total = res.Total
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
			if res.Next == "" || n > 200 {
				return ids, total
			}
			q.After = res.Next
		}
	}
	for _, q := range []Query{
		{Text: "down", Sort: Newest, Size: 7},
		{Text: "down", Sort: Oldest, Size: 7},
		{Text: "down OR outage", Sort: Newest, Size: 50},
		{Text: "s3 again", Sort: Oldest, Size: 3},
		{Text: "", Sort: Newest, Size: 100},
		{Text: "fine", Sort: Newest, Size: 20, From: base.Add(29 * time.Hour), To: base.Add(50 * time.Hour)},
		{Text: "fine", Sort: Oldest, Size: 20, From: base.Add(50 * time.Hour)},
		{Text: "down", Sort: Newest, Size: 20, To: base.Add(50*time.Hour + 1)},
	} {
		got, gotTotal := pages(q, false)
		want, wantTotal := pages(q, true)
		if !slices.Equal(got, want) || gotTotal != wantTotal {
			t.Errorf("%+v: windows gave %d hits (total %d), the plain sort %d (total %d)", q, len(got), gotTotal, len(want), wantTotal)
		}
		if len(want) < 40 {
			t.Errorf("%+v: only %d hits: the test does not reach the windowed path", q, len(want))
		}
	}
	// Newer and older posts indexed after the span was first read.
	first, err := ix.Search(ctx, Query{Text: "down", Sort: Newest, Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	late := []Doc{doc("twitter:late-new", "en", "down down", base.Add(100*time.Hour)), doc("twitter:late-old", "en", "down", base.Add(-time.Hour))}
	if err := ix.Apply(append(late, docs[2500:]...), nil, 2); err != nil {
		t.Fatal(err)
	}
	res, _ := ix.Search(ctx, Query{Text: "down", Sort: Newest, Size: 5})
	if res.Hits[0].ID != "twitter:late-new" || res.Total <= first.Total {
		t.Errorf("a post newer than the index's span is not first: %v (total %d, before %d)", res.Hits[0].ID, res.Total, first.Total)
	}
	res, _ = ix.Search(ctx, Query{Text: "down", Sort: Oldest, Size: 5})
	if res.Hits[0].ID != "twitter:late-old" {
		t.Errorf("a post older than the index's span is not first: %v", res.Hits[0].ID)
	}
}

// TestSpanKept: the index keeps its time span with its batches, so a
// reopened index knows it without searching; an index written before the
// span was kept finds it once and keeps it.
func TestSpanKept(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.span.known || !ix.span.empty {
		t.Fatalf("a new index: %+v", ix.span)
	}
	base := time.Date(2017, 2, 27, 0, 0, 0, 0, time.UTC)
	ix.Apply([]Doc{doc("twitter:1", "en", "down", base), doc("twitter:2", "en", "down", base.Add(time.Hour))}, nil, 2)
	ix.Apply([]Doc{doc("twitter:3", "en", "down", base.Add(-time.Hour))}, nil, 3)
	ix.Close()
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if s := ix.span; !s.known || !s.min.Equal(base.Add(-time.Hour)) || !s.max.Equal(base.Add(time.Hour)) {
		t.Errorf("reopened: %+v", s)
	}
	// As if written before: no span kept.
	ix.mu.RLock()
	ix.b.DeleteInternal(keySpan)
	ix.mu.RUnlock()
	ix.Close()
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.span.known {
		t.Fatalf("an index without a kept span: %+v", ix.span)
	}
	lo, hi, ok, err := ix.timeSpan(context.Background())
	if err != nil || !ok || !lo.Equal(base.Add(-time.Hour)) || !hi.Equal(base.Add(time.Hour)) {
		t.Errorf("found: %v %v %v %v", lo, hi, ok, err)
	}
	if v, _ := ix.b.GetInternal(keySpan); len(v) == 0 {
		t.Error("the span found is not kept")
	}
}
