package twitter

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/internal/testdata"
)

const testQuery = "#brexit OR $TSLA"

// streamEnv is a fake X API with the stream, and a store that keeps what
// the streamer emits as the loop does (posts by tweet id, the cursor).
type streamEnv struct {
	t    *testing.T
	fake *fakeStream
	srv  *httptest.Server
	logs syncBuffer

	mu       sync.Mutex
	cursor   string
	got      map[string]int  // tweet id (from Raw) → times emitted
	backfill map[string]bool // tweet ids emitted in back-fill batches
	skipped  int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func newStreamEnv(t *testing.T) *streamEnv {
	e := &streamEnv{t: t, fake: newFakeStream(t), got: map[string]int{}, backfill: map[string]bool{}}
	e.srv = httptest.NewServer(e.fake)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *streamEnv) streamer(token string) *Streamer {
	e.t.Helper()
	s, err := NewStreamer(StreamConfig{BaseURL: e.srv.URL, BearerToken: token, Query: testQuery, Tag: "aws"},
		e.srv.Client(), slog.New(slog.NewTextHandler(&e.logs, nil)))
	if err != nil {
		e.t.Fatal(err)
	}
	s.stall = 500 * time.Millisecond
	return s
}

// emit stores a batch as the loop does: posts, and the cursor unless "".
func (e *streamEnv) emit(b live.Batch) error {
	checkStreamBatch(e.t, b)
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range b.Posts {
		id := fakeTweetID(e.t, p.Raw)
		e.got[id]++
		if b.Cursor != "" {
			e.backfill[id] = true
		}
	}
	if b.Cursor != "" {
		e.cursor = b.Cursor
	}
	e.skipped += b.Skipped
	return nil
}

func checkStreamBatch(t *testing.T, b live.Batch) {
	t.Helper()
	if b.Cursor != "" {
		if _, err := parseSearchCursor(b.Cursor); err != nil {
			t.Errorf("batch cursor: %v", err)
		}
	}
	for i := range b.Posts {
		if err := b.Posts[i].Validate(); err != nil || b.Posts[i].CollectedAt.IsZero() {
			t.Errorf("post %s: %v, collected %v", b.Posts[i].ID, err, b.Posts[i].CollectedAt)
		}
	}
}

// start runs Stream from the stored cursor; the error arrives on the channel.
func (e *streamEnv) start(ctx context.Context, s *Streamer) <-chan error {
	e.mu.Lock()
	cursor := e.cursor
	e.mu.Unlock()
	ch := make(chan error, 1)
	go func() { ch <- s.Stream(ctx, cursor, e.emit) }()
	return ch
}

// has reports whether every id has been emitted.
func (e *streamEnv) has(ids ...string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range ids {
		if e.got[id] == 0 {
			return false
		}
	}
	return true
}

func (e *streamEnv) stored() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cursor
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// waitLive is waitFor while a stream runs: it fails at once if the stream
// ends.
func waitLive(t *testing.T, what string, errc <-chan error, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
		select {
		case err := <-errc:
			t.Fatalf("stream ended waiting for %s: %v", what, err)
		default:
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func waitErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Stream did not return")
		return nil
	}
}

func waitConnect(t *testing.T, f *fakeStream) {
	t.Helper()
	select {
	case <-f.connects:
	case <-time.After(10 * time.Second):
		t.Fatal("no stream connection")
	}
}

// TestStreamerFollow follows the fake through keep-alives, a silent period,
// an error frame, a dropped connection and 429s on connect, with tweets
// posted while connected (streamed) and while disconnected (back-filled):
// in the end every tweet of the fake was emitted, and the stream's own
// batches never moved the cursor.
func TestStreamerFollow(t *testing.T) {
	e := newStreamEnv(t)
	f := e.fake
	f.x.hold(60)
	var staleID, otherID string
	f.set(func(f *fakeStream) {
		staleID = f.addRuleLocked("#awsdown", "aws")          // ours, with an old query
		otherID = f.addRuleLocked("#gcpdown", "someone-else") // not ours
	})
	ctx := t.Context()
	s := e.streamer(f.x.token)

	// 1. Connect from "": rules fixed, back-fill of all that exists, then
	// streamed tweets, which keep the stored cursor.
	errc := e.start(ctx, s)
	waitConnect(t, f)
	before := f.x.ids()
	waitLive(t, "back-fill", errc, func() bool { return e.has(slices.Collect(mapKeys(before))...) })
	rules := f.rulesNow()
	if len(rules) != 2 || slices.ContainsFunc(rules, func(r streamRule) bool { return string(r.ID) == staleID }) ||
		!slices.ContainsFunc(rules, func(r streamRule) bool { return string(r.ID) == otherID }) ||
		!slices.ContainsFunc(rules, func(r streamRule) bool { return r.Tag == "aws" && r.Value == testQuery }) {
		t.Fatalf("rules after connect: %+v", rules)
	}
	streamed := f.publish(10)
	waitLive(t, "streamed tweets", errc, func() bool { return e.has(streamed...) })
	afterBackfill := e.stored()
	if st := cursorOf(t, afterBackfill); st.HWM == "" || st.inChain() || compareIDs(st.HWM, streamed[0]) >= 0 {
		t.Errorf("cursor after back-fill %+v (first streamed id %s)", st, streamed[0])
	}

	// 2. Keep-alives for three stall timeouts: the stream stays up.
	select {
	case err := <-errc:
		t.Fatalf("stream ended despite keep-alives: %v", err)
	case <-time.After(3 * s.stall):
	}
	if e.stored() != afterBackfill {
		t.Error("streamed tweets moved the cursor")
	}

	// 3. A silent period: Stream returns errStalled. Tweets posted now are
	// back-filled on reconnect.
	f.send(fakeCmd{silence: true})
	if err := waitErr(t, errc); !errors.Is(err, errStalled) {
		t.Fatalf("silent stream: %v", err)
	}
	missed := f.publish(5)
	errc = e.start(ctx, s)
	waitConnect(t, f)
	waitLive(t, "back-fill after stall", errc, func() bool { return e.has(missed...) })
	e.mu.Lock()
	for _, id := range missed {
		if !e.backfill[id] {
			t.Errorf("tweet %s posted while disconnected was not back-filled", id)
		}
	}
	e.mu.Unlock()
	if st := cursorOf(t, e.stored()); st.HWM != missed[len(missed)-1] {
		t.Errorf("cursor after second back-fill %+v, want hwm %s", st, missed[len(missed)-1])
	}

	// 4. An error frame (operational disconnect) after two tweets: both are
	// emitted, then Stream returns the error.
	tws := f.publish(2)
	f.send(fakeCmd{errFrame: true})
	err := waitErr(t, errc)
	if err == nil || !strings.Contains(err.Error(), "operational-disconnect") {
		t.Fatalf("error frame: %v", err)
	}
	if !e.has(tws...) {
		t.Error("tweets before the error frame lost")
	}

	// 5. Posted while disconnected, then a connection dropped mid-line.
	missed = f.publish(5)
	errc = e.start(ctx, s)
	waitConnect(t, f)
	waitLive(t, "back-fill after error frame", errc, func() bool { return e.has(missed...) })
	f.send(fakeCmd{drop: true})
	if err := waitErr(t, errc); err == nil || errors.Is(err, errStalled) {
		t.Fatalf("dropped connection: %v", err)
	}

	// 6. 429 on connect, twice: *live.HTTPError with X's schedule (1 min,
	// then 2 min), nothing emitted from the stream meanwhile.
	missed = f.publish(8)
	f.set(func(f *fakeStream) { f.fail429 = 2 })
	for _, want := range []time.Duration{time.Minute, 2 * time.Minute} {
		err := s.Stream(ctx, e.stored(), e.emit)
		var he *live.HTTPError
		if !errors.As(err, &he) || he.Status != http.StatusTooManyRequests || he.RetryAfter != want {
			t.Fatalf("429 on connect: %v, want RetryAfter %v", err, want)
		}
	}
	errc = e.start(ctx, s)
	waitConnect(t, f)
	waitLive(t, "back-fill after 429", errc, func() bool { return e.has(missed...) })
	last := f.publish(30)
	waitLive(t, "last tweets", errc, func() bool { return e.has(last...) })

	// Every tweet of the fake emitted; nothing skipped; one rule of ours.
	all := f.x.ids()
	e.mu.Lock()
	for id := range all {
		if e.got[id] == 0 {
			t.Errorf("tweet %s never emitted", id)
		}
	}
	if e.skipped != 0 {
		t.Errorf("%d skipped", e.skipped)
	}
	e.mu.Unlock()
	if n := len(f.rulesNow()); n != 2 {
		t.Errorf("%d rules at the end, want 2", n)
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestStreamerRealLines sends the lines of a real twarc2 stream recording
// verbatim (numeric rule ids, tag null, a truncated last line): the tweets of
// our rule's id are emitted, the truncated line is counted in Skipped, and
// a tweet matching only another rule is not emitted.
func TestStreamerRealLines(t *testing.T) {
	e := newStreamEnv(t)
	f := e.fake
	f.set(func(f *fakeStream) { f.nextRule = 1377649934414049282 }) // the recording's rule id
	fh, err := os.Open(testdata.Path(t, "twitter-v2", "twarc-csv_streaming_output_with_error.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var lines [][]byte
	var ids []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := slices.Clone(sc.Bytes())
		lines = append(lines, l)
		if fr, err := parseStreamLine(l); err == nil && fr.tweet {
			ids = append(ids, fakeTweetID(t, fakeDataOf(t, l)))
		}
	}
	if len(lines) != 8 || len(ids) != 7 {
		t.Fatalf("%d lines, %d tweets in the recording", len(lines), len(ids))
	}
	s := e.streamer(f.x.token)
	// Another rule's tweet first: the stream leaves it out.
	foreign := bytes.Replace(lines[0], []byte(`"id": 1377649934414049282, "tag": null`), []byte(`"id": "1", "tag": "other"`), 1)
	if bytes.Equal(foreign, lines[0]) {
		t.Fatal("recording's matching_rules not found")
	}
	f.x.mu.Lock()
	f.x.avail = 0 // no back-fill: only the stream
	f.x.mu.Unlock()
	ctx, cancel := context.WithCancel(t.Context())
	errc := e.start(ctx, s)
	waitConnect(t, f)
	f.send(fakeCmd{lines: append([][]byte{foreign}, lines...)})
	waitLive(t, "recorded tweets", errc, func() bool { return e.has(ids...) })
	waitFor(t, "skipped line", func() bool { e.mu.Lock(); defer e.mu.Unlock(); return e.skipped == 1 })
	cancel()
	if err := waitErr(t, errc); err != nil {
		t.Errorf("Stream after cancel: %v", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.got[ids[0]] != 1 {
		t.Errorf("tweet %s emitted %d times, want once (its foreign copy left out)", ids[0], e.got[ids[0]])
	}
	if e.cursor != "" && cursorOf(t, e.cursor).HWM != "" {
		t.Errorf("streamed tweets set the cursor: %s", e.cursor)
	}
}

func fakeDataOf(t *testing.T, line []byte) []byte {
	var v struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		t.Fatal(err)
	}
	return v.Data
}

// counts returns the fake's rule requests, stream dials and searches.
func (f *fakeStream) counts() (rules, dials, searches int) {
	f.mu.Lock()
	rules, dials = f.ruleRequests, f.dials
	f.mu.Unlock()
	f.x.mu.Lock()
	defer f.x.mu.Unlock()
	return rules, dials, len(f.x.requests)
}

// TestStreamerAuth: no token fails at once with no request; a refused
// token (401 on the rules, 403 on the stream) wraps live.ErrAuth.
func TestStreamerAuth(t *testing.T) {
	e := newStreamEnv(t)
	err := e.streamer("").Stream(t.Context(), "", e.emit)
	if !errors.Is(err, live.ErrAuth) {
		t.Errorf("no token: %v", err)
	}
	if err := e.streamer("").CheckRule(t.Context()); !errors.Is(err, live.ErrAuth) {
		t.Errorf("CheckRule without token: %v", err)
	}
	if r, d, q := e.fake.counts(); r+d+q != 0 {
		t.Errorf("requests without a token: %d rules, %d dials, %d searches", r, d, q)
	}
	err = e.streamer("wrong").Stream(t.Context(), "", e.emit)
	if !errors.Is(err, live.ErrAuth) {
		t.Errorf("wrong token: %v", err)
	}
	var he *live.HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusUnauthorized {
		t.Errorf("wrong token: %v, want the 401 inside", err)
	}
	// 403 on the stream itself (an app without stream access).
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == streamPath {
			e.fake.x.problem(w, http.StatusForbidden, `{"title":"Client Forbidden","detail":"This request must be made using an approved developer account that is enrolled in the requested endpoint.","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"}`)
			return
		}
		e.fake.ServeHTTP(w, r)
	}))
	defer srv.Close()
	s, err := NewStreamer(StreamConfig{BaseURL: srv.URL, BearerToken: e.fake.x.token, Query: testQuery, Tag: "aws"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Stream(t.Context(), "", e.emit); !errors.Is(err, live.ErrAuth) || !strings.Contains(err.Error(), "403") {
		t.Errorf("403 on stream: %v", err)
	}
}

// TestStreamerHTTPSchedule: 503 on connect gives RetryAfter 5 s doubling
// to 320 s; a successful connection starts the schedule over.
func TestStreamerHTTPSchedule(t *testing.T) {
	e := newStreamEnv(t)
	s := e.streamer(e.fake.x.token)
	e.fake.set(func(f *fakeStream) { f.fail503 = 8 })
	for _, want := range []time.Duration{5, 10, 20, 40, 80, 160, 320, 320} {
		err := s.Stream(t.Context(), "", e.emit)
		var he *live.HTTPError
		if !errors.As(err, &he) || he.Status != http.StatusServiceUnavailable || he.RetryAfter != want*time.Second {
			t.Fatalf("503: %v, want RetryAfter %ds", err, want)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := e.start(ctx, s)
	waitConnect(t, e.fake)
	waitFor(t, "back-fill", func() bool { return e.stored() != "" }) // connected: the back-fill runs
	cancel()
	waitErr(t, errc)
	e.fake.set(func(f *fakeStream) { f.fail503 = 1 })
	var he *live.HTTPError
	if err := s.Stream(t.Context(), "", e.emit); !errors.As(err, &he) || he.RetryAfter != 5*time.Second {
		t.Errorf("503 after a connection: %v, want RetryAfter 5s", err)
	}
}

// TestStreamerRules: CheckRule validates with dry_run and changes nothing;
// an invalid query is refused before any stream; a rule with our query
// under another tag is reused, not duplicated.
func TestStreamerRules(t *testing.T) {
	e := newStreamEnv(t)
	s := e.streamer(e.fake.x.token)
	if err := s.CheckRule(t.Context()); err != nil {
		t.Errorf("CheckRule: %v", err)
	}
	if r := e.fake.rulesNow(); len(r) != 0 {
		t.Errorf("dry run created rules: %+v", r)
	}
	bad, err := NewStreamer(StreamConfig{BaseURL: e.srv.URL, BearerToken: e.fake.x.token, Query: `(#aws OR "down`, Tag: "aws"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.CheckRule(t.Context()); err == nil || !strings.Contains(err.Error(), "mismatched") {
		t.Errorf("CheckRule of an invalid query: %v", err)
	}
	if err := bad.Stream(t.Context(), "", e.emit); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("Stream of an invalid query: %v", err)
	}
	if _, d, _ := e.fake.counts(); d != 0 {
		t.Errorf("%d stream dials with an invalid rule", d)
	}
	var shared string
	e.fake.set(func(f *fakeStream) { shared = f.addRuleLocked(testQuery, "") })
	m, err := s.ensureRule(t.Context())
	if err != nil || !m.ids[shared] || len(e.fake.rulesNow()) != 1 {
		t.Errorf("rule with our query, no tag: match %+v, %v, rules %+v", m, err, e.fake.rulesNow())
	}
	for _, c := range []StreamConfig{{Query: testQuery}, {Query: "", Tag: "x"}, {Query: testQuery, Tag: strings.Repeat("t", 513)}} {
		if _, err := NewStreamer(c, nil, nil); err == nil {
			t.Errorf("NewStreamer(%+v): no error", c)
		}
	}
}

// FuzzStreamLine: any line parses or fails without panicking; a blank line
// is a keep-alive; handleLine keeps its posts valid.
func FuzzStreamLine(f *testing.F) {
	fh, err := os.Open(testdata.Path(f, "twitter-v2", "twarc-csv_streaming_output_with_error.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		// Whole recorded lines (up to 8 KB) make each new input minimise
		// for a minute: seed with their tweets' core fields and rules, and
		// the recording's truncated last line as it is.
		var v struct {
			Data struct {
				ID        jsonString `json:"id"`
				Text      string     `json:"text"`
				AuthorID  string     `json:"author_id"`
				CreatedAt string     `json:"created_at"`
			} `json:"data"`
			MatchingRules json.RawMessage `json:"matching_rules"`
		}
		if json.Unmarshal(sc.Bytes(), &v) != nil {
			f.Add(slices.Clone(sc.Bytes()))
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	fh.Close()
	for _, s := range []string{"\r\n", "", operationalDisconnect,
		`{"data":{"id":"1","text":"x","created_at":"2026-05-01T10:00:00.000Z"},"matching_rules":[{"id":"9","tag":"aws"}],"errors":[{"title":"Not Found Error","resource_type":"tweet","resource_id":"2"}]}`,
		`{"errors":[{"title":"Not Found Error","resource_type":"user","resource_id":"2"}]}`, `{"data":[1]}`, `[]`} {
		f.Add([]byte(s))
	}
	s := &Streamer{cfg: StreamConfig{Tag: "aws"}, log: slog.New(slog.DiscardHandler), now: time.Now}
	m := ruleMatch{tag: "aws", ids: map[string]bool{"1377649934414049282": true}}
	f.Fuzz(func(t *testing.T, line []byte) {
		fr, err := parseStreamLine(line)
		if blank := len(bytes.TrimSpace(line)) == 0; blank != (err == nil && fr.keepAlive) {
			t.Fatalf("blank %v, frame %+v, err %v", blank, fr, err)
		}
		if err == nil && !fr.keepAlive && !fr.tweet && len(fr.errs) == 0 {
			t.Fatalf("frame without kind: %+v", fr)
		}
		var b live.Batch
		if err := s.handleLine(line, m, &b); err != nil && (fr.tweet || fr.keepAlive) {
			t.Fatalf("tweet or keep-alive line ended the stream: %v", err)
		}
		for i := range b.Posts {
			if err := b.Posts[i].Validate(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
