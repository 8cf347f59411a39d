package reddit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

const (
	// DefaultAuthURL is Reddit's OAuth token endpoint.
	DefaultAuthURL = "https://www.reddit.com/api/v1/access_token"
	// DefaultBaseURL is the root of Reddit's OAuth API.
	DefaultBaseURL = "https://oauth.reddit.com"

	maxLimit = 100 // items per listing request
	// maxWalk bounds the pages read going down a listing with "after" (a
	// first fetch, or after the anchor post vanished); Reddit's listings
	// end near 1,000 items anyway.
	maxWalk = 10
)

// Config says what a [Poller] follows and with which app. Reddit needs an
// approved app: the caller reads ClientID and ClientSecret from
// AFTERSHOCK_REDDIT_CLIENT_ID and AFTERSHOCK_REDDIT_CLIENT_SECRET, and
// Username (optional, the account owning the app, named in the User-Agent as
// Reddit asks) from AFTERSHOCK_REDDIT_USERNAME.
type Config struct {
	AuthURL      string // DefaultAuthURL when empty
	BaseURL      string // DefaultBaseURL when empty
	ClientID     string
	ClientSecret string
	Query        string // search query (sort=new); with Subreddit, searched in it only
	Subreddit    string // name without "r/"; alone, its /new listing is followed
	// Match keeps a post when it returns true (nil keeps all). Posts it
	// drops still move the cursor.
	Match func(*post.Post) bool

	Username string // Reddit user named in the User-Agent; optional
	Limit    int    // items per request; 100 when 0
}

// Poller follows a subreddit's /new listing or a search sorted by new, as a
// [live.Poller], with app-only OAuth.
type Poller struct {
	cfg    Config
	client *http.Client
	log    *slog.Logger
	now    func() time.Time
	list   string // listing URL without paging parameters

	mu      sync.Mutex
	token   string
	expires time.Time
}

var subredditRE = regexp.MustCompile(`^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$`)

// NewPoller returns a Poller for cfg. A nil client is http.DefaultClient, a
// nil log slog.Default(). Missing credentials are not an error here: Fetch
// reports them, wrapping live.ErrAuth.
func NewPoller(cfg Config, client *http.Client, log *slog.Logger) (*Poller, error) {
	if cfg.AuthURL == "" {
		cfg.AuthURL = DefaultAuthURL
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	for _, u := range []string{cfg.AuthURL, cfg.BaseURL} {
		if pu, err := url.Parse(u); err != nil || pu.Scheme != "http" && pu.Scheme != "https" || pu.Host == "" {
			return nil, fmt.Errorf("reddit: %q is not an http(s) URL", u)
		}
	}
	cfg.Subreddit = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(cfg.Subreddit), "/"), "r/")
	if cfg.Subreddit != "" && !subredditRE.MatchString(cfg.Subreddit) {
		return nil, fmt.Errorf("reddit: %q is not a subreddit name", cfg.Subreddit)
	}
	switch {
	case cfg.Limit == 0:
		cfg.Limit = maxLimit
	case cfg.Limit < 0 || cfg.Limit > maxLimit:
		return nil, fmt.Errorf("reddit: limit %d is not in 1..%d", cfg.Limit, maxLimit)
	}
	q := url.Values{"raw_json": {"1"}}
	var list string
	switch {
	case cfg.Query != "" && cfg.Subreddit != "":
		list = "/r/" + cfg.Subreddit + "/search"
		q.Set("q", cfg.Query)
		q.Set("restrict_sr", "1")
	case cfg.Query != "":
		list = "/search"
		q.Set("q", cfg.Query)
	case cfg.Subreddit != "":
		list = "/r/" + cfg.Subreddit + "/new"
	default:
		return nil, errors.New("reddit: neither a query nor a subreddit to follow")
	}
	if cfg.Query != "" {
		q.Set("sort", "new")
		q.Set("type", "link")
	}
	if client == nil {
		client = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	// Reddit wants "<platform>:<app ID>:<version> (by /u/<username>)" and
	// answers generic agents with 429; live.Get sets its own, so the
	// transport replaces it.
	version := strings.TrimPrefix(strings.Fields(live.UserAgent)[0], "Aftershock/")
	ua := "server:aftershock:" + version + " (+https://github.com/aftershock/aftershock)"
	if u := strings.TrimPrefix(strings.TrimSpace(cfg.Username), "/u/"); u != "" {
		ua = "server:aftershock:" + version + " (by /u/" + u + ")"
	}
	base := client.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := *client
	c.Transport = uaTransport{base: base, ua: ua}
	return &Poller{cfg: cfg, client: &c, log: log, now: time.Now, list: cfg.BaseURL + list + "?" + q.Encode()}, nil
}

type uaTransport struct {
	base http.RoundTripper
	ua   string
}

func (t uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", t.ua)
	return t.base.RoundTrip(r)
}

