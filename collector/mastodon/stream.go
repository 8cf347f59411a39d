package mastodon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

// DefaultIdleTimeout is how long a [Streamer] waits on a silent connection
// before it gives up on it. Mastodon writes a ":thump" heartbeat every 15
// seconds.
const DefaultIdleTimeout = 90 * time.Second

// maxRemembered bounds the map from instance-local status ids to post ids
// that lets a delete event name its post.
const maxRemembered = 100_000

// StreamConfig says what a [Streamer] follows: the timeline of Config
// (Hashtag or Public, optionally Local; not Query, not Hashtag with Remote,
// which the streaming API does not offer), with Token required.
type StreamConfig struct {
	Config
	// StreamURL is the base URL of the streaming API, from
	// configuration.urls.streaming of /api/v2/instance ("" = Instance).
	// Set it when the instance streams from another host: the HTTP client
	// drops the Authorization header on a redirect to another host.
	StreamURL string
	// IdleTimeout ends a connection that sent nothing, not even a
	// heartbeat, for this long (0 = DefaultIdleTimeout).
	IdleTimeout time.Duration
}

// Streamer follows a Mastodon hashtag or public timeline through the
// server-sent events of the streaming API, back-filling through the REST
// API (a [Poller]) on every connection. It implements [live.Streamer]. See
// the package doc.
type Streamer struct {
	poller *Poller
	cfg    StreamConfig
	url    string // the stream's full URL
	name   string
	client *http.Client // the caller's client without its overall timeout
	log    *slog.Logger

	mu   sync.Mutex
	seen map[string]string // instance-local status id → post id
	ring []string          // the keys of seen in insertion order, for eviction
	next int               // the ring slot to evict next once it is full
}

var _ live.Streamer = (*Streamer)(nil)

