package status

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
)

func readShared(t testing.TB, elem ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(testdata.Path(t, append([]string{"statuspage"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC()
		}
	}
	t.Fatalf("bad test time %q", s)
	return time.Time{}
}

func byKey(incs []Incident) map[string]Incident {
	m := map[string]Incident{}
	for _, inc := range incs {
		m[inc.Key] = inc
	}
	return m
}

// wantUp is an expected update: time and state, and the id when given.
type wantUp struct{ at, state, id string }

func checkUpdates(t *testing.T, inc Incident, want []wantUp) {
	t.Helper()
	if len(inc.Updates) != len(want) {
		t.Errorf("%s: %d updates, want %d: %+v", inc.Key, len(inc.Updates), len(want), inc.Updates)
		return
	}
	for i, w := range want {
		u := inc.Updates[i]
		if !u.Time.Equal(mustTime(t, w.at)) || string(u.State) != w.state || (w.id != "" && u.ID != w.id) {
			t.Errorf("%s update %d = %s %s %s, want %s %s %s", inc.Key, i, u.Time.Format(time.RFC3339Nano), u.State, u.ID, w.at, w.state, w.id)
		}
		if u.Time.Location() != time.UTC {
			t.Errorf("%s update %d: time not UTC", inc.Key, i)
		}
	}
}

// checkInvariants holds for every parse result.
func checkInvariants(t testing.TB, incs []Incident) {
	t.Helper()
	keys := map[string]bool{}
	for _, inc := range incs {
		if inc.Key == "" || keys[inc.Key] {
			t.Errorf("empty or duplicate key %q", inc.Key)
		}
		keys[inc.Key] = true
		ids := map[string]bool{}
		for i, u := range inc.Updates {
			if u.Time.IsZero() || u.ID == "" || ids[u.ID] {
				t.Errorf("%s update %d: zero time, empty or duplicate id %q", inc.Key, i, u.ID)
			}
			ids[u.ID] = true
			if i > 0 && u.Time.Before(inc.Updates[i-1].Time) {
				t.Errorf("%s: updates not oldest first", inc.Key)
			}
		}
	}
}

func TestGitHubAtom(t *testing.T) {
	for _, tc := range []struct {
		file      string
		incidents int
		updates   int
		check     map[string][]wantUp
	}{
		{"githubstatus_history_2024-01.atom", 25, 155, map[string][]wantUp{
			// Two updates at 20:05: the older (lower in the feed) comes first.
			"www.githubstatus.com/1ksntt4bk3bq": {
				{"2023-12-29T20:05Z", "investigating", "20231229T200500Z-investigating"},
				{"2023-12-29T20:05Z", "update", "20231229T200500Z-update"},
				{"2023-12-29T21:09Z", "update", ""},
				{"2023-12-29T21:21Z", "resolved", "20231229T212100Z-resolved"},
			},
			// Updated two weeks after it was published.
			"www.githubstatus.com/fj7v3z6fy7ym": {
				{"2023-12-01T15:49Z", "investigating", ""}, {"2023-12-01T15:53Z", "update", ""},
				{"2023-12-01T15:55Z", "update", ""}, {"2023-12-01T16:41Z", "update", ""},
				{"2023-12-01T17:36Z", "update", ""}, {"2023-12-01T18:16Z", "resolved", ""},
			},
			"www.githubstatus.com/d3mfyt4nqnv5": {
				{"2023-12-19T21:12Z", "investigating", ""},
				{"2023-12-19T21:42Z", "update", "20231219T214200Z-update"},
				{"2023-12-19T21:42Z", "update", "20231219T214200Z-update-2"},
				{"2023-12-19T21:45Z", "update", ""}, {"2023-12-19T21:58Z", "update", ""},
				{"2023-12-19T22:10Z", "update", ""}, {"2023-12-19T22:12Z", "update", ""},
				{"2023-12-19T22:14Z", "update", ""}, {"2023-12-19T22:20Z", "update", ""},
				{"2023-12-19T22:25Z", "update", ""}, {"2023-12-19T22:50Z", "resolved", ""},
			},
		}},
		{"githubstatus_history_2026-08-22.atom", 25, 178, map[string][]wantUp{
			// Spans two days; the newest update decides Resolved.
			"www.githubstatus.com/bhbcjn4n3jzp": {
				{"2026-08-20T14:43Z", "investigating", ""}, {"2026-08-20T14:51Z", "update", ""},
				{"2026-08-20T15:01Z", "update", ""}, {"2026-08-20T15:41Z", "update", ""},
				{"2026-08-20T16:14Z", "update", ""}, {"2026-08-20T17:05Z", "update", ""},
				{"2026-08-20T17:32Z", "update", ""}, {"2026-08-20T18:04Z", "update", ""},
				{"2026-08-20T18:45Z", "update", ""}, {"2026-08-20T19:35Z", "update", ""},
				{"2026-08-20T20:37Z", "update", ""}, {"2026-08-21T00:37Z", "resolved", ""},
			},
			"www.githubstatus.com/bmpybhnrky3x": {
				{"2026-08-18T07:40Z", "investigating", ""}, {"2026-08-18T07:40Z", "monitoring", ""},
				{"2026-08-18T10:41Z", "update", ""}, {"2026-08-18T11:24Z", "update", ""},
				{"2026-08-18T11:42Z", "resolved", ""},
			},
			"www.githubstatus.com/gx7js8bd0jpz": {
				{"2026-08-18T09:36Z", "investigating", ""}, {"2026-08-18T10:23Z", "resolved", ""},
			},
		}},
		{"githubstatus_history_2026-08-17.atom", 25, 152, map[string][]wantUp{
			"www.githubstatus.com/k8vbzwqjkxzn": {
				{"2026-08-13T14:45Z", "investigating", ""},
				{"2026-08-13T14:46Z", "update", "20260813T144600Z-update"},
				{"2026-08-13T14:46Z", "update", "20260813T144600Z-update-2"},
				{"2026-08-13T14:46Z", "update", "20260813T144600Z-update-3"},
				{"2026-08-13T14:56Z", "update", ""}, {"2026-08-13T14:58Z", "update", ""},
				{"2026-08-13T15:33Z", "monitoring", ""}, {"2026-08-13T15:33Z", "update", ""},
				{"2026-08-13T15:36Z", "resolved", ""},
			},
			// A single "Resolved" update, written after the fact.
			"www.githubstatus.com/594m87r8sw13": {{"2026-07-24T11:00Z", "resolved", ""}},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			incs, probs := Parse(readShared(t, tc.file), tc.file)
			if len(probs) != 0 {
				t.Errorf("problems: %v", probs)
			}
			checkInvariants(t, incs)
			if len(incs) != tc.incidents {
				t.Errorf("%d incidents, want %d", len(incs), tc.incidents)
			}
			n := 0
			for _, inc := range incs {
				n += len(inc.Updates)
				if inc.Page != "GitHub" || inc.PageURL != "https://www.githubstatus.com" {
					t.Errorf("%s: page %q %q", inc.Key, inc.Page, inc.PageURL)
				}
				if !strings.HasPrefix(inc.URL, "https://www.githubstatus.com/incidents/") || !strings.HasSuffix(inc.URL, strings.TrimPrefix(inc.Key, "www.githubstatus.com")) {
					t.Errorf("%s: url %q", inc.Key, inc.URL)
				}
				// Every incident in these snapshots is resolved by its newest update.
				last, _ := inc.LastUpdate()
				first, _ := inc.FirstUpdate()
				if inc.State() != Resolved || !inc.Resolved.Equal(last.Time) || !inc.Created.Equal(first.Time) {
					t.Errorf("%s: state %s created %v resolved %v, updates %v..%v", inc.Key, inc.State(), inc.Created, inc.Resolved, first.Time, last.Time)
				}
				if inc.Name == "" || first.Body == "" {
					t.Errorf("%s: empty name or body", inc.Key)
				}
			}
			if n != tc.updates {
				t.Errorf("%d updates, want %d", n, tc.updates)
			}
			m := byKey(incs)
			for key, want := range tc.check {
				inc, ok := m[key]
				if !ok {
					t.Errorf("no incident %s", key)
					continue
				}
				checkUpdates(t, inc, want)
			}
		})
	}
}

func TestGitHubAtomBodies(t *testing.T) {
	incs, _ := Parse(readShared(t, "githubstatus_history_2024-01.atom"), "2024-01.atom")
	inc := byKey(incs)["www.githubstatus.com/1ksntt4bk3bq"]
	if inc.Name != "We are investigating reports of degraded performance." {
		t.Errorf("name %q", inc.Name)
	}
	want := []string{
		"We are currently investigating this issue.",
		"We’re investigating reports of increased failure rates for migrations with GitHub Enterprise Importer and exports using the Organization Migrations REST API.",
		"We are in the process of reverting a change that introduced these failures.",
		"This incident has been resolved.",
	}
	for i, u := range inc.Updates {
		if i < len(want) && u.Body != want[i] {
			t.Errorf("body %d = %q, want %q", i, u.Body, want[i])
		}
	}
}

// The 08-17 and 08-22 snapshots share 21 incidents, some rewritten in place
// in between: the keys and update ids must match so a store can upsert.
func TestAtomRereadStable(t *testing.T) {
	old, _ := Parse(readShared(t, "githubstatus_history_2026-08-17.atom"), "old")
	cur, _ := Parse(readShared(t, "githubstatus_history_2026-08-22.atom"), "new")
	curBy := byKey(cur)
	shared := 0
	for _, o := range old {
		c, ok := curBy[o.Key]
		if !ok {
			continue
		}
		shared++
		if len(c.Updates) < len(o.Updates) {
			t.Errorf("%s lost updates", o.Key)
		}
		for _, u := range o.Updates {
			if !slices.ContainsFunc(c.Updates, func(v Update) bool { return v.ID == u.ID && v.Time.Equal(u.Time) && v.State == u.State }) {
				t.Errorf("%s: update %s not in the newer snapshot", o.Key, u.ID)
			}
		}
	}
	if shared != 21 {
		t.Errorf("%d shared incidents, want 21", shared)
	}
}

func TestGitHubIncidentJSON(t *testing.T) {
	states := map[byte]string{'I': "investigating", 'D': "identified", 'M': "monitoring", 'R': "resolved"}
	cases := []struct {
		id, impact string
		n          int
		states     string
		created    string
		resolved   string
		first      string
	}{
		{"15hsv6nc295f", "minor", 1, "R", "2010-09-24T16:01:00.000Z", "2010-09-24T16:01:00.000Z", "2010-09-24T16:01:00.000Z"},
		{"2k60vffmq353", "none", 2, "IR", "2019-01-31T21:58:31.713Z", "2019-01-31T22:07:50.605Z", "2019-01-31T21:58:31.785Z"},
		{"2rcjwh5ldk9j", "minor", 1, "R", "2013-05-07T17:21:45.000Z", "2013-05-07T17:21:45.000Z", "2013-05-07T17:21:45.000Z"},
		{"3vy1b3p5ln6c", "minor", 1, "R", "2014-05-12T19:43:36.000Z", "2014-05-12T19:43:36.000Z", "2014-05-12T19:43:36.000Z"},
		{"52z0j6phhnjs", "major", 13, "IIIIIIIIIIIIR", "2023-03-27T12:25:37.730Z", "2023-03-27T13:29:09.495Z", "2023-03-27T12:25:37.786Z"},
		{"5t24lmj2b352", "major", 1, "R", "2010-07-08T21:17:00.000Z", "2010-07-08T21:17:00.000Z", "2010-07-08T21:17:00.000Z"},
		{"649hv1rb6zss", "minor", 1, "R", "2013-05-15T14:17:42.000Z", "2013-05-15T14:17:42.000Z", "2013-05-15T14:17:42.000Z"},
		{"6nhht6kfdkx7", "none", 4, "IIIR", "2019-02-06T16:52:10.879Z", "2019-02-06T18:49:26.523Z", "2019-02-06T16:52:10.964Z"},
		{"83lq7ftk19r5", "minor", 20, "IIIIIIIIIIIIIIIIIIIR", "2022-03-22T15:53:08.504Z", "2022-03-22T18:46:32.197Z", "2022-03-22T15:53:08.542Z"},
		{"9x0hxrdj9crr", "minor", 2, "IR", "2022-11-04T23:41:20.708Z", "2022-11-04T23:56:53.218Z", "2022-11-04T23:41:20.796Z"},
		{"bhgsvkkvxr6n", "minor", 1, "R", "2012-10-22T06:52:17.000Z", "2012-10-22T06:52:17.000Z", "2012-10-22T06:52:17.000Z"},
		{"bvpvhl83t1zp", "minor", 1, "R", "2010-03-03T06:12:00.000Z", "2010-03-03T06:12:00.000Z", "2010-03-03T06:12:00.000Z"},
		{"bzj1hc2cnfkc", "major", 1, "R", "2018-07-16T17:32:53.000Z", "2018-07-16T17:32:53.000Z", "2018-07-16T17:32:53.000Z"},
		{"c8lyvdwxqnv4", "minor", 1, "R", "2016-04-26T12:09:40.000Z", "2016-04-26T12:09:40.000Z", "2016-04-26T12:09:40.000Z"},
		{"dmmzc26bkgcm", "minor", 1, "R", "2012-11-08T20:07:22.000Z", "2012-11-08T20:07:22.000Z", "2012-11-08T20:07:22.000Z"},
		{"f55nc3rz31cq", "minor", 1, "R", "2012-11-20T22:12:21.000Z", "2012-11-20T22:12:21.000Z", "2012-11-20T22:12:21.000Z"},
		{"f6nzhphqf37p", "none", 5, "IIIIR", "2022-11-30T16:02:55.411Z", "2022-11-30T17:13:44.005Z", "2022-11-30T16:02:55.446Z"},
		{"f8k8yzbf2n7n", "major", 1, "R", "2013-01-08T23:13:55.000Z", "2013-01-08T23:13:55.000Z", "2013-01-08T23:13:55.000Z"},
		{"fdl6khghfsp3", "minor", 7, "IIIIIIR", "2019-10-22T18:51:43.039Z", "2019-10-22T22:31:16.891Z", "2019-10-22T18:51:43.094Z"},
		{"fz1bdbw24y81", "major", 9, "IIIIIIIIR", "2022-02-02T19:12:59.321Z", "2022-02-02T19:34:33.845Z", "2022-02-02T19:12:59.381Z"},
		{"g9y6nm7mml9d", "minor", 1, "R", "2014-03-22T01:04:47.000Z", "2014-03-22T01:04:47.000Z", "2014-03-22T01:04:47.000Z"},
		{"gqx5l06jjxhp", "critical", 8, "IIIIIIIR", "2023-06-29T17:52:11.477Z", "2023-06-29T18:36:19.000Z", "2023-06-29T17:52:11.671Z"},
		{"hy9f40v0f0q6", "major", 1, "R", "2013-03-14T12:06:06.000Z", "2013-03-14T12:06:06.000Z", "2013-03-14T12:06:06.000Z"},
		{"jcl7qlqzqdw0", "none", 3, "IIR", "2019-02-19T15:12:04.813Z", "2019-02-19T15:37:58.357Z", "2019-02-19T15:12:04.862Z"},
		{"jjfqf7dmr0yq", "major", 1, "R", "2012-10-10T17:53:38.000Z", "2012-10-10T17:53:38.000Z", "2012-10-10T17:53:38.000Z"},
		{"k6vy6ypz04d9", "minor", 2, "IR", "2022-04-06T15:25:01.192Z", "2022-04-06T15:34:35.294Z", "2022-04-06T15:25:01.235Z"},
		{"nhkdgml3nc31", "major", 1, "R", "2011-09-18T02:32:00.000Z", "2011-09-18T02:32:00.000Z", "2011-09-18T02:32:00.000Z"},
		{"njb4tgwrkv34", "minor", 5, "IIIIR", "2023-09-06T08:21:39.285Z", "2023-09-06T11:41:38.131Z", "2023-09-06T08:21:39.375Z"},
		{"qzmhbwp7f6nn", "major", 14, "IIIIIIIIIIIIIR", "2022-06-29T14:48:15.840Z", "2022-06-29T16:15:25.756Z", "2022-06-29T14:48:15.873Z"},
		{"rgy28jwprr1c", "critical", 4, "IDMR", "2019-09-23T16:12:01.654Z", "2019-09-23T16:37:46.707Z", "2019-09-23T16:12:01.706Z"},
		{"shdhxntw519h", "minor", 3, "IIR", "2020-06-22T19:52:30.850Z", "2020-06-22T20:26:52.830Z", "2020-06-22T19:52:30.915Z"},
		{"sx4ctyf65d2y", "minor", 11, "IIIIIIIIIIR", "2019-01-09T16:33:23.159Z", "2019-01-09T21:54:47.395Z", "2019-01-09T16:33:23.216Z"},
		{"t7jwlp2hddw5", "minor", 1, "R", "2013-11-19T18:11:46.000Z", "2013-11-19T18:11:46.000Z", "2013-11-19T18:11:46.000Z"},
		{"tqzj0mwds128", "minor", 2, "IR", "2021-02-11T22:15:01.087Z", "2021-02-12T01:36:23.150Z", "2021-02-11T22:15:01.125Z"},
		{"vnj179rpwqr8", "minor", 1, "R", "2014-04-22T17:52:01.000Z", "2014-04-22T17:52:01.000Z", "2014-04-22T17:52:01.000Z"},
		{"w6sks0r3j8zp", "major", 1, "R", "2012-02-04T21:31:00.000Z", "2012-02-04T21:31:00.000Z", "2012-02-04T21:31:00.000Z"},
		{"xlszp1y12x9q", "minor", 1, "R", "2012-10-22T18:33:12.000Z", "2012-10-22T18:33:12.000Z", "2012-10-22T18:33:12.000Z"},
		{"y32m7mf3m8hm", "major", 1, "R", "2011-08-22T14:02:00.000Z", "2011-08-22T14:02:00.000Z", "2011-08-22T14:02:00.000Z"},
		{"z3c6q056q332", "major", 14, "IIIIIIIIIIIIIR", "2023-03-29T14:21:21.951Z", "2023-03-29T19:03:08.773Z", "2023-03-29T14:21:21.998Z"},
		{"z6w9h9pvsl58", "minor", 1, "R", "2014-08-27T14:17:58.000Z", "2014-08-27T14:17:58.000Z", "2014-08-27T14:17:58.000Z"},
	}
	files, err := filepath.Glob(testdata.Path(t, "statuspage", "github-incidents-json", "*.json"))
	if err != nil || len(files) != len(cases) {
		t.Fatalf("%d files (%v), want %d", len(files), err, len(cases))
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			incs, probs := Parse(readShared(t, "github-incidents-json", c.id+".json"), c.id+".json")
			if len(probs) != 0 || len(incs) != 1 {
				t.Fatalf("%d incidents, problems %v", len(incs), probs)
			}
			checkInvariants(t, incs)
			inc := incs[0]
			if inc.Key != "www.githubstatus.com/"+c.id || inc.URL != "https://www.githubstatus.com/incidents/"+c.id || inc.Page != "GitHub" {
				t.Errorf("key %q url %q page %q", inc.Key, inc.URL, inc.Page)
			}
			if inc.Impact != c.impact || !inc.Created.Equal(mustTime(t, c.created)) || !inc.Resolved.Equal(mustTime(t, c.resolved)) {
				t.Errorf("impact %q created %v resolved %v", inc.Impact, inc.Created, inc.Resolved)
			}
			if len(inc.Updates) != c.n {
				t.Fatalf("%d updates, want %d", len(inc.Updates), c.n)
			}
			for i, u := range inc.Updates {
				if string(u.State) != states[c.states[i]] {
					t.Errorf("update %d state %s, want %s", i, u.State, states[c.states[i]])
				}
			}
			if first, _ := inc.FirstUpdate(); !first.Time.Equal(mustTime(t, c.first)) {
				t.Errorf("first update at %v, want %s", first.Time, c.first)
			}
			// Three incidents name no component at all (affected_components null).
			noComps := c.id == "bhgsvkkvxr6n" || c.id == "c8lyvdwxqnv4" || c.id == "f6nzhphqf37p"
			if (len(inc.Components) == 0) != noComps {
				t.Errorf("components %q", inc.Components)
			}
		})
	}
}

