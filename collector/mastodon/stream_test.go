package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// streamFake adds Mastodon's streaming API to the REST fake: server-sent
// events on /api/v1/streaming/hashtag?tag=ichbinhanna (and /public), which
// need the bearer token (401 otherwise, as since Mastodon 4.2). publish
// makes statuses visible to REST and pushes them as "update" events to the
// connected streams only: like Mastodon, it keeps nothing for a client that
// is not connected. It writes ":thump\n" heartbeats when asked, can drop
// every open stream, and can fail the next stream requests.
type streamFake struct {
	*fake
	srv *httptest.Server

	smu        sync.Mutex
	conns      map[chan string]bool
	drop       chan struct{} // closed to drop the open streams
	heartbeat  time.Duration
	sfailures  []string // the next stream requests fail: "429", "500", "html"
	streams    int      // stream requests
	emptyPages int      // REST pages served without a status
	onEmpty    func()   // called once after the next empty REST page
	done       chan struct{}
}

func newStreamFake(t *testing.T) *streamFake {
	t.Helper()
	sf := &streamFake{fake: newFake(t), conns: map[chan string]bool{}, drop: make(chan struct{}), done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/streaming/", sf.serveStream)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		sf.serve(rec, r)
		if strings.TrimSpace(rec.body.String()) == "[]" {
			sf.smu.Lock()
			sf.emptyPages++
			hook := sf.onEmpty
			sf.onEmpty = nil
			sf.smu.Unlock()
			if hook != nil {
				hook()
			}
		}
	})
	sf.srv = httptest.NewServer(mux)
	t.Cleanup(sf.srv.Close)
	t.Cleanup(func() { close(sf.done) }) // runs first: ends the stream handlers
	return sf
}

type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (sf *streamFake) serveStream(w http.ResponseWriter, r *http.Request) {
	sf.smu.Lock()
	sf.streams++
	var fail string
	if len(sf.sfailures) > 0 {
		fail, sf.sfailures = sf.sfailures[0], sf.sfailures[1:]
	}
	hb, drop := sf.heartbeat, sf.drop
	sf.smu.Unlock()
	switch fail {
	case "429":
		w.Header().Set("Retry-After", "30")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "Too many requests"})
		return
	case "500":
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
		return
	case "html":
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>maintenance</html>")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+sf.token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Error: Access token does not cover required scopes"})
		return
	}
	switch {
	case r.URL.Path == "/api/v1/streaming/hashtag" && r.URL.Query().Get("tag") == "ichbinhanna":
	case r.URL.Path == "/api/v1/streaming/public":
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "Unknown stream type", "status": 400})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	fl := w.(http.Flusher)
	fl.Flush()
	ch := make(chan string, 1000)
	sf.smu.Lock()
	sf.conns[ch] = true
	sf.smu.Unlock()
	defer func() {
		sf.smu.Lock()
		delete(sf.conns, ch)
		sf.smu.Unlock()
	}()
	var tick <-chan time.Time
	if hb > 0 {
		tk := time.NewTicker(hb)
		defer tk.Stop()
		tick = tk.C
	}
	for {
		select {
		case frame := <-ch:
			_, _ = io.WriteString(w, frame)
			fl.Flush()
		case <-tick:
			_, _ = io.WriteString(w, ":thump\n")
			fl.Flush()
		case <-drop:
			panic(http.ErrAbortHandler) // cut the connection
		case <-r.Context().Done():
			return
		case <-sf.done:
			return
		}
	}
}

// send pushes a raw frame to every open stream.
func (sf *streamFake) send(frame string) {
	sf.smu.Lock()
	defer sf.smu.Unlock()
	for ch := range sf.conns {
		ch <- frame
	}
}

