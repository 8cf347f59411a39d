package twitter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
)

// fakeTweet is one real tweet of the shared twarc2 files with the includes
// its page carried for it.
type fakeTweet struct {
	id                   string
	raw                  json.RawMessage
	users, tweets, media []json.RawMessage
	userIDs, tweetIDs    []string
	mediaKeys            []string
}

// fakeX serves GET /2/tweets/search/recent over the real tweets of
// ../shared/data/twitter-v2 the way PROTOCOLS.md §1.1 describes it: newest
// first, max_results 10–100, since_id/until_id exclusive, next_token paging
// (a token replays the same page and must come with the same since_id and
// until_id), meta newest_id/oldest_id/result_count/next_token, {"meta":
// {"result_count":0}} when nothing matches, x-rate-limit-* headers. On
// demand: 429 with the problem JSON, 503, a dropped connection, a partial
// error inside a 200, a malformed tweet in a page, refused tokens, and new
// tweets "arriving" (the newest held back until release).
type fakeX struct {
	t     testing.TB
	token string

	mu       sync.Mutex
	tweets   []fakeTweet // ascending by id
	avail    int         // tweets[:avail] exist so far
	tokens   map[string]fakeToken
	byAnchor map[fakeToken]string
	served   map[string]int // data tweet id → times served in a 200
	requests []url.Values
	remain   int

	fail429, fail503, drop, partial, malformed int // next n responses fail so
	forgetTokens                               bool
}

type fakeToken struct{ since, until, below string }

// newFakeX loads every tweet of the twarc2 files; all are available.
func newFakeX(t testing.TB) *fakeX {
	t.Helper()
	dir := testdata.Path(t, "twitter-v2")
	names, err := filepath.Glob(filepath.Join(dir, "twarc-csv_*.jsonl"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no twarc2 files in %s: %v", dir, err)
	}
	f := &fakeX{t: t, token: "test-bearer", tokens: map[string]fakeToken{},
		byAnchor: map[fakeToken]string{}, served: map[string]int{}, remain: 450}
	seen := map[string]bool{}
	for _, name := range names {
		for _, tw := range readFakePages(t, name) {
			if !seen[tw.id] {
				seen[tw.id] = true
				f.tweets = append(f.tweets, tw)
			}
		}
	}
	slices.SortFunc(f.tweets, func(a, b fakeTweet) int { return compareIDs(a.id, b.id) })
	f.avail = len(f.tweets)
	return f
}

// readFakePages returns the data tweets of a twarc2 file with their
// includes; lines that are not JSON pages are left out.
func readFakePages(t testing.TB, name string) []fakeTweet {
	fh, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 16<<20)
	var out []fakeTweet
	for sc.Scan() {
		var pg struct {
			Data     json.RawMessage `json:"data"`
			Includes struct {
				Users, Tweets, Media []json.RawMessage
			} `json:"includes"`
		}
		if json.Unmarshal(sc.Bytes(), &pg) != nil || len(pg.Data) == 0 {
			continue
		}
		var data []json.RawMessage
		if pg.Data[0] == '{' {
			data = []json.RawMessage{pg.Data}
		} else if json.Unmarshal(pg.Data, &data) != nil {
			continue
		}
		type ref struct {
			ID               string `json:"id"`
			AuthorID         string `json:"author_id"`
			InReplyToUserID  string `json:"in_reply_to_user_id"`
			MediaKey         string `json:"media_key"`
			ReferencedTweets []ref  `json:"referenced_tweets"`
			Attachments      struct {
				MediaKeys []string `json:"media_keys"`
			}
		}
		users, tweets, media := map[string]json.RawMessage{}, map[string]json.RawMessage{}, map[string]json.RawMessage{}
		tweetAuthor := map[string]string{}
		for _, u := range pg.Includes.Users {
			var r ref
			if json.Unmarshal(u, &r) == nil {
				users[r.ID] = u
			}
		}
		for _, tw := range pg.Includes.Tweets {
			var r ref
			if json.Unmarshal(tw, &r) == nil {
				tweets[r.ID] = tw
				tweetAuthor[r.ID] = r.AuthorID
			}
		}
		for _, m := range pg.Includes.Media {
			var r ref
			if json.Unmarshal(m, &r) == nil {
				media[r.MediaKey] = m
			}
		}
		for _, raw := range data {
			var r ref
			if json.Unmarshal(raw, &r) != nil || !validID(r.ID) {
				continue
			}
			ft := fakeTweet{id: r.ID, raw: raw}
			addUser := func(id string) {
				if u, ok := users[id]; ok && !slices.Contains(ft.userIDs, id) {
					ft.userIDs = append(ft.userIDs, id)
					ft.users = append(ft.users, u)
				}
			}
			addUser(r.AuthorID)
			addUser(r.InReplyToUserID)
			for _, rt := range r.ReferencedTweets {
				if tw, ok := tweets[rt.ID]; ok && !slices.Contains(ft.tweetIDs, rt.ID) {
					ft.tweetIDs = append(ft.tweetIDs, rt.ID)
					ft.tweets = append(ft.tweets, tw)
					addUser(tweetAuthor[rt.ID])
				}
			}
			for _, k := range r.Attachments.MediaKeys {
				if m, ok := media[k]; ok && !slices.Contains(ft.mediaKeys, k) {
					ft.mediaKeys = append(ft.mediaKeys, k)
					ft.media = append(ft.media, m)
				}
			}
			out = append(out, ft)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// hold makes the newest n tweets not exist yet.
func (f *fakeX) hold(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.avail = len(f.tweets) - n
}

// release lets n more of the held tweets arrive (higher ids than all others).
func (f *fakeX) release(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.avail = min(f.avail+n, len(f.tweets))
}

// ids returns the ids of the tweets that exist now.
func (f *fakeX) ids() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := map[string]bool{}
	for _, tw := range f.tweets[:f.avail] {
		m[tw.id] = true
	}
	return m
}

// newestID is the id of the newest tweet that exists now.
func (f *fakeX) newestID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tweets[f.avail-1].id
}

func (f *fakeX) set(fn func(f *fakeX)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *fakeX) lastRequest() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		return nil
	}
	return f.requests[len(f.requests)-1]
}

