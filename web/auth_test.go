package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// do sends req with the client's cookies and returns the status, body and
// headers.
func (c *client) do(req *http.Request) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.http.Do(req)
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

// form is a POST of the form values to path with the extra headers.
func (c *client) form(path string, v url.Values, hdr ...string) *http.Request {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return req
}

// browserResolve is where a browser goes for a Location header on a page
// of base: it removes ASCII tab and newlines and the leading and trailing
// C0 controls and spaces, reads a backslash as a slash (WHATWG URL, special
// schemes), then resolves the reference.
func browserResolve(t *testing.T, base, loc string) *url.URL {
	t.Helper()
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	b, _ := url.Parse(base)
	ref, err := url.Parse(loc)
	if err != nil {
		// Not a URL a browser would follow anywhere useful: stay here.
		return b
	}
	return b.ResolveReference(ref)
}

// TestOpenRedirect: whatever next a login is given, the browser stays on
// this site (issue 16, Medium 5: next=/%09/evil.example/phish sent it to
// evil.example).
func TestOpenRedirect(t *testing.T) {
	hostile := []string{
		"/\t/evil.example/phish", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", " //evil.example",
		"/\\evil.example", "\\/evil.example", "\\\\evil.example", "/\t\\evil.example", "//evil.example", "///evil.example",
		"https://evil.example/", "https:evil.example", "javascript:alert(1)", "\x00//evil.example", "/\x00/evil.example",
		"\x01/\x7f/evil.example", "/%09/evil.example", "%2F%2Fevil.example", "http:/\\evil.example", "evil.example",
		"/.//evil.example", "/x/..//evil.example", "/\u3000/evil.example", "/\uff0f/evil.example",
	}
	const base = "http://127.0.0.1:8080/login"
	for _, n := range hostile {
		got := safeNext(n)
		u := browserResolve(t, base, got)
		if u.Host != "127.0.0.1:8080" || u.Scheme != "http" {
			t.Errorf("safeNext(%q) = %q: a browser goes to %s", n, got, u)
		}
		if strings.ContainsAny(got, "\t\n\r\\\x00") {
			t.Errorf("safeNext(%q) = %q keeps a character browsers drop", n, got)
		}
	}
	for in, want := range map[string]string{"/search?q=s3": "/search?q=s3", "/events/s3#top": "/events/s3", "/": "/", "": "/",
		"/search?q=a%20b&tz=Europe%2FBerlin": "/search?q=a%20b&tz=Europe%2FBerlin", "/coll%C3%A9ctions": "/coll%C3%A9ctions"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}

	// The whole way: the query string of /login and the form's next field.
	a := testArchive(t)
	s := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "pw"})
	c := newClient(t, s.Handler())
	_, body, _ := c.get("/login?next=" + url.QueryEscape("/\t/evil.example/phish"))
	if strings.Contains(body, "evil.example") {
		t.Errorf("the login form carries the hostile next:\n%s", body)
	}
	code, _, h := c.post("/login", url.Values{"password": {"pw"}, "csrf": {c.csrf}, "next": {"/\t/evil.example/phish"}})
	if u := browserResolve(t, c.base+"/login", h.Get("Location")); code != http.StatusSeeOther || u.Host != strings.TrimPrefix(c.base, "http://") {
		t.Errorf("login with a hostile next: %d, Location %q goes to %s", code, h.Get("Location"), u.Host)
	}
	// A collection form's "back" goes through the same check.
	c.get("/collections")
	code, _, h = c.post("/collections/add", url.Values{"collection": {"quotes"}, "post_id": {"twitter:9000001"}, "csrf": {c.csrf},
		"back": {"/\t/evil.example/"}})
	if u := browserResolve(t, c.base+"/search", h.Get("Location")); code != http.StatusSeeOther || u.Host != strings.TrimPrefix(c.base, "http://") {
		t.Errorf("add with a hostile back: %d, Location %q goes to %s", code, h.Get("Location"), u.Host)
	}
}

