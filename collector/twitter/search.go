package twitter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector/live"
)

// DefaultBaseURL is the X API host a Search asks when Config.BaseURL is empty.
const DefaultBaseURL = "https://api.x.com"

// The recent-search endpoint and the fields every request asks for, so that
// the twarc2 decoder has what it needs (full note_tweet text, edit history,
// metrics, entities, authors, referenced tweets and media in includes).
const (
	searchPath   = "/2/tweets/search/recent"
	searchFields = "id,text,author_id,created_at,lang,conversation_id,in_reply_to_user_id,referenced_tweets,public_metrics,attachments,entities,edit_history_tweet_ids,note_tweet"
	searchExpand = "author_id,referenced_tweets.id,referenced_tweets.id.author_id,attachments.media_keys"
	searchUsers  = "username,name"
	searchMedia  = "type,url,preview_image_url,variants,alt_text"

	defaultMaxResults = 100
	maxQueryLen       = 4096 // enterprise; self-serve accounts are refused above 512
	maxTokenLen       = 1024
)

// Config configures a [Search]. The caller reads the bearer token from the
// environment variable AFTERSHOCK_X_BEARER_TOKEN.
type Config struct {
	BaseURL     string // API host, DefaultBaseURL when empty; tests point it at a fake
	BearerToken string // app-only bearer token; empty makes Fetch fail with live.ErrAuth
	Query       string // search query, e.g. `(#awsoutage OR "aws down") -is:retweet`
	MaxResults  int    // posts per page, 10–100; 0 means 100
}

// Search follows an X API v2 recent search (GET /2/tweets/search/recent) as
// a [live.Poller]. See the package documentation for its cursor.
type Search struct {
	cfg      Config
	endpoint string
	client   *http.Client
	log      *slog.Logger
	now      func() time.Time
}

