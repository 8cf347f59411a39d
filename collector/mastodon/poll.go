package mastodon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

// MaxLimit is the most statuses Mastodon returns per timeline or search
// request; it is also the default page size of a [Poller].
const MaxLimit = 40

// Config says what a [Poller] follows on one instance. Exactly one of
// Hashtag, Public and Query is set.
type Config struct {
	// Instance is the base URL of the instance, e.g. https://mastodon.social.
	Instance string
	// Hashtag follows /api/v1/timelines/tag/<Hashtag> (a leading '#' is
	// dropped).
	Hashtag string
	// Public follows /api/v1/timelines/public.
	Public bool
	// Local and Remote restrict a hashtag or public timeline to the
	// instance's own accounts, or to the other instances' accounts.
	Local, Remote bool
	// Query follows /api/v2/search?type=statuses&q=<Query>; it needs Token.
	Query string
	// Token is a bearer token (AFTERSHOCK_MASTODON_TOKEN): optional for
	// timelines unless the instance turned its public preview off, required
	// for search.
	Token string
	// TokenInstance is the instance that issued Token: a host
	// ("mastodon.social", https assumed) or a base URL. A token is sent only
	// to it: NewPoller and NewStreamer refuse a Token without TokenInstance
	// or with another instance's (ErrForeignToken), so a source that names
	// another instance never receives the credential.
	TokenInstance string
	// Since, with an empty cursor, starts at this time instead of at the
	// newest page (Mastodon ids are snowflakes: milliseconds << 16).
	Since time.Time
	// Match keeps only the posts it accepts (nil keeps all). The cursor
	// advances past rejected posts too.
	Match func(*post.Post) bool
	// Limit is the number of statuses asked per request, 1..40 (0 = 40).
	Limit int
}

// ErrForeignToken is wrapped by the errors of NewPoller and NewStreamer for
// a Token that is not bound to the instance (or stream host) it would be
// sent to.
var ErrForeignToken = errors.New("the Mastodon token belongs to another instance")

// SameInstance reports whether a and b name the same instance: each a host
// (https assumed) or an http(s) URL, compared by scheme, host (case and a
// trailing dot ignored) and port (the scheme's default when absent); paths
// are ignored. Anything that does not parse is no instance.
func SameInstance(a, b string) bool {
	oa, ok := origin(a)
	if !ok {
		return false
	}
	ob, ok := origin(b)
	return ok && oa == ob
}

// origin returns "scheme://host:port" for a host or an http(s) URL.
func origin(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return u.Scheme + "://" + net.JoinHostPort(host, port), true
}

// checkToken binds cfg's Token to its instance: it fails with
// ErrForeignToken when a Token is set and TokenInstance is empty or is
// another instance than Instance.
func checkToken(cfg Config) error {
	switch {
	case cfg.Token == "":
		return nil
	case strings.TrimSpace(cfg.TokenInstance) == "":
		return fmt.Errorf("mastodon: a token without the instance that issued it is sent nowhere: %w", ErrForeignToken)
	case !SameInstance(cfg.TokenInstance, cfg.Instance):
		return fmt.Errorf("mastodon: the token is for %s, not %s: not sent: %w", cfg.TokenInstance, cfg.Instance, ErrForeignToken)
	}
	return nil
}

// Poller follows a Mastodon hashtag timeline, public timeline or status
// search through the REST API. It implements [live.Poller].
type Poller struct {
	cfg    Config
	base   string // Instance without a trailing slash
	path   string
	name   string
	search bool
	client *http.Client
	log    *slog.Logger
}

var _ live.Poller = (*Poller)(nil)

// NewPoller checks cfg and returns a poller. A nil client is
// http.DefaultClient, a nil log slog.Default().
func NewPoller(cfg Config, client *http.Client, log *slog.Logger) (*Poller, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.Instance))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mastodon: instance %q is not an http(s) URL", cfg.Instance)
	}
	if err := checkToken(cfg); err != nil {
		return nil, err
	}
	cfg.Hashtag = strings.TrimPrefix(strings.TrimSpace(cfg.Hashtag), "#")
	cfg.Query = strings.TrimSpace(cfg.Query)
	n := 0
	for _, set := range []bool{cfg.Hashtag != "", cfg.Public, cfg.Query != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, errors.New("mastodon: set exactly one of Hashtag, Public and Query")
	}
	if cfg.Query != "" && (cfg.Local || cfg.Remote) {
		return nil, errors.New("mastodon: Local and Remote apply to timelines, not to search")
	}
	if cfg.Local && cfg.Remote {
		return nil, errors.New("mastodon: Local and Remote exclude each other")
	}
	switch {
	case cfg.Limit == 0:
		cfg.Limit = MaxLimit
	case cfg.Limit < 0 || cfg.Limit > MaxLimit:
		return nil, fmt.Errorf("mastodon: limit %d is not in 1..%d", cfg.Limit, MaxLimit)
	}
	if client == nil {
		client = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	p := &Poller{cfg: cfg, base: strings.TrimRight(u.String(), "/"), client: client}
	scope := ""
	if cfg.Local {
		scope = " local"
	} else if cfg.Remote {
		scope = " remote"
	}
	switch {
	case cfg.Hashtag != "":
		p.path = "/api/v1/timelines/tag/" + url.PathEscape(cfg.Hashtag)
		p.name = "mastodon:" + u.Host + " #" + cfg.Hashtag + scope
	case cfg.Public:
		p.path = "/api/v1/timelines/public"
		p.name = "mastodon:" + u.Host + " public" + scope
	default:
		p.path = "/api/v2/search"
		p.name = "mastodon:" + u.Host + " search " + strconv.Quote(cfg.Query)
		p.search = true
	}
	p.log = log.With("source", p.name)
	return p, nil
}