// TestDNSRebinding: on the password-less loopback default, a request whose
// Host is not a loopback name is refused (a page that rebinds its own name
// to 127.0.0.1 sends its own name), and a mutating request whose Origin is
// another site is refused even with a valid CSRF token (issue 16, Medium 6).
func TestDNSRebinding(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	port := c.base[strings.LastIndexByte(c.base, ':'):]
	for _, host := range []string{"attacker.example" + port, "attacker.example", "127.0.0.1.attacker.example" + port, "localhost.attacker.example" + port,
		"0.0.0.0" + port, "10.0.0.1" + port, "[::ffff:10.0.0.1]" + port} {
		for _, path := range []string{"/", "/api/v1/status", "/tokens", "/api/v1/search?q=s3"} {
			req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
			req.Host = host
			if code, body, _ := c.do(req); code != http.StatusMisdirectedRequest || strings.Contains(body, "S3 outage") {
				t.Errorf("GET %s with Host %q: %d, want 421", path, host, code)
			}
		}
		// The attacker's page, same-origin with its rebound name, reads a
		// form (and gets its own session cookie), then mints a token.
		get, minted := rebind(t, c.base, host)
		if get != http.StatusMisdirectedRequest || minted != http.StatusMisdirectedRequest {
			t.Errorf("rebound page with Host %q: GET /tokens %d, POST /tokens %d, want 421", host, get, minted)
		}
	}
	// Hosts no Go client sends (it drops an invalid Host), seen by the
	// check itself.
	s := newServer(t, a, Config{})
	for _, host := range []string{"localhost:80@attacker.example", "localhost:x", "localhost:123456", "localhost:", "[::1",
		"local host", "localhost/evil", "localhost\\.evil", "127.0.0.1 .evil", "localhost..", ".localhost", "xn--lcalhost-.evil"} {
		if s.allowedHost(host) || s.sameOrigin("http://"+host, host) {
			t.Errorf("Host %q accepted", host)
		}
	}
	for _, host := range []string{"127.0.0.1" + port, "localhost" + port, "LOCALHOST" + port, "localhost." + port, "app.localhost" + port,
		"[::1]" + port, "127.1.2.3" + port, "localhost"} {
		req, _ := http.NewRequest(http.MethodGet, c.base+"/api/v1/status", nil)
		req.Host = host
		if code, _, _ := c.do(req); code != http.StatusOK {
			t.Errorf("GET with Host %q: %d, want 200", host, code)
		}
	}
	// /healthz answers whatever the Host (probes use the pod's address).
	req, _ := http.NewRequest(http.MethodGet, c.base+"/healthz", nil)
	req.Host = "10.0.0.1" + port
	if code, _, _ := c.do(req); code != http.StatusOK {
		t.Errorf("healthz with another Host: %d", code)
	}

	// Origin: the session's own CSRF token does not help another site.
	c.get("/collections")
	for _, origin := range []string{"http://attacker.example", "http://attacker.example" + port, "null", "http://localhost:1",
		"http://127.0.0.1", "file://", "http://127.0.0.1" + port + ".attacker.example"} {
		req := c.form("/collections", url.Values{"slug": {"x"}, "csrf": {c.csrf}}, "Origin", origin)
		if code, _, _ := c.do(req); code != http.StatusForbidden {
			t.Errorf("POST with Origin %q: %d, want 403", origin, code)
		}
		req, _ = http.NewRequest(http.MethodDelete, c.base+"/api/v1/collections/quotes", nil)
		req.Header.Set("X-CSRF-Token", c.csrf)
		req.Header.Set("Origin", origin)
		if code, _, _ := c.do(req); code != http.StatusForbidden {
			t.Errorf("DELETE with Origin %q: %d, want 403", origin, code)
		}
	}
	if _, err := a.Store.Items(context.Background(), "quotes"); err != nil {
		t.Errorf("the collection went: %v", err)
	}
	if code, _, h := c.do(c.form("/collections", url.Values{"slug": {"same-origin"}, "csrf": {c.csrf}}, "Origin", c.base)); code != http.StatusSeeOther {
		t.Errorf("POST from the same origin: %d %s", code, h.Get("Location"))
	}
	if code, _, _ := c.do(c.form("/collections", url.Values{"slug": {"no-origin"}, "csrf": {c.csrf}})); code != http.StatusSeeOther {
		t.Errorf("POST without Origin (curl, old browsers): %d", code)
	}
}

// rebind is a page served from host, rebound to the server at base: it
// reads /tokens with its own cookie jar, then posts the form to mint a
// token. It returns both statuses.
func rebind(t *testing.T, base, host string) (get, post int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/tokens", nil)
	req.Host = host
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var csrf string
	if m := csrfRE.FindStringSubmatch(string(b)); m != nil {
		csrf = m[1]
	}
	req, _ = http.NewRequest(http.MethodPost, base+"/tokens", strings.NewReader(url.Values{"name": {"rebound"}, "csrf": {csrf}}.Encode()))
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://"+host)
	for _, ck := range resp.Cookies() {
		req.AddCookie(ck)
	}
	resp2, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	return resp.StatusCode, resp2.StatusCode
}

