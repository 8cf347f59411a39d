package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// stockDir is where StockBleve keeps its index below the build directory.
const stockDir = "stock.bleve"

// StockBleve is the baseline a Go user would reach for first: Bleve with
// its default index mapping, fed a flat document per post in batches of
// [BatchSize], and queried the way Bleve's documentation shows. Nothing is
// tuned on purpose; that is the point of the baseline.
//
// What the default mapping means for the results: every string field goes
// through the "standard" analyser (Unicode word segmentation, lower-casing,
// English stop words, no stemming), so an English stop word is unsearchable,
// a German inflected form matches only itself, author and language are
// matched and faceted as analysed tokens ("PhillyNEFL" is the term
// "phillynefl", and the language "it" is dropped as a stop word), and
// created, a time.Time, is indexed as a datetime field.
type StockBleve struct{}

var _ Engine = StockBleve{}

// stockBleveDoc is the document StockBleve indexes for a post.
type stockBleveDoc struct {
	Text     string    `json:"text"`
	Author   string    `json:"author"`
	Source   string    `json:"source"`
	Lang     string    `json:"lang"`
	Created  time.Time `json:"created"`
	Hashtags []string  `json:"hashtags"` // lower-cased, without '#'
}

// Name returns "stock-bleve".
func (StockBleve) Name() string { return "stock-bleve" }

// Build creates dir/stock.bleve with the default mapping and indexes the
// corpus in batches of [BatchSize]. The index is searchable when the last
// batch returns; StockBleve has no system of record, so StoredSecs and
// StoreBytes are 0.
func (StockBleve) Build(ctx context.Context, dir string, corpus Corpus) (BuildResult, error) {
	var r BuildResult
	path := filepath.Join(dir, stockDir)
	ix, err := bleve.New(path, bleve.NewIndexMapping())
	if err != nil {
		return r, fmt.Errorf("stock-bleve: %w", err)
	}
	b := ix.NewBatch()
	for i := range corpus.N {
		p := corpus.Post(i)
		tags := make([]string, 0, len(p.Hashtags))
		for _, h := range p.Hashtags {
			tags = append(tags, strings.ToLower(strings.TrimPrefix(h, "#")))
		}
		doc := stockBleveDoc{Text: p.Text, Author: p.Author.Handle, Source: p.Source, Lang: p.Lang, Created: p.CreatedAt, Hashtags: tags}
		if err := b.Index(p.ID, doc); err != nil {
			ix.Close()
			return r, fmt.Errorf("stock-bleve: %w", err)
		}
		if b.Size() == BatchSize || i == corpus.N-1 {
			if err := ctx.Err(); err != nil {
				ix.Close()
				return r, err
			}
			if err := ix.Batch(b); err != nil {
				ix.Close()
				return r, fmt.Errorf("stock-bleve: %w", err)
			}
			b.Reset()
		}
	}
	if err := ix.Close(); err != nil {
		return r, fmt.Errorf("stock-bleve: %w", err)
	}
	r.IndexBytes = dirSize(path, nil)
	return r, nil
}

// Open opens the index Build left in dir.
func (StockBleve) Open(ctx context.Context, dir string) (Searcher, error) {
	ix, err := bleve.Open(filepath.Join(dir, stockDir))
	if err != nil {
		return nil, fmt.Errorf("stock-bleve: %w", err)
	}
	return &stockSearcher{ix: ix}, nil
}

// stockSearcher answers queries from a stock Bleve index.
type stockSearcher struct {
	ix bleve.Index
}

// query is q as one Bleve query: the query string (match all when empty),
// and when set an author match and a half-open date range on created.
func (s *stockSearcher) query(q Query) query.Query {
	var parts []query.Query
	if q.Bleve != "" {
		parts = append(parts, bleve.NewQueryStringQuery(q.Bleve))
	}
	if q.Author != "" {
		m := bleve.NewMatchQuery(q.Author)
		m.SetField("author")
		m.SetOperator(query.MatchQueryOperatorAnd)
		parts = append(parts, m)
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		incl, excl := true, false
		r := bleve.NewDateRangeInclusiveQuery(q.From, q.To, &incl, &excl)
		r.SetField("created")
		parts = append(parts, r)
	}
	switch len(parts) {
	case 0:
		return bleve.NewMatchAllQuery()
	case 1:
		return parts[0]
	}
	return bleve.NewConjunctionQuery(parts...)
}

