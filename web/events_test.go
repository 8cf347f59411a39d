package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/event"
)

// TestEventTimesOutOfRange: an event dated outside the years the index
// holds (1677-09-21 to 2262-04-11) made /, /events and /api/v1/events
// answer 500 for everyone, and from=0000-01-01 in a search gave 500 (issue
// 16, item 4). Such times are now refused with a 400 wherever they come in,
// and an event stored before the check is listed with its error while the
// other events keep their counts.
func TestEventTimesOutOfRange(t *testing.T) {
	a := testArchive(t)
	ctx := context.Background()
	// Stored as an older version would have: the store does not validate.
	for _, ev := range []event.Event{
		{Slug: "old", Name: "Old", From: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC)},
		{Slug: "far", Name: "Far", From: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if err := a.Store.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	c := newClient(t, newServer(t, a, Config{APITokens: []string{"tok-p5"}}).Handler())
	for _, path := range []string{"/", "/events"} {
		code, body, _ := c.get(path)
		if code != http.StatusOK || !strings.Contains(body, `href="/events/s3"`) || !strings.Contains(body, "outside the years") {
			t.Errorf("%s: %d\n%.400s", path, code, body)
		}
	}
	code, body, _ := c.get("/api/v1/events")
	var list struct {
		Events []struct {
			Event struct{ Slug string } `json:"event"`
			Posts uint64                `json:"posts"`
			Error string                `json:"error"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(body), &list); code != http.StatusOK || err != nil || len(list.Events) != 3 {
		t.Fatalf("/api/v1/events: %d %v\n%.400s", code, err, body)
	}
	got := map[string]string{}
	for _, e := range list.Events {
		got[e.Event.Slug] = e.Error
		if e.Event.Slug == "s3" && (e.Posts != 120 || e.Error != "") {
			t.Errorf("s3 in the list: %d posts, error %q; want 120, none", e.Posts, e.Error)
		}
	}
	if !strings.Contains(got["old"], "start 1600-01-01T00:00:00Z is outside") || !strings.Contains(got["far"], "end 9999-01-01T00:00:00Z is outside") {
		t.Errorf("errors in the list: %q", got)
	}

	// The bad event's own pages say what is wrong, as a client error.
	for _, path := range []string{"/events/old", "/api/v1/events/far", "/events/far/timeline.csv"} {
		if code, body, _ := c.get(path); code != http.StatusBadRequest || !strings.Contains(body, "outside the years") {
			t.Errorf("%s: %d\n%.300s", path, code, body)
		}
	}
	// Searches and ranges.
	for _, path := range []string{
		"/search?q=s3&from=0000-01-01", "/api/v1/search?q=s3&from=0000-01-01",
		"/search?q=s3&to=9999-12-31", "/api/v1/search?to=2262-04-11T23:47:16Z",
		"/events/s3?from=0001-01-01T00:00", "/api/v1/events/s3?to=3000-01-01",
	} {
		code, body, _ := c.get(path)
		if code != http.StatusBadRequest || !strings.Contains(body, "outside the years") {
			t.Errorf("%s: %d, want 400\n%.300s", path, code, body)
		}
	}
	// A search narrowed to such an event searches its window inside the
	// range.
	for _, path := range []string{"/search?event=old", "/api/v1/search?q=s3&event=far"} {
		if code, body, _ := c.get(path); code != http.StatusOK {
			t.Errorf("%s: %d\n%.300s", path, code, body)
		}
	}
	if code, _, _ := c.get("/api/v1/search?q=s3&from=1678-01-01&to=2261-12-31"); code != http.StatusOK {
		t.Errorf("a search over the whole range: %d", code)
	}

	// Creating or editing one is refused, by the API and by the form.
	c.get("/events/new")
	code, body, _ = c.post("/events", url.Values{"slug": {"y0"}, "query": {"s3"}, "from": {"0000-01-01T00:00"}, "csrf": {c.csrf}})
	if code != http.StatusBadRequest || !strings.Contains(body, "outside the years") {
		t.Errorf("form with year 0: %d\n%.300s", code, body)
	}
	code, body, _ = c.post("/events/s3", url.Values{"query": {"s3"}, "from": {"2017-02-28T00:00"}, "to": {"2300-01-01T00:00"}, "csrf": {c.csrf}})
	if code != http.StatusBadRequest || !strings.Contains(body, "outside the years") {
		t.Errorf("edit form with year 2300: %d\n%.300s", code, body)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/v1/events", strings.NewReader(`{"slug":"y1600","query":"s3","from":"1600-01-01T00:00:00Z"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer tok-p5")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("API create with 1600: %d", resp.StatusCode)
	}
	if _, err := a.Store.Event(ctx, "y1600"); err == nil {
		t.Error("the 1600 event was stored")
	}
}

// FuzzParseFormTime: a time parameter never panics and, when read, lies
// inside the years the index holds.
func FuzzParseFormTime(f *testing.F) {
	for _, s := range []string{"2017-02-28T16:00", "2017-02-28", "2017-02-28T16:00:00Z", "0000-01-01", "0001-01-01T00:00",
		"9999-12-31", "2262-04-11T23:47:16Z", "1678-01-01", "2261-12-31T23:59"} {
		f.Add(s, "Europe/Berlin")
		f.Add(s, "")
	}
	lo, hi := event.TimeRange()
	f.Fuzz(func(t *testing.T, s, zone string) {
		loc, err := zoneOf(zone)
		if err != nil {
			return
		}
		tm, err := parseFormTime(s, loc)
		if err == nil && !tm.IsZero() && (tm.Before(lo) || !tm.Before(hi)) {
			t.Errorf("%q in %s read as %v, outside %v–%v", s, zone, tm, lo, hi)
		}
	})
}