// Name names the source: "reddit:r/<sub> <query>" or "reddit:search <query>".
func (p *Poller) Name() string {
	where := "search"
	if p.cfg.Subreddit != "" {
		where = "r/" + p.cfg.Subreddit
	}
	return strings.TrimSpace("reddit:" + where + " " + p.cfg.Query)
}

// cursor is the newest post delivered: its fullname and created_utc. Its
// text form is "<fullname>@<created_utc>", e.g. "t3_1abcde@1777629600".
type cursor struct {
	name    string
	created float64
}

var fullnameRE = regexp.MustCompile(`^t[0-9]_[0-9a-z]+$`)

func (c cursor) String() string {
	return c.name + "@" + strconv.FormatFloat(c.created, 'f', -1, 64)
}

func parseCursor(s string) (cursor, error) {
	i := strings.LastIndexByte(s, '@')
	if i < 0 {
		return cursor{}, fmt.Errorf("reddit: cursor %q is not <fullname>@<created_utc>", live.Excerpt([]byte(s)))
	}
	c := cursor{name: s[:i]}
	var err error
	c.created, err = strconv.ParseFloat(s[i+1:], 64)
	if !fullnameRE.MatchString(c.name) || err != nil || !(c.created > 0 && c.created <= maxEpoch) {
		return cursor{}, fmt.Errorf("reddit: cursor %q is not <fullname>@<created_utc>", live.Excerpt([]byte(s)))
	}
	return c, nil
}

// child is one Thing of a listing page, with what places it.
type child struct {
	raw     []byte
	name    string  // "" when it has none
	created float64 // 0 when it has none
}

type page struct {
	children []child
	after    string
	before   string
	header   http.Header
}

// Fetch returns the posts newer than the cursor. With a cursor it asks for
// the page just above it (before=<fullname>): More is set while Reddit says
// there is more above. An empty answer is checked against the newest post:
// if that is newer than the cursor, the anchor post was deleted or fell out
// of the listing (Reddit then answers before= with nothing, forever), and the
// Poller walks down from the newest post to the cursor's created_utc. An
// empty cursor reads what the listing holds (up to 10 pages down).
func (p *Poller) Fetch(ctx context.Context, cur string) (live.Batch, error) {
	if p.cfg.ClientID == "" || p.cfg.ClientSecret == "" {
		return live.Batch{}, fmt.Errorf("reddit: %w: no client id or secret (AFTERSHOCK_REDDIT_CLIENT_ID, AFTERSHOCK_REDDIT_CLIENT_SECRET)", live.ErrAuth)
	}
	if cur == "" {
		return p.walk(ctx, cursor{})
	}
	c, err := parseCursor(cur)
	if err != nil {
		return live.Batch{}, err
	}
	pg, err := p.page(ctx, "before", c.name, p.cfg.Limit)
	if err != nil {
		return live.Batch{}, err
	}
	if len(pg.children) > 0 {
		b := p.batch(pg.children)
		b.More = pg.before != "" && !exhausted(pg.header)
		return b, nil
	}
	top, err := p.page(ctx, "", "", 1)
	if err != nil {
		return live.Batch{}, err
	}
	if len(top.children) == 0 || top.children[0].name == c.name || top.children[0].created <= c.created {
		return live.Batch{}, nil // caught up
	}
	p.log.Info("reddit: the cursor's post is gone from the listing; reading down to its time",
		"source", p.Name(), "cursor", cur)
	return p.walk(ctx, c)
}

// walk reads the listing down from its newest post, with after=, until it
// reaches posts older than since (all of it when since is zero), and returns
// the posts at since's second or newer, but since itself.
func (p *Poller) walk(ctx context.Context, since cursor) (live.Batch, error) {
	var all []child
	after := ""
	for range maxWalk {
		pg, err := p.page(ctx, "after", after, p.cfg.Limit)
		if err != nil {
			return live.Batch{}, err
		}
		done := pg.after == "" || len(pg.children) == 0
		for _, ch := range pg.children {
			if since.name != "" && ch.created > 0 && ch.created < math.Floor(since.created) {
				done = true
				continue
			}
			if ch.name != since.name || ch.name == "" {
				all = append(all, ch)
			}
		}
		if done {
			break
		}
		after = pg.after
	}
	return p.batch(all), nil
}

// batch decodes children, newest first as the listing has them, and sets
// the cursor to the first that can be placed ("" when none can: no change).
func (p *Poller) batch(children []child) live.Batch {
	var b live.Batch
	for _, ch := range children {
		if b.Cursor == "" && ch.name != "" {
			b.Cursor = cursor{name: ch.name, created: ch.created}.String()
		}
		for it := range DecodeListing(bytes.NewReader(ch.raw)) {
			switch {
			case it.Err != nil:
				b.Skipped++
				p.log.Warn("reddit: skipping thing", "source", p.Name(), "err", it.Err, "thing", live.Excerpt(ch.raw))
			case it.Expect != nil:
				// A count the input announces is for file imports; live
				// sources ignore it.
			case it.Delete != nil:
				b.Deletes = append(b.Deletes, *it.Delete)
			case it.Post != nil && (p.cfg.Match == nil || p.cfg.Match(it.Post)):
				b.Posts = append(b.Posts, *it.Post)
			}
		}
	}
	return b
}

