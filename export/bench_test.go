package export

import (
	"io"
	"runtime"
	"testing"
)

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkWrite writes b.N real tweets (with their raw payloads) in each
// format and reports items/s and output bytes per item.
func BenchmarkWrite(b *testing.B) {
	items := realItems(b)
	meta := testMeta(b)
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			var cw countWriter
			w, err := NewWriter(f, &cw, meta)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				it := items[i%len(items)]
				it.Position = i + 1
				if err := w.Write(it); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
			b.ReportMetric(float64(cw.n)/float64(b.N), "out-B/item")
		})
	}
}

// heapAfter writes n items in format f to io.Discard and returns the live
// heap (after a GC) just before Close, and the bytes allocated per item.
func heapAfter(t testing.TB, f Format, items []Item, n int) (heap uint64, allocPerItem float64) {
	w, err := NewWriter(f, io.Discard, testMeta(t))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		it := items[i%len(items)]
		it.Position = i + 1
		if err := w.Write(it); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return after.HeapAlloc, float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
}

// BenchmarkStreamMemory reports the live heap after writing b.N items (run
// with -benchtime=20000x and 200000x to compare) and allocations per item.
func BenchmarkStreamMemory(b *testing.B) {
	items := realItems(b)
	for _, f := range []Format{CSV, JSONL, Markdown, Text, HTML, JSON, XLSX} {
		b.Run(string(f), func(b *testing.B) {
			heap, per := heapAfter(b, f, items, b.N)
			b.ReportMetric(float64(heap)/(1<<20), "live-MiB")
			b.ReportMetric(per, "alloc-B/item")
		})
	}
}

// TestConstantMemory writes 10,000 and 100,000 items in the streaming
// formats (Text shares Markdown's writer, JSON JSON Lines'): the live heap
// must not grow with the number of items. Retaining even 50 bytes per item
// would add 4.5 MB between the two runs.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 440,000 items")
	}
	items := realItems(t)
	for _, f := range []Format{CSV, JSONL, Markdown, HTML} {
		small, _ := heapAfter(t, f, items, 10_000)
		large, per := heapAfter(t, f, items, 100_000)
		t.Logf("%s: live heap %.2f MiB after 10k items, %.2f MiB after 100k; %.0f B allocated per item", f, float64(small)/(1<<20), float64(large)/(1<<20), per)
		if large > small+2<<20 {
			t.Errorf("%s: live heap grew from %d to %d bytes", f, small, large)
		}
	}
}
