package spike

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// nabTuned and nabHeld split the six company-mention series of NAB's
// realTweets set in two halves. The first defaults were chosen on the first
// half; the present ones on all six (the cross-validated row of the report
// is the out-of-sample figure), and the halves are kept as a breakdown.
func nabTuned() []string { return []string{"AAPL", "CRM", "CVS"} }
func nabHeld() []string  { return []string{"IBM", "KO", "PFE"} }

const nabLayout = "2006-01-02 15:04:05.999999"

// Window is a labelled anomaly window, both ends inclusive.
type Window struct {
	Start, End time.Time
}

// Score is how one detector did on one series (or on several: see
// [Report]).
type Score struct {
	Windows     int             // labelled windows
	Found       int             // windows with at least one detection inside
	FalseAlarms int             // detections outside every window
	Weeks       float64         // length of the series in weeks
	Leads       []time.Duration // window start → first detection inside, per found window
}

// Share is Found/Windows (0 with no windows).
func (c Score) Share() float64 {
	if c.Windows == 0 {
		return 0
	}
	return float64(c.Found) / float64(c.Windows)
}

// FalsePerWeek is FalseAlarms per week of series (0 for an empty series).
func (c Score) FalsePerWeek() float64 {
	if c.Weeks <= 0 {
		return 0
	}
	return float64(c.FalseAlarms) / c.Weeks
}

// MedianLead is the median of Leads, or -1 when no window was found.
func (c Score) MedianLead() time.Duration {
	if len(c.Leads) == 0 {
		return -1
	}
	l := slices.Clone(c.Leads)
	slices.Sort(l)
	m := len(l) / 2
	if len(l)%2 == 1 {
		return l[m]
	}
	return (l[m-1] + l[m]) / 2
}

func (c Score) add(o Score) Score {
	c.Windows += o.Windows
	c.Found += o.Found
	c.FalseAlarms += o.FalseAlarms
	c.Weeks += o.Weeks
	c.Leads = append(slices.Clone(c.Leads), o.Leads...)
	return c
}

// SeriesResult is the evaluation of one series.
type SeriesResult struct {
	Name    string // "AAPL", …
	Buckets int
	Ours    Score // Detect with the zero Options
	ZScore  Score // ZScore with the zero ZOptions
}

// Report is the evaluation of both detectors on the NAB realTweets series.
type Report struct {
	Series  []SeriesResult
	Overall SeriesResult // sums over all series (Leads pooled)
	TunedOn SeriesResult // AAPL, CRM, CVS (the first defaults were chosen on these)
	HeldOut SeriesResult // IBM, KO, PFE

	// CrossValidated is the leave-one-series-out figure: for each series,
	// the options of [NABGrid] that find the most windows at ≤ 1 false
	// alarm per series-week on the other five, scored on it; Ours pools the
	// six held-out scores (ZScore has nothing to choose and is its overall
	// score). Folds names the choice for each series.
	CrossValidated SeriesResult
	Folds          []Fold

	// MatchedZ is the z-score at the lowest threshold (3 to 30, in steps
	// of 0.5) at which it raises no more false alarms than ours overall:
	// the two detectors compared at the same false-alarm budget.
	MatchedZ          Score
	MatchedZThreshold float64
}

// Fold is one round of the cross-validation: the options chosen without
// looking at series Held.
type Fold struct {
	Held    string
	Options Options
}

// NABGrid is the set of options [Evaluate] cross-validates over: the
// burst detector's High and Cooldown and the slow detector's SlowHigh and
// SlowMinFactor around the defaults (the zero Options is the first).
func NABGrid() []Options {
	var g []Options
	for _, cd := range []time.Duration{0, 6 * time.Hour} {
		for _, hi := range []float64{0, 5} {
			for _, sh := range []float64{0, 5, 6} {
				for _, sf := range []float64{0, 3} {
					g = append(g, Options{Cooldown: cd, High: hi, SlowHigh: sh, SlowMinFactor: sf})
				}
			}
		}
	}
	return g
}

// choose returns the index of the options in scores (per option, per
// series) that find the most windows on the series in train at ≤ 1 false
// alarm per series-week, fewer false alarms breaking ties and the earlier
// options breaking those; -1 when none qualifies.
func choose(scores []map[string]Score, train []string) int {
	best, found, falses := -1, -1, 0
	for i, sc := range scores {
		var tot Score
		for _, n := range train {
			tot = tot.add(sc[n])
		}
		if tot.FalsePerWeek() > 1 {
			continue
		}
		if tot.Found > found || (tot.Found == found && tot.FalseAlarms < falses) {
			best, found, falses = i, tot.Found, tot.FalseAlarms
		}
	}
	return best
}

