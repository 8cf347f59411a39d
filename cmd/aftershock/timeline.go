package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/store"
)

func runTimeline(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "timeline", "SLUG [--bucket 5m] [--csv|--json] [--top N]")
	bucket := fs.Duration("bucket", 0, "bucket width (1m, 5m, 1h, 24h; default: chosen for 100–300 buckets)")
	asCSV := fs.Bool("csv", false, "one CSV row per bucket (for Datawrapper, Flourish, a spreadsheet)")
	asJSON := fs.Bool("json", false, "the whole timeline as JSON")
	top := fs.Int("top", 0, "list the N most engaging posts of each bucket")
	tz := fs.String("tz", "", "show times in this zone instead of the event's (Europe/Berlin)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: timeline takes one event SLUG ('aftershock event list' shows them)", errUsage)
	}
	if *asCSV && *asJSON {
		return fmt.Errorf("%w: --csv or --json, not both", errUsage)
	}
	if *bucket < 0 || (*bucket > 0 && *bucket < time.Second) {
		return fmt.Errorf("%w: --bucket must be at least 1s", errUsage)
	}
	if *top < 0 || *top > 100 {
		return fmt.Errorf("%w: --top takes 0 to 100", errUsage)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	ev, err := a.Store.Event(ctx, pos[0])
	if err != nil {
		return err
	}
	if *tz != "" {
		ev.TZ = *tz
		if _, err := ev.Location(); err != nil {
			return fmt.Errorf("%w: --tz: %v", errUsage, err)
		}
	}
	if err := catchUp(ctx, e, a); err != nil {
		return err
	}
	if a.Index == nil {
		return a.IndexErr
	}
	tl, err := event.Build(ctx, ev, a.Index, a.Store, event.Options{Width: *bucket, Top: *top})
	if err != nil {
		return err
	}
	var posts map[string]store.Stored
	if *top > 0 {
		if posts, err = topPosts(ctx, a.Store, tl); err != nil {
			return err
		}
	}
	switch {
	case *asCSV:
		return tl.WriteCSV(e.stdout)
	case *asJSON:
		return writeTimelineJSON(e.stdout, tl, posts)
	}
	printTimeline(e.stdout, tl, posts)
	return nil
}

// topPosts loads the top posts of every bucket.
func topPosts(ctx context.Context, st *store.Store, tl *event.Timeline) (map[string]store.Stored, error) {
	var ids []string
	for _, b := range tl.Buckets {
		ids = append(ids, b.Top...)
	}
	got, err := st.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.Stored, len(got))
	for _, p := range got {
		out[p.ID] = p
	}
	return out, nil
}

func writeTimelineJSON(w io.Writer, tl *event.Timeline, posts map[string]store.Stored) error {
	body, err := json.Marshal(tl)
	if err != nil {
		return err
	}
	if len(posts) == 0 {
		_, err = fmt.Fprintf(w, "%s\n", body)
		return err
	}
	// The top posts ride along as "posts", keyed by id.
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return err
	}
	type topPost struct {
		Author    string    `json:"author"`
		Name      string    `json:"author_name,omitempty"`
		Text      string    `json:"text"`
		URL       string    `json:"url,omitempty"`
		CreatedAt time.Time `json:"created_at"`
		Likes     int64     `json:"likes"`
		Reposts   int64     `json:"reposts"`
		Replies   int64     `json:"replies"`
		Deleted   bool      `json:"deleted,omitempty"`
	}
	tp := make(map[string]topPost, len(posts))
	for id, p := range posts {
		tp[id] = topPost{Author: p.Author.Handle, Name: p.Author.Name, Text: p.Text, URL: p.URL, CreatedAt: p.CreatedAt,
			Likes: p.Metrics.Likes, Reposts: p.Metrics.Reposts, Replies: p.Metrics.Replies, Deleted: p.Deleted()}
	}
	if m["posts"], err = json.Marshal(tp); err != nil {
		return err
	}
	return json.NewEncoder(w).Encode(m)
}