func compact(t *testing.T, raw []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// publish makes tag[:n] visible and streams the new ones as updates.
func (sf *streamFake) publish(t *testing.T, n int) {
	t.Helper()
	sf.mu.Lock()
	old := sf.visible
	sf.visible = n
	sf.mu.Unlock()
	for _, s := range sf.tag[old:n] {
		sf.send("event: update\ndata: " + compact(t, s.raw) + "\n\n")
	}
}

// edit streams a status.update of tag[i] with new content; it returns the
// edit time.
func (sf *streamFake) edit(t *testing.T, i int, text string) time.Time {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(sf.tag[i].raw, &m); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 5, 1, 10, 2, 0, 0, time.UTC)
	m["edited_at"] = at.Format("2006-01-02T15:04:05.000Z")
	m["content"] = "<p>" + text + "</p>"
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	sf.send("event: status.update\ndata: " + string(b) + "\n\n")
	return at
}

func (sf *streamFake) dropStreams() {
	sf.smu.Lock()
	defer sf.smu.Unlock()
	close(sf.drop)
	sf.drop = make(chan struct{})
}

func (sf *streamFake) counts() (streams, open, empty int) {
	sf.smu.Lock()
	defer sf.smu.Unlock()
	return sf.streams, len(sf.conns), sf.emptyPages
}

func (sf *streamFake) setHeartbeat(d time.Duration) {
	sf.smu.Lock()
	defer sf.smu.Unlock()
	sf.heartbeat = d
}

func (sf *streamFake) failStream(kinds ...string) {
	sf.smu.Lock()
	defer sf.smu.Unlock()
	sf.sfailures = append(sf.sfailures, kinds...)
}

func newTestStreamer(t *testing.T, sf *streamFake, cfg StreamConfig) *Streamer {
	t.Helper()
	cfg.Instance = sf.srv.URL
	if cfg.Token != "" && cfg.TokenInstance == "" {
		cfg.TokenInstance = sf.srv.URL
	}
	s, err := NewStreamer(cfg, sf.srv.Client(), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tagConfig() StreamConfig {
	return StreamConfig{Config: Config{Hashtag: "ichbinhanna", Token: "good-token", Limit: 7}, IdleTimeout: 5 * time.Second}
}

// run is one Stream call in a goroutine, with what it emitted.
type run struct {
	batches chan live.Batch
	done    chan error
	cancel  context.CancelFunc
	ended   bool
	err     error

	posts   map[string]int
	edits   []post.Post
	deletes []post.Ref
	cursor  string
	cursors []string
	skipped int
}

func startStream(t *testing.T, s *Streamer, cursor string) *run {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{batches: make(chan live.Batch, 1000), done: make(chan error, 1), cancel: cancel, posts: map[string]int{}, cursor: cursor}
	go func() {
		r.done <- s.Stream(ctx, cursor, func(b live.Batch) error { r.batches <- b; return nil })
	}()
	t.Cleanup(func() {
		cancel()
		if !r.ended {
			select {
			case <-r.done:
			case <-time.After(5 * time.Second):
				t.Error("Stream did not end after cancel")
			}
		}
	})
	return r
}

func (r *run) apply(b live.Batch) {
	for _, p := range b.Posts {
		r.posts[p.ID]++
		if p.Revision != 0 {
			r.edits = append(r.edits, p)
		}
	}
	r.deletes = append(r.deletes, b.Deletes...)
	r.skipped += b.Skipped
	if b.Cursor != "" {
		r.cursor = b.Cursor
	}
	r.cursors = append(r.cursors, r.cursor)
}

// until applies batches until cond holds; it fails after 5 s or when the
// stream ends first.
func (r *run) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond) // some conditions are on the fake
	defer tick.Stop()
	for {
		// Batches are emitted before the next request: take them all
		// before looking at the fake.
		for len(r.batches) > 0 {
			r.apply(<-r.batches)
		}
		if cond() {
			return
		}
		select {
		case <-tick.C:
		case b := <-r.batches:
			r.apply(b)
		case err := <-r.done:
			r.ended, r.err = true, err
			t.Fatalf("waiting for %s: stream ended: %v", what, err)
		case <-deadline:
			t.Fatalf("waiting for %s: timeout", what)
		}
	}
}

