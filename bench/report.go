package bench

import (
	"fmt"
	"io"
	"slices"
)

// Median returns the median of xs (0 for none).
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// PrintImport writes the medians of ours and the baseline side by side, with
// their ratio (ours / baseline; above 1 is better for rates, worse for costs).
func PrintImport(w io.Writer, results []ImportResult) {
	by := map[string][]ImportResult{}
	for _, r := range results {
		by[r.Variant] = append(by[r.Variant], r)
	}
	med := func(v string, f func(ImportResult) float64) float64 {
		var xs []float64
		for _, r := range by[v] {
			xs = append(xs, f(r))
		}
		return Median(xs)
	}
	n := 0
	if len(results) > 0 {
		n = results[0].Posts
	}
	fmt.Fprintf(w, "import of %d replayed posts, median of %d runs each, batches of %d\n\n", n, len(by[Ours]), BatchSize)
	fmt.Fprintf(w, "%-28s %14s %14s %8s\n", "", Ours, Stock, "ratio")
	rows := []struct {
		name string
		f    func(ImportResult) float64
	}{
		{"posts/s to stored", func(r ImportResult) float64 { return rate(r.Posts, r.StoredSecs) }},
		{"posts/s to searchable", func(r ImportResult) float64 { return rate(r.Posts, r.SearchableSecs) }},
		{"CPU seconds per 1,000 posts", func(r ImportResult) float64 { return r.CPUSecs * 1000 / float64(max(r.Posts, 1)) }},
		{"peak RSS (MiB)", func(r ImportResult) float64 { return float64(r.PeakRSS) / (1 << 20) }},
		{"store bytes per post", func(r ImportResult) float64 { return float64(r.StoreBytes) / float64(max(r.Posts, 1)) }},
		{"index bytes per post", func(r ImportResult) float64 { return float64(r.IndexBytes) / float64(max(r.Posts, 1)) }},
	}
	for _, row := range rows {
		a, b := med(Ours, row.f), med(Stock, row.f)
		ratio := "—"
		if a > 0 && b > 0 {
			ratio = fmt.Sprintf("%.2f×", a/b)
		}
		fmt.Fprintf(w, "%-28s %14s %14s %8s\n", row.name, num(a), num(b), ratio)
	}
	fmt.Fprintf(w, "\n(stock Bleve has no store: it keeps no raw payloads and cannot rebuild itself; '—' where a figure does not apply)\n")
}

func rate(n int, secs float64) float64 {
	if secs <= 0 {
		return 0
	}
	return float64(n) / secs
}

func num(x float64) string {
	switch {
	case x == 0:
		return "—"
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	default:
		return fmt.Sprintf("%.2f", x)
	}
}