// printTimeline writes the readable table: a header, one line per bucket
// with a bar, the status updates between the rows, then spikes and lag.
func printTimeline(w io.Writer, tl *event.Timeline, posts map[string]store.Stored) {
	loc := tl.Location
	ev := tl.Event
	fmt.Fprintf(w, "%s (%s)\n", ev.Name, ev.Slug)
	if ev.Query != "" {
		fmt.Fprintf(w, "query: %s\n", ev.Query)
	}
	fmt.Fprintf(w, "%s, %s buckets, %s posts", describeWindow(event.Event{From: tl.From, To: tl.To, TZ: ev.TZ}),
		shortDuration(tl.Width), thousands(int64(tl.Total)))
	if ev.To.IsZero() {
		fmt.Fprint(w, " (open-ended: up to now)")
	}
	fmt.Fprintln(w)
	if len(tl.Sources) > 0 {
		var parts []string
		for _, s := range tl.Sources {
			parts = append(parts, fmt.Sprintf("%s %s", s.Source, thousands(int64(s.Count))))
		}
		fmt.Fprintf(w, "sources: %s\n", strings.Join(parts, " · "))
	}
	fmt.Fprintln(w)

	var peak uint64
	for _, b := range tl.Buckets {
		peak = max(peak, b.Count)
	}
	const barWidth = 30
	localHead := loc.String()
	fmt.Fprintf(w, "%-16s  %-11s %7s  %5s %5s %5s  %6s  %s\n", "UTC", trimZone(localHead), "posts", "neg", "neu", "pos", "tone", "")
	next := 0 // next status update to print
	for _, b := range tl.Buckets {
		for next < len(tl.Updates) && tl.Updates[next].Time.Before(b.Start.Add(tl.Width)) {
			u := tl.Updates[next]
			fmt.Fprintf(w, "  ── status %s %s: %s — %s\n", zoned(u.Time, b.Start, loc), u.State, u.Incident, oneLine(u.Body, 70))
			next++
		}
		tone := "     ·"
		if b.Scored() > 0 {
			tone = fmt.Sprintf("%+6.2f", b.MeanScore())
		}
		bar := ""
		if peak > 0 && b.Count > 0 {
			bar = strings.Repeat("█", max(1, int(b.Count*barWidth/peak)))
		}
		mark := ""
		if b.InSpike {
			mark = " ▲ spike"
		}
		fmt.Fprintf(w, "%-16s  %-11s %7s  %5d %5d %5d  %s  %s%s\n", b.Start.UTC().Format("2006-01-02 15:04"),
			b.Start.In(loc).Format("01-02 15:04"), thousands(int64(b.Count)), b.Negative, b.Neutral, b.Positive, tone, bar, mark)
		for _, id := range b.Top {
			p, ok := posts[id]
			if !ok {
				continue
			}
			n := p.Metrics.Likes + p.Metrics.Reposts + p.Metrics.Replies + p.Metrics.Quotes
			fmt.Fprintf(w, "      %s @%s (%d): %s\n", event.Clock(p.CreatedAt, b.Start, loc), p.Author.Handle, n, oneLine(p.Text, 90))
		}
	}
	for ; next < len(tl.Updates); next++ {
		u := tl.Updates[next]
		fmt.Fprintf(w, "  ── status %s %s: %s — %s\n", u.Time.In(loc).Format("01-02 15:04 MST"), u.State, u.Incident, oneLine(u.Body, 70))
	}

	fmt.Fprintln(w)
	if len(tl.Spikes) == 0 {
		fmt.Fprintln(w, "spikes: none")
	}
	for i, s := range tl.Spikes {
		base := "trailing baseline"
		if s.Seasonal {
			base = "same hour of the week"
		}
		fmt.Fprintf(w, "spike %d: %s – %s, peak %s with %.0f posts, %.1f× the %s (%.1f per bucket)\n", i+1,
			s.Start.In(loc).Format("01-02 15:04"), zoned(s.End.Add(tl.Width), s.Start, loc),
			event.Clock(s.Peak, s.Start, loc), s.PeakCount, s.Factor, base, s.Baseline)
	}
	if tl.Lag != nil {
		fmt.Fprintln(w, tl.Lag.Sentence(loc))
	} else if len(ev.Services) == 0 && len(ev.StatusFeeds) == 0 {
		fmt.Fprintln(w, "no status updates: give the event --service or --status-feed to compare with the official account")
	} else if len(tl.Updates) == 0 {
		fmt.Fprintln(w, "no status updates in the window ('aftershock status import FEED' reads a status feed)")
	}
}

// zoned writes t in loc as event.Clock does (with its date when it falls on
// another day than ref), followed by the zone's abbreviation.
func zoned(t, ref time.Time, loc *time.Location) string {
	return event.Clock(t, ref, loc) + " " + t.In(loc).Format("MST")
}

// trimZone shortens "America/Los_Angeles" to "Los_Angeles" for a column head.
func trimZone(z string) string {
	if i := strings.LastIndex(z, "/"); i >= 0 {
		return z[i+1:]
	}
	return z
}

// shortDuration writes 5m0s as "5m", 1h0m0s as "1h".
func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
