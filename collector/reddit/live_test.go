package reddit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
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

type fakeThing struct {
	raw     json.RawMessage // the Thing's data
	name    string
	created float64
}

// redditFake is Reddit's token endpoint and /r/<sub>/new and search
// listings: app-only OAuth with expiring tokens, bearer checks, the
// User-Agent rule (generic agents get 429), before/after paging by
// fullname (an unknown anchor gives an empty listing, as a deleted post
// does), the X-Ratelimit-* headers, and a status on demand.
type redditFake struct {
	t  *testing.T
	mu sync.Mutex

	id, secret string
	now        time.Time // the fake's clock, shared with the Poller
	expiresIn  int
	tokens     map[string]time.Time
	tokenReqs  int

	things []fakeThing
	reqs   int         // API requests
	fail   map[int]int // API request number (1-based) → status
	used   int
	pages  []string // the paging parameters of each listing request
}

var uaRE = regexp.MustCompile(`^[a-z]+:[A-Za-z0-9._-]+:[A-Za-z0-9._-]+ \((by /u/[A-Za-z0-9_-]+|\+https?://\S+)\)$`)

func (f *redditFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if !uaRE.MatchString(r.UserAgent()) {
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message": "Too Many Requests", "error": 429}`)
		return
	}
	if r.URL.Path == "/api/v1/access_token" {
		f.token(w, r)
		return
	}
	f.reqs++
	f.used++
	reset := 600 - f.now.Unix()%600
	w.Header().Set("X-Ratelimit-Used", strconv.Itoa(f.used))
	w.Header().Set("X-Ratelimit-Remaining", fmt.Sprintf("%.1f", float64(max(600-f.used, 0))))
	w.Header().Set("X-Ratelimit-Reset", strconv.FormatInt(reset, 10))
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "bearer ")
	if exp, known := f.tokens[tok]; !ok || !known || !f.now.Before(exp) {
		w.Header().Set("Www-Authenticate", `Bearer realm="reddit", error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message": "Unauthorized", "error": 401}`)
		return
	}
	if st := f.fail[f.reqs]; st != 0 {
		if st == http.StatusTooManyRequests {
			w.Header().Set("X-Ratelimit-Remaining", "0.0")
		}
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"message": %q, "error": %d}`, http.StatusText(st), st)
		return
	}
	q := r.URL.Query()
	switch {
	case r.URL.Path == "/r/test/new":
	case r.URL.Path == "/search" && q.Get("q") != "" && q.Get("sort") == "new":
	case r.URL.Path == "/r/test/search" && q.Get("q") != "" && q.Get("sort") == "new" && q.Get("restrict_sr") == "1":
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message": "Not Found", "error": 404}`)
		return
	}
	if q.Get("raw_json") != "1" {
		f.t.Errorf("request without raw_json=1: %s", r.URL)
	}
	limit := 25
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err == nil {
			limit = min(max(n, 1), 100)
		}
	}
	list := slices.Clone(f.things)
	if s := strings.ToLower(q.Get("q")); s != "" {
		list = slices.DeleteFunc(list, func(x fakeThing) bool { return !strings.Contains(strings.ToLower(string(x.raw)), s) })
	}
	slices.SortStableFunc(list, func(a, b fakeThing) int {
		if a.created != b.created {
			if a.created > b.created {
				return -1
			}
			return 1
		}
		return strings.Compare(b.name, a.name)
	})
	index := func(name string) int {
		return slices.IndexFunc(list, func(x fakeThing) bool { return x.name == name })
	}
	from, to := 0, min(limit, len(list))
	switch before, after := q.Get("before"), q.Get("after"); {
	case before != "":
		f.pages = append(f.pages, "before="+before)
		i := index(before)
		from, to = max(i-limit, 0), max(i, 0)
	case after != "":
		f.pages = append(f.pages, "after="+after)
		i := index(after)
		from, to = min(i+1, len(list)), min(i+1+limit, len(list))
		if i < 0 {
			from, to = 0, 0
		}
	default:
		f.pages = append(f.pages, "")
	}
	var children []json.RawMessage
	for _, x := range list[from:to] {
		children = append(children, json.RawMessage(`{"kind": "t3", "data": `+string(x.raw)+`}`))
	}
	data := map[string]any{"modhash": nil, "dist": len(children), "children": children, "after": nil, "before": nil, "geo_filter": ""}
	if children == nil {
		data["children"] = []any{}
	}
	if to > from && to < len(list) {
		data["after"] = list[to-1].name
	}
	if to > from && from > 0 {
		data["before"] = list[from].name
	}
	json.NewEncoder(w).Encode(map[string]any{"kind": "Listing", "data": data})
}

