package demo

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/sentiment"
	"github.com/aftershock/aftershock/store"
)

// snapshot is what a second Load must leave unchanged.
type snapshot struct {
	stats       store.Stats
	events      []event.Event
	collections []store.Collection
	items       []store.CollectionItem
	incidents   []event.Incident
	runs        []store.Run
}

func takeSnapshot(t *testing.T, ctx context.Context, a *archive.Archive) snapshot {
	t.Helper()
	var s snapshot
	var err error
	if s.stats, err = a.Store.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	s.stats.Runs = nil
	if s.runs, err = a.Store.Runs(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if s.events, err = a.Store.Events(ctx); err != nil {
		t.Fatal(err)
	}
	if s.collections, err = a.Store.Collections(ctx); err != nil {
		t.Fatal(err)
	}
	if s.items, err = a.Store.Items(ctx, CollectionSlug); err != nil {
		t.Fatal(err)
	}
	st := demoStory()
	if s.incidents, err = a.Store.StatusIncidents(ctx, st.from, st.to); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Index == nil {
		t.Fatal(a.IndexErr)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

	start := time.Now()
	sum, err := Load(ctx, a, now)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("first Load: %+v in %v", sum, took)
	if took > 30*time.Second {
		t.Errorf("Load took %v, want well under 30 s", took)
	}
	if sum.Posts < 3000 || sum.Posts > 6000 || sum.Deleted != 6 || sum.Edited != 1 ||
		sum.Event != EventSlug || sum.Collection != CollectionSlug {
		t.Errorf("summary %+v", sum)
	}
	first := takeSnapshot(t, ctx, a)
	st := first.stats
	if st.Posts != int64(sum.Posts) || st.Deleted != int64(sum.Deleted) || st.Versions != int64(sum.Edited) {
		t.Errorf("store holds %d posts, %d deleted, %d versions; summary %+v", st.Posts, st.Deleted, st.Versions, sum)
	}
	if n, err := a.Index.Count(); err != nil || n != uint64(sum.Posts) {
		t.Errorf("index holds %d documents (%v), want %d", n, err, sum.Posts)
	}

	// Idempotent: a second run changes nothing.
	start = time.Now()
	sum2, err := Load(ctx, a, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second Load: %v", time.Since(start))
	if sum2 != sum {
		t.Errorf("second summary %+v, first %+v", sum2, sum)
	}
	if second := takeSnapshot(t, ctx, a); !snapshotsEqual(t, first, second) {
		t.Error("the second Load changed the archive")
	}

	// Languages and sources.
	var de, scored int64
	for _, c := range st.ByLang {
		if c.Value == "de" {
			de = c.N
		}
	}
	for _, c := range st.BySentiment {
		if c.Value != "" {
			scored += c.N
		}
	}
	t.Logf("languages %v, sources %v, sentiment %v", st.ByLang, st.BySource, st.BySentiment)
	if share := float64(de) / float64(st.Posts); share < 0.25 || share > 0.4 {
		t.Errorf("German share %.2f, want 0.25–0.4", share)
	}
	if len(st.BySource) < 4 {
		t.Errorf("sources %v, want at least 4", st.BySource)
	}
	if float64(scored) < 0.95*float64(st.Posts) {
		t.Errorf("only %d of %d posts scored", scored, st.Posts)
	}

	checkTimeline(t, ctx, a)
	checkPosts(t, ctx, a)

	// The quote collection.
	items := first.items
	if len(items) != 6 {
		t.Fatalf("collection has %d items, want 6", len(items))
	}
	for _, it := range items {
		if it.Note == "" || !it.HasCurrent || !slices.Contains(it.Tags, "demo") || !strings.Contains(string(it.Snapshot.Raw), `"demo":true`) {
			t.Errorf("item %s: note %q, current %v, tags %v", it.PostID, it.Note, it.HasCurrent, it.Tags)
		}
	}
	if c := first.collections; len(c) != 1 || c[0].Event != EventSlug {
		t.Errorf("collections %+v", c)
	}

	// Search finds the German posts.
	res, err := a.Index.Search(ctx, index.Query{Text: "störung", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total < 50 {
		t.Errorf("störung: %d hits, want at least 50", res.Total)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	hits, err := a.Store.GetMany(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Lang != "de" {
			t.Errorf("störung found %s in %q: %q", h.ID, h.Lang, h.Text)
		}
	}
}

// checkTimeline checks the shape reporters will see: one spike starting at
// the outage, the status page 14 minutes behind, the tone turning negative.
func checkTimeline(t *testing.T, ctx context.Context, a *archive.Archive) {
	t.Helper()
	e, err := a.Store.Event(ctx, EventSlug)
	if err != nil {
		t.Fatal(err)
	}
	st := demoStory()
	if !e.From.Equal(st.from) || !e.To.Equal(st.to) || e.To.Sub(e.From) != 36*time.Hour {
		t.Errorf("window %v–%v", e.From, e.To)
	}
	tl, err := event.Build(ctx, e, a.Index, a.Store, event.Options{Width: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range tl.Spikes {
		t.Logf("spike %v–%v peak %v (%.0f, ×%.1f)", sp.Start, sp.End, sp.Peak, sp.PeakCount, sp.Factor)
	}
	if len(tl.Spikes) != 1 {
		t.Fatalf("%d spikes, want 1", len(tl.Spikes))
	}
	sp := tl.Spikes[0]
	if d := sp.Start.Sub(st.start); d < -5*time.Minute || d > 5*time.Minute {
		t.Errorf("spike starts %v, want %v ± one bucket", sp.Start, st.start)
	}
	if tl.Lag == nil {
		t.Fatal("no lag")
	}
	t.Logf("lag: %s", tl.Lag.Sentence(tl.Location))
	if tl.Lag.ToAck < 10*time.Minute || tl.Lag.ToAck > 20*time.Minute {
		t.Errorf("lag to acknowledgement %v, want 10–20 min", tl.Lag.ToAck)
	}
	// The width the pages choose (10 minutes for 36 hours) tells the same story.
	auto, err := event.Build(ctx, e, a.Index, a.Store, event.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(auto.Spikes) != 1 || auto.Lag == nil || auto.Lag.ToAck < 10*time.Minute || auto.Lag.ToAck > 20*time.Minute {
		t.Errorf("at %v buckets: %d spikes, lag %+v", auto.Width, len(auto.Spikes), auto.Lag)
	}
	if tl.Lag.Resolved.IsZero() || len(tl.Incidents) != 1 || len(tl.Updates) != 4 {
		t.Errorf("incidents %d, updates %d, resolved %v", len(tl.Incidents), len(tl.Updates), tl.Lag.Resolved)
	}
	if n := len(mustGenerate(t).items); tl.Total != uint64(n) {
		t.Errorf("the event's query matches %d posts, the demo has %d", tl.Total, n)
	}
	var inNeg, inScored, outNeg, outScored uint64
	for _, b := range tl.Buckets {
		switch {
		case b.InSpike:
			inNeg, inScored = inNeg+b.Negative, inScored+b.Scored()
		case b.Start.Before(sp.Start):
			outNeg, outScored = outNeg+b.Negative, outScored+b.Scored()
		}
	}
	in, out := float64(inNeg)/float64(inScored), float64(outNeg)/float64(outScored)
	t.Logf("negative share: %.2f in the spike, %.2f before it", in, out)
	if in < out+0.3 {
		t.Errorf("negative share %.2f in the spike, %.2f before: want clearly higher", in, out)
	}
}

// checkPosts checks every stored post's provenance and the edited and
// deleted ones.
func checkPosts(t *testing.T, ctx context.Context, a *archive.Archive) {
	t.Helper()
	var ids []string
	deleted, replies, quotes := 0, 0, 0
	err := a.Store.Scan(ctx, func(s store.Stored) error {
		ids = append(ids, s.ID)
		if !strings.HasPrefix(s.URL, permalink) || !strings.HasPrefix(s.Author.URL, permalink) || !strings.Contains(s.NativeID, "demo") {
			t.Errorf("%s: URL %q, author URL %q", s.ID, s.URL, s.Author.URL)
		}
		if s.Deleted() {
			deleted++
		}
		if s.ReplyTo != "" {
			replies++
		}
		if s.QuoteOf != "" {
			quotes++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d replies, %d quotes, %d deleted", replies, quotes, deleted)
	if deleted != 6 || replies < 300 || quotes < 20 {
		t.Errorf("%d deleted, %d replies, %d quotes", deleted, replies, quotes)
	}
	full, err := a.Store.GetManyRaw(ctx, ids[:200])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range full {
		var raw struct {
			Demo      bool   `json:"demo"`
			Generator string `json:"generator"`
			ID        string `json:"id"`
		}
		if err := json.Unmarshal(s.Raw, &raw); err != nil || !raw.Demo || raw.Generator != "aftershock demo" || raw.ID != s.NativeID {
			t.Errorf("%s: raw %s (%v)", s.ID, s.Raw, err)
		}
	}
	d := mustGenerate(t)
	vs, err := a.Store.Versions(ctx, d.byKey["edited"])
	if err != nil || len(vs) != 1 {
		t.Errorf("edited post: %d older versions (%v), want 1", len(vs), err)
	}
	cur, err := a.Store.Get(ctx, d.byKey["edited"])
	if err != nil || cur.Revision == 0 || !strings.Contains(cur.Text, "Edit:") {
		t.Errorf("edited post: revision %d, text %q (%v)", cur.Revision, cur.Text, err)
	}
}

func mustGenerate(t *testing.T) *data {
	t.Helper()
	sc, err := sentiment.New()
	if err != nil {
		t.Fatal(err)
	}
	d, err := generate(sc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func snapshotsEqual(t *testing.T, a, b snapshot) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Logf("before: %.2000s\nafter:  %.2000s", ja, jb)
		return false
	}
	return true
}

// TestDeterministic checks that two generations are identical, payloads
// and scores included.
func TestDeterministic(t *testing.T) {
	d1, d2 := mustGenerate(t), mustGenerate(t)
	posts := func(d *data) []post.Post {
		var out []post.Post
		for _, it := range d.items {
			out = append(append(out, it.versions...), it.p)
		}
		return out
	}
	j1, err := json.Marshal(posts(d1))
	if err != nil {
		t.Fatal(err)
	}
	j2, _ := json.Marshal(posts(d2))
	if string(j1) != string(j2) || !slices.Equal(d1.deletes, d2.deletes) {
		t.Error("two generations differ")
	}
	for i := range d1.items {
		if string(d1.items[i].p.Raw) != string(d2.items[i].p.Raw) {
			t.Fatalf("payload %d differs", i)
		}
	}
}
