package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/hackernews"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/collector/mastodon"
	"github.com/aftershock/aftershock/collector/reddit"
	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/collector/twitter"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/sentiment"
)

func runCollect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "collect", "[--event SLUG] [--interval 60s]\n\nFollows the live sources of the events (event create --collect …) until Ctrl-C.\nCredentials come from the environment: AFTERSHOCK_X_BEARER_TOKEN, AFTERSHOCK_MASTODON_TOKEN\n(sent only to the instance AFTERSHOCK_MASTODON_INSTANCE names), AFTERSHOCK_REDDIT_CLIENT_ID and\nAFTERSHOCK_REDDIT_CLIENT_SECRET; a source without them is reported and skipped.")
	slug := fs.String("event", "", "only this event's sources (default: every event that lists some)")
	interval := fs.Duration("interval", time.Minute, "how often pollers ask once caught up")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	evs, err := collectingEvents(ctx, a, *slug)
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		return fmt.Errorf("%w: no event lists sources to collect from: aftershock event edit SLUG --collect bluesky,hn,…", errUsage)
	}
	if a.Index != nil {
		if err := catchUp(ctx, e, a); err != nil {
			return err
		}
	}
	c := newCollectors(a, e.log, *interval)
	c.start(ctx)
	for _, ev := range evs {
		for _, err := range c.add(ev) {
			fmt.Fprintf(e.stderr, "%v\n", err)
		}
	}
	if len(c.running) == 0 {
		return errors.New("no source could be started")
	}
	fmt.Fprintf(e.stdout, "collecting from %d sources for %d events; Ctrl-C stops\n", len(c.running), len(evs))
	// The index follows the store while we collect, unless a server holds it.
	// It is stopped after the collectors, and not by Ctrl-C, so that its
	// last pass indexes their last batches.
	var wg sync.WaitGroup
	stop := make(chan struct{})
	if a.Index != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.Follow(context.WithoutCancel(ctx), stop, time.Second); err != nil {
				e.log.Error("indexer stopped", "err", err)
			}
		}()
	}
	term := isTerminal(e.stderr)
	done := make(chan struct{})
	go func() {
		c.wait()
		close(done)
	}()
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			if term {
				fmt.Fprintln(e.stderr)
			}
			close(stop)
			wg.Wait()
			fmt.Fprintf(e.stdout, "stopped: %s\n", c.line())
			return nil
		case <-tick.C:
			if term {
				fmt.Fprintf(e.stderr, "\r\033[K%s", c.line())
			}
		}
	}
}

// collectingEvents returns the events with sources (or the one asked for).
func collectingEvents(ctx context.Context, a *archive.Archive, slug string) ([]event.Event, error) {
	if slug != "" {
		ev, err := a.Store.Event(ctx, slug)
		if err != nil {
			return nil, err
		}
		if len(ev.Collect) == 0 {
			return nil, fmt.Errorf("%w: event %s lists no sources: aftershock event edit %s --collect bluesky,hn,…", errUsage, slug, slug)
		}
		return []event.Event{ev}, nil
	}
	all, err := a.Store.Events(ctx)
	if err != nil {
		return nil, err
	}
	var out []event.Event
	for _, ev := range all {
		if len(ev.Collect) > 0 && (ev.To.IsZero() || ev.To.After(time.Now())) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// collectors runs the live sources of events, counting what they store.
type collectors struct {
	a        *archive.Archive
	log      *slog.Logger
	interval time.Duration
	client   *http.Client
	scorer   *sentiment.Scorer
	wg       sync.WaitGroup
	mu       sync.Mutex
	running  map[string]int // source name → posts stored
	ctx      context.Context
}

func newCollectors(a *archive.Archive, log *slog.Logger, interval time.Duration) *collectors {
	scorer, _ := sentiment.New()
	// Status feed and Mastodon instance URLs come from users: the client
	// refuses private addresses (SSRF) unless AFTERSHOCK_ALLOW_PRIVATE_URLS=1.
	return &collectors{a: a, log: log, interval: interval, client: live.SafeClient(60*time.Second, allowPrivateURLs()),
		scorer: scorer, running: map[string]int{}}
}

// start must be called before add, with the context the sources run under.
func (c *collectors) start(ctx context.Context) { c.ctx = ctx }

// add starts the sources of ev; it returns the ones that could not start.
func (c *collectors) add(ev event.Event) []error {
	if c.ctx == nil {
		c.ctx = context.Background()
	}
	pq, err := index.ParseQuery(ev.Query)
	if err != nil {
		return []error{fmt.Errorf("event %s: %w", ev.Slug, err)}
	}
	match := func(p *post.Post) bool { return pq.Match(p) }
	var errs []error
	for _, spec := range ev.Collect {
		src, err := c.source(spec, ev, match)
		if err != nil {
			errs = append(errs, fmt.Errorf("event %s: source %s: %w (skipped)", ev.Slug, spec, err))
			continue
		}
		c.run(src)
	}
	return errs
}

func (c *collectors) run(src any) {
	opt := live.Options{Interval: c.interval, Log: c.log, OnBatch: func(name string, n int) {
		c.mu.Lock()
		c.running[name] += n
		c.mu.Unlock()
	}}
	if c.scorer != nil {
		opt.Enrich = c.scorer
	}
	var name string
	var run func() error
	switch s := src.(type) {
	case live.Streamer:
		name = s.Name()
		run = func() error { return live.RunStreamer(c.ctx, s, c.a.Store, opt) }
	case live.Poller:
		name = s.Name()
		run = func() error { return live.RunPoller(c.ctx, s, c.a.Store, opt) }
	default:
		return
	}
	c.mu.Lock()
	if _, dup := c.running[name]; dup {
		c.mu.Unlock()
		return
	}
	c.running[name] = 0
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if err := run(); err != nil {
			c.log.Error("source stopped", "source", name, "err", err)
		}
	}()
}

func (c *collectors) wait() { c.wg.Wait() }

// line is the status line: each source with its posts stored.
func (c *collectors) line() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.running))
	for n := range c.running {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %s", n, thousands(int64(c.running[n]))))
	}
	return strings.Join(parts, " · ")
}

