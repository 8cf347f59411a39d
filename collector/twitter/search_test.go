package twitter

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"math/big"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

// searchEnv is a fake X API and a way to make pollers against it.
type searchEnv struct {
	t    *testing.T
	fake *fakeX
	srv  *httptest.Server
	logs bytes.Buffer
}

func newSearchEnv(t *testing.T) *searchEnv {
	e := &searchEnv{t: t, fake: newFakeX(t)}
	e.srv = httptest.NewServer(e.fake)
	t.Cleanup(e.srv.Close)
	return e
}

// poller returns a new Search instance (as after a restart) with page size n.
func (e *searchEnv) poller(n int) *Search {
	e.t.Helper()
	s, err := NewSearch(Config{BaseURL: e.srv.URL, BearerToken: e.fake.token, Query: "#brexit OR $TSLA", MaxResults: n},
		e.srv.Client(), slog.New(slog.NewTextHandler(&e.logs, nil)))
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// fetch calls Fetch and checks the batch: a cursor that parses, valid posts.
func fetch(t *testing.T, s *Search, cursor string) live.Batch {
	t.Helper()
	b, err := s.Fetch(context.Background(), cursor)
	if err != nil {
		t.Fatalf("Fetch(%s): %v", cursor, err)
	}
	checkBatch(t, b)
	return b
}

func checkBatch(t *testing.T, b live.Batch) {
	t.Helper()
	if _, err := parseSearchCursor(b.Cursor); err != nil || b.Cursor == "" {
		t.Fatalf("batch cursor %q: %v", b.Cursor, err)
	}
	for i := range b.Posts {
		p := &b.Posts[i]
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if p.Source != post.Twitter || p.CollectedAt.IsZero() || len(p.Raw) == 0 {
			t.Fatalf("post %s: source %q, collected %v, %d raw bytes", p.ID, p.Source, p.CollectedAt, len(p.Raw))
		}
	}
}

// follow fetches from cursor until a batch has More=false and returns the
// batches.
func follow(t *testing.T, s *Search, cursor string) []live.Batch {
	t.Helper()
	var out []live.Batch
	for range 200 {
		b := fetch(t, s, cursor)
		out = append(out, b)
		cursor = b.Cursor
		if !b.More {
			return out
		}
	}
	t.Fatal("no end after 200 pages")
	return nil
}

// delivered is the set of tweet ids (from Raw) of the posts of batches.
func delivered(t *testing.T, bs ...live.Batch) map[string]bool {
	m := map[string]bool{}
	for _, b := range bs {
		for _, p := range b.Posts {
			m[fakeTweetID(t, p.Raw)] = true
		}
	}
	return m
}

// checkAll fails unless every tweet of want was delivered, and the fake
// served each one exactly once (so no page was fetched twice).
func checkAll(t *testing.T, want map[string]bool, got map[string]bool, served map[string]int) {
	t.Helper()
	var missing []string
	for id := range want {
		if !got[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		t.Errorf("%d of %d tweets never delivered: %v", len(missing), len(want), missing)
	}
	for id, n := range served {
		if n != 1 {
			t.Errorf("tweet %s served %d times", id, n)
		}
	}
	if len(served) != len(want) {
		t.Errorf("fake served %d tweets, has %d", len(served), len(want))
	}
}

func cursorOf(t *testing.T, c string) searchState {
	t.Helper()
	st, err := parseSearchCursor(c)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestSearchFollow(t *testing.T) {
	e := newSearchEnv(t)
	all := e.fake.ids()
	if len(all) < 300 {
		t.Fatalf("fake has only %d tweets", len(all))
	}
	s := e.poller(25)
	bs := follow(t, s, "")
	if want := (len(all) + 24) / 25; len(bs) != want {
		t.Errorf("%d batches, want %d", len(bs), want)
	}
	checkAll(t, all, delivered(t, bs...), e.fake.servedCounts())
	for i, b := range bs {
		st := cursorOf(t, b.Cursor)
		if last := i == len(bs)-1; last {
			if st != (searchState{HWM: e.fake.newestID()}) {
				t.Errorf("final state %+v, want hwm %s only", st, e.fake.newestID())
			}
		} else if st.ChainNewest != e.fake.newestID() || st.NextToken == "" || st.HWM != "" || !b.More {
			t.Errorf("batch %d: state %+v more %v", i, st, b.More)
		}
		if b.Skipped != 0 {
			t.Errorf("batch %d: %d skipped", i, b.Skipped)
		}
	}
	// One known post decoded in full through the page's includes.
	var found bool
	for _, b := range bs {
		for _, p := range b.Posts {
			if p.NativeID == "1394735776701816833" {
				found = true
				if p.RepostOf == "" || p.Author.Handle == "" || !strings.HasPrefix(p.URL, "https://x.com/") {
					t.Errorf("retweet 1394735776701816833: %+v", p)
				}
			}
		}
	}
	if !found {
		t.Error("tweet 1394735776701816833 not delivered")
	}
	// Caught up: {"meta":{"result_count":0}}, the state stays.
	last := bs[len(bs)-1].Cursor
	b := fetch(t, s, last)
	if len(b.Posts) != 0 || b.More || b.Cursor != last {
		t.Errorf("caught up: %d posts, more %v, cursor %s (was %s)", len(b.Posts), b.More, b.Cursor, last)
	}
	if q := e.fake.lastRequest(); q.Get("since_id") != e.fake.newestID() || q.Get("next_token") != "" ||
		q.Get("tweet.fields") != searchFields || q.Get("expansions") != searchExpand || q.Get("max_results") != "25" {
		t.Errorf("poll request %v", q)
	}
}

// TestSearchResume restarts from the cursor of every batch with a new
// instance: the union has every tweet, and nothing before the boundary is
// served again.
func TestSearchResume(t *testing.T) {
	e := newSearchEnv(t)
	all := e.fake.ids()
	var cursors []string
	var before []map[string]bool // tweets served up to batch k
	cursor := ""
	for {
		b := fetch(t, e.poller(30), cursor)
		cursor = b.Cursor
		cursors = append(cursors, cursor)
		before = append(before, maps.Collect(func(yield func(string, bool) bool) {
			for id := range e.fake.servedCounts() {
				yield(id, true)
			}
		}))
		if !b.More {
			break
		}
	}
	for k, c := range cursors {
		e.fake.resetServed()
		bs := follow(t, e.poller(30), c)
		served := e.fake.servedCounts()
		for id := range served {
			if before[k][id] {
				t.Errorf("resume from batch %d: tweet %s served again", k, id)
			}
		}
		got := delivered(t, bs...)
		for id := range before[k] {
			got[id] = true
			served[id]++
		}
		checkAll(t, all, got, served)
	}
}

// TestSearchCrashMidChain: a 3-page chain (25 new tweets, 10 a page), the
// process dies after storing page 2; a new instance resumes from the stored
// cursor and finishes the chain, with the saved token or, when the API
// refuses it, with since_id=hwm&until_id=chain_low.
func TestSearchCrashMidChain(t *testing.T) {
	for _, refuse := range []bool{false, true} {
		t.Run(map[bool]string{false: "token", true: "until_id"}[refuse], func(t *testing.T) {
			e := newSearchEnv(t)
			e.fake.hold(25)
			old := follow(t, e.poller(100), "")
			hwm := old[len(old)-1].Cursor
			e.fake.release(25)
			all := e.fake.ids()
			e.fake.resetServed()

			a := e.poller(10)
			p1 := fetch(t, a, hwm)
			p2 := fetch(t, a, p1.Cursor)
			if len(p1.Posts) == 0 || len(p2.Posts) == 0 || !p2.More {
				t.Fatalf("pages 1-2: %d, %d posts, more %v", len(p1.Posts), len(p2.Posts), p2.More)
			}
			st := cursorOf(t, p2.Cursor)
			if st.HWM != cursorOf(t, hwm).HWM || st.ChainNewest != e.fake.newestID() || st.NextToken == "" {
				t.Fatalf("state after page 2: %+v", st)
			}
			// Crash: page 3 is never asked by a. A new instance resumes.
			if refuse {
				e.fake.set(func(f *fakeX) { f.forgetTokens = true })
			}
			b := e.poller(10)
			rest := follow(t, b, p2.Cursor)
			if len(rest) != 1 {
				t.Errorf("resume took %d batches, want 1", len(rest))
			}
			q := e.fake.lastRequest()
			if refuse && (q.Get("until_id") != st.ChainLow || q.Get("next_token") != "" || q.Get("since_id") != st.HWM) {
				t.Errorf("fallback request %v, want since_id=%s until_id=%s", q, st.HWM, st.ChainLow)
			}
			if !refuse && q.Get("next_token") != st.NextToken {
				t.Errorf("resume request %v, want next_token=%s", q, st.NextToken)
			}
			if !refuse { // a token replays the same page
				before := e.fake.servedCounts()
				if again := fetch(t, b, p1.Cursor); !maps.Equal(delivered(t, again), delivered(t, p2)) || again.Cursor != p2.Cursor {
					t.Errorf("page 2 replayed differently: cursor %s, was %s", again.Cursor, p2.Cursor)
				}
				e.fake.set(func(f *fakeX) { f.served = before })
			}
			if fin := cursorOf(t, rest[len(rest)-1].Cursor); fin != (searchState{HWM: e.fake.newestID()}) {
				t.Errorf("final state %+v", fin)
			}
			got := delivered(t, slices.Concat([]live.Batch{p1, p2}, rest)...)
			for id := range delivered(t, old...) {
				got[id] = true
			}
			served := e.fake.servedCounts()
			if len(served) != 25 {
				t.Errorf("chain served %d tweets, want the 25 new ones", len(served))
			}
			for id := range all {
				if !got[id] {
					t.Errorf("tweet %s lost", id)
				}
			}
			for id, n := range served {
				if n != 1 {
					t.Errorf("tweet %s served %d times", id, n)
				}
			}
		})
	}
}

// TestSearchArrivals: tweets that arrive while a chain runs are newer than
// its page 1; the next chain (since_id = that chain's newest) picks them up.
func TestSearchArrivals(t *testing.T) {
	e := newSearchEnv(t)
	e.fake.hold(40)
	s := e.poller(20)
	var bs []live.Batch
	b := fetch(t, s, "")
	bs = append(bs, b)
	first := cursorOf(t, b.Cursor).ChainNewest
	e.fake.release(15) // arrive between page 1 and page 2
	for b.More {
		b = fetch(t, s, b.Cursor)
		bs = append(bs, b)
		if len(bs) == 3 {
			e.fake.release(10) // and later in the chain
		}
	}
	if st := cursorOf(t, b.Cursor); st.HWM != first {
		t.Fatalf("first chain committed %+v, want hwm %s", st, first)
	}
	bs = append(bs, follow(t, s, b.Cursor)...) // the next chain
	all := e.fake.ids()
	if len(all) != len(e.fake.tweets)-15 {
		t.Fatalf("fake has %d tweets", len(all))
	}
	checkAll(t, all, delivered(t, bs...), e.fake.servedCounts())
	if st := cursorOf(t, bs[len(bs)-1].Cursor); st.HWM != e.fake.newestID() {
		t.Errorf("second chain ended at %+v, want hwm %s", st, e.fake.newestID())
	}
}

// TestSearchFailures: 429 (with the reset header), 503 and a dropped
// connection in the middle of a chain; fetching again from the last cursor
// loses nothing.
func TestSearchFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		arm    func(f *fakeX)
		status int
	}{
		{"429", func(f *fakeX) { f.fail429 = 1 }, 429},
		{"503", func(f *fakeX) { f.fail503 = 1 }, 503},
		{"drop", func(f *fakeX) { f.drop = 1 }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newSearchEnv(t)
			s := e.poller(50)
			var bs []live.Batch
			cursor := ""
			for i := 0; ; i++ {
				if i == 3 {
					e.fake.set(tc.arm)
					_, err := s.Fetch(context.Background(), cursor)
					var he *live.HTTPError
					switch {
					case err == nil:
						t.Fatal("no error")
					case tc.status == 0:
						if errors.As(err, &he) {
							t.Fatalf("dropped connection gave %v", err)
						}
					case !errors.As(err, &he) || he.Status != tc.status:
						t.Fatalf("error %v, want HTTP %d", err, tc.status)
					case tc.status == 429 && (he.RetryAfter < 25*time.Second || he.RetryAfter > 31*time.Second):
						t.Fatalf("429 RetryAfter %v, want ~30s from x-rate-limit-reset", he.RetryAfter)
					case errors.Is(err, live.ErrAuth):
						t.Fatalf("%v is ErrAuth", err)
					}
				}
				b := fetch(t, s, cursor)
				bs = append(bs, b)
				cursor = b.Cursor
				if !b.More {
					break
				}
			}
			checkAll(t, e.fake.ids(), delivered(t, bs...), e.fake.servedCounts())
		})
	}
}

