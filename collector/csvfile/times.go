package csvfile

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// dateOrder is the order of the parts of a date written with numbers.
type dateOrder int

const (
	orderUnknown dateOrder = iota
	orderMDY               // 2/24/2015: month, day, year (US)
	orderDMY               // 24/2/2015, 24.02.2015: day, month, year
	orderYMD               // 2015-02-24
)

func (o dateOrder) String() string {
	switch o {
	case orderMDY:
		return "M/D/YYYY (month first)"
	case orderDMY:
		return "D/M/YYYY (day first)"
	case orderYMD:
		return "YYYY-MM-DD"
	}
	return "unknown"
}

// TimeLayout is a parsed Options.TimeLayout: either a Go layout used as it
// is, or a spreadsheet-style date order whose times are read in any of the
// usual forms.
type TimeLayout struct {
	goLayout string    // used with time.ParseInLocation when set
	order    dateOrder // the day/month order a spreadsheet-style name gives
	zoned    bool      // the Go layout has a zone
}

// spreadsheetTokens translates the tokens of a spreadsheet-style layout into
// Go layout elements, longest first. Upper-case M is the month, lower-case m
// the minute (as in moment.js and Day.js).
var spreadsheetTokens = []struct{ tok, goElem string }{
	{"YYYY", "2006"}, {"YY", "06"},
	{"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"}, {"M", "1"},
	{"dddd", "Monday"}, {"ddd", "Mon"},
	{"DD", "02"}, {"D", "2"},
	{"HH", "15"}, {"H", "15"}, {"hh", "03"}, {"h", "3"},
	{"mm", "04"}, {"m", "4"}, {"ss", "05"}, {"s", "5"},
	{"AM/PM", "PM"}, {"am/pm", "pm"}, {"A", "PM"}, {"a", "pm"}, {"tt", "PM"},
	{"ZZ", "-0700"}, {"Z", "Z07:00"},
}

