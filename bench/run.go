package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aftershock/aftershock/post"
)

// BatchSize is the batch every engine writes in.
const BatchSize = 1000

// Engines returns the engines a benchmark compares: ours first, then the
// baselines.
func Engines() []Engine { return []Engine{Ours{}, StockBleve{}, FTS5{}} }

// EngineByName finds an engine of Engines.
func EngineByName(name string) (Engine, error) {
	for _, e := range Engines() {
		if e.Name() == name {
			return e, nil
		}
	}
	return nil, fmt.Errorf("unknown engine %q", name)
}

// NewCorpus returns the corpus of n posts replayed from seed over three days
// from the day before the S3 outage.
func NewCorpus(seed []post.Post, n int) Corpus {
	return Corpus{Seed: seed, N: n, Start: time.Date(2017, 2, 27, 0, 0, 0, 0, time.UTC), Span: 72 * time.Hour}
}

// BuildMeasure is one measured build.
type BuildMeasure struct {
	Engine         string  `json:"engine"`
	Posts          int     `json:"posts"`
	StoredSecs     float64 `json:"stored_secs"`
	SearchableSecs float64 `json:"searchable_secs"`
	CPUSecs        float64 `json:"cpu_secs"`
	PeakRSS        int64   `json:"peak_rss"`
	StoreBytes     int64   `json:"store_bytes"`
	IndexBytes     int64   `json:"index_bytes"`
}

// Build builds the corpus with e into dir and measures it. Run it in a
// process of its own so that PeakRSS and CPUSecs are the build's.
func Build(ctx context.Context, e Engine, dir string, c Corpus) (BuildMeasure, error) {
	m := BuildMeasure{Engine: e.Name(), Posts: c.N}
	cpu0 := cpuSeconds()
	start := time.Now()
	r, err := e.Build(ctx, dir, c)
	if err != nil {
		return m, fmt.Errorf("bench: build %s: %w", e.Name(), err)
	}
	m.SearchableSecs = time.Since(start).Seconds()
	m.StoredSecs, m.StoreBytes, m.IndexBytes = r.StoredSecs, r.StoreBytes, r.IndexBytes
	m.CPUSecs = cpuSeconds() - cpu0
	m.PeakRSS = peakRSS()
	return m, nil
}

// QueryMeasure is the latencies of one query on one engine.
type QueryMeasure struct {
	Engine string    `json:"engine"`
	Query  string    `json:"query"`
	Hits   int       `json:"hits"` // total hits (for histogram: the sum of buckets; facets: the source counts' sum)
	Millis []float64 `json:"millis"`
	// HeapMB is the largest Go heap in use during the job (exports only).
	HeapMB float64 `json:"heap_mb,omitempty"`
}

// job is one timed call of the query suite.
type job struct {
	name string
	run  func(ctx context.Context, s Searcher) (int, error)
	only func(Searcher) bool // nil: every searcher; else only those it accepts
	heap func(Searcher) float64
}

func isTimeliner(s Searcher) bool { _, ok := s.(EventTimeliner); return ok }
func isExporter(s Searcher) bool  { _, ok := s.(Exporter); return ok }

// TimelineName is the name of the event timeline measurement.
const TimelineName = "event timeline, 5-min buckets, all posts"

// suite returns the timed calls: the ten queries, the histogram, the facets,
// the timeline, the exports when asked for, and the deep page (prepared
// outside the timing).
func suite(c Corpus, exports bool) []job {
	var jobs []job
	for _, q := range Queries(c.Start, c.Span) {
		jobs = append(jobs, job{name: q.Name, run: func(ctx context.Context, s Searcher) (int, error) {
			n, _, err := s.Search(ctx, q)
			return n, err
		}})
	}
	hq, width := HistogramQuery(c.Start, c.Span)
	jobs = append(jobs, job{name: hq.Name, run: func(ctx context.Context, s Searcher) (int, error) {
		b, err := s.Histogram(ctx, hq, width)
		sum := 0
		for _, n := range b {
			sum += n
		}
		return sum, err
	}})
	fq := FacetQuery()
	jobs = append(jobs, job{name: fq.Name, run: func(ctx context.Context, s Searcher) (int, error) {
		f, err := s.Facets(ctx, fq)
		sum := 0
		for _, n := range f["source"] {
			sum += n
		}
		return sum, err
	}})
	jobs = append(jobs, job{name: TimelineName, only: isTimeliner, run: func(ctx context.Context, s Searcher) (int, error) {
		return s.(EventTimeliner).EventTimeline(ctx, c.Start, c.Start.Add(c.Span), 5*time.Minute)
	}})
	formats := []string{"csv", "jsonl"}
	if !exports {
		formats = nil
	}
	for _, f := range formats {
		var peak uint64
		jobs = append(jobs, job{name: "export all posts, " + f, only: isExporter,
			run: func(ctx context.Context, s Searcher) (int, error) {
				n, p, err := s.(Exporter).Export(ctx, f)
				peak = max(peak, p)
				return n, err
			},
			heap: func(Searcher) float64 { return float64(peak) / (1 << 20) }})
	}
	return jobs
}