func TestSearchAuth(t *testing.T) {
	e := newSearchEnv(t)
	s, err := NewSearch(Config{BaseURL: e.srv.URL, Query: "outage"}, e.srv.Client(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Fetch(context.Background(), ""); !errors.Is(err, live.ErrAuth) {
		t.Errorf("no token: %v, want ErrAuth", err)
	}
	if n := len(e.fake.requests); n != 0 {
		t.Errorf("no token: %d requests sent", n)
	}
	s.cfg.BearerToken = "wrong"
	_, err = s.Fetch(context.Background(), "")
	var he *live.HTTPError
	if !errors.Is(err, live.ErrAuth) || !errors.As(err, &he) || he.Status != 401 {
		t.Errorf("wrong token: %v, want ErrAuth with HTTP 401", err)
	}
}

// TestSearchMalformedAndPartial: a tweet that does not decode is skipped and
// logged, a partial error in the 200 is logged and counted; the rest of the
// page is kept and the chain goes on.
func TestSearchMalformedAndPartial(t *testing.T) {
	e := newSearchEnv(t)
	e.fake.set(func(f *fakeX) { f.malformed, f.partial = 1, 1 })
	s := e.poller(20)
	bs := follow(t, s, "")
	if bs[0].Skipped != 2 {
		t.Errorf("page 1 skipped %d, want 2 (a malformed tweet, a partial error)", bs[0].Skipped)
	}
	if n := len(delivered(t, bs[0])); n < 20 {
		t.Errorf("page 1 kept %d tweets, want its 20 good ones", n)
	}
	for _, b := range bs[1:] {
		if b.Skipped != 0 {
			t.Errorf("later page skipped %d", b.Skipped)
		}
	}
	checkAll(t, e.fake.ids(), delivered(t, bs...), e.fake.servedCounts())
	logs := e.logs.String()
	for _, want := range []string{"not-a-tweet-id", "record skipped", "partial error", "Not Found Error"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestSearchResponses(t *testing.T) {
	s, err := NewSearch(Config{Query: "x", BearerToken: "t"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	inChain := searchState{HWM: "100", ChainNewest: "300", ChainLow: "250", NextToken: "abc"}
	for _, tc := range []struct {
		name, body string
		st         searchState
		want       searchState
		more       bool
		posts      int
		err        string
	}{
		{name: "caught up", body: `{"meta":{"result_count":0}}`, st: searchState{HWM: "100"}, want: searchState{HWM: "100"}},
		{name: "empty page ends chain", body: `{"meta":{"result_count":0}}`, st: inChain, want: searchState{HWM: "300"}},
		{name: "empty page with token", body: `{"meta":{"result_count":0,"next_token":"def"}}`, st: inChain,
			want: searchState{HWM: "100", ChainNewest: "300", ChainLow: "250", NextToken: "def"}, more: true},
		{name: "errors only", body: `{"errors":[{"title":"Invalid Request","detail":"bad query"}]}`, st: inChain, err: "Invalid Request"},
		{name: "no meta", body: `{"data":[]}`, err: "no meta"},
		{name: "not json", body: `<html>`, err: "decode response"},
		{name: "ids only in data", body: `{"data":[{"id":"500","text":"a","created_at":"2026-05-01T10:00:00Z"},{"id":"400","text":"b","created_at":"2026-05-01T10:00:00Z"}],"meta":{"result_count":2,"next_token":"n1"}}`,
			st: searchState{HWM: "100"}, want: searchState{HWM: "100", ChainNewest: "500", ChainLow: "400", NextToken: "n1"}, more: true, posts: 2},
		{name: "page below hwm does not lower it", body: `{"data":[{"id":"50","text":"a","created_at":"2026-05-01T10:00:00Z"}],"meta":{"result_count":1,"newest_id":"50","oldest_id":"50"}}`,
			st: searchState{HWM: "100"}, want: searchState{HWM: "100"}, posts: 1},
		{name: "until page keeps no token", body: `{"data":[{"id":"200","text":"a","created_at":"2026-05-01T10:00:00Z"}],"meta":{"result_count":1,"newest_id":"200","oldest_id":"200","next_token":"zz"}}`,
			st: searchState{HWM: "100", ChainNewest: "300", ChainLow: "250"}, want: searchState{HWM: "100", ChainNewest: "300", ChainLow: "200"}, more: true, posts: 1},
		{name: "no valid id", body: `{"data":[{"id":"x1"}],"meta":{"result_count":1}}`, err: "without a valid id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := s.decodePage([]byte(tc.body), tc.st)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cursorOf(t, b.Cursor); got != tc.want || b.More != tc.more || len(b.Posts) != tc.posts {
				t.Errorf("got %+v more %v %d posts, want %+v more %v %d posts", got, b.More, len(b.Posts), tc.want, tc.more, tc.posts)
			}
		})
	}
}

func TestSearchConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Query: " "},
		{Query: "x", MaxResults: 5},
		{Query: "x", MaxResults: 101},
		{Query: "x", BaseURL: "ftp://api.x.com"},
		{Query: strings.Repeat("a", maxQueryLen+1)},
	} {
		if _, err := NewSearch(cfg, nil, nil); err == nil {
			t.Errorf("NewSearch(%+v) accepted", cfg)
		}
	}
	s, err := NewSearch(Config{Query: " #aws "}, nil, nil)
	if err != nil || s.Name() != "x:search #aws" || s.cfg.MaxResults != 100 || s.endpoint != "https://api.x.com/2/tweets/search/recent" {
		t.Errorf("defaults: %+v %v", s, err)
	}
}

func TestSearchCursor(t *testing.T) {
	good := []string{
		"",
		`{}`,
		`{"hwm":"1440716895355764743"}`,
		`{"hwm":"1440716895355764743","chain_newest":"1611077073803841538","chain_low":"1576994746135764992","next_token":"b26v89c19zqg8o3f"}`,
		`{"chain_newest":"1611077073803841538","chain_low":"1611077073803841538"}`,
	}
	for _, c := range good {
		st, err := parseSearchCursor(c)
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		if again, err := parseSearchCursor(st.String()); err != nil || again != st {
			t.Errorf("%s: round trip %+v %v", c, again, err)
		}
	}
	bad := []string{
		`{"hwm":1440716895355764743}`,
		`{"hwm":"01"}`,
		`{"hwm":"12a"}`,
		`{"hwm":"123456789012345678901"}`,
		`{"chain_low":"5"}`,
		`{"next_token":"abc"}`,
		`{"chain_newest":"5"}`,
		`{"chain_newest":"5","chain_low":"6"}`,
		`{"chain_newest":"5","chain_low":"4","next_token":"a b"}`,
		`{"hwm":"5","extra":1}`,
		`{"hwm":"5"} {}`,
		`[]`,
		`since_id=5`,
	}
	for _, c := range bad {
		if _, err := parseSearchCursor(c); err == nil {
			t.Errorf("%s accepted", c)
		}
	}
	ids := []string{"9", "10", "99", "506695756406095872", "1394735776701816833", "1440716895355764743", "1611077073803841538", "18446744073709551616"}
	for i := range ids {
		for j := range ids {
			if got, want := compareIDs(ids[i], ids[j]), compareInts(i, j); got != want {
				t.Errorf("compareIDs(%s, %s) = %d, want %d", ids[i], ids[j], got, want)
			}
		}
	}
}

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// FuzzSearchCursor: parsing any cursor never panics and round-trips; the
// id order agrees with the integers'; advance keeps a valid state valid and
// never lowers hwm.
func FuzzSearchCursor(f *testing.F) {
	f.Add(`{"hwm":"1440716895355764743","chain_newest":"1611077073803841538","chain_low":"1576994746135764992","next_token":"b26v89c19zqg8o3f0001"}`,
		"1394735776701816833", "506695756406095872", "b26v89c19zqg8o3f0002")
	f.Add(`{"hwm":"25712847277"}`, "1611077073803841538", "1611077073803841538", "")
	f.Add(``, "1440716895355764743", "25712847277", "tok")
	f.Add(`{"chain_newest":"1576995594388000768","chain_low":"1576994789110992896"}`, "1576994746135764992", "1576994746135764992", "x")
	f.Fuzz(func(t *testing.T, cursor, a, b, token string) {
		st, err := parseSearchCursor(cursor)
		if err == nil {
			if again, err := parseSearchCursor(st.String()); err != nil || again != st {
				t.Fatalf("%q: round trip %+v, %v", cursor, again, err)
			}
		}
		if c, d := compareIDs(a, b), compareIDs(b, a); c != -d || (c == 0) != (a == b) {
			t.Fatalf("compareIDs(%q, %q) = %d, reverse %d", a, b, c, d)
		}
		if validID(a) && validID(b) {
			x, _ := new(big.Int).SetString(a, 10)
			y, _ := new(big.Int).SetString(b, 10)
			if got, want := compareIDs(a, b), x.Cmp(y); got != want {
				t.Fatalf("compareIDs(%s, %s) = %d, big.Int says %d", a, b, got, want)
			}
		}
		if err != nil {
			return
		}
		newest, oldest := a, b
		if !validID(a) || !validID(b) {
			newest, oldest = "", ""
		} else if compareIDs(a, b) < 0 {
			newest, oldest = b, a
		}
		if (searchState{NextToken: token, ChainNewest: "1", ChainLow: "1"}).check() != nil {
			token = "t"
		}
		next, more := st.advance(newest, oldest, token)
		if err := next.check(); err != nil {
			t.Fatalf("advance(%+v, %q, %q, %q) = %+v: %v", st, newest, oldest, token, next, err)
		}
		if st.HWM != "" && (next.HWM == "" || compareIDs(next.HWM, st.HWM) < 0) {
			t.Fatalf("advance lowered hwm: %+v → %+v", st, next)
		}
		if more && !next.inChain() {
			t.Fatalf("more without a chain: %+v", next)
		}
		if st.inChain() && compareIDs(next.ChainLow, st.ChainLow) > 0 && next.inChain() {
			t.Fatalf("chain_low went up: %+v → %+v", st, next)
		}
	})
}