// NewStreamer checks cfg and returns a streamer. A missing token is not an
// error here: Stream reports it as [live.ErrAuth] without a request, so the
// loop records it. A nil client is http.DefaultClient (its Timeout, if any,
// applies to the back-fill requests, not to the stream); a nil log is
// slog.Default().
func NewStreamer(cfg StreamConfig, client *http.Client, log *slog.Logger) (*Streamer, error) {
	if cfg.Query != "" {
		return nil, errors.New("mastodon: status search cannot be streamed")
	}
	if cfg.Hashtag != "" && cfg.Remote {
		return nil, errors.New("mastodon: the streaming API has no remote-only hashtag stream")
	}
	if client == nil {
		client = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	p, err := NewPoller(cfg.Config, client, log)
	if err != nil {
		return nil, err
	}
	base := p.base
	if strings.TrimSpace(cfg.StreamURL) != "" {
		u, err := url.Parse(strings.TrimSpace(cfg.StreamURL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("mastodon: stream URL %q is not an http(s) URL", cfg.StreamURL)
		}
		base = strings.TrimRight(u.String(), "/")
		if cfg.Token != "" && !streamHostOf(u, p.base) {
			return nil, fmt.Errorf("mastodon: stream URL %s is neither the token's instance %s nor a host under it: not sent: %w",
				cfg.StreamURL, cfg.TokenInstance, ErrForeignToken)
		}
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	path, q := "/api/v1/streaming/public", url.Values{}
	if p.cfg.Hashtag != "" {
		path = "/api/v1/streaming/hashtag"
		q.Set("tag", p.cfg.Hashtag)
	}
	switch {
	case cfg.Local:
		path += "/local"
	case cfg.Remote:
		path += "/remote"
	}
	stream := base + path
	if len(q) > 0 {
		stream += "?" + q.Encode()
	}
	sc := *client
	sc.Timeout = 0 // a stream lasts; the idle timeout watches it instead
	s := &Streamer{
		poller: p,
		cfg:    cfg,
		url:    stream,
		name:   p.name + " stream",
		client: &sc,
		seen:   map[string]string{},
	}
	s.log = log.With("source", s.name)
	return s, nil
}

// streamHostOf reports whether the stream URL u may receive the token of
// the instance at base: the same scheme and host (the token's instance,
// which NewPoller checked), or a host under it ("streaming.m.example" for
// "m.example"), as Go's HTTP client keeps the Authorization header on a
// redirect to such a host.
func streamHostOf(u *url.URL, base string) bool {
	b, err := url.Parse(base)
	if err != nil || u.Scheme != b.Scheme {
		return false
	}
	if SameInstance(u.String(), base) {
		return true
	}
	h, bh := strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), strings.TrimSuffix(strings.ToLower(b.Hostname()), ".")
	return strings.HasSuffix(h, "."+bh) && u.Port() == b.Port()
}

// Name names the source: "mastodon:mastodon.social #aws stream".
func (s *Streamer) Name() string { return s.name }

// errSilent ends a connection that stayed silent too long.
var errSilent = errors.New("connection silent")

// Stream connects to the stream, back-fills through the REST API from
// cursor until a page brings nothing new, then emits each event as a batch
// until the connection drops, stays silent for the idle timeout, emit fails
// or ctx ends. It always returns an error saying why it ended.
func (s *Streamer) Stream(ctx context.Context, cursor string, emit func(live.Batch) error) error {
	if s.cfg.Token == "" {
		return fmt.Errorf("%s: the streaming API needs a token: %w", s.name, live.ErrAuth)
	}
	if _, err := parseCursor(cursor); err != nil {
		return fmt.Errorf("%s: %w", s.name, err)
	}
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// Connect first: events from now on wait in the connection while the
	// back-fill reads what came before, so there is no gap between them.
	body, err := s.connect(sctx)
	if err != nil {
		return err
	}
	defer body.Close()
	cursor, err = s.backfill(ctx, cursor, emit)
	if err != nil {
		return err
	}

	timer := time.AfterFunc(s.cfg.IdleTimeout, func() { cancel(errSilent) })
	defer timer.Stop()
	r := newSSEReader(body, func() { timer.Reset(s.cfg.IdleTimeout) })
	for {
		ev, err := r.next()
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return fmt.Errorf("%s: %w", s.name, context.Cause(ctx))
			case errors.Is(context.Cause(sctx), errSilent):
				return fmt.Errorf("%s: nothing received for %s: %w", s.name, s.cfg.IdleTimeout, errSilent)
			case errors.Is(err, io.EOF):
				return fmt.Errorf("%s: the server closed the stream", s.name)
			}
			return fmt.Errorf("%s: reading the stream: %w", s.name, err)
		}
		b, ok := s.event(ev, &cursor, time.Now().UTC())
		if !ok {
			continue
		}
		timer.Stop() // storing is not silence
		if err := emit(b); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		timer.Reset(s.cfg.IdleTimeout)
	}
}

// connect opens the stream. HTTP failures come back as [live.Get] returns
// them: an *live.HTTPError, wrapped with live.ErrAuth for 401 and 403.
func (s *Streamer) connect(ctx context.Context) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.Token)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Cache-Control", "no-cache")
	req.Header.Set("User-Agent", live.UserAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: connecting: %w", s.name, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		he := &live.HTTPError{Status: resp.StatusCode, RetryAfter: live.RetryAfter(resp.Header, time.Now()), Body: live.Excerpt(b)}
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return nil, fmt.Errorf("%w: %w", live.ErrAuth, he)
		}
		return nil, he
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("%s: the stream answered %q, not text/event-stream: %s", s.name, mt, live.Excerpt(b))
	}
	return resp.Body, nil
}

// backfill fetches with the poller from cursor, emitting each batch, until
// a fetch moves the cursor no further (a batch without More is confirmed by
// one more fetch: a rate-limited page also ends More). It returns the
// cursor reached.
func (s *Streamer) backfill(ctx context.Context, cursor string, emit func(live.Batch) error) (string, error) {
	for {
		b, err := s.poller.Fetch(ctx, cursor)
		if err != nil {
			return cursor, err
		}
		s.remember(b.Posts)
		if len(b.Posts) > 0 || b.Cursor != "" || b.Skipped > 0 {
			if err := emit(b); err != nil {
				return cursor, fmt.Errorf("%s: %w", s.name, err)
			}
		}
		if b.Cursor == "" || b.Cursor == cursor {
			return cursor, nil
		}
		cursor = b.Cursor
	}
}