// Evaluate reads the six NAB realTweets series
// (nab_realTweets_Twitter_volume_<NAME>.csv, "timestamp,value" every 5
// minutes) and their labelled windows (nab_realTweets_windows.json) from dir,
// runs [Detect] and [ZScore] with default options on each, and scores every
// detection (the Detected bucket of a spike, one per spike): inside a window
// it finds that window, outside every window it is a false alarm. It also
// runs Detect with every option set of [NABGrid] for the leave-one-series-out
// row (Report.CrossValidated).
func Evaluate(dir string) (*Report, error) {
	wins, err := readWindows(filepath.Join(dir, "nab_realTweets_windows.json"))
	if err != nil {
		return nil, err
	}
	r := &Report{
		Overall: SeriesResult{Name: "overall"},
		TunedOn: SeriesResult{Name: "first half (" + strings.Join(nabTuned(), ",") + ")"},
		HeldOut: SeriesResult{Name: "second half (" + strings.Join(nabHeld(), ",") + ")"},
	}
	names := append(nabTuned(), nabHeld()...)
	grid := NABGrid()
	scores := make([]map[string]Score, len(grid))
	for i := range scores {
		scores[i] = make(map[string]Score, len(names))
	}
	series := map[string]Series{}
	for _, name := range names {
		s, err := ReadNAB(filepath.Join(dir, "nab_realTweets_Twitter_volume_"+name+".csv"))
		if err != nil {
			return nil, err
		}
		w, ok := wins["realTweets/Twitter_volume_"+name+".csv"]
		if !ok {
			return nil, fmt.Errorf("spike: no windows for %s in %s", name, dir)
		}
		series[name] = s
		for i, o := range grid {
			scores[i][name] = scoreSpikes(s, w, Detect(s, o))
		}
		res := SeriesResult{
			Name:    name,
			Buckets: s.Len(),
			Ours:    scores[0][name],
			ZScore:  scoreSpikes(s, w, ZScore(s, ZOptions{})),
		}
		r.Series = append(r.Series, res)
		for _, g := range []*SeriesResult{&r.Overall, tunedOrHeld(r, name)} {
			g.Buckets += res.Buckets
			g.Ours = g.Ours.add(res.Ours)
			g.ZScore = g.ZScore.add(res.ZScore)
		}
	}
	r.CrossValidated = SeriesResult{Name: "cross-validated", Buckets: r.Overall.Buckets, ZScore: r.Overall.ZScore}
	for _, held := range names {
		train := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == held })
		i := choose(scores, train)
		if i < 0 {
			// Nothing qualifies on the training series: the defaults.
			i = 0
		}
		r.CrossValidated.Ours = r.CrossValidated.Ours.add(scores[i][held])
		r.Folds = append(r.Folds, Fold{Held: held, Options: grid[i]})
	}
	budget := r.Overall.Ours.FalsePerWeek()
	for th := 3.0; th <= 30; th += 0.5 {
		var sc Score
		for _, name := range names {
			sc = sc.add(scoreSpikes(series[name], wins["realTweets/Twitter_volume_"+name+".csv"], ZScore(series[name], ZOptions{Threshold: th})))
		}
		if sc.FalsePerWeek() <= budget {
			r.MatchedZ, r.MatchedZThreshold = sc, th
			break
		}
	}
	return r, nil
}

func tunedOrHeld(r *Report, name string) *SeriesResult {
	if slices.Contains(nabTuned(), name) {
		return &r.TunedOn
	}
	return &r.HeldOut
}

func scoreSpikes(s Series, wins []Window, spikes []Spike) Score {
	sc := Score{
		Windows: len(wins),
		Weeks:   float64(time.Duration(s.Len())*s.Step) / float64(7*24*time.Hour),
	}
	first := make([]time.Time, len(wins))
	for _, sp := range spikes {
		inside := false
		for i, w := range wins {
			if sp.Detected.Before(w.Start) || sp.Detected.After(w.End) {
				continue
			}
			inside = true
			if first[i].IsZero() || sp.Detected.Before(first[i]) {
				first[i] = sp.Detected
			}
		}
		if !inside {
			sc.FalseAlarms++
		}
	}
	for i, f := range first {
		if !f.IsZero() {
			sc.Found++
			sc.Leads = append(sc.Leads, f.Sub(wins[i].Start))
		}
	}
	return sc
}

// ReadNAB reads a NAB data file: a "timestamp,value" header, then one row
// per step with timestamps "2006-01-02 15:04:05" (UTC) in increasing order.
// The step is the gap between the first two rows; a missing row reads as a
// zero count. A row out of order or off the step grid is an error.
func ReadNAB(path string) (Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return Series{}, fmt.Errorf("spike: %w", err)
	}
	defer f.Close()
	s, err := parseNAB(bufio.NewReader(f))
	if err != nil {
		return Series{}, fmt.Errorf("spike: %s: %w", path, err)
	}
	return s, nil
}

// maxNABBuckets bounds the series a NAB file may describe (about ten years
// of 5-minute buckets), so a bad timestamp cannot ask for all memory.
const maxNABBuckets = 1 << 20

