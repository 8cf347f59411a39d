package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Sessions and CSRF.
//
// Every browser gets a session cookie ("as_session", HttpOnly,
// SameSite=Lax): a random id, whether it logged in, and its expiry, signed
// with the server's key. The CSRF token of a session is HMAC(key, "csrf" +
// id); every form carries it in a hidden field and every mutating request
// must send it (field "csrf" or header X-CSRF-Token), so another site can
// neither read it nor forge a request. Scripts use "Authorization: Bearer
// <API token>" instead, which needs no cookie and no CSRF token.
//
// On a loopback address without a password every session counts as logged
// in; with a password, every page but /login and /healthz needs a login.
// Logging out revokes the session's id, so a copy of its cookie stops
// working too. Cookies are Secure when the server is served over TLS or its
// configured public URL is https.
//
// DNS rebinding: a page whose name an attacker rebinds to 127.0.0.1 is
// same-origin with the server as far as the browser knows, so its requests
// carry its own name in Host. A server on a loopback address (or with
// configured host names) answers only to loopback names (localhost,
// *.localhost, 127.0.0.0/8, ::1) and the configured ones (421 otherwise);
// and every mutating request whose Origin is not this server's is refused
// (403), CSRF token or not.

const (
	sessionCookie = "as_session"
	sessionTTL    = 12 * time.Hour
)

type session struct {
	ID       string
	LoggedIn bool
	Expires  time.Time
	API      bool // authenticated by API token
}

const ctxSession = "aftershock.session"

func (s *Server) sign(msg string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) encodeSession(ss session) string {
	in := "0"
	if ss.LoggedIn {
		in = "1"
	}
	msg := ss.ID + "." + in + "." + strconv.FormatInt(ss.Expires.Unix(), 10)
	return msg + "." + s.sign(msg)
}

func (s *Server) decodeSession(v string) (session, bool) {
	i := strings.LastIndexByte(v, '.')
	if i < 0 {
		return session{}, false
	}
	msg, sig := v[:i], v[i+1:]
	if subtle.ConstantTimeCompare([]byte(sig), []byte(s.sign(msg))) != 1 {
		return session{}, false
	}
	parts := strings.Split(msg, ".")
	if len(parts) != 3 {
		return session{}, false
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || s.cfg.Now().Unix() > exp || s.isRevoked(parts[0]) {
		return session{}, false
	}
	return session{ID: parts[0], LoggedIn: parts[1] == "1", Expires: time.Unix(exp, 0)}, true
}

// revokeSession makes every copy of ss's cookie invalid until it would
// have expired anyway (the ids of expired sessions are forgotten then; all
// are at a restart, which changes the signing key).
func (s *Server) revokeSession(ss session) {
	now := s.cfg.Now()
	s.revokedMu.Lock()
	defer s.revokedMu.Unlock()
	for id, exp := range s.revoked {
		if now.After(exp) {
			delete(s.revoked, id)
		}
	}
	if now.Before(ss.Expires) {
		s.revoked[ss.ID] = ss.Expires
	}
}

func (s *Server) isRevoked(id string) bool {
	s.revokedMu.Lock()
	defer s.revokedMu.Unlock()
	_, ok := s.revoked[id]
	return ok
}

func (s *Server) newSession(loggedIn bool) session {
	b := make([]byte, 18)
	rand.Read(b)
	return session{ID: base64.RawURLEncoding.EncodeToString(b), LoggedIn: loggedIn, Expires: s.cfg.Now().Add(sessionTTL)}
}

func (s *Server) setSessionCookie(c *gin.Context, ss session) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: s.encodeSession(ss), Path: "/",
		Expires: ss.Expires, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil || s.public.Scheme == "https"})
}

// csrfToken is the CSRF token of the request's session.
func (s *Server) csrfToken(c *gin.Context) string {
	ss, _ := c.Get(ctxSession)
	if ss, ok := ss.(session); ok && !ss.API {
		return s.sign("csrf" + ss.ID)
	}
	return ""
}