// wait waits for the stream to end, applying what it emitted before.
func (r *run) wait(t *testing.T) error {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for !r.ended {
		select {
		case b := <-r.batches:
			r.apply(b)
		case err := <-r.done:
			r.ended, r.err = true, err
		case <-deadline:
			t.Fatal("stream did not end")
		}
	}
	for len(r.batches) > 0 {
		r.apply(<-r.batches)
	}
	return r.err
}

func covers(got, want map[string]int) bool {
	for id := range want {
		if got[id] == 0 {
			return false
		}
	}
	return true
}

// onlyFrom fails on a post that is not one of want (duplicates are fine:
// the store's upsert is idempotent).
func onlyFrom(t *testing.T, got, want map[string]int) {
	t.Helper()
	for id := range got {
		if want[id] == 0 {
			t.Errorf("post %s delivered but not expected", id)
		}
	}
}

func checkMonotone(t *testing.T, cursors []string) {
	t.Helper()
	for i := 1; i < len(cursors); i++ {
		if CompareID(cursors[i], cursors[i-1]) < 0 {
			t.Fatalf("cursor went back from %s to %s", cursors[i-1], cursors[i])
		}
	}
}

func postID(t *testing.T, s fakeStatus) string {
	t.Helper()
	for id := range decodedIDs(t, []fakeStatus{s}) {
		return id
	}
	t.Fatal("no post")
	return ""
}

func TestStreamBackfillThenLive(t *testing.T) {
	sf := newStreamFake(t)
	sf.setVisible(30)
	s := newTestStreamer(t, sf, tagConfig())
	if want := "mastodon:" + strings.TrimPrefix(sf.srv.URL, "http://") + " #ichbinhanna stream"; s.Name() != want {
		t.Errorf("name %q, want %q", s.Name(), want)
	}
	r := startStream(t, s, sf.tag[9].id)
	// Back-fill from the cursor to caught up (an empty page).
	r.until(t, "back-fill", func() bool {
		_, _, empty := sf.counts()
		return empty > 0 && covers(r.posts, decodedIDs(t, sf.tag[10:30]))
	})
	if r.cursor != sf.tag[29].id {
		t.Errorf("cursor after back-fill %s, want %s", r.cursor, sf.tag[29].id)
	}
	rest := sf.requestCount()

	// Live: new statuses arrive over the stream alone.
	sf.publish(t, 40)
	r.until(t, "live updates", func() bool { return covers(r.posts, decodedIDs(t, sf.tag[10:40])) })
	onlyFrom(t, r.posts, decodedIDs(t, sf.tag[10:40]))
	if n := sf.requestCount(); n != rest {
		t.Errorf("%d REST requests during the live phase", n-rest)
	}
	if r.cursor != sf.tag[39].id {
		t.Errorf("cursor %s, want the newest streamed id %s", r.cursor, sf.tag[39].id)
	}

	// An edit: a new revision of the same post; the cursor stays.
	at := sf.edit(t, 35, "edited text")
	var e post.Post // some statuses of the data were edited before
	r.until(t, "the edit", func() bool {
		for _, p := range r.edits {
			if p.EditedAt.Equal(at) {
				e = p
				return true
			}
		}
		return false
	})
	if e.ID != postID(t, sf.tag[35]) || e.Text != "edited text" || !e.EditedAt.Equal(at) || e.Revision != at.UnixNano() {
		t.Errorf("edit: id %s text %q edited %v revision %d", e.ID, e.Text, e.EditedAt, e.Revision)
	}
	if r.cursor != sf.tag[39].id {
		t.Errorf("the edit moved the cursor to %s", r.cursor)
	}

	// Events without a post, a delete of a status never seen, then deletes
	// of a back-filled and of a streamed status: only the last two come
	// out, in order.
	sf.send("event: notification\ndata: {\"id\":\"1\",\"type\":\"mention\"}\n\n")
	sf.send("event: filters_changed\n\n")
	sf.send("event: delete\ndata: " + sf.tag[5].id + "\n\n")
	sf.send("event: delete\ndata: " + sf.tag[12].id + "\n\n")
	sf.send("event: delete\ndata: " + sf.tag[36].id + "\n\n")
	r.until(t, "deletes", func() bool { return len(r.deletes) >= 2 })
	for i, k := range []int{12, 36} {
		d := r.deletes[i]
		id := postID(t, sf.tag[k])
		if d.ID != id || d.Source != post.Mastodon || post.MakeID(d.Source, d.NativeID) != id || d.At.IsZero() {
			t.Errorf("delete %d: %+v, want post %s", i, d, id)
		}
	}
	if r.skipped != 0 {
		t.Errorf("skipped %d", r.skipped)
	}
	checkMonotone(t, r.cursors)
	if streams, open, _ := sf.counts(); streams != 1 || open != 1 {
		t.Errorf("%d stream requests, %d open", streams, open)
	}
}

