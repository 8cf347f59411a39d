package hackernews

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

const (
	// DefaultBaseURL is the Algolia HN Search API.
	DefaultBaseURL = "https://hn.algolia.com/api/v1"
	// DefaultTags is what a Poller follows when Config.Tags is empty.
	DefaultTags = "(story,comment)"

	defaultHitsPerPage = 200
	maxHitsPerPage     = 1000
	// reachable is how many hits of one query Algolia serves (page ×
	// hitsPerPage); beyond it pages come back empty with a message.
	reachable = 1000
	// reindexLag is how far behind the newest hit seen a caught-up Poller
	// asks again, for hits Algolia indexes minutes after their time.
	reindexLag = 15 * time.Minute
)

// Config says what a [Poller] follows.
type Config struct {
	BaseURL string // the API root; DefaultBaseURL when empty
	Query   string // full-text query; "" follows everything of Tags
	Tags    string // Algolia tags filter, e.g. "(story,comment)" or "story,author_pg"; DefaultTags when empty
	// Match keeps a post when it returns true (nil keeps all). Posts it
	// drops still move the cursor.
	Match func(*post.Post) bool

	HitsPerPage int       // hits per request; 200 when 0, at most 1000
	Since       time.Time // where an empty cursor starts; zero: 15 minutes before now
}

// Poller follows the Algolia search_by_date endpoint as a [live.Poller].
type Poller struct {
	cfg    Config
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
	reach  int // reachable; tests lower it
}

