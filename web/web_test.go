package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/importer"
	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/sentiment"
	"github.com/aftershock/aftershock/store"
)

// xss are well-known payloads; they go in as post text, author name,
// hashtag, event name and query, and must come out inert.
var xss = []string{
	`<script>alert("xss-1")</script>`,
	`<img src=x onerror=alert("xss-2")>`,
	`"><svg onload=alert("xss-3")>`,
	`javascript:alert("xss-4")`,
}

// testArchive is an archive with the real #IchBinHanna Mastodon posts of
// the shared data, an outage burst with hostile text, an event with a
// status incident, and a collection.
func testArchive(t *testing.T) *archive.Archive {
	t.Helper()
	ctx := context.Background()
	a, err := archive.Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	scorer, err := sentiment.New()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(testdata.Path(t, "mastodon", "rtoot_tag_ichbinhanna_*.json"))
	if _, err := importer.Import(ctx, a.Store, files, importer.Options{Enrich: scorer}); err != nil {
		t.Fatal(err)
	}
	var b store.Batch
	base := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	for i := range 120 {
		p := post.Post{ID: post.MakeID("twitter", "9000"+pad(i)), Source: "twitter", NativeID: "9000" + pad(i),
			Text: "S3 is down again " + xss[i%len(xss)], CreatedAt: base.Add(time.Duration(i) * 15 * time.Second),
			Author: post.Author{Handle: "user" + pad(i), Name: xss[(i+1)%len(xss)], URL: xss[3]}, URL: "https://x.com/u/status/" + pad(i),
			Hashtags: []string{"aws"}, Metrics: post.Metrics{Likes: int64(i)}, Raw: []byte(`{"i":` + pad(i) + `}`)}
		scorer.Enrich(&p)
		b.Posts = append(b.Posts, p)
	}
	if _, err := a.Store.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	ev := event.Event{Slug: "s3", Name: "S3 outage " + xss[0], Query: "s3", From: base.Add(-time.Hour), To: base.Add(2 * time.Hour),
		TZ: "America/Los_Angeles", Services: []string{"S3"}}
	if err := ev.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	inc := status.Incident{Key: "aws/1", Page: "AWS", Name: "Increased error rates for S3 " + xss[1], Created: base.Add(14 * time.Minute),
		Updates: []status.Update{{ID: "1", Time: base.Add(14 * time.Minute), State: status.Investigating, Body: "Looking into it " + xss[2]}}}
	if _, _, err := a.Store.SaveIncidents(ctx, "aws.rss", []status.Incident{inc}); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.CreateCollection(ctx, store.Collection{Slug: "quotes", Name: "Quotes " + xss[2], Event: "s3"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.AddItems(ctx, "quotes", []string{"twitter:9000005", "twitter:9000007"}, "lede? "+xss[0], []string{"lede"}, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

func pad(i int) string { return fmt.Sprintf("%03d", i) }

// client is a browser-like client of a test server: it keeps cookies and
// reads the CSRF token from forms.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func newClient(t *testing.T, h http.Handler) *client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: srv.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) get(path string) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) post(path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func newServer(t *testing.T, a *archive.Archive, cfg Config) *Server {
	t.Helper()
	cfg.Archive = a
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// inert checks that no payload survived as markup.
func inert(t *testing.T, where, body string) {
	t.Helper()
	for _, bad := range []string{`<script>alert`, `<img src=x`, `<svg onload`, `href="javascript:`} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: %q appears unescaped", where, bad)
		}
	}
}

func TestPages(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	for _, p := range []struct {
		path string
		want []string
	}{
		{"/", []string{"S3 outage", "Quotes", "posts in the archive"}},
		{"/search", []string{"How to search", `"is down"`}},
		{"/search?q=s3+down&tz=Europe%2FBerlin", []string{"120 posts", "<mark>S3</mark>", "<mark>down</mark>", "Europe/Berlin", "Add to", "<svg"}},
		{"/search?q=%23ichbinhanna&sort=newest", []string{"posts", "Mastodon", "<mark>#IchBinHanna</mark>"}},
		{"/search?q=" + url.QueryEscape(`<script>alert(1)</script>`), []string{"posts"}},
		{"/events", []string{"S3 outage", "<svg"}},
		{"/events/s3", []string{"Increased error rates for S3", "investigating", "status page", "<svg", "Top posts", "Download chart"}},
		{"/events/s3?from=2017-02-28T09:00&to=2017-02-28T09:05&tz=America/Los_Angeles", []string{"Top posts from 2017-02-28 09:00 PST to 2017-02-28 09:05 PST"}},
		{"/events/s3/share", []string{"Method", "Most shared posts"}},
		{"/events/new", []string{"New event", `name="csrf"`}},
		{"/events/s3/edit", []string{"Edit s3", "America/Los_Angeles"}},
		{"/collections", []string{"Quotes", "New collection"}},
		{"/collections/quotes", []string{"lede?", "Export:", "case file", "ana"}},
		{"/collections/quotes/share", []string{"Method", "Note: lede?"}},
		{"/status", []string{"Data directory", "up to date"}},
	} {
		code, body, h := c.get(p.path)
		if code != http.StatusOK {
			t.Errorf("%s: status %d\n%s", p.path, code, body)
			continue
		}
		for _, w := range p.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", p.path, w)
			}
		}
		inert(t, p.path, body)
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s: no CSP", p.path)
		}
		if strings.Contains(p.path, "/share") && strings.Contains(body, "<form") {
			t.Errorf("%s: a share page has a form", p.path)
		}
	}
}

