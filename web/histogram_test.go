package web

import (
	"encoding/json"
	"net/http"
	"testing"
)

// A search over an archive that spans years (the test archive: 2017 and
// 2025) draws its histogram in buckets that fit the hits' span, for any
// query and sort, in the page and in the API; an hour was too fine (400
// "too many histogram buckets").
func TestSearchSpansYears(t *testing.T) {
	c := newClient(t, newServer(t, testArchive(t), Config{}).Handler())
	for _, path := range []string{"/search?q=", "/search?q=down", "/search?q=lang:de+OR+s3&sort=time", "/search?q=s3&to=2026-01-01"} {
		if code, body, _ := c.get(path); code != http.StatusOK {
			t.Errorf("%s: %d\n%.300s", path, code, body)
		}
	}
	for _, c2 := range []struct {
		path       string
		minBuckets int
	}{
		{"/api/v1/search?q=", 20},   // 2017 to 2025: months or quarters
		{"/api/v1/search?q=s3", 20}, // 30 minutes of 2017: minutes
		{"/api/v1/search?q=&from=2017-02-28", 20},
	} {
		code, body, _ := c.get(c2.path)
		var res struct {
			Histogram []struct{ Count uint64 } `json:"histogram"`
			Width     string                   `json:"bucket"`
		}
		if code != http.StatusOK || json.Unmarshal([]byte(body), &res) != nil {
			t.Errorf("%s: %d\n%.300s", c2.path, code, body)
			continue
		}
		if n := len(res.Histogram); n < c2.minBuckets || n > 160 {
			t.Errorf("%s: %d buckets of %s, want %d to 160", c2.path, n, res.Width, c2.minBuckets)
		}
	}
}
