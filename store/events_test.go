package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
)

func TestEvents(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	from := time.Date(2017, 2, 28, 16, 0, 0, 0, time.UTC)
	ev := event.Event{Slug: "s3-2017", Name: "AWS S3 outage", Query: `aws OR s3`, From: from, To: from.Add(12 * time.Hour),
		TZ: "America/Los_Angeles", Sources: []string{"twitter"}, Services: []string{"AWS", "S3"}, StatusFeeds: []string{"aws.rss"}}
	if err := s.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEvent(ctx, ev); !errors.Is(err, event.ErrExists) {
		t.Errorf("second create: %v", err)
	}
	got, err := s.Event(ctx, "s3-2017")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != ev.Name || got.Query != ev.Query || !got.From.Equal(from) || !got.To.Equal(ev.To) || got.TZ != ev.TZ ||
		len(got.Sources) != 1 || len(got.Services) != 2 || got.StatusFeeds[0] != "aws.rss" || got.Langs != nil || got.Created.IsZero() {
		t.Errorf("read back %+v", got)
	}
	got.To = time.Time{} // open-ended
	got.Name = "S3"
	if err := s.UpdateEvent(ctx, got); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateEvent(ctx, event.Event{Slug: "older", Name: "x", From: from.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Slug != "s3-2017" || !all[0].To.IsZero() || all[0].Name != "S3" {
		t.Errorf("list %+v", all)
	}
	if err := s.DeleteEvent(ctx, "older"); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		s.DeleteEvent(ctx, "older"),
		s.UpdateEvent(ctx, event.Event{Slug: "nope", From: from}),
		func() error { _, err := s.Event(ctx, "older"); return err }(),
	} {
		if !errors.Is(err, event.ErrNotFound) {
			t.Errorf("missing event: %v", err)
		}
	}
}

func TestStatusIncidents(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	at := func(h, m int) time.Time { return time.Date(2017, 2, 28, h, m, 0, 0, time.UTC) }
	inc := status.Incident{Key: "aws/s3", Page: "AWS", Name: "S3 errors", Components: []string{"S3"},
		Updates: []status.Update{{ID: "1", Time: at(17, 51), State: status.Investigating, Body: "looking"}}}
	n, u, err := s.SaveIncidents(ctx, "aws.rss", []status.Incident{inc})
	if err != nil || n != 1 || u != 1 {
		t.Fatalf("first read: %d %d %v", n, u, err)
	}
	// The feed rewrites the entry in place: one more update, resolved.
	inc.Updates = append(inc.Updates, status.Update{ID: "2", Time: at(21, 54), State: status.Resolved, Body: "fixed"})
	inc.Resolved = at(21, 54)
	if n, u, err = s.SaveIncidents(ctx, "aws.rss", []status.Incident{inc}); err != nil || n != 0 || u != 1 {
		t.Fatalf("second read: %d %d %v", n, u, err)
	}
	// Reading it again changes nothing.
	if n, u, err = s.SaveIncidents(ctx, "aws.rss", []status.Incident{inc}); err != nil || n != 0 || u != 0 {
		t.Fatalf("third read: %d %d %v", n, u, err)
	}
	for _, c := range []struct {
		from, to time.Time
		want     int
	}{
		{at(16, 0), at(23, 0), 1},
		{at(21, 0), at(21, 30), 1}, // inside the incident
		{at(22, 0), at(23, 0), 0},  // after resolution
		{at(10, 0), at(17, 51), 0}, // ends as it begins
	} {
		got, err := s.StatusIncidents(ctx, c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != c.want {
			t.Errorf("%v–%v: %d incidents, want %d", c.from, c.to, len(got), c.want)
		}
	}
	got, _ := s.StatusIncidents(ctx, at(16, 0), at(23, 0))
	in := got[0]
	if in.Origin != "aws.rss" || in.Name != "S3 errors" || len(in.Updates) != 2 || in.Updates[1].State != status.Resolved ||
		!in.Created.Equal(at(17, 51)) || len(in.Components) != 1 {
		t.Errorf("read back %+v", in)
	}
	if r, ok := in.ResolvedAt(); !ok || !r.Equal(at(21, 54)) {
		t.Errorf("resolved %v %v", r, ok)
	}
}

// The same incident read from a page's JSON and from its Atom feed keeps
// each update once, with the JSON's exact time, whichever is read first.
func TestStatusJSONAndFeed(t *testing.T) {
	at := time.Date(2026, 8, 20, 14, 43, 0, 0, time.UTC)
	fromFeed := status.Incident{Key: "www.githubstatus.com/abc", Name: "x", Updates: []status.Update{
		{Time: at, State: status.Investigating}, {Time: at.Add(time.Hour), State: status.Resolved}}}
	for i := range fromFeed.Updates {
		u := &fromFeed.Updates[i]
		u.ID = u.Time.Format("20060102T150405Z") + "-" + string(u.State)
	}
	fromJSON := status.Incident{Key: "www.githubstatus.com/abc", Name: "x", Updates: []status.Update{
		{ID: "u1", Time: at.Add(17 * time.Second), State: status.Investigating},
		{ID: "u2", Time: at.Add(time.Hour + 3*time.Second), State: status.Resolved}}}
	for _, order := range [][]status.Incident{{fromFeed, fromJSON}, {fromJSON, fromFeed}} {
		s := openTest(t)
		ctx := context.Background()
		for _, in := range order {
			if _, _, err := s.SaveIncidents(ctx, "f", []status.Incident{in}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.StatusIncidents(ctx, at.Add(-time.Hour), at.Add(2*time.Hour))
		if err != nil || len(got) != 1 {
			t.Fatalf("%v %v", got, err)
		}
		if u := got[0].Updates; len(u) != 2 || u[0].ID != "u1" || u[1].ID != "u2" || !u[0].Time.Equal(at.Add(17*time.Second)) {
			t.Errorf("updates %+v", u)
		}
	}
}