// exhausted reports whether the rate-limit headers say no request is left
// in this window: the loop should wait its interval rather than go on.
func exhausted(h http.Header) bool {
	v := strings.TrimSpace(h.Get("X-Ratelimit-Remaining"))
	f, err := strconv.ParseFloat(v, 64)
	return v != "" && err == nil && f < 1
}

// page gets one listing page, with "before" or "after" set to anchor
// (neither when dir is "").
func (p *Poller) page(ctx context.Context, dir, anchor string, limit int) (page, error) {
	u := p.list + "&limit=" + strconv.Itoa(limit)
	if dir != "" && anchor != "" {
		u += "&" + dir + "=" + url.QueryEscape(anchor)
	}
	body, h, err := p.get(ctx, u)
	if err != nil {
		return page{}, err
	}
	var l struct {
		Kind  string `json:"kind"`
		Error any    `json:"error"`
		Data  struct {
			After    *string           `json:"after"`
			Before   *string           `json:"before"`
			Children []json.RawMessage `json:"children"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &l); err != nil || l.Kind != "Listing" {
		return page{}, fmt.Errorf("reddit: %s: not a Listing: %s", u, live.Excerpt(body))
	}
	pg := page{header: h}
	if l.Data.After != nil {
		pg.after = *l.Data.After
	}
	if l.Data.Before != nil {
		pg.before = *l.Data.Before
	}
	for _, raw := range l.Data.Children {
		var k struct {
			Data struct {
				Name    string    `json:"name"`
				Created flexFloat `json:"created_utc"`
			} `json:"data"`
		}
		ch := child{raw: raw}
		if json.Unmarshal(raw, &k) == nil && fullnameRE.MatchString(k.Data.Name) && k.Data.Created.ok &&
			k.Data.Created.v > 0 && k.Data.Created.v <= maxEpoch {
			ch.name, ch.created = k.Data.Name, k.Data.Created.v
		}
		pg.children = append(pg.children, ch)
	}
	return pg, nil
}

// get fetches an API URL with the bearer token, getting a new token once if
// Reddit refuses the one it has (revoked or expired early).
func (p *Poller) get(ctx context.Context, u string) ([]byte, http.Header, error) {
	for try := 0; ; try++ {
		tok, err := p.accessToken(ctx)
		if err != nil {
			return nil, nil, err
		}
		body, h, err := live.Get(ctx, p.client, u, http.Header{"Authorization": {"bearer " + tok}})
		var he *live.HTTPError
		if try == 0 && errors.As(err, &he) && he.Status == http.StatusUnauthorized {
			p.mu.Lock()
			if p.token == tok {
				p.token = ""
			}
			p.mu.Unlock()
			continue
		}
		if err != nil {
			return nil, h, fmt.Errorf("reddit: %w", err)
		}
		return body, h, nil
	}
}

// accessToken returns a token, asking for a new one (client credentials
// grant) when it has none or it expires within a minute.
func (p *Poller) accessToken(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.token != "" && now.Before(p.expires) {
		return p.token, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.AuthURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("reddit: token request: %w", err)
	}
	req.SetBasicAuth(p.cfg.ClientID, p.cfg.ClientSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := p.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("reddit: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("reddit: token request: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		he := &live.HTTPError{Status: resp.StatusCode, RetryAfter: live.RetryAfter(resp.Header, now), Body: live.Excerpt(body)}
		if resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return "", fmt.Errorf("reddit: token request refused: %w: %w", live.ErrAuth, he)
		}
		return "", fmt.Errorf("reddit: token request: %w", he)
	}
	var t struct {
		AccessToken string    `json:"access_token"`
		ExpiresIn   flexFloat `json:"expires_in"`
		Error       string    `json:"error"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return "", fmt.Errorf("reddit: token response: %v: %s", err, live.Excerpt(body))
	}
	if t.Error != "" || t.AccessToken == "" {
		// Reddit answers a bad grant with 200 {"error": "…"}.
		return "", fmt.Errorf("reddit: token request refused (%s): %w", live.Excerpt(body), live.ErrAuth)
	}
	life := time.Hour
	if t.ExpiresIn.ok && t.ExpiresIn.v > 0 && t.ExpiresIn.v < 1e7 {
		life = time.Duration(t.ExpiresIn.v * float64(time.Second))
	}
	p.token, p.expires = t.AccessToken, now.Add(life-min(time.Minute, life/2))
	return p.token, nil
}