func (f *redditFake) token(w http.ResponseWriter, r *http.Request) {
	f.tokenReqs++
	id, secret, ok := r.BasicAuth()
	if r.Method != http.MethodPost || !ok || id != f.id || secret != f.secret {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message": "Unauthorized", "error": 401}`)
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		io.WriteString(w, `{"error": "unsupported_grant_type"}`)
		return
	}
	tok := fmt.Sprintf("tok-%d", f.tokenReqs)
	f.tokens[tok] = f.now.Add(time.Duration(f.expiresIn) * time.Second)
	fmt.Fprintf(w, `{"access_token": %q, "token_type": "bearer", "expires_in": %d, "scope": "*"}`, tok, f.expiresIn)
}

func (f *redditFake) add(t *testing.T, raw []byte) {
	t.Helper()
	var k struct {
		Name    string  `json:"name"`
		Created float64 `json:"created_utc"`
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.things = append(f.things, fakeThing{raw: raw, name: k.Name, created: k.Created})
}

func (f *redditFake) remove(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.things = slices.DeleteFunc(f.things, func(x fakeThing) bool { return x.name == name })
}

// cloneThing returns a real submission's data with a new id and time.
func (f *redditFake) cloneThing(t *testing.T, id string, created float64) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(f.things[0].raw, &m); err != nil {
		t.Fatal(err)
	}
	m["id"], m["name"], m["created_utc"] = id, "t3_"+id, created
	m["permalink"] = "/r/test/comments/" + id + "/x/"
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newRedditFake serves the real submissions of the shared listings. It
// returns the fullnames served.
func newRedditFake(t *testing.T) (*redditFake, *httptest.Server, map[string]bool) {
	f := &redditFake{t: t, id: "app-id", secret: "app-secret", now: time.Unix(1700000000, 0), expiresIn: 3600,
		tokens: map[string]time.Time{}, fail: map[int]int{}}
	want := map[string]bool{}
	for _, file := range []string{"go-reddit_search_posts_listing.json", "go-reddit_subreddit_random_listing.json", "go-reddit_post_with_comments.json"} {
		b := readData(t, file)
		var listings []json.RawMessage
		if b[0] == '[' {
			if err := json.Unmarshal(b, &listings); err != nil {
				t.Fatal(err)
			}
		} else {
			listings = []json.RawMessage{b}
		}
		var l struct {
			Data struct {
				Children []struct {
					Kind string          `json:"kind"`
					Data json.RawMessage `json:"data"`
				} `json:"children"`
			} `json:"data"`
		}
		if err := json.Unmarshal(listings[0], &l); err != nil {
			t.Fatal(err)
		}
		for _, c := range l.Data.Children {
			if c.Kind == "t3" {
				f.add(t, c.Data)
				want[f.things[len(f.things)-1].name] = true
			}
		}
	}
	if len(want) != 6 {
		t.Fatalf("fixtures hold %d submissions, want 6", len(want))
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv, want
}

func newTestPoller(t *testing.T, f *redditFake, srv *httptest.Server, cfg Config) *Poller {
	t.Helper()
	cfg.AuthURL = srv.URL + "/api/v1/access_token"
	cfg.BaseURL = srv.URL
	if cfg.ClientID == "" {
		cfg.ClientID = f.id
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = f.secret
	}
	if cfg.Subreddit == "" && cfg.Query == "" {
		cfg.Subreddit = "test"
	}
	if cfg.Limit == 0 {
		cfg.Limit = 2
	}
	p, err := NewPoller(cfg, srv.Client(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	p.now = func() time.Time {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.now
	}
	return p
}

// follow fetches from cur until caught up, counting posts by fullname, and
// returns the cursor after each fetch.
func follow(t *testing.T, p live.Poller, cur string, got map[string]int) []string {
	t.Helper()
	return livetest.Follow(t, p, cur, got, livetest.ByNativeID, 100)
}

func checkOnce(t *testing.T, got map[string]int, want map[string]bool) {
	t.Helper()
	livetest.CheckOnce(t, got, want)
}

// publish adds n new submissions, one a minute after the newest (two share
// each second), and returns their fullnames.
func publish(t *testing.T, f *redditFake, n int, prefix string) map[string]bool {
	out := map[string]bool{}
	newest := 0.0
	for _, x := range f.things {
		newest = max(newest, x.created)
	}
	for i := range n {
		id := fmt.Sprintf("%s%d", prefix, i)
		f.add(t, f.cloneThing(t, id, newest+60+float64(i/2)))
		out["t3_"+id] = true
	}
	return out
}

func TestPollerFollow(t *testing.T) {
	f, srv, want := newRedditFake(t)
	p := newTestPoller(t, f, srv, Config{})
	if p.Name() != "reddit:r/test" {
		t.Errorf("name %q", p.Name())
	}
	got := map[string]int{}
	cursors := follow(t, p, "", got)
	checkOnce(t, got, want)
	if len(cursors) != 1 || !slices.Equal(f.pages, []string{"", "after=t3_huv6o6", "after=t3_href9f"}) {
		t.Errorf("first fetch: %d batches, pages %q", len(cursors), f.pages)
	}
	last := cursors[0]
	if last != "t3_hybow9@1595787264" {
		t.Errorf("cursor %q", last)
	}

	// Caught up: before= gives nothing, the newest is the anchor.
	clear(got)
	if cur := follow(t, p, last, got); len(got) != 0 || cur[0] != last {
		t.Errorf("caught up: got %v, cursor %q", got, cur)
	}

	// New posts arrive: read upwards, two a page.
	more := publish(t, f, 7, "new")
	f.pages = nil
	cur := follow(t, p, last, got)
	checkOnce(t, got, more)
	if len(cur) != 4 || !strings.HasPrefix(f.pages[0], "before=") {
		t.Errorf("%d batches, pages %q", len(cur), f.pages)
	}
	if c, err := parseCursor(cur[len(cur)-1]); err != nil || c.name != "t3_new6" {
		t.Errorf("last cursor %q", cur[len(cur)-1])
	}
}

func TestPollerResume(t *testing.T) {
	f, srv, _ := newRedditFake(t)
	start := follow(t, newTestPoller(t, f, srv, Config{}), "", map[string]int{})[0]
	more := publish(t, f, 9, "r")
	p := newTestPoller(t, f, srv, Config{})
	cursors := follow(t, p, start, map[string]int{})
	before := map[string]int{}
	cur := start
	for k := range cursors {
		b, err := p.Fetch(context.Background(), cur)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range b.Posts {
			before[x.NativeID]++
		}
		cur = cursors[k]
		got := maps.Clone(before)
		follow(t, newTestPoller(t, f, srv, Config{}), cur, got)
		checkOnce(t, got, more)
	}
}

func TestPollerErrors(t *testing.T) {
	f, srv, want := newRedditFake(t)
	f.fail[2] = http.StatusTooManyRequests
	f.fail[4] = http.StatusInternalServerError
	p := newTestPoller(t, f, srv, Config{})
	cur := ""
	var errs []error
	got := map[string]int{}
	for range 20 {
		b, err := p.Fetch(context.Background(), cur)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, x := range b.Posts {
			got[x.NativeID]++
		}
		if b.Cursor != "" {
			cur = b.Cursor
		}
		if !b.More && len(errs) == 2 {
			break
		}
	}
	checkOnce(t, got, want)
	if len(errs) != 2 {
		t.Fatalf("errors %v", errs)
	}
	var he *live.HTTPError
	if !errors.As(errs[0], &he) || he.Status != 429 || he.RetryAfter != time.Duration(600-f.now.Unix()%600)*time.Second {
		t.Errorf("first error %v, want 429 with RetryAfter from X-Ratelimit-Reset", errs[0])
	}
	if !errors.As(errs[1], &he) || he.Status != 500 || errors.Is(errs[1], live.ErrAuth) {
		t.Errorf("second error %v, want 500", errs[1])
	}

	// Rate limit spent: the page is delivered, More is off.
	more := publish(t, f, 4, "x")
	f.used = 599
	b, err := p.Fetch(context.Background(), cur)
	if err != nil || len(b.Posts) != 2 || b.More {
		t.Errorf("spent rate limit: %d posts, more %v, %v", len(b.Posts), b.More, err)
	}
	clear(got)
	for _, x := range b.Posts {
		got[x.NativeID]++
	}
	follow(t, p, b.Cursor, got)
	checkOnce(t, got, more)
}

func TestPollerAuth(t *testing.T) {
	f, srv, _ := newRedditFake(t)
	for _, cfg := range []Config{{ClientID: "app-id"}, {ClientSecret: "app-secret"}} {
		cfg.AuthURL, cfg.BaseURL, cfg.Subreddit = srv.URL+"/api/v1/access_token", srv.URL, "test"
		p, err := NewPoller(cfg, srv.Client(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Fetch(context.Background(), ""); !errors.Is(err, live.ErrAuth) {
			t.Errorf("%+v: %v, want ErrAuth", cfg, err)
		}
	}
	if f.tokenReqs != 0 || f.reqs != 0 {
		t.Errorf("missing credentials still made %d token and %d API requests", f.tokenReqs, f.reqs)
	}
	p := newTestPoller(t, f, srv, Config{ClientSecret: "wrong"})
	if _, err := p.Fetch(context.Background(), ""); !errors.Is(err, live.ErrAuth) {
		t.Errorf("wrong secret: %v, want ErrAuth", err)
	}
	if f.reqs != 0 {
		t.Errorf("refused token, yet %d API requests", f.reqs)
	}

	// A token lasts expires_in (less a minute); then a new one is asked.
	p = newTestPoller(t, f, srv, Config{})
	f.tokenReqs = 0
	for i := range 3 {
		if _, err := p.Fetch(context.Background(), ""); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			f.now = f.now.Add(3541 * time.Second)
		}
	}
	if f.tokenReqs != 2 {
		t.Errorf("%d token requests over an expiry, want 2", f.tokenReqs)
	}
	// A token revoked early: one 401, a new token, the request again.
	clear(f.tokens)
	if _, err := p.Fetch(context.Background(), ""); err != nil || f.tokenReqs != 3 {
		t.Errorf("after revocation: %v, %d token requests", err, f.tokenReqs)
	}
}

func TestPollerDeadAnchor(t *testing.T) {
	f, srv, _ := newRedditFake(t)
	p := newTestPoller(t, f, srv, Config{})
	publish(t, f, 3, "a")
	b, err := p.Fetch(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	anchor, _ := parseCursor(b.Cursor)
	if anchor.name != "t3_a2" {
		t.Fatalf("cursor %q", b.Cursor)
	}
	// The anchor is removed: with nothing new, still caught up.
	f.remove("t3_a2")
	if b, err := p.Fetch(context.Background(), anchor.String()); err != nil || len(b.Posts) != 0 || b.Cursor != "" {
		t.Errorf("dead anchor, nothing new: %+v, %v", b, err)
	}
	// New posts above the dead anchor, one on its very second: found by
	// time, each once, without the older posts.
	more := publish(t, f, 5, "b")
	f.add(t, f.cloneThing(t, "tie", anchor.created))
	more["t3_tie"] = true
	got := map[string]int{}
	cur := follow(t, p, anchor.String(), got)
	checkOnce(t, got, more)
	if c, _ := parseCursor(cur[len(cur)-1]); c.name != "t3_b4" {
		t.Errorf("cursor %q", cur[len(cur)-1])
	}
}

func TestPollerMalformedAndMatch(t *testing.T) {
	f, srv, want := newRedditFake(t)
	f.add(t, []byte(`{"name": "t3_bad", "title": 7, "created_utc": 1594000000.0}`))
	f.add(t, []byte(`{"title": "no name", "created_utc": 1594000001.0}`))
	p := newTestPoller(t, f, srv, Config{Limit: 100})
	b, err := p.Fetch(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if b.Skipped != 2 || len(b.Posts) != len(want) {
		t.Errorf("skipped %d, %d posts; want 2, %d", b.Skipped, len(b.Posts), len(want))
	}

	// Search sorted by new, and Match: the cursor moves past what Match drops.
	p = newTestPoller(t, f, srv, Config{Query: "a", Match: func(*post.Post) bool { return false }})
	if p.Name() != "reddit:search a" {
		t.Errorf("name %q", p.Name())
	}
	b, err = p.Fetch(context.Background(), "")
	if err != nil || len(b.Posts) != 0 || b.Cursor == "" {
		t.Errorf("match: %d posts, cursor %q, %v", len(b.Posts), b.Cursor, err)
	}
	p = newTestPoller(t, f, srv, Config{Query: "a", Subreddit: "r/test", Username: "/u/gopher_1"})
	if _, err := p.Fetch(context.Background(), ""); err != nil || p.Name() != "reddit:r/test a" {
		t.Errorf("subreddit search: %v, %q", err, p.Name())
	}
	for _, bad := range []Config{{}, {Subreddit: "a b"}, {Subreddit: "x", Limit: 101}, {Subreddit: "x", BaseURL: "ftp://x"}} {
		if _, err := NewPoller(bad, nil, nil); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	if _, err := p.Fetch(context.Background(), "t3_x"); err == nil {
		t.Error("bad cursor accepted")
	}
}

func TestParseCursor(t *testing.T) {
	for _, s := range []string{"t3_abc@1595787264", "t1_x9@1595787264.5"} {
		c, err := parseCursor(s)
		if err != nil || c.String() != s {
			t.Errorf("%q: %q, %v", s, c.String(), err)
		}
	}
	for _, bad := range []string{"", "t3_abc", "@1", "t3_abc@", "t3_ABC@1", "x_abc@1", "t3_abc@-1", "t3_abc@NaN", "t3_abc@1e300", "t3_a@b@1"} {
		if _, err := parseCursor(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"t3_abc@1595787264", "t1_x@1.5", "t3_@1", "t3_a@b@1", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s)
		if err != nil {
			return
		}
		c2, err := parseCursor(c.String())
		if err != nil || c2 != c {
			t.Fatalf("%q → %q → %+v, %v", s, c.String(), c2, err)
		}
	})
}
