package event

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/event/spike"
)

// UpdatesIn returns the status updates in [start, start+Width).
func (tl *Timeline) UpdatesIn(start time.Time) []Marker {
	var out []Marker
	end := start.Add(tl.Width)
	for _, m := range tl.Updates {
		if !m.Time.Before(start) && m.Time.Before(end) {
			out = append(out, m)
		}
	}
	return out
}

// gapsIn names the collectors that were not collecting during the bucket.
func (tl *Timeline) gapsIn(start time.Time) []string {
	var out []string
	end := start.Add(tl.Width)
	for _, g := range tl.Gaps {
		if g.From.Before(end) && g.To.After(start) {
			out = append(out, g.Source+" "+g.State)
		}
	}
	return out
}

// Clock writes t in loc as a timeline's texts give a time after the one they
// start with (ref): "15:04" when t falls on the same day as ref in loc,
// "01-02 15:04" on another day of the same year, "2006-01-02 15:04" in
// another year. A nil loc is UTC.
func Clock(t, ref time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t, ref = t.In(loc), ref.In(loc)
	ty, tm, td := t.Date()
	ry, rm, rd := ref.Date()
	switch {
	case ty != ry:
		return t.Format("2006-01-02 15:04")
	case tm != rm || td != rd:
		return t.Format("01-02 15:04")
	}
	return t.Format("15:04")
}

