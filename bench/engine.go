package bench

import (
	"context"
	"time"

	"github.com/aftershock/aftershock/post"
)

// Engine is one system under test: ours, or a baseline a user would pick
// instead. An engine is built in one process (Build) and opened for queries
// in another (Open), so the figures of each are the engine's own.
type Engine interface {
	Name() string
	// Build imports the corpus into dir (fresh) and returns when every post is
	// searchable. posts yields the corpus in order, batch by batch.
	Build(ctx context.Context, dir string, corpus Corpus) (BuildResult, error)
	// Open opens what Build left in dir for queries.
	Open(ctx context.Context, dir string) (Searcher, error)
}

// BuildResult is what Build measured besides wall time.
type BuildResult struct {
	StoredSecs float64 // until the last post was durable in the system of record (0 when the engine has none)
	StoreBytes int64   // bytes on disk of the system of record
	IndexBytes int64   // bytes on disk of the search index
}

// Corpus is the replayed corpus: N posts, post i from Post(i).
type Corpus struct {
	Seed  []post.Post
	N     int
	Start time.Time
	Span  time.Duration
}

// Post returns post i of the corpus.
func (c Corpus) Post(i int) post.Post { return Replay(c.Seed, i, c.N, c.Start, c.Span) }

// Searcher answers the benchmark's queries. Every method must do the whole
// work a user-facing page would need (count and ids of the page's hits), and
// must not cache answers between calls.
type Searcher interface {
	// Search returns the total number of hits and the ids of the first page.
	Search(ctx context.Context, q Query) (total int, ids []string, err error)
	// Histogram counts q's hits per bucket of width from q.From to q.To.
	Histogram(ctx context.Context, q Query, width time.Duration) ([]int, error)
	// Facets counts q's hits per source, per language and for the top 10 authors.
	Facets(ctx context.Context, q Query) (map[string]map[string]int, error)
	// Page returns the ids of page number page (0-based) of q sorted newest
	// first, pages of q.Size. An engine may use its fastest correct way to get
	// there (a cursor prepared by PreparePage, or an offset).
	PreparePage(ctx context.Context, q Query, page int) (any, error)
	Page(ctx context.Context, q Query, prepared any) ([]string, error)
	Close() error
}

// EventTimeliner is a Searcher that also builds event timelines (ours
// does; the baselines have no such thing and show "—").
type EventTimeliner interface {
	// EventTimeline builds the timeline of an event covering every post
	// from from to to: volume per source, sentiment, spikes, status
	// markers, in buckets of width. It returns the posts counted.
	EventTimeline(ctx context.Context, from, to time.Time, width time.Duration) (int, error)
}

// Exporter is a Searcher that also exports every post (ours does).
type Exporter interface {
	// Export writes every post in the given export format ("csv",
	// "jsonl") to io.Discard, streaming, and returns the posts written and
	// the peak of the Go heap in use while it ran.
	Export(ctx context.Context, format string) (posts int, peakHeap uint64, err error)
}

// Sort orders of a benchmark query.
const (
	ByRelevance = "relevance"
	ByTime      = "time" // newest first
)

// Query is one benchmark query, with its text in each engine's syntax.
type Query struct {
	Name string // what it stands for: "rare term", "phrase", …
	// Ours is the query in Aftershock's syntax; Bleve in Bleve's query-string
	// syntax (empty: match all); FTS5 an FTS5 MATCH expression (empty: no
	// text condition).
	Ours, Bleve, FTS5 string
	Author            string    // baselines: only posts by this handle (ours has it in Ours as from:)
	From, To          time.Time // half-open time window; zero: unbounded
	Sort              string
	Size              int
}
