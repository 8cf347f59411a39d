package twitter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aftershock/aftershock/collector/live"
)

// The filtered-stream endpoints (PROTOCOLS.md §1.4).
const (
	streamPath = "/2/tweets/search/stream"
	rulesPath  = "/2/tweets/search/stream/rules"

	// StallTimeout is how long a stream may send nothing, not even the
	// keep-alive X sends every 20 s, before it counts as dead.
	StallTimeout = 20 * time.Second

	maxStreamLine  = 4 << 20 // the longest stream line read
	maxStreamBatch = 100     // tweets emitted in one batch at most
	maxTagLen      = 512
	requestTimeout = 60 * time.Second // rules and back-fill requests
)

// X's reconnect schedule for refused connections: HTTP errors from 5 s
// doubling to 320 s, 429 from 1 min doubling (capped at 16 min, as X's v1.1
// clients did).
const (
	httpBackoffMin = 5 * time.Second
	httpBackoffMax = 320 * time.Second
	rateBackoffMin = time.Minute
	rateBackoffMax = 16 * time.Minute
)

// errStalled ends a stream on which nothing arrived for the stall timeout.
var errStalled = errors.New("no data or keep-alive within the stall timeout")

// StreamConfig configures a [Streamer]. The caller reads the bearer token
// from the environment variable AFTERSHOCK_X_BEARER_TOKEN.
type StreamConfig struct {
	BaseURL     string // API host, DefaultBaseURL when empty; tests point it at a fake
	BearerToken string // app-only bearer token; empty makes Stream fail with live.ErrAuth
	Query       string // the rule's value, e.g. `(#awsoutage OR "aws down") -is:retweet`
	Tag         string // the rule's tag: the Streamer owns the rules with this tag
}

// Streamer follows the X API v2 filtered stream (GET
// /2/tweets/search/stream) as a [live.Streamer], for one rule that it keeps
// in place. A stream cannot replay, so every Stream first back-fills with
// recent search from the cursor; the cursor is that of a [Search]. See the
// package documentation.
type Streamer struct {
	cfg          StreamConfig
	base         string
	client       *http.Client // rules requests
	streamClient *http.Client // the stream: client without its Timeout
	search       *Search      // the back-fill
	log          *slog.Logger
	now          func() time.Time
	stall        time.Duration

	mu                   sync.Mutex
	httpFails, rateFails int // refused connections in a row, by class
}

// NewStreamer returns a streamer for cfg. A nil client gets one with a 60 s
// timeout for the rules and search requests; the stream itself uses a copy
// of the client without Timeout (the stall timeout ends dead streams). A nil
// log discards.
func NewStreamer(cfg StreamConfig, client *http.Client, log *slog.Logger) (*Streamer, error) {
	cfg.Tag = strings.TrimSpace(cfg.Tag)
	if cfg.Tag == "" || len(cfg.Tag) > maxTagLen {
		return nil, fmt.Errorf("x stream: tag must be 1–%d bytes, is %d", maxTagLen, len(cfg.Tag))
	}
	search, err := NewSearch(Config{BaseURL: cfg.BaseURL, BearerToken: cfg.BearerToken, Query: cfg.Query}, client, log)
	if err != nil {
		return nil, fmt.Errorf("x stream %q: %w", cfg.Tag, err)
	}
	cfg.Query, cfg.BaseURL = search.cfg.Query, search.cfg.BaseURL
	if client == nil {
		client = &http.Client{Timeout: requestTimeout}
	}
	sc := *client
	sc.Timeout = 0
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Streamer{
		cfg:          cfg,
		base:         strings.TrimRight(cfg.BaseURL, "/"),
		client:       client,
		streamClient: &sc,
		search:       search,
		log:          log,
		now:          time.Now,
		stall:        StallTimeout,
	}, nil
}

// Name implements live.Streamer: "x:stream <tag>".
func (s *Streamer) Name() string { return "x:stream " + s.cfg.Tag }

