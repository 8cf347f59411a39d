package event

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event/spike"
	"github.com/aftershock/aftershock/index"
)

// Counter is what a timeline needs from the search index (*index.Index).
type Counter interface {
	Timeline(ctx context.Context, q index.Query, width time.Duration) (*index.Timeline, error)
	Search(ctx context.Context, q index.Query) (*index.Results, error)
}

// Incidents gives the stored status-page incidents whose span overlaps
// [from, to) (the store implements it).
type Incidents interface {
	StatusIncidents(ctx context.Context, from, to time.Time) ([]Incident, error)
}

// Gaps gives the stretches when live collectors were not collecting (the
// store implements it).
type Gaps interface {
	CollectorGaps(ctx context.Context, from, to time.Time) ([]Gap, error)
}

// Gap is a stretch of time a live source was not collecting: down, rate
// limited, without credentials, or not running. A dip in the volume during
// a gap is our collector's, not the public's.
type Gap struct {
	Source string    `json:"source"`
	State  string    `json:"state"`
	Detail string    `json:"detail,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

// Incident is a status-page incident as the archive holds it: what the feed
// said, and which feed (URL or file) said it.
type Incident struct {
	status.Incident
	Origin string `json:"origin"`
}

// Options tune Build. The zero value picks the bucket width, lists no top
// posts and looks four weeks back for the baseline.
type Options struct {
	Width time.Duration // bucket width; 0 = AutoWidth of the window
	Top   int           // top posts per bucket (by engagement, then newest); 0 = none
	// History is how far before the window the spike detector looks for
	// its baseline (the same hour of the week, where there is that much);
	// 0 = 28 days, < 0 = none.
	History time.Duration
	Now     time.Time // the end of an open window; zero = time.Now()
}

// Timeline is an event's posts over time, with spikes, official status
// updates and the acknowledgement lag. All times are UTC; Location is the
// event's display zone.
type Timeline struct {
	Event    Event
	Location *time.Location `json:"-"`
	From, To time.Time      // the window; an open end resolved to now
	Width    time.Duration
	Total    uint64
	Sources  []SourceCount // every source in the window, most posts first
	Buckets  []Bucket
	Spikes   []spike.Spike // inside the window (a spike may have begun before it)
	// Incidents are the attached status incidents, earliest first; Updates
	// all their updates on one axis, earliest first.
	Incidents []Incident
	Updates   []Marker
	Lag       *Lag // nil without status updates or without posts
	// Gaps are the stretches, inside the window, when a live collector of
	// the event was not collecting (only for events that collect live).
	Gaps []Gap
}

// SourceCount is one source's share of a timeline.
type SourceCount struct {
	Source string `json:"source"`
	Count  uint64 `json:"posts"`
}

// Bucket is one bucket of a timeline.
type Bucket struct {
	index.TimelineBucket
	InSpike bool     // the bucket lies inside a detected spike
	Top     []string // ids of the top posts, when asked for
}

// Marker is one status update on the timeline.
type Marker struct {
	Time     time.Time    `json:"time"`
	State    status.State `json:"state"`
	Incident string       `json:"incident"` // the incident's name
	Page     string       `json:"page"`
	URL      string       `json:"url,omitempty"`
	Body     string       `json:"body"`
}

// Lag is the number a reporter quotes: how long the public reaction ran
// ahead of the company's own account.
type Lag struct {
	// Signal is the first public signal: the start of the first spike in
	// the window, or, with no spike, the first matching post.
	Signal     time.Time
	SignalKind string // "spike" or "first post"
	// Acknowledged is the first official update of an attached incident;
	// Resolved the last "resolved" update when every attached incident has
	// one (zero while one is open).
	Acknowledged time.Time
	Resolved     time.Time
	// ToAck is Acknowledged − Signal (negative when the status page spoke
	// first); ToResolve is Resolved − Signal, 0 while unresolved.
	ToAck, ToResolve time.Duration
}

// niceWidths are the bucket widths AutoWidth chooses from.
var niceWidths = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// MaxAutoBuckets is the most buckets AutoWidth gives a window.
const MaxAutoBuckets = 300

// AutoWidth is the smallest of the usual widths (1m, 2m, 5m, … 1h, … 1d, …)
// that divides the span into at most MaxAutoBuckets buckets: about 100 to
// 300 for spans from hours to years.
func AutoWidth(span time.Duration) time.Duration {
	for _, w := range niceWidths {
		if span <= w*MaxAutoBuckets {
			return w
		}
	}
	w := niceWidths[len(niceWidths)-1]
	return (span/MaxAutoBuckets + w - 1) / w * w
}

// Build computes e's timeline: the index counts the window's posts per
// bucket, source and tone in one pass; spikes are detected over the window
// with up to opt.History of the same query's earlier volume as their
// baseline; the status incidents attached to e supply the markers and the
// lag.
func Build(ctx context.Context, e Event, c Counter, inc Incidents, opt Options) (*Timeline, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc, err := e.Location()
	if err != nil {
		return nil, err
	}
	// An event stored before Validate bounded its window.
	if err := e.CheckWindow(); err != nil {
		return nil, fmt.Errorf("%w: event %s: %w: edit its window", ErrInvalid, e.Slug, err)
	}
	from, to := e.Window(now)
	width := opt.Width
	if width <= 0 {
		width = AutoWidth(to.Sub(from))
	}
	tl := &Timeline{Event: e, Location: loc, From: from, To: to, Width: width}

	res, err := c.Timeline(ctx, e.IndexQuery(from, to), width)
	if err != nil {
		return nil, fmt.Errorf("timeline of %s: %w", e.Slug, err)
	}
	tl.Total = res.Total
	tl.Buckets = make([]Bucket, len(res.Buckets))
	perSource := map[string]uint64{}
	for i, b := range res.Buckets {
		tl.Buckets[i].TimelineBucket = b
		for s, n := range b.Sources {
			perSource[s] += n
		}
	}
	for s, n := range perSource {
		tl.Sources = append(tl.Sources, SourceCount{s, n})
	}
	slices.SortFunc(tl.Sources, func(a, b SourceCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Source, b.Source))
	})

	if err := tl.detectSpikes(ctx, c, opt.History); err != nil {
		return nil, err
	}
	if opt.Top > 0 {
		if err := tl.topPosts(ctx, c, opt.Top); err != nil {
			return nil, err
		}
	}
	if inc != nil {
		if err := tl.attach(ctx, inc); err != nil {
			return nil, err
		}
	}
	if err := tl.lag(ctx, c); err != nil {
		return nil, err
	}
	if g, ok := inc.(Gaps); ok && len(e.Collect) > 0 {
		gaps, err := g.CollectorGaps(ctx, tl.From, tl.To)
		if err != nil {
			return nil, fmt.Errorf("timeline of %s: collector gaps: %w", e.Slug, err)
		}
		tl.Gaps = gaps
	}
	return tl, nil
}

// detectSpikes runs the detector over the history before the window and
// the window, and keeps the spikes that reach into the window.
func (tl *Timeline) detectSpikes(ctx context.Context, c Counter, history time.Duration) error {
	if len(tl.Buckets) == 0 {
		return nil
	}
	if history == 0 {
		history = 28 * 24 * time.Hour
	}
	// The index counts at most index.MaxBuckets buckets at a time: with fine
	// buckets the history is shortened to fit.
	history = min(history, time.Duration(index.MaxBuckets/2)*tl.Width)
	first := tl.Buckets[0].Start
	var counts []float64
	if history > 0 {
		// History ends where the window's first bucket begins, so the two
		// series join without overlap.
		q := tl.Event.IndexQuery(first.Add(-history), first)
		h, err := c.Timeline(ctx, q, tl.Width)
		if err != nil {
			return fmt.Errorf("timeline of %s: history: %w", tl.Event.Slug, err)
		}
		if h.Total > 0 {
			for _, b := range h.Buckets {
				counts = append(counts, float64(b.Count))
			}
		}
	}
	offset := len(counts)
	for _, b := range tl.Buckets {
		counts = append(counts, float64(b.Count))
	}
	s := spike.Series{Start: first.Add(-time.Duration(offset) * tl.Width), Step: tl.Width, Counts: counts}
	for _, sp := range spike.Detect(s, spike.Options{}) {
		if sp.EndIndex < offset {
			continue
		}
		for i := max(sp.StartIndex, offset); i <= sp.EndIndex && i-offset < len(tl.Buckets); i++ {
			tl.Buckets[i-offset].InSpike = true
		}
		tl.Spikes = append(tl.Spikes, sp)
	}
	return nil
}

// topPosts lists the n most engaging posts of every non-empty bucket.
func (tl *Timeline) topPosts(ctx context.Context, c Counter, n int) error {
	for i := range tl.Buckets {
		b := &tl.Buckets[i]
		if b.Count == 0 {
			continue
		}
		q := tl.Event.IndexQuery(maxTime(b.Start, tl.From), minTime(b.Start.Add(tl.Width), tl.To))
		q.Sort, q.Size = index.Engagement, n
		res, err := c.Search(ctx, q)
		if err != nil {
			return fmt.Errorf("timeline of %s: top posts: %w", tl.Event.Slug, err)
		}
		for _, h := range res.Hits {
			b.Top = append(b.Top, h.ID)
		}
	}
	return nil
}

// attach keeps the incidents overlapping the window that come from one of
// the event's feeds or name one of its services.
func (tl *Timeline) attach(ctx context.Context, inc Incidents) error {
	e := &tl.Event
	if len(e.Services) == 0 && len(e.StatusFeeds) == 0 {
		return nil
	}
	all, err := inc.StatusIncidents(ctx, tl.From, tl.To)
	if err != nil {
		return fmt.Errorf("timeline of %s: status incidents: %w", e.Slug, err)
	}
	for _, in := range all {
		if Concerns(*e, in) {
			tl.Incidents = append(tl.Incidents, in)
			for _, u := range in.Updates {
				tl.Updates = append(tl.Updates, Marker{Time: u.Time, State: u.State, Incident: in.Name, Page: in.Page, URL: in.URL, Body: u.Body})
			}
		}
	}
	slices.SortStableFunc(tl.Updates, func(a, b Marker) int { return a.Time.Compare(b.Time) })
	return nil
}

// Concerns reports whether an incident belongs to e: it was read from one of
// e's status feeds, or its page, name or components name one of e's
// services (case-insensitively, as a whole word).
func Concerns(e Event, in Incident) bool {
	if slices.Contains(e.StatusFeeds, in.Origin) {
		return true
	}
	text := strings.ToLower(strings.Join(append([]string{in.Page, in.Name, in.PageURL}, in.Components...), " \x00 "))
	for _, s := range e.Services {
		if containsWord(text, strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// containsWord reports whether w occurs in text with no letter or digit
// right before or after it.
func containsWord(text, w string) bool {
	if w == "" {
		return false
	}
	for off := 0; ; {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(w)
		if (i == 0 || !isWordByte(text[i-1])) && (j == len(text) || !isWordByte(text[j])) {
			return true
		}
		off = i + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}

// lag computes the acknowledgement lag from the first signal to the first
// update and to resolution.
func (tl *Timeline) lag(ctx context.Context, c Counter) error {
	if len(tl.Updates) == 0 || tl.Total == 0 {
		return nil
	}
	l := &Lag{}
	if len(tl.Spikes) > 0 {
		l.Signal, l.SignalKind = maxTime(tl.Spikes[0].Start, tl.From), "spike"
	} else {
		q := tl.Event.IndexQuery(tl.From, tl.To)
		q.Sort, q.Size = index.Oldest, 1
		res, err := c.Search(ctx, q)
		if err != nil {
			return fmt.Errorf("timeline of %s: first post: %w", tl.Event.Slug, err)
		}
		if len(res.Hits) == 0 {
			return nil
		}
		l.Signal, l.SignalKind = res.Hits[0].Created, "first post"
	}
	l.Acknowledged = tl.Updates[0].Time
	l.ToAck = l.Acknowledged.Sub(l.Signal)
	resolved := true
	for _, in := range tl.Incidents {
		r, ok := in.ResolvedAt()
		if !ok {
			resolved = false
			break
		}
		if r.After(l.Resolved) {
			l.Resolved = r
		}
	}
	if resolved && !l.Resolved.IsZero() {
		l.ToResolve = l.Resolved.Sub(l.Signal)
	} else {
		l.Resolved = time.Time{}
	}
	tl.Lag = l
	return nil
}

// Sentence says the lag in words, times in loc. The first time it names
// (the signal or the first update, whichever came first) is a clock time;
// each later one carries its date when it falls on another day in loc
// (see [Clock]).
func (l *Lag) Sentence(loc *time.Location) string {
	if l == nil {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	first := l.Signal
	if l.Acknowledged.Before(first) {
		first = l.Acknowledged
	}
	clock := func(t time.Time) string { return Clock(t, first, loc) + " " + t.In(loc).Format("MST") }
	what := "the first spike of posts"
	if l.SignalKind != "spike" {
		what = "the first matching post"
	}
	var s string
	switch {
	case l.ToAck > 0:
		s = fmt.Sprintf("The public was %s ahead of the status page: %s at %s, first official update at %s.",
			Words(l.ToAck), what, clock(l.Signal), clock(l.Acknowledged))
	case l.ToAck < 0:
		s = fmt.Sprintf("The status page spoke first, %s before %s (update at %s, posts at %s).",
			Words(-l.ToAck), what, clock(l.Acknowledged), clock(l.Signal))
	default:
		s = fmt.Sprintf("The status page spoke at the same minute as %s (%s).", what, clock(l.Signal))
	}
	if !l.Resolved.IsZero() {
		s += fmt.Sprintf(" Resolved at %s, %s after %s.", clock(l.Resolved), Words(l.ToResolve), what)
	} else {
		s += " Not resolved in the status feed."
	}
	return s
}

// Words writes a duration as a reporter would: "14 minutes", "2 hours 5
// minutes", "3 days 4 hours"; under a minute, "less than a minute".
func Words(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Minute {
		return "less than a minute"
	}
	unit := func(n int64, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %ss", n, one)
	}
	days, hours, mins := int64(d/(24*time.Hour)), int64(d/time.Hour)%24, int64(d/time.Minute)%60
	switch {
	case days > 0 && hours > 0:
		return unit(days, "day") + " " + unit(hours, "hour")
	case days > 0:
		return unit(days, "day")
	case hours > 0 && mins > 0:
		return unit(hours, "hour") + " " + unit(mins, "minute")
	case hours > 0:
		return unit(hours, "hour")
	}
	return unit(mins, "minute")
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
