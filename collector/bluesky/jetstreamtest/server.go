// Package jetstreamtest is a fake Bluesky Jetstream v1 server for tests and
// benchmarks: a WebSocket endpoint /subscribe that sends the events it was
// given as text frames, the way wss://jetstream*.bsky.network/subscribe
// does (see PROTOCOLS.md §3.1).
//
// What it honours, like Jetstream: cursor (unix µs; only events with
// time_us >= cursor are sent, in the order given, so an out-of-order
// time_us is reproduced as the real service shows it), wantedCollections
// (repeatable, an NSID or an "app.bsky.feed.*" prefix; identity and account
// events ignore it), wantedDids. A cursor that is not a number is refused
// with HTTP 400. Without a cursor the fake sends every event from the first
// (its "now" is before its first event).
//
// What it can be told to do ([Options]): send at a fixed rate, drop the
// connection abruptly (no close frame) after N events, send one malformed
// frame, close cleanly once every event is sent. By default, after the last
// event the connection stays open and silent, like a caught-up stream.
//
// It records every connection (its query, how many events it got, whether
// it was dropped) and when each event was first sent, so that a caller can
// measure how long an event takes from the wire to wherever it goes.
//
// [Synthesize] makes any number of distinct post events from recorded
// samples, for rate tests; [SplitLines] cuts a JSON Lines file into events.
package jetstreamtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Options says how the fake behaves. The zero value sends every event as
// fast as possible and keeps the connection open afterwards.
type Options struct {
	// Rate is the number of events sent per second on each connection; 0 =
	// as fast as the client reads.
	Rate float64
	// DropAfter drops a connection (closes the TCP connection without a
	// WebSocket close frame) once it has been sent this many events; 0 =
	// never.
	DropAfter int
	// Drops is how many connections DropAfter applies to, counting from the
	// first; 0 = every connection.
	Drops int
	// MalformedAfter sends one malformed frame on the first connection
	// after this many events; 0 = none.
	MalformedAfter int
	// Malformed is that frame; nil = an event cut short.
	Malformed []byte
	// CloseWhenDone closes the connection with a normal close frame once
	// every event is sent, instead of staying open and silent.
	CloseWhenDone bool
}

// Conn is what the fake recorded about one connection.
type Conn struct {
	Query   string // the raw query string of the request
	Cursor  int64  // the cursor asked for; 0 = none
	Sent    int    // events sent on it (malformed frames not counted)
	Dropped bool   // closed by the fake after DropAfter events
}

// Server is a running fake Jetstream. Close it when done.
type Server struct {
	// URL is the subscribe endpoint, ws://127.0.0.1:<port>/subscribe.
	URL string

	events []event
	opts   Options
	srv    *httptest.Server
	done   chan struct{}
	once   sync.Once

	mu     sync.Mutex
	conns  []*Conn
	sentAt map[int64]time.Time
}

// event is one event with what the fake filters on, read once.
type event struct {
	data       []byte
	ok         bool // false when data is not a JSON object with time_us
	did        string
	timeUS     int64
	kind       string
	collection string
}

// New starts a fake serving events (one JSON event each, as Jetstream
// sends them; the slices are not modified).
func New(events [][]byte, opts Options) *Server {
	s := &Server{opts: opts, done: make(chan struct{}), sentAt: map[int64]time.Time{}}
	for _, data := range events {
		s.events = append(s.events, parseEvent(data))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /subscribe", s.subscribe)
	s.srv = httptest.NewServer(mux)
	s.URL = "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/subscribe"
	return s
}

func parseEvent(data []byte) event {
	var ev struct {
		Did    string `json:"did"`
		TimeUS *int64 `json:"time_us"`
		Kind   string `json:"kind"`
		Commit *struct {
			Collection string `json:"collection"`
		} `json:"commit"`
	}
	if err := json.Unmarshal(data, &ev); err != nil || ev.TimeUS == nil {
		return event{data: data}
	}
	e := event{data: data, ok: true, did: ev.Did, timeUS: *ev.TimeUS, kind: ev.Kind}
	if ev.Commit != nil {
		e.collection = ev.Commit.Collection
	}
	return e
}

// Close stops the fake and ends every open connection.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
	s.srv.Close()
}

// Conns returns what was recorded about each connection so far, in the
// order they were opened.
func (s *Server) Conns() []Conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Conn, len(s.conns))
	for i, c := range s.conns {
		out[i] = *c
	}
	return out
}

