package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
	"github.com/aftershock/aftershock/web/chart"
)

// searchParams are the query parameters of the search page and its API
// twin.
type searchParams struct {
	Q         string `json:"q"`
	Source    string `json:"source,omitempty"`    // comma-separated
	Lang      string `json:"lang,omitempty"`      // comma-separated
	Sentiment string `json:"sentiment,omitempty"` // comma-separated
	Author    string `json:"author,omitempty"`
	Has       string `json:"has,omitempty"` // links, media, or both comma-separated
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Sort      string `json:"sort,omitempty"` // relevance (default), newest, oldest, engagement
	After     string `json:"after,omitempty"`
	Size      int    `json:"size,omitempty"`
	TZ        string `json:"tz,omitempty"`
	Event     string `json:"event,omitempty"` // narrow to an event's query and window
}

func readSearchParams(c *gin.Context) searchParams {
	size, _ := strconv.Atoi(c.Query("size"))
	return searchParams{Q: c.Query("q"), Source: c.Query("source"), Lang: c.Query("lang"), Sentiment: c.Query("sentiment"),
		Author: c.Query("author"), Has: c.Query("has"), From: c.Query("from"), To: c.Query("to"), Sort: c.Query("sort"),
		After: c.Query("after"), Size: size, TZ: c.Query("tz"), Event: c.Query("event")}
}

// searchView is the search page, and the JSON of /api/v1/search.
type searchView struct {
	Params      searchParams               `json:"params"`
	Total       uint64                     `json:"total"`
	TookMS      float64                    `json:"took_ms"`
	Posts       []postView                 `json:"posts"`
	Next        string                     `json:"next,omitempty"` // cursor of the next page
	Facets      map[string][]facet         `json:"facets"`
	FacetList   []namedFacets              `json:"-"` // the facets in the order the page shows them
	Histogram   []index.Bucket             `json:"histogram"`
	Width       string                     `json:"bucket"`
	Chart       []byte                     `json:"-"`
	Collections []store.Collection         `json:"-"`
	Location    *time.Location             `json:"-"`
	Zone        string                     `json:"time_zone"`
	EventName   string                     `json:"event_name,omitempty"`
	Searched    bool                       `json:"-"`
	Help        []struct{ Q, What string } `json:"-"`
}

type namedFacets struct {
	Name   string
	Values []facet
}

// facetOrder is the order of the facets beside the results.
var facetOrder = []string{"source", "lang", "sentiment", "hashtag", "author", "domain"}

type facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	URL   string `json:"-"` // this search narrowed to the value
}

// PageTitle implements titled.
func (v *searchView) PageTitle() string {
	if v.Params.Q != "" {
		return v.Params.Q + " — search"
	}
	return "Search"
}

var searchHelp = []struct{ Q, What string }{
	{`s3 outage`, "both words (inflected forms too: outages, Ausfälle)"},
	{`s3 OR aws`, "either word"},
	{`"is down"`, "the exact phrase"},
	{`outage -coffee`, "without a word"},
	{`#aws @awscloud from:alice`, "hashtag, mention, author"},
	{`source:mastodon lang:de`, "platform, language"},
	{`sentiment:negative has:links`, "tone, with links or media"},
}

// search answers the search page's query, from the cache when the same
// query string was answered since the index last changed (a newsroom
// watching the same incident runs the same searches).
func (s *Server) search(c *gin.Context) (*searchView, error) {
	seq, err := s.a.Index.LastSeq()
	if err != nil {
		return nil, err
	}
	// The request's context, not c: its deadline and the client's leaving
	// end the search.
	ctx := c.Request.Context()
	key := pageKey{slug: "search", seq: seq, query: c.Request.URL.RawQuery}
	v, err := s.searches.get(ctx, key, s.cfg.Now(), func() (*searchView, error) { return s.runSearch(ctx, c) })
	if err != nil {
		return nil, err
	}
	cp := *v
	// The collections offered in the "add to" forms are read fresh.
	if cp.Collections, err = s.a.Store.Collections(ctx); err != nil {
		return nil, err
	}
	return &cp, nil
}

