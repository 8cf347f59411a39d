package bluesky

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aftershock/aftershock/collector/bluesky/jetstreamtest"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

var rateDuration = flag.Duration("jetstream.rate-duration", time.Second,
	"how long TestJetstreamRate replays 2,000 posts/s (e.g. 1m for the full run)")

// sampleEvents returns the events of the shared Jetstream captures: the
// golden sample (May) then the corpus (July), as a recorder wrote them.
func sampleEvents(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	for _, name := range []string{"jetstream_v1_golden_sample.jsonl", "jetstream_v1_corpus_expected.jsonl"} {
		data, err := os.ReadFile(testdata.Path(t, "bluesky", name))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, jetstreamtest.SplitLines(data)...)
	}
	return out
}

// decodeAll decodes events with DecodeJetstream, keeping the posts match
// keeps (nil = all), skipping errors.
func decodeAll(t testing.TB, events [][]byte, match func(*post.Post) bool) (posts map[string]post.Post, dels map[string]post.Ref) {
	t.Helper()
	posts, dels = map[string]post.Post{}, map[string]post.Ref{}
	for it := range DecodeJetstream(bytes.NewReader(bytes.Join(events, []byte("\n")))) {
		switch {
		case it.Post != nil && (match == nil || match(it.Post)):
			posts[it.Post.ID] = *it.Post
		case it.Delete != nil:
			dels[it.Delete.ID] = *it.Delete
		}
	}
	return posts, dels
}

