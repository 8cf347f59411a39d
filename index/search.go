package index

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sort orders search hits.
type Sort int

const (
	Relevance  Sort = iota // best match first; ties newest first
	Newest                 // newest first; ties by id descending
	Oldest                 // oldest first; ties by id ascending (exactly the reverse of Newest)
	Engagement             // most likes + reposts + replies + quotes first; ties newest first, then by id
)

func (s Sort) String() string {
	switch s {
	case Relevance:
		return "relevance"
	case Newest:
		return "newest"
	case Oldest:
		return "oldest"
	case Engagement:
		return "engagement"
	}
	return "Sort(" + strconv.Itoa(int(s)) + ")"
}

// ParseSort reads a sort order by name: "relevance" (or "score", or ""),
// "newest" (or "time"), "oldest", "engagement" — the names the command
// line and the web app take.
func ParseSort(name string) (Sort, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "relevance", "score":
		return Relevance, nil
	case "newest", "time":
		return Newest, nil
	case "oldest":
		return Oldest, nil
	case "engagement":
		return Engagement, nil
	}
	return 0, fmt.Errorf("sort must be relevance, newest (time), oldest or engagement, not %q", name)
}

// Limits.
const (
	DefaultSize = 20     // hits per page when Query.Size is 0
	MaxSize     = 1000   // larger sizes are cut to this
	MaxBuckets  = 20_000 // most histogram buckets one search returns
)

// More errors.
var (
	// ErrBadCursor means Query.After is not a cursor this index made for
	// the same sort order.
	ErrBadCursor = errors.New("index: invalid page cursor")
	// ErrTooManyBuckets means the histogram would have more than MaxBuckets
	// buckets: ask for a wider bucket or a shorter time range.
	ErrTooManyBuckets = errors.New("index: too many histogram buckets")
)

// Query is a search. The zero Query matches every post, 20 per page, by
// relevance (all equal, so newest first).
type Query struct {
	Text    string   // query language, see the package documentation; "" matches all
	Sources []string // any of these sources ("twitter", "mastodon", …); nil = all
	Langs   []string // any of these languages ("de", "en"); nil = all
	Author  string   // author handle, with or without '@'
	Hashtag string   // with or without '#'
	Mention string   // mentioned handle, with or without '@'
	Domain  string   // a link's domain or a parent of it
	// Sentiments keeps posts with any of these labels ("negative",
	// "neutral", "positive"); nil = all, scored or not.
	Sentiments []string
	// MinScore and MaxScore bound the sentiment compound score (inclusive);
	// nil = unbounded. A bound leaves out posts that were not scored.
	MinScore, MaxScore *float64
	From               time.Time
	To                 time.Time // posts created in [From, To); a zero bound is open

	ExcludeDeleted bool // leave out posts deleted at their source
	// Has keeps posts that have all of these: "links", "media".
	Has []string

	Sort  Sort
	Size  int    // hits per page: 0 = DefaultSize, at most MaxSize; < 0 = no hits, counts only
	After string // Results.Next of the previous page, made with the same Sort

	Facets    bool          // count hits per source, lang, sentiment, and the top 10 authors, hashtags, domains
	Histogram time.Duration // bucket width for counts over time; 0 = none
}

// Results of a search.
type Results struct {
	Total uint64 // hits in all pages
	Hits  []Hit  // this page
	// Next is the cursor for the next page, "" if this is the last. Paging
	// by time never repeats or skips a post that was indexed when paging
	// began; paging by relevance is exact while the index is unchanged, as
	// new posts change scores.
	Next      string
	Facets    map[string][]FacetCount // "source", "lang", "author", "hashtag", "domain", "sentiment"
	Histogram []Bucket                // oldest first, empty buckets included
	Took      time.Duration
}

// Hit is one matching post.
type Hit struct {
	ID      string
	Score   float64   // relevance; 0 unless sorted by Relevance
	Created time.Time // when sorted by time (Newest, Oldest) or with a histogram; zero otherwise
}

// FacetCount is how many hits have one value of a facet field.
type FacetCount struct {
	Value string
	Count int
}

// Bucket counts the hits created in [Start, Start+width).
type Bucket struct {
	Start time.Time
	Count uint64
}