// RunQueries times the query suite on every searcher, reps times, the
// engines taking turns on each query so that none runs on a cache the
// others warmed for it. Exports of the whole archive are timed only when
// exports is set.
func RunQueries(ctx context.Context, engines []string, searchers []Searcher, c Corpus, reps int, exports bool) ([]QueryMeasure, error) {
	var out []QueryMeasure
	jobs := suite(c, exports)
	dq, page := DeepPageQuery()
	prepared := make([]any, len(searchers))
	for i, s := range searchers {
		p, err := s.PreparePage(ctx, dq, page)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: prepare deep page: %w", engines[i], err)
		}
		prepared[i] = p
	}
	jobs = append(jobs, job{name: dq.Name})
	for _, j := range jobs {
		ms := make([]QueryMeasure, len(searchers))
		for i := range searchers {
			ms[i] = QueryMeasure{Engine: engines[i], Query: j.name}
		}
		for range reps {
			for i, s := range searchers {
				if j.only != nil && !j.only(s) {
					continue
				}
				start := time.Now()
				var n int
				var err error
				if j.run == nil {
					var ids []string
					ids, err = s.Page(ctx, dq, prepared[i])
					n = len(ids)
				} else {
					n, err = j.run(ctx, s)
				}
				if err != nil {
					return nil, fmt.Errorf("bench: %s: %s: %w", engines[i], j.name, err)
				}
				ms[i].Millis = append(ms[i].Millis, float64(time.Since(start).Microseconds())/1000)
				ms[i].Hits = n
			}
		}
		for i, m := range ms {
			if j.heap != nil {
				m.HeapMB = j.heap(searchers[i])
			}
			if len(m.Millis) > 0 {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// OpenMeasure is the memory of a process that opened an engine's archive
// and ran the query suite once: resident right after opening, the peak, and
// what was resident at the end split into the process's own (anonymous)
// memory and pages of memory-mapped files, which the kernel can drop and
// read again when memory is short.
type OpenMeasure struct {
	Engine  string `json:"engine"`
	OpenRSS int64  `json:"open_rss"`
	PeakRSS int64  `json:"peak_rss"`
	EndAnon int64  `json:"end_anon"`
	EndFile int64  `json:"end_file"`
}

// OpenAndQuery opens e's archive in dir, runs the suite once and reports the
// process's memory. Run it in a process of its own.
func OpenAndQuery(ctx context.Context, e Engine, dir string, c Corpus, exports bool) (OpenMeasure, error) {
	s, err := e.Open(ctx, dir)
	if err != nil {
		return OpenMeasure{}, err
	}
	defer s.Close()
	m := OpenMeasure{Engine: e.Name(), OpenRSS: procStatus("VmRSS")[0]}
	if _, err := RunQueries(ctx, []string{e.Name()}, []Searcher{s}, c, 1, exports); err != nil {
		return OpenMeasure{}, err
	}
	end := procStatus("VmHWM", "RssAnon", "RssFile")
	m.PeakRSS, m.EndAnon, m.EndFile = end[0], end[1], end[2]
	return m, nil
}

func dirSize(dir string, keep func(string) bool) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (keep != nil && !keep(p)) {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			n += fi.Size()
		}
		return nil
	})
	return n
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// peakRSS reads the process's resident-set high-water mark (Linux).
func peakRSS() int64 { return procStatus("VmHWM")[0] }

// procStatus reads memory figures of /proc/self/status (Linux) in one read,
// in bytes, in the order of keys; 0 where there is none.
func procStatus(keys ...string) []int64 {
	out := make([]int64, len(keys))
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return out
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		for i, key := range keys {
			if rest, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
				out[i], _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				out[i] <<= 10
			}
		}
	}
	return out
}

// Percentile returns the p-th percentile (0–100, nearest rank) of xs.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	k := int(float64(len(s))*p/100+0.999999) - 1
	return s[max(0, min(k, len(s)-1))]
}
