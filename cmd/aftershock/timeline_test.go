package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// midnightFiles writes a CSV of posts about a cloud provider — one every 20
// minutes from Feb 16 to Feb 20, 2026 — with two bursts of complaints: A
// from 23:30 to 00:50 UTC on the night of Feb 17 (across midnight in UTC
// and in Berlin), B from 22:40 to 23:40 UTC on Feb 18 (across midnight in
// Berlin, 23:40 to 00:40 CET, but not in UTC); each peaks after midnight in
// Berlin. And a Statuspage incident first updated at 23:55 UTC on Feb 17,
// updated again at 18:45 UTC on Feb 18 and resolved at 02:30 UTC on Feb 19.
func midnightFiles(t *testing.T) (postsCSV, statusJSON string) {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,created_at,author,text,lang\n")
	n := 5000
	row := func(at time.Time, text string) {
		n++
		fmt.Fprintf(&b, "%d,%s,user%d,%q,en\n", n, at.Format(time.RFC3339), n%89, text)
	}
	start := time.Date(2026, 2, 16, 0, 0, 0, 0, time.UTC)
	for at := start; at.Before(start.Add(4 * 24 * time.Hour)); at = at.Add(20 * time.Minute) {
		row(at, "moving our servers to the cloud today")
	}
	burst := func(from time.Time, minutes int, peak time.Time) {
		for m := range minutes {
			at := from.Add(time.Duration(m) * time.Minute)
			k := 4
			if !at.Before(peak) && at.Before(peak.Add(10*time.Minute)) {
				k = 9
			}
			for i := range k {
				row(at.Add(time.Duration(i)*5*time.Second), "the cloud is down and everything is broken")
			}
		}
	}
	burst(time.Date(2026, 2, 17, 23, 30, 0, 0, time.UTC), 80, time.Date(2026, 2, 18, 0, 10, 0, 0, time.UTC))
	burst(time.Date(2026, 2, 18, 22, 30, 0, 0, time.UTC), 50, time.Date(2026, 2, 18, 23, 0, 0, 0, time.UTC))
	postsCSV = filepath.Join(dir, "posts.csv")
	statusJSON = filepath.Join(dir, "incident.json")
	incident := `{"incident":{"id":"c1","name":"Elevated errors","status":"resolved","impact":"major",
	  "shortlink":"https://stspg.io/c1","created_at":"2026-02-17T23:55:00Z","resolved_at":"2026-02-19T02:30:00Z",
	  "page":{"id":"p","name":"Example Cloud","url":"https://status.cloud.example"},
	  "incident_updates":[
	    {"id":"u3","status":"resolved","body":"All systems normal.","display_at":"2026-02-19T02:30:00Z","created_at":"2026-02-19T02:30:00Z"},
	    {"id":"u2","status":"monitoring","body":"A fix is in place.","display_at":"2026-02-18T18:45:00Z","created_at":"2026-02-18T18:45:00Z"},
	    {"id":"u1","status":"investigating","body":"We are looking into elevated errors.","display_at":"2026-02-17T23:55:00Z","created_at":"2026-02-17T23:55:00Z"}]}}`
	for name, body := range map[string]string{postsCSV: b.String(), statusJSON: incident} {
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return postsCSV, statusJSON
}

// TestTimelineAcrossMidnight: every time the timeline table shows carries
// its date when it falls on another day than the time it follows (the
// spike's start, the bucket's start, the first time of the lag sentence),
// in the zone of the output; the CSV and JSON write full RFC 3339 times.
func TestTimelineAcrossMidnight(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	posts, feed := midnightFiles(t)
	if code, out, errOut := cli(t, "", "--data", data, "import", "--source", "twitter", posts); code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := cli(t, "", "--data", data, "event", "create", "cloud", "--name", "Cloud outage", "--query", "cloud",
		"--from", "2026-02-17T12:00Z", "--to", "2026-02-19T12:00Z", "--status-feed", feed); code != 0 {
		t.Fatalf("create: %d\n%s\n%s", code, out, errOut)
	}
	timeline := func(args ...string) string {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"--data", data, "timeline", "cloud"}, args...)...)
		if code != 0 {
			t.Fatalf("timeline %v: %d\n%s", args, code, errOut)
		}
		return out
	}
	// hasLines reports whether want appear in out as consecutive lines
	// (each a prefix of its line).
	hasLines := func(out string, want ...string) bool {
		lines := strings.Split(out, "\n")
		for i := range lines {
			ok := i+len(want) <= len(lines)
			for j := 0; ok && j < len(want); j++ {
				ok = strings.HasPrefix(lines[i+j], want[j])
			}
			if ok {
				return true
			}
		}
		return false
	}

	// 144 posts of the trickle in the window, 70×4+10×9 in burst A and
	// 40×4+10×9 in burst B.
	const total = "764 posts"
	for _, c := range []struct {
		tz   string
		want []string
	}{
		{"", []string{ // the event's zone: UTC
			"2026-02-17 12:00 UTC – 2026-02-19 12:00 UTC, 10m buckets, " + total,
			"spike 1: 02-17 23:30 – 02-18 01:10 UTC, peak 02-18 00:10 with 90 posts, 90.0× the trailing baseline (0.5 per bucket)",
			"spike 2: 02-18 22:30 – 23:40 UTC, peak 23:00 with 91 posts, 91.0× the trailing baseline (0.5 per bucket)",
			"The public was 25 minutes ahead of the status page: the first spike of posts at 23:30 UTC, first official update at 23:55 UTC. " +
				"Resolved at 02-19 02:30 UTC, 1 day 3 hours after the first spike of posts.",
		}},
		{"Europe/Berlin", []string{
			"2026-02-17 12:00 UTC – 2026-02-19 12:00 UTC (2026-02-17 13:00 CET – 2026-02-19 13:00 CET), 10m buckets, " + total,
			"spike 1: 02-18 00:30 – 02:10 CET, peak 01:10 with 90 posts, 90.0× the trailing baseline (0.5 per bucket)",
			"spike 2: 02-18 23:30 – 02-19 00:40 CET, peak 02-19 00:00 with 91 posts, 91.0× the trailing baseline (0.5 per bucket)",
			"The public was 25 minutes ahead of the status page: the first spike of posts at 00:30 CET, first official update at 00:55 CET. " +
				"Resolved at 02-19 03:30 CET, 1 day 3 hours after the first spike of posts.",
		}},
	} {
		out := timeline("--bucket", "10m", "--tz", c.tz)
		for _, want := range c.want {
			if !hasLines(out, want) {
				t.Errorf("timeline --tz %q lacks the line %q:\n%s", c.tz, want, out)
			}
		}
		if n := strings.Count(out, "\nspike "); n != 2 {
			t.Errorf("timeline --tz %q: %d spikes, want 2", c.tz, n)
		}
	}

	// In India (UTC+05:30) the hour from 18:00 UTC on Feb 18 straddles
	// midnight: the status update and the top post after it carry the date
	// of Feb 19, the bucket's start is on Feb 18.
	out := timeline("--bucket", "1h", "--tz", "Asia/Kolkata", "--top", "1")
	if !hasLines(out,
		"  ── status 02-19 00:15 IST monitoring: Elevated errors — A fix is in place.",
		"2026-02-18 18:00  02-18 23:30       3 ",
		"      02-19 00:10 @user39 (0): moving our servers to the cloud today",
		"2026-02-18 19:00  02-19 00:30       3 ",
		"      01:10 @user42 (0): moving our servers to the cloud today") {
		t.Errorf("timeline --tz Asia/Kolkata lacks the hour across midnight:\n%s", out)
	}
	if !hasLines(out, "  ── status 05:25 IST investigating: Elevated errors — We are looking into elevated errors.") {
		t.Errorf("timeline --tz Asia/Kolkata dates an update of the bucket's own day:\n%s", out)
	}

	// CSV: the bucket of 23:50 UTC on Feb 17 begins on Feb 18 in Berlin.
	out = timeline("--bucket", "10m", "--tz", "Europe/Berlin", "--csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 1+48*6 {
		t.Fatalf("csv: %v, %d rows", err, len(rows))
	}
	if got := strings.Join(rows[0], ","); got != "bucket_start_utc,bucket_start_local (Europe/Berlin),posts,posts_twitter,"+
		"negative,neutral,positive,mean_sentiment,in_spike,status_updates,top_post_ids,collector_gaps" {
		t.Errorf("csv head: %s", got)
	}
	r := rows[1+(11*60+50)/10]
	if r[0] != "2026-02-17T23:50:00Z" || r[1] != "2026-02-18T00:50:00+01:00" || r[2] != "40" || r[3] != "40" || r[8] != "1" ||
		r[9] != "2026-02-18T00:55:00+01:00 investigating: Elevated errors" {
		t.Errorf("csv row of 23:50 UTC: %q", r)
	}
	for i, r := range rows[1:] {
		cells := []string{r[0], r[1]}
		if r[9] != "" {
			cells = append(cells, strings.Fields(r[9])[0])
		}
		for _, v := range cells {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				t.Fatalf("csv row %d: %v", i+1, err)
			}
		}
	}

	// JSON: the spikes' times, and every time in it, are RFC 3339.
	out = timeline("--bucket", "10m", "--tz", "Europe/Berlin", "--json")
	var tl struct {
		Posts  int
		Spikes []struct{ Start, Detected, Peak, End string }
		Lag    struct{ Sentence string }
	}
	if err := json.Unmarshal([]byte(out), &tl); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if tl.Posts != 764 || len(tl.Spikes) != 2 {
		t.Fatalf("json: %d posts, %d spikes", tl.Posts, len(tl.Spikes))
	}
	if s := tl.Spikes[1]; s.Start != "2026-02-18T22:30:00Z" || s.Peak != "2026-02-18T23:00:00Z" || s.End != "2026-02-18T23:30:00Z" {
		t.Errorf("json spike 2: %+v", s)
	}
	if !strings.Contains(tl.Lag.Sentence, "Resolved at 02-19 03:30 CET") {
		t.Errorf("json lag: %s", tl.Lag.Sentence)
	}
	var all any
	json.Unmarshal([]byte(out), &all)
	times := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if len(v) >= 11 && v[4] == '-' && v[7] == '-' && (v[10] == 'T' || v[10] == ' ') {
				times++
				if _, err := time.Parse(time.RFC3339, v); err != nil {
					t.Errorf("json: %v", err)
				}
			}
		}
	}
	walk(all)
	// from, to, 288 bucket starts, 4 times per spike, 3 updates, the
	// incident's creation, resolution and 3 updates, the lag's 3 times.
	if want := 2 + 288 + 2*4 + 3 + 5 + 3; times != want {
		t.Errorf("json: %d times, want %d", times, want)
	}
}