// session loads or starts the session, enforces login where a password is
// set, and checks the CSRF token of every mutating request.
func (s *Server) session() gin.HandlerFunc {
	return func(c *gin.Context) {
		var ss session
		if tok, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer "); ok {
			ok, err := s.validToken(c, tok)
			if err != nil {
				s.fail(c, err)
				return
			}
			if !ok {
				s.fail(c, errUnauthorized)
				return
			}
			ss = session{ID: "api", LoggedIn: true, API: true}
		} else {
			v, err := c.Cookie(sessionCookie)
			var ok bool
			if err == nil {
				ss, ok = s.decodeSession(v)
			}
			if !ok {
				ss = s.newSession(!s.needAuth)
				s.setSessionCookie(c, ss)
			}
			if !s.needAuth {
				ss.LoggedIn = true
			}
		}
		c.Set(ctxSession, ss)

		path := c.Request.URL.Path
		open := path == "/login" || path == "/healthz" || strings.HasPrefix(path, "/static/")
		if !ss.LoggedIn && !open {
			if isAPI(c) || c.Request.Method != http.MethodGet {
				s.fail(c, errUnauthorized)
			} else {
				c.Redirect(http.StatusSeeOther, "/login?next="+urlQueryEscape(c.Request.URL.RequestURI()))
				c.Abort()
			}
			return
		}
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !ss.API {
				got := c.GetHeader("X-CSRF-Token")
				if got == "" {
					got = c.PostForm("csrf")
				}
				if subtle.ConstantTimeCompare([]byte(got), []byte(s.csrfToken(c))) != 1 {
					s.fail(c, errForbidden)
					return
				}
			}
		}
		c.Next()
	}
}

// validToken reports whether tok is one of the tokens from the
// environment or an active token of the archive (made with `aftershock
// token create` or on /tokens). Archive tokens are looked up at every
// request, so a revoked one is refused at once; their last use is recorded
// at most once a minute.
func (s *Server) validToken(ctx context.Context, tok string) (bool, error) {
	ok := false
	for _, t := range s.cfg.APITokens {
		if t != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(t)) == 1 {
			ok = true
		}
	}
	if ok {
		return true, nil
	}
	t, ok, err := s.a.Store.CheckToken(ctx, tok)
	if err != nil || !ok {
		return false, err
	}
	now := s.cfg.Now()
	s.tokenMu.Lock()
	last := s.tokenUsed[t.ID]
	touch := now.Sub(last) >= time.Minute
	if touch {
		s.tokenUsed[t.ID] = now
	}
	s.tokenMu.Unlock()
	if touch {
		if err := s.a.Store.TouchToken(ctx, t.ID, now); err != nil {
			s.log.Warn("API token: could not record its use", slog.String("token", t.Name), slog.Any("err", err))
		}
	}
	return true, nil
}

// limiter blocks a key after n failures within a window; successes are
// not counted.
type limiter struct {
	mu        sync.Mutex
	n         int
	window    time.Duration
	seen      map[string][]time.Time // failures within the window, per key
	lastSweep time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: map[string][]time.Time{}}
}

// recent is key's failures within the window before now.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	r := l.seen[key][:0]
	for _, t := range l.seen[key] {
		if now.Sub(t) < l.window {
			r = append(r, t)
		}
	}
	if len(r) == 0 {
		delete(l.seen, key)
		return nil
	}
	l.seen[key] = r
	return r
}

// blocked reports whether key has had n failures within the window.
func (l *limiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key, now)) >= l.n
}

// fail records a failure of key. Once a window, keys whose failures are all
// older than the window are forgotten, so the map holds at most the keys
// that failed within the last two windows.
func (l *limiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.window {
		for k := range l.seen {
			l.recent(k, now)
		}
		l.lastSweep = now
	}
	if r := l.recent(key, now); len(r) < l.n {
		l.seen[key] = append(r, now)
	}
}

// limits caps the time a request may take and the size of its body: a
// body over maxBody bytes is refused with 413 before any handler reads it,
// whether its length is announced or not (one at most maxBody is read into
// memory here, as a form or JSON handler would do anyway).
func (s *Server) limits() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), requestTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		if c.Request.ContentLength > maxBody {
			c.Header("Connection", "close")
			s.fail(c, &http.MaxBytesError{Limit: maxBody})
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxBody))
			if err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					c.Header("Connection", "close")
					s.fail(c, tooBig)
				} else {
					s.fail(c, badRequest("reading the request body: %v", err))
				}
				return
			}
			c.Request.Body = io.NopCloser(bytes.NewReader(b))
		}
		c.Next()
	}
}

// guardHost refuses (421) a request whose Host is not a name this server
// answers to, and (403) a mutating request from a page of another origin.
// /healthz answers whatever the Host: probes name the address they dial,
// and it tells nothing.
func (s *Server) guardHost() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.URL.Path != "/healthz" && !s.allowedHost(c.Request.Host) {
			s.log.Warn("refused a request for another host name (to answer to it, name it with --host or --public-url)",
				slog.String("host", c.Request.Host), slog.String("path", c.Request.URL.Path))
			s.fail(c, errMisdirected)
			return
		}
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if o, ok := c.Request.Header["Origin"]; ok && !s.sameOrigin(strings.Join(o, ","), c.Request.Host) {
				s.log.Warn("refused a request from a page of another origin (behind a proxy that changes Host, set --public-url)",
					slog.String("origin", strings.Join(o, ",")), slog.String("host", c.Request.Host), slog.String("path", c.Request.URL.Path))
				s.fail(c, errCrossOrigin)
				return
			}
		}
		c.Next()
	}
}