func TestAPI(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	code, body, _ := c.get("/api/v1/search?q=s3&size=5&sort=newest")
	var sr struct {
		Total uint64
		Posts []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		Next string
	}
	if err := json.Unmarshal([]byte(body), &sr); code != 200 || err != nil || sr.Total != 120 || len(sr.Posts) != 5 || sr.Next == "" {
		t.Fatalf("search API: %d %v %+v", code, err, sr)
	}
	code, body, _ = c.get("/api/v1/search?q=s3&size=5&sort=newest&after=" + url.QueryEscape(sr.Next))
	if code != 200 || strings.Contains(body, `"`+sr.Posts[0].ID+`"`) {
		t.Errorf("second page: %d repeats the first", code)
	}
	code, body, _ = c.get("/api/v1/events/s3")
	var ev struct {
		Timeline struct {
			Posts   int `json:"posts"`
			Buckets []json.RawMessage
			Lag     struct{ Sentence string }
		}
		Top []json.RawMessage `json:"top_posts"`
	}
	if err := json.Unmarshal([]byte(body), &ev); code != 200 || err != nil || ev.Timeline.Posts != 120 || len(ev.Top) != 10 ||
		!strings.Contains(ev.Timeline.Lag.Sentence, "14 minutes") {
		t.Errorf("event API: %d %v %+v", code, err, ev.Timeline.Lag)
	}
	// The timeline is cached, but a new post in the index is a new timeline.
	p := post.Post{ID: "twitter:77", Source: "twitter", NativeID: "77", Text: "s3 still down", CreatedAt: time.Date(2017, 2, 28, 17, 40, 0, 0, time.UTC),
		Author: post.Author{Handle: "late"}, Raw: []byte(`{}`)}
	if _, err := a.Store.Write(context.Background(), store.Batch{Posts: []post.Post{p}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	_, body, _ = c.get("/api/v1/events/s3")
	if !strings.Contains(body, `"posts":121`) {
		t.Errorf("the cached timeline did not follow a new post: %.200s", body)
	}
	for _, p := range []string{"/api/v1/events", "/api/v1/collections", "/api/v1/collections/quotes", "/api/v1/status"} {
		if code, body, _ := c.get(p); code != 200 || !json.Valid([]byte(body)) {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}
}

func TestErrors(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	for _, e := range []struct {
		path string
		code int
		want string
	}{
		{"/search?q=" + url.QueryEscape(`s3 AND (`), 400, "column"},
		{"/api/v1/search?q=" + url.QueryEscape(`"open`), 400, `"status":400`},
		{"/api/v1/search?q=s3&size=100000", 400, "size"},
		{"/search?q=s3&sort=sideways", 400, "sort must be"},
		{"/search?q=s3&tz=Mars%2FBase", 400, "zone"},
		{"/search?q=s3&from=yesterday", 400, "cannot read time"},
		{"/search?q=s3&after=bogus", 400, "cursor"},
		{"/events/nope", 404, "no such event"},
		{"/api/v1/events/nope", 404, `"status":404`},
		{"/collections/nope", 404, "no such collection"},
		{"/collections/quotes/export?format=pdf", 400, "csv"},
		{"/no/such/page", 404, "no such page"},
	} {
		code, body, _ := c.get(e.path)
		if code != e.code || !strings.Contains(body, e.want) {
			t.Errorf("%s: %d, want %d with %q\n%.300s", e.path, code, e.code, e.want, body)
		}
		if strings.Contains(body, "goroutine ") || strings.Contains(body, ".go:") {
			t.Errorf("%s: a stack trace reached the user", e.path)
		}
	}
}

func TestMutations(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	c.get("/collections")
	if c.csrf == "" {
		t.Fatal("no CSRF token in the form")
	}
	// Without the token: refused.
	if code, _, _ := c.post("/collections", url.Values{"slug": {"x"}}); code != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", code)
	}
	if code, _, _ := c.post("/collections", url.Values{"slug": {"x"}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("forged CSRF token: %d", code)
	}
	// With it: a new collection, a post added from a search result, a note,
	// a move, an export, a removal.
	code, _, h := c.post("/collections", url.Values{"slug": {"s3-quotes"}, "name": {"S3 quotes"}, "event": {"s3"}, "csrf": {c.csrf}})
	if code != http.StatusSeeOther || h.Get("Location") != "/collections/s3-quotes" {
		t.Fatalf("create: %d %s", code, h.Get("Location"))
	}
	for _, id := range []string{"twitter:9000001", "twitter:9000002"} {
		code, _, h = c.post("/collections/add", url.Values{"collection": {"s3-quotes"}, "post_id": {id}, "csrf": {c.csrf}, "back": {"/search?q=s3"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/search?q=s3" {
			t.Fatalf("add: %d %s", code, h.Get("Location"))
		}
	}
	if code, _, _ = c.post("/collections/s3-quotes/items/note", url.Values{"post_id": {"twitter:9000002"}, "note": {"lede"}, "tags": {"a,b"}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Errorf("note: %d", code)
	}
	if code, _, _ = c.post("/collections/s3-quotes/items/move", url.Values{"post_id": {"twitter:9000002"}, "position": {"1"}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Errorf("move: %d", code)
	}
	code, body, h := c.get("/collections/s3-quotes/export?format=csv&tz=Europe/Berlin")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if code != 200 || err != nil || len(rows) != 3 || rows[1][1] != "twitter:9000002" || !strings.Contains(h.Get("Content-Disposition"), "s3-quotes.csv") {
		t.Errorf("export: %d %v %d rows", code, err, len(rows))
	}
	if code, _, _ = c.post("/collections/s3-quotes/items/remove", url.Values{"post_id": {"twitter:9000001"}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Errorf("remove: %d", code)
	}
	items, _ := a.Store.Items(context.Background(), "s3-quotes")
	if len(items) != 1 || items[0].Note != "lede" || len(items[0].Tags) != 2 {
		t.Errorf("items after the changes: %+v", items)
	}

	// An event form with a bad query comes back with the parser's message.
	c.get("/events/new")
	code, body, _ = c.post("/events", url.Values{"slug": {"bad"}, "query": {"s3 AND ("}, "from": {"2017-02-28T08:00"}, "csrf": {c.csrf}})
	if code != http.StatusBadRequest || !strings.Contains(body, "column") || !strings.Contains(body, `value="s3 AND ("`) {
		t.Errorf("bad event form: %d\n%.500s", code, body)
	}
	code, _, h = c.post("/events", url.Values{"slug": {"gh"}, "name": {"GitHub"}, "query": {"github"}, "from": {"2024-01-01T00:00"},
		"to": {"2024-01-02T00:00"}, "tz": {"Europe/Berlin"}, "csrf": {c.csrf}})
	if code != http.StatusSeeOther || h.Get("Location") != "/events/gh" {
		t.Errorf("create event: %d %s", code, h.Get("Location"))
	}
	if ev, err := a.Store.Event(context.Background(), "gh"); err != nil || !ev.From.Equal(time.Date(2023, 12, 31, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("event saved as %+v %v (the form's time is in the event's zone)", ev, err)
	}
}

func TestAuth(t *testing.T) {
	a := testArchive(t)
	if _, err := New(Config{Archive: a, Addr: "0.0.0.0:8080"}); err == nil {
		t.Error("a public address without a password was accepted")
	}
	s := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "correct horse", APITokens: []string{"tok-123"}})
	c := newClient(t, s.Handler())
	code, _, h := c.get("/search?q=s3")
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
		t.Fatalf("not logged in: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := c.get("/api/v1/search?q=s3"); code != http.StatusUnauthorized {
		t.Errorf("API without a token: %d", code)
	}
	if code, _, _ := c.get("/healthz"); code != 200 {
		t.Errorf("healthz: %d", code)
	}
	c.get("/login")
	for i := range 5 {
		if code, _, _ := c.post("/login", url.Values{"password": {"wrong"}, "csrf": {c.csrf}}); code != http.StatusUnauthorized {
			t.Errorf("wrong password %d: %d", i, code)
		}
	}
	if code, _, _ := c.post("/login", url.Values{"password": {"correct horse"}, "csrf": {c.csrf}}); code != http.StatusTooManyRequests {
		t.Errorf("sixth attempt in a minute: %d, want 429", code)
	}
	// Another client (another address would do too) logs in.
	s.logins = newLimiter(5, time.Minute)
	c.get("/login")
	code, _, h = c.post("/login", url.Values{"password": {"correct horse"}, "csrf": {c.csrf}, "next": {"/search?q=s3"}})
	if code != http.StatusSeeOther || h.Get("Location") != "/search?q=s3" {
		t.Fatalf("login: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := c.get("/search?q=s3"); code != 200 {
		t.Errorf("after login: %d", code)
	}
	// Scripts: a bearer token, no cookie, no CSRF token.
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/v1/collections", strings.NewReader(`{"slug":"api-made","name":"By script"}`))
	req.Header.Set("Authorization", "Bearer tok-123")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Errorf("API token: %v %v", err, resp)
	}
	req, _ = http.NewRequest(http.MethodPost, c.base+"/api/v1/collections", strings.NewReader(`{"slug":"api-made-2"}`))
	req.Header.Set("Authorization", "Bearer wrong")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong API token: %v %v", err, resp)
	}
	if safeNext("//evil.example/") != "/" || safeNext("https://evil.example/") != "/" || safeNext("/ok?x=1") != "/ok?x=1" {
		t.Error("safeNext lets an open redirect through")
	}
}

func TestHealthz(t *testing.T) {
	a := testArchive(t)
	rec := httptest.NewRecorder()
	newServer(t, a, Config{}).Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != 200 || rec.Body.String() != "ok\n" {
		t.Errorf("healthz: %d %q", rec.Code, rec.Body.String())
	}
}

func TestHighlight(t *testing.T) {
	segs := highlight("Outages everywhere: S3 is DOWN, #AWS down", []string{"outage", "down", "#aws", "s3"})
	var b strings.Builder
	for _, s := range segs {
		if s.Mark {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	if got := b.String(); got != "[Outages] everywhere: [S3] is [DOWN], [#AWS] [down]" {
		t.Errorf("highlight: %s", got)
	}
}

// TestTokens: a logged-in browser makes, lists and revokes API tokens; a
// token works at once and stops at once; a token cannot manage tokens; and
// neither the password nor any token reaches the log, even at debug level.
func TestTokens(t *testing.T) {
	a := testArchive(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const password, envToken = "correct horse battery", "env-token-5f3a9c"
	s := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: password, APITokens: []string{envToken}, Log: log})
	c := newClient(t, s.Handler())
	c.get("/login")
	if code, _, _ := c.post("/login", url.Values{"password": {password}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	c.get("/tokens")
	if code, _, _ := c.post("/tokens", url.Values{"name": {"nightly"}}); code != http.StatusForbidden {
		t.Errorf("make a token without the CSRF token: %d", code)
	}
	code, body, h := c.post("/tokens", url.Values{"name": {"nightly"}, "csrf": {c.csrf}})
	secret := regexp.MustCompile(`ask_[A-Za-z0-9_-]{43}`).FindString(body)
	if code != http.StatusCreated || secret == "" || h.Get("Cache-Control") != "no-store" {
		t.Fatalf("make a token: %d %q %q", code, secret, h.Get("Cache-Control"))
	}
	if code, body, _ := c.post("/tokens", url.Values{"name": {"nightly"}, "csrf": {c.csrf}}); code != http.StatusConflict || !strings.Contains(body, "active API token has this name") {
		t.Errorf("same name twice: %d", code)
	}
	api := func(method, path, tok string) int {
		t.Helper()
		req, _ := http.NewRequest(method, c.base+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := api("GET", "/api/v1/search?q=s3", secret); got != 200 {
		t.Errorf("search with the new token: %d", got)
	}
	if got := api("GET", "/api/v1/search?q=s3", envToken); got != 200 {
		t.Errorf("search with the environment's token: %d", got)
	}
	if got := api("GET", "/tokens", secret); got != http.StatusForbidden {
		t.Errorf("a token lists tokens: %d", got)
	}
	if got := api("POST", "/tokens/revoke", secret); got != http.StatusForbidden {
		t.Errorf("a token revokes tokens: %d", got)
	}
	_, list, _ := c.get("/tokens")
	if !strings.Contains(list, "nightly") || !strings.Contains(list, secret[:10]+"…") || strings.Contains(list, secret) {
		t.Errorf("the list shows the name and the first characters, never the token:\n%s", list)
	}
	if !strings.Contains(list, "<td>20") || strings.Contains(list, "<td>never</td>") {
		t.Error("the list does not show the token's last use")
	}
	if code, _, _ := c.post("/tokens/revoke", url.Values{"name": {"nightly"}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", code)
	}
	if got := api("GET", "/api/v1/search?q=s3", secret); got != http.StatusUnauthorized {
		t.Errorf("search with a revoked token: %d", got)
	}
	if code, _, _ := c.post("/tokens/revoke", url.Values{"name": {"nightly"}, "csrf": {c.csrf}}); code != http.StatusNotFound {
		t.Errorf("revoke twice: %d", code)
	}
	_, list, _ = c.get("/tokens")
	if !strings.Contains(list, "revoked 20") {
		t.Errorf("the list does not show the revocation")
	}
	for _, s := range []string{password, envToken, secret, secret[len(secret)-20:]} {
		if strings.Contains(logs.String(), s) {
			t.Errorf("the log holds a secret (%q):\n%s", s[:6], logs.String())
		}
	}
	if !strings.Contains(logs.String(), "API token revoked") {
		t.Errorf("the log does not record the revocation:\n%s", logs.String())
	}
}