func (s *stockSearcher) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := s.ix.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("stock-bleve: %w", err)
	}
	return res, nil
}

func hitIDs(res *bleve.SearchResult) []string {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

// Search runs q for its first page, by score or newest first.
func (s *stockSearcher) Search(ctx context.Context, q Query) (int, []string, error) {
	req := bleve.NewSearchRequestOptions(s.query(q), q.Size, 0, false)
	if q.Sort == ByTime {
		req.SortBy([]string{"-created"})
	} else {
		req.SortBy([]string{"-_score"})
	}
	res, err := s.search(ctx, req)
	if err != nil {
		return 0, nil, err
	}
	return int(res.Total), hitIDs(res), nil
}

// Histogram counts q's hits per bucket the way Bleve offers it: a date-range
// facet on created with one named range per bucket, and no hits.
func (s *stockSearcher) Histogram(ctx context.Context, q Query, width time.Duration) ([]int, error) {
	if q.From.IsZero() || q.To.IsZero() || width <= 0 || !q.From.Before(q.To) {
		return nil, errors.New("stock-bleve: histogram needs From < To and a positive width")
	}
	n := int((q.To.Sub(q.From) + width - 1) / width)
	f := bleve.NewFacetRequest("created", n) // size n, or Bleve keeps only the fullest buckets
	for i := range n {
		lo := q.From.Add(time.Duration(i) * width)
		hi := lo.Add(width)
		if hi.After(q.To) {
			hi = q.To
		}
		f.AddDateTimeRange(strconv.Itoa(i), lo, hi)
	}
	req := bleve.NewSearchRequestOptions(s.query(q), 0, 0, false)
	req.AddFacet("created", f)
	res, err := s.search(ctx, req)
	if err != nil {
		return nil, err
	}
	counts := make([]int, n)
	for _, d := range res.Facets["created"].DateRanges {
		i, err := strconv.Atoi(d.Name)
		if err != nil || i < 0 || i >= n {
			return nil, fmt.Errorf("stock-bleve: unexpected date range %q", d.Name)
		}
		counts[i] = d.Count
	}
	return counts, nil
}

// Facets counts q's hits per source, language and author (top 10) with
// terms facets, under the keys "source", "lang" and "author", and fetches no
// hits (as the FTS5 baseline runs only its GROUP BY queries). The terms are
// the analysed tokens of each field (see [StockBleve]).
func (s *stockSearcher) Facets(ctx context.Context, q Query) (map[string]map[string]int, error) {
	req := bleve.NewSearchRequestOptions(s.query(q), 0, 0, false)
	fields := []string{"source", "lang", "author"}
	for _, f := range fields {
		req.AddFacet(f, bleve.NewFacetRequest(f, 10))
	}
	res, err := s.search(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]int, len(fields))
	for _, f := range fields {
		m := map[string]int{}
		if fr := res.Facets[f]; fr != nil {
			for _, t := range fr.Terms.Terms() {
				m[t.Term] = t.Count
			}
		}
		out[f] = m
	}
	return out, nil
}

// PreparePage returns the page number: stock Bleve users page with From.
func (s *stockSearcher) PreparePage(ctx context.Context, q Query, page int) (any, error) {
	return page, nil
}

// Page runs q newest first with From = page × q.Size.
func (s *stockSearcher) Page(ctx context.Context, q Query, prepared any) ([]string, error) {
	page, ok := prepared.(int)
	if !ok {
		return nil, fmt.Errorf("stock-bleve: prepared page is %T, not a page number", prepared)
	}
	req := bleve.NewSearchRequestOptions(s.query(q), q.Size, page*q.Size, false)
	req.SortBy([]string{"-created"})
	res, err := s.search(ctx, req)
	if err != nil {
		return nil, err
	}
	return hitIDs(res), nil
}

// Close closes the index.
func (s *stockSearcher) Close() error { return s.ix.Close() }
