package event

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/index"
)

// Event is an incident or a story followed over time: which posts belong to
// it (a query in the index's syntax plus source and language filters),
// when (a window, possibly open-ended), how to show times, and where the
// company's own account of it comes from.
type Event struct {
	Slug        string    `json:"slug"` // [a-z0-9][a-z0-9-]*, at most 64 characters; the key
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Query       string    `json:"query"`             // index query syntax; "" matches every post in the window
	Sources     []string  `json:"sources,omitempty"` // post sources to keep ("twitter", "mastodon", …); nil = all
	Langs       []string  `json:"langs,omitempty"`   // languages to keep ("en", "de"); nil = all
	From        time.Time `json:"from"`
	To          time.Time `json:"to,omitzero"`         // zero: open-ended, "from From on"
	TZ          string    `json:"time_zone,omitempty"` // IANA zone for display ("America/Los_Angeles"); "" = UTC
	// Services names the companies or services concerned ("AWS", "S3"):
	// stored status incidents that overlap the window and mention one of
	// them in their page, name or components are attached to the event.
	Services []string `json:"services,omitempty"`
	// StatusFeeds are the status feeds (URLs or files) read for this event;
	// every incident read from them that overlaps the window is attached.
	StatusFeeds []string `json:"status_feeds,omitempty"`
	// Collect lists the live sources that follow the event while
	// `aftershock collect` or `serve` runs: "bluesky", "mastodon:HOST",
	// "hn", "x" (recent search), "x:stream" (filtered stream), "reddit",
	// "reddit:SUBREDDIT", "status:URL".
	Collect []string `json:"collect,omitempty"`

	Created time.Time `json:"created,omitzero"` // set by the store
	Updated time.Time `json:"updated,omitzero"`
}

// Errors of Validate, for callers that map them to a status or an exit code.
var (
	ErrInvalid  = errors.New("invalid event")
	ErrNotFound = errors.New("no such event")
	ErrExists   = errors.New("an event with this slug exists")
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// ValidSlug reports whether s can name an event or a collection: lower-case
// letters, digits and '-', starting with a letter or digit, at most 64
// characters. Slugs become parts of file names and URLs.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// The index keeps times as nanoseconds since 1970 in an int64, which holds
// 1677-09-21 to 2262-04-11; a timeline also counts up to four weeks before
// its window and rounds its buckets outwards. Times of events and searches
// are kept to whole years well inside that range. These are constants in
// all but name: nothing assigns them.
var (
	firstTime = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	endTime   = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxWindow is the longest window an event may have: a time.Duration holds
// about 292 years, and a timeline's width is computed from the window.
const maxWindow = 200 * 365 * 24 * time.Hour

// TimeRange returns the earliest time and the time after the latest that
// an event or a search may name: [1678-01-01, 2262-01-01) UTC.
func TimeRange() (lo, hi time.Time) { return firstTime, endTime }

// ErrTimeRange is wrapped by the errors of CheckTime.
var ErrTimeRange = errors.New("outside the years the archive can search (1678 to 2261)")

// CheckTime returns an error wrapping ErrTimeRange when t is not zero and
// falls outside TimeRange; name, when not empty, says which time it is
// ("start", "from") in the message.
func CheckTime(name string, t time.Time) error {
	if t.IsZero() || (!t.Before(firstTime) && t.Before(endTime)) {
		return nil
	}
	if name != "" {
		name += " "
	}
	return fmt.Errorf("%s%s is %w", name, t.UTC().Format(time.RFC3339), ErrTimeRange)
}

// CheckWindow checks the window of an event that may have been stored
// before Validate bounded it: both ends inside TimeRange (ErrTimeRange) and
// at most 200 years apart. Lists use it to show such an event with its
// error instead of failing as a whole.
func (e *Event) CheckWindow() error {
	if err := CheckTime("start", e.From); err != nil {
		return err
	}
	if err := CheckTime("end", e.To); err != nil {
		return err
	}
	if !e.To.IsZero() && e.To.Sub(e.From) > maxWindow {
		return fmt.Errorf("the window from %s to %s is longer than 200 years",
			e.From.UTC().Format(time.RFC3339), e.To.UTC().Format(time.RFC3339))
	}
	return nil
}

// Validate normalises e (times to UTC, lists trimmed, lower-cased and
// deduplicated, the name defaulting to the slug) and checks it: the slug's
// form, that the query parses (a *index.SyntaxError, wrapped, says where it
// does not), that the window has a start, ends after it and lies within
// TimeRange and 200 years (CheckWindow), and that the time zone is known.
func (e *Event) Validate() error {
	e.Slug = strings.TrimSpace(e.Slug)
	if !ValidSlug(e.Slug) {
		return fmt.Errorf("%w: slug %q: use lower-case letters, digits and '-', starting with a letter or digit, at most 64", ErrInvalid, e.Slug)
	}
	e.Name = strings.TrimSpace(e.Name)
	if e.Name == "" {
		e.Name = e.Slug
	}
	e.Query = strings.TrimSpace(e.Query)
	if _, err := index.ParseQuery(e.Query); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if e.From.IsZero() {
		return fmt.Errorf("%w: the window needs a start (--from)", ErrInvalid)
	}
	e.From = e.From.UTC()
	if !e.To.IsZero() {
		e.To = e.To.UTC()
		if !e.To.After(e.From) {
			return fmt.Errorf("%w: the window ends (%s) before it starts (%s)", ErrInvalid,
				e.To.Format(time.RFC3339), e.From.Format(time.RFC3339))
		}
	}
	if err := e.CheckWindow(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if _, err := e.Location(); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	e.Sources = normList(e.Sources, true)
	e.Langs = normList(e.Langs, true)
	e.Services = normList(e.Services, false)
	e.StatusFeeds = normList(e.StatusFeeds, false)
	e.Collect = normList(e.Collect, false)
	for _, c := range e.Collect {
		if err := ValidSourceSpec(c); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		}
	}
	return nil
}

// normList trims, drops empties and duplicates (case-insensitively), and
// lower-cases when lower is set; nil when nothing is left.
func normList(in []string, lower bool) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if lower {
			s = strings.ToLower(s)
		}
		if s == "" || slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, s) }) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// Location returns the event's display zone (UTC when TZ is empty).