// TestStreamReconnect drops the connection mid-stream: what is published
// while no stream is connected comes from the REST back-fill of the next
// connection, from the last emitted cursor, by a new streamer.
func TestStreamReconnect(t *testing.T) {
	sf := newStreamFake(t)
	sf.setVisible(20)
	r := startStream(t, newTestStreamer(t, sf, tagConfig()), sf.tag[4].id)
	r.until(t, "back-fill", func() bool { _, _, empty := sf.counts(); return empty > 0 })
	sf.publish(t, 30)
	r.until(t, "live updates", func() bool { return covers(r.posts, decodedIDs(t, sf.tag[5:30])) })

	sf.dropStreams()
	err := r.wait(t)
	if err == nil || errors.Is(err, live.ErrAuth) {
		t.Fatalf("dropped stream: %v", err)
	}
	sf.publish(t, 45) // nobody listens: lost to the stream
	got := r.posts

	// A status published right after the back-fill's last page: only the
	// stream, opened before the back-fill, can deliver it.
	sf.smu.Lock()
	sf.onEmpty = func() { sf.publish(t, 46) }
	sf.smu.Unlock()
	_, _, empty := sf.counts()
	r2 := startStream(t, newTestStreamer(t, sf, tagConfig()), r.cursor)
	r2.until(t, "back-fill after reconnect", func() bool { _, _, e := sf.counts(); return e > empty })
	sf.publish(t, 60)
	r2.until(t, "live after reconnect", func() bool { return covers(r2.posts, decodedIDs(t, sf.tag[30:60])) })
	for id, n := range r2.posts {
		got[id] += n
	}
	want := decodedIDs(t, sf.tag[5:60])
	if !covers(got, want) {
		t.Error("posts lost across the reconnect")
	}
	onlyFrom(t, got, want)
	checkMonotone(t, append(r.cursors, r2.cursors...))
	if streams, _, _ := sf.counts(); streams != 2 {
		t.Errorf("%d stream requests, want 2", streams)
	}
}

// memStore is a live.Store in memory.
type memStore struct {
	mu      sync.Mutex
	posts   map[string]int
	deletes map[string]bool
	cursor  string
}

func (m *memStore) Write(_ context.Context, b store.Batch) ([]store.Outcome, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range b.Posts {
		m.posts[p.ID]++
	}
	for _, d := range b.Deletes {
		m.deletes[d.ID] = true
	}
	if b.Cursor != nil {
		m.cursor = b.Cursor.Value
	}
	return nil, nil
}

func (m *memStore) SourceCursor(context.Context, string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cursor, nil
}

func (m *memStore) SetState(context.Context, string, string, string) error { return nil }

func (m *memStore) has(want map[string]int) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return covers(m.posts, want)
}