// Name names the source: "mastodon:mastodon.social #aws".
func (p *Poller) Name() string { return p.name }

// Fetch fetches the statuses after cursor (see the package doc for its
// format). HTTP failures come back as live.Get returns them.
func (p *Poller) Fetch(ctx context.Context, cursor string) (live.Batch, error) {
	if p.search && p.cfg.Token == "" {
		return live.Batch{}, fmt.Errorf("%s: status search needs a token: %w", p.name, live.ErrAuth)
	}
	c, err := parseCursor(cursor)
	if err != nil {
		return live.Batch{}, fmt.Errorf("%s: %w", p.name, err)
	}
	if c.floor == "" && !p.cfg.Since.IsZero() && p.cfg.Since.Unix() > 0 {
		c.floor = snowflakeAt(p.cfg.Since)
	}

	q := url.Values{}
	q.Set("limit", strconv.Itoa(p.cfg.Limit))
	if p.cfg.Local {
		q.Set("local", "true")
	}
	if p.cfg.Remote {
		q.Set("remote", "true")
	}
	if p.search {
		q.Set("q", p.cfg.Query)
		q.Set("type", "statuses")
	}
	if c.floor != "" {
		q.Set("min_id", c.floor)
	}
	if c.low != "" {
		q.Set("max_id", c.low)
	}
	var header http.Header
	if p.cfg.Token != "" {
		header = http.Header{"Authorization": {"Bearer " + p.cfg.Token}}
	}
	body, hdr, err := live.Get(ctx, p.client, p.base+p.path+"?"+q.Encode(), header)
	if err != nil {
		return live.Batch{}, err
	}
	if body == nil { // 304: nothing new
		return live.Batch{}, nil
	}
	els, err := p.statuses(body)
	if err != nil {
		return live.Batch{}, fmt.Errorf("%s: %w", p.name, err)
	}

	var b live.Batch
	var newest, oldest string
	now := time.Now().UTC()
	for _, e := range els {
		var s struct {
			ID flexString `json:"id"`
		}
		_ = unmarshal(e.data, &s)
		if id := string(s.ID); isPlainID(id) {
			newest = maxID(newest, id)
			if oldest == "" || CompareID(id, oldest) < 0 {
				oldest = id
			}
		}
		decodeStatusRecord(e.data, e.line, func(it collector.Item) bool {
			switch {
			case it.Err != nil:
				b.Skipped++
				p.log.Warn("skipping a status that does not parse", "id", string(s.ID), "err", it.Err, "excerpt", live.Excerpt(e.data))
			case it.Post != nil:
				it.Post.CollectedAt = now
				if p.cfg.Match == nil || p.cfg.Match(it.Post) {
					b.Posts = append(b.Posts, *it.Post)
				}
			}
			return true
		})
	}
	full := len(els) >= p.cfg.Limit

	if !p.search {
		// A timeline's prev link carries the id of the newest status
		// served, readable even when that status itself is not.
		if prev := linkParam(ParseLink(hdr.Values("Link"))["prev"], "min_id"); len(els) > 0 && isPlainID(prev) {
			newest = maxID(newest, prev)
		}
		if newest != "" && CompareID(newest, c.floor) > 0 {
			b.Cursor = newest
			// min_id returns the statuses right above it, so a full
			// page means more may wait; the newest page (empty cursor)
			// is where a new source starts, not a backlog.
			b.More = full && c.floor != ""
		}
	} else {
		b.Cursor, b.More = c.next(newest, oldest, full)
		if b.Cursor == cursor {
			b.Cursor = ""
		}
	}
	if hdr.Get("X-RateLimit-Remaining") == "0" {
		b.More = false // the next request would be refused; let the loop wait
	}
	p.log.Debug("fetched", "statuses", len(els), "posts", len(b.Posts), "skipped", b.Skipped,
		"cursor", b.Cursor, "more", b.More, "ratelimit_remaining", hdr.Get("X-RateLimit-Remaining"))
	return b, nil
}