func TestGitHubIncidentJSONDetail(t *testing.T) {
	incs, _ := Parse(readShared(t, "github-incidents-json", "52z0j6phhnjs.json"), "52z0j6phhnjs.json")
	inc := incs[0]
	checkUpdates(t, inc, []wantUp{
		{"2023-03-27T12:25:37.786Z", "investigating", "1m3jwj2xv2gr"},
		{"2023-03-27T12:25:50.831Z", "investigating", "c95bwp2wqmty"},
		{"2023-03-27T12:26:10.259Z", "investigating", "bcbg98r1lm25"},
		{"2023-03-27T12:33:20.531Z", "investigating", "nm85g4vqcr7z"},
		{"2023-03-27T12:35:29.491Z", "investigating", "sr5nk1fxcvvr"},
		{"2023-03-27T12:50:23.053Z", "investigating", "vnswg1rcyv1t"},
		{"2023-03-27T12:50:34.790Z", "investigating", "0y5mlfr5lf8m"},
		{"2023-03-27T12:51:17.358Z", "investigating", "vpcf57hpd2k3"},
		{"2023-03-27T12:56:43.396Z", "investigating", "n1mxsbss8psh"},
		{"2023-03-27T13:08:39.623Z", "investigating", "mcfbszq6qkp2"},
		{"2023-03-27T13:22:36.517Z", "investigating", "c1csmf678gzg"},
		{"2023-03-27T13:27:24.446Z", "investigating", "7sg6zrrhc167"},
		{"2023-03-27T13:29:09.495Z", "resolved", "vkftrxsx6rh4"},
	})
	wantComps := []string{"Git Operations", "API Requests", "Issues", "Pull Requests", "Actions", "Pages", "Codespaces"}
	if !slices.Equal(inc.Components, wantComps) {
		t.Errorf("components %q", inc.Components)
	}

	incs, _ = Parse(readShared(t, "github-incidents-json", "rgy28jwprr1c.json"), "rgy28jwprr1c.json")
	checkUpdates(t, incs[0], []wantUp{
		{"2019-09-23T16:12:01.706Z", "investigating", "rkvg0nxqpgfc"},
		{"2019-09-23T16:22:14.769Z", "identified", "x18xdct3cd4s"},
		{"2019-09-23T16:28:27.036Z", "monitoring", "pv8bd50rfbxt"},
		{"2019-09-23T16:37:46.707Z", "resolved", "y7yhygsyjy1s"},
	})
	// No incident components: the affected components of the updates.
	if !slices.Equal(incs[0].Components, []string{"Notifications"}) {
		t.Errorf("components %q", incs[0].Components)
	}
	if incs[0].Updates[0].Body != "We are investigating a delay in webhook delivery." {
		t.Errorf("body %q", incs[0].Updates[0].Body)
	}

	// Imported history: display_at (2010), not created_at (2018), and the
	// body's HTML list turned into text.
	incs, _ = Parse(readShared(t, "github-incidents-json", "15hsv6nc295f.json"), "15hsv6nc295f.json")
	u := incs[0].Updates[0]
	if !u.Time.Equal(mustTime(t, "2010-09-24T16:01:00Z")) || strings.Contains(u.Body, "<") || !strings.HasPrefix(u.Body, "2010-09-24 16:01:00 - Network issues") {
		t.Errorf("update %v %q", u.Time, u.Body)
	}
}

