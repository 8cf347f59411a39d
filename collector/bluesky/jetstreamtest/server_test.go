package jetstreamtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/bluesky/jetstreamtest"
	"github.com/aftershock/aftershock/internal/testdata"
)

func corpus(t *testing.T) [][]byte {
	t.Helper()
	data, err := os.ReadFile(testdata.Path(t, "bluesky", "jetstream_v1_corpus_expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	events := jetstreamtest.SplitLines(data)
	if len(events) != 152 {
		t.Fatalf("%d events in the corpus", len(events))
	}
	return events
}

type head struct {
	TimeUS int64  `json:"time_us"`
	Kind   string `json:"kind"`
	Commit *struct {
		Collection string `json:"collection"`
	} `json:"commit"`
}

// read connects with query and reads frames until the server closes or
// goes quiet for 200 ms.
func read(t *testing.T, srv *jetstreamtest.Server, query string) (frames [][]byte, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, srv.URL+"?"+query, nil)
	if err != nil {
		return nil, err
	}
	defer c.CloseNow()
	c.SetReadLimit(1 << 20)
	for {
		rctx, rcancel := context.WithTimeout(ctx, 200*time.Millisecond)
		_, data, err := c.Read(rctx)
		rcancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				err = nil
			}
			return frames, err
		}
		frames = append(frames, data)
	}
}

func heads(t *testing.T, frames [][]byte) []head {
	t.Helper()
	var out []head
	for _, f := range frames {
		var h head
		if err := json.Unmarshal(f, &h); err != nil {
			t.Fatalf("frame %q: %v", f, err)
		}
		out = append(out, h)
	}
	return out
}

func TestServerFilters(t *testing.T) {
	events := corpus(t)
	srv := jetstreamtest.New(events, jetstreamtest.Options{})
	defer srv.Close()

	all, err := read(t, srv, "")
	if err != nil || len(all) != 152 {
		t.Fatalf("no filter: %d frames, %v", len(all), err)
	}
	for i := range all {
		if string(all[i]) != string(events[i]) {
			t.Fatalf("frame %d differs from the event", i)
		}
	}

	posts, _ := read(t, srv, "wantedCollections=app.bsky.feed.post")
	hs := heads(t, posts)
	if len(hs) != 18+2 { // 17 creates, 1 delete, identity and account
		t.Errorf("posts: %d frames", len(hs))
	}
	for _, h := range hs {
		if h.Kind == "commit" && h.Commit.Collection != "app.bsky.feed.post" {
			t.Errorf("got a %s commit", h.Commit.Collection)
		}
	}
	feed, _ := read(t, srv, "wantedCollections=app.bsky.feed.*&wantedCollections=app.bsky.graph.follow")
	if n := len(feed); n != 105+18+15+9+2 { // likes, posts, reposts, follows, identity+account
		t.Errorf("feed.* + follows: %d frames", n)
	}

	const cursor = 1783175888300000
	later, _ := read(t, srv, "cursor=1783175888300000")
	want := 0
	for _, h := range heads(t, events) {
		if h.TimeUS >= cursor {
			want++
		}
	}
	if len(later) != want || want == 0 || want == 152 {
		t.Errorf("cursor: %d frames, want %d", len(later), want)
	}
	for _, h := range heads(t, later) {
		if h.TimeUS < cursor {
			t.Errorf("time_us %d before the cursor", h.TimeUS)
		}
	}
	if future, _ := read(t, srv, "cursor=1883175888300000"); len(future) != 0 {
		t.Errorf("future cursor: %d frames", len(future))
	}

	did := "did:plc:wq4aajammjtxdomz3e23667t" // the first event's
	if one, _ := read(t, srv, "wantedDids="+did); len(one) == 0 || !strings.Contains(string(one[0]), did) {
		t.Errorf("wantedDids: %d frames", len(one))
	}

	for _, q := range []string{"cursor=abc", "wantedCollections=a*b", "wantedCollections="} {
		resp, err := http.Get("http" + strings.TrimPrefix(srv.URL, "ws") + "?" + q)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "invalid") {
			t.Errorf("%s: %d %s", q, resp.StatusCode, body)
		}
	}
	conns := srv.Conns()
	if len(conns) != 6 || conns[3].Cursor != cursor || conns[0].Sent != 152 {
		t.Errorf("conns %+v", conns)
	}
}

func TestServerDropMalformedRate(t *testing.T) {
	events := corpus(t)[:40]
	srv := jetstreamtest.New(events, jetstreamtest.Options{DropAfter: 10, Drops: 1, MalformedAfter: 3, Rate: 200})
	defer srv.Close()
	start := time.Now()
	frames, err := read(t, srv, "")
	if err == nil || websocket.CloseStatus(err) != -1 {
		t.Errorf("dropped connection: err %v, want no close frame", err)
	}
	if len(frames) != 11 || json.Valid(frames[3]) || string(frames[4]) != string(events[3]) {
		t.Errorf("%d frames; frame 3 %q", len(frames), frames[3])
	}
	if d := time.Since(start); d < 40*time.Millisecond { // 10 events at 200/s: 45 ms
		t.Errorf("10 events at 200/s took %s", d)
	}
	if _, ok := srv.SentAt(0); ok {
		t.Error("SentAt(0)")
	}
	var h head
	json.Unmarshal(events[9], &h)
	if _, ok := srv.SentAt(h.TimeUS); !ok {
		t.Error("no SentAt for a sent event")
	}
	// The second connection is neither dropped nor sent a malformed frame.
	frames, err = read(t, srv, "")
	if err != nil || len(frames) != 40 {
		t.Errorf("second connection: %d frames, %v", len(frames), err)
	}
	if c := srv.Conns(); !c[0].Dropped || c[1].Dropped || c[0].Sent != 10 {
		t.Errorf("conns %+v", c)
	}

	srv2 := jetstreamtest.New(events[:5], jetstreamtest.Options{CloseWhenDone: true})
	defer srv2.Close()
	frames, err = read(t, srv2, "")
	if len(frames) != 5 || websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("CloseWhenDone: %d frames, %v", len(frames), err)
	}
}

func TestSynthesize(t *testing.T) {
	const n = 500
	events, err := jetstreamtest.Synthesize(corpus(t), n, 1783175888000000, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	var last int64
	for it := range bluesky.DecodeJetstream(strings.NewReader(string(joinLines(events)))) {
		if it.Post == nil {
			t.Fatalf("item %+v", it)
		}
		us, ok := jetstreamtest.TimeUS(it.Post.Raw)
		if !ok || us <= last {
			t.Errorf("time_us %d (%v) after %d", us, ok, last)
		}
		last = us
		ids[it.Post.ID] = true
	}
	if len(ids) != n || last != 1783175888000000+(n-1)*1000 {
		t.Errorf("%d distinct posts, last time_us %d", len(ids), last)
	}
	if _, err := jetstreamtest.Synthesize(corpus(t)[:1], 1, 0, time.Millisecond); err == nil {
		t.Error("no post among the samples: no error")
	}
	a, b := jetstreamtest.TID(1783175888000000, 1), jetstreamtest.TID(1783175888000001, 0)
	if len(a) != 13 || a >= b || !strings.ContainsRune("234567abcdefghij", rune(a[0])) {
		t.Errorf("TIDs %s, %s", a, b)
	}
}

func joinLines(events [][]byte) []byte {
	var out []byte
	for _, e := range events {
		out = append(append(out, e...), '\n')
	}
	return out
}
