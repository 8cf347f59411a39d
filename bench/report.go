package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
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

// SizeReport is everything measured at one corpus size.
type SizeReport struct {
	Posts   int            `json:"posts"`
	Builds  []BuildMeasure `json:"builds"`  // one per engine per run
	Queries []QueryMeasure `json:"queries"` // latencies of all runs merged per engine and query
	Opens   []OpenMeasure  `json:"opens"`   // one per engine per run
}

// AddQueries merges the latencies of one run into the report.
func (r *SizeReport) AddQueries(ms []QueryMeasure) {
	for _, m := range ms {
		i := slices.IndexFunc(r.Queries, func(q QueryMeasure) bool { return q.Engine == m.Engine && q.Query == m.Query })
		if i < 0 {
			r.Queries = append(r.Queries, m)
			continue
		}
		r.Queries[i].Millis = append(r.Queries[i].Millis, m.Millis...)
		r.Queries[i].Hits = m.Hits
		r.Queries[i].HeapMB = max(r.Queries[i].HeapMB, m.HeapMB)
	}
}

// Print writes the report: import figures (median and p95 over runs), then
// each query's latency (p50 and p95 over all repetitions of all runs) per
// engine, with ours divided by each baseline.
func Print(w io.Writer, engines []string, sizes []SizeReport) {
	for _, r := range sizes {
		fmt.Fprintf(w, "\n## %s posts\n\n", thousands(r.Posts))
		printBuilds(w, engines, r)
		printQueries(w, engines, r)
	}
	if len(sizes) > 1 {
		printGrowth(w, engines[0], sizes)
	}
}

func printBuilds(w io.Writer, engines []string, r SizeReport) {
	runs := 0
	for _, b := range r.Builds {
		if b.Engine == engines[0] {
			runs++
		}
	}
	fmt.Fprintf(w, "Import, %d run(s) per engine: median (p95)\n\n", runs)
	header(w, "", engines)
	rows := []struct {
		name string
		f    func(BuildMeasure) float64
	}{
		{"posts/s to stored", func(b BuildMeasure) float64 { return rate(b.Posts, b.StoredSecs) }},
		{"posts/s to searchable", func(b BuildMeasure) float64 { return rate(b.Posts, b.SearchableSecs) }},
		{"CPU s per 1,000 posts", func(b BuildMeasure) float64 { return b.CPUSecs * 1000 / float64(max(b.Posts, 1)) }},
		{"peak RSS building (MiB)", func(b BuildMeasure) float64 { return float64(b.PeakRSS) / (1 << 20) }},
		{"store bytes/post", func(b BuildMeasure) float64 { return float64(b.StoreBytes) / float64(max(b.Posts, 1)) }},
		{"index bytes/post", func(b BuildMeasure) float64 { return float64(b.IndexBytes) / float64(max(b.Posts, 1)) }},
		{"store+index bytes/post", func(b BuildMeasure) float64 { return float64(b.StoreBytes+b.IndexBytes) / float64(max(b.Posts, 1)) }},
	}
	for _, row := range rows {
		statRow(w, row.name, engines, r.Builds, func(b BuildMeasure) string { return b.Engine }, row.f)
	}
	for _, row := range []struct {
		name string
		get  func(OpenMeasure) int64
	}{
		{"RSS archive just opened (MiB)", func(o OpenMeasure) int64 { return o.OpenRSS }},
		{"peak RSS open+query (MiB)", func(o OpenMeasure) int64 { return o.PeakRSS }},
		{"  at the end: anonymous (MiB)", func(o OpenMeasure) int64 { return o.EndAnon }},
		{"  at the end: mapped files (MiB)", func(o OpenMeasure) int64 { return o.EndFile }},
	} {
		statRow(w, row.name, engines, r.Opens, func(o OpenMeasure) string { return o.Engine },
			func(o OpenMeasure) float64 { return float64(row.get(o)) / (1 << 20) })
	}
	fmt.Fprintln(w)
}