func (f *fakeX) servedCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.served)
}

// resetServed forgets what was served so far.
func (f *fakeX) resetServed() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.served)
}

func (f *fakeX) problem(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func (f *fakeX) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := r.URL.Query()
	f.requests = append(f.requests, q)
	if r.URL.Path != searchPath || r.Method != http.MethodGet {
		f.problem(w, http.StatusNotFound, `{"title":"Not Found Error","type":"about:blank","status":404,"detail":"Not Found"}`)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.problem(w, http.StatusUnauthorized, `{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}`)
		return
	}
	if f.drop > 0 {
		f.drop--
		// The connection drops in the middle of the body.
		conn, bw, err := w.(http.Hijacker).Hijack()
		if err == nil {
			fmt.Fprint(bw, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{\"data\":[{\"id\":")
			bw.Flush()
			conn.Close()
		}
		return
	}
	f.remain = max(f.remain-1, 0)
	h := w.Header()
	h.Set("x-rate-limit-limit", "450")
	h.Set("x-rate-limit-reset", strconv.FormatInt(time.Now().Add(15*time.Minute).Unix(), 10))
	if f.fail429 > 0 {
		f.fail429--
		h.Set("x-rate-limit-remaining", "0")
		h.Set("x-rate-limit-reset", strconv.FormatInt(time.Now().Add(30*time.Second).Unix(), 10))
		f.problem(w, http.StatusTooManyRequests, `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`)
		return
	}
	h.Set("x-rate-limit-remaining", strconv.Itoa(f.remain))
	if f.fail503 > 0 {
		f.fail503--
		f.problem(w, http.StatusServiceUnavailable, `{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`)
		return
	}
	invalid := func(param, msg string) {
		f.problem(w, http.StatusBadRequest, fmt.Sprintf(`{"errors":[{"parameters":{%q:[%q]},"message":%q}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}`,
			param, q.Get(param), msg))
	}
	if q.Get("query") == "" {
		invalid("query", "The `query` query parameter can not be empty")
		return
	}
	if q.Get("sort_order") == "relevancy" {
		invalid("sort_order", "the fake serves recency only")
		return
	}
	maxResults := 10
	if v := q.Get("max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 || n > 100 {
			invalid("max_results", "The `max_results` query parameter value ["+v+"] is not between 10 and 100")
			return
		}
		maxResults = n
	}
	since, until := q.Get("since_id"), q.Get("until_id")
	for _, p := range []string{"since_id", "until_id"} {
		if v := q.Get(p); v != "" && !validID(v) {
			invalid(p, "The `"+p+"` query parameter value ["+v+"] is not valid")
			return
		}
	}
	below := until
	tok := q.Get("next_token")
	if tok == "" {
		tok = q.Get("pagination_token")
	}
	if tok != "" {
		ft, ok := f.tokens[tok]
		if !ok || f.forgetTokens {
			invalid("next_token", "The `next_token` query parameter value ["+tok+"] is not a valid token")
			return
		}
		if ft.since != since || ft.until != until {
			invalid("next_token", "since_id and until_id must be the same as in the request that returned the token")
			return
		}
		below = ft.below
	}
	// Newest first: walk down from the newest tweet that exists.
	var page []fakeTweet
	more := false
	for i := f.avail - 1; i >= 0; i-- {
		tw := f.tweets[i]
		if since != "" && compareIDs(tw.id, since) <= 0 {
			break
		}
		if below != "" && compareIDs(tw.id, below) >= 0 {
			continue
		}
		if len(page) == maxResults {
			more = true
			break
		}
		page = append(page, tw)
	}
	if len(page) == 0 {
		h.Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"meta":{"result_count":0}}`)
		return
	}
	type meta struct {
		NewestID    string `json:"newest_id"`
		OldestID    string `json:"oldest_id"`
		ResultCount int    `json:"result_count"`
		NextToken   string `json:"next_token,omitempty"`
	}
	var resp struct {
		Data     []json.RawMessage `json:"data"`
		Includes struct {
			Users  []json.RawMessage `json:"users,omitempty"`
			Tweets []json.RawMessage `json:"tweets,omitempty"`
			Media  []json.RawMessage `json:"media,omitempty"`
		} `json:"includes"`
		Errors []json.RawMessage `json:"errors,omitempty"`
		Meta   meta              `json:"meta"`
	}
	seen := map[string]bool{}
	for _, tw := range page {
		f.served[tw.id]++
		resp.Data = append(resp.Data, tw.raw)
		for i, id := range tw.userIDs {
			if !seen["u"+id] {
				seen["u"+id] = true
				resp.Includes.Users = append(resp.Includes.Users, tw.users[i])
			}
		}
		for i, id := range tw.tweetIDs {
			if !seen["t"+id] {
				seen["t"+id] = true
				resp.Includes.Tweets = append(resp.Includes.Tweets, tw.tweets[i])
			}
		}
		for i, k := range tw.mediaKeys {
			if !seen["m"+k] {
				seen["m"+k] = true
				resp.Includes.Media = append(resp.Includes.Media, tw.media[i])
			}
		}
	}
	resp.Meta = meta{NewestID: page[0].id, OldestID: page[len(page)-1].id, ResultCount: len(page)}
	if more {
		key := fakeToken{since, until, page[len(page)-1].id}
		t, ok := f.byAnchor[key]
		if !ok {
			t = fmt.Sprintf("b26v89c19zqg8o3f%04d", len(f.tokens))
			f.byAnchor[key] = t
			f.tokens[t] = key
		}
		resp.Meta.NextToken = t
	}
	if f.partial > 0 {
		f.partial--
		resp.Errors = append(resp.Errors, json.RawMessage(`{"value":"1","detail":"Could not find tweet with referenced_tweets.id: [1].","title":"Not Found Error","resource_type":"tweet","parameter":"referenced_tweets.id","resource_id":"1","type":"https://api.twitter.com/2/problems/resource-not-found"}`))
	}
	if f.malformed > 0 && len(resp.Data) > 1 {
		f.malformed--
		bad := json.RawMessage(`{"id":"not-a-tweet-id","text":"malformed record","created_at":"2021-05-01T09:27:19.000Z"}`)
		resp.Data = slices.Insert(resp.Data, 1, bad)
		resp.Meta.ResultCount++
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(resp); err != nil {
		f.t.Errorf("fake: %v", err)
	}
	h.Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

// fakeTweetID reads the tweet id a post was decoded from (its Raw), which
// differs from NativeID for edited tweets.
func fakeTweetID(t testing.TB, raw []byte) string {
	t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &v); err != nil || v.ID == "" {
		t.Fatalf("post Raw without id: %.80s", raw)
	}
	return strings.TrimSpace(v.ID)
}