// NewSearch returns a poller for cfg. A nil client gets one with a 60 s
// timeout; a nil log discards.
func NewSearch(cfg Config, client *http.Client, log *slog.Logger) (*Search, error) {
	cfg.Query = strings.TrimSpace(cfg.Query)
	if cfg.Query == "" {
		return nil, errors.New("x search: empty query")
	}
	if len(cfg.Query) > maxQueryLen {
		return nil, fmt.Errorf("x search: query is %d bytes, more than %d", len(cfg.Query), maxQueryLen)
	}
	if cfg.MaxResults == 0 {
		cfg.MaxResults = defaultMaxResults
	}
	if cfg.MaxResults < 10 || cfg.MaxResults > 100 {
		return nil, fmt.Errorf("x search: max_results %d outside 10–100", cfg.MaxResults)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("x search: bad base URL %q", cfg.BaseURL)
	}
	if client == nil {
		client = &http.Client{Timeout: 60 * time.Second}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Search{
		cfg:      cfg,
		endpoint: strings.TrimRight(cfg.BaseURL, "/") + searchPath,
		client:   client,
		log:      log,
		now:      time.Now,
	}, nil
}

// Name implements live.Poller: "x:search <query>".
func (s *Search) Name() string { return "x:search " + s.cfg.Query }

// Fetch implements live.Poller: it asks for one page after cursor and
// returns its posts with the chain state that resumes after them.
func (s *Search) Fetch(ctx context.Context, cursor string) (live.Batch, error) {
	if s.cfg.BearerToken == "" {
		return live.Batch{}, fmt.Errorf("x search: no bearer token (AFTERSHOCK_X_BEARER_TOKEN): %w", live.ErrAuth)
	}
	st, err := parseSearchCursor(cursor)
	if err != nil {
		return live.Batch{}, fmt.Errorf("x search %q: %w", s.cfg.Query, err)
	}
	body, hdr, err := s.get(ctx, st)
	var he *live.HTTPError
	if err != nil && st.NextToken != "" && errors.As(err, &he) && he.Status == http.StatusBadRequest {
		// The saved next_token was refused: finish the chain by id instead,
		// everything between hwm and the lowest id stored.
		s.log.Warn("x search: next_token refused, resuming below chain_low",
			"source", s.Name(), "chain_low", st.ChainLow, "err", err)
		st.NextToken = ""
		body, hdr, err = s.get(ctx, st)
	}
	if err != nil {
		return live.Batch{}, fmt.Errorf("x search %q: %w", s.cfg.Query, err)
	}
	if body == nil {
		return live.Batch{}, fmt.Errorf("x search %q: empty response", s.cfg.Query)
	}
	if rem := hdr.Get("X-Rate-Limit-Remaining"); rem != "" {
		s.log.Debug("x search: rate limit", "source", s.Name(), "remaining", rem, "reset", hdr.Get("X-Rate-Limit-Reset"))
	}
	return s.decodePage(body, st)
}

// get sends the request for state st: since_id=hwm, then next_token to
// continue a chain, or until_id=chain_low to finish one without a token.
func (s *Search) get(ctx context.Context, st searchState) ([]byte, http.Header, error) {
	v := url.Values{}
	v.Set("query", s.cfg.Query)
	v.Set("max_results", strconv.Itoa(s.cfg.MaxResults))
	v.Set("sort_order", "recency")
	v.Set("tweet.fields", searchFields)
	v.Set("expansions", searchExpand)
	v.Set("user.fields", searchUsers)
	v.Set("media.fields", searchMedia)
	if st.HWM != "" {
		v.Set("since_id", st.HWM)
	}
	if st.inChain() {
		if st.NextToken != "" {
			v.Set("next_token", st.NextToken)
		} else {
			v.Set("until_id", st.ChainLow)
		}
	}
	h := http.Header{}
	h.Set("Authorization", "Bearer "+s.cfg.BearerToken)
	return live.Get(ctx, s.client, s.endpoint+"?"+v.Encode(), h)
}

// searchPage is what Fetch reads of a response besides the posts, which the
// twarc2 decoder reads from the same bytes.
type searchPage struct {
	Data json.RawMessage `json:"data"`
	Meta *struct {
		NewestID    jsonString `json:"newest_id"`
		OldestID    jsonString `json:"oldest_id"`
		ResultCount jsonCount  `json:"result_count"`
		NextToken   string     `json:"next_token"`
	} `json:"meta"`
	Errors []v2Error `json:"errors"`
}

// decodePage turns one response into a batch and advances st.
func (s *Search) decodePage(body []byte, st searchState) (live.Batch, error) {
	var pg searchPage
	if err := json.Unmarshal(body, &pg); err != nil {
		return live.Batch{}, fmt.Errorf("x search %q: decode response: %w (%s)", s.cfg.Query, err, live.Excerpt(body))
	}
	if pg.Meta == nil {
		if e := requestError(pg.Errors); e != nil || len(pg.Errors) > 0 && !present(pg.Data) {
			if e == nil {
				e = &pg.Errors[0]
			}
			return live.Batch{}, fmt.Errorf("x search %q: API error: %s", s.cfg.Query, describeError(e))
		}
		return live.Batch{}, fmt.Errorf("x search %q: response has no meta (%s)", s.cfg.Query, live.Excerpt(body))
	}
	var b live.Batch
	// Partial errors: resources the page could not include (deleted or
	// withheld referenced tweets, suspended authors). The page stands.
	for i := range pg.Errors {
		e := &pg.Errors[i]
		s.log.Warn("x search: partial error", "source", s.Name(), "title", e.Title,
			"detail", e.Detail, "resource_type", e.ResourceType, "value", fmt.Sprint(e.Value))
		b.Skipped++
	}
	var items []json.RawMessage
	if objectKind(pg.Data) == "an array" {
		_ = json.Unmarshal(pg.Data, &items) // a bad array is reported by the decoder below
	}
	// The page's id range: meta newest_id/oldest_id and the ids of its data,
	// whichever are valid.
	var newest, oldest string
	note := func(id string) {
		if !validID(id) {
			return
		}
		if newest == "" || compareIDs(id, newest) > 0 {
			newest = id
		}
		if oldest == "" || compareIDs(id, oldest) < 0 {
			oldest = id
		}
	}
	note(string(pg.Meta.NewestID))
	note(string(pg.Meta.OldestID))
	for _, raw := range items {
		var t struct {
			ID jsonString `json:"id"`
		}
		if json.Unmarshal(raw, &t) == nil {
			note(string(t.ID))
		}
	}
	now := s.now().UTC()
	k := 0 // the decoder yields one item per data element first, in order
	for it := range DecodeTwarc2(bytes.NewReader(body)) {
		if it.Expect != nil {
			continue // meta.result_count: the chain keeps its own state
		}
		switch {
		case it.Post != nil:
			if it.Post.CollectedAt.IsZero() {
				it.Post.CollectedAt = now
			}
			b.Posts = append(b.Posts, *it.Post)
		case it.Err != nil:
			rec := body
			if k < len(items) {
				rec = items[k]
			}
			s.log.Warn("x search: record skipped", "source", s.Name(), "err", it.Err, "excerpt", live.Excerpt(rec))
			b.Skipped++
		}
		k++
	}
	if len(items) > 0 && newest == "" {
		return live.Batch{}, fmt.Errorf("x search %q: page of %d posts without a valid id", s.cfg.Query, len(items))
	}
	next, more := st.advance(newest, oldest, pg.Meta.NextToken)
	b.Cursor = next.String()
	b.More = more
	return b, nil
}

// searchState is the cursor of a Search (see the package documentation).
type searchState struct {
	HWM         string `json:"hwm,omitempty"`          // newest id fully ingested
	ChainNewest string `json:"chain_newest,omitempty"` // newest id of the chain in progress (its page 1)
	ChainLow    string `json:"chain_low,omitempty"`    // lowest id the chain has stored
	NextToken   string `json:"next_token,omitempty"`   // the chain's next page; "" in a chain: until_id=chain_low
}

func (st searchState) inChain() bool { return st.ChainNewest != "" }

// String is the cursor form of st: its JSON.
func (st searchState) String() string {
	b, err := json.Marshal(st)
	if err != nil { // strings only: cannot happen
		panic(err)
	}
	return string(b)
}

// parseSearchCursor reads a cursor written by searchState.String; "" is the
// empty state (no posts yet: the first chain reads the whole 7-day window).
func parseSearchCursor(s string) (searchState, error) {
	var st searchState
	if strings.TrimSpace(s) == "" {
		return st, nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return st, fmt.Errorf("bad cursor %.80q: %w", s, err)
	}
	if _, err := dec.Token(); err == nil {
		return st, fmt.Errorf("bad cursor %.80q: data after the object", s)
	}
	return st, st.check()
}

// check reports whether st is a state that advance can produce.
func (st searchState) check() error {
	for _, f := range []struct{ name, id string }{{"hwm", st.HWM}, {"chain_newest", st.ChainNewest}, {"chain_low", st.ChainLow}} {
		if f.id != "" && !validID(f.id) {
			return fmt.Errorf("bad cursor: %s %.40q is not a tweet id", f.name, f.id)
		}
	}
	if len(st.NextToken) > maxTokenLen {
		return fmt.Errorf("bad cursor: next_token longer than %d bytes", maxTokenLen)
	}
	for i := 0; i < len(st.NextToken); i++ {
		if c := st.NextToken[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("bad cursor: next_token %.40q has byte %#x", st.NextToken, c)
		}
	}
	if !st.inChain() {
		if st.ChainLow != "" || st.NextToken != "" {
			return errors.New("bad cursor: chain_low or next_token without chain_newest")
		}
		return nil
	}
	if st.ChainLow == "" || compareIDs(st.ChainLow, st.ChainNewest) > 0 {
		return fmt.Errorf("bad cursor: chain_low %q not at or below chain_newest %q", st.ChainLow, st.ChainNewest)
	}
	return nil
}

// advance returns the state after a page whose ids span oldest..newest (""
// for an empty page) and whose meta carried next ("" on the last page), and
// whether the chain goes on (More).
//
// Outside a chain an empty page means caught up, whatever its token: nothing
// was stored, so the next poll from hwm sees the same posts again. A page
// with posts starts a chain at its newest id. In a chain the lowest id
// stored only goes down; while the API gives a next_token it is kept (a
// token replays the same page, so a crash before the store commits loses
// nothing). A chain being finished by until_id keeps no tokens: each page
// moves chain_low down and the next request asks below it again. When a
// chain ends, hwm becomes its newest id, never lower than before.
func (st searchState) advance(newest, oldest, next string) (searchState, bool) {
	byUntil := st.inChain() && st.NextToken == ""
	if newest == "" {
		if !st.inChain() {
			return st, false
		}
		if next != "" && !byUntil {
			st.NextToken = next
			return st, true
		}
		return st.commit(), false
	}
	if !st.inChain() {
		st.ChainNewest, st.ChainLow = newest, oldest
	} else if compareIDs(oldest, st.ChainLow) < 0 {
		st.ChainLow = oldest
	}
	if next == "" {
		return st.commit(), false
	}
	if byUntil {
		st.NextToken = ""
	} else {
		st.NextToken = next
	}
	return st, true
}

// commit ends the chain: hwm moves up to its newest id.
func (st searchState) commit() searchState {
	hwm := st.HWM
	if hwm == "" || compareIDs(st.ChainNewest, hwm) > 0 {
		hwm = st.ChainNewest
	}
	return searchState{HWM: hwm}
}

// compareIDs orders decimal tweet ids without leading zeros, as strings so
// that no width limit applies: by length, then bytewise. It returns -1, 0 or
// +1.
func compareIDs(a, b string) int {
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return strings.Compare(a, b)
}

// validID reports whether s is a tweet id compareIDs can order: decimal
// digits without a leading zero.
func validID(s string) bool { return isTweetID(s) && s[0] != '0' }
