package chart

import (
	"math"
	"time"
)

// niceTicks returns the y axis for values up to max: a step of 1, 2 or 5
// times a power of ten (at least 1: counts are whole) giving about n
// intervals, and the top, the first multiple of the step at or above max.
func niceTicks(max float64, n int) (step, top float64) {
	if !(max > 0) || math.IsInf(max, 0) {
		return 1, 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		step = mag
	case f <= 2:
		step = 2 * mag
	case f <= 5:
		step = 5 * mag
	default:
		step = 10 * mag
	}
	step = max1(step)
	top = math.Ceil(max/step) * step
	return step, top
}

func max1(v float64) float64 { return math.Max(1, math.Round(v)) }

// tickUnit is one of the steps the time axis chooses from.
type tickUnit struct {
	approx time.Duration // nominal length, to choose the step
	minute int           // wall-clock minutes, dividing a day; or
	day    int           // calendar days; or
	month  int           // calendar months; or
	year   int           // calendar years
}

var tickUnits = []tickUnit{
	{approx: time.Minute, minute: 1},
	{approx: 2 * time.Minute, minute: 2},
	{approx: 5 * time.Minute, minute: 5},
	{approx: 10 * time.Minute, minute: 10},
	{approx: 15 * time.Minute, minute: 15},
	{approx: 30 * time.Minute, minute: 30},
	{approx: time.Hour, minute: 60},
	{approx: 2 * time.Hour, minute: 120},
	{approx: 3 * time.Hour, minute: 180},
	{approx: 6 * time.Hour, minute: 360},
	{approx: 12 * time.Hour, minute: 720},
	{approx: 24 * time.Hour, day: 1},
	{approx: 48 * time.Hour, day: 2},
	{approx: 7 * 24 * time.Hour, day: 7},
	{approx: 30 * 24 * time.Hour, month: 1},
	{approx: 91 * 24 * time.Hour, month: 3},
	{approx: 182 * 24 * time.Hour, month: 6},
	{approx: 365 * 24 * time.Hour, year: 1},
	{approx: 2 * 365 * 24 * time.Hour, year: 2},
	{approx: 5 * 365 * 24 * time.Hour, year: 5},
	{approx: 10 * 365 * 24 * time.Hour, year: 10},
	{approx: 50 * 365 * 24 * time.Hour, year: 50},
	{approx: 100 * 365 * 24 * time.Hour, year: 100},
}

// maxTicks bounds the ticks of one axis whatever the input.
const maxTicks = 64

// chooseUnit picks the smallest step that puts at most n ticks on span.
func chooseUnit(span time.Duration, n int) tickUnit {
	n = max(n, 1)
	for _, u := range tickUnits {
		if span/u.approx <= time.Duration(n) {
			return u
		}
	}
	return tickUnits[len(tickUnits)-1]
}

// timeTicks returns the ticks of unit u in [from, to], aligned on the wall
// clock and calendar of loc (hours on the hour, days at midnight, weeks on
// Mondays), at most maxTicks of them.
func timeTicks(from, to time.Time, loc *time.Location, u tickUnit) []time.Time {
	if !from.Before(to) {
		return nil
	}
	l := from.In(loc)
	y, mo, d := l.Date()
	var t time.Time
	var next func(time.Time) time.Time
	switch {
	case u.minute > 0:
		mins := l.Hour()*60 + l.Minute()
		if l.Second() > 0 || l.Nanosecond() > 0 {
			mins++
		}
		mins = (mins + u.minute - 1) / u.minute * u.minute
		t = time.Date(y, mo, d, 0, mins, 0, 0, loc)
		next = func(t time.Time) time.Time {
			l := t.In(loc)
			y, mo, d := l.Date()
			m := (l.Hour()*60+l.Minute())/u.minute*u.minute + u.minute
			return time.Date(y, mo, d, 0, m, 0, 0, loc)
		}
	case u.day > 0:
		t = time.Date(y, mo, d, 0, 0, 0, 0, loc)
		if t.Before(from) {
			t = time.Date(y, mo, d+1, 0, 0, 0, 0, loc)
		}
		if u.day == 7 {
			for i := 0; i < 7 && t.In(loc).Weekday() != time.Monday; i++ {
				t = addDays(t, loc, 1)
			}
		} else if u.day > 1 {
			for i := 0; i < u.day && civilDay(t.In(loc))%int64(u.day) != 0; i++ {
				t = addDays(t, loc, 1)
			}
		}
		next = func(t time.Time) time.Time { return addDays(t, loc, u.day) }
	case u.month > 0:
		m := int(mo) - 1
		if d > 1 || l.Hour() > 0 || l.Minute() > 0 || l.Second() > 0 || l.Nanosecond() > 0 {
			m++
		}
		m = (m + u.month - 1) / u.month * u.month
		t = time.Date(y, time.Month(m+1), 1, 0, 0, 0, 0, loc)
		next = func(t time.Time) time.Time {
			l := t.In(loc)
			return time.Date(l.Year(), l.Month()+time.Month(u.month), 1, 0, 0, 0, 0, loc)
		}
	default:
		yy := y
		if !time.Date(y, 1, 1, 0, 0, 0, 0, loc).Equal(from) {
			yy++
		}
		yy = ceilDiv(yy, u.year) * u.year
		t = time.Date(yy, 1, 1, 0, 0, 0, 0, loc)
		next = func(t time.Time) time.Time {
			return time.Date(t.In(loc).Year()+u.year, 1, 1, 0, 0, 0, 0, loc)
		}
	}
	var out []time.Time
	for ; !t.After(to) && len(out) < maxTicks; t = next(t) {
		if !t.Before(from) && (len(out) == 0 || t.After(out[len(out)-1])) {
			out = append(out, t)
		}
		if n := next(t); !n.After(t) {
			break // the calendar ran out (year 292277026596)
		}
	}
	return out
}

