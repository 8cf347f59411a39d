package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/web/chart"
)

// eventSummary is one line of the events list.
type eventSummary struct {
	Event     event.Event    `json:"event"`
	Posts     uint64         `json:"posts"`
	Peak      uint64         `json:"peak_posts"`
	PeakAt    time.Time      `json:"peak_at"`
	Bucket    string         `json:"bucket"`
	Sparkline []byte         `json:"-"`
	Location  *time.Location `json:"-"`
	// Error says why the event's posts were not counted (a window outside
	// the years the index holds, stored by an older version): one bad event
	// never breaks the list.
	Error string `json:"error,omitempty"`
}

type eventsView struct {
	Events []eventSummary `json:"events"`
}

// PageTitle implements titled.
func (eventsView) PageTitle() string { return "Events" }

func (s *Server) events(c *gin.Context) (*eventsView, error) {
	evs, err := s.a.Store.Events(c)
	if err != nil {
		return nil, err
	}
	seq, err := s.a.Index.LastSeq()
	if err != nil {
		return nil, err
	}
	// The list is cached like the event pages: it changes with the index,
	// with an edit of an event, and each minute for open windows.
	now := s.cfg.Now()
	var stamp strings.Builder
	for _, ev := range evs {
		stamp.WriteString(ev.Slug + "@" + ev.Updated.String() + "\x00")
	}
	key := pageKey{slug: "events list", seq: seq, query: stamp.String(), minute: now.Unix() / 60}
	v, err := s.eventLists.get(c, key, now, func() (*eventsView, error) { return s.buildEvents(c, evs, now) })
	if err != nil {
		return nil, err
	}
	return v, nil
}

// buildEvents counts each event's posts over its window, in the buckets
// its timeline would have, for the sparkline and the peak: a count-only
// histogram, as the list needs no sources or tone. An event that cannot be
// counted is listed with its Error; only a cancelled or timed-out request
// fails the list.
func (s *Server) buildEvents(c *gin.Context, evs []event.Event, now time.Time) (*eventsView, error) {
	v := &eventsView{Events: []eventSummary{}}
	for _, ev := range evs {
		loc, err := ev.Location()
		if err != nil {
			loc = time.UTC
		}
		if err := ev.CheckWindow(); err != nil {
			v.Events = append(v.Events, eventSummary{Event: ev, Location: loc, Error: err.Error()})
			continue
		}
		from, to := ev.Window(now)
		width := event.AutoWidth(to.Sub(from))
		q := ev.IndexQuery(from, to)
		q.Size, q.Histogram = -1, width
		res, err := s.a.Index.Search(c, q)
		if err != nil {
			if cerr := c.Request.Context().Err(); cerr != nil {
				return nil, err
			}
			if status, msg := statusOf(err); status < 500 {
				v.Events = append(v.Events, eventSummary{Event: ev, Location: loc, Error: msg})
				continue
			}
			s.log.Error("events list: counting an event failed", "event", ev.Slug, "err", err)
			v.Events = append(v.Events, eventSummary{Event: ev, Location: loc,
				Error: "its posts could not be counted; the log has the details"})
			continue
		}
		sum := eventSummary{Event: ev, Posts: res.Total, Bucket: width.String(), Location: loc}
		counts := make([]uint64, len(res.Histogram))
		for i, b := range res.Histogram {
			counts[i] = b.Count
			if b.Count > sum.Peak {
				sum.Peak, sum.PeakAt = b.Count, b.Start
			}
		}
		sum.Sparkline = chart.Sparkline(counts, 160, 32)
		v.Events = append(v.Events, sum)
	}
	return v, nil
}

func (s *Server) eventsPage(c *gin.Context) {
	v, err := s.events(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "events", v)
}