// TestHostsConfigured: a public address without configured names answers
// any Host (the password guards it); Hosts and PublicURL name the others
// a loopback server answers to, and an Origin of the public URL may post
// through a proxy that sends the upstream's Host.
func TestHostsConfigured(t *testing.T) {
	a := testArchive(t)
	get := func(h http.Handler, host string) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		req.Host = host
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	public := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "pw"}).Handler()
	if got := get(public, "archive.example.org"); got != http.StatusOK {
		t.Errorf("public address, any name: %d", got)
	}
	var logs bytes.Buffer
	s := newServer(t, a, Config{Hosts: []string{"Archive.Example.org", "intranet:8080"}, PublicURL: "https://aftershock.example.org/",
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	h := s.Handler()
	for host, want := range map[string]int{"archive.example.org": 200, "archive.example.org:8080": 200, "aftershock.example.org": 200,
		"intranet": 200, "localhost:8080": 200, "other.example.org": 421, "example.org": 421} {
		if got := get(h, host); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
	for _, bad := range []Config{{PublicURL: "ftp://x"}, {PublicURL: "https://"}, {PublicURL: "aftershock.example.org"},
		{Hosts: []string{"a b"}}, {Hosts: []string{"http://x"}}, {TrustedProxies: []string{"not-an-ip"}}} {
		bad.Archive, bad.Addr = a, "127.0.0.1:0"
		if _, err := New(bad); err == nil {
			t.Errorf("New accepted %+v", bad)
		}
	}
	// Behind a proxy that sends Host: 127.0.0.1:port, the browser's Origin
	// is the public URL.
	c := newClient(t, h)
	c.get("/collections")
	if code, _, _ := c.do(c.form("/collections", url.Values{"slug": {"via-proxy"}, "csrf": {c.csrf}}, "Origin", "https://aftershock.example.org")); code != http.StatusSeeOther {
		t.Errorf("POST with the public URL's Origin: %d", code)
	}
	if code, _, _ := c.do(c.form("/collections", url.Values{"slug": {"via-proxy-2"}, "csrf": {c.csrf}}, "Origin", "https://evil.example.org")); code != http.StatusForbidden {
		t.Errorf("POST with another Origin: %d", code)
	}
	for _, want := range []string{"origin=https://evil.example.org", "host=other.example.org", "--public-url"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}

// TestSessions: logging out ends the session for every copy of its
// cookie; cookies are Secure when the public URL is https.
func TestSessions(t *testing.T) {
	a := testArchive(t)
	s := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "pw"})
	c := newClient(t, s.Handler())
	c.get("/login")
	code, _, h := c.post("/login", url.Values{"password": {"pw"}, "csrf": {c.csrf}})
	if code != http.StatusSeeOther {
		t.Fatalf("login: %d", code)
	}
	var stolen string
	for _, ck := range (&http.Response{Header: h}).Cookies() {
		if ck.Name == sessionCookie {
			stolen = ck.Value
			if ck.Secure {
				t.Error("Secure cookie over plain HTTP without a public https URL")
			}
		}
	}
	withCookie := func(path string) int {
		req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: stolen})
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := withCookie("/api/v1/status"); got != http.StatusOK {
		t.Fatalf("the copied cookie before logout: %d", got)
	}
	c.get("/collections")
	if code, _, _ := c.post("/logout", url.Values{"csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("logout: %d", code)
	}
	if got := withCookie("/api/v1/status"); got != http.StatusUnauthorized {
		t.Errorf("the copied cookie after logout: %d, want 401", got)
	}
	if got := withCookie("/search?q=s3"); got != http.StatusSeeOther {
		t.Errorf("the copied cookie after logout, a page: %d, want a redirect to /login", got)
	}
	// Logging in again gives a new session that works.
	c.get("/login")
	if code, _, _ := c.post("/login", url.Values{"password": {"pw"}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
		t.Errorf("login again: %d", code)
	}
	if code, _, _ := c.get("/api/v1/status"); code != http.StatusOK {
		t.Errorf("after logging in again: %d", code)
	}

	// Revoked ids are forgotten once their cookies have expired anyway.
	now := time.Now()
	s.revokeSession(session{ID: "old", Expires: now.Add(-time.Second)})
	s.revokeSession(session{ID: "new", Expires: now.Add(time.Hour)})
	s.revokedMu.Lock()
	_, old := s.revoked["old"]
	_, cur := s.revoked["new"]
	s.revokedMu.Unlock()
	if old || !cur {
		t.Errorf("revoked: expired one kept %v, current one kept %v", old, cur)
	}

	for url, want := range map[string]bool{"https://aftershock.example.org": true, "http://aftershock.example.org": false, "": false} {
		s := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "pw", PublicURL: url})
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/login", nil)
		req.Host = "aftershock.example.org"
		s.Handler().ServeHTTP(rec, req)
		cks := rec.Result().Cookies()
		if len(cks) != 1 || cks[0].Secure != want || !cks[0].HttpOnly || cks[0].SameSite != http.SameSiteLaxMode {
			t.Errorf("public URL %q: cookies %+v, want Secure %v", url, cks, want)
		}
	}
}