// Search runs q. A malformed q.Text yields a *SyntaxError.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	if q.Sort < Relevance || q.Sort > Engagement {
		return nil, fmt.Errorf("index: unknown sort order %d", int(q.Sort))
	}
	if q.Histogram < 0 {
		return nil, fmt.Errorf("index: negative histogram width %v", q.Histogram)
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.Histogram > 0 {
		if n := bucketCount(q.From, q.To.Add(-1), q.Histogram); n > MaxBuckets {
			return nil, fmt.Errorf("%w: %d buckets of %v (at most %d)", ErrTooManyBuckets, n, q.Histogram, MaxBuckets)
		}
	}
	top, err := buildQuery(q)
	if err != nil {
		return nil, err
	}

	size := q.Size
	switch {
	case size == 0:
		size = DefaultSize
	case size > MaxSize:
		size = MaxSize
	case size < 0:
		size = 0
	}
	order := sortOrder(q.Sort, q.Histogram > 0)
	if size == 0 {
		// Counts only: sort by nothing Bleve must look up per hit (a
		// histogram reads the creation times itself: hooks.go).
		order = search.SortOrder{&search.SortScore{Desc: true}}
	}
	req := bleve.NewSearchRequestOptions(top, size+1, 0, false)
	req.SortByCustom(order)
	if size == 0 {
		req.Size = 0
	}
	if q.Sort != Relevance || size == 0 {
		req.Score = "none"
	}
	var after []string
	if q.After != "" {
		if after, err = decodeCursor(q.After, q.Sort, order); err != nil {
			return nil, err
		}
		req.SetSearchAfter(after)
	}
	if (q.Sort == Newest || q.Sort == Oldest) && !q.Facets && q.Histogram == 0 && size > 0 {
		res, ok, err := ix.searchByWindows(ctx, q, top, size, order, after)
		if err != nil {
			return nil, err
		}
		if ok {
			res.Took = time.Since(start)
			return res, nil
		}
	}
	var (
		hooks     []hitHook
		histogram func() ([]Bucket, error)
		facets    func() map[string][]FacetCount
	)
	if q.Histogram > 0 {
		var h hitHook
		h, histogram = newHistogram(q.Histogram, createdIndex(order), q.From, q.To)
		hooks = append(hooks, h)
	}
	if q.Facets {
		var h hitHook
		h, facets = newFacets()
		hooks = append(hooks, h)
	}
	if len(hooks) > 0 {
		ctx = withHooks(ctx, hooks...)
	}
	res, err := ix.search(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	out := &Results{Total: res.Total}
	out.Hits, out.Next = page(q.Sort, res.Hits, size, order)
	if facets != nil {
		out.Facets = facets()
	}
	if histogram != nil {
		if out.Histogram, err = histogram(); err != nil {
			return nil, err
		}
	}
	out.Took = time.Since(start)
	return out, nil
}

// page turns Bleve's hits (size+1 asked for, to know whether more follow)
// into a page of at most size hits and the cursor of the next page ("" for
// the last); size 0 means counts only, no cursor.
func page(s Sort, hits search.DocumentMatchCollection, size int, order search.SortOrder) ([]Hit, string) {
	out := make([]Hit, 0, min(len(hits), size))
	for i, h := range hits {
		if i == size && size > 0 {
			return out, encodeCursor(s, hits[i-1], order)
		}
		hit := Hit{ID: h.ID}
		if s == Relevance && !math.IsNaN(h.Score) && !math.IsInf(h.Score, 0) {
			hit.Score = h.Score
		}
		for j, o := range order {
			if isTimeSort(o) && j < len(h.Sort) {
				hit.Created, _ = termTime(h.Sort[j])
			}
		}
		out = append(out, hit)
	}
	return out, ""
}

// buildQuery combines the parsed text with the filters. Filters do not
// change scores.
func buildQuery(q Query) (query.Query, error) {
	pq, err := ParseQuery(q.Text)
	if err != nil {
		return nil, err
	}
	var must query.Query
	if !pq.MatchesAll() {
		must = compile(pq.root)
		if must == nil {
			// Nothing searchable in the text (punctuation only): no hits.
			// Returned alone because a boolean query ignores a match-none
			// clause.
			return query.NewMatchNoneQuery(), nil
		}
	}

	var filters []query.Query
	anyOf := func(field string, values []string, norm func(string) string) {
		var qs []query.Query
		for _, v := range values {
			if v = norm(v); v != "" {
				qs = append(qs, termQuery(field, v))
			}
		}
		switch len(qs) {
		case 0:
		case 1:
			filters = append(filters, qs[0])
		default:
			filters = append(filters, query.NewDisjunctionQuery(qs))
		}
	}
	lower := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	anyOf(fSource, q.Sources, lower)
	anyOf(fLang, q.Langs, normLang)
	anyOf(fAuthor, []string{q.Author}, normHandle)
	anyOf(fHashtag, []string{q.Hashtag}, normTag)
	anyOf(fMention, []string{q.Mention}, normHandle)
	anyOf(fDomainAny, []string{q.Domain}, normDomain)
	anyOf(fSentiment, q.Sentiments, lower)
	for _, h := range q.Has {
		anyOf(fHas, []string{h}, lower) // each one required
	}
	if q.MinScore != nil || q.MaxScore != nil {
		yes := true
		r := query.NewNumericRangeInclusiveQuery(q.MinScore, q.MaxScore, &yes, &yes)
		r.SetField(fSentimentScore)
		filters = append(filters, r)
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		yes, no := true, false
		r := query.NewDateRangeInclusiveQuery(q.From, q.To, &yes, &no)
		r.SetField(fCreated)
		filters = append(filters, r)
	}

	var mustNot query.Query
	if q.ExcludeDeleted {
		d := query.NewBoolFieldQuery(true)
		d.SetField(fDeleted)
		mustNot = d
	}

	if len(filters) == 0 && mustNot == nil {
		if must == nil {
			return query.NewMatchAllQuery(), nil
		}
		return must, nil
	}
	if q.Sort != Relevance {
		// No scores wanted: the text and the filters as one conjunction,
		// which Bleve walks from its rarest clause. As a boolean query's
		// filter they are checked against every hit of the text, or every
		// post when there is no text (pprof: 38 ms for one author among a
		// million posts, 4 ms so).
		all := filters
		if must != nil {
			all = append([]query.Query{must}, filters...)
		}
		var c query.Query = query.NewConjunctionQuery(all)
		if len(all) == 1 {
			c = all[0]
		}
		if mustNot == nil {
			return c, nil
		}
		b := query.NewBooleanQuery(nil, nil, nil)
		b.Must, b.MustNot = c, mustNot
		return b, nil
	}
	b := query.NewBooleanQuery(nil, nil, nil)
	b.Must = must
	b.MustNot = mustNot
	switch len(filters) {
	case 0:
	case 1:
		b.Filter = filters[0]
	default:
		b.Filter = query.NewConjunctionQuery(filters)
	}
	return b, nil
}

func createdSort(desc bool) search.SearchSort {
	return &search.SortField{Field: fTime, Type: search.SortFieldAsString, Desc: desc}
}

// timeTerm is the fTime term of t.
func timeTerm(t time.Time) string {
	return string(numeric.MustNewPrefixCodedInt64(t.UnixNano(), 0))
}

// termTime reads an fTime term or sort value; ok is false for anything
// else, such as the sort value of a hit without a creation time.
func termTime(v string) (time.Time, bool) {
	ns, err := numeric.PrefixCoded(v).Int64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, ns).UTC(), true
}

