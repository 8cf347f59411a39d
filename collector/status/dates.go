package status

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// zoneOffsets are the time-zone abbreviations status pages print, in seconds
// east of UTC. Go's time.Parse gives an unknown abbreviation a zero offset,
// which would shift AWS's "PST" times by eight hours, so abbreviations are
// looked up here instead. IST is taken as India (+05:30).
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"BST": 1 * 3600, "CET": 1 * 3600, "MEZ": 1 * 3600, "WEST": 1 * 3600,
	"CEST": 2 * 3600, "MESZ": 2 * 3600, "EET": 2 * 3600, "SAST": 2 * 3600, "CAT": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600, "EAT": 3 * 3600,
	"IST": 5*3600 + 1800, "SGT": 8 * 3600, "HKT": 8 * 3600, "AWST": 8 * 3600, "CST8": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "ACST": 9*3600 + 1800, "ACDT": 10*3600 + 1800,
	"AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600, "NZDT": 13 * 3600,
	"BRT": -3 * 3600, "ART": -3 * 3600,
	"AST": -4 * 3600, "ADT": -3 * 3600,
	"EST": -5 * 3600, "EDT": -4 * 3600,
	"CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600,
	"PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600,
	"HST": -10 * 3600,
}

// zoneLoc returns the location for a zone abbreviation or a numeric offset
// ("+0200", "+02:00").
func zoneLoc(z string) (*time.Location, bool) {
	z = strings.ToUpper(strings.TrimSpace(z))
	if off, ok := zoneOffsets[z]; ok {
		return time.FixedZone(z, off), true
	}
	if len(z) >= 5 && (z[0] == '+' || z[0] == '-') {
		digits := strings.ReplaceAll(z[1:], ":", "")
		if len(digits) == 4 {
			h, err1 := strconv.Atoi(digits[:2])
			m, err2 := strconv.Atoi(digits[2:])
			if err1 == nil && err2 == nil && h < 24 && m < 60 {
				off := h*3600 + m*60
				if z[0] == '-' {
					off = -off
				}
				return time.FixedZone("", off), true
			}
		}
	}
	return nil, false
}

// Layouts of feed dates without a zone; the zone is split off first.
var localLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"Mon, 2 January 2006 15:04:05",
	"Monday, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// parseDate parses the dates feeds carry: RFC 3339/ISO 8601, RFC 822/1123
// with numeric offsets or the abbreviations of zoneOffsets, and a few
// near-misses (single-digit days, no weekday, no seconds). A date without a
// zone is taken as UTC. The result is UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date")
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return checkYear(t)
		}
	}
	loc := time.UTC
	body := s
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		if l, ok := zoneLoc(s[i+1:]); ok {
			loc, body = l, s[:i]
		} else if isAlpha(s[i+1:]) && !isMonthOrDay(s[i+1:]) {
			return time.Time{}, fmt.Errorf("date %q: unknown time zone %q", s, s[i+1:])
		}
	}
	for _, layout := range localLayouts {
		if t, err := time.ParseInLocation(layout, body, loc); err == nil {
			return checkYear(t)
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q", s)
}

func checkYear(t time.Time) (time.Time, error) {
	if t.Year() < 1990 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("date %s out of range", t.Format(time.RFC3339))
	}
	return t.UTC(), nil
}

func isAlpha(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return s != ""
}

func isMonthOrDay(s string) bool {
	_, ok := monthOf(s)
	if ok {
		return true
	}
	switch strings.ToLower(s) {
	case "mon", "tue", "wed", "thu", "fri", "sat", "sun":
		return true
	}
	return false
}

// monthOf reads an English or German month name or its abbreviation.
func monthOf(s string) (time.Month, bool) {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len([]rune(s)) < 3 {
		return 0, false
	}
	p := string([]rune(s)[:3])
	switch p {
	case "jan":
		return time.January, true
	case "feb":
		return time.February, true
	case "mar", "mär", "maer":
		return time.March, true
	case "apr":
		return time.April, true
	case "may", "mai":
		return time.May, true
	case "jun":
		return time.June, true
	case "jul":
		return time.July, true
	case "aug":
		return time.August, true
	case "sep":
		return time.September, true
	case "oct", "okt":
		return time.October, true
	case "nov":
		return time.November, true
	case "dec", "dez":
		return time.December, true
	}
	return 0, false
}

