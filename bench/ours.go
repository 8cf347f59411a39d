package bench

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/sentiment"
	"github.com/aftershock/aftershock/store"
)

// Ours is Aftershock: the store (system of record) with the index tailing
// it, as `aftershock import` runs them.
type Ours struct{}

// Name implements Engine.
func (Ours) Name() string { return "aftershock" }

// Build implements Engine: batches go to the store while the indexer tails
// it in a second goroutine; Build returns when the index has caught up.
func (Ours) Build(ctx context.Context, dir string, c Corpus) (BuildResult, error) {
	var r BuildResult
	a, err := archive.Open(ctx, dir, nil)
	if err != nil {
		return r, err
	}
	defer a.Close()
	if a.Index == nil {
		return r, a.IndexErr
	}
	// Language and sentiment are computed before the store write, as
	// import does; their cost is part of the figures.
	scorer, err := sentiment.New()
	if err != nil {
		return r, err
	}
	start := time.Now()
	stored := make(chan struct{})
	indexed := make(chan error, 1)
	go func() {
		_, err := a.Follow(ctx, stored, 20*time.Millisecond)
		indexed <- err
	}()
	var b store.Batch
	for i := range c.N {
		p := c.Post(i)
		scorer.Enrich(&p)
		b.Posts = append(b.Posts, p)
		if len(b.Posts) == BatchSize || i == c.N-1 {
			if _, err := a.Store.Write(ctx, b); err != nil {
				return r, err
			}
			b.Posts = b.Posts[:0]
		}
	}
	r.StoredSecs = time.Since(start).Seconds()
	close(stored)
	if err := <-indexed; err != nil {
		return r, err
	}
	if err := a.Store.Checkpoint(ctx); err != nil {
		return r, err
	}
	r.StoreBytes = dirSize(dir, func(p string) bool { return strings.HasPrefix(filepath.Base(p), archive.StoreFile) })
	r.IndexBytes = dirSize(filepath.Join(dir, archive.IndexDir), nil)
	return r, nil
}

// Open implements Engine.
func (Ours) Open(ctx context.Context, dir string) (Searcher, error) {
	a, err := archive.Open(ctx, dir, nil)
	if err != nil {
		return nil, err
	}
	if a.Index == nil {
		a.Close()
		return nil, a.IndexErr
	}
	return oursSearcher{a}, nil
}

type oursSearcher struct{ a *archive.Archive }

func (s oursSearcher) query(q Query) index.Query {
	iq := index.Query{Text: q.Ours, From: q.From, To: q.To, Size: q.Size, Sort: index.Relevance}
	if q.Sort == ByTime {
		iq.Sort = index.Newest
	}
	return iq
}

// Search loads the posts of the page from the store too, as a search page does.
func (s oursSearcher) Search(ctx context.Context, q Query) (int, []string, error) {
	res, err := s.a.Search(ctx, s.query(q))
	if err != nil {
		return 0, nil, err
	}
	ids := make([]string, len(res.Posts))
	for i, p := range res.Posts {
		ids[i] = p.ID
	}
	return int(res.Total), ids, nil
}

func (s oursSearcher) Histogram(ctx context.Context, q Query, width time.Duration) ([]int, error) {
	iq := s.query(q)
	iq.Size, iq.Histogram = -1, width
	res, err := s.a.Index.Search(ctx, iq)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(res.Histogram))
	for i, b := range res.Histogram {
		out[i] = int(b.Count)
	}
	return out, nil
}

// EventTimeline implements EventTimeliner with the whole path of
// `aftershock timeline`: index pass, history for the baseline, spike
// detection and the store's status incidents.
func (s oursSearcher) EventTimeline(ctx context.Context, from, to time.Time, width time.Duration) (int, error) {
	ev := event.Event{Slug: "bench", From: from, To: to, Services: []string{"bench"}}
	if err := ev.Validate(); err != nil {
		return 0, err
	}
	tl, err := event.Build(ctx, ev, s.a.Index, s.a.Store, event.Options{Width: width})
	if err != nil {
		return 0, err
	}
	return int(tl.Total), nil
}

// Export implements Exporter: every post through archive.Each into the
// export writer, as 'aftershock export --event' runs, to io.Discard, with
// a sampler reading the heap in use every 10 ms.
func (s oursSearcher) Export(ctx context.Context, format string) (int, uint64, error) {
	f, err := export.ParseFormat(format)
	if err != nil {
		return 0, 0, err
	}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	w, err := export.NewWriter(f, io.Discard, export.Meta{Title: "bench", Slug: "bench", Location: time.UTC})
	n := 0
	if err == nil {
		err = s.a.Each(ctx, index.Query{}, func(p store.Stored) error {
			n++
			return w.Write(export.FromStored(p, n, nil))
		}, nil)
		if err == nil {
			err = w.Close()
		}
	}
	close(stop)
	<-sampled
	return n, peak.Load(), err
}

func (s oursSearcher) Facets(ctx context.Context, q Query) (map[string]map[string]int, error) {
	iq := s.query(q)
	iq.Facets = true
	res, err := s.a.Index.Search(ctx, iq)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]int{}
	for name, fs := range res.Facets {
		out[name] = map[string]int{}
		for _, f := range fs {
			out[name][f.Value] = int(f.Count)
		}
	}
	return out, nil
}

// PreparePage walks the cursors up to the page, as a user paging would.
func (s oursSearcher) PreparePage(ctx context.Context, q Query, page int) (any, error) {
	iq := s.query(q)
	for range page {
		res, err := s.a.Index.Search(ctx, iq)
		if err != nil {
			return nil, err
		}
		if res.Next == "" {
			return nil, fmt.Errorf("fewer than %d pages", page)
		}
		iq.After = res.Next
	}
	return iq.After, nil
}

func (s oursSearcher) Page(ctx context.Context, q Query, prepared any) ([]string, error) {
	iq := s.query(q)
	iq.After = prepared.(string)
	res, err := s.a.Search(ctx, iq)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Posts))
	for i, p := range res.Posts {
		ids[i] = p.ID
	}
	return ids, nil
}

func (s oursSearcher) Close() error { return s.a.Close() }