// TestLoginLimiter: only failed logins count, per client; behind a
// configured proxy the client is the one the proxy names.
func TestLoginLimiter(t *testing.T) {
	a := testArchive(t)
	s := newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "pw"})
	c := newClient(t, s.Handler())
	c.get("/login")
	for i := range 12 {
		c.get("/login")
		if code, _, _ := c.post("/login", url.Values{"password": {"pw"}, "csrf": {c.csrf}}); code != http.StatusSeeOther {
			t.Fatalf("successful login %d: %d", i+1, code)
		}
	}
	login := func(c *client, pw, forwarded string) int {
		c.get("/login")
		return func() int {
			code, _, _ := c.do(c.form("/login", url.Values{"password": {pw}, "csrf": {c.csrf}}, "X-Forwarded-For", forwarded))
			return code
		}()
	}
	// Without trusted proxies, X-Forwarded-For is anyone's to forge: it is
	// ignored, the connection's address counts.
	for i := range 5 {
		if got := login(c, "wrong", "203.0.113."+string(rune('1'+i))); got != http.StatusUnauthorized {
			t.Errorf("wrong password %d: %d", i+1, got)
		}
	}
	if got := login(c, "pw", "203.0.113.99"); got != http.StatusTooManyRequests {
		t.Errorf("after 5 failures, a forged X-Forwarded-For: %d, want 429", got)
	}

	// Behind a trusted proxy each client has its own bucket.
	s = newServer(t, a, Config{Addr: "0.0.0.0:0", Password: "pw", TrustedProxies: []string{"127.0.0.1/8", "::1"}})
	c = newClient(t, s.Handler())
	for i := range 5 {
		if got := login(c, "wrong", "198.51.100.7"); got != http.StatusUnauthorized {
			t.Errorf("client A, wrong password %d: %d", i+1, got)
		}
	}
	if got := login(c, "pw", "198.51.100.7"); got != http.StatusTooManyRequests {
		t.Errorf("client A after 5 failures: %d, want 429", got)
	}
	if got := login(c, "pw", "198.51.100.8"); got != http.StatusSeeOther {
		t.Errorf("client B behind the same proxy: %d, want 303", got)
	}

	// The limiter forgets clients whose failures are over.
	l := newLimiter(2, time.Minute)
	now := time.Now()
	for i := range 20000 {
		l.fail("k"+string(rune(i)), now)
	}
	l.fail("late", now.Add(2*time.Minute))
	if len(l.seen) > 1 {
		t.Errorf("limiter holds %d clients after their window", len(l.seen))
	}
}

// TestResponseHeaders: every response, not only HTML pages, says nosniff
// and carries the CSP; HEAD /healthz answers 200 (issue 16, Low).
func TestResponseHeaders(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	for _, p := range []string{"/api/v1/status", "/api/v1/events/s3", "/api/v1/nope", "/healthz", "/events/s3/timeline.csv",
		"/events/s3/chart.svg", "/static/style.css", "/collections/quotes/export?format=json", "/api/v1/search?q=%22open", "/", "/nope"} {
		code, _, h := c.get(p)
		if h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s (%d): nosniff %q, CSP %q", p, code, h.Get("X-Content-Type-Options"), h.Get("Content-Security-Policy"))
		}
	}
	req, _ := http.NewRequest(http.MethodHead, c.base+"/healthz", nil)
	code, body, h := c.do(req)
	if code != http.StatusOK || body != "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("HEAD /healthz: %d %q", code, body)
	}
}