// ParseTimeLayout reads a layout for the time column. It is either
//   - a Go layout (it holds the reference time's "2006", "15:04" or "Jan"),
//     e.g. "02.01.2006 15:04", used exactly as written; or
//   - a spreadsheet-style name made of the tokens YYYY YY (year), M MM MMM
//     MMMM (month), D DD (day), ddd dddd (weekday), H HH (hour 0-23), h hh
//     (hour 1-12), m mm (minute), s ss (second), A or AM/PM (AM/PM), Z ZZ
//     (zone), and the characters / . - : , space and T. A date alone such
//     as "M/D/YYYY", "D/M/YYYY", "D.M.YYYY" or "YYYY-MM-DD" only fixes the
//     order of day and month: the times after it may come in any of the
//     usual forms ("11:35", "11:35:52", "11:35 AM", with or without zone),
//     and times in other layouts (ISO 8601, Twitter's) are still read.
//     A name with more than a date is used as the Go layout it translates to.
func ParseTimeLayout(s string) (TimeLayout, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return TimeLayout{}, nil
	}
	if strings.Contains(s, "2006") || strings.Contains(s, "15:04") || strings.Contains(s, "Jan") {
		return goLayout(s, s)
	}
	var b strings.Builder
	var dateToks []byte // 'Y', 'M', 'D' in the order they appear
	onlyDate := true
	for rest := s; rest != ""; {
		matched := false
		for _, t := range spreadsheetTokens {
			if strings.HasPrefix(rest, t.tok) {
				b.WriteString(t.goElem)
				switch t.tok[0] {
				case 'Y', 'D':
					dateToks = append(dateToks, t.tok[0])
				case 'M':
					if len(t.tok) > 2 { // a month name: not a numeric order
						onlyDate = false
					}
					dateToks = append(dateToks, 'M')
				default:
					onlyDate = false
				}
				rest = rest[len(t.tok):]
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		c := rest[0]
		if !strings.ContainsRune("/.-:, T", rune(c)) {
			return TimeLayout{}, fmt.Errorf("time layout %q: %q is not a layout token (use YYYY, M, MM, D, DD, H, HH, h, mm, ss, A, Z, or a Go layout such as \"1/2/2006 15:04\")", s, rest[:1])
		}
		if c == 'T' {
			onlyDate = false
		}
		b.WriteByte(c)
		rest = rest[1:]
	}
	if onlyDate && len(dateToks) == 3 {
		switch string(dateToks) {
		case "MDY":
			return TimeLayout{order: orderMDY}, nil
		case "DMY":
			return TimeLayout{order: orderDMY}, nil
		case "YMD":
			return TimeLayout{order: orderYMD}, nil
		}
	}
	return goLayout(s, b.String())
}

// goLayout checks that a Go layout reads back what it writes, with the date.
func goLayout(name, layout string) (TimeLayout, error) {
	for _, ref := range []time.Time{
		time.Date(2015, 2, 24, 11, 35, 52, 0, time.UTC),
		time.Date(2013, 12, 1, 22, 51, 1, 0, time.UTC),
	} {
		t, err := time.Parse(layout, ref.Format(layout))
		if err != nil {
			return TimeLayout{}, fmt.Errorf("time layout %q cannot read its own output %q: %v", name, ref.Format(layout), err)
		}
		if t.Year() != ref.Year() || t.Month() != ref.Month() || t.Day() != ref.Day() {
			return TimeLayout{}, fmt.Errorf("time layout %q lacks a year, month or day (it writes %q)", name, ref.Format(layout))
		}
	}
	zoned := strings.Contains(layout, "-07") || strings.Contains(layout, "Z07") || strings.Contains(layout, "MST")
	return TimeLayout{goLayout: layout, zoned: zoned}, nil
}

// numDate is a date written with numbers and its time, split up.
type numDate struct {
	a, b, c int    // the three numbers in the order written
	yearLen int    // digits of the year (2 or 4)
	ymd     bool   // the year comes first
	sep     byte   // '/', '.' or '-'
	clock   string // what follows the date
}

// splitNumDate splits "2/24/2015 11:35", "24.02.2015", "2015-2-24T11:35"
// and the like. ok is false for anything else.
func splitNumDate(s string) (d numDate, ok bool) {
	num := func(min, max int) (int, bool) {
		n := 0
		for n < len(s) && n < max && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n < min || n < len(s) && s[n] >= '0' && s[n] <= '9' {
			return 0, false
		}
		v, _ := strconv.Atoi(s[:n])
		s = s[n:]
		return v, true
	}
	first := 0
	for first < len(s) && s[first] >= '0' && s[first] <= '9' {
		first++
	}
	if first == 4 {
		d.ymd = true
		d.yearLen = 4
	}
	var ok1, ok2, ok3 bool
	if d.ymd {
		d.a, ok1 = num(4, 4)
	} else {
		d.a, ok1 = num(1, 2)
	}
	if !ok1 || len(s) == 0 || !strings.ContainsRune("/.-", rune(s[0])) {
		return d, false
	}
	d.sep = s[0]
	s = s[1:]
	if d.b, ok2 = num(1, 2); !ok2 || len(s) == 0 || s[0] != d.sep {
		return d, false
	}
	s = s[1:]
	if d.ymd {
		d.c, ok3 = num(1, 2)
	} else {
		n := len(s)
		d.c, ok3 = num(2, 4)
		d.yearLen = n - len(s)
		if d.yearLen == 3 {
			return d, false
		}
	}
	if !ok3 || s != "" && s[0] != ' ' && s[0] != 'T' && s[0] != ',' {
		return d, false
	}
	d.clock = s
	return d, true
}

// settles tells which order a date's own numbers force: day first when the
// first part is over 12, month first when the second is. It returns
// orderUnknown for a date that reads the same both ways or not at all, and
// ambiguous reports a date that reads two different ways.
func (d numDate) settles() (o dateOrder, ambiguous bool) {
	switch {
	case d.ymd:
		return orderUnknown, false
	case d.a > 12 && d.b >= 1 && d.b <= 12:
		return orderDMY, false
	case d.b > 12 && d.a >= 1 && d.a <= 12:
		return orderMDY, false
	case d.a >= 1 && d.a <= 12 && d.b >= 1 && d.b <= 12 && d.a != d.b:
		return orderUnknown, true
	}
	return orderUnknown, false
}

// date returns the date in order o.
func (d numDate) date(o dateOrder) (y, m, day int) {
	switch {
	case d.ymd:
		y, m, day = d.a, d.b, d.c
	case o == orderDMY:
		y, m, day = d.c, d.b, d.a
	default:
		y, m, day = d.c, d.a, d.b
	}
	if d.yearLen == 2 { // as Go reads "06": 69-99 are 19xx
		if y >= 69 {
			y += 1900
		} else {
			y += 2000
		}
	}
	return y, m, day
}

// clock reads the time after a date: "", " 11:35", " 11:35:52.5", "T11:35",
// " 11:35 AM", each optionally followed by a zone ("Z", "UTC", "GMT",
// "+01:00", "-0800", "+01"). loc is nil when there is no zone.
func parseClock(s string) (h, m, sec, nsec int, loc *time.Location, err error) {
	s = strings.TrimLeft(s, " ,")
	s = strings.TrimPrefix(s, "T")
	if s == "" {
		return 0, 0, 0, 0, nil, nil
	}
	bad := errors.New("not a time of day")
	digits := func(min, max int) (int, bool) {
		n := 0
		for n < len(s) && n < max && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n < min {
			return 0, false
		}
		v, _ := strconv.Atoi(s[:n])
		s = s[n:]
		return v, true
	}
	var ok bool
	if h, ok = digits(1, 2); !ok || !strings.HasPrefix(s, ":") {
		return 0, 0, 0, 0, nil, bad
	}
	s = s[1:]
	if m, ok = digits(2, 2); !ok {
		return 0, 0, 0, 0, nil, bad
	}
	if strings.HasPrefix(s, ":") {
		s = s[1:]
		if sec, ok = digits(2, 2); !ok {
			return 0, 0, 0, 0, nil, bad
		}
		if strings.HasPrefix(s, ".") || strings.HasPrefix(s, ",") {
			s = s[1:]
			n := 0
			for n < len(s) && n < 9 && s[n] >= '0' && s[n] <= '9' {
				n++
			}
			if n == 0 {
				return 0, 0, 0, 0, nil, bad
			}
			f, _ := strconv.Atoi(s[:n])
			for i := n; i < 9; i++ {
				f *= 10
			}
			nsec = f
			s = s[n:]
			for len(s) > 0 && s[0] >= '0' && s[0] <= '9' { // beyond nanoseconds
				s = s[1:]
			}
		}
	}
	s = strings.TrimLeft(s, " ")
	if u := strings.ToUpper(s); strings.HasPrefix(u, "AM") || strings.HasPrefix(u, "PM") || strings.HasPrefix(u, "A.M.") || strings.HasPrefix(u, "P.M.") {
		if h < 1 || h > 12 {
			return 0, 0, 0, 0, nil, fmt.Errorf("hour %d with AM/PM", h)
		}
		if h == 12 {
			h = 0
		}
		if u[0] == 'P' {
			h += 12
		}
		if strings.HasPrefix(u[1:], ".M.") {
			s = s[4:]
		} else {
			s = s[2:]
		}
		s = strings.TrimLeft(s, " ")
	}
	if h > 23 || m > 59 || sec > 59 {
		return 0, 0, 0, 0, nil, errors.New("hour, minute or second out of range")
	}
	if s == "" {
		return h, m, sec, nsec, nil, nil
	}
	loc, err = parseZone(s)
	return h, m, sec, nsec, loc, err
}

// parseZone reads "Z", "UTC", "GMT", "+01:00", "-0800" or "+01".
func parseZone(s string) (*time.Location, error) {
	switch strings.ToUpper(s) {
	case "Z", "UTC", "GMT":
		return time.UTC, nil
	}
	bad := fmt.Errorf("%q is not a zone (use Z, UTC or an offset such as +01:00)", s)
	if s[0] != '+' && s[0] != '-' {
		return nil, bad
	}
	d := strings.ReplaceAll(s[1:], ":", "")
	if (len(d) != 2 && len(d) != 4) || !allDigits(d) {
		return nil, bad
	}
	hh, _ := strconv.Atoi(d[:2])
	mm := 0
	if len(d) == 4 {
		mm, _ = strconv.Atoi(d[2:])
	}
	if hh > 14 || mm > 59 {
		return nil, bad
	}
	off := hh*3600 + mm*60
	if s[0] == '-' {
		off = -off
	}
	if off == 0 {
		return time.UTC, nil
	}
	return time.FixedZone("", off), nil
}

// zonedLayouts are the textual layouts read with the zone they carry.
var zonedLayouts = [...]string{
	time.RFC3339Nano,
	time.RubyDate, // Twitter's "Mon Jan 02 15:04:05 +0000 2006"
	time.RFC1123Z,
	"Mon, 02 Jan 2006 15:04:05 GMT",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 GMT",
}

// naiveLayouts are the textual layouts without zone.
var naiveLayouts = [...]string{
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006 3:04:05 PM",
	"Jan 2, 2006 15:04:05",
	"Jan 2, 2006 15:04",
	"Jan 2, 2006",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"2-Jan-06 15:04",
	"2-Jan-06",
	"2-Jan-2006 15:04",
	"2-Jan-2006",
}

const (
	maxEpoch = 253402300799 // 9999-12-31T23:59:59Z
	// maxSerial is the last spreadsheet serial date (9999-12-31): a
	// decimal up to it is a serial date, not unix seconds (which would be
	// in January to early February 1970).
	maxSerial = 2958465
)

// spreadsheetEpoch is day 0 of spreadsheet serial dates (the 1900 date
// system as Excel and LibreOffice count it).
var spreadsheetEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// timeReader reads the times of one file and keeps what it assumed.
type timeReader struct {
	layout  TimeLayout
	loc     *time.Location // zone of naive times
	order   dateOrder      // decided day/month order; orderUnknown until then
	decider string         // the value that decided order, with its line
	gaveUp  bool           // the look-ahead ended without a decision
	// ambiguous separators seen while undecided
	ambigSlash, ambigDot bool
}

// errAmbiguous marks a date that reads two ways in a file whose order is not decided.
var errAmbiguous = errors.New("ambiguous date")

// parse reads s; naive reports a time without zone, read in r.loc.
func (r *timeReader) parse(s string) (t time.Time, naive bool, err error) {
	if r.layout.goLayout != "" {
		t, err := time.ParseInLocation(r.layout.goLayout, s, r.loc)
		if err == nil {
			return t, !r.layout.zoned, nil
		}
		if !isDecimal(s) {
			return time.Time{}, false, fmt.Errorf("%q does not match the time layout %q: %v", s, r.layout.goLayout, err)
		}
	}
	if t, ok := compactDate(s, r.loc); ok {
		return t, true, nil
	}
	if isDecimal(s) {
		return epoch(s, r.loc)
	}
	if d, ok := splitNumDate(s); ok {
		return r.numeric(s, d)
	}
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, false, nil
		}
	}
	for _, l := range naiveLayouts {
		if t, err := time.ParseInLocation(l, s, r.loc); err == nil {
			return t, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%q is not a time in a known layout (ISO 8601, \"2/24/2015 11:35\", \"24.02.2015 11:35\", \"Mon Jan 02 15:04:05 +0000 2006\", unix seconds or milliseconds; --time-layout names another)", s)
}

func (r *timeReader) numeric(s string, d numDate) (time.Time, bool, error) {
	order := r.layout.order
	if order == orderUnknown || order == orderYMD && !d.ymd {
		order = r.order
	}
	if forced, ambiguous := d.settles(); !d.ymd && ambiguous && order == orderUnknown {
		if d.sep == '.' && r.gaveUp {
			order = orderDMY
		} else {
			return time.Time{}, false, fmt.Errorf("%w: %q is %s or %s, and no value in the file tells which (a first part over 12 means day first, a second part over 12 month first); name the order with --time-layout M/D/YYYY or --time-layout D/M/YYYY", errAmbiguous, s, spell(d, orderMDY), spell(d, orderDMY))
		}
	} else if order == orderUnknown {
		order = forced // the date reads one way only (or the same both ways)
	}
	y, m, day := d.date(order)
	h, mi, sec, nsec, loc, err := parseClock(d.clock)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%q: %v", s, err)
	}
	if m < 1 || m > 12 || day < 1 || day > daysIn(y, m) || y < 1 {
		switch {
		case d.ymd:
			return time.Time{}, false, fmt.Errorf("%q is not a date (read as year-month-day)", s)
		case order == orderUnknown:
			return time.Time{}, false, fmt.Errorf("%q is not a date", s)
		}
		return time.Time{}, false, fmt.Errorf("%q is not a date (read as %s, the order of this file)", s, order)
	}
	naive := loc == nil
	if naive {
		loc = r.loc
	}
	return time.Date(y, time.Month(m), day, h, mi, sec, nsec, loc), naive, nil
}