// runSearch runs the search page's query (the parameters of c) with ctx.
func (s *Server) runSearch(ctx context.Context, c *gin.Context) (*searchView, error) {
	p := readSearchParams(c)
	loc, err := zoneOf(p.TZ)
	if err != nil {
		return nil, err
	}
	v := &searchView{Params: p, Location: loc, Zone: loc.String(), Help: searchHelp}
	if p.Size < 0 || p.Size > index.MaxSize {
		return nil, badRequest("size must be from 1 to %d", index.MaxSize)
	}
	q := index.Query{Text: p.Q, Sources: splitList(p.Source), Langs: splitList(p.Lang), Sentiments: splitList(p.Sentiment),
		Author: p.Author, Has: splitList(p.Has), After: p.After, Size: p.Size, Facets: true}
	for _, h := range q.Has {
		if h != "links" && h != "media" {
			return nil, badRequest("has must be links or media")
		}
	}
	if q.From, err = parseFormTime(p.From, loc); err != nil {
		return nil, badRequest("from: %v", err)
	}
	if q.To, err = parseFormTime(p.To, loc); err != nil {
		return nil, badRequest("to: %v", err)
	}
	if q.Sort, err = index.ParseSort(p.Sort); err != nil {
		return nil, badRequest("%v", err)
	}
	if p.Event != "" {
		ev, err := s.a.Store.Event(ctx, p.Event)
		if err != nil {
			return nil, err
		}
		v.EventName = ev.Name
		q = ev.Narrow(q, s.cfg.Now())
	}
	// The histogram of the whole result set, in buckets that fit its span:
	// the window's, or where it is open, the hits' (an archive may span
	// decades; hours would be too many buckets).
	span, err := s.hitSpan(ctx, q)
	if err != nil {
		return nil, err
	}
	q.Histogram = autoBucket(span)
	res, err := s.a.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	v.Searched = true
	v.Total, v.TookMS, v.Next = res.Total, float64(res.Took.Microseconds())/1000, res.Next
	v.Histogram, v.Width = res.Histogram, q.Histogram.String()
	terms := queryTerms(p.Q)
	for _, st := range res.Posts {
		v.Posts = append(v.Posts, newPostView(st, terms))
	}
	v.Facets = map[string][]facet{}
	for name, fcs := range res.Facets {
		for _, f := range fcs {
			v.Facets[name] = append(v.Facets[name], facet{Value: f.Value, Count: f.Count, URL: narrowed(c, name, f.Value)})
		}
	}
	for _, name := range facetOrder {
		if len(v.Facets[name]) > 0 {
			v.FacetList = append(v.FacetList, namedFacets{name, v.Facets[name]})
		}
	}
	v.Chart = chart.Histogram(res.Histogram, q.Histogram, loc, func(b index.Bucket, from, to time.Time) string {
		u := *c.Request.URL
		vals := u.Query()
		vals.Set("from", from.In(loc).Format(formTimeLayout))
		vals.Set("to", to.In(loc).Format(formTimeLayout))
		vals.Del("after")
		u.RawQuery = vals.Encode()
		return "/search?" + u.RawQuery
	}, 760, 90)
	return v, nil
}

// narrowed is the current search with one facet value added as a filter.
func narrowed(c *gin.Context, name, value string) string {
	param := map[string]string{"source": "source", "lang": "lang", "sentiment": "sentiment", "author": "author"}[name]
	vals := c.Request.URL.Query()
	vals.Del("after")
	if param == "" {
		// hashtag and domain narrow through the query text.
		prefix := map[string]string{"hashtag": "#", "domain": "domain:"}[name]
		if prefix == "" {
			return ""
		}
		vals.Set("q", strings.TrimSpace(vals.Get("q")+" "+prefix+value))
	} else {
		vals.Set(param, value)
	}
	return "/search?" + vals.Encode()
}

func (s *Server) searchPage(c *gin.Context) {
	if c.Request.URL.RawQuery == "" {
		s.render(c, http.StatusOK, "search", &searchView{Location: time.UTC, Zone: "UTC", Help: searchHelp})
		return
	}
	v, err := s.search(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "search", v)
}

func (s *Server) searchAPI(c *gin.Context) {
	v, err := s.search(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// autoBucket picks a histogram width for a span: about 50 to 150 bars.
// hitSpan returns how long a time the hits of q span: its window, with an
// open end closed at the oldest or newest hit (two one-hit searches sorted by
// time, which stop early).
func (s *Server) hitSpan(ctx context.Context, q index.Query) (time.Duration, error) {
	from, to := q.From, q.To
	end := func(sort index.Sort) (time.Time, error) {
		e := q
		e.Sort, e.Size, e.After, e.Facets, e.Histogram = sort, 1, "", false, 0
		res, err := s.a.Search(ctx, e)
		if err != nil || len(res.Hits) == 0 {
			return time.Time{}, err
		}
		return res.Hits[0].Created, nil
	}
	var err error
	if from.IsZero() {
		if from, err = end(index.Oldest); err != nil {
			return 0, err
		}
	}
	if to.IsZero() {
		if to, err = end(index.Newest); err != nil {
			return 0, err
		}
	}
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return 0, nil // no hits: any width will do
	}
	return to.Sub(from), nil
}

func autoBucket(span time.Duration) time.Duration {
	for _, w := range []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour,
		6 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, 91 * 24 * time.Hour} {
		if span <= 150*w {
			return w
		}
	}
	return 365 * 24 * time.Hour
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// queryTerms are the terms to highlight; a query that does not parse has
// none (the search itself reports the error).
func queryTerms(q string) []string {
	pq, err := index.ParseQuery(q)
	if err != nil {
		return nil
	}
	return pq.Terms()
}