// event turns one stream event into a batch; false when there is nothing
// to emit. cursor is the newest status id delivered; it never goes down.
func (s *Streamer) event(ev sseEvent, cursor *string, now time.Time) (live.Batch, bool) {
	switch ev.Type {
	case "update", "status.update":
		edit := ev.Type == "status.update"
		data := []byte(ev.Data)
		var st struct {
			ID flexString `json:"id"`
		}
		_ = unmarshal(data, &st)
		id := string(st.ID)
		var b live.Batch
		decodeStatusRecord(data, 1, func(it collector.Item) bool {
			switch {
			case it.Err != nil:
				b.Skipped++
				s.log.Warn("skipping a streamed status that does not parse", "event", ev.Type, "id", id, "err", it.Err, "excerpt", live.Excerpt(data))
			case it.Post != nil:
				it.Post.CollectedAt = now
				// An edit of a post stored before is kept even when the
				// new text no longer matches: the store keeps both.
				if s.cfg.Match == nil || s.cfg.Match(it.Post) || (edit && s.known(it.Post)) {
					b.Posts = append(b.Posts, *it.Post)
				}
			}
			return true
		})
		s.remember(b.Posts)
		// An edit says nothing about the statuses before it: only new
		// statuses move the cursor.
		if !edit && isPlainID(id) && CompareID(id, *cursor) > 0 {
			*cursor = id
			b.Cursor = id
		}
		return b, len(b.Posts) > 0 || b.Cursor != "" || b.Skipped > 0
	case "delete":
		id := strings.TrimSpace(ev.Data)
		if !isPlainID(id) {
			s.log.Warn("skipping a delete event without a status id", "excerpt", live.Excerpt([]byte(ev.Data)))
			return live.Batch{Skipped: 1}, true
		}
		ref, ok := s.forget(id)
		if !ok {
			// Post ids are built from status URIs, which a delete event
			// does not carry: a status not seen by this streamer cannot
			// be named (and a deletion notice for a post never stored
			// would only sit in the store's deletions table).
			s.log.Debug("delete of a status not seen", "id", id)
			return live.Batch{}, false
		}
		ref.At = now
		return live.Batch{Deletes: []post.Ref{ref}}, true
	}
	s.log.Debug("ignoring a stream event", "event", ev.Type, "excerpt", live.Excerpt([]byte(ev.Data)))
	return live.Batch{}, false
}

// localID is the instance-local id of a decoded status (from its own JSON).
func localID(p *post.Post) string {
	var st struct {
		ID flexString `json:"id"`
	}
	_ = unmarshal(p.Raw, &st)
	if id := string(st.ID); isPlainID(id) {
		return id
	}
	return ""
}

// remember maps the local ids of posts to their post ids, dropping the
// oldest mappings beyond maxRemembered.
func (s *Streamer) remember(posts []post.Post) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range posts {
		id := localID(&posts[i])
		if id == "" {
			continue
		}
		if _, ok := s.seen[id]; !ok {
			if len(s.ring) < maxRemembered {
				s.ring = append(s.ring, id)
			} else {
				delete(s.seen, s.ring[s.next])
				s.ring[s.next] = id
				s.next = (s.next + 1) % maxRemembered
			}
		}
		s.seen[id] = posts[i].ID
	}
}

// known reports whether p was delivered before by this streamer.
func (s *Streamer) known(p *post.Post) bool {
	id := localID(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.seen[id]
	return ok && id != ""
}

// forget returns the reference of the post with local id and drops the
// mapping; false when the id is unknown.
func (s *Streamer) forget(id string) (post.Ref, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pid, ok := s.seen[id]
	if !ok {
		return post.Ref{}, false
	}
	delete(s.seen, id)
	src, native, ok := post.SplitID(pid)
	if !ok {
		return post.Ref{}, false
	}
	return post.Ref{ID: pid, Source: src, NativeID: native}, true
}