func parseNAB(r io.Reader) (Series, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return Series{}, fmt.Errorf("header: %w", err)
	}
	if strings.TrimSpace(head[0]) != "timestamp" || strings.TrimSpace(head[1]) != "value" {
		return Series{}, fmt.Errorf("header %q, want timestamp,value", strings.Join(head, ","))
	}
	var s Series
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Series{}, err
		}
		t, err := time.Parse(nabLayout, strings.TrimSpace(rec[0]))
		if err != nil {
			return Series{}, fmt.Errorf("line %d: %w", line, err)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
		if err != nil {
			return Series{}, fmt.Errorf("line %d: %w", line, err)
		}
		switch {
		case line == 2:
			s.Start = t
			s.Counts = append(s.Counts, v)
			continue
		case line == 3:
			s.Step = t.Sub(s.Start)
			if s.Step <= 0 {
				return Series{}, fmt.Errorf("line %d: time %s not after %s", line, t, s.Start)
			}
		}
		d := t.Sub(s.Start)
		i := int(d / s.Step)
		if d%s.Step != 0 || i < len(s.Counts) || i >= maxNABBuckets {
			return Series{}, fmt.Errorf("line %d: time %s out of order or off the %s grid", line, t, s.Step)
		}
		for len(s.Counts) < i {
			s.Counts = append(s.Counts, 0)
		}
		s.Counts = append(s.Counts, v)
	}
	if len(s.Counts) == 0 {
		return Series{}, errors.New("no rows")
	}
	if s.Step == 0 {
		s.Step = 5 * time.Minute
	}
	return s, nil
}

func readWindows(path string) (map[string][]Window, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("spike: %w", err)
	}
	var raw map[string][][2]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("spike: %s: %w", path, err)
	}
	out := make(map[string][]Window, len(raw))
	for k, ws := range raw {
		for _, w := range ws {
			a, err := time.Parse(nabLayout, w[0])
			if err != nil {
				return nil, fmt.Errorf("spike: %s: %s: %w", path, k, err)
			}
			b, err := time.Parse(nabLayout, w[1])
			if err != nil {
				return nil, fmt.Errorf("spike: %s: %s: %w", path, k, err)
			}
			out[k] = append(out[k], Window{Start: a, End: b})
		}
	}
	return out, nil
}

// Write prints the report as an aligned table, both detectors side by side.
func (r *Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Spike detection on NAB realTweets: left Detect (robust z, hour-of-week baseline), right ZScore (24h mean/std, z ≥ 3)")
	fmt.Fprintln(tw, "series\tweeks\twindows\t|\tfound\tshare\tfalse\tfalse/wk\tlead\t|\tfound\tshare\tfalse\tfalse/wk\tlead\t")
	row := func(s SeriesResult) {
		fmt.Fprintf(tw, "%s\t%.1f\t%d\t%s\t%s\t\n", s.Name, s.Ours.Weeks, s.Ours.Windows, cells(s.Ours), cells(s.ZScore))
	}
	for _, s := range r.Series {
		row(s)
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t")
	row(r.TunedOn)
	row(r.HeldOut)
	row(r.Overall)
	row(r.CrossValidated)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("spike: write report: %w", err)
	}
	if r.MatchedZThreshold > 0 {
		m := r.MatchedZ
		fmt.Fprintf(w, "at the same false-alarm budget: ZScore with z ≥ %g finds %d of %d windows (%.0f%%) at %.2f false alarms per week; ours %d (%.0f%%) at %.2f\n",
			r.MatchedZThreshold, m.Found, m.Windows, 100*m.Share(), m.FalsePerWeek(), r.Overall.Ours.Found, 100*r.Overall.Ours.Share(), r.Overall.Ours.FalsePerWeek())
	}
	fmt.Fprintln(w, "found: windows with a detection inside; false: detections outside every window; lead: median time from window start to the first detection inside.")
	_, err := fmt.Fprintln(w, "cross-validated: each series scored with the options (of NABGrid) that do best on the other five at <= 1 false alarm per series-week; the other rows use the defaults, chosen on all six (in-sample).")
	for _, f := range r.Folds {
		o := f.Options.withDefaults()
		_, err = fmt.Fprintf(w, "  without %-4s  High %g Cooldown %s SlowHigh %g SlowMinFactor %g\n", f.Held, o.High, o.Cooldown, o.SlowHigh, o.SlowMinFactor)
	}
	if err != nil {
		return fmt.Errorf("spike: write report: %w", err)
	}
	return nil
}

func cells(c Score) string {
	lead := "-"
	if l := c.MedianLead(); l >= 0 {
		lead = l.Round(time.Minute).String()
		lead = strings.TrimSuffix(lead, "0s")
	}
	return fmt.Sprintf("|\t%d\t%.0f%%\t%d\t%.2f\t%s", c.Found, 100*c.Share(), c.FalseAlarms, c.FalsePerWeek(), lead)
}