func addDays(t time.Time, loc *time.Location, n int) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+n, 0, 0, 0, 0, loc)
}

// civilDay numbers the days of the proleptic calendar (Unix epoch = 0).
func civilDay(l time.Time) int64 {
	y, m, d := l.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func ceilDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a > 0) == (b > 0) {
		q++
	}
	return q
}

// tickLabel writes a tick's main label and, where the day (or year)
// changes or on the first tick, a second line naming it.
func tickLabel(t time.Time, prev time.Time, first bool, u tickUnit, loc *time.Location) (main, sub string) {
	l := t.In(loc)
	p := prev.In(loc)
	switch {
	case u.minute > 0:
		main = l.Format("15:04")
		if first || l.YearDay() != p.YearDay() || l.Year() != p.Year() {
			sub = l.Format("Mon 2 Jan")
		}
	case u.day > 0:
		main = l.Format("Mon 2")
		if u.day > 1 {
			main = l.Format("2 Jan")
		}
		if first || l.Month() != p.Month() || l.Year() != p.Year() {
			sub = l.Format("Jan 2006")
			if u.day > 1 {
				sub = l.Format("2006")
				if !first && l.Year() == p.Year() {
					sub = ""
				}
			}
		}
	case u.month > 0:
		main = l.Format("Jan")
		if first || l.Year() != p.Year() {
			sub = l.Format("2006")
		}
	default:
		main = l.Format("2006")
	}
	return main, sub
}

// spanLabel writes the time range [from, to) of a bar as its tooltip says
// it: "09:35–09:40 PST", with the day in front when the chart spans days
// ("Tue 3 Mar 09:35–09:40 PST"); whole days as dates.
func spanLabel(from, to time.Time, loc *time.Location, withDay bool) string {
	f, t := from.In(loc), to.In(loc)
	day := 24 * time.Hour
	if to.Sub(from) >= day && f.Hour() == 0 && f.Minute() == 0 && t.Hour() == 0 && t.Minute() == 0 {
		last := t.Add(-time.Nanosecond)
		if f.YearDay() == last.YearDay() && f.Year() == last.Year() {
			return f.Format("Mon 2 Jan 2006")
		}
		if f.Year() == last.Year() {
			return f.Format("2 Jan") + "–" + last.Format("2 Jan 2006")
		}
		return f.Format("2 Jan 2006") + "–" + last.Format("2 Jan 2006")
	}
	s := f.Format("15:04") + "–" + t.Format("15:04 MST")
	if f.YearDay() != t.YearDay() && to.Sub(from) >= day/2 || withDay {
		s = f.Format("Mon 2 Jan ") + s
	}
	return s
}

// zoneNote names the zone of a chart: "Times in America/Los_Angeles
// (PST)", both abbreviations where daylight saving time changes within it.
func zoneNote(from, to time.Time, loc *time.Location) string {
	name := loc.String()
	a, _ := from.In(loc).Zone()
	b, _ := to.In(loc).Zone()
	abbr := a
	if b != a {
		abbr = a + "/" + b
	}
	if abbr == name || abbr == "" {
		return "Times in " + name
	}
	return "Times in " + name + " (" + abbr + ")"
}