func (s *Server) eventsAPI(c *gin.Context) {
	v, err := s.events(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// eventView is the event page: the timeline with its chart, and the top
// posts of the selected range (a bar's bucket, or the whole window).
type eventView struct {
	Event     event.Event     `json:"-"`
	Timeline  *event.Timeline `json:"timeline"`
	Chart     []byte          `json:"-"`
	Lag       string          `json:"lag,omitempty"`
	RangeFrom time.Time       `json:"range_from"`
	RangeTo   time.Time       `json:"range_to"`
	Selected  bool            `json:"selected"` // a range narrower than the window was asked for
	Top       []postView      `json:"top_posts"`
	TopTotal  uint64          `json:"range_posts"`
	SearchURL string          `json:"-"`
	Location  *time.Location  `json:"-"`
	Share     bool            `json:"-"`
	Method    string          `json:"-"`
}

// PageTitle implements titled.
func (v *eventView) PageTitle() string { return v.Event.Name }

func (s *Server) eventData(c *gin.Context) (*eventView, error) {
	ev, err := s.a.Store.Event(c, c.Param("slug"))
	if err != nil {
		return nil, err
	}
	if err := ev.CheckWindow(); err != nil {
		return nil, badRequest("event %s: %v: edit the event", ev.Slug, err)
	}
	var width time.Duration
	if b := c.Query("bucket"); b != "" {
		if width, err = time.ParseDuration(b); err != nil || width < time.Minute {
			return nil, badRequest("bucket must be a duration of at least 1m, like 5m or 1h")
		}
	}
	if tz := c.Query("tz"); tz != "" {
		if _, err := zoneOf(tz); err != nil {
			return nil, err
		}
		ev.TZ = tz
	}
	now := s.cfg.Now()
	seq, err := s.a.Index.LastSeq()
	if err != nil {
		return nil, err
	}
	statusN, err := s.a.Store.StatusUpdateCount(c)
	if err != nil {
		return nil, err
	}
	key := pageKey{slug: ev.Slug, tz: ev.TZ, width: width, updated: ev.Updated, seq: seq, status: statusN,
		query: c.Query("from") + "\x00" + c.Query("to") + "\x00" + c.Query("bucket")}
	if ev.To.IsZero() {
		key.minute = now.Unix() / 60
	}
	// Built for every request that waits on it: not bound to this request.
	ctx := context.WithoutCancel(c.Request.Context())
	v, err := s.eventPages.get(c, key, now, func() (*eventView, error) {
		return s.buildEventView(ctx, ev, width, now, c.Query("from"), c.Query("to"), c.Query("bucket"))
	})
	if err != nil {
		return nil, err
	}
	// The cached view is shared: callers that change it get a copy.
	cp := *v
	return &cp, nil
}

// buildEventView computes the event page: timeline, chart, top posts of the
// selected range.
func (s *Server) buildEventView(ctx context.Context, ev event.Event, width time.Duration, now time.Time, from, to, bucket string) (*eventView, error) {
	tl, err := event.Build(ctx, ev, s.a.Index, s.a.Store, event.Options{Width: width, Now: now})
	if err != nil {
		return nil, err
	}
	loc := tl.Location
	v := &eventView{Event: ev, Timeline: tl, Location: loc, RangeFrom: tl.From, RangeTo: tl.To}
	if tl.Lag != nil {
		v.Lag = tl.Lag.Sentence(loc)
	}
	if f, t := from, to; f != "" || t != "" {
		if v.RangeFrom, err = parseFormTime(f, loc); err != nil {
			return nil, badRequest("from: %v", err)
		}
		if v.RangeTo, err = parseFormTime(t, loc); err != nil {
			return nil, badRequest("to: %v", err)
		}
		if v.RangeFrom.IsZero() || v.RangeFrom.Before(tl.From) {
			v.RangeFrom = tl.From
		}
		if v.RangeTo.IsZero() || v.RangeTo.After(tl.To) {
			v.RangeTo = tl.To
		}
		v.Selected = true
	}
	q := ev.Narrow(index.Query{From: v.RangeFrom, To: v.RangeTo, Sort: index.Engagement, Size: 10}, now)
	res, err := s.a.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	v.TopTotal = res.Total
	terms := queryTerms(ev.Query)
	for _, p := range res.Posts {
		v.Top = append(v.Top, newPostView(p, terms))
	}
	slug := ev.Slug
	v.SearchURL = "/search?" + url.Values{"event": {slug}, "from": {v.RangeFrom.In(loc).Format(formTimeLayout)},
		"to": {v.RangeTo.In(loc).Format(formTimeLayout)}, "sort": {"newest"}, "tz": {loc.String()}}.Encode()
	v.Chart = chart.Timeline(tl, chart.TimelineOptions{Href: func(b index.TimelineBucket, from, to time.Time) string {
		if b.Count == 0 {
			return ""
		}
		return "/events/" + url.PathEscape(slug) + "?" + url.Values{
			"from": {from.In(loc).Format(formTimeLayout)}, "to": {to.In(loc).Format(formTimeLayout)},
			"tz": {loc.String()}, "bucket": {bucket}}.Encode() + "#posts"
	}})
	return v, nil
}

// checkFormTime returns t in UTC, and an error when it lies outside the
// years the index holds (event.TimeRange): parseFormTime's last step.
func checkFormTime(t time.Time) (time.Time, error) {
	return t.UTC(), event.CheckTime("", t)
}

func (s *Server) eventPage(c *gin.Context) {
	v, err := s.eventData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "event", v)
}

func (s *Server) eventShare(c *gin.Context) {
	v, err := s.eventData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Share = true
	v.Method = eventMethod(v)
	s.render(c, http.StatusOK, "share_event", v)
}

func (s *Server) eventAPI(c *gin.Context) {
	v, err := s.eventData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// eventChart serves the timeline chart as an SVG file.
func (s *Server) eventChart(c *gin.Context) {
	v, err := s.eventData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+v.Event.Slug+`-timeline.svg"`)
	c.Data(http.StatusOK, "image/svg+xml", v.Chart)
}

// eventCSV serves the timeline's numbers, one row per bucket.
func (s *Server) eventCSV(c *gin.Context) {
	v, err := s.eventData(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+v.Event.Slug+`-timeline.csv"`)
	c.Status(http.StatusOK)
	if err := v.Timeline.WriteCSV(c.Writer); err != nil {
		s.log.Warn("timeline csv", "err", err)
	}
}

func eventMethod(v *eventView) string {
	e := v.Event
	q := e.Query
	if q == "" {
		q = "(every post)"
	}
	return "Posts in the Aftershock archive matching " + q + " from " + v.Timeline.From.UTC().Format(time.RFC3339) +
		" to " + v.Timeline.To.UTC().Format(time.RFC3339) + ", counted in buckets of " + v.Timeline.Width.String() +
		". Spikes: a robust median/MAD baseline of the same query's earlier volume (the same hour of the week where weeks of history exist). " +
		"Sentiment: Aftershock's own models, scored once at import; a machine's estimate. Status updates: as the status feeds published them."
}

// eventForm is the create/edit form, refilled after an error.
type eventForm struct {
	Edit                                           bool
	Slug, Name, Description, Query, Sources, Langs string
	From, To, TZ, Services, Feeds, Collect         string
	Error, Caret                                   string
}

// PageTitle implements titled.
func (f eventForm) PageTitle() string {
	if f.Edit {
		return "Edit " + f.Slug
	}
	return "New event"
}

func formOf(ev event.Event) eventForm {
	loc, _ := ev.Location()
	if loc == nil {
		loc = time.UTC
	}
	f := eventForm{Slug: ev.Slug, Name: ev.Name, Description: ev.Description, Query: ev.Query,
		Sources: strings.Join(ev.Sources, ","), Langs: strings.Join(ev.Langs, ","), TZ: ev.TZ,
		Services: strings.Join(ev.Services, ", "), Feeds: strings.Join(ev.StatusFeeds, "\n"), Collect: strings.Join(ev.Collect, ", ")}
	if !ev.From.IsZero() {
		f.From = ev.From.In(loc).Format(formTimeLayout)
	}
	if !ev.To.IsZero() {
		f.To = ev.To.In(loc).Format(formTimeLayout)
	}
	return f
}

func (s *Server) newEventPage(c *gin.Context) {
	s.render(c, http.StatusOK, "event_form", formOf(event.Event{From: s.cfg.Now().UTC().Truncate(time.Minute)}))
}

func (s *Server) editEventPage(c *gin.Context) {
	ev, err := s.a.Store.Event(c, c.Param("slug"))
	if err != nil {
		s.fail(c, err)
		return
	}
	f := formOf(ev)
	f.Edit = true
	s.render(c, http.StatusOK, "event_form", f)
}

// saveEvent creates (slug "") or updates an event from the form.
func (s *Server) saveEvent(c *gin.Context) {
	edit := c.Param("slug") != ""
	f := eventForm{Edit: edit, Slug: c.PostForm("slug"), Name: c.PostForm("name"), Description: c.PostForm("description"),
		Query: c.PostForm("query"), Sources: c.PostForm("sources"), Langs: c.PostForm("langs"), From: c.PostForm("from"),
		To: c.PostForm("to"), TZ: c.PostForm("tz"), Services: c.PostForm("services"), Feeds: c.PostForm("feeds"),
		Collect: c.PostForm("collect")}
	if edit {
		f.Slug = c.Param("slug")
	}
	ev, err := s.eventFromForm(f)
	if err == nil {
		if edit {
			var old event.Event
			if old, err = s.a.Store.Event(c, f.Slug); err == nil {
				ev.Created = old.Created
				err = s.a.Store.UpdateEvent(c, ev)
			}
		} else {
			err = s.a.Store.CreateEvent(c, ev)
		}
	}
	if err != nil {
		status, msg := statusOf(err)
		if status >= 500 || errors.Is(err, event.ErrNotFound) {
			s.fail(c, err)
			return
		}
		f.Error = msg
		var se *index.SyntaxError
		if errors.As(err, &se) {
			f.Caret = se.Caret()
		}
		s.render(c, status, "event_form", f)
		return
	}
	c.Redirect(http.StatusSeeOther, "/events/"+url.PathEscape(ev.Slug))
}

func (s *Server) eventFromForm(f eventForm) (event.Event, error) {
	ev := event.Event{Slug: strings.TrimSpace(f.Slug), Name: f.Name, Description: f.Description, Query: f.Query,
		Sources: splitList(f.Sources), Langs: splitList(f.Langs), TZ: strings.TrimSpace(f.TZ),
		Services: splitList(f.Services), StatusFeeds: strings.Fields(f.Feeds), Collect: splitList(f.Collect)}
	loc, err := zoneOf(ev.TZ)
	if err != nil {
		return ev, err
	}
	if ev.From, err = parseFormTime(f.From, loc); err != nil {
		return ev, badRequest("start: %v", err)
	}
	if ev.To, err = parseFormTime(f.To, loc); err != nil {
		return ev, badRequest("end: %v", err)
	}
	return ev, ev.Validate()
}

func (s *Server) deleteEvent(c *gin.Context) {
	if err := s.a.Store.DeleteEvent(c, c.Param("slug")); err != nil {
		s.fail(c, err)
		return
	}
	if isAPI(c) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/events")
}

// createEventAPI takes an event as JSON (the fields of event.Event).
func (s *Server) createEventAPI(c *gin.Context) {
	var ev event.Event
	if err := c.ShouldBindJSON(&ev); err != nil {
		s.fail(c, badRequest("event JSON: %v", err))
		return
	}
	if c.Param("slug") != "" {
		ev.Slug = c.Param("slug")
	}
	err := ev.Validate()
	if err == nil {
		if c.Request.Method == http.MethodPut {
			err = s.a.Store.UpdateEvent(c, ev)
		} else {
			err = s.a.Store.CreateEvent(c, ev)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	saved, err := s.a.Store.Event(c, ev.Slug)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if c.Request.Method == http.MethodPut {
		status = http.StatusOK
	}
	c.JSON(status, saved)
}