// allowedHost reports whether a request for host (a Host header: name or
// address, maybe a port) is for this server. Without restriction (a public
// address with no configured names) every host is; an empty Host (HTTP/1.0,
// never a browser) is too.
func (s *Server) allowedHost(host string) bool {
	if !s.restrictHosts || host == "" {
		return true
	}
	name := hostName(host)
	if name == "" {
		return false
	}
	return loopbackName(name) || s.hosts[name]
}

// sameOrigin reports whether origin (an Origin header) is this server:
// the request's own host, or a configured name.
func (s *Server) sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	name := hostName(u.Host)
	if name == "" {
		return false
	}
	if s.hosts[name] {
		return true
	}
	return strings.EqualFold(withoutDefaultPort(u.Host), withoutDefaultPort(host)) && s.allowedHost(host)
}

// hostName is host without its port, lower case, without a trailing dot;
// "" if it is not a valid host name or address.
func hostName(host string) string {
	name := host
	if h, port, err := net.SplitHostPort(host); err == nil {
		if port == "" || len(port) > 5 || strings.Trim(port, "0123456789") != "" {
			return ""
		}
		name = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1]
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if name == "" {
		return ""
	}
	if net.ParseIP(name) != nil {
		return name
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return ""
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return ""
			}
		}
	}
	return name
}

// loopbackName reports whether name (from hostName) always means this
// machine: localhost and its subdomains (RFC 6761; browsers never ask DNS
// for them), and loopback addresses.
func loopbackName(name string) bool {
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

func withoutDefaultPort(host string) string {
	if h, p, err := net.SplitHostPort(host); err == nil && (p == "80" || p == "443") {
		if strings.Contains(h, ":") {
			return "[" + h + "]"
		}
		return h
	}
	return host
}

// logRequests logs every request: method, path (without the query, which
// may hold what a reporter searches for), status, time.
func (s *Server) logRequests() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		s.log.Debug("request", slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
			slog.Int("status", c.Writer.Status()), slog.Duration("took", time.Since(start)))
	}
}

// loginPage shows the password form; loginPost checks it.
func (s *Server) loginPage(c *gin.Context) {
	s.render(c, http.StatusOK, "login", loginView{Next: safeNext(c.Query("next"))})
}

type loginView struct {
	Next, Error string
}

func (s *Server) loginPost(c *gin.Context) {
	next := safeNext(c.PostForm("next"))
	if !s.needAuth {
		c.Redirect(http.StatusSeeOther, next)
		return
	}
	// The client is the connection's address, or the one a configured
	// trusted proxy names; only failures count against it.
	client := c.ClientIP()
	if s.logins.blocked(client, s.cfg.Now()) {
		s.fail(c, errTooMany)
		return
	}
	pw := c.PostForm("password")
	if subtle.ConstantTimeCompare([]byte(pw), []byte(s.cfg.Password)) != 1 {
		s.logins.fail(client, s.cfg.Now())
		s.render(c, http.StatusUnauthorized, "login", loginView{Next: next, Error: "Wrong password."})
		return
	}
	s.setSessionCookie(c, s.newSession(true))
	c.Redirect(http.StatusSeeOther, next)
}

// logout revokes the session (every copy of its cookie) and gives the
// browser a new one, logged out.
func (s *Server) logout(c *gin.Context) {
	if ss := sessionOf(c); !ss.API {
		s.revokeSession(ss)
	}
	s.setSessionCookie(c, s.newSession(!s.needAuth))
	c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps a redirect target on this site: a path (with its query)
// of this origin, or "/". It reads next as a browser reads a Location
// (WHATWG URL): ASCII tab and newlines removed anywhere, C0 controls and
// spaces trimmed at both ends, a backslash as a slash; so "/\t/evil.example"
// and "/\\evil.example", which browsers resolve to another host, are
// refused. What it returns is re-encoded from the parsed path and query: no
// control character, space or backslash remains, and the fragment is
// dropped.
func safeNext(next string) string {
	n := strings.TrimFunc(next, func(r rune) bool { return r <= ' ' })
	n = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(n)
	if !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") {
		return "/"
	}
	u, err := url.Parse(n)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	out := (&url.URL{Path: u.Path, RawPath: u.RawPath}).EscapedPath()
	if u.RawQuery != "" {
		out += "?" + escapeQuery(u.RawQuery)
	}
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") || strings.ContainsFunc(out, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' }) {
		return "/"
	}
	return out
}

// escapeQuery percent-encodes the bytes of a raw query that are not
// printable ASCII or that a URL should not carry as is, leaving the rest
// (and the existing escapes) alone.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		switch ch := q[i]; {
		case ch <= ' ' || ch >= 0x7f || strings.IndexByte(`"<>\^`+"`{|}", ch) >= 0:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
