package bench

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
)

// engineSeed is a hand-made seed covering every query of Queries. The
// replayed corpus holds each seed post N/len(seed) times, so what each query
// should find is known exactly (see engineWant).
func engineSeed() []post.Post {
	mk := func(n int, source, lang, author, text string, tags ...string) post.Post {
		native := "s" + string(rune('0'+n))
		return post.Post{ID: post.MakeID(source, native), Source: source, NativeID: native, Lang: lang,
			Author: post.Author{Handle: author}, Text: text, Hashtags: tags}
	}
	return []post.Post{
		0: mk(0, "twitter", "en", "PhillyNEFL", "Mystic Aquarium reopens today https://t.co/abc"),
		1: mk(1, "twitter", "en", "ukpolitics", "Boris Johnson says #Brexit talks go on https://t.co/xyz", "Brexit"),
		2: mk(2, "mastodon", "en", "eu_watch", "Brexit: the EU answers Johnson"),
		3: mk(3, "twitter", "de", "AnnaK", "Befristungen an Hochschulen sind das Problem #IchBinHanna https://example.org/wisszeitvg", "IchBinHanna"),
		4: mk(4, "mastodon", "de", "berlin_wiss", "Die Befristung trifft Hanna und viele andere", "IchBinHanna"),
		5: mk(5, "bluesky", "en", "PhillyNEFL", "Game day in Philly, no links today"),
		6: mk(6, "reddit", "en", "randomuser", "Brexit brexit brexit, is it over yet? https://reddit.com"),
		7: mk(7, "hackernews", "de", "hn_user", "Über Brüssel und die Zukunft: Brexit und EU"),
	}
}

// engineWant is, per query name, the seed posts both baselines must find.
// Known baseline gaps show in it: "Befristungen" finds only the post with
// that exact form, not "Befristung" (neither baseline stems German; FTS5 has
// no German stemmer at all), and "hanna" does not find "#IchBinHanna".
// Stock Bleve's standard analyser also drops English stop words ("the",
// "is", "it", …); no query here asks for one.
var engineWant = map[string][]int{
	"rare term":                {0},
	"common term":              {0, 1, 3, 6},
	"phrase":                   {1},
	"boolean":                  {1, 4, 6}, // 2 and 7 say "EU"
	"German inflected form":    {3},
	"hashtag":                  {3, 4},
	"author":                   {0, 5},
	"time-filtered":            {0, 1, 3, 6},
	"sorted by time":           {1, 2, 6, 7},
	"by relevance":             {1, 2},
	"histogram 5 min × 3 days": {0, 1, 3, 6},
	"facets":                   {1, 2, 6, 7},
	"deep page (50th of 20)":   {0, 1, 3, 6},
}

// oursWant is where Aftershock finds more than the baselines: German
// stemming makes "Befristungen" find "Befristung" too.
var oursWant = map[string][]int{"German inflected form": {3, 4}}

// wantIDs lists, newest first, the ids of the corpus posts that q must find
// on engine e.
func wantIDs(t *testing.T, e Engine, c Corpus, q Query) []string {
	t.Helper()
	seeds, ok := engineWant[q.Name]
	if s, ours := oursWant[q.Name]; ours && e.Name() == (Ours{}).Name() {
		seeds = s
	}
	if !ok {
		t.Fatalf("no expectation for query %q", q.Name)
	}
	var ids []string
	for i := c.N - 1; i >= 0; i-- {
		p := c.Post(i)
		if !slices.Contains(seeds, i%len(c.Seed)) ||
			(!q.From.IsZero() && p.CreatedAt.Before(q.From)) || (!q.To.IsZero() && !p.CreatedAt.Before(q.To)) {
			continue
		}
		ids = append(ids, p.ID)
	}
	return ids
}