// Stream implements live.Streamer. It makes sure the rule is in place,
// connects, back-fills with recent search from cursor (emitting those
// batches with their search cursors), then emits the streamed tweets in
// batches that keep the stored cursor, until the connection ends. It
// returns an *live.HTTPError when the connection is refused (RetryAfter per
// X's reconnect schedule), an error wrapping live.ErrAuth for a missing or
// refused token, and an error when the stream stalls, drops or X sends an
// error frame.
func (s *Streamer) Stream(ctx context.Context, cursor string, emit func(live.Batch) error) error {
	if s.cfg.BearerToken == "" {
		return fmt.Errorf("x stream %q: no bearer token (AFTERSHOCK_X_BEARER_TOKEN): %w", s.cfg.Tag, live.ErrAuth)
	}
	if _, err := parseSearchCursor(cursor); err != nil {
		return fmt.Errorf("x stream %q: %w", s.cfg.Tag, err)
	}
	rules, err := s.ensureRule(ctx)
	if err != nil {
		return fmt.Errorf("x stream %q: rules: %w", s.cfg.Tag, err)
	}

	// Connect first, then back-fill: whatever the back-fill misses was
	// posted after the connection opened and comes on the stream.
	connCtx, cancelConn := context.WithCancel(ctx)
	defer cancelConn()
	var stalled atomic.Bool
	timer := time.AfterFunc(s.stall, func() { stalled.Store(true); cancelConn() })
	defer timer.Stop()
	body, err := s.connect(connCtx)
	if err != nil {
		if stalled.Load() {
			err = errStalled
		}
		return fmt.Errorf("x stream %q: connect: %w", s.cfg.Tag, err)
	}
	defer body.Close()
	timer.Reset(s.stall)
	lines := make(chan streamRead, 4*maxStreamBatch)
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		readStream(body, lines, quit, timer, s.stall)
	}()
	defer func() { close(quit); cancelConn(); <-done }()

	if err := s.backfill(ctx, cursor, emit); err != nil {
		return err
	}

	for {
		var r streamRead
		select {
		case <-ctx.Done():
			return nil
		case r = <-lines:
		}
		var b live.Batch
		var end error
		for {
			if r.err != nil {
				end = r.err
				if stalled.Load() {
					end = errStalled
				}
				end = fmt.Errorf("x stream %q: %w", s.cfg.Tag, end)
				break
			}
			if end = s.handleLine(r.line, rules, &b); end != nil || len(b.Posts) >= maxStreamBatch {
				break
			}
			select {
			case r = <-lines:
				continue
			default:
			}
			break
		}
		if len(b.Posts) > 0 || b.Skipped > 0 {
			if err := emit(b); err != nil {
				return err
			}
		}
		if end != nil {
			return end
		}
	}
}

// backfill follows recent search from cursor to caught-up, emitting each
// page with its cursor.
func (s *Streamer) backfill(ctx context.Context, cursor string, emit func(live.Batch) error) error {
	for {
		fctx, cancel := context.WithTimeout(ctx, requestTimeout)
		b, err := s.search.Fetch(fctx, cursor)
		cancel()
		if err != nil {
			return fmt.Errorf("x stream %q: back-fill: %w", s.cfg.Tag, err)
		}
		if err := emit(b); err != nil {
			return err
		}
		if b.Cursor != "" {
			cursor = b.Cursor
		}
		if !b.More {
			return nil
		}
	}
}