// TestStreamWithLoop runs the streamer under live.RunStreamer: after drops
// and a failing reconnect the loop resumes from the stored cursor and
// nothing is lost.
func TestStreamWithLoop(t *testing.T) {
	sf := newStreamFake(t)
	sf.setVisible(10)
	st := &memStore{posts: map[string]int{}, deletes: map[string]bool{}, cursor: sf.tag[2].id}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- live.RunStreamer(ctx, newTestStreamer(t, sf, tagConfig()), st, live.Options{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for end := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("waiting for %s", what)
			}
		}
	}
	open := func() bool { _, n, _ := sf.counts(); return n == 1 }
	waitFor("back-fill", func() bool { return open() && st.has(decodedIDs(t, sf.tag[3:10])) })
	for k := range 3 {
		sf.publish(t, 20+20*k)
		sf.dropStreams()
		sf.failStream("500")
		sf.publish(t, 30+20*k)
		waitFor("reconnect", func() bool { return open() && st.has(decodedIDs(t, sf.tag[3:30+20*k])) })
	}
	st.mu.Lock()
	got := maps.Clone(st.posts)
	st.mu.Unlock()
	onlyFrom(t, got, decodedIDs(t, sf.tag[3:70]))
}

func TestStreamHeartbeat(t *testing.T) {
	sf := newStreamFake(t)
	sf.setVisible(150)
	sf.setHeartbeat(20 * time.Millisecond)
	cfg := tagConfig()
	cfg.IdleTimeout = 150 * time.Millisecond
	r := startStream(t, newTestStreamer(t, sf, cfg), "")
	// An empty cursor: the newest page, no back-fill of the history.
	r.until(t, "newest page", func() bool { _, _, e := sf.counts(); return e > 0 })
	if r.cursor != sf.tag[149].id || len(r.posts) != 7 {
		t.Errorf("start: cursor %s, %d posts; want %s, 7", r.cursor, len(r.posts), sf.tag[149].id)
	}
	select {
	case err := <-r.done:
		r.ended = true
		t.Fatalf("stream with heartbeats ended: %v", err)
	case <-time.After(600 * time.Millisecond): // four idle timeouts
	}
	sf.publish(t, 160)
	r.until(t, "updates", func() bool { return covers(r.posts, decodedIDs(t, sf.tag[150:160])) })
	if streams, _, _ := sf.counts(); streams != 1 {
		t.Errorf("%d stream requests, want 1", streams)
	}
}

func TestStreamSilence(t *testing.T) {
	sf := newStreamFake(t)
	cfg := tagConfig()
	cfg.IdleTimeout = 100 * time.Millisecond
	s := newTestStreamer(t, sf, cfg)
	start := time.Now()
	r := startStream(t, s, sf.tag[150].id)
	err := r.wait(t)
	if !errors.Is(err, errSilent) || errors.Is(err, live.ErrAuth) {
		t.Fatalf("silent stream: %v", err)
	}
	if d := time.Since(start); d < cfg.IdleTimeout {
		t.Errorf("gave up after %s", d)
	}
	if !covers(r.posts, decodedIDs(t, sf.tag[151:])) {
		t.Error("back-fill missing")
	}
	// The next connection works again.
	sf.setHeartbeat(10 * time.Millisecond)
	r2 := startStream(t, s, r.cursor)
	r2.until(t, "reconnect", func() bool { _, open, _ := sf.counts(); return open == 1 })
}