// statRow prints one line of the import table: per engine, the median and
// p95 of val over that engine's measurements.
func statRow[M any](w io.Writer, name string, engines []string, ms []M, engine func(M) string, val func(M) float64) {
	var cells []string
	var meds []float64
	for _, e := range engines {
		var xs []float64
		for _, m := range ms {
			if engine(m) == e {
				xs = append(xs, val(m))
			}
		}
		meds = append(meds, Median(xs))
		cells = append(cells, fmt.Sprintf("%s (%s)", num(Median(xs)), num(Percentile(xs, 95))))
	}
	line(w, name, cells, meds)
}

func printQueries(w io.Writer, engines []string, r SizeReport) {
	fmt.Fprintf(w, "Queries: milliseconds p50 / p95 over all repetitions; hits in brackets\n\n")
	header(w, "", engines)
	var names []string
	for _, q := range r.Queries {
		if !slices.Contains(names, q.Query) {
			names = append(names, q.Query)
		}
	}
	for _, name := range names {
		var cells []string
		var p95s []float64
		for _, e := range engines {
			i := slices.IndexFunc(r.Queries, func(q QueryMeasure) bool { return q.Engine == e && q.Query == name })
			if i < 0 {
				cells, p95s = append(cells, "—"), append(p95s, 0)
				continue
			}
			q := r.Queries[i]
			p95 := Percentile(q.Millis, 95)
			p95s = append(p95s, p95)
			cell := fmt.Sprintf("%s / %s [%s]", ms(Percentile(q.Millis, 50)), ms(p95), thousands(q.Hits))
			if q.HeapMB > 0 {
				cell += fmt.Sprintf(" heap ≤ %.0f MB, %s posts/s", q.HeapMB, thousands(int(float64(q.Hits)/(Percentile(q.Millis, 50)/1000))))
			}
			cells = append(cells, cell)
		}
		line(w, name, cells, p95s)
	}
	fmt.Fprintln(w)
}

// printGrowth shows how ours grows with the archive: p95 of each query per size.
func printGrowth(w io.Writer, ours string, sizes []SizeReport) {
	fmt.Fprintf(w, "## How %s grows: query p95 (ms) per archive size\n\n%-28s", ours, "")
	for _, s := range sizes {
		fmt.Fprintf(w, " %12s", thousands(s.Posts))
	}
	fmt.Fprintln(w)
	for _, q := range sizes[0].Queries {
		if q.Engine != ours {
			continue
		}
		fmt.Fprintf(w, "%-28s", q.Query)
		for _, s := range sizes {
			i := slices.IndexFunc(s.Queries, func(x QueryMeasure) bool { return x.Engine == ours && x.Query == q.Query })
			if i < 0 {
				fmt.Fprintf(w, " %12s", "—")
				continue
			}
			fmt.Fprintf(w, " %12s", ms(Percentile(s.Queries[i].Millis, 95)))
		}
		fmt.Fprintln(w)
	}
}

func header(w io.Writer, first string, engines []string) {
	fmt.Fprintf(w, "%-28s", first)
	for _, e := range engines {
		fmt.Fprintf(w, " %24s", e)
	}
	for _, e := range engines[1:] {
		fmt.Fprintf(w, " %10s", "÷"+e)
	}
	fmt.Fprintf(w, "\n%s\n", strings.Repeat("-", 28+25*len(engines)+11*(len(engines)-1)))
}

// line writes a row: the cells, then ours (the first value) divided by each
// baseline's value.
func line(w io.Writer, name string, cells []string, vals []float64) {
	fmt.Fprintf(w, "%-28s", name)
	for _, c := range cells {
		fmt.Fprintf(w, " %24s", c)
	}
	for _, v := range vals[1:] {
		r := "—"
		if vals[0] > 0 && v > 0 {
			r = fmt.Sprintf("%.2f×", vals[0]/v)
		}
		fmt.Fprintf(w, " %10s", r)
	}
	fmt.Fprintln(w)
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

func ms(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.1f", x)
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