// handleLine adds one stream line to b, or returns the error that ends the
// stream (an error frame).
func (s *Streamer) handleLine(line []byte, rules ruleMatch, b *live.Batch) error {
	fr, err := parseStreamLine(line)
	switch {
	case err != nil:
		s.log.Warn("x stream: line skipped", "source", s.Name(), "err", err, "excerpt", live.Excerpt(line))
		b.Skipped++
		return nil
	case fr.keepAlive:
		return nil
	case !fr.tweet:
		if e := requestError(fr.errs); e != nil {
			return fmt.Errorf("x stream %q: error frame: %s", s.cfg.Tag, describeError(e))
		}
		for i := range fr.errs {
			s.log.Warn("x stream: error frame about a resource", "source", s.Name(), "title", fr.errs[i].Title, "detail", fr.errs[i].Detail)
		}
		return nil
	case !rules.matches(fr.rules):
		s.log.Debug("x stream: tweet of another rule", "source", s.Name(), "excerpt", live.Excerpt(line))
		return nil
	}
	for i := range fr.errs {
		s.log.Warn("x stream: partial error", "source", s.Name(), "title", fr.errs[i].Title, "detail", fr.errs[i].Detail)
		b.Skipped++
	}
	now := s.now().UTC()
	for it := range DecodeTwarc2(bytes.NewReader(line)) {
		switch {
		case it.Post != nil:
			if it.Post.CollectedAt.IsZero() {
				it.Post.CollectedAt = now
			}
			b.Posts = append(b.Posts, *it.Post)
		case it.Err != nil:
			s.log.Warn("x stream: record skipped", "source", s.Name(), "err", it.Err, "excerpt", live.Excerpt(line))
			b.Skipped++
		}
	}
	return nil
}

// streamFrame is what one line of the filtered stream is: a keep-alive, a
// tweet with its includes and matching rules, or an error frame.
type streamFrame struct {
	keepAlive bool
	tweet     bool
	rules     []matchedRule
	errs      []v2Error
}

type matchedRule struct {
	ID  jsonString `json:"id"`
	Tag string     `json:"tag"`
}