// WriteCSV writes one row per bucket, ready for Datawrapper or Flourish:
// the bucket's start in UTC and in the event's zone, the post count in
// total and per source, the counts per sentiment label and the mean score,
// whether the bucket lies in a spike, the status updates made during it,
// and the ids of its top posts when they were asked for. Every time is
// full RFC 3339: the UTC column ends in Z, the local column and the status
// updates carry the zone's offset.
func (tl *Timeline) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	zone := "UTC"
	if tl.Location != nil {
		zone = tl.Location.String()
	}
	head := []string{"bucket_start_utc", "bucket_start_local (" + zone + ")", "posts"}
	for _, s := range tl.Sources {
		head = append(head, "posts_"+s.Source)
	}
	head = append(head, "negative", "neutral", "positive", "mean_sentiment", "in_spike", "status_updates", "top_post_ids", "collector_gaps")
	if err := cw.Write(head); err != nil {
		return err
	}
	loc := tl.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, b := range tl.Buckets {
		row := []string{
			b.Start.UTC().Format("2006-01-02T15:04:05Z"),
			b.Start.In(loc).Format(time.RFC3339),
			strconv.FormatUint(b.Count, 10),
		}
		for _, s := range tl.Sources {
			row = append(row, strconv.FormatUint(b.Sources[s.Source], 10))
		}
		mean := ""
		if b.Scored() > 0 {
			mean = strconv.FormatFloat(b.MeanScore(), 'f', 3, 64)
		}
		inSpike := "0"
		if b.InSpike {
			inSpike = "1"
		}
		var notes []string
		for _, m := range tl.UpdatesIn(b.Start) {
			notes = append(notes, fmt.Sprintf("%s %s: %s", m.Time.In(loc).Format(time.RFC3339), m.State, m.Incident))
		}
		row = append(row,
			strconv.FormatUint(b.Negative, 10), strconv.FormatUint(b.Neutral, 10), strconv.FormatUint(b.Positive, 10),
			mean, inSpike, strings.Join(notes, "; "), strings.Join(b.Top, " "), strings.Join(tl.gapsIn(b.Start), "; "))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MarshalJSON writes the timeline with durations in seconds and the zone by
// name.
func (tl *Timeline) MarshalJSON() ([]byte, error) {
	type bucket struct {
		Start     time.Time         `json:"start"`
		Posts     uint64            `json:"posts"`
		Sources   map[string]uint64 `json:"sources,omitempty"`
		Negative  uint64            `json:"negative"`
		Neutral   uint64            `json:"neutral"`
		Positive  uint64            `json:"positive"`
		MeanScore *float64          `json:"mean_sentiment,omitempty"`
		InSpike   bool              `json:"in_spike,omitempty"`
		Top       []string          `json:"top_post_ids,omitempty"`
	}
	type lagJSON struct {
		Signal           time.Time  `json:"first_signal"`
		SignalKind       string     `json:"first_signal_kind"`
		Acknowledged     time.Time  `json:"first_update"`
		Resolved         *time.Time `json:"resolved,omitempty"`
		ToAckSeconds     float64    `json:"to_first_update_seconds"`
		ToResolveSeconds *float64   `json:"to_resolution_seconds,omitempty"`
		Sentence         string     `json:"sentence"`
	}
	loc := tl.Location
	if loc == nil {
		loc = time.UTC
	}
	out := struct {
		Slug      string        `json:"event"`
		Name      string        `json:"name"`
		Query     string        `json:"query"`
		Zone      string        `json:"time_zone"`
		From      time.Time     `json:"from"`
		To        time.Time     `json:"to"`
		Open      bool          `json:"open_ended,omitempty"`
		Width     float64       `json:"bucket_seconds"`
		Total     uint64        `json:"posts"`
		Sources   []SourceCount `json:"sources"`
		Buckets   []bucket      `json:"buckets"`
		Spikes    []spikeJSON   `json:"spikes"`
		Incidents []Incident    `json:"incidents"`
		Updates   []Marker      `json:"status_updates"`
		Lag       *lagJSON      `json:"lag,omitempty"`
		Gaps      []Gap         `json:"collector_gaps"`
	}{
		Slug: tl.Event.Slug, Name: tl.Event.Name, Query: tl.Event.Query, Zone: loc.String(),
		From: tl.From, To: tl.To, Open: tl.Event.To.IsZero(), Width: tl.Width.Seconds(), Total: tl.Total,
		Sources: nonNilSlice(tl.Sources), Buckets: make([]bucket, len(tl.Buckets)), Spikes: []spikeJSON{},
		Incidents: nonNilSlice(tl.Incidents), Updates: nonNilSlice(tl.Updates), Gaps: nonNilSlice(tl.Gaps),
	}
	for i, b := range tl.Buckets {
		jb := bucket{Start: b.Start, Posts: b.Count, Negative: b.Negative, Neutral: b.Neutral, Positive: b.Positive,
			InSpike: b.InSpike, Top: b.Top}
		if len(b.Sources) > 0 {
			jb.Sources = b.Sources
		}
		if b.Scored() > 0 {
			m := b.MeanScore()
			jb.MeanScore = &m
		}
		out.Buckets[i] = jb
	}
	for _, s := range tl.Spikes {
		out.Spikes = append(out.Spikes, spikeOut(s))
	}
	if l := tl.Lag; l != nil {
		jl := &lagJSON{Signal: l.Signal, SignalKind: l.SignalKind, Acknowledged: l.Acknowledged,
			ToAckSeconds: l.ToAck.Seconds(), Sentence: l.Sentence(loc)}
		if !l.Resolved.IsZero() {
			r, s := l.Resolved, l.ToResolve.Seconds()
			jl.Resolved, jl.ToResolveSeconds = &r, &s
		}
		out.Lag = jl
	}
	return json.Marshal(out)
}

// spikeJSON is a spike as the JSON output writes it.
type spikeJSON struct {
	Start     time.Time `json:"start"`
	Detected  time.Time `json:"detected"`
	Peak      time.Time `json:"peak"`
	End       time.Time `json:"end"`
	PeakPosts float64   `json:"peak_posts"`
	Baseline  float64   `json:"baseline"`
	Factor    float64   `json:"factor"`
	Seasonal  bool      `json:"seasonal_baseline"`
	Ongoing   bool      `json:"ongoing,omitempty"`
}

func spikeOut(s spike.Spike) spikeJSON {
	return spikeJSON{s.Start, s.Detected, s.Peak, s.End, s.PeakCount, s.Baseline, s.Factor, s.Seasonal, s.Ongoing}
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