// historyStamp is the <small> text of one Statuspage update:
// "Oct 21, 17:39 UTC", "Jan  5, 08:05 CET", "Aug 10, 00:17 - 01:30 UTC",
// rarely with a year ("Dec 29, 2023, 21:21 UTC") or 12-hour clock.
var historyStamp = regexp.MustCompile(`^(\pL{3,9})\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?\s*[,-]?\s*(\d{1,2}):(\d{2})\s*([AaPp][Mm])?(.*)$`)

// stamp is a parsed history time whose year may be missing.
type stamp struct {
	month        time.Month
	day, year    int // year 0 when not printed
	hour, minute int
	loc          *time.Location
}

func parseStamp(s string) (stamp, error) {
	s = strings.Join(strings.Fields(s), " ")
	m := historyStamp.FindStringSubmatch(s)
	if m == nil {
		return stamp{}, fmt.Errorf("unrecognised update time %q", s)
	}
	var st stamp
	var ok bool
	if st.month, ok = monthOf(m[1]); !ok {
		return stamp{}, fmt.Errorf("update time %q: unknown month %q", s, m[1])
	}
	st.day, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		st.year, _ = strconv.Atoi(m[3])
	}
	st.hour, _ = strconv.Atoi(m[4])
	st.minute, _ = strconv.Atoi(m[5])
	if ampm := strings.ToLower(m[6]); ampm != "" {
		if st.hour < 1 || st.hour > 12 {
			return stamp{}, fmt.Errorf("update time %q: bad hour", s)
		}
		st.hour %= 12
		if ampm == "pm" {
			st.hour += 12
		}
	}
	if st.day < 1 || st.day > 31 || st.hour > 23 || st.minute > 59 {
		return stamp{}, fmt.Errorf("update time %q out of range", s)
	}
	// The zone is the last word; a range ("- 01:30 UTC") comes before it.
	st.loc = time.UTC
	rest := strings.Fields(m[7])
	if len(rest) > 0 {
		z := rest[len(rest)-1]
		l, ok := zoneLoc(z)
		if !ok {
			return stamp{}, fmt.Errorf("update time %q: unknown time zone %q", s, z)
		}
		st.loc = l
	}
	return st, nil
}

// resolve gives a stamp its year. Statuspage feeds print no year: the update
// is taken to lie in the year that puts it at most slack after anchor (the
// entry's newest date) and, walking the updates newest first, at most slack
// after the newer update already placed (notAfter). Dec 30 with an anchor of Jan 2
// 2024 is therefore Dec 30 2023. Feb 29 moves to the latest leap year that
// fits.
func (st stamp) resolve(anchor, notAfter time.Time) (time.Time, error) {
	const slack = 36 * time.Hour
	at := func(y int) (time.Time, bool) {
		t := time.Date(y, st.month, st.day, st.hour, st.minute, 0, 0, st.loc)
		return t.UTC(), t.Month() == st.month && t.Day() == st.day
	}
	if st.year != 0 {
		t, ok := at(st.year)
		if !ok {
			return time.Time{}, fmt.Errorf("no day %d in %s %d", st.day, st.month, st.year)
		}
		return t, nil
	}
	limit := anchor.Add(slack)
	if !notAfter.IsZero() && notAfter.Add(slack).Before(limit) {
		limit = notAfter.Add(slack)
	}
	y := anchor.In(st.loc).Year() + 1
	for range 10 {
		t, ok := at(y)
		if ok && !t.After(limit) {
			return t, nil
		}
		y--
	}
	return time.Time{}, fmt.Errorf("no year fits %s %d before %s", st.month, st.day, limit.Format(time.RFC3339))
}