// parseStreamLine reads one line of the stream (without or with its
// "\r\n"); an error means a line that is none of the three frames.
func parseStreamLine(line []byte) (streamFrame, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return streamFrame{keepAlive: true}, nil
	}
	if k := objectKind(line); k != "" {
		return streamFrame{}, fmt.Errorf("stream line is %s, not an object", k)
	}
	var v struct {
		Data          json.RawMessage `json:"data"`
		Errors        []v2Error       `json:"errors"`
		MatchingRules []matchedRule   `json:"matching_rules"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return streamFrame{}, fmt.Errorf("stream line: %w", err)
	}
	fr := streamFrame{rules: v.MatchingRules, errs: v.Errors}
	switch {
	case present(v.Data):
		if k := objectKind(v.Data); k != "" {
			return streamFrame{}, fmt.Errorf("stream line: data is %s, not a tweet", k)
		}
		fr.tweet = true
	case len(v.Errors) == 0:
		return streamFrame{}, errors.New("stream line has neither data nor errors")
	}
	return fr, nil
}

// ruleMatch tells the tweets of our rule: its tag, or the id of a rule with
// our query that carries another tag.
type ruleMatch struct {
	tag string
	ids map[string]bool
}

// matches reports whether a tweet with these matching_rules is ours. A tweet
// without matching_rules is kept (better a stray post than a lost one).
func (m ruleMatch) matches(rs []matchedRule) bool {
	if len(rs) == 0 {
		return true
	}
	for _, r := range rs {
		if r.Tag == m.tag || m.ids[string(r.ID)] {
			return true
		}
	}
	return false
}

// streamRead is a line read from the stream or the error that ended it.
type streamRead struct {
	line []byte
	err  error
}

// readStream sends the lines of body to out until it fails, then the error,
// or until quit is closed. The timer (which cancels the connection when it
// fires) is stopped while a line waits to be taken, so a slow consumer is
// not a stalled stream.
func readStream(body io.Reader, out chan<- streamRead, quit <-chan struct{}, timer *time.Timer, stall time.Duration) {
	br := bufio.NewReaderSize(body, 64<<10)
	for {
		line, err := readLine(br)
		timer.Stop()
		r := streamRead{line: line, err: err}
		if err == io.EOF {
			r.err = errors.New("connection closed by the server")
		}
		select {
		case out <- r:
		case <-quit:
			return
		}
		if err != nil {
			return
		}
		timer.Reset(stall)
	}
}

// readLine reads up to and including "\n" (at most maxStreamLine bytes).
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			if len(line) > maxStreamLine {
				return nil, fmt.Errorf("stream line longer than %d bytes", maxStreamLine)
			}
		case err == io.EOF && len(line) > 0:
			return nil, fmt.Errorf("connection dropped mid-line: %w", io.ErrUnexpectedEOF)
		default:
			return nil, err
		}
	}
}

// connect opens the stream. A refused connection is an *live.HTTPError whose
// RetryAfter follows X's schedule (or the response's headers, if later);
// 401/403 wrap live.ErrAuth.
func (s *Streamer) connect(ctx context.Context) (io.ReadCloser, error) {
	v := url.Values{}
	v.Set("tweet.fields", searchFields)
	v.Set("expansions", searchExpand)
	v.Set("user.fields", searchUsers)
	v.Set("media.fields", searchMedia)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+streamPath+"?"+v.Encode(), nil)
	if err != nil {
		return nil, err
	}
	s.header(req)
	resp, err := s.streamClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		s.mu.Lock()
		s.httpFails, s.rateFails = 0, 0
		s.mu.Unlock()
		return resp.Body, nil
	}
	defer resp.Body.Close()
	he := s.httpError(resp)
	if errors.Is(he, live.ErrAuth) {
		return nil, he
	}
	var e *live.HTTPError
	errors.As(he, &e)
	s.mu.Lock()
	if e.Status == http.StatusTooManyRequests {
		s.rateFails++
		e.RetryAfter = max(e.RetryAfter, doubling(s.rateFails, rateBackoffMin, rateBackoffMax))
	} else {
		s.httpFails++
		e.RetryAfter = max(e.RetryAfter, doubling(s.httpFails, httpBackoffMin, httpBackoffMax))
	}
	s.mu.Unlock()
	return nil, e
}

// doubling is the n-th wait (n ≥ 1) of a schedule doubling from lo, capped
// at hi.
func doubling(n int, lo, hi time.Duration) time.Duration {
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

func (s *Streamer) header(req *http.Request) {
	req.Header.Set("Authorization", "Bearer "+s.cfg.BearerToken)
	req.Header.Set("User-Agent", live.UserAgent)
}

// httpError turns a response that is not 2xx into an *live.HTTPError, or
// one wrapping live.ErrAuth for 401/403, as live.Get does.
func (s *Streamer) httpError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	h := resp.Header
	if resp.StatusCode != http.StatusTooManyRequests && h.Get("X-Rate-Limit-Remaining") != "0" {
		// X sends its rate-limit window on every response: its reset
		// says when to come back only once the window is used up.
		h = http.Header{"Retry-After": h.Values("Retry-After")}
	}
	he := &live.HTTPError{Status: resp.StatusCode, RetryAfter: live.RetryAfter(h, s.now()), Body: live.Excerpt(body)}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fmt.Errorf("%w: %w", live.ErrAuth, he)
	}
	return he
}

// streamRule is a rule as the rules endpoint lists it.
type streamRule struct {
	ID    jsonString `json:"id"`
	Value string     `json:"value"`
	Tag   string     `json:"tag"`
}

// rulesResponse is the answer of GET and POST …/stream/rules.
type rulesResponse struct {
	Data []streamRule `json:"data"`
	Meta struct {
		Summary struct {
			Created    jsonCount `json:"created"`
			NotCreated jsonCount `json:"not_created"`
			Deleted    jsonCount `json:"deleted"`
			NotDeleted jsonCount `json:"not_deleted"`
		} `json:"summary"`
	} `json:"meta"`
	Errors []struct {
		ID      jsonString `json:"id"`
		Value   any        `json:"value"`
		Title   string     `json:"title"`
		Detail  string     `json:"detail"`
		Details []string   `json:"details"`
	} `json:"errors"`
}

// errorText describes the errors of a rules response.
func (r *rulesResponse) errorText() string {
	var parts []string
	for _, e := range r.Errors {
		p := e.Title
		if e.Detail != "" {
			p += ": " + e.Detail
		}
		if len(e.Details) > 0 {
			p += ": " + strings.Join(e.Details, "; ")
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "(no error given)"
	}
	return strings.Join(parts, ", ")
}

// ensureRule makes the app's rules hold one rule with the query, tagged
// with the tag, and no other rule with that tag. It returns how to tell the
// rule's tweets.
func (s *Streamer) ensureRule(ctx context.Context) (ruleMatch, error) {
	m := ruleMatch{tag: s.cfg.Tag, ids: map[string]bool{}}
	var list rulesResponse
	if err := s.rulesRequest(ctx, http.MethodGet, "", nil, &list); err != nil {
		return m, err
	}
	var stale []string
	for _, r := range list.Data {
		switch {
		case r.Value == s.cfg.Query:
			m.ids[string(r.ID)] = true // ours, or the same query under another tag
		case r.Tag == s.cfg.Tag:
			stale = append(stale, string(r.ID))
		}
	}
	if len(m.ids) == 0 {
		id, err := s.addRule(ctx, false)
		if err != nil {
			return m, err
		}
		m.ids[id] = true
		s.log.Info("x stream: rule added", "source", s.Name(), "id", id, "value", s.cfg.Query)
	}
	if len(stale) > 0 {
		var del rulesResponse
		req := map[string]any{"delete": map[string]any{"ids": stale}}
		if err := s.rulesRequest(ctx, http.MethodPost, "", req, &del); err != nil {
			return m, fmt.Errorf("deleting stale rules %v: %w", stale, err)
		}
		if int(del.Meta.Summary.Deleted) != len(stale) {
			return m, fmt.Errorf("deleting stale rules %v: %d deleted: %s", stale, del.Meta.Summary.Deleted, del.errorText())
		}
		s.log.Info("x stream: stale rules deleted", "source", s.Name(), "ids", stale)
	}
	return m, nil
}

// addRule adds the rule (or with dryRun only validates it) and returns its
// id ("" on a dry run). A rule with the same value that exists already is
// not an error: its id is returned.
func (s *Streamer) addRule(ctx context.Context, dryRun bool) (string, error) {
	var add rulesResponse
	req := map[string]any{"add": []map[string]string{{"value": s.cfg.Query, "tag": s.cfg.Tag}}}
	query := ""
	if dryRun {
		query = "dry_run=true"
	}
	if err := s.rulesRequest(ctx, http.MethodPost, query, req, &add); err != nil {
		return "", err
	}
	for _, r := range add.Data {
		if r.Value == s.cfg.Query && validID(string(r.ID)) {
			return string(r.ID), nil
		}
	}
	for _, e := range add.Errors {
		if e.Title == "DuplicateRule" && validID(string(e.ID)) {
			return string(e.ID), nil
		}
	}
	if dryRun && add.Meta.Summary.NotCreated == 0 && len(add.Errors) == 0 {
		return "", nil
	}
	return "", fmt.Errorf("rule %q refused: %s", s.cfg.Query, add.errorText())
}

// CheckRule asks X whether the query is a valid rule (POST …/stream/rules
// with dry_run=true), changing nothing: a caller can check a configuration
// before it runs.
func (s *Streamer) CheckRule(ctx context.Context) error {
	if s.cfg.BearerToken == "" {
		return fmt.Errorf("x stream %q: no bearer token (AFTERSHOCK_X_BEARER_TOKEN): %w", s.cfg.Tag, live.ErrAuth)
	}
	if _, err := s.addRule(ctx, true); err != nil {
		return fmt.Errorf("x stream %q: %w", s.cfg.Tag, err)
	}
	return nil
}

// rulesRequest sends a GET or POST to the rules endpoint and decodes the
// answer into out.
func (s *Streamer) rulesRequest(ctx context.Context, method, query string, body any, out *rulesResponse) error {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	u := s.base + rulesPath
	if query != "" {
		u += "?" + query
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	s.header(req)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return s.httpError(resp)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, live.MaxBody))
	if err != nil {
		return fmt.Errorf("reading rules: %w", err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decoding rules: %w (%s)", err, live.Excerpt(data))
	}
	return nil
}
