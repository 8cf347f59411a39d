package spike

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
)

// snowflakeTime is the creation time encoded in a Twitter id.
func snowflakeTime(id uint64) time.Time {
	return time.UnixMilli(int64(id>>22) + 1288834974657).UTC()
}

func crisisTimes(t *testing.T) []time.Time {
	t.Helper()
	f, err := os.Open(testdata.Path(t, "crisis", "crisislext26_2013_NY_train_crash-tweetids_entire_period.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var times []time.Time
	for _, rec := range recs[1:] {
		id, err := strconv.ParseUint(rec[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ts := snowflakeTime(id)
		stated, err := time.Parse(time.RubyDate, rec[0])
		if err != nil {
			t.Fatal(err)
		}
		if d := ts.Sub(stated); d < -time.Second || d > time.Second {
			t.Fatalf("id %d: snowflake time %s, file says %s", id, ts, stated)
		}
		times = append(times, ts)
	}
	return times
}

// The Metro-North derailment at Spuyten Duyvil happened 2013-12-01 at about
// 07:20 EST (12:20 UTC); the first collected tweet is from 12:51 UTC (the
// NYPD mobilisation). The first spike must start there.
func TestCrisisOnset(t *testing.T) {
	times := crisisTimes(t)
	onset := time.Date(2013, 12, 1, 12, 20, 0, 0, time.UTC)
	cases := []struct {
		name string
		s    Series
	}{
		// A timeline that begins with the day, quiet before the crash.
		{"padded", FromTimesRange(times, time.Date(2013, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2013, 12, 13, 0, 0, 0, 0, time.UTC), 5*time.Minute)},
		// The short timeline of an incident page: 12 hours at 5 minutes,
		// mostly zeros early on.
		{"12 hours", FromTimesRange(times, time.Date(2013, 12, 1, 6, 0, 0, 0, time.UTC), time.Date(2013, 12, 1, 18, 0, 0, 0, time.UTC), 5*time.Minute)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp := Detect(c.s, Options{})
			if len(sp) == 0 {
				t.Fatal("no spike")
			}
			for _, x := range sp {
				t.Logf("start %s detected %s peak %s (%v) end %s base %.2f factor %.1f", x.Start, x.Detected, x.Peak, x.PeakCount, x.End, x.Baseline, x.Factor)
			}
			first := sp[0]
			if first.Start.Before(onset) || first.Start.After(onset.Add(time.Hour)) {
				t.Errorf("first spike starts %s, want within an hour after the onset %s", first.Start, onset)
			}
			if first.Detected.After(onset.Add(75 * time.Minute)) {
				t.Errorf("first spike detected %s, more than 75 minutes after the onset", first.Detected)
			}
			if first.Factor < 5 || math.IsNaN(first.Factor) {
				t.Errorf("factor %v", first.Factor)
			}
		})
	}
}

type countsPage struct {
	Data []struct {
		Start      time.Time `json:"start"`
		End        time.Time `json:"end"`
		TweetCount float64   `json:"tweet_count"`
	} `json:"data"`
}

// twarc-csv_counts.jsonl is /2/tweets/counts/recent?query=dogs&granularity=hour
// for 2021-10-16 18:21 → 2021-10-23 18:21 UTC. No documented event for
// "dogs" in that week is known to us, so the test asserts what the data
// shows: a daily cycle peaking around 15–18 UTC, and one burst that breaks
// it, on Sunday 2021-10-17 from 13:00 UTC (4,626 → 7,599 → 8,600 posts an
// hour, about 1.7× the same hours on the following days).
func TestCountsBurst(t *testing.T) {
	f, err := os.Open(testdata.Path(t, "twitter-v2", "twarc-csv_counts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var s Series
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var p countsPage
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Data {
			if s.Step == 0 {
				s = Series{Start: d.Start.Truncate(time.Hour), Step: time.Hour}
			}
			if i := s.Index(d.Start); i != s.Len() {
				t.Fatalf("bucket %s at index %d, want %d", d.Start, i, s.Len())
			}
			s.Counts = append(s.Counts, d.TweetCount)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 169 {
		t.Fatalf("%d buckets", s.Len())
	}
	// Default MinFactor (5) is for 5-minute buckets of a topic: a broad
	// keyword per hour never quintuples.
	if sp := Detect(s, Options{}); len(sp) != 0 {
		t.Errorf("defaults found %d spikes in hourly counts of a broad keyword", len(sp))
	}
	sp := Detect(s, Options{MinFactor: 1.3})
	for _, x := range sp {
		t.Logf("start %s detected %s peak %s (%v) end %s base %.0f factor %.2f", x.Start, x.Detected, x.Peak, x.PeakCount, x.End, x.Baseline, x.Factor)
	}
	if len(sp) == 0 {
		t.Fatal("no spike")
	}
	want := time.Date(2021, 10, 17, 13, 0, 0, 0, time.UTC)
	if !sp[0].Detected.Equal(want) || sp[0].Start.Before(want.Add(-2*time.Hour)) || sp[0].Start.After(want) {
		t.Errorf("first spike starts %s, detected %s; want detected %s, started at most 2h before", sp[0].Start, sp[0].Detected, want)
	}
	if p := time.Date(2021, 10, 17, 15, 0, 0, 0, time.UTC); !sp[0].Peak.Equal(p) || sp[0].PeakCount != 8600 {
		t.Errorf("peak %s (%v), want %s (8600)", sp[0].Peak, sp[0].PeakCount, p)
	}
}

func checkSpikes(t *testing.T, s Series, sp []Spike) {
	t.Helper()
	prevEnd := -1
	for _, x := range sp {
		if x.StartIndex <= prevEnd || x.StartIndex > x.DetectedIndex || x.DetectedIndex > x.EndIndex ||
			x.PeakIndex < x.StartIndex || x.PeakIndex > x.EndIndex || x.EndIndex >= s.Len() {
			t.Fatalf("bad indices %+v (len %d, previous end %d)", x, s.Len(), prevEnd)
		}
		for _, v := range []float64{x.PeakCount, x.Baseline, x.Factor, x.Score} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite value in %+v", x)
			}
		}
		if !x.Start.Equal(s.Time(x.StartIndex)) || !x.Detected.Equal(s.Time(x.DetectedIndex)) ||
			!x.Peak.Equal(s.Time(x.PeakIndex)) || !x.End.Equal(s.Time(x.EndIndex)) {
			t.Fatalf("times do not match indices: %+v", x)
		}
		prevEnd = x.EndIndex
	}
}

func series(n int, f func(i int) float64) Series {
	s := Series{Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Step: 5 * time.Minute, Counts: make([]float64, n)}
	for i := range s.Counts {
		s.Counts[i] = f(i)
	}
	return s
}

// noise is a deterministic small wobble (a linear congruential generator).
func noise(i int) float64 { return float64((i*1103515245+12345)>>16&7) - 3.5 }

func TestSynthetic(t *testing.T) {
	day := 288
	cases := []struct {
		name       string
		s          Series
		wantDetect []int // detected indices
	}{
		{"empty", Series{Step: 5 * time.Minute}, nil},
		{"zero step", Series{Counts: []float64{1, 100, 1}}, nil},
		{"all zeros", series(3*day, func(int) float64 { return 0 }), nil},
		{"constant", series(3*day, func(int) float64 { return 40 }), nil},
		{"flat noisy", series(3*day, func(i int) float64 { return 40 + noise(i) }), nil},
		{"single spike", series(3*day, func(i int) float64 {
			if i >= 400 && i < 412 {
				return 400
			}
			return 40 + noise(i)
		}), []int{402}}, // the 30-minute sum reaches 5× its baseline at the third bucket
		// 12 hours at 5 minutes, zeros, then an incident.
		{"incident timeline", series(144, func(i int) float64 {
			if i >= 60 {
				return float64(30 + i%7)
			}
			return 0
		}), []int{60}},
		// Before MinHistory (1h) there is no baseline: a timeline that
		// starts mid-burst is not marked.
		{"spike at the very start", series(144, func(i int) float64 {
			if i < 6 {
				return 200
			}
			return 2
		}), nil},
		{"burst right after the first hour", series(144, func(i int) float64 {
			if i >= 12 && i < 20 {
				return 200
			}
			return 0
		}), []int{12}},
		{"NaN, Inf and negative counts", Series{Start: time.Unix(0, 0), Step: time.Minute, Counts: []float64{
			math.NaN(), math.Inf(1), -3, math.Inf(-1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, det := range []struct {
				name string
				fn   func(Series) []Spike
			}{{"Detect", func(s Series) []Spike { return Detect(s, Options{}) }}, {"ZScore", func(s Series) []Spike { return ZScore(s, ZOptions{}) }}} {
				sp := det.fn(c.s)
				checkSpikes(t, c.s, sp)
				if det.name != "Detect" {
					continue
				}
				var got []int
				for _, x := range sp {
					got = append(got, x.DetectedIndex)
				}
				if !slices.Equal(got, c.wantDetect) {
					t.Errorf("detected at %v, want %v (%+v)", got, c.wantDetect, sp)
				}
			}
		})
	}
}

func TestSingleSpikeShape(t *testing.T) {
	s := series(3*288, func(i int) float64 {
		switch {
		case i == 500:
			return 120
		case i > 500 && i < 510:
			return 300
		case i == 510:
			return 600
		case i > 510 && i < 520:
			return 200
		}
		return 40 + noise(i)
	})
	sp := Detect(s, Options{})
	checkSpikes(t, s, sp)
	if len(sp) != 1 {
		t.Fatalf("%d spikes: %+v", len(sp), sp)
	}
	x := sp[0]
	if x.StartIndex != 500 || x.PeakIndex != 510 || x.PeakCount != 600 || x.EndIndex < 519 || x.EndIndex > 525 {
		t.Errorf("start %d peak %d (%v) end %d", x.StartIndex, x.PeakIndex, x.PeakCount, x.EndIndex)
	}
	if x.Baseline < 38 || x.Baseline > 42 || math.Abs(x.Factor-600/x.Baseline) > 1e-9 {
		t.Errorf("baseline %v factor %v", x.Baseline, x.Factor)
	}
	if x.Ongoing || x.Seasonal {
		t.Errorf("ongoing %v seasonal %v", x.Ongoing, x.Seasonal)
	}
	// Causal: the series cut just after detection gives the same detection,
	// marked ongoing.
	cut := Series{Start: s.Start, Step: s.Step, Counts: s.Counts[:x.DetectedIndex+1]}
	sp2 := Detect(cut, Options{})
	if len(sp2) != 1 || sp2[0].DetectedIndex != x.DetectedIndex || !sp2[0].Ongoing {
		t.Errorf("on the cut series: %+v", sp2)
	}
}

// Four weeks with a sharp daily peak (14:00–16:00, 10× the night). In the
// fourth week the peak is expected from the same hours of earlier weeks and
// must not be flagged; a burst at 03:00 (an hour that is quiet every week)
// must be, against the trailing baseline alone (Seasonal false), and so must
// a burst well above the usual peak at 15:00, against the hour-of-week
// baseline (Seasonal true).
func TestHourOfWeek(t *testing.T) {
	const day = 288
	night := 3*7*day + 2*day + 36 // week 4, day 3, 03:00
	peak := 3*7*day + 4*day + 180 // week 4, day 5, 15:00
	s := series(4*7*day, func(i int) float64 {
		v := 10 + noise(i)/2
		if h := (i % day) / 12; h >= 14 && h < 16 {
			v = 100 + noise(i)
		}
		if i >= night && i < night+6 {
			v = 100
		}
		if i >= peak && i < peak+6 {
			v = 1500
		}
		return v
	})
	sp := Detect(s, Options{})
	checkSpikes(t, s, sp)
	var week4 []Spike
	for _, x := range sp {
		if x.DetectedIndex >= 3*7*day {
			week4 = append(week4, x)
		}
	}
	if len(week4) != 2 {
		t.Fatalf("week 4 spikes %+v, want two", week4)
	}
	if x := week4[0]; x.StartIndex != night || x.DetectedIndex > night+3 || x.Seasonal {
		t.Errorf("night burst %+v, want start %d, not seasonal", x, night)
	}
	if x := week4[1]; x.StartIndex != peak || x.DetectedIndex > peak+3 || !x.Seasonal || x.Baseline < 50 {
		t.Errorf("peak-hour burst %+v, want start %d against the hour-of-week baseline", x, peak)
	}
	// Without the hour-of-week baseline the daily peaks are bursts.
	if sp := Detect(s, Options{Season: -1}); len(sp) < 5 {
		t.Errorf("trailing baseline only: %d spikes, want the daily peaks", len(sp))
	}
}

// A timeline of 16 hours whose four weeks of history are empty (nothing
// was collected then): the hour-of-week samples are all zeros, do not raise
// the baseline, and the spike is not Seasonal.
func TestSeasonalOnlyWhenUsed(t *testing.T) {
	const day = 288
	hist := 4 * 7 * day
	s := series(hist+16*12, func(i int) float64 {
		switch {
		case i < hist:
			return 0
		case i >= hist+168 && i < hist+178:
			return 40
		case i%4 == 0:
			return 1
		}
		return 0
	})
	sp := Detect(s, Options{})
	checkSpikes(t, s, sp)
	if len(sp) != 1 || sp[0].StartIndex != hist+168 || sp[0].Seasonal {
		t.Errorf("%+v, want one spike at %d, not seasonal", sp, hist+168)
	}
}

func TestFromTimes(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 2, 0, 0, time.UTC)
	times := []time.Time{t0.Add(14 * time.Minute), t0, t0.Add(time.Minute), t0.Add(3 * time.Minute)}
	s := FromTimes(times, 5*time.Minute)
	if !s.Start.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) || !slices.Equal(s.Counts, []float64{2, 1, 0, 1}) {
		t.Errorf("%s %v", s.Start, s.Counts)
	}
	if s := FromTimes(nil, time.Minute); s.Len() != 0 {
		t.Errorf("%v", s)
	}
	r := FromTimesRange(times, t0.Add(-2*time.Minute), t0.Add(8*time.Minute), 5*time.Minute)
	if !slices.Equal(r.Counts, []float64{2, 1}) {
		t.Errorf("%v", r.Counts)
	}
	if i := s.Index(s.Start.Add(-time.Second)); i != -1 {
		t.Errorf("index before start %d", i)
	}
}

func TestZScoreHonest(t *testing.T) {
	// Mean 10, population std 2 over the window; 16 is z = 3.
	s := series(40, func(i int) float64 {
		if i == 30 {
			return 16
		}
		if i == 31 {
			return 15.9
		}
		return float64(8 + 4*(i%2))
	})
	sp := ZScore(s, ZOptions{Window: 12 * 5 * time.Minute})
	if len(sp) != 1 || sp[0].DetectedIndex != 30 || math.Abs(sp[0].Score-3) > 1e-9 || sp[0].Baseline != 10 {
		t.Errorf("%+v", sp)
	}
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 50, 60, 0, 0}, uint8(5))
	f.Add([]byte("\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\x00\x00"), uint8(1))
	f.Add([]byte{}, uint8(60))
	f.Fuzz(func(t *testing.T, b []byte, stepMin uint8) {
		// Two bytes per count: the high bit of the first chooses a special
		// value (NaN, ±Inf, negative, huge), else a count up to 32767.
		var counts []float64
		for i := 0; i+1 < len(b); i += 2 {
			v := float64(binary.BigEndian.Uint16(b[i:]) & 0x7fff)
			if b[i]&0x80 != 0 {
				v = []float64{math.NaN(), math.Inf(1), math.Inf(-1), -v, 1e300, v * 1e9, 0, v}[b[i+1]&7]
			}
			counts = append(counts, v)
		}
		s := Series{Start: time.Unix(1e9, 0).UTC(), Step: time.Duration(stepMin) * time.Minute, Counts: counts}
		checkSpikes(t, s, Detect(s, Options{}))
		checkSpikes(t, s, Detect(s, Options{Season: time.Hour, SeasonMin: 1, Window: time.Minute, Smooth: -1, Cooldown: -1}))
		checkSpikes(t, s, ZScore(s, ZOptions{}))
	})
}

func benchDetect(b *testing.B, n int) {
	s := series(n, func(i int) float64 {
		v := 40 + noise(i) + 30*math.Sin(float64(i)*2*math.Pi/288)
		if i%2000 > 1990 {
			v *= 8
		}
		return v
	})
	b.ReportAllocs()
	for b.Loop() {
		Detect(s, Options{})
	}
}

func BenchmarkDetect3Days(b *testing.B)   { benchDetect(b, 864) }
func BenchmarkDetect2Months(b *testing.B) { benchDetect(b, 15902) }

// The timeline's call: four weeks of history and a 12-hour window.
func BenchmarkDetectTimeline(b *testing.B) { benchDetect(b, 4*7*288+144) }