// NewPoller returns a Poller for cfg. A nil client is http.DefaultClient, a
// nil log slog.Default().
func NewPoller(cfg Config, client *http.Client, log *slog.Logger) (*Poller, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if u, err := url.Parse(cfg.BaseURL); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("hackernews: base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Tags == "" {
		cfg.Tags = DefaultTags
	}
	switch {
	case cfg.HitsPerPage == 0:
		cfg.HitsPerPage = defaultHitsPerPage
	case cfg.HitsPerPage < 0 || cfg.HitsPerPage > maxHitsPerPage:
		return nil, fmt.Errorf("hackernews: hits per page %d is not in 1..%d", cfg.HitsPerPage, maxHitsPerPage)
	}
	if client == nil {
		client = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	return &Poller{cfg: cfg, client: client, log: log, now: time.Now, reach: reachable}, nil
}

// Name names the source: "hackernews:<tags> <query>".
func (p *Poller) Name() string {
	return strings.TrimSpace("hackernews:" + p.cfg.Tags + " " + p.cfg.Query)
}

// cursor is where a Poller resumes: the next query asks for created_at_i >=
// sec, and ids are the objectIDs already delivered among the hits at sec or
// later, so that hits sharing the boundary second are neither lost nor
// delivered again. Its text form is "<sec>:<id>,<id>,…" (ids sorted).
type cursor struct {
	sec int64
	ids []string
}

func (c cursor) String() string {
	return strconv.FormatInt(c.sec, 10) + ":" + strings.Join(c.ids, ",")
}

func (c cursor) seen(id string) bool {
	_, ok := slices.BinarySearch(c.ids, id)
	return ok
}

// parseCursor reads the text form of a cursor; the ":ids" part is optional.
func parseCursor(s string) (cursor, error) {
	secPart, idPart, _ := strings.Cut(s, ":")
	sec, err := strconv.ParseInt(secPart, 10, 64)
	if err != nil || sec < 0 || sec > maxEpoch {
		return cursor{}, fmt.Errorf("hackernews: cursor %q: %q is not an epoch second", live.Excerpt([]byte(s)), secPart)
	}
	c := cursor{sec: sec}
	if idPart != "" {
		for id := range strings.SplitSeq(idPart, ",") {
			if id == "" || strings.ContainsAny(id, ": \t\r\n") {
				return cursor{}, fmt.Errorf("hackernews: cursor %q: bad id %q", live.Excerpt([]byte(s)), id)
			}
			c.ids = append(c.ids, id)
		}
	}
	slices.Sort(c.ids)
	c.ids = slices.Compact(c.ids)
	return c, nil
}

// response is a search_by_date response.
type response struct {
	Hits    []json.RawMessage `json:"hits"`
	NbHits  int               `json:"nbHits"`
	NbPages int               `json:"nbPages"`
	Page    int               `json:"page"`
	Message string            `json:"message"`
}

// hit is what a Poller needs of a hit to place it.
type hit struct {
	raw     []byte
	id      string
	created int64
}

// Fetch asks for the hits at or after the cursor's second. When they fit in
// one page the batch holds all of them and the Poller is caught up;
// otherwise it holds the oldest page of them (search_by_date returns the
// newest first, so that is its last page, within a window narrowed below
// Algolia's 1,000-hit reach) and More is set.
func (p *Poller) Fetch(ctx context.Context, cur string) (live.Batch, error) {
	var c cursor
	if cur == "" {
		start := p.cfg.Since
		if start.IsZero() {
			start = p.now().Add(-reindexLag)
		}
		c.sec = max(start.Unix(), 0)
	} else {
		var err error
		if c, err = parseCursor(cur); err != nil {
			return live.Batch{}, err
		}
	}
	h := p.cfg.HitsPerPage
	first, hits, err := p.search(ctx, c.sec, 0, 0)
	if err != nil {
		return live.Batch{}, err
	}
	newest := c.sec
	for _, x := range hits {
		newest = max(newest, x.created)
	}
	if first.NbHits <= len(hits) {
		b := p.batch(c, hits)
		b.Cursor = p.next(c, hits, newest).String()
		return b, nil
	}

	// A backlog: find a window [c.sec, hi) that Algolia serves whole and
	// that holds more than the hits already delivered (by bisecting hi),
	// then read it from its last (oldest) page towards the newest.
	hi, resp := newest+1, first
	if resp.NbHits > p.reach {
		few := max(len(c.ids), p.reach/2)
		low, over := c.sec, newest+1 // [c.sec, low) holds few hits, [c.sec, over) too many
		var lowResp response
	bisect:
		for {
			if over-low <= 1 {
				if lowResp.NbHits > len(c.ids) {
					hi, resp = low, lowResp
					break
				}
				p.log.Warn("hackernews: more hits in one second than Algolia serves; some are lost",
					"source", p.Name(), "second", low, "hits", resp.NbHits)
				hi = over
				break
			}
			mid := low + (over-low)/2
			r, _, err := p.search(ctx, c.sec, mid, 0)
			if err != nil {
				return live.Batch{}, err
			}
			switch {
			case r.NbHits > p.reach:
				over = mid
			case r.NbHits <= few:
				low, lowResp = mid, r
			default:
				hi, resp = mid, r
				break bisect
			}
		}
	}
	last := (min(resp.NbHits, p.reach) - 1) / h
	var got []hit
	for page, retried := last, false; page >= 0; page-- {
		r, hs, err := p.search(ctx, c.sec, hi, page)
		if err != nil {
			return live.Batch{}, err
		}
		if lp := (min(r.NbHits, p.reach) - 1) / h; page == last && lp != page && !retried {
			// Hits came or went since the first request: the oldest page
			// moved. Read the page that is the last one now.
			last, page, retried = lp, lp+1, true
			continue
		}
		got = append(got, hs...)
		if progress(c, got) {
			break
		}
	}
	b := p.batch(c, got)
	if !progress(c, got) {
		// Every hit read was delivered before and none is past the
		// cursor's second (more hits share it than a page holds): wait.
		p.log.Warn("hackernews: no progress past the cursor", "source", p.Name(), "cursor", cur)
		return b, nil
	}
	b.Cursor = p.next(c, got, newest).String()
	b.More = true
	return b, nil
}

// progress reports whether hits hold a hit not yet delivered or one past the
// cursor's second, so that the cursor moves.
func progress(c cursor, hits []hit) bool {
	for _, x := range hits {
		if x.created > c.sec || x.created > 0 && !c.seen(x.id) {
			return true
		}
	}
	return false
}

// next is the cursor after the hits read from c: read is every hit from
// c.sec up to the newest of them, except, maybe, some at that newest second;
// newest is the newest hit the API has. The cursor stays reindexLag behind
// newest (never past what was read), with the ids of the hits read since, so
// that a hit Algolia indexes late is still found, and found once. It keeps
// at most half a page of ids, so that the oldest page of the next query has
// room for new hits.
func (p *Poller) next(c cursor, read []hit, newest int64) cursor {
	var placed []hit
	top := c.sec
	for _, x := range read {
		if x.created > 0 {
			placed = append(placed, x)
			top = max(top, x.created)
		}
	}
	sort.SliceStable(placed, func(i, j int) bool { return placed[i].created > placed[j].created })
	n := cursor{sec: max(c.sec, min(top, newest-int64(reindexLag/time.Second)))}
	if keep := max(p.cfg.HitsPerPage/2, 1); len(placed) > keep {
		n.sec = max(n.sec, placed[keep-1].created)
	}
	for _, x := range placed {
		if x.created >= n.sec {
			n.ids = append(n.ids, x.id)
		}
	}
	if n.sec == c.sec {
		n.ids = append(n.ids, c.ids...)
	}
	slices.Sort(n.ids)
	n.ids = slices.Compact(n.ids)
	return n
}

// batch decodes the hits not delivered yet.
func (p *Poller) batch(c cursor, hits []hit) live.Batch {
	var b live.Batch
	for _, x := range hits {
		if x.created == 0 { // could not be placed: not a hit we can read
			b.Skipped++
			p.log.Warn("hackernews: hit without objectID or created_at_i", "source", p.Name(), "hit", live.Excerpt(x.raw))
			continue
		}
		if x.created >= c.sec && c.seen(x.id) {
			continue
		}
		for it := range DecodeAlgolia(bytes.NewReader(x.raw)) {
			switch {
			case it.Err != nil:
				b.Skipped++
				p.log.Warn("hackernews: skipping hit", "source", p.Name(), "err", it.Err, "hit", live.Excerpt(x.raw))
			case it.Expect != nil:
				// A count the input announces is for file imports; live
				// sources ignore it.
			case it.Delete != nil:
				b.Deletes = append(b.Deletes, *it.Delete)
			case it.Post != nil && (p.cfg.Match == nil || p.cfg.Match(it.Post)):
				b.Posts = append(b.Posts, *it.Post)
			}
		}
	}
	return b
}

// search asks for one page of the hits with lo <= created_at_i (< hi unless
// hi is 0), newest first.
func (p *Poller) search(ctx context.Context, lo, hi int64, page int) (response, []hit, error) {
	filters := "created_at_i>=" + strconv.FormatInt(lo, 10)
	if hi > 0 {
		filters += ",created_at_i<" + strconv.FormatInt(hi, 10)
	}
	q := url.Values{
		"query":          {p.cfg.Query},
		"tags":           {p.cfg.Tags},
		"numericFilters": {filters},
		"hitsPerPage":    {strconv.Itoa(p.cfg.HitsPerPage)},
		"page":           {strconv.Itoa(page)},
	}
	u := p.cfg.BaseURL + "/search_by_date?" + q.Encode()
	body, _, err := live.Get(ctx, p.client, u, nil)
	if err != nil {
		return response{}, nil, err
	}
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		return response{}, nil, fmt.Errorf("hackernews: %s: response is not a search response: %v (%s)", u, err, live.Excerpt(body))
	}
	if len(r.Hits) == 0 && r.Message != "" {
		return response{}, nil, fmt.Errorf("hackernews: %s: %s", u, r.Message)
	}
	hits := make([]hit, 0, len(r.Hits))
	for _, raw := range r.Hits {
		var k struct {
			ObjectID flexID  `json:"objectID"`
			Created  flexInt `json:"created_at_i"`
		}
		x := hit{raw: raw}
		if json.Unmarshal(raw, &k) == nil && k.ObjectID.s != "" && !strings.ContainsAny(k.ObjectID.s, ":, \t\r\n") &&
			k.Created.n > 0 && k.Created.n <= maxEpoch {
			x.id, x.created = k.ObjectID.s, k.Created.n
		}
		hits = append(hits, x)
	}
	return r, hits, nil
}