// The Statuspage list documents (incidents.json, unresolved.json,
// summary.json) and a bare incident, assembled from the real incident files.
func TestStatuspageDocuments(t *testing.T) {
	var docs []struct {
		Page     json.RawMessage `json:"page"`
		Incident json.RawMessage `json:"incident"`
	}
	for _, id := range []string{"rgy28jwprr1c", "52z0j6phhnjs", "15hsv6nc295f"} {
		var d struct {
			Page     json.RawMessage `json:"page"`
			Incident json.RawMessage `json:"incident"`
		}
		if err := json.Unmarshal(readShared(t, "github-incidents-json", id+".json"), &d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	list := fmt.Sprintf(`{"page":%s,"incidents":[%s,%s,{"id":"broken","name":"No dates","incident_updates":[]},%s]}`,
		docs[0].Page, docs[0].Incident, docs[1].Incident, docs[2].Incident)
	incs, probs := Parse([]byte(list), "incidents.json")
	checkInvariants(t, incs)
	if len(incs) != 3 || len(probs) != 1 || !strings.Contains(probs[0].Error(), `incidents.json: entry 3 "No dates": no date`) {
		t.Fatalf("%d incidents, problems %v", len(incs), probs)
	}
	if incs[0].Key != "www.githubstatus.com/rgy28jwprr1c" || incs[2].Key != "www.githubstatus.com/15hsv6nc295f" {
		t.Errorf("keys %s %s", incs[0].Key, incs[2].Key)
	}

	// Bare incident object: no page, so the key's host comes from the URL origin.
	incs, probs = Parse(docs[0].Incident, "https://www.githubstatus.com/api/v2/incidents/rgy28jwprr1c.json")
	if len(probs) != 0 || len(incs) != 1 || incs[0].Key != "www.githubstatus.com/rgy28jwprr1c" || len(incs[0].Updates) != 4 {
		t.Fatalf("bare incident: %+v %v", incs, probs)
	}

	summary := `{"page":{"id":"p1","name":"GitHub","url":"https://www.githubstatus.com","updated_at":"2026-05-01T10:05:00.000Z"},
 "status":{"indicator":"minor","description":"Partially Degraded Service"},
 "components":[{"id":"c1","name":"Actions","status":"degraded_performance","group_id":null}],
 "incidents":[{"id":"i1","name":"Degraded Actions","status":"investigating","impact":"minor","shortlink":"https://stspg.io/abc",
   "created_at":"2026-05-01T09:50:00.000Z","updated_at":"2026-05-01T10:05:00.000Z","resolved_at":null,
   "incident_updates":[{"id":"u1","status":"investigating","body":"We are investigating.","display_at":"2026-05-01T09:50:00.000Z",
     "affected_components":[{"code":"c1","name":"Actions","old_status":"operational","new_status":"degraded_performance"}]}]}],
 "scheduled_maintenances":[{"id":"m1","name":"DB upgrade","status":"in_progress","impact":"maintenance",
   "created_at":"2026-04-30T08:00:00Z","incident_updates":[
     {"id":"m1b","status":"in_progress","body":"Started.","display_at":"2026-05-01T06:00:00Z"},
     {"id":"m1a","status":"scheduled","body":"Planned.","display_at":"2026-04-30T08:00:00Z"}]}]}`
	incs, probs = Parse([]byte(summary), "summary.json")
	if len(probs) != 0 || len(incs) != 2 {
		t.Fatalf("summary: %d incidents, %v", len(incs), probs)
	}
	if _, ok := incs[0].ResolvedAt(); ok || incs[0].State() != Investigating || !slices.Equal(incs[0].Components, []string{"Actions"}) {
		t.Errorf("unresolved incident: %+v", incs[0])
	}
	checkUpdates(t, incs[1], []wantUp{{"2026-04-30T08:00Z", "scheduled", "m1a"}, {"2026-05-01T06:00Z", "in_progress", "m1b"}})
}