// spell names the date d in order o, e.g. "24 February 2015".
func spell(d numDate, o dateOrder) string {
	y, m, day := d.date(o)
	if m < 1 || m > 12 {
		return "?"
	}
	return fmt.Sprintf("%d %s %d", day, time.Month(m), y)
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// observe looks at a value of the time column while the order is not
// decided. It decides the order when the value settles it and reports
// whether the value is ambiguous (so its row must wait for a decision).
func (r *timeReader) observe(s string, line int) (ambiguous bool) {
	if r.order != orderUnknown || r.layout.goLayout != "" || r.layout.order == orderMDY || r.layout.order == orderDMY {
		return false
	}
	d, ok := splitNumDate(s)
	if !ok || d.ymd {
		return false
	}
	o, amb := d.settles()
	if o != orderUnknown {
		r.order = o
		r.decider = fmt.Sprintf("%q on line %d", s, line)
		return false
	}
	if amb {
		if d.sep == '.' {
			r.ambigDot = true
		} else {
			r.ambigSlash = true
		}
	}
	return amb
}

// compactDate reads the digits-only YYYYMMDD and YYYYMMDDhhmmss (GDELT and
// database dumps write them) for years 1900 to 2099; as unix seconds or
// milliseconds they would be in 1970 or after 2500.
func compactDate(s string, loc *time.Location) (time.Time, bool) {
	if len(s) != 8 && len(s) != 14 || !allDigits(s) || s[:2] != "19" && s[:2] != "20" {
		return time.Time{}, false
	}
	layout := "20060102"
	if len(s) == 14 {
		layout = "20060102150405"
	}
	t, err := time.ParseInLocation(layout, s, loc)
	return t, err == nil
}

// epoch reads unix seconds or milliseconds, or a spreadsheet serial date
// (days since 1899-12-30, the fraction being the time of day; naive, so read
// in loc).
func epoch(s string, loc *time.Location) (t time.Time, naive bool, err error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 {
		return time.Time{}, false, fmt.Errorf("unix time %q is out of range", s)
	}
	if f <= maxSerial {
		days, frac := math.Modf(f)
		ms := int64(math.Round(frac * 86400e3))
		y, m, d := spreadsheetEpoch.AddDate(0, 0, int(days)).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc).Add(time.Duration(ms) * time.Millisecond), true, nil
	}
	if f >= 1e11 { // milliseconds: 1e11 seconds is the year 5138
		f /= 1000
	}
	if f > maxEpoch {
		return time.Time{}, false, fmt.Errorf("unix time %q is out of range", s)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), false, nil
}
