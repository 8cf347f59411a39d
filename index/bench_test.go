package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
)

var (
	wordsEN = strings.Fields(`the s3 is down again aws outage us-east-1 region status page still not
		working our site broke everything fails can't upload images servers are dead amazon cloud
		internet half of it gone coffee machine smashed engineers on it recovery errors elevated
		latency customers affected apologies update investigating issue resolved degraded`)
	wordsDE = strings.Fields(`die Störung bei AWS dauert an Ausfall der Server nichts läuft mehr
		Internet kaputt seit heute Mittag Dienste nicht erreichbar Fehler beim Hochladen Kunden
		betroffen wieder da Ausfälle Störungen bei Amazon Rechenzentrum Behebung läuft`)
	tags    = []string{"AWS", "S3", "outage", "Störung", "cloud", "devops", "awsdown", "Ausfall"}
	domains = []string{"status.aws.amazon.com", "twitter.com", "www.heise.de", "news.ycombinator.com", "example.com", "theverge.com"}
	srcs    = []string{post.Twitter, post.Mastodon, post.Bluesky, post.HackerNews}
)

// synth returns n tweet-like posts with ids from start, spread over three
// days from t0.
func synth(start, n int) []Doc {
	r := rand.New(rand.NewPCG(uint64(start), 42))
	docs := make([]Doc, n)
	for i := range docs {
		id := start + i
		lang, vocab := "en", wordsEN
		switch r.IntN(10) {
		case 0, 1, 2:
			lang, vocab = "de", wordsDE
		case 3:
			lang = ""
		}
		var b strings.Builder
		for range 8 + r.IntN(25) {
			b.WriteString(vocab[r.IntN(len(vocab))])
			b.WriteByte(' ')
		}
		src := srcs[r.IntN(len(srcs))]
		p := post.Post{
			ID: post.MakeID(src, fmt.Sprint(id)), Source: src, NativeID: fmt.Sprint(id),
			Author:    post.Author{Handle: fmt.Sprintf("user%d", r.IntN(5000))},
			Text:      b.String(),
			Lang:      lang,
			CreatedAt: t0.Add(time.Duration(r.Int64N(int64(72 * time.Hour)))),
		}
		if r.IntN(2) == 0 {
			p.Hashtags = []string{tags[r.IntN(len(tags))]}
		}
		if r.IntN(4) == 0 {
			p.Mentions = []string{fmt.Sprintf("user%d", r.IntN(5000))}
		}
		if r.IntN(3) == 0 {
			p.Links = []string{"https://" + domains[r.IntN(len(domains))] + "/x"}
		}
		if r.IntN(10) > 0 {
			score := r.Float64()*2 - 1
			label := "neutral"
			if score < -0.3 {
				label = "negative"
			} else if score > 0.3 {
				label = "positive"
			}
			p.Sentiment = post.Sentiment{Label: label, Score: score, Confidence: 0.7, Model: "bench"}
		}
		docs[i] = Doc{Post: p, Deleted: r.IntN(100) == 0}
	}
	return docs
}

func BenchmarkApply(b *testing.B) {
	for _, kind := range []string{"disk", "mem"} {
		b.Run(kind, func(b *testing.B) {
			var ix *Index
			var err error
			if kind == "disk" {
				ix, err = Open(b.TempDir())
			} else {
				ix, err = OpenMem()
			}
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			const batch = 1000
			batches := make([][]Doc, 20)
			for i := range batches {
				batches[i] = synth(i*batch, batch)
			}
			b.ResetTimer()
			n := 0
			for i := 0; b.Loop(); i++ {
				docs := batches[i%len(batches)]
				if i >= len(batches) { // fresh ids: inserts, not updates
					docs = synth(i*batch, batch)
				}
				if err := ix.Apply(docs, nil, int64(i)); err != nil {
					b.Fatal(err)
				}
				n += batch
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "posts/s")
		})
	}
}

const benchDocs = 100_000