func TestStreamErrors(t *testing.T) {
	sf := newStreamFake(t)
	ctx := context.Background()
	nop := func(live.Batch) error { return nil }

	cfg := tagConfig()
	cfg.Token = ""
	if err := newTestStreamer(t, sf, cfg).Stream(ctx, "", nop); !errors.Is(err, live.ErrAuth) {
		t.Errorf("no token: %v, want ErrAuth", err)
	}
	if streams, _, _ := sf.counts(); streams != 0 || sf.requestCount() != 0 {
		t.Error("no token: requests sent")
	}

	cfg.Token = "stale"
	err := newTestStreamer(t, sf, cfg).Stream(ctx, "", nop)
	var he *live.HTTPError
	if !errors.Is(err, live.ErrAuth) || !errors.As(err, &he) || he.Status != http.StatusUnauthorized {
		t.Errorf("bad token: %v, want ErrAuth and a 401", err)
	}
	if sf.requestCount() != 0 {
		t.Error("bad token: back-fill requests sent")
	}

	s := newTestStreamer(t, sf, tagConfig())
	sf.failStream("429", "500", "html")
	if err := s.Stream(ctx, "", nop); !errors.As(err, &he) || he.Status != http.StatusTooManyRequests || he.RetryAfter != 30*time.Second {
		t.Errorf("429: %v, want an HTTPError retrying after 30s", err)
	}
	if err := s.Stream(ctx, "", nop); !errors.As(err, &he) || he.Status != http.StatusInternalServerError {
		t.Errorf("500: %v", err)
	}
	if err := s.Stream(ctx, "", nop); err == nil || !strings.Contains(err.Error(), "maintenance") {
		t.Errorf("HTML answer: %v", err)
	}
	// A REST failure during the back-fill ends the connection with it.
	sf.fail("429")
	if err := s.Stream(ctx, sf.tag[0].id, nop); !errors.As(err, &he) || he.Status != http.StatusTooManyRequests {
		t.Errorf("back-fill 429: %v", err)
	}
	// An error from emit ends the stream.
	boom := errors.New("disk full")
	if err := s.Stream(ctx, sf.tag[0].id, func(live.Batch) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
	if err := s.Stream(ctx, "1,x", nop); err == nil {
		t.Error("bad cursor: no error")
	}
}

func TestStreamMalformed(t *testing.T) {
	sf := newStreamFake(t)
	sf.setVisible(150)
	r := startStream(t, newTestStreamer(t, sf, tagConfig()), sf.tag[148].id)
	r.until(t, "back-fill", func() bool { _, _, e := sf.counts(); return e > 0 })
	sf.send("event: update\ndata: 42\n\n")
	sf.send(fmt.Sprintf("event: update\ndata: {\"id\":\"%s\",\"uri\":\"https://x.example/s/1\",\"created_at\":\"yesterday\"}\n\n", sf.tag[150].id))
	sf.send("event: update\ndata: {\"id\":\"1\",\"uri\":\n\n") // cut
	sf.send("event: delete\ndata: not an id!\n\n")
	sf.publish(t, 152)
	r.until(t, "the good update", func() bool { return covers(r.posts, decodedIDs(t, sf.tag[149:152])) })
	if r.skipped != 4 {
		t.Errorf("skipped %d, want 4", r.skipped)
	}
	if r.cursor != sf.tag[151].id {
		t.Errorf("cursor %s", r.cursor)
	}
}

func TestNewStreamer(t *testing.T) {
	bad := []StreamConfig{
		{Config: Config{Instance: "https://m.example", Query: "x", Token: "t"}},
		{Config: Config{Instance: "https://m.example", Hashtag: "x", Remote: true}},
		{Config: Config{Instance: "https://m.example", Public: true}, StreamURL: "wss://s.example"},
		{Config: Config{Instance: "https://m.example"}},
	}
	for _, cfg := range bad {
		if _, err := NewStreamer(cfg, nil, nil); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	urls := map[string]StreamConfig{
		"https://m.example/api/v1/streaming/hashtag/local?tag=aws": {Config: Config{Instance: "https://m.example/", Hashtag: "#aws", Local: true}},
		"https://s.example/api/v1/streaming/public/remote":         {Config: Config{Instance: "https://m.example", Public: true, Remote: true}, StreamURL: "https://s.example/"},
		"https://m.example/api/v1/streaming/public":                {Config: Config{Instance: "https://m.example", Public: true}},
		"https://m.example/api/v1/streaming/hashtag?tag=a+b%26c":   {Config: Config{Instance: "https://m.example", Hashtag: "a b&c"}},
	}
	for want, cfg := range urls {
		s, err := NewStreamer(cfg, &http.Client{Timeout: time.Second}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.url != want || s.client.Timeout != 0 || s.cfg.IdleTimeout != DefaultIdleTimeout {
			t.Errorf("url %q timeout %s idle %s, want %q", s.url, s.client.Timeout, s.cfg.IdleTimeout, want)
		}
	}
}

func TestSSEReader(t *testing.T) {
	in := ":thump\n" +
		"event: update\ndata: {\"a\":1}\n\n" +
		":thump\n\n" + // a blank line after a comment dispatches nothing
		"event: delete\r\ndata:123\r\n\r\n" +
		"data: one\rdata\rdata:  three\r\r" +
		"event: x\n\n" + // no data: not dispatched, and the type resets
		"id: 5\nretry: 10\nfield\ndata: y\n\n" +
		"event: cut\ndata: z\n" // the end cuts it off
	lines := 0
	r := newSSEReader(strings.NewReader(in), func() { lines++ })
	var got []sseEvent
	for {
		ev, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	want := []sseEvent{{"update", `{"a":1}`}, {"delete", "123"}, {"message", "one\n\n three"}, {"message", "y"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events %q, want %q", got, want)
	}
	if lines != 22 {
		t.Errorf("%d lines seen, want 22", lines)
	}
	long := "data: " + strings.Repeat("x", maxEvent) + "\n\n"
	if _, err := newSSEReader(strings.NewReader(long), nil).next(); !errors.Is(err, errEventTooLarge) {
		t.Errorf("huge event: %v", err)
	}
}

// FuzzSSE fuzzes the server-sent events reader and the handling of the
// events it yields: no panic, events that survive a round trip through
// their serialisation, valid posts, a cursor that never goes down.
func FuzzSSE(f *testing.F) {
	data, err := os.ReadFile(testdata.Path(f, "mastodon", "rtoot_tag_rstats_mastodon-social.json"))
	if err != nil {
		f.Fatal(err)
	}
	var page []json.RawMessage
	if err := json.Unmarshal(data, &page); err != nil {
		f.Fatal(err)
	}
	for _, raw := range page[:3] {
		var b bytes.Buffer
		_ = json.Compact(&b, raw)
		var id struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(raw, &id)
		f.Add([]byte(":thump\nevent: update\ndata: " + b.String() + "\n\nevent: delete\ndata: " + id.ID + "\n\n"))
		f.Add([]byte("event: status.update\r\ndata: " + b.String() + "\r\n\r\n"))
	}
	f.Add([]byte("data: a\rdata: b\r\n\r:c\n\nevent\n\n"))
	f.Add([]byte("event: update\ndata: 42\n\nevent: delete\ndata:\n\n"))
	s, err := NewStreamer(StreamConfig{Config: Config{Instance: "http://m.example", Public: true}}, nil, quietLog())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		events := readAll(newSSEReader(bytes.NewReader(in), nil))
		var out strings.Builder
		for _, ev := range events {
			if ev.Type == "" || strings.ContainsAny(ev.Type, "\r\n") || strings.Contains(ev.Data, "\r") {
				t.Fatalf("event %q", ev)
			}
			out.WriteString("event: " + ev.Type + "\n")
			for l := range strings.SplitSeq(ev.Data, "\n") {
				out.WriteString("data: " + l + "\n")
			}
			out.WriteString("\n")
		}
		if again := readAll(newSSEReader(strings.NewReader(out.String()), nil)); fmt.Sprint(again) != fmt.Sprint(events) {
			t.Fatalf("events %q read back as %q", events, again)
		}
		cursor := "100"
		for _, ev := range events {
			before := cursor
			b, _ := s.event(ev, &cursor, time.Unix(0, 0))
			if CompareID(cursor, before) < 0 || (b.Cursor != "" && b.Cursor != cursor) {
				t.Fatalf("cursor %q → %q (batch %q)", before, cursor, b.Cursor)
			}
			for i := range b.Posts {
				if err := (collector.Item{Line: 1, Post: &b.Posts[i]}).Check(); err != nil {
					t.Fatal(err)
				}
			}
			for _, d := range b.Deletes {
				if d.ID == "" || post.MakeID(d.Source, d.NativeID) != d.ID {
					t.Fatalf("delete %+v", d)
				}
			}
		}
	})
}

func readAll(r *sseReader) []sseEvent {
	var evs []sseEvent
	for {
		ev, err := r.next()
		if err != nil {
			return evs
		}
		evs = append(evs, ev)
	}
}
