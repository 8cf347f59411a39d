package bench

import (
	"context"
	"encoding/json"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/bluesky/jetstreamtest"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/sentiment"
)

var liveDuration = flag.Duration("live.duration", 10*time.Second, "how long BenchmarkJetstreamToSearchable replays the firehose")

// BenchmarkJetstreamToSearchable replays a Jetstream fake at 2,000 posts/s
// (synthesised from the real Bluesky captures) while one event's query
// matches 5 % of them, through the whole live path — Jetstream streamer,
// local match, sentiment, the loop's store write with the cursor, the
// indexer following the store once a second as `serve` runs it — and
// reports the lag from the fake sending a matching post to the post being
// searchable (p50, p99) and the CPU used. Run it for a minute with
//
//	go test ./bench -run '^$' -bench JetstreamToSearchable -benchtime 1x -args -live.duration=1m
func BenchmarkJetstreamToSearchable(b *testing.B) {
	const rate, every = 2000, 20 // 1 in 20 = 5 % match
	var samples [][]byte
	files, _ := filepath.Glob(testdata.Path(b, "bluesky", "*.jsonl"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		samples = append(samples, jetstreamtest.SplitLines(data)...)
	}
	n := int(float64(rate) * liveDuration.Seconds())
	start := time.Now().Add(-time.Hour).UnixMicro()
	events, err := jetstreamtest.Synthesize(samples, n, start, time.Second/rate)
	if err != nil {
		b.Fatal(err)
	}
	// Every 20th post mentions the outage the event follows.
	var matching []int64 // their time_us, in sending order
	for i := range events {
		if i%every != 0 {
			continue
		}
		var ev map[string]any
		if err := json.Unmarshal(events[i], &ev); err != nil {
			b.Fatal(err)
		}
		commit, _ := ev["commit"].(map[string]any)
		record, _ := commit["record"].(map[string]any)
		if record == nil {
			continue
		}
		record["text"] = "is nimbus down for anyone else? #nimbusdown"
		if events[i], err = json.Marshal(ev); err != nil {
			b.Fatal(err)
		}
		matching = append(matching, int64(ev["time_us"].(float64)))
	}
	for range b.N {
		ctx, cancel := context.WithCancel(context.Background())
		a, err := archive.Open(ctx, b.TempDir(), slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		srv := jetstreamtest.New(events, jetstreamtest.Options{Rate: rate})
		pq, _ := index.ParseQuery("nimbus OR #nimbusdown")
		js, err := bluesky.NewJetstream(bluesky.Config{URL: srv.URL, Match: func(p *post.Post) bool { return pq.Match(p) }}, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		scorer, _ := sentiment.New()
		var wg sync.WaitGroup
		stop := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			live.RunStreamer(ctx, js, a.Store, live.Options{Enrich: scorer})
		}()
		go func() {
			defer wg.Done()
			a.Follow(ctx, stop, time.Second)
		}()
		cpu0 := cpuTime()
		t0 := time.Now()
		// Watch the index: when the i-th matching post becomes searchable.
		searchable := make([]time.Time, 0, len(matching))
		deadline := t0.Add(*liveDuration + 30*time.Second)
		for len(searchable) < len(matching) && time.Now().Before(deadline) {
			res, err := a.Index.Search(ctx, index.Query{Text: "nimbusdown", Size: -1})
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now()
			for len(searchable) < int(res.Total) && len(searchable) < len(matching) {
				searchable = append(searchable, now)
			}
			time.Sleep(20 * time.Millisecond)
		}
		wall, cpu := time.Since(t0), cpuTime()-cpu0
		close(stop)
		cancel()
		wg.Wait()
		srv.Close()
		a.Close()
		if len(searchable) < len(matching) {
			b.Fatalf("%d of %d matching posts searchable", len(searchable), len(matching))
		}
		var lags []time.Duration
		for i, us := range matching {
			sent, ok := srv.SentAt(us)
			if !ok {
				continue
			}
			lags = append(lags, searchable[i].Sub(sent))
		}
		slices.Sort(lags)
		p := func(q float64) float64 { return lags[int(q*float64(len(lags)-1))].Seconds() * 1000 }
		b.ReportMetric(p(0.5), "lag-p50-ms")
		b.ReportMetric(p(0.99), "lag-p99-ms")
		b.ReportMetric(cpu.Seconds()/wall.Seconds()*100, "cpu-%")
		b.ReportMetric(float64(n)/wall.Seconds(), "events/s")
		b.Logf("%d events in %v, %d matching; lag p50 %.0f ms, p99 %.0f ms; CPU %.0f %% of one core (%s)",
			n, wall.Round(time.Millisecond), len(lags), p(0.5), p(0.99), cpu.Seconds()/wall.Seconds()*100, strings.TrimSpace(cpu.String()))
	}
}

// cpuTime is this process's user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
