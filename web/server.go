package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/archive"
)

// Config is how a Server is set up.
type Config struct {
	Archive *archive.Archive // open, with its index (the server owns it)
	Log     *slog.Logger
	// Addr is where Serve listens ("127.0.0.1:8080"). Anything but a
	// loopback address needs Password.
	Addr string
	// Password lets a browser log in; APITokens let scripts call the API
	// with "Authorization: Bearer <token>". Both come from the environment
	// or a file, never from a flag default. Empty on loopback: no login.
	Password  string
	APITokens []string
	// Demo marks the archive as holding generated demonstration data; every
	// page says so.
	Demo bool
	// Now is the clock (tests); nil = time.Now.
	Now func() time.Time
	// PublicURL is where people reach the server when it is not Addr, as
	// behind a reverse proxy ("https://aftershock.example.org"). Its host
	// name is accepted in Host and Origin headers; an https URL makes the
	// session cookie Secure (as serving TLS itself would).
	PublicURL string
	// Hosts are more host names (or addresses) the server answers to,
	// besides loopback names and PublicURL's host; a port is ignored. A
	// server on a loopback address, or with Hosts or PublicURL set, refuses
	// any other Host with 421 (DNS rebinding); one on another address
	// without them answers to any (its password guards it).
	Hosts []string
	// TrustedProxies are addresses or CIDR ranges of reverse proxies whose
	// X-Forwarded-For (or X-Real-IP) header names the client, which the
	// login limiter counts by. Empty: the connection's address is the
	// client, and those headers are ignored.
	TrustedProxies []string
}

// Server is the web app: HTML pages and their /api/v1 JSON twins over one
// archive.
type Server struct {
	cfg      Config
	a        *archive.Archive
	log      *slog.Logger
	pages    map[string]*template.Template
	key      []byte // signs session and CSRF cookies; new at every start
	logins   *limiter
	started  time.Time
	needAuth bool
	// eventPages caches built event pages (see cache.go).
	eventPages *pageCache[*eventView]
	searches   *pageCache[*searchView]
	eventLists *pageCache[*eventsView]
	stats      *statsCache // archive-wide counts of / and /status (see cache.go)
	// tokenUsed is when each archive API token's use was last recorded.
	tokenMu   sync.Mutex
	tokenUsed map[int64]time.Time
	// revoked are the ids of sessions logged out, until they expire.
	revokedMu sync.Mutex
	revoked   map[string]time.Time
	// public is cfg.PublicURL parsed (zero if unset); hosts the names of
	// cfg.Hosts and PublicURL, lower case; restrictHosts whether other
	// Host headers than these and loopback names are refused.
	public        url.URL
	hosts         map[string]bool
	restrictHosts bool
}

// Limits of requests.
const (
	maxBody        = 1 << 20 // bytes of a request body
	requestTimeout = 30 * time.Second
)

// New checks cfg and builds a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Archive == nil || cfg.Archive.Index == nil {
		return nil, errors.New("web: the archive and its index must be open")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	loopback, err := isLoopback(cfg.Addr)
	if err != nil {
		return nil, err
	}
	if !loopback && cfg.Password == "" {
		return nil, fmt.Errorf("web: listening on %s (not loopback) needs a password: set AFTERSHOCK_PASSWORD or AFTERSHOCK_PASSWORD_FILE", cfg.Addr)
	}
	hosts := map[string]bool{}
	var public url.URL
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || hostName(u.Host) == "" || u.User != nil {
			return nil, fmt.Errorf("web: public URL %q: want http(s)://name[:port][/path]", cfg.PublicURL)
		}
		public = *u
		hosts[hostName(u.Host)] = true
	}
	for _, h := range cfg.Hosts {
		name := hostName(h)
		if name == "" {
			return nil, fmt.Errorf("web: host %q: want a host name or address, with or without a port", h)
		}
		hosts[name] = true
	}
	for _, p := range cfg.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, fmt.Errorf("web: trusted proxy %q: want an IP address or a CIDR range", p)
		}
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, a: cfg.Archive, log: cfg.Log, pages: pages, key: key,
		logins: newLimiter(5, time.Minute), tokenUsed: map[int64]time.Time{}, started: cfg.Now(), needAuth: cfg.Password != "",
		revoked: map[string]time.Time{}, public: public, hosts: hosts, restrictHosts: loopback || len(hosts) > 0,
		eventPages: newPageCache[*eventView](5*time.Minute, 256), searches: newPageCache[*searchView](time.Minute, 512),
		eventLists: newPageCache[*eventsView](time.Minute, 8), stats: newStatsCache()}, nil
}

// isLoopback reports whether addr's host is a loopback address or name.
func isLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("web: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// Handler returns the HTTP handler: Gin with every route of routes.go.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	// A *gin.Context passed as a context.Context carries the request's
	// (its deadline, its cancellation when the client leaves).
	r.ContextWithFallback = true
	// Checked in New: a bad entry cannot fail here.
	_ = r.SetTrustedProxies(s.cfg.TrustedProxies)
	r.Use(s.recoverer(), securityHeaders, s.logRequests(), s.guardHost(), s.limits(), s.session())
	s.routes(r)
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethod) })
	return r
}

// csp is the Content-Security-Policy of every response: no scripts, no
// frames, styles and images from this site only.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets on every response, whatever its type or status, the
// CSP, nosniff (a JSON, CSV or SVG answer is never read as HTML or script)
// and the referrer policy. A handler may still replace them.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// Serve listens on cfg.Addr until ctx ends, then shuts down gracefully:
// requests in flight get up to 10 seconds to finish.
func (s *Server) Serve(ctx context.Context, ready func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports of whole events stream for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
