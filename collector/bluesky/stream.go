package bluesky

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

// DefaultJetstreamURL is the Jetstream v1 endpoint followed when
// Config.URL is empty.
const DefaultJetstreamURL = "wss://jetstream2.us-east.bsky.network/subscribe"

// Defaults of [Config].
const (
	DefaultSafetyMargin  = 5 * time.Second
	DefaultReadTimeout   = 30 * time.Second
	DefaultBatchSize     = 200
	DefaultFlushInterval = 500 * time.Millisecond
)

// maxFrame is the largest frame read; Jetstream's own default
// maxMessageSizeBytes is 1 MB and records are far smaller.
const maxFrame = 2 << 20

// maxHandles bounds the did → handle map a connection learns from identity
// events (they ignore wantedCollections, so a long connection sees many).
const maxHandles = 50_000

// Config configures a [Jetstream] streamer. No credentials are needed.
type Config struct {
	// URL is the subscribe endpoint, ws:// or wss://…/subscribe; "" =
	// DefaultJetstreamURL. Query parameters in it are kept (wantedDids,
	// maxMessageSizeBytes, …) except wantedCollections and cursor, which
	// the streamer sets.
	URL string
	// Match keeps the posts it returns true for (Jetstream cannot filter by
	// text); nil keeps all. Deletions are always kept. An update that no
	// longer matches is dropped, so a stored earlier version stays.
	Match func(*post.Post) bool
	// SafetyMargin is how far before the stored cursor a reconnection
	// starts, since Jetstream's time_us is not monotonic across its
	// replay→live cutover; 0 = DefaultSafetyMargin, negative = none.
	SafetyMargin time.Duration
	// ReadTimeout ends the stream with an error when no frame arrives for
	// that long, and bounds the handshake; 0 = DefaultReadTimeout.
	ReadTimeout time.Duration
	// BatchSize and FlushInterval: a batch is emitted every BatchSize
	// events or FlushInterval after its first event, whichever comes
	// first; 0 = the defaults.
	BatchSize     int
	FlushInterval time.Duration
	// Label tells apart two streamers on the same host in Name (e.g. the
	// name of what Match looks for).
	Label string
}

// Jetstream follows app.bsky.feed.post commits on a Jetstream v1 server; it
// implements live.Streamer.
type Jetstream struct {
	cfg    Config
	url    *url.URL
	client *http.Client
	log    *slog.Logger
	name   string
}

// NewJetstream returns a streamer for cfg. client may be nil
// (http.DefaultClient); its Timeout, if any, bounds only the handshake.
func NewJetstream(cfg Config, client *http.Client, log *slog.Logger) (*Jetstream, error) {
	if cfg.URL == "" {
		cfg.URL = DefaultJetstreamURL
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("bluesky: jetstream URL: %w", err)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return nil, fmt.Errorf("bluesky: jetstream URL %q: scheme must be ws or wss", cfg.URL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("bluesky: jetstream URL %q has no host", cfg.URL)
	}
	switch {
	case cfg.SafetyMargin == 0:
		cfg.SafetyMargin = DefaultSafetyMargin
	case cfg.SafetyMargin < 0:
		cfg.SafetyMargin = 0
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = DefaultFlushInterval
	}
	if client == nil {
		client = http.DefaultClient
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name := "bluesky:jetstream " + u.Host
	if cfg.Label != "" {
		name += " " + cfg.Label
	}
	return &Jetstream{cfg: cfg, url: u, client: client, log: log, name: name}, nil
}

// Name names the source: "bluesky:jetstream <host>[ <label>]".
func (j *Jetstream) Name() string { return j.name }

// parseCursor reads a stored cursor: "" (none: start live) or a time_us.
func parseCursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bluesky: jetstream cursor %q is not a time_us", s)
	}
	return v, nil
}