func newStreamer(t testing.TB, cfg Config) *Jetstream {
	t.Helper()
	j, err := NewJetstream(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// run is one Stream call that collects its batches and stops (with
// errStop) once stop says so.
type run struct {
	batches []live.Batch
	err     error
}

var errStop = errors.New("test: stop")

func streamOnce(t testing.TB, j *Jetstream, cursor string, timeout time.Duration, stop func([]live.Batch) bool) run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var r run
	r.err = j.Stream(ctx, cursor, func(b live.Batch) error {
		r.batches = append(r.batches, b)
		if stop != nil && stop(r.batches) {
			return errStop
		}
		return nil
	})
	return r
}

func countPosts(bs []live.Batch) int {
	n := 0
	for _, b := range bs {
		n += len(b.Posts)
	}
	return n
}

// checkCursors checks that each batch has a cursor and that they never go
// backwards.
func checkCursors(t *testing.T, bs []live.Batch, from int64) int64 {
	t.Helper()
	last := from
	for i, b := range bs {
		c, err := strconv.ParseInt(b.Cursor, 10, 64)
		if err != nil {
			t.Fatalf("batch %d: cursor %q: %v", i, b.Cursor, err)
		}
		if c < last {
			t.Errorf("batch %d: cursor %d went back from %d", i, c, last)
		}
		last = c
	}
	return last
}

// TestJetstreamFollow follows the fake over the real captures from an empty
// cursor: every post and deletion exactly as DecodeJetstream decodes the
// same lines, each once, and the last cursor is the largest time_us.
func TestJetstreamFollow(t *testing.T) {
	events := sampleEvents(t)
	wantPosts, wantDels := decodeAll(t, events, nil)
	if len(wantPosts) != 18 || len(wantDels) != 1 { // 1 + 17 creates, 1 delete (see TestDecodeJetstreamFiles)
		t.Fatalf("captures: %d posts, %d deletes", len(wantPosts), len(wantDels))
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{})
	defer srv.Close()
	j := newStreamer(t, Config{URL: srv.URL, BatchSize: 7, FlushInterval: 50 * time.Millisecond})
	if !strings.HasPrefix(j.Name(), "bluesky:jetstream 127.0.0.1:") {
		t.Errorf("Name = %q", j.Name())
	}
	r := streamOnce(t, j, "", 10*time.Second, func(bs []live.Batch) bool {
		var dels int
		for _, b := range bs {
			dels += len(b.Deletes)
		}
		return countPosts(bs) >= len(wantPosts) && dels >= len(wantDels)
	})
	if !errors.Is(r.err, errStop) {
		t.Fatalf("Stream: %v", r.err)
	}
	got := map[string]post.Post{}
	for _, b := range r.batches {
		if b.Skipped != 0 {
			t.Errorf("Skipped = %d", b.Skipped)
		}
		for _, p := range b.Posts {
			if _, dup := got[p.ID]; dup {
				t.Errorf("post %s emitted twice", p.ID)
			}
			got[p.ID] = p
		}
		for _, d := range b.Deletes {
			if !reflect.DeepEqual(d, wantDels[d.ID]) {
				t.Errorf("delete %+v, want %+v", d, wantDels[d.ID])
			}
		}
	}
	if !reflect.DeepEqual(got, wantPosts) {
		t.Errorf("posts differ from DecodeJetstream's: got %d, want %d", len(got), len(wantPosts))
	}
	var maxTime int64
	for _, p := range wantPosts {
		us, _ := jetstreamtest.TimeUS(p.Raw)
		maxTime = max(maxTime, us)
	}
	for _, d := range wantDels {
		maxTime = max(maxTime, d.At.UnixMicro())
	}
	if last := checkCursors(t, r.batches, 0); last < maxTime {
		t.Errorf("last cursor %d < largest time_us of a post event %d", last, maxTime)
	}
	conns := srv.Conns()
	if len(conns) != 1 {
		t.Fatalf("%d connections", len(conns))
	}
	q, _ := url.ParseQuery(conns[0].Query)
	if q.Get("wantedCollections") != PostCollection || q.Has("cursor") {
		t.Errorf("query %q", conns[0].Query)
	}
	// The fake sent posts and deletions (19), then perhaps some of the
	// identity and account events (2+2) — the captures end with two of those
	// after the last post, and the client may stop before they are written —
	// but no likes, follows or other collections.
	if s := conns[0].Sent; s < 18+1 || s > 18+1+2+2 {
		t.Errorf("fake sent %d events, want 19 to 23", s)
	}
}

// synthEvents makes n post events 1 ms apart whose time_us is out of order
// in every tenth pair, as Jetstream's replay→live cutover does.
func synthEvents(t testing.TB, n int) [][]byte {
	t.Helper()
	events, err := jetstreamtest.Synthesize(sampleEvents(t), n, 1783175888000000, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(events); i += 20 {
		events[i], events[i+1] = events[i+1], events[i]
	}
	return events
}

// TestJetstreamReconnect drops the connection three times mid-stream; each
// new streamer (a restart) resumes from the last emitted cursor minus the
// margin, and the union has every post, none missing.
func TestJetstreamReconnect(t *testing.T) {
	const n = 3000
	events := synthEvents(t, n)
	want, _ := decodeAll(t, events, nil)
	if len(want) != n {
		t.Fatalf("%d distinct synthesized posts, want %d", len(want), n)
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{DropAfter: 700, Drops: 3})
	defer srv.Close()
	const margin = 50 * time.Millisecond
	cfg := Config{URL: srv.URL, SafetyMargin: margin, BatchSize: 100, FlushInterval: 20 * time.Millisecond, ReadTimeout: time.Second}

	seen := map[string]int{}
	cursor, from := "", int64(0)
	var cursors []string // the cursor each connection started from
	for attempt := 0; len(seen) < n; attempt++ {
		if attempt == 10 {
			t.Fatalf("after %d connections: %d of %d posts", attempt, len(seen), n)
		}
		cursors = append(cursors, cursor)
		r := streamOnce(t, newStreamer(t, cfg), cursor, 10*time.Second, func(bs []live.Batch) bool {
			for _, p := range bs[len(bs)-1].Posts {
				seen[p.ID]++
			}
			return len(seen) == n
		})
		if attempt < 3 {
			if r.err == nil || errors.Is(r.err, errStop) || !strings.Contains(r.err.Error(), "connection lost") {
				t.Errorf("connection %d: err = %v, want a lost connection", attempt, r.err)
			}
		} else if !errors.Is(r.err, errStop) {
			t.Errorf("connection %d: err = %v", attempt, r.err)
		}
		if len(r.batches) > 0 {
			from = checkCursors(t, r.batches, from)
			cursor = r.batches[len(r.batches)-1].Cursor
		}
	}
	for id := range want {
		if seen[id] == 0 {
			t.Errorf("post %s missing", id)
		}
	}
	conns := srv.Conns()
	if len(conns) != 4 {
		t.Fatalf("%d connections, want 4", len(conns))
	}
	for i, c := range conns {
		if c.Dropped != (i < 3) {
			t.Errorf("connection %d: dropped = %v", i, c.Dropped)
		}
		if i == 0 {
			if c.Cursor != 0 {
				t.Errorf("first connection asked cursor %d", c.Cursor)
			}
			continue
		}
		stored, _ := strconv.ParseInt(cursors[i], 10, 64)
		if c.Cursor != stored-margin.Microseconds() {
			t.Errorf("connection %d: cursor %d, want %d − %d", i, c.Cursor, stored, margin.Microseconds())
		}
	}
	dups := 0
	for _, c := range seen {
		dups += c - 1
	}
	t.Logf("%d posts over %d connections, %d duplicates (the margins)", len(seen), len(conns), dups)
	if dups > 3*(70+100) { // about 50 events per margin, plus batches read but not emitted
		t.Errorf("%d duplicates", dups)
	}
}

// TestJetstreamMalformed: a frame cut short and a post commit without rkey
// are counted in Skipped; the rest of the stream is kept.
func TestJetstreamMalformed(t *testing.T) {
	events := sampleEvents(t)
	want, _ := decodeAll(t, events, nil)
	for name, bad := range map[string][]byte{
		"cut":      nil,
		"no rkey":  []byte(`{"did":"did:plc:abc","time_us":1783175888100000,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","record":{"text":"x"}}}`),
		"not json": []byte(`not json`),
	} {
		t.Run(name, func(t *testing.T) {
			srv := jetstreamtest.New(events, jetstreamtest.Options{MalformedAfter: 4, Malformed: bad})
			defer srv.Close()
			j := newStreamer(t, Config{URL: srv.URL, BatchSize: 5, FlushInterval: 20 * time.Millisecond})
			r := streamOnce(t, j, "", 10*time.Second, func(bs []live.Batch) bool { return countPosts(bs) >= len(want) })
			if !errors.Is(r.err, errStop) {
				t.Fatalf("Stream: %v", r.err)
			}
			skipped := 0
			for _, b := range r.batches {
				skipped += b.Skipped
			}
			if skipped != 1 || countPosts(r.batches) != len(want) {
				t.Errorf("skipped %d, posts %d; want 1, %d", skipped, countPosts(r.batches), len(want))
			}
		})
	}
}

// TestJetstreamMatch keeps only the posts Match accepts, and every deletion.
func TestJetstreamMatch(t *testing.T) {
	events := sampleEvents(t)
	match := func(p *post.Post) bool { return p.Lang == "en" && p.ReplyTo == "" }
	want, dels := decodeAll(t, events, match)
	all, _ := decodeAll(t, events, nil)
	if len(want) == 0 || len(want) == len(all) {
		t.Fatalf("the filter keeps %d of %d posts: a poor test", len(want), len(all))
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{CloseWhenDone: true})
	defer srv.Close()
	j := newStreamer(t, Config{URL: srv.URL, Match: match})
	r := streamOnce(t, j, "", 10*time.Second, nil)
	// The fake closes once done: everything was emitted before Stream returned.
	if websocket.CloseStatus(r.err) != websocket.StatusNormalClosure || !strings.Contains(r.err.Error(), "server closed") {
		t.Errorf("Stream: %v, want the server's normal closure", r.err)
	}
	got := map[string]bool{}
	gotDels := 0
	for _, b := range r.batches {
		for _, p := range b.Posts {
			if !match(&p) {
				t.Errorf("post %s does not match", p.ID)
			}
			got[p.ID] = true
		}
		gotDels += len(b.Deletes)
	}
	if len(got) != len(want) || gotDels != len(dels) {
		t.Errorf("%d posts, %d deletes; want %d, %d", len(got), gotDels, len(want), len(dels))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("post %s missing", id)
		}
	}
}

// TestJetstreamReadTimeout: after the last event the fake stays silent; the
// stream ends with a timeout error once everything read was emitted.
func TestJetstreamReadTimeout(t *testing.T) {
	events := sampleEvents(t)
	want, _ := decodeAll(t, events, nil)
	srv := jetstreamtest.New(events, jetstreamtest.Options{})
	defer srv.Close()
	const timeout = 300 * time.Millisecond
	j := newStreamer(t, Config{URL: srv.URL, ReadTimeout: timeout, FlushInterval: time.Hour})
	start := time.Now()
	r := streamOnce(t, j, "", 10*time.Second, nil)
	if !errors.Is(r.err, os.ErrDeadlineExceeded) {
		t.Fatalf("Stream: %v, want a read timeout", r.err)
	}
	if d := time.Since(start); d < timeout || d > 5*time.Second {
		t.Errorf("returned after %s (timeout %s)", d, timeout)
	}
	if countPosts(r.batches) != len(want) {
		t.Errorf("emitted %d posts before the timeout, want %d", countPosts(r.batches), len(want))
	}
}

// TestJetstreamCursor: a stored cursor is asked for minus the margin, and
// replayed events before the stored cursor do not move the cursor back.
func TestJetstreamCursor(t *testing.T) {
	events := synthEvents(t, 100) // time_us 1783175888000000 + i ms
	srv := jetstreamtest.New(events, jetstreamtest.Options{CloseWhenDone: true})
	defer srv.Close()
	const stored = 1783175888050000 // after the 50th event
	j := newStreamer(t, Config{URL: srv.URL, SafetyMargin: 10 * time.Millisecond, BatchSize: 3})
	r := streamOnce(t, j, strconv.Itoa(stored), 10*time.Second, nil)
	if websocket.CloseStatus(r.err) != websocket.StatusNormalClosure {
		t.Fatalf("Stream: %v", r.err)
	}
	if c := srv.Conns()[0].Cursor; c != stored-10000 {
		t.Errorf("asked cursor %d, want %d", c, stored-10000)
	}
	if n := countPosts(r.batches); n != 60 { // events 40…99
		t.Errorf("%d posts, want 60", n)
	}
	checkCursors(t, r.batches, stored)
	if c := r.batches[len(r.batches)-1].Cursor; c != "1783175888099000" {
		t.Errorf("last cursor %s", c)
	}

	for _, bad := range []string{"x", "-5", "0", "1.5"} {
		if err := j.Stream(context.Background(), bad, func(live.Batch) error { return nil }); err == nil {
			t.Errorf("cursor %q accepted", bad)
		}
	}
}

// TestJetstreamHandshakeErrors: an HTTP status instead of the upgrade is an
// *live.HTTPError with Retry-After; 401/403 wrap live.ErrAuth.
func TestJetstreamHandshakeErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		auth   bool
	}{{http.StatusTooManyRequests, false}, {http.StatusBadGateway, false}, {http.StatusForbidden, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("User-Agent") != live.UserAgent {
				t.Errorf("User-Agent %q", r.Header.Get("User-Agent"))
			}
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(tc.status)
			fmt.Fprint(w, `{"error":"slow down"}`)
		}))
		j := newStreamer(t, Config{URL: srv.URL + "/subscribe"})
		err := j.Stream(context.Background(), "", func(live.Batch) error { return nil })
		srv.Close()
		var he *live.HTTPError
		if !errors.As(err, &he) || he.Status != tc.status || he.RetryAfter != 7*time.Second || !strings.Contains(he.Body, "slow down") {
			t.Errorf("%d: %v, want an HTTPError with Retry-After 7 s", tc.status, err)
		}
		if errors.Is(err, live.ErrAuth) != tc.auth {
			t.Errorf("%d: ErrAuth = %v", tc.status, !tc.auth)
		}
	}

}