// saveIncidents adapts the store for status feeds.
func (c *collectors) saveIncidents(ctx context.Context, origin string, incs []status.Incident) error {
	_, _, err := c.a.Store.SaveIncidents(ctx, origin, incs)
	return err
}

// Named sources: the same source followed for two events (with two
// queries) keeps two cursors, so each is named after its event.
type namedPoller struct {
	live.Poller
	name string
}

func (n namedPoller) Name() string { return n.name }

type namedStreamer struct {
	live.Streamer
	name string
}

func (n namedStreamer) Name() string { return n.name }

// mastodonToken returns AFTERSHOCK_MASTODON_TOKEN and the instance it is
// bound to (AFTERSHOCK_MASTODON_INSTANCE, a host or URL) when instance is
// that one; "" otherwise, with a warning when a token is set: an event may
// name any instance (events come from the CLI, the forms and the API), and
// the token must not reach the others, which are followed without it.
func (c *collectors) mastodonToken(instance, source string) (token, tokenInstance string) {
	token, tokenInstance = os.Getenv("AFTERSHOCK_MASTODON_TOKEN"), strings.TrimSpace(os.Getenv("AFTERSHOCK_MASTODON_INSTANCE"))
	switch {
	case token == "":
		return "", ""
	case tokenInstance == "":
		c.log.Warn("AFTERSHOCK_MASTODON_TOKEN is set without AFTERSHOCK_MASTODON_INSTANCE, the instance that issued it: it is sent to none",
			"source", source)
		return "", ""
	case !mastodon.SameInstance(tokenInstance, instance):
		c.log.Info("the Mastodon token is for another instance: this one is followed without it",
			"source", source, "token_instance", tokenInstance)
		return "", ""
	}
	return token, tokenInstance
}