var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchIndex is built once per test binary: benchDocs synthetic posts in an
// on-disk index, whose segments Bleve merges as it would in production.
var benchIndex = sync.OnceValues(func() (*Index, error) {
	var err error
	if benchDir, err = os.MkdirTemp("", "aftershock-index-bench-"); err != nil {
		return nil, err
	}
	ix, err := Open(benchDir)
	if err != nil {
		return nil, err
	}
	for i := 0; i < benchDocs; i += 5000 {
		if err := ix.Apply(synth(i, 5000), nil, int64(i)); err != nil {
			return nil, err
		}
	}
	// Let the background merger settle.
	for range 100 {
		if segs := segmentCount(ix); segs <= 10 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ix, nil
})

func segmentCount(ix *Index) uint64 {
	n, _ := ix.b.StatsMap()["index"].(map[string]any)["num_root_filesegments"].(uint64)
	return n
}

func BenchmarkSearch(b *testing.B) {
	ix, err := benchIndex()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d segments", segmentCount(ix))
	from := t0.Add(12 * time.Hour)
	cases := []struct {
		name string
		q    Query
	}{
		{"word", Query{Text: "outage"}},
		{"german", Query{Text: "Störung"}},
		{"phrase", Query{Text: `"is down"`}},
		{"design-example", Query{Text: `s3 OR aws "is down"`}},
		{"bool+filters", Query{Text: "(aws OR amazon) -resolved", Sources: []string{"twitter", "mastodon"}, Langs: []string{"en"}, From: from, To: from.Add(24 * time.Hour)}},
		{"prefix", Query{Text: "stör*"}},
		{"all-newest", Query{Sort: Newest}},
		{"all-newest-page-50", Query{Sort: Newest, Size: 100}}, // After set below
		{"facets", Query{Text: "outage", Facets: true}},
		{"histogram-1h", Query{Text: "outage", Histogram: time.Hour, Size: -1}},
		{"histogram-1m", Query{Histogram: time.Minute, Size: -1}},
		{"histogram-10s-20k", Query{Histogram: 10 * time.Second, From: t0, To: t0.Add(20_000 * 10 * time.Second), Size: -1}},
	}
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			if strings.HasSuffix(c.name, "page-50") {
				for range 49 {
					res, err := ix.Search(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					q.After = res.Next
				}
			}
			var total uint64
			for b.Loop() {
				res, err := ix.Search(ctx, q)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}

// BenchmarkHistogramMethods measures the collector hook Search uses at
// several bucket counts. Bleve's own way, a date-range facet that tests
// every range for every hit, is measured on stock Bleve by `aftershock
// bench` (our index keeps no doc values on the datetime field).
func BenchmarkHistogramMethods(b *testing.B) {
	ix, err := benchIndex()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	span := 72 * time.Hour
	for _, n := range []int{100, 1000, 2000, 15_000} {
		width := span / time.Duration(n)
		b.Run(fmt.Sprintf("collector-hook-%d", n), func(b *testing.B) {
			for b.Loop() {
				res, err := ix.Search(ctx, Query{Histogram: width, From: t0, To: t0.Add(span), Size: -1})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Histogram) < n {
					b.Fatalf("%d buckets", len(res.Histogram))
				}
			}
		})
	}
}

// BenchmarkTimeline is the event timeline's index pass beside the plain
// histogram of the same hits (every post, 5-minute buckets over 3 days).
func BenchmarkTimeline(b *testing.B) {
	ix, err := benchIndex()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	q := Query{From: t0, To: t0.Add(72 * time.Hour)}
	b.Run("histogram", func(b *testing.B) {
		for b.Loop() {
			hq := q
			hq.Size, hq.Histogram = -1, 5*time.Minute
			if _, err := ix.Search(ctx, hq); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("timeline", func(b *testing.B) {
		for b.Loop() {
			tl, err := ix.Timeline(ctx, q, 5*time.Minute)
			if err != nil || tl.Total != benchDocs || len(tl.Buckets[0].Sources) == 0 || tl.Buckets[0].Scored() == 0 {
				b.Fatal(tl.Total, err)
			}
		}
	})
}