// TimeUS returns the time_us of an event (a post's Raw, as the bluesky
// decoder keeps the whole event); ok is false when it has none.
func TimeUS(event []byte) (us int64, ok bool) {
	e := parseEvent(event)
	return e.timeUS, e.ok
}

// SentAt returns when the event with this time_us was first sent.
func (s *Server) SentAt(timeUS int64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.sentAt[timeUS]
	return t, ok
}

// filter is what a connection asked for.
type filter struct {
	cursor      int64
	hasCursor   bool
	collections []string
	dids        map[string]bool
}

func (f *filter) wants(e *event) bool {
	if !e.ok {
		return !f.hasCursor
	}
	if f.hasCursor && e.timeUS < f.cursor {
		return false
	}
	if len(f.dids) > 0 && !f.dids[e.did] {
		return false
	}
	if e.kind != "commit" || len(f.collections) == 0 {
		return true // identity and account events ignore wantedCollections
	}
	for _, c := range f.collections {
		if prefix, ok := strings.CutSuffix(c, ".*"); ok {
			if strings.HasPrefix(e.collection, prefix+".") {
				return true
			}
		} else if c == e.collection {
			return true
		}
	}
	return false
}

func badRequest(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	b, _ := json.Marshal(map[string]string{"error": msg})
	w.Write(b)
}

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f filter
	if v := q.Get("cursor"); v != "" {
		c, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			badRequest(w, "invalid cursor")
			return
		}
		// Like Jetstream: a cursor of 0 or one in the future means live.
		f.cursor, f.hasCursor = c, c > 0
	}
	for _, c := range q["wantedCollections"] {
		if c == "" || strings.ContainsAny(c, " /?#") || strings.Count(c, "*") > 1 ||
			(strings.Contains(c, "*") && !strings.HasSuffix(c, ".*")) {
			badRequest(w, "invalid wantedCollections")
			return
		}
		f.collections = append(f.collections, c)
	}
	if dids := q["wantedDids"]; len(dids) > 0 {
		f.dids = map[string]bool{}
		for _, d := range dids {
			f.dids[d] = true
		}
	}

	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has written the error response
	}
	defer conn.CloseNow()
	rec := &Conn{Query: r.URL.RawQuery, Cursor: f.cursor}
	s.mu.Lock()
	index := len(s.conns)
	s.conns = append(s.conns, rec)
	s.mu.Unlock()

	base, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-base.Done():
		}
	}()
	// Read (and discard) what the client sends, so that its close frames
	// and pongs are handled; ctx ends when the client goes away.
	ctx := conn.CloseRead(base)

	drop := s.opts.DropAfter > 0 && (s.opts.Drops == 0 || index < s.opts.Drops)
	malformedAfter := 0
	if index == 0 {
		malformedAfter = s.opts.MalformedAfter
	}
	start := time.Now()
	sent := 0
	for i := range s.events {
		e := &s.events[i]
		if !f.wants(e) {
			continue
		}
		if s.opts.Rate > 0 {
			due := start.Add(time.Duration(float64(sent) / s.opts.Rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					return
				}
			}
		}
		if err := conn.Write(ctx, websocket.MessageText, e.data); err != nil {
			return
		}
		sent++
		s.mu.Lock()
		rec.Sent = sent
		if _, ok := s.sentAt[e.timeUS]; !ok && e.ok {
			s.sentAt[e.timeUS] = time.Now()
		}
		s.mu.Unlock()
		if sent == malformedAfter {
			bad := s.opts.Malformed
			if bad == nil {
				bad = e.data[:len(e.data)/2]
			}
			if err := conn.Write(ctx, websocket.MessageText, bad); err != nil {
				return
			}
		}
		if drop && sent == s.opts.DropAfter {
			s.mu.Lock()
			rec.Dropped = true
			s.mu.Unlock()
			return // the deferred CloseNow: no close frame
		}
	}
	if s.opts.CloseWhenDone {
		conn.Close(websocket.StatusNormalClosure, "")
		return
	}
	<-ctx.Done()
}

// SplitLines cuts a JSON Lines file into its non-empty lines (without the
// line ends), the events a recorder wrote.
func SplitLines(data []byte) [][]byte {
	var out [][]byte
	for line := range bytes.Lines(data) {
		line = bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(line)) > 0 {
			out = append(out, line)
		}
	}
	return out
}