// source builds the live source of one Collect entry of an event. The
// event's query goes to the API where the API can search, and is applied
// locally (match) where it cannot.
func (c *collectors) source(spec string, ev event.Event, match func(*post.Post) bool) (any, error) {
	kind, arg, _ := strings.Cut(spec, ":")
	terms := queryWords(ev.Query)
	name := ev.Slug + "/" + spec
	switch kind {
	case "bluesky":
		// AFTERSHOCK_JETSTREAM_URL points at another Jetstream instance
		// (your own, or a test's).
		s, err := bluesky.NewJetstream(bluesky.Config{URL: os.Getenv("AFTERSHOCK_JETSTREAM_URL"), Match: match}, nil, c.log)
		if err != nil {
			return nil, err
		}
		return namedStreamer{s, name}, nil
	case "mastodon":
		cfg := mastodon.Config{Instance: "https://" + strings.TrimPrefix(strings.TrimPrefix(arg, "https://"), "http://"), Match: match}
		cfg.Token, cfg.TokenInstance = c.mastodonToken(cfg.Instance, name)
		switch {
		case firstHashtag(ev.Query) != "":
			cfg.Hashtag = firstHashtag(ev.Query)
		case cfg.Token != "" && terms != "":
			cfg.Query = terms
		default:
			cfg.Public = true
		}
		if cfg.Token != "" && cfg.Query == "" {
			// With a token: the streaming API, back-filled over REST
			// after every (re)connect, with deletes and edits.
			s, err := mastodon.NewStreamer(mastodon.StreamConfig{Config: cfg}, c.client, c.log)
			if err != nil {
				return nil, err
			}
			return namedStreamer{s, name}, nil
		}
		p, err := mastodon.NewPoller(cfg, c.client, c.log)
		if err != nil {
			return nil, err
		}
		return namedPoller{p, name}, nil
	case "hn":
		p, err := hackernews.NewPoller(hackernews.Config{Query: terms, Match: match}, c.client, c.log)
		if err != nil {
			return nil, err
		}
		return namedPoller{p, name}, nil
	case "x":
		tok := os.Getenv("AFTERSHOCK_X_BEARER_TOKEN")
		if tok == "" {
			return nil, errors.New("needs AFTERSHOCK_X_BEARER_TOKEN (a paid X API key)")
		}
		if arg == "stream" {
			// The filtered stream (an X plan that has it), back-filled by
			// recent search after every connect.
			s, err := twitter.NewStreamer(twitter.StreamConfig{BearerToken: tok, Query: ev.Query, Tag: "aftershock:" + ev.Slug}, c.client, c.log)
			if err != nil {
				return nil, err
			}
			return namedStreamer{s, name}, nil
		}
		p, err := twitter.NewSearch(twitter.Config{BearerToken: tok, Query: ev.Query}, c.client, c.log)
		if err != nil {
			return nil, err
		}
		return namedPoller{p, name}, nil
	case "reddit":
		id, secret := os.Getenv("AFTERSHOCK_REDDIT_CLIENT_ID"), os.Getenv("AFTERSHOCK_REDDIT_CLIENT_SECRET")
		if id == "" || secret == "" {
			return nil, errors.New("needs AFTERSHOCK_REDDIT_CLIENT_ID and AFTERSHOCK_REDDIT_CLIENT_SECRET (an approved Reddit app)")
		}
		p, err := reddit.NewPoller(reddit.Config{ClientID: id, ClientSecret: secret, Query: terms, Subreddit: arg,
			Username: os.Getenv("AFTERSHOCK_REDDIT_USERNAME"), Match: match}, c.client, c.log)
		if err != nil {
			return nil, err
		}
		return namedPoller{p, name}, nil
	case "status":
		return namedPoller{live.NewStatusFeed(arg, c.client, c.saveIncidents, c.log), name}, nil
	}
	return nil, event.ValidSourceSpec(spec)
}

// queryWords are the words and phrases of a query, for APIs whose search
// takes plain words (Algolia, Reddit).
func queryWords(q string) string {
	pq, err := index.ParseQuery(q)
	if err != nil {
		return ""
	}
	var out []string
	for _, t := range pq.Terms() {
		if strings.ContainsRune(t, ' ') {
			t = `"` + t + `"`
		}
		out = append(out, strings.TrimPrefix(t, "#"))
	}
	return strings.Join(out, " ")
}

// firstHashtag is the first hashtag the query looks for, without '#'.
func firstHashtag(q string) string {
	pq, err := index.ParseQuery(q)
	if err != nil {
		return ""
	}
	for _, t := range pq.Terms() {
		if strings.HasPrefix(t, "#") {
			return t[1:]
		}
	}
	return ""
}

func runSources(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "sources", args)
	if err != nil {
		return err
	}
	defer a.Close()
	srcs, err := a.Store.Sources(ctx)
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		fmt.Fprintln(e.stdout, "no live source has run yet: aftershock event edit SLUG --collect bluesky,hn,…; then aftershock collect (or serve)")
		return nil
	}
	for _, s := range srcs {
		last := "never"
		if !s.CursorAt.IsZero() {
			last = s.CursorAt.Format("2006-01-02 15:04:05 MST")
		}
		fmt.Fprintf(e.stdout, "%-44s %-13s since %s · last batch %s\n", s.Source, s.State, s.Since.Format("2006-01-02 15:04 MST"), last)
		if s.Detail != "" {
			fmt.Fprintf(e.stdout, "    %s\n", oneLine(s.Detail, 110))
		}
		if s.Cursor != "" {
			fmt.Fprintf(e.stdout, "    cursor %s\n", oneLine(s.Cursor, 100))
		}
	}
	now := time.Now()
	gaps, err := a.Store.CollectorGaps(ctx, now.Add(-7*24*time.Hour), now)
	if err != nil {
		return err
	}
	if len(gaps) > 0 {
		fmt.Fprintln(e.stdout, "\ngaps in the last 7 days (not collecting):")
		for _, g := range gaps {
			fmt.Fprintf(e.stdout, "  %-44s %-13s %s – %s\n", g.Source, g.State, g.From.Format("01-02 15:04"), g.To.Format("01-02 15:04 MST"))
		}
	}
	return nil
}
