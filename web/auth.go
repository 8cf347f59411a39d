package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
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
	if err != nil || s.cfg.Now().Unix() > exp {
		return session{}, false
	}
	return session{ID: parts[0], LoggedIn: parts[1] == "1", Expires: time.Unix(exp, 0)}, true
}

func (s *Server) newSession(loggedIn bool) session {
	b := make([]byte, 18)
	rand.Read(b)
	return session{ID: base64.RawURLEncoding.EncodeToString(b), LoggedIn: loggedIn, Expires: s.cfg.Now().Add(sessionTTL)}
}

func (s *Server) setSessionCookie(c *gin.Context, ss session) {
	http.SetCookie(c.Writer, &http.Cookie{Name: sessionCookie, Value: s.encodeSession(ss), Path: "/",
		Expires: ss.Expires, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil})
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

// limiter allows n attempts per key in a window.
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   map[string][]time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, seen: map[string][]time.Time{}}
}

func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.seen[key][:0]
	for _, t := range l.seen[key] {
		if now.Sub(t) < l.window {
			recent = append(recent, t)
		}
	}
	if len(recent) >= l.n {
		l.seen[key] = recent
		return false
	}
	l.seen[key] = append(recent, now)
	return true
}

// limits caps the request body and the time a request may take.
func (s *Server) limits() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
		ctx, cancel := context.WithTimeout(c.Request.Context(), requestTimeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
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
	if !s.logins.allow(c.ClientIP(), s.cfg.Now()) {
		s.fail(c, errTooMany)
		return
	}
	pw := c.PostForm("password")
	if subtle.ConstantTimeCompare([]byte(pw), []byte(s.cfg.Password)) != 1 {
		s.render(c, http.StatusUnauthorized, "login", loginView{Next: next, Error: "Wrong password."})
		return
	}
	s.setSessionCookie(c, s.newSession(true))
	c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c *gin.Context) {
	s.setSessionCookie(c, s.newSession(false))
	c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps a redirect target on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
