package hackernews

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/collector/live/livetest"
	"github.com/aftershock/aftershock/post"
)

// fakeHit is one hit the fake Algolia index holds.
type fakeHit struct {
	raw     json.RawMessage
	id      string
	created int64
	tags    []string
}

// algoliaFake serves search_by_date like Algolia: numericFilters on
// created_at_i, tags with AND/OR groups, newest first, 0-based pages, the
// 1,000-hit reach (here reach, smaller, so tests can hit it), and a status
// on demand for given request numbers.
type algoliaFake struct {
	t      *testing.T
	mu     sync.Mutex
	hits   []fakeHit
	reach  int
	reqs   int
	fail   map[int]int // request number (1-based) → status to answer with
	beyond int         // requests for pages past the reach
}

func (f *algoliaFake) add(t *testing.T, raw []byte) {
	t.Helper()
	var k struct {
		ObjectID string   `json:"objectID"`
		Created  int64    `json:"created_at_i"`
		Tags     []string `json:"_tags"`
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits = append(f.hits, fakeHit{raw: raw, id: k.ObjectID, created: k.Created, tags: k.Tags})
}

func algoliaError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"message":%q,"status":%d}`, msg, status)
}

func (f *algoliaFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs++
	if r.URL.Path != "/api/v1/search_by_date" {
		algoliaError(w, http.StatusNotFound, "Not Found")
		return
	}
	if ua := r.Header.Get("User-Agent"); ua != live.UserAgent {
		f.t.Errorf("User-Agent %q", ua)
	}
	if st := f.fail[f.reqs]; st != 0 {
		algoliaError(w, st, http.StatusText(st))
		return
	}
	q := r.URL.Query()
	hpp, page := 20, 0
	if v := q.Get("hitsPerPage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1000 {
			algoliaError(w, http.StatusBadRequest, "invalid hitsPerPage")
			return
		}
		hpp = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			algoliaError(w, http.StatusBadRequest, "invalid page")
			return
		}
		page = n
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if v := q.Get("numericFilters"); v != "" {
		for _, c := range strings.Split(v, ",") {
			var op string
			for _, o := range []string{">=", "<=", ">", "<"} {
				if strings.HasPrefix(c, "created_at_i"+o) {
					op = o
					break
				}
			}
			n, err := strconv.ParseInt(strings.TrimPrefix(c, "created_at_i"+op), 10, 64)
			if op == "" || err != nil {
				algoliaError(w, http.StatusBadRequest, "invalid numericFilters "+c)
				return
			}
			switch op {
			case ">=":
				lo = max(lo, n)
			case ">":
				lo = max(lo, n+1)
			case "<=":
				hi = min(hi, n+1)
			case "<":
				hi = min(hi, n)
			}
		}
	}
	var groups [][]string // AND of ORs
	for _, g := range splitTags(q.Get("tags")) {
		groups = append(groups, strings.Split(strings.Trim(g, "()"), ","))
	}
	query := strings.ToLower(q.Get("query"))
	var match []fakeHit
	for _, h := range f.hits {
		if h.created < lo || h.created >= hi || !strings.Contains(strings.ToLower(string(h.raw)), query) {
			continue
		}
		ok := true
		for _, g := range groups {
			ok = ok && slices.ContainsFunc(g, func(t string) bool { return slices.Contains(h.tags, t) })
		}
		if ok {
			match = append(match, h)
		}
	}
	slices.SortFunc(match, func(a, b fakeHit) int {
		if a.created != b.created {
			return int(b.created - a.created)
		}
		return strings.Compare(b.id, a.id)
	})
	resp := map[string]any{"hitsPerPage": hpp, "page": page, "query": q.Get("query"), "params": r.URL.RawQuery,
		"exhaustiveNbHits": true, "processingTimeMS": 1}
	hits := []json.RawMessage{}
	if page*hpp >= f.reach {
		f.beyond++
		resp["nbHits"], resp["nbPages"] = 0, 0
		resp["message"] = fmt.Sprintf("you can only fetch the %d hits for this query. You can fetch more hits using numericFilters or by reducing hitsPerPage", f.reach)
	} else {
		for i := page * hpp; i < min(len(match), (page+1)*hpp, f.reach); i++ {
			hits = append(hits, match[i].raw)
		}
		resp["nbHits"] = len(match)
		if hpp > 0 {
			resp["nbPages"] = min((len(match)+hpp-1)/hpp, (f.reach+hpp-1)/hpp)
		}
	}
	resp["hits"] = hits
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(resp)
}

// splitTags splits a tags filter at the commas outside parentheses.
func splitTags(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// clone returns raw with a new objectID and time.
func clone(t *testing.T, raw []byte, id string, created int64) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["objectID"] = id
	m["created_at_i"] = created
	m["created_at"] = time.Unix(created, 0).UTC().Format(time.RFC3339)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newAlgoliaFake serves the real hits of the fixture file (deduplicated),
// plus clones of a real story and a real comment that share seconds, so that
// ties straddle page boundaries. It returns the ids of the stories and
// comments, the posts a Poller with DefaultTags must deliver.
func newAlgoliaFake(t *testing.T) (*algoliaFake, *httptest.Server, map[string]bool) {
	f := &algoliaFake{t: t, reach: 1000, fail: map[int]int{}}
	_, replies := fixtureReplies(t)
	want := map[string]bool{}
	var story, comment []byte
	for _, r := range replies {
		var resp struct {
			Hits []json.RawMessage `json:"hits"`
		}
		if json.Unmarshal(r, &resp) != nil {
			continue
		}
		for _, h := range resp.Hits {
			var k struct {
				ObjectID string   `json:"objectID"`
				Tags     []string `json:"_tags"`
			}
			if err := json.Unmarshal(h, &k); err != nil {
				t.Fatal(err)
			}
			if _, dup := want[k.ObjectID]; dup {
				continue
			}
			f.add(t, h)
			want[k.ObjectID] = slices.Contains(k.Tags, "story") || slices.Contains(k.Tags, "comment")
			if slices.Contains(k.Tags, "story") {
				story = h
			} else if slices.Contains(k.Tags, "comment") {
				comment = h
			}
		}
	}
	if len(want) < 10 || story == nil || comment == nil {
		t.Fatalf("fixture has %d distinct hits", len(want))
	}
	// 12 clones on 4 seconds, 5 of them on one second.
	for i, sec := range []int64{1500000000, 1500000000, 1500000000, 1500000000, 1500000000,
		1500000007, 1500000007, 1500000100, 1500000100, 1500000100, 1600000000, 1600000000} {
		id := strconv.Itoa(90000000 + i)
		src := story
		if i%2 == 1 {
			src = comment
		}
		f.add(t, clone(t, src, id, sec))
		want[id] = true
	}
	for id, ok := range want {
		if !ok {
			delete(want, id) // polls and poll options
		}
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv, want
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestPoller(t *testing.T, srv *httptest.Server, cfg Config) *Poller {
	t.Helper()
	cfg.BaseURL = srv.URL + "/api/v1"
	if cfg.Since.IsZero() {
		cfg.Since = time.Unix(1, 0)
	}
	if cfg.HitsPerPage == 0 {
		cfg.HitsPerPage = 3
	}
	p, err := NewPoller(cfg, srv.Client(), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// follow fetches from cur until caught up, counting posts by objectID.
func follow(t *testing.T, p live.Poller, cur string, got map[string]int) []string {
	t.Helper()
	return livetest.Follow(t, p, cur, got, livetest.ByNativeID, 200)
}

func checkOnce(t *testing.T, got map[string]int, want map[string]bool) {
	t.Helper()
	livetest.CheckOnce(t, got, want)
}

func TestPollerFollow(t *testing.T) {
	for _, tt := range []struct{ reach, hpp int }{{1000, 3}, {1000, 6}, {7, 3}, {7, 6}} {
		t.Run(fmt.Sprintf("reach %d page %d", tt.reach, tt.hpp), func(t *testing.T) {
			reach := tt.reach
			f, srv, want := newAlgoliaFake(t)
			f.reach = reach
			p := newTestPoller(t, srv, Config{HitsPerPage: tt.hpp})
			p.reach = reach
			got := map[string]int{}
			cursors := follow(t, p, "", got)
			checkOnce(t, got, want)
			if len(cursors) < 5 {
				t.Errorf("caught up in %d fetches; the fake's pages were not followed", len(cursors))
			}
			if f.beyond != 0 {
				t.Errorf("%d requests past Algolia's reach", f.beyond)
			}
			last := cursors[len(cursors)-1]

			// Caught up: nothing again.
			clear(got)
			if cur := follow(t, p, last, got); len(got) != 0 || len(cur) != 1 {
				t.Errorf("caught up, got %v in %d fetches", got, len(cur))
			}

			// A new hit, one on the newest second, and one Algolia indexed
			// late (10 minutes older than the newest): each found once. (A
			// page of 3 keeps only one id in the cursor, too few to look
			// back.)
			newest := int64(1600000000)
			more := map[string]bool{"91000001": true, "91000002": true}
			f.add(t, clone(t, f.hits[0].raw, "91000001", newest+100))
			f.add(t, clone(t, f.hits[0].raw, "91000002", newest))
			if tt.hpp >= 6 {
				f.add(t, clone(t, f.hits[0].raw, "91000003", newest-600))
				more["91000003"] = true
			}
			cur := follow(t, p, last, got)
			follow(t, p, cur[len(cur)-1], got)
			checkOnce(t, got, more)
		})
	}
}

func TestPollerResume(t *testing.T) {
	_, srv, want := newAlgoliaFake(t)
	all := map[string]int{}
	cursors := follow(t, newTestPoller(t, srv, Config{}), "", all)
	// Replay the first run batch by batch; after batch k a new Poller (a
	// restart) resumes from cursor k.
	p := newTestPoller(t, srv, Config{})
	before := map[string]int{}
	cur := ""
	for k := range cursors {
		b, err := p.Fetch(context.Background(), cur)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range b.Posts {
			before[x.NativeID]++
		}
		cur = cursors[k]
		if b.Cursor != cur {
			t.Fatalf("batch %d: cursor %q, first run had %q", k, b.Cursor, cur)
		}
		got := maps.Clone(before)
		follow(t, newTestPoller(t, srv, Config{}), cur, got)
		checkOnce(t, got, want)
	}
}

func TestPollerErrors(t *testing.T) {
	f, srv, want := newAlgoliaFake(t)
	f.fail[3] = http.StatusTooManyRequests
	f.fail[6] = http.StatusServiceUnavailable
	f.fail[7] = http.StatusBadGateway
	f.fail[12] = http.StatusForbidden
	p := newTestPoller(t, srv, Config{})
	got := map[string]int{}
	var statuses []int
	cur := ""
	for i := 0; i < 200; i++ {
		b, err := p.Fetch(context.Background(), cur)
		if err != nil {
			var he *live.HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("error %v is not an *live.HTTPError", err)
			}
			if (he.Status == http.StatusForbidden) != errors.Is(err, live.ErrAuth) {
				t.Errorf("status %d: ErrAuth is %v", he.Status, errors.Is(err, live.ErrAuth))
			}
			statuses = append(statuses, he.Status)
			continue // the loop backs off, then fetches from the same cursor
		}
		for _, x := range b.Posts {
			got[x.NativeID]++
		}
		if b.Cursor != "" {
			cur = b.Cursor
		}
		if !b.More {
			break
		}
	}
	checkOnce(t, got, want)
	if !slices.Equal(statuses, []int{429, 503, 502, 403}) {
		t.Errorf("errors %v, want 429, 503, 502, 403", statuses)
	}
}

func TestPollerMalformedAndMatch(t *testing.T) {
	f, srv, want := newAlgoliaFake(t)
	f.add(t, []byte(`{"objectID":"92000001","created_at_i":1500000050,"title":5,"_tags":["story"]}`))
	f.add(t, []byte(`{"title":"no id","created_at_i":1500000050,"_tags":["story"]}`))
	p := newTestPoller(t, srv, Config{HitsPerPage: 1000})
	b, err := p.Fetch(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Skipped != 2 || len(b.Posts) != len(want) || b.More {
		t.Errorf("skipped %d, %d posts (want 2, %d), more %v", b.Skipped, len(b.Posts), len(want), b.More)
	}

	// Match keeps comments only; the cursor moves past the stories too.
	p = newTestPoller(t, srv, Config{Match: func(p *post.Post) bool { return p.ReplyTo != "" }})
	got := map[string]int{}
	follow(t, p, "", got)
	if len(got) == 0 {
		t.Fatal("no comments")
	}
	for id := range got {
		if !want[id] {
			t.Errorf("unexpected %s", id)
		}
	}
	for _, h := range f.hits {
		if want[h.id] && slices.Contains(h.tags, "comment") && got[h.id] != 1 {
			t.Errorf("comment %s delivered %d times", h.id, got[h.id])
		}
	}
}

func TestPollerStartsNearNow(t *testing.T) {
	_, srv, _ := newAlgoliaFake(t)
	p, err := NewPoller(Config{BaseURL: srv.URL + "/api/v1"}, srv.Client(), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "hackernews:(story,comment)" {
		t.Errorf("name %q", p.Name())
	}
	p.now = func() time.Time { return time.Unix(1600000000+60, 0) }
	got := map[string]int{}
	cur := follow(t, p, "", got)
	// Only the two clones at 1600000000 are within 15 minutes.
	if !maps.Equal(got, map[string]int{"90000010": 1, "90000011": 1}) {
		t.Errorf("got %v", got)
	}
	if c := cur[len(cur)-1]; c != "1599999160:90000010,90000011" {
		t.Errorf("cursor %q", c)
	}
	if _, err := p.Fetch(context.Background(), "17x:1"); err == nil {
		t.Error("bad cursor accepted")
	}
	for _, bad := range []Config{{BaseURL: "ftp://x"}, {HitsPerPage: 1001}, {BaseURL: "http://"}} {
		if _, err := NewPoller(bad, nil, nil); err == nil {
			t.Errorf("config %+v accepted", bad)
		}
	}
}

func TestParseCursor(t *testing.T) {
	for in, want := range map[string]string{
		"0":                   "0:",
		"1700000000:":         "1700000000:",
		"1700000000:b,a,b":    "1700000000:a,b",
		"1700000000:40200001": "1700000000:40200001",
	} {
		c, err := parseCursor(in)
		if err != nil || c.String() != want {
			t.Errorf("%q: %q, %v; want %q", in, c.String(), err, want)
		}
	}
	for _, bad := range []string{"", "x", "-1", "1:a,,b", "1:a b", "99999999999999:", "1:a:b"} {
		if _, err := parseCursor(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"1700000000:40200001,40200002", "0", "1:", "12:a,,b", "x:y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s)
		if err != nil {
			return
		}
		c2, err := parseCursor(c.String())
		if err != nil || c2.String() != c.String() {
			t.Fatalf("%q → %q → %q, %v", s, c.String(), c2.String(), err)
		}
	})
}
