package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/event"
)

// parseTime reads a time given on the command line: RFC 3339 with or without
// seconds ("2017-02-28T17:00Z", "2017-02-28T17:00:00+01:00"), a date and time
// with a space ("2017-02-28 17:00", taken as UTC), a date ("2017-02-28",
// midnight UTC), or Unix seconds. A time outside the years the index holds
// (event.TimeRange) is an error.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{
		time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02T15:04",
		"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), event.CheckTime("", t)
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		t := time.Unix(n, 0).UTC()
		return t, event.CheckTime("", t)
	}
	return time.Time{}, fmt.Errorf("cannot read time %q: use e.g. 2017-02-28T17:00Z, 2017-02-28 17:00 (UTC) or 2017-02-28", s)
}