// subscribeURL is the URL to connect to for a stored cursor (0 = live).
func (j *Jetstream) subscribeURL(cursor int64) string {
	u := *j.url
	q := u.Query()
	q.Set("wantedCollections", PostCollection)
	q.Del("cursor")
	if cursor > 0 {
		q.Set("cursor", strconv.FormatInt(max(cursor-j.cfg.SafetyMargin.Microseconds(), 1), 10))
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// frame is what the reading goroutine passes on: a message or the error
// that ended the connection.
type frame struct {
	typ  websocket.MessageType
	data []byte
	err  error
}

// Stream connects from cursor (the time_us of the last event stored, minus
// the safety margin; "" = live) and emits batches until ctx ends, emit
// fails, the server closes or drops the connection, or no frame comes for
// ReadTimeout. It always returns an error saying which (ctx.Err() when ctx
// ended). Events read before the connection ended are emitted first.
func (j *Jetstream) Stream(ctx context.Context, cursor string, emit func(live.Batch) error) error {
	start, err := parseCursor(cursor)
	if err != nil {
		return err
	}
	u := j.subscribeURL(start)
	dctx, cancel := context.WithTimeout(ctx, j.cfg.ReadTimeout)
	conn, resp, err := websocket.Dial(dctx, u, &websocket.DialOptions{
		HTTPClient: j.client,
		HTTPHeader: http.Header{"User-Agent": {live.UserAgent}},
	})
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return j.dialError(resp, err)
	}
	conn.SetReadLimit(maxFrame)
	j.log.Debug("jetstream: connected", "source", j.name, "url", u)

	rctx, stop := context.WithCancel(ctx)
	frames := make(chan frame, 64)
	var wg sync.WaitGroup
	wg.Go(func() { j.read(rctx, conn, frames) })
	defer func() {
		stop()
		conn.CloseNow()
		wg.Wait()
	}()

	bt := newBatcher(j, start)
	timer := time.NewTimer(j.cfg.FlushInterval)
	timer.Stop()
	defer timer.Stop()
	flush := func() error {
		timer.Stop()
		if bt.events == 0 {
			return nil
		}
		if err := emit(bt.take()); err != nil {
			return fmt.Errorf("bluesky: jetstream %s: emit: %w", j.url.Host, err)
		}
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			if err := flush(); err != nil {
				return err
			}
		case f := <-frames:
			if f.err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if err := flush(); err != nil {
					return err
				}
				return f.err
			}
			if bt.events == 0 {
				timer.Reset(j.cfg.FlushInterval)
			}
			bt.add(f.typ, f.data)
			if bt.events >= j.cfg.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
}

// read passes the frames of conn to frames until the connection ends,
// then passes the error that ended it, with what it means.
func (j *Jetstream) read(ctx context.Context, conn *websocket.Conn, frames chan<- frame) {
	for {
		tctx, cancel := context.WithTimeout(ctx, j.cfg.ReadTimeout)
		typ, data, err := conn.Read(tctx)
		timedOut := errors.Is(tctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		f := frame{typ: typ, data: data}
		if err != nil {
			f = frame{err: j.readError(err, timedOut)}
		}
		select {
		case frames <- f:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// readError says why a connection ended.
func (j *Jetstream) readError(err error, timedOut bool) error {
	host := j.url.Host
	if timedOut {
		return fmt.Errorf("bluesky: jetstream %s: no frame for %s: %w", host, j.cfg.ReadTimeout, os.ErrDeadlineExceeded)
	}
	if s := websocket.CloseStatus(err); s != -1 {
		return fmt.Errorf("bluesky: jetstream %s: server closed the connection (%v): %w", host, s, err)
	}
	return fmt.Errorf("bluesky: jetstream %s: connection lost: %w", host, err)
}

// dialError turns a failed handshake into the error the loop expects: an
// *live.HTTPError (wrapping live.ErrAuth for 401 and 403) when the server
// answered with an HTTP status.
func (j *Jetstream) dialError(resp *http.Response, err error) error {
	if resp == nil || resp.StatusCode == http.StatusSwitchingProtocols {
		return fmt.Errorf("bluesky: jetstream %s: connect: %w", j.url.Host, err)
	}
	he := &live.HTTPError{Status: resp.StatusCode, RetryAfter: live.RetryAfter(resp.Header, time.Now())}
	if resp.Body != nil {
		var b [512]byte
		n, _ := resp.Body.Read(b[:])
		he.Body = live.Excerpt(b[:n])
	}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fmt.Errorf("bluesky: jetstream %s: %w: %w", j.url.Host, live.ErrAuth, he)
	}
	return fmt.Errorf("bluesky: jetstream %s: %w", j.url.Host, he)
}

// batcher turns frames into a batch.
type batcher struct {
	j       *Jetstream
	handles map[string]string // did → handle, from this connection's identity events
	start   int64             // the cursor asked for (0 = none)
	last    int64             // the largest time_us seen on this connection, at least start
	first   bool              // no event read yet
	events  int               // frames in the batch being built
	b       live.Batch
}

func newBatcher(j *Jetstream, start int64) *batcher {
	return &batcher{j: j, handles: map[string]string{}, start: start, last: start, first: true}
}

// add reads one frame into the batch.
func (bt *batcher) add(typ websocket.MessageType, data []byte) {
	bt.events++
	if typ != websocket.MessageText {
		bt.skip(data, errors.New("binary frame (compression was not asked for)"))
		return
	}
	var head struct {
		TimeUS int64 `json:"time_us"`
	}
	if unmarshal(data, &head) == nil && head.TimeUS > 0 {
		if bt.first && bt.start > 0 && head.TimeUS-bt.start > int64(time.Hour/time.Microsecond) {
			bt.j.log.Warn("jetstream: first event is long after the cursor: events in between may be lost (Jetstream keeps about 36 h)",
				"source", bt.j.name, "cursor", bt.start, "first_time_us", head.TimeUS)
		}
		bt.first = false
		bt.last = max(bt.last, head.TimeUS)
	}
	if len(bt.handles) > maxHandles {
		clear(bt.handles)
	}
	it, ok := decodeEvent(data, bt.handles)
	switch {
	case !ok: // identity, account, other collections
	case it.Err != nil:
		bt.skip(data, it.Err)
	case it.Delete != nil:
		bt.b.Deletes = append(bt.b.Deletes, *it.Delete)
	case it.Post != nil:
		if m := bt.j.cfg.Match; m == nil || m(it.Post) {
			bt.b.Posts = append(bt.b.Posts, *it.Post)
		}
	}
}

func (bt *batcher) skip(data []byte, err error) {
	bt.b.Skipped++
	bt.j.log.Warn("jetstream: skipped a frame", "source", bt.j.name, "err", err, "excerpt", live.Excerpt(data))
}

// take returns the batch built so far, its cursor the largest time_us seen
// on the connection, and starts a new one.
func (bt *batcher) take() live.Batch {
	b := bt.b
	if bt.last > 0 {
		b.Cursor = strconv.FormatInt(bt.last, 10)
	}
	bt.b = live.Batch{}
	bt.events = 0
	return b
}
