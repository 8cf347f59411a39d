package event

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/index"
)

func TestValidate(t *testing.T) {
	from := time.Date(2017, 2, 28, 16, 0, 0, 0, time.FixedZone("X", 3600))
	ok := Event{Slug: "s3-2017", Query: `aws OR s3 OR "amazon web services"`, From: from, To: from.Add(12 * time.Hour),
		TZ: "America/Los_Angeles", Sources: []string{" Twitter", "twitter", ""}, Services: []string{"AWS", "aws", "S3"}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Name != "s3-2017" || ok.From.Location() != time.UTC || len(ok.Sources) != 1 || ok.Sources[0] != "twitter" ||
		len(ok.Services) != 2 || ok.Services[0] != "AWS" {
		t.Errorf("not normalised: %+v", ok)
	}
	bad := []struct {
		name string
		mod  func(*Event)
		want string
	}{
		{"slug with space", func(e *Event) { e.Slug = "s3 2017" }, "slug"},
		{"upper-case slug", func(e *Event) { e.Slug = "S3" }, "slug"},
		{"empty slug", func(e *Event) { e.Slug = "" }, "slug"},
		{"query", func(e *Event) { e.Query = `aws AND (s3` }, "column"},
		{"no start", func(e *Event) { e.From = time.Time{} }, "start"},
		{"end before start", func(e *Event) { e.To = e.From.Add(-time.Minute) }, "before it starts"},
		{"end at start", func(e *Event) { e.To = e.From }, "before it starts"},
		{"zone", func(e *Event) { e.TZ = "Mars/Olympus" }, "IANA"},
		// The index holds 1677-09-21 to 2262-04-11: an event outside it
		// made every list of events answer 500 (issue 16, item 4).
		{"start before 1678", func(e *Event) { e.From = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) }, "outside the years"},
		{"start in year 0", func(e *Event) { e.From = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) }, "start 0000-01-01"},
		{"end after 2261", func(e *Event) { e.To = time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC) }, "end 2262-04-11"},
		{"end in year 9999", func(e *Event) { e.To = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC) }, "outside the years"},
		{"window over 200 years", func(e *Event) {
			e.From, e.To = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "longer than 200 years"},
	}
	for _, c := range bad {
		e := Event{Slug: "x", From: from, To: from.Add(time.Hour)}
		c.mod(&e)
		err := e.Validate()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrInvalid mentioning %q", c.name, err, c.want)
		}
	}
	// The edges of TimeRange: its first instant is allowed, its end is not.
	lo, hi := TimeRange()
	if e := (Event{Slug: "edge", From: lo, To: lo.Add(time.Hour)}); e.Validate() != nil {
		t.Errorf("%v refused: %v", lo, e.Validate())
	}
	if e := (Event{Slug: "edge", From: hi.Add(-time.Hour), To: hi}); !errors.Is(e.Validate(), ErrInvalid) {
		t.Errorf("an end at %v accepted", hi)
	}
	if err := CheckTime("from", lo.Add(-time.Nanosecond)); !errors.Is(err, ErrTimeRange) || !strings.Contains(err.Error(), "from 1677-12-31T23:59:59") {
		t.Errorf("CheckTime just before the range: %v", err)
	}
	if err := CheckTime("from", time.Time{}); err != nil {
		t.Errorf("the zero time (no bound) refused: %v", err)
	}
	// A window stored before the check is searched inside the range.
	fixed := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ from, to, wantFrom, wantTo time.Time }{
		{time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC), lo, lo.Add(time.Minute)},
		{time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, lo, fixed},
		{time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), hi.Add(-time.Minute)},
		{time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{}, hi.Add(-time.Minute), hi},
	} {
		e := Event{From: c.from, To: c.to}
		if f, to := e.Window(fixed); !f.Equal(c.wantFrom) || !to.Equal(c.wantTo) {
			t.Errorf("window of %v–%v: %v–%v, want %v–%v", c.from, c.to, f, to, c.wantFrom, c.wantTo)
		}
	}
	// The query error keeps the parser's position.
	e := Event{Slug: "x", From: from, Query: `outage "is down`}
	var se *index.SyntaxError
	if err := e.Validate(); !errors.As(err, &se) || se.Column == 0 {
		t.Errorf("syntax error lost: %v", err)
	}
	// Open-ended: the window runs to now.
	open := Event{Slug: "live", From: from}
	if err := open.Validate(); err != nil {
		t.Fatal(err)
	}
	now := from.Add(3 * time.Hour)
	if f, to := open.Window(now); !f.Equal(from) || !to.Equal(now) {
		t.Errorf("open window %v–%v", f, to)
	}
}

func TestAutoWidth(t *testing.T) {
	for _, c := range []struct {
		span, want time.Duration
	}{
		{time.Hour, time.Minute},
		{12 * time.Hour, 5 * time.Minute},
		{3 * 24 * time.Hour, 15 * time.Minute},
		{30 * 24 * time.Hour, 3 * time.Hour},
		{10 * 365 * 24 * time.Hour, 14 * 24 * time.Hour},
		{100 * 365 * 24 * time.Hour, 5 * 28 * 24 * time.Hour},
	} {
		got := AutoWidth(c.span)
		if got != c.want {
			t.Errorf("AutoWidth(%v) = %v, want %v", c.span, got, c.want)
		}
		if n := c.span / got; n > MaxAutoBuckets {
			t.Errorf("AutoWidth(%v) gives %d buckets", c.span, n)
		}
	}
}

func TestWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Second:                  "less than a minute",
		time.Minute:                       "1 minute",
		14*time.Minute + 20*time.Second:   "14 minutes",
		time.Hour:                         "1 hour",
		2*time.Hour + 5*time.Minute:       "2 hours 5 minutes",
		26 * time.Hour:                    "1 day 2 hours",
		3 * 24 * time.Hour:                "3 days",
		3*24*time.Hour + 20*time.Minute:   "3 days",
		4*time.Hour + 59*time.Minute + 40: "4 hours 59 minutes",
	} {
		if got := Words(d); got != want {
			t.Errorf("Words(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestConcerns(t *testing.T) {
	in := Incident{Incident: status.Incident{Page: "Amazon Web Services", Name: "Increased Error Rates for Amazon S3",
		Components: []string{"S3 (N. Virginia)"}}, Origin: "https://status.aws.amazon.com/rss/s3-us-east-1.rss"}
	for _, c := range []struct {
		services, feeds []string
		want            bool
	}{
		{[]string{"S3"}, nil, true},
		{[]string{"amazon web services"}, nil, true},
		{[]string{"S"}, nil, false}, // not a word of its own
		{[]string{"GitHub"}, nil, false},
		{nil, []string{"https://status.aws.amazon.com/rss/s3-us-east-1.rss"}, true},
		{nil, []string{"https://example.com/feed"}, false},
		{nil, nil, false},
	} {
		e := Event{Services: c.services, StatusFeeds: c.feeds}
		if got := Concerns(e, in); got != c.want {
			t.Errorf("services %v feeds %v: %v, want %v", c.services, c.feeds, got, c.want)
		}
	}
}