// statuses returns the statuses of a timeline page (an array) or of a search
// response ({"statuses": […]}).
func (p *Poller) statuses(body []byte) ([]part, error) {
	if els, ok := elements(body, 1); ok {
		if p.search {
			return nil, errors.New("search response is an array, not an object")
		}
		return els, nil
	}
	ms, ok := members(body, 1)
	if !ok {
		return nil, fmt.Errorf("response is not JSON: %s", live.Excerpt(body))
	}
	if e := lookup(ms, "error"); e != nil {
		return nil, fmt.Errorf("API error in a 200 response: %s", live.Excerpt(e.data))
	}
	if !p.search {
		return nil, fmt.Errorf("timeline response is not an array: %s", live.Excerpt(body))
	}
	st := lookup(ms, "statuses")
	if st == nil {
		return nil, fmt.Errorf("search response has no statuses: %s", live.Excerpt(body))
	}
	if isNull(st.data) {
		return nil, nil
	}
	els, ok := elements(st.data, st.line)
	if !ok {
		return nil, fmt.Errorf("search statuses are not an array: %s", live.Excerpt(st.data))
	}
	return els, nil
}

// cursor is a parsed cursor: floor is the newest status id such that every
// status up to it was delivered. A search that found a full page above
// floor walks down through the gap: [low, top] was delivered, (floor, low)
// not yet.
type cursor struct {
	floor, low, top string
}

// parseCursor reads "" (start), "<id>", or the search gap state
// "<floor>,<low>,<top>". Ids are letters and digits.
func parseCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{}, nil
	}
	parts := strings.Split(s, ",")
	for _, id := range parts {
		if !isPlainID(id) {
			return cursor{}, fmt.Errorf("bad cursor %q", s)
		}
	}
	switch len(parts) {
	case 1:
		return cursor{floor: s}, nil
	case 3:
		if CompareID(parts[1], parts[2]) > 0 {
			return cursor{}, fmt.Errorf("bad cursor %q: low above top", s)
		}
		return cursor{floor: parts[0], low: parts[1], top: parts[2]}, nil
	}
	return cursor{}, fmt.Errorf("bad cursor %q", s)
}

func (c cursor) String() string {
	if c.low == "" {
		return c.floor
	}
	return c.floor + "," + c.low + "," + c.top
}

// next is the search cursor after a page whose ids ranged from oldest to
// newest ("" when none could be read). Search pages are newest first, the
// newest statuses of (min_id, max_id): a full page may leave a gap below
// it, walked down with max_id before the floor moves up.
func (c cursor) next(newest, oldest string, full bool) (string, bool) {
	top := maxID(c.top, newest)
	if c.floor == "" { // the newest page: the start, not a backlog
		return top, false
	}
	if full && oldest != "" && CompareID(oldest, c.floor) > 0 && (c.low == "" || CompareID(oldest, c.low) < 0) {
		return cursor{floor: c.floor, low: oldest, top: top}.String(), true
	}
	// The gap (floor, low) is covered, or the server made no progress.
	return maxID(c.floor, top), false
}

// CompareID orders Mastodon status ids: by length, then lexically (ids are
// strings, numeric on Mastodon but not on every server). It returns -1, 0
// or +1.
func CompareID(a, b string) int {
	switch {
	case len(a) != len(b):
		if len(a) < len(b) {
			return -1
		}
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func maxID(a, b string) string {
	if CompareID(a, b) >= 0 {
		return a
	}
	return b
}

// snowflakeAt is the smallest Mastodon status id of time t.
func snowflakeAt(t time.Time) string {
	return strconv.FormatUint(uint64(t.UnixMilli())<<16, 10)
}

// ParseLink reads RFC 8288 Link header values into a map from each rel to
// its target URL (the first link of a rel wins). Malformed links are
// skipped.
func ParseLink(values []string) map[string]string {
	links := map[string]string{}
	for _, v := range values {
		for v != "" {
			v = strings.TrimLeft(v, " \t,")
			if !strings.HasPrefix(v, "<") {
				// Not a link: skip to the next comma outside quotes.
				_, v = cutOutsideQuotes(v, ',')
				continue
			}
			end := strings.IndexByte(v, '>')
			if end < 0 {
				break
			}
			target := v[1:end]
			var params string
			params, v = cutOutsideQuotes(v[end+1:], ',')
			for _, param := range splitOutsideQuotes(params, ';') {
				k, val, ok := strings.Cut(param, "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				val = strings.Trim(strings.TrimSpace(val), `"`)
				for _, rel := range strings.Fields(val) {
					rel = strings.ToLower(rel)
					if _, seen := links[rel]; !seen {
						links[rel] = target
					}
				}
				break
			}
		}
	}
	return links
}

// cutOutsideQuotes splits s at the first sep that is not inside a quoted
// string.
func cutOutsideQuotes(s string, sep byte) (before, after string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func splitOutsideQuotes(s string, sep byte) []string {
	var out []string
	for s != "" {
		var part string
		part, s = cutOutsideQuotes(s, sep)
		out = append(out, part)
	}
	return out
}

// linkParam returns the query parameter name of link, or "".
func linkParam(link, name string) string {
	if link == "" {
		return ""
	}
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	return u.Query().Get(name)
}