func (e *Event) Location() (*time.Location, error) {
	if e.TZ == "" || e.TZ == "UTC" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(e.TZ)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: not an IANA zone name such as Europe/Berlin", e.TZ)
	}
	return loc, nil
}

// Window returns the event's window with an open end resolved to now,
// both ends kept inside TimeRange (an event stored before Validate bounded
// its window then searches an empty or shortened window, not an error).
func (e *Event) Window(now time.Time) (from, to time.Time) {
	from, to = clampTime(e.From), e.To
	if to.IsZero() {
		to = now.UTC()
	}
	to = clampTime(to)
	if !to.After(from) {
		to = from.Add(time.Minute)
	}
	return from, to
}

// clampTime moves t into TimeRange, at most a minute before its end.
func clampTime(t time.Time) time.Time {
	switch {
	case t.Before(firstTime):
		return firstTime
	case !t.Before(endTime.Add(-time.Minute)):
		return endTime.Add(-time.Minute)
	}
	return t
}

// IndexQuery is the index query for the event's posts in [from, to).
func (e *Event) IndexQuery(from, to time.Time) index.Query {
	return index.Query{Text: e.Query, Sources: e.Sources, Langs: e.Langs, From: from, To: to}
}

// Narrow narrows q to the event's posts: the event's query ANDed with q's
// text, the window (an open end resolved to now) intersected with q's, and
// the event's sources and languages where q has none.
func (e *Event) Narrow(q index.Query, now time.Time) index.Query {
	switch {
	case e.Query != "" && q.Text != "":
		q.Text = "(" + e.Query + ") (" + q.Text + ")"
	case e.Query != "":
		q.Text = e.Query
	}
	from, to := e.Window(now)
	if q.From.IsZero() || q.From.Before(from) {
		q.From = from
	}
	if q.To.IsZero() || q.To.After(to) {
		q.To = to
	}
	if len(q.Sources) == 0 {
		q.Sources = e.Sources
	}
	if len(q.Langs) == 0 {
		q.Langs = e.Langs
	}
	return q
}

// ValidSourceSpec checks one entry of Event.Collect.
func ValidSourceSpec(spec string) error {
	kind, arg, _ := strings.Cut(spec, ":")
	switch kind {
	case "bluesky", "hn":
		if arg == "" {
			return nil
		}
	case "x":
		if arg == "" || arg == "stream" {
			return nil
		}
	case "mastodon", "status":
		if arg != "" {
			return nil
		}
	case "reddit":
		return nil
	}
	return fmt.Errorf("collect: %q is not a source: use bluesky, mastodon:HOST, hn, x, x:stream, reddit, reddit:SUBREDDIT or status:URL", spec)
}