// TestJetstreamEnds: cancelling ctx or an error from emit ends the stream.
func TestJetstreamEnds(t *testing.T) {
	events := synthEvents(t, 200)
	srv := jetstreamtest.New(events, jetstreamtest.Options{Rate: 100})
	defer srv.Close()
	j := newStreamer(t, Config{URL: srv.URL, BatchSize: 5})

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if err := j.Stream(ctx, "", func(live.Batch) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	boom := errors.New("store down")
	if err := j.Stream(context.Background(), "", func(live.Batch) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("emit error: %v", err)
	}
}

func TestNewJetstream(t *testing.T) {
	for _, u := range []string{"ftp://x/subscribe", "wss:///subscribe", "://"} {
		if _, err := NewJetstream(Config{URL: u}, nil, nil); err == nil {
			t.Errorf("URL %q accepted", u)
		}
	}
	j := newStreamer(t, Config{Label: "outages", SafetyMargin: -1})
	if j.Name() != "bluesky:jetstream jetstream2.us-east.bsky.network outages" {
		t.Errorf("Name = %q", j.Name())
	}
	if u := j.subscribeURL(1783175888000000); u != DefaultJetstreamURL+"?cursor=1783175888000000&wantedCollections=app.bsky.feed.post" {
		t.Errorf("no margin: %s", u)
	}
	j = newStreamer(t, Config{URL: "ws://h/subscribe?wantedDids=did:plc:x&wantedCollections=app.bsky.*&cursor=9"})
	if u := j.subscribeURL(0); u != "ws://h/subscribe?wantedCollections=app.bsky.feed.post&wantedDids=did%3Aplc%3Ax" {
		t.Errorf("live: %s", u)
	}
	if u := j.subscribeURL(1783175888000000); !strings.Contains(u, "cursor=1783175883000000") {
		t.Errorf("default margin: %s", u)
	}
}

// TestJetstreamRate replays 2,000 synthesized posts a second for
// -jetstream.rate-duration (1 s by default) and reports how fast the
// streamer emits them and how long each waits in a batch.
func TestJetstreamRate(t *testing.T) {
	if testing.Short() {
		t.Skip("timed replay")
	}
	const rate = 2000
	n := int(rate * rateDuration.Seconds())
	events, err := jetstreamtest.Synthesize(sampleEvents(t), n, 1783175888000000, 500*time.Microsecond)
	if err != nil {
		t.Fatal(err)
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{Rate: rate})
	defer srv.Close()
	j := newStreamer(t, Config{URL: srv.URL})
	ctx, cancel := context.WithTimeout(context.Background(), 2**rateDuration+10*time.Second)
	defer cancel()
	rep, err := jetstreamtest.Drive(ctx, j, srv, n)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d posts in %s: %.0f posts/s emitted in %d batches; latency sent→emitted p50 %s p99 %s max %s",
		len(rep.Delivered), rep.Elapsed.Round(time.Millisecond), rep.PostsPerSecond, rep.Batches,
		rep.LatencyP50, rep.LatencyP99, rep.LatencyMax)
	if rep.Streams != 1 || rep.Posts != n || rep.Skipped != 0 {
		t.Errorf("%d streams, %d posts, %d skipped", rep.Streams, rep.Posts, rep.Skipped)
	}
	if rep.PostsPerSecond < 0.8*rate {
		t.Errorf("%.0f posts/s, the fake sent %d/s", rep.PostsPerSecond, rate)
	}
	// A batch fills in 100 ms at this rate; allow for a loaded machine.
	if rep.LatencyP99 > 2*time.Second {
		t.Errorf("p99 latency %s", rep.LatencyP99)
	}
}

