package event

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
)

type fakeIncidents []Incident

func (f fakeIncidents) StatusIncidents(ctx context.Context, from, to time.Time) ([]Incident, error) {
	var out []Incident
	for _, in := range f {
		r, ok := in.ResolvedAt()
		if in.Created.Before(to) && (!ok || !r.Before(from)) {
			out = append(out, in)
		}
	}
	return out, nil
}

// outageIndex holds a quiet day of posts about S3 with a burst of
// complaints from 17:37 to 18:10 UTC, and unrelated chatter.
func outageIndex(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	day := time.Date(2017, 2, 28, 0, 0, 0, 0, time.UTC)
	var docs []index.Doc
	n := 0
	add := func(src, text string, at time.Time, label string, score float64, likes int64) {
		n++
		p := post.Post{ID: fmt.Sprintf("%s:%d", src, n), Source: src, NativeID: fmt.Sprint(n), Text: text, Lang: "en",
			CreatedAt: at, Author: post.Author{Handle: fmt.Sprintf("u%d", n)}, Metrics: post.Metrics{Likes: likes}}
		if label != "" {
			p.Sentiment = post.Sentiment{Label: label, Score: score, Confidence: 0.8, Model: "test"}
		}
		docs = append(docs, index.Doc{Post: p})
	}
	// A trickle: one post every 20 minutes all day, neutral.
	for m := 0; m < 24*60; m += 20 {
		add("twitter", "using s3 for backups", day.Add(time.Duration(m)*time.Minute), "neutral", 0, 0)
		add("mastodon", "coffee time", day.Add(time.Duration(m)*time.Minute), "positive", 0.5, 0)
	}
	// The outage: 8 posts a minute, mostly negative, from 17:37 to 18:10.
	for m := 17*60 + 37; m < 18*60+10; m++ {
		for k := 0; k < 8; k++ {
			src := "twitter"
			if k%4 == 0 {
				src = "mastodon"
			}
			add(src, "s3 is down, everything broken", day.Add(time.Duration(m)*time.Minute+time.Duration(k)*time.Second), "negative", -0.7, int64(k))
		}
	}
	if err := ix.Apply(docs, nil, 1); err != nil {
		t.Fatal(err)
	}
	return ix
}

func s3Incident() Incident {
	at := func(h, m int) time.Time { return time.Date(2017, 2, 28, h, m, 0, 0, time.UTC) }
	return Incident{Origin: "aws.rss", Incident: status.Incident{Key: "aws/s3-1", Page: "AWS", Name: "Increased Error Rates (S3)",
		Created: at(17, 51), Resolved: at(21, 54), Updates: []status.Update{
			{ID: "1", Time: at(17, 51), State: status.Investigating, Body: "We are investigating increased error rates for Amazon S3 requests in US-EAST-1."},
			{ID: "2", Time: at(18, 35), State: status.Identified, Body: "We have identified the root cause."},
			{ID: "3", Time: at(21, 54), State: status.Resolved, Body: "As of 1:54 PM PST, S3 is operating normally."},
		}}}
}