func TestEngines(t *testing.T) {
	c := Corpus{Seed: engineSeed(), N: 3000, Start: time.Date(2017, 2, 27, 0, 0, 0, 0, time.UTC), Span: 72 * time.Hour}
	for _, e := range []Engine{Ours{}, StockBleve{}, FTS5{}} {
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			dir := t.TempDir()
			r, err := e.Build(ctx, dir, c)
			if err != nil {
				t.Fatal(err)
			}
			switch e.(type) {
			case Ours:
				if r.IndexBytes <= 0 || r.StoreBytes <= 0 || r.StoredSecs <= 0 {
					t.Errorf("build result %+v: want store and index", r)
				}
			case StockBleve:
				if r.IndexBytes <= 0 || r.StoreBytes != 0 || r.StoredSecs != 0 {
					t.Errorf("build result %+v: want index bytes only", r)
				}
			case FTS5:
				if r.StoreBytes <= 0 || r.IndexBytes != 0 || r.StoredSecs <= 0 {
					t.Errorf("build result %+v: want store bytes and stored time only", r)
				}
			}
			s, err := e.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			for _, q := range Queries(c.Start, c.Span) {
				want := wantIDs(t, e, c, q)
				if _, ok := e.(StockBleve); ok && strings.Contains(q.Bleve, "(") {
					// Bleve's query-string syntax has no grouping: "+(text:brexit"
					// is a required match on a field named "(text", so the query
					// finds nothing. Without the parentheses the optional
					// clauses still need one match when there is no required one.
					t.Logf("%s: Bleve query string %q cannot group; running it without parentheses", q.Name, q.Bleve)
					q.Bleve = strings.NewReplacer("+(", "", "(", "", ")", "").Replace(q.Bleve)
				}
				total, ids, err := s.Search(ctx, q)
				if err != nil {
					t.Errorf("%s: %v", q.Name, err)
					continue
				}
				if total != len(want) || total == 0 {
					t.Errorf("%s: total %d, want %d", q.Name, total, len(want))
				}
				top := want[:min(q.Size, len(want))]
				if q.Sort == ByTime {
					if !slices.Equal(ids, top) {
						t.Errorf("%s: ids %v, want %v", q.Name, ids, top)
					}
				} else if len(ids) != len(top) || !allIn(ids, want) {
					t.Errorf("%s: %d ids %v, want %d of %v…", q.Name, len(ids), ids, len(top), top)
				}
			}

			hq, width := HistogramQuery(c.Start, c.Span)
			hist, err := s.Histogram(ctx, hq, width)
			if err != nil {
				t.Fatal(err)
			}
			wantHist := make([]int, int(c.Span/width))
			for i := range c.N {
				if p := c.Post(i); slices.Contains(engineWant[hq.Name], i%len(c.Seed)) {
					wantHist[p.CreatedAt.Sub(c.Start)/width]++
				}
			}
			if !slices.Equal(hist, wantHist) {
				t.Errorf("histogram %v, want %v", hist, wantHist)
			}
			if total, _, err := s.Search(ctx, hq); err != nil || total != sum(hist) || total == 0 {
				t.Errorf("histogram sums to %d, search total %d (%v)", sum(hist), total, err)
			}

			if tl, ok := s.(EventTimeliner); ok {
				n, err := tl.EventTimeline(ctx, c.Start, c.Start.Add(c.Span), 5*time.Minute)
				if err != nil || n != c.N {
					t.Errorf("event timeline counted %d posts, want %d (%v)", n, c.N, err)
				}
			} else if _, ours := e.(Ours); ours {
				t.Error("ours builds no event timeline")
			}

			if ex, ok := s.(Exporter); ok {
				for _, f := range []string{"csv", "jsonl"} {
					n, heap, err := ex.Export(ctx, f)
					if err != nil || n != c.N || heap == 0 {
						t.Errorf("export %s: %d posts, heap %d, %v; want %d posts", f, n, heap, err, c.N)
					}
				}
			}

			fq := FacetQuery()
			facets, err := s.Facets(ctx, fq)
			if err != nil {
				t.Fatal(err)
			}
			total, _, err := s.Search(ctx, fq)
			if err != nil {
				t.Fatal(err)
			}
			wantFacets := map[string]map[string]int{"source": {}, "lang": {}, "author": {}}
			round := c.N / len(c.Seed)
			for _, i := range engineWant[fq.Name] {
				p := c.Seed[i]
				wantFacets["source"][p.Source] += round
				wantFacets["lang"][p.Lang] += round
				author := p.Author.Handle
				if _, ok := e.(StockBleve); ok {
					author = strings.ToLower(author) // the terms of an analysed field
				}
				wantFacets["author"][author] += round
			}
			for _, f := range []string{"source", "lang", "author"} {
				if !maps.Equal(facets[f], wantFacets[f]) {
					t.Errorf("facet %s: %v, want %v", f, facets[f], wantFacets[f])
				}
				if sum(slices.Collect(maps.Values(facets[f]))) != total {
					t.Errorf("facet %s sums to other than the search total %d", f, total)
				}
			}

			dq, page := DeepPageQuery()
			want := wantIDs(t, e, c, dq)
			var pages [][]string
			for _, n := range []int{0, page} {
				prep, err := s.PreparePage(ctx, dq, n)
				if err != nil {
					t.Fatal(err)
				}
				ids, err := s.Page(ctx, dq, prep)
				if err != nil {
					t.Fatal(err)
				}
				if w := want[n*dq.Size : (n+1)*dq.Size]; !slices.Equal(ids, w) {
					t.Errorf("page %d: %v, want %v", n, ids, w)
				}
				pages = append(pages, ids)
			}
			if len(pages[1]) != dq.Size {
				t.Errorf("deep page has %d ids, want %d", len(pages[1]), dq.Size)
			}
			for _, id := range pages[1] {
				if slices.Contains(pages[0], id) {
					t.Errorf("deep page repeats %s from page 0", id)
				}
			}
		})
	}
}

func allIn(xs, set []string) bool {
	for _, x := range xs {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
