package index

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// hugeText is n bytes of distinct words (the worst case: every word a new
// term), ending with the word "lastword".
func hugeText(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n-10; i++ {
		fmt.Fprintf(&b, "w%x ", i*2654435761%(1<<32))
	}
	b.WriteString("lastword")
	return b.String()
}

// TestHugePost: a post of 4 MiB of distinct words (773 MB to index before
// the cut) is indexed by its first MaxIndexedText bytes: the whole Apply
// allocates less than 64 MiB, words of the first 128 KiB are found, the
// last one is not, and the signature still covers the whole text. Of its
// 5,001 hashtags the first 1,000 (in their normalised, sorted order) are
// indexed, and not the over-long one.
func TestHugePost(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	d := doc("t:1", "en", hugeText(4<<20), t0)
	for i := range 5000 {
		d.Post.Hashtags = append(d.Post.Hashtags, fmt.Sprintf("tag%d", i))
	}
	d.Post.Hashtags = append([]string{strings.Repeat("x", 100_000)}, d.Post.Hashtags...)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := ix.Apply([]Doc{d, doc("t:2", "en", "small post lastword", t0)}, nil, 2); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("indexing a 4 MiB post and 5,001 hashtags allocated %.1f MiB", float64(alloc)/(1<<20))
	if alloc > 64<<20 {
		t.Errorf("indexing a 4 MiB post allocated %d MiB", alloc>>20)
	}
	first := strings.Fields(d.Post.Text)[10]
	for q, want := range map[string][]string{first: {"t:1"}, "lastword": {"t:2"}, "#tag0": {"t:1"}, "#tag1": {"t:1"}, "#tag999": nil} {
		if got := ids(t, ix, Query{Text: q}); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	sigs := map[string]string{}
	ix.Signatures(t.Context(), func(id, sig string) error { sigs[id] = sig; return nil })
	if sigs["t:1"] != Signature(d) {
		t.Errorf("the signature does not cover the whole post")
	}
}

// TestDocError: a document that cannot be indexed fails Apply with a
// *DocError naming it, and nothing of the batch is written; without it the
// batch applies.
func TestDocError(t *testing.T) {
	ix := openMem(t)
	docs := []Doc{doc("t:1", "en", "one", t0), doc("t:2", "en", "two", time.Time{}), doc("t:3", "en", "three", t0)}
	err := ix.Apply(docs, nil, 3)
	var de *DocError
	if !errors.As(err, &de) || de.ID != "t:2" || !errors.Is(err, ErrNoTime) {
		t.Fatalf("Apply: %v", err)
	}
	if n, _ := ix.Count(); n != 0 {
		t.Errorf("%d documents written by a failed batch", n)
	}
	if err := ix.Apply(slices.Delete(docs, 1, 2), []string{"t:2"}, 3); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 2 {
		t.Errorf("count %d", n)
	}
}