// TestBodyLimit: a body over 1 MiB is a 413, whether it says its length
// or not, for forms and JSON; a body at the limit is read.
func TestBodyLimit(t *testing.T) {
	a := testArchive(t)
	c := newClient(t, newServer(t, a, Config{}).Handler())
	c.get("/collections")
	big := url.Values{"slug": {"big"}, "csrf": {c.csrf}, "name": {strings.Repeat("x", maxBody)}}.Encode()
	for _, chunked := range []bool{false, true} {
		var body io.Reader = strings.NewReader(big)
		if chunked {
			body = io.MultiReader(body) // no length: sent chunked
		}
		req, _ := http.NewRequest(http.MethodPost, c.base+"/collections", body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if code, _, _ := c.do(req); code != http.StatusRequestEntityTooLarge {
			t.Errorf("a %d-byte form (chunked %v): %d, want 413", len(big), chunked, code)
		}
		req, _ = http.NewRequest(http.MethodPost, c.base+"/api/v1/events", io.MultiReader(strings.NewReader(`{"slug":"x","name":"`+strings.Repeat("x", maxBody)+`"}`)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", c.csrf)
		if code, body, _ := c.do(req); code != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"status":413`) {
			t.Errorf("a JSON body over 1 MiB: %d %.200s", code, body)
		}
	}
	// Just under the limit: read and saved.
	v := url.Values{"slug": {"fits"}, "csrf": {c.csrf}, "name": {"N"}}
	v.Set("pad", strings.Repeat("y", maxBody-len(v.Encode())-len("&pad=")))
	if n := len(v.Encode()); n != maxBody {
		t.Fatalf("body of %d bytes", n)
	}
	if code, _, _ := c.post("/collections", v); code != http.StatusSeeOther {
		t.Errorf("a body of exactly 1 MiB: %d", code)
	}
}

// TestAuthorIsolated: an author name with U+202E (right-to-left override)
// cannot reorder the rest of a web card: names and handles are in <bdi>,
// as in the HTML export.
func TestAuthorIsolated(t *testing.T) {
	a := testArchive(t)
	ctx := context.Background()
	p := post.Post{ID: "twitter:4242", Source: "twitter", NativeID: "4242", Text: "zebra outage report",
		CreatedAt: time.Date(2017, 2, 28, 18, 0, 0, 0, time.UTC),
		Author:    post.Author{Handle: "fdp.exe\u202Egnp", Name: "Status\u202E ffo lla si", URL: "https://x.com/rlo"}, Raw: []byte(`{}`)}
	if _, err := a.Store.Write(ctx, store.Batch{Posts: []post.Post{p}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, newServer(t, a, Config{}).Handler())
	_, body, _ := c.get("/search?q=zebra")
	for _, want := range []string{"<bdi>Status\u202E ffo lla si</bdi>", "@<bdi>fdp.exe\u202Egnp</bdi>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	p.Author.URL = ""
	p.ID, p.NativeID = "twitter:4243", "4243"
	if _, err := a.Store.Write(ctx, store.Batch{Posts: []post.Post{p}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	_, body, _ = c.get("/search?q=zebra")
	if n := strings.Count(body, "<bdi>Status\u202E ffo lla si</bdi>"); n != 2 {
		t.Errorf("%d isolated names, want 2 (with and without a link)", n)
	}
	// A collection's name beside its count on the start page, too.
	if err := a.Store.CreateCollection(ctx, store.Collection{Slug: "rlo", Name: "smeti 3\u202E"}); err != nil {
		t.Fatal(err)
	}
	if _, body, _ = c.get("/"); !strings.Contains(body, "<bdi>smeti 3\u202E</bdi></a> <span") {
		t.Error("the start page does not isolate a collection's name")
	}
}

// FuzzSafeNext: whatever next is, the target is a path of this site that a
// browser resolves to this host.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/\t/evil.example/phish", "/\\evil.example", "//evil.example", "/search?q=s3", "https://evil.example/",
		"/%09/x", " /\r\n/x?y=\x00", "/a?b=<c>&d=\"e\"#f", "/\u202e/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsFunc(got, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		if u := browserResolve(t, "http://127.0.0.1:8080/login", got); u.Host != "127.0.0.1:8080" || u.Scheme != "http" {
			t.Fatalf("safeNext(%q) = %q goes to %s", next, got, u)
		}
	})
}

// FuzzHostName: a Host or Origin header never panics the checks, and the
// loopback default accepts only names that are loopback.
func FuzzHostName(f *testing.F) {
	for _, s := range []string{"localhost:8080", "[::1]:80", "attacker.example", "localhost:80@x", "127.0.0.1.", "app.localhost", "[::ffff:127.0.0.1]:1"} {
		f.Add(s)
	}
	s := &Server{restrictHosts: true, hosts: map[string]bool{}}
	f.Fuzz(func(t *testing.T, host string) {
		s.sameOrigin("http://"+host, host)
		if !s.allowedHost(host) || host == "" {
			return
		}
		name := hostName(host)
		if ip := net.ParseIP(name); ip != nil && !ip.IsLoopback() || ip == nil && name != "localhost" && !strings.HasSuffix(name, ".localhost") {
			t.Fatalf("Host %q (name %q) accepted", host, name)
		}
	})
}