func TestBuild(t *testing.T) {
	ix := outageIndex(t)
	from := time.Date(2017, 2, 28, 16, 0, 0, 0, time.UTC)
	ev := Event{Slug: "s3-2017", Name: "AWS S3 outage", Query: "s3", From: from, To: from.Add(12 * time.Hour),
		TZ: "America/Los_Angeles", Services: []string{"S3"}}
	if err := ev.Validate(); err != nil {
		t.Fatal(err)
	}
	incs := fakeIncidents{s3Incident(), {Origin: "gh.atom", Incident: status.Incident{Key: "gh/1", Page: "GitHub", Name: "Degraded Actions",
		Created: from.Add(time.Hour), Updates: []status.Update{{ID: "a", Time: from.Add(time.Hour), State: status.Investigating}}}}}
	tl, err := Build(context.Background(), ev, ix, incs, Options{Top: 2})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Width != 5*time.Minute || len(tl.Buckets) != 144 {
		t.Fatalf("width %v, %d buckets", tl.Width, len(tl.Buckets))
	}
	// 24 trickle posts in the window (16:00–23:40), 33 minutes × 8 outage posts.
	if want := uint64(24 + 33*8); tl.Total != want {
		t.Errorf("total %d, want %d", tl.Total, want)
	}
	if len(tl.Sources) != 2 || tl.Sources[0].Source != "twitter" {
		t.Errorf("sources %v", tl.Sources)
	}
	if len(tl.Spikes) != 1 {
		t.Fatalf("spikes %+v", tl.Spikes)
	}
	sp := tl.Spikes[0]
	if !sp.Start.Equal(time.Date(2017, 2, 28, 17, 35, 0, 0, time.UTC)) {
		t.Errorf("spike starts %v, want the 17:35 bucket", sp.Start)
	}
	if sp.End.Before(time.Date(2017, 2, 28, 18, 5, 0, 0, time.UTC)) || sp.End.After(time.Date(2017, 2, 28, 18, 30, 0, 0, time.UTC)) {
		t.Errorf("spike ends %v", sp.End)
	}
	// Only the S3 incident is attached; its updates are on the axis.
	if len(tl.Incidents) != 1 || len(tl.Updates) != 3 || tl.Updates[0].State != status.Investigating {
		t.Fatalf("incidents %v updates %v", tl.Incidents, tl.Updates)
	}
	l := tl.Lag
	if l == nil || l.SignalKind != "spike" || l.ToAck != 16*time.Minute || l.ToResolve != 4*time.Hour+19*time.Minute {
		t.Fatalf("lag %+v", l)
	}
	loc, _ := time.LoadLocation("America/Los_Angeles")
	want := "The public was 16 minutes ahead of the status page: the first spike of posts at 09:35 PST, first official update at 09:51 PST. Resolved at 13:54 PST, 4 hours 19 minutes after the first spike of posts."
	if got := l.Sentence(loc); got != want {
		t.Errorf("sentence\n got %s\nwant %s", got, want)
	}
	// Top posts of a spike bucket: the most liked first.
	b := tl.Buckets[(17*60+40-16*60)/5]
	if b.Count != 41 || len(b.Top) != 2 || b.Negative != 40 || b.Neutral != 1 || b.Sources["mastodon"] != 10 || !b.InSpike {
		t.Errorf("bucket 17:40: %+v", b)
	}
	if tl.Buckets[0].InSpike || tl.Buckets[0].Count != 1 {
		t.Errorf("bucket 16:00: %+v", tl.Buckets[0])
	}

	t.Run("csv", func(t *testing.T) {
		var buf bytes.Buffer
		if err := tl.WriteCSV(&buf); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 145 {
			t.Fatalf("%d rows", len(rows))
		}
		head := strings.Join(rows[0], ",")
		if head != "bucket_start_utc,bucket_start_local (America/Los_Angeles),posts,posts_twitter,posts_mastodon,negative,neutral,positive,mean_sentiment,in_spike,status_updates,top_post_ids,collector_gaps" {
			t.Errorf("head %s", head)
		}
		r := rows[1+(17*60+50-16*60)/5]
		if r[0] != "2017-02-28T17:50:00Z" || r[1] != "2017-02-28T09:50:00-08:00" || r[2] != "40" || r[9] != "1" ||
			r[10] != "2017-02-28T09:51:00-08:00 investigating: Increased Error Rates (S3)" || len(strings.Fields(r[11])) != 2 {
			t.Errorf("row 17:50: %q", r)
		}
	})
	t.Run("json", func(t *testing.T) {
		b, err := json.Marshal(tl)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Buckets []struct{ Posts uint64 }
			Spikes  []struct{ Factor float64 }
			Lag     struct {
				ToAck    float64 `json:"to_first_update_seconds"`
				Sentence string
			}
			Zone string `json:"time_zone"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Buckets) != 144 || len(got.Spikes) != 1 || got.Spikes[0].Factor < 5 || got.Lag.ToAck != 960 ||
			got.Zone != "America/Los_Angeles" || got.Lag.Sentence == "" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("no spike: lag from the first post", func(t *testing.T) {
		quiet := ev
		quiet.Query = "backups"
		tl, err := Build(context.Background(), quiet, ix, incs, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Spikes) != 0 || tl.Lag == nil || tl.Lag.SignalKind != "first post" || !tl.Lag.Signal.Equal(from) {
			t.Errorf("spikes %v lag %+v", tl.Spikes, tl.Lag)
		}
	})
	t.Run("history as baseline", func(t *testing.T) {
		// A window that starts inside the burst still sees it as a spike:
		// the hours before the window are its baseline.
		late := ev
		late.From, late.To = time.Date(2017, 2, 28, 17, 40, 0, 0, time.UTC), time.Date(2017, 2, 28, 19, 0, 0, 0, time.UTC)
		tl, err := Build(context.Background(), late, ix, nil, Options{Width: 5 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Spikes) != 1 || !tl.Buckets[0].InSpike {
			t.Errorf("spikes %+v", tl.Spikes)
		}
	})
}

// With one-minute buckets four weeks of history would be more buckets than
// the index counts at a time: the history is shortened instead.
func TestBuildFineBuckets(t *testing.T) {
	ix := outageIndex(t)
	from := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	ev := Event{Slug: "fine", Query: "s3", From: from, To: from.Add(2 * time.Hour)}
	tl, err := Build(context.Background(), ev, ix, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tl.Width != time.Minute || len(tl.Buckets) != 120 || len(tl.Spikes) == 0 {
		t.Errorf("width %v, %d buckets, %d spikes", tl.Width, len(tl.Buckets), len(tl.Spikes))
	}
}

type fakeGaps struct {
	fakeIncidents
	gaps []Gap
}

func (f fakeGaps) CollectorGaps(ctx context.Context, from, to time.Time) ([]Gap, error) {
	return f.gaps, nil
}

// A live event shows when its collectors were not collecting.
func TestBuildGaps(t *testing.T) {
	ix := outageIndex(t)
	from := time.Date(2017, 2, 28, 16, 0, 0, 0, time.UTC)
	gap := Gap{Source: "bluesky", State: "down", From: from.Add(30 * time.Minute), To: from.Add(42 * time.Minute)}
	ev := Event{Slug: "live", Query: "s3", From: from, To: from.Add(2 * time.Hour), Collect: []string{"bluesky"}}
	tl, err := Build(context.Background(), ev, ix, fakeGaps{gaps: []Gap{gap}}, Options{Width: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl.Gaps) != 1 {
		t.Fatalf("gaps %+v", tl.Gaps)
	}
	var buf bytes.Buffer
	tl.WriteCSV(&buf)
	rows, _ := csv.NewReader(&buf).ReadAll()
	last := len(rows[0]) - 1
	for i, r := range rows[1:] {
		want := ""
		if i >= 6 && i <= 8 { // 16:30, 16:35, 16:40
			want = "bluesky down"
		}
		if r[last] != want {
			t.Errorf("row %d (%s): gaps %q, want %q", i, r[0], r[last], want)
		}
	}
	// An event that does not collect live has no gaps to show.
	ev.Collect = nil
	if tl, _ := Build(context.Background(), ev, ix, fakeGaps{gaps: []Gap{gap}}, Options{}); len(tl.Gaps) != 0 {
		t.Errorf("gaps on an imported event: %+v", tl.Gaps)
	}
}

// A time after the first one a text names carries its date when it falls on
// another day in the zone of the output, and its year in another year.
func TestClock(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	ref := time.Date(2026, 2, 17, 22, 30, 0, 0, time.UTC) // 23:30 in Berlin
	for _, c := range []struct {
		t    time.Time
		loc  *time.Location
		want string
	}{
		{time.Date(2026, 2, 17, 23, 45, 0, 0, time.UTC), time.UTC, "23:45"},
		{time.Date(2026, 2, 17, 23, 45, 0, 0, time.UTC), berlin, "02-18 00:45"}, // midnight in Berlin, not in UTC
		{time.Date(2026, 2, 18, 0, 15, 0, 0, time.UTC), time.UTC, "02-18 00:15"},
		{time.Date(2026, 2, 18, 0, 15, 0, 0, time.UTC), nil, "02-18 00:15"},
		{time.Date(2026, 2, 17, 6, 0, 0, 0, time.UTC), berlin, "07:00"},
		{time.Date(2026, 2, 16, 23, 30, 0, 0, time.UTC), berlin, "00:30"}, // Feb 17 in Berlin, as ref is
		{time.Date(2026, 2, 16, 23, 30, 0, 0, time.UTC), time.UTC, "02-16 23:30"},
		{time.Date(2027, 1, 1, 0, 5, 0, 0, time.UTC), time.UTC, "2027-01-01 00:05"},
	} {
		if got := Clock(c.t, ref, c.loc); got != c.want {
			t.Errorf("Clock(%s, %s): %q, want %q", c.t.Format(time.RFC3339), c.loc, got, c.want)
		}
	}
}

// The lag sentence dates the update and the resolution that fall on the
// day after the first signal, in the zone it is written for.
func TestSentenceAcrossMidnight(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	signal := time.Date(2026, 2, 17, 22, 40, 0, 0, time.UTC)
	l := &Lag{Signal: signal, SignalKind: "spike", Acknowledged: signal.Add(35 * time.Minute), Resolved: signal.Add(8 * time.Hour),
		ToAck: 35 * time.Minute, ToResolve: 8 * time.Hour}
	for _, c := range []struct {
		loc  *time.Location
		want string
	}{
		{time.UTC, "The public was 35 minutes ahead of the status page: the first spike of posts at 22:40 UTC, first official update at 23:15 UTC. Resolved at 02-18 06:40 UTC, 8 hours after the first spike of posts."},
		{berlin, "The public was 35 minutes ahead of the status page: the first spike of posts at 23:40 CET, first official update at 02-18 00:15 CET. Resolved at 02-18 07:40 CET, 8 hours after the first spike of posts."},
	} {
		if got := l.Sentence(c.loc); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.loc, got, c.want)
		}
	}
	// The page spoke first, the evening before: the posts carry the date.
	early := &Lag{Signal: signal, SignalKind: "first post", Acknowledged: signal.Add(-2 * time.Hour), ToAck: -2 * time.Hour}
	want := "The status page spoke first, 2 hours before the first matching post (update at 21:40 CET, posts at 23:40 CET). Not resolved in the status feed."
	if got := early.Sentence(berlin); got != want {
		t.Errorf("page first:\n got %s\nwant %s", got, want)
	}
	early.Acknowledged, early.ToAck = signal.Add(-23*time.Hour), -23*time.Hour
	want = "The status page spoke first, 23 hours before the first matching post (update at 00:40 CET, posts at 23:40 CET). Not resolved in the status feed."
	if got := early.Sentence(berlin); got != want {
		t.Errorf("page first, same Berlin day:\n got %s\nwant %s", got, want)
	}
	early.Acknowledged, early.ToAck = signal.Add(-25*time.Hour), -25*time.Hour
	want = "The status page spoke first, 1 day 1 hour before the first matching post (update at 22:40 CET, posts at 02-17 23:40 CET). Not resolved in the status feed."
	if got := early.Sentence(berlin); got != want {
		t.Errorf("page first, day before:\n got %s\nwant %s", got, want)
	}
}
