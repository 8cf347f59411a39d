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
	// tokenUsed is when each archive API token's use was last recorded.
	tokenMu   sync.Mutex
	tokenUsed map[int64]time.Time
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
		eventPages: newPageCache[*eventView](5*time.Minute, 256), searches: newPageCache[*searchView](time.Minute, 512),
		eventLists: newPageCache[*eventsView](time.Minute, 8)}, nil
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
	_ = r.SetTrustedProxies(nil)
	r.Use(s.recoverer(), s.logRequests(), s.limits(), s.session())
	s.routes(r)
	r.NoRoute(func(c *gin.Context) { s.fail(c, errNotFound) })
	r.NoMethod(func(c *gin.Context) { s.fail(c, errMethod) })
	return r
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