// BenchmarkJetstreamStream measures the streamer's throughput on a fake
// sending as fast as it can: decoding, batching and the WebSocket.
func BenchmarkJetstreamStream(b *testing.B) {
	events, err := jetstreamtest.Synthesize(sampleEvents(b), b.N, 1783175888000000, time.Microsecond)
	if err != nil {
		b.Fatal(err)
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{})
	defer srv.Close()
	j := newStreamer(b, Config{URL: srv.URL})
	b.ResetTimer()
	rep, err := jetstreamtest.Drive(context.Background(), j, srv, b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(rep.PostsPerSecond, "posts/s")
}

// FuzzJetstreamFrame feeds frames to the batcher: it never panics, every
// post it keeps is valid, the cursor never goes below the start, and a
// frame is skipped at most once. The cursor parser is fuzzed alongside.
func FuzzJetstreamFrame(f *testing.F) {
	for _, e := range sampleEvents(f) {
		f.Add(string(e))
	}
	f.Add(`{"time_us":-1,"kind":"commit"}`)
	f.Add(`{"time_us":99999999999999999999}`)
	f.Add("1783175888000000")
	j, err := NewJetstream(Config{}, nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const start = 1783175888000000
		bt := newBatcher(j, start)
		bt.add(websocket.MessageText, []byte(in))
		bt.add(websocket.MessageBinary, []byte(in))
		b := bt.take()
		if b.Skipped < 1 || b.Skipped > 2 {
			t.Errorf("Skipped = %d", b.Skipped)
		}
		if c, err := strconv.ParseInt(b.Cursor, 10, 64); err != nil || c < start {
			t.Errorf("cursor %q", b.Cursor)
		}
		for _, p := range b.Posts {
			if err := p.Validate(); err != nil {
				t.Error(err)
			}
		}
		if v, err := parseCursor(in); err == nil && in != "" && strconv.FormatInt(v, 10) != strings.TrimLeft(in, "+0") {
			t.Errorf("cursor %q read as %d", in, v)
		}
	})
}