// isTimeSort tells whether s sorts by the creation time.
func isTimeSort(s search.SearchSort) bool {
	f, ok := s.(*search.SortField)
	return ok && f.Field == fTime
}

// sortOrder returns the Bleve sort for s; every order ends in the document
// id, so SearchAfter cursors are exact. Relevance breaks ties by id alone,
// since reading every hit's creation time from the doc values is what made
// relevance-sorted searches slow (pprof); only with a histogram, which
// needs it anyway, does it sort newest first among equal scores.
func sortOrder(s Sort, withCreated bool) search.SortOrder {
	switch s {
	case Newest:
		return search.SortOrder{createdSort(true), &search.SortDocID{Desc: true}}
	case Oldest:
		return search.SortOrder{createdSort(false), &search.SortDocID{}}
	case Engagement:
		return search.SortOrder{&search.SortField{Field: fEngagement, Type: search.SortFieldAsNumber, Desc: true},
			createdSort(true), &search.SortDocID{Desc: true}}
	}
	if withCreated {
		return search.SortOrder{&search.SortScore{Desc: true}, createdSort(true), &search.SortDocID{}}
	}
	return search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}}
}

// createdIndex returns the position of the creation time in order.
func createdIndex(order search.SortOrder) int {
	for i, s := range order {
		if isTimeSort(s) {
			return i
		}
	}
	return -1
}

// cursor is what Results.Next encodes: the sort order and the last hit's
// sort values.
type cursor struct {
	S Sort     `json:"s"`
	V []string `json:"v"`
}

func encodeCursor(s Sort, h *search.DocumentMatch, order search.SortOrder) string {
	c := cursor{S: s, V: make([]string, len(h.DecodedSort))}
	copy(c.V, h.DecodedSort)
	for i, o := range order {
		if i < len(c.V) && isTimeSort(o) {
			if t, ok := termTime(c.V[i]); ok {
				c.V[i] = t.Format(time.RFC3339Nano) // readable; decodeCursor codes it back
			}
		}
	}
	if s == Relevance && len(c.V) > 0 {
		c.V[0] = strconv.FormatFloat(h.Score, 'g', -1, 64)
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, want Sort, order search.SortOrder) ([]string, error) {
	n := len(order)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, ErrBadCursor
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.S != want || len(c.V) != n {
		return nil, ErrBadCursor
	}
	for i, s := range order {
		switch s := s.(type) {
		case *search.SortField:
			switch {
			case s.Type == search.SortFieldAsNumber:
				if _, err := strconv.ParseFloat(c.V[i], 64); err != nil {
					return nil, ErrBadCursor
				}
			case isTimeSort(s) && (c.V[i] == search.HighTerm || c.V[i] == search.LowTerm):
				// the last hit had no creation time
			case isTimeSort(s):
				t, err := time.Parse(time.RFC3339Nano, c.V[i])
				if err != nil || t.Before(document.MinTimeRepresentable) || t.After(document.MaxTimeRepresentable) {
					return nil, ErrBadCursor
				}
				c.V[i] = timeTerm(t)
			default:
				return nil, ErrBadCursor
			}
		case *search.SortScore:
			if _, err := strconv.ParseFloat(c.V[i], 64); err != nil {
				return nil, ErrBadCursor
			}
		}
	}
	return c.V, nil
}
