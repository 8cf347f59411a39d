package spike

import (
	"math"
	"slices"
	"time"
)

// Spike is one burst found in a [Series]. The indices are bucket positions in
// the series; the times are bucket starts. The spike covers the buckets
// StartIndex…EndIndex, that is [Start, End+Step).
type Spike struct {
	Start    time.Time // first bucket of the burst (may precede Detected)
	Detected time.Time // bucket where the detector first fired: the detection
	Peak     time.Time // bucket with the highest count
	End      time.Time // last bucket still above the baseline

	StartIndex, DetectedIndex, PeakIndex, EndIndex int

	PeakCount float64 // count in the peak bucket
	Baseline  float64 // expected count per bucket when the spike was detected
	Factor    float64 // PeakCount / max(Baseline, 1)
	Score     float64 // the detector's score at detection (robust z, or z for ZScore)
	Seasonal  bool    // Baseline included the same hour-of-week in earlier weeks
	Ongoing   bool    // the series ended while the spike was still running
}

// Options tune [Detect]. The zero value uses the defaults noted on each
// field; a zero field means "default". The defaults were chosen on the six
// NAB realTweets series; see the package doc for the cross-validated figure.
type Options struct {
	// Window is the trailing window of the robust baseline. Default 24h; at
	// least 12 buckets are used whatever the step.
	Window time.Duration
	// Smooth is the width of the trailing moving sum the score is computed
	// on: the detector looks at posts per Smooth, not per bucket. Default
	// 30m; a negative value or one below Step means one bucket.
	Smooth time.Duration
	// High is the robust z-score at which a spike opens. Default 6.
	High float64
	// Low is the robust z-score above which an open spike continues
	// (hysteresis). Default 1.5.
	Low float64
	// MinCount is the least number of posts in the Smooth window for a spike
	// to open. Default 5.
	MinCount float64
	// MinFactor is the least ratio of the posts in the Smooth window to
	// their baseline for a spike to open. Default 5, which suits 5-minute
	// buckets of a topic; a broad keyword counted per hour (where the noise
	// is small relative to the level) wants a lower one, such as 1.3.
	MinFactor float64
	// MinHistory is how much of the series must lie before a bucket for a
	// spike to open there: Detect knows nothing before Start, so a timeline
	// should begin before the incident. Default 1h; at least 3 buckets.
	MinHistory time.Duration
	// Gap is how long the score may stay below Low inside a spike before it
	// closes. Default 15m.
	Gap time.Duration
	// Cooldown is how long after a spike ends no new one may open (as an
	// alerting system would not page twice for one incident). Default 12h;
	// negative for none.
	Cooldown time.Duration
	// MaxDuration closes a spike that lasts this long and takes its level as
	// the new baseline (a lasting change of level, not a burst). Default 24h.
	MaxDuration time.Duration
	// Season is the period of the seasonal baseline. Default one week (the
	// hour-of-week baseline); a negative value turns it off. It is used only
	// when it is a whole number of steps.
	Season time.Duration
	// SeasonMin is how many full periods of history a bucket needs before
	// the seasonal baseline is used. Default 3.
	SeasonMin int
	// SeasonMax is how many past periods are sampled. Default 4.
	SeasonMax int
	// SeasonWidth is how far on either side of the same time in an earlier
	// period samples are taken. Default 30m.
	SeasonWidth time.Duration

	// SlowSmooth is the trailing sum of the second, slow detector, which
	// looks for rises over hours that the burst detector misses (a sparse
	// series going from a post an hour to a few dozen). It runs the same
	// method on posts per SlowSmooth; a detection from either detector is a
	// spike, and overlapping spikes are merged. Default 3h; negative turns
	// the slow detector off.
	SlowSmooth time.Duration
	// SlowWindow is the trailing window of the slow detector's baseline.
	// Default 72h.
	SlowWindow time.Duration
	// SlowHigh is the robust z-score at which the slow detector fires.
	// Default 4.
	SlowHigh float64
	// SlowMinCount is the least number of posts in the SlowSmooth window
	// for the slow detector to fire. Default 10.
	SlowMinCount float64
	// SlowMinFactor is the least ratio of the posts in the SlowSmooth
	// window to their baseline for the slow detector to fire. Default 3.
	SlowMinFactor float64
}

func (o Options) withDefaults() Options {
	def := func(v *float64, d float64) {
		if !(*v > 0) || math.IsInf(*v, 1) {
			*v = d
		}
	}
	if o.Window <= 0 {
		o.Window = 24 * time.Hour
	}
	def(&o.High, 6)
	def(&o.Low, 1.5)
	if o.Low > o.High {
		o.Low = o.High
	}
	def(&o.MinCount, 5)
	def(&o.MinFactor, 5)
	if o.Gap <= 0 {
		o.Gap = 15 * time.Minute
	}
	if o.MinHistory <= 0 {
		o.MinHistory = time.Hour
	}
	if o.Smooth == 0 {
		o.Smooth = 30 * time.Minute
	}
	if o.Cooldown == 0 {
		o.Cooldown = 12 * time.Hour
	}
	if o.MaxDuration <= 0 {
		o.MaxDuration = 24 * time.Hour
	}
	if o.Season == 0 {
		o.Season = 7 * 24 * time.Hour
	}
	if o.SeasonMin <= 0 {
		o.SeasonMin = 3
	}
	if o.SeasonMax < o.SeasonMin {
		o.SeasonMax = max(4, o.SeasonMin)
	}
	if o.SeasonWidth <= 0 {
		o.SeasonWidth = 30 * time.Minute
	}
	if o.SlowSmooth == 0 {
		o.SlowSmooth = 2 * time.Hour
	}
	if o.SlowWindow <= 0 {
		o.SlowWindow = 72 * time.Hour
	}
	def(&o.SlowHigh, 4)
	def(&o.SlowMinCount, 10)
	def(&o.SlowMinFactor, 5)
	return o
}

// Poisson noise has standard deviation 1 on the Anscombe scale; it is the
// floor of the robust scale, so a near-constant history does not make every
// extra post a spike.
const minScale = 1.0

// madToSigma turns a median absolute deviation into a standard deviation for
// normal data.
const madToSigma = 1.4826

// anscombe is the variance-stabilising transform of a Poisson count.
func anscombe(x float64) float64 { return 2 * math.Sqrt(x+3.0/8) }

// unAnscombe is the count whose transform is y (the plain algebraic inverse).
func unAnscombe(y float64) float64 { return max(0, y*y/4-3.0/8) }

// Detect finds bursts in s. It is causal: whether bucket t opens a spike
// depends on buckets 0…t only, so running it on a growing series reports
// the same Detected times as running it on the whole series. Start, Peak and
// End of a spike that is still running are provisional (Ongoing is set).
// Spikes are in time order and do not overlap. An empty or constant series,
// or one with Step ≤ 0, has none.
func Detect(s Series, opts Options) []Spike {
	if s.Step <= 0 || len(s.Counts) == 0 {
		return nil
	}
	o := opts.withDefaults()
	x := clean(s.Counts)
	fast := newDetector(o, s.Step, x, path{o.Smooth, o.Window, o.Window, o.High, o.MinCount, o.MinFactor}).run(s)
	if o.SlowSmooth < 0 {
		return fast
	}
	sd := newDetector(o, s.Step, x, path{o.SlowSmooth, o.SlowWindow, o.SlowSmooth, o.SlowHigh, o.SlowMinCount, o.SlowMinFactor})
	slow := sd.run(s)
	for i := range slow {
		// The slow score is a trailing sum over many buckets: it stays
		// high for a Smooth after the posts have calmed down.
		sp := &slow[i]
		if !sp.Ongoing {
			sp.EndIndex = max(sp.DetectedIndex, sp.EndIndex-(sd.smooth-1))
			sp.End = s.Time(sp.EndIndex)
			setPeak(s, x, sp)
		}
	}
	return merge(s, x, fast, slow)
}

// path is what differs between the burst detector and the slow one.
type path struct {
	smooth, window, back      time.Duration
	high, minCount, minFactor float64
}

func newDetector(o Options, step time.Duration, x []float64, p path) *detector {
	n := len(x)
	k := buckets(p.smooth, step, 1)
	y := make([]float64, n)
	sum := 0.0
	for i, v := range x {
		sum += v
		if i >= k {
			sum -= x[i-k]
		}
		y[i] = anscombe(max(0, sum))
	}
	d := &detector{
		o:         o,
		x:         x,
		y:         y,
		high:      p.high,
		low:       min(o.Low, p.high),
		minCount:  p.minCount,
		minFactor: p.minFactor,
		window:    buckets(p.window, step, 12),
		back:      buckets(p.back, step, 1),
		gap:       buckets(o.Gap, step, 0),
		maxLen:    buckets(o.MaxDuration, step, 1),
		cooldown:  buckets(o.Cooldown, step, 0),
		minHist:   buckets(o.MinHistory, step, 3),
		smooth:    k,
		hist:      make([]float64, 0, n),
		z:         make([]float64, n),
		seasT:     -2,
	}
	if o.Season > 0 && o.Season%step == 0 {
		d.period = int(o.Season / step)
		d.width = int(o.SeasonWidth / step)
		if 2*d.width >= d.period {
			d.period = 0 // too coarse a step for a seasonal profile
		}
	}
	return d
}

type detector struct {
	o                   Options
	x, y                []float64
	high, low           float64
	minCount, minFactor float64
	window, gap, maxLen int
	smooth, cooldown    int
	minHist             int
	back                int // how far Start may be backdated, in buckets
	period, width       int
	hist                []float64 // y of the buckets not in a spike, in order
	win                 sorted    // the last window entries of hist
	z                   []float64
	seas                sorted // the hour-of-week samples of bucket seasT
	seasK, seasT        int    // how many periods seas holds, and for which bucket
}

// push appends v to the history and slides the window.
func (d *detector) push(v float64) {
	d.hist = append(d.hist, v)
	d.win.insert(v)
	if n := len(d.hist); n > d.window {
		d.win.remove(d.hist[n-1-d.window])
	}
}

// drop removes the m newest entries of the history.
func (d *detector) drop(m int) {
	for ; m > 0 && len(d.hist) > 0; m-- {
		n := len(d.hist)
		d.win.remove(d.hist[n-1])
		d.hist = d.hist[:n-1]
		if n-1 >= d.window {
			d.win.insert(d.hist[n-1-d.window])
		}
	}
}

// baseline returns the expected value on the Anscombe scale and the robust
// scale for bucket t, from data before t, and whether the hour-of-week
// baseline raised either.
func (d *detector) baseline(t int) (base, scale float64, seasonal bool) {
	base, scale = anscombe(0), minScale
	if len(d.win) > 0 {
		base, scale = robust(d.win)
	}
	if d.period == 0 || t < d.o.SeasonMin*d.period || !d.seasonSamples(t) {
		return base, scale, false
	}
	// Earlier spikes are kept in the samples: a burst that recurs at this
	// hour every week is what the seasonal baseline is for, and the median
	// of SeasonMax·(2·width+1) samples shrugs off a one-off one.
	sb, ss := robust(d.seas)
	// The burst must stand out against both the recent level and the usual
	// level for this hour of the week.
	return max(base, sb), max(scale, ss), sb > base || ss > scale
}

// seasonSamples fills d.seas with y at the same time ± width in up to
// SeasonMax earlier periods (whole periods only), sliding the previous
// bucket's samples when it can, and reports whether there are enough.
func (d *detector) seasonSamples(t int) bool {
	k := 0
	if t >= d.width {
		k = min(d.o.SeasonMax, (t-d.width)/d.period)
	}
	if k*(2*d.width+1) < d.o.SeasonMin*(d.width+1) {
		d.seasT = -2
		return false
	}
	if k != d.seasK || t != d.seasT+1 {
		d.seas = d.seas[:0]
		for i := 1; i <= k; i++ {
			c := t - i*d.period
			d.seas = append(d.seas, d.y[c-d.width:c+d.width+1]...)
		}
		slices.Sort(d.seas)
	} else {
		for i := 1; i <= k; i++ {
			c := t - i*d.period
			d.seas.remove(d.y[c-d.width-1])
			d.seas.insert(d.y[c+d.width])
		}
	}
	d.seasK, d.seasT = k, t
	return true
}

func setPeak(s Series, x []float64, sp *Spike) {
	sp.PeakIndex = sp.StartIndex
	for i := sp.StartIndex; i <= sp.EndIndex; i++ {
		if x[i] > x[sp.PeakIndex] {
			sp.PeakIndex = i
		}
	}
	sp.PeakCount = x[sp.PeakIndex]
	sp.Factor = sp.PeakCount / max(sp.Baseline, 1)
	sp.Peak = s.Time(sp.PeakIndex)
}

func (d *detector) run(s Series) []Spike {
	var (
		spikes  []Spike
		cur     Spike
		in      bool
		last    int // last bucket of the open spike with z ≥ Low
		prevEnd = -1
	)
	closeSpike := func(t int, ongoing bool) {
		cur.EndIndex = last
		cur.Ongoing = ongoing
		cur.Start, cur.Detected, cur.End = s.Time(cur.StartIndex), s.Time(cur.DetectedIndex), s.Time(cur.EndIndex)
		setPeak(s, d.x, &cur)
		spikes = append(spikes, cur)
		// Buckets after the last elevated one were ordinary.
		for i := last + 1; i <= t && i < len(d.x); i++ {
			d.push(d.y[i])
		}
		prevEnd = last
		in = false
	}
	for t := range d.x {
		base, scale, seasonal := d.baseline(t)
		z := (d.y[t] - base) / scale
		d.z[t] = z
		if !in {
			bc := unAnscombe(base)
			if t >= d.minHist && z >= d.high && d.y[t] >= anscombe(d.minCount) && d.y[t] >= anscombe(d.minFactor*bc) &&
				(prevEnd < 0 || t-prevEnd > d.cooldown) {
				start := t
				for start-1 > prevEnd && t-(start-1) <= d.back && d.z[start-1] >= d.low {
					start--
				}
				// The backdated buckets were taken as ordinary; they are the
				// newest entries of hist.
				d.drop(t - start)
				cur = Spike{StartIndex: start, DetectedIndex: t, Baseline: bc / float64(d.smooth), Score: z, Seasonal: seasonal}
				in, last = true, t
			} else {
				d.push(d.y[t])
			}
			continue
		}
		if z >= d.low {
			last = t
		} else if t-last > d.gap {
			closeSpike(t, false)
			continue
		}
		if t-cur.StartIndex+1 >= d.maxLen {
			// A level held this long is the new normal: close the spike
			// and let its buckets into the baseline.
			lo := max(cur.StartIndex, t+1-d.window)
			for i := cur.StartIndex; i <= t; i++ {
				if i >= lo && i <= last {
					d.push(d.y[i])
				}
			}
			closeSpike(t, false)
		}
	}
	if in {
		closeSpike(len(d.x)-1, true)
	}
	return spikes
}

// merge adds the slow detector's spikes to the burst detector's. A burst
// spike wins: a slow spike detected inside one is dropped, and one that
// overlaps a burst spike is cut back to the buckets before (or after) it, so
// a burst keeps its own Start and End.
func merge(s Series, x []float64, fast, slow []Spike) []Spike {
	out := slices.Clone(fast)
	for _, sp := range slow {
		keep := true
		for _, f := range fast {
			if f.EndIndex < sp.StartIndex {
				continue
			}
			if f.StartIndex > sp.EndIndex {
				break
			}
			if sp.DetectedIndex >= f.StartIndex && sp.DetectedIndex <= f.EndIndex {
				keep = false
				break
			}
			if sp.DetectedIndex > f.EndIndex {
				sp.StartIndex = f.EndIndex + 1
				continue
			}
			sp.EndIndex, sp.Ongoing = f.StartIndex-1, false
			break
		}
		if keep {
			sp.Start, sp.End = s.Time(sp.StartIndex), s.Time(sp.EndIndex)
			setPeak(s, x, &sp)
			out = append(out, sp)
		}
	}
	slices.SortFunc(out, func(a, b Spike) int { return a.StartIndex - b.StartIndex })
	return out
}

// ZOptions tune [ZScore]. The zero value uses the defaults.
type ZOptions struct {
	// Window is the trailing window of the mean and standard deviation.
	// Default 24h (288 buckets of 5 minutes).
	Window time.Duration
	// Threshold is the z-score at which a bucket is anomalous. Default 3.
	Threshold float64
}

// ZScore is the plain rolling z-score detector, the comparison for
// [Detect]: bucket t is anomalous when (x[t] − mean)/std ≥ Threshold, with
// the mean and (population) standard deviation of the Window buckets before
// t, once at least min(12, Window) buckets of history exist. A zero standard
// deviation makes any count above the mean anomalous (z = +Inf; Score is
// then reported as 0). Each run of consecutive anomalous buckets is one
// spike, detected at its first bucket. No transform, no seasonality, no
// hysteresis.
func ZScore(s Series, opts ZOptions) []Spike {
	if s.Step <= 0 || len(s.Counts) == 0 {
		return nil
	}
	if opts.Window <= 0 {
		opts.Window = 24 * time.Hour
	}
	if !(opts.Threshold > 0) || math.IsInf(opts.Threshold, 1) {
		opts.Threshold = 3
	}
	x := clean(s.Counts)
	w := buckets(opts.Window, s.Step, 1)
	minHist := min(12, w)
	var spikes []Spike
	in := false
	var cur Spike
	for t := range x {
		lo := max(0, t-w)
		hit := false
		var mean, z float64
		if t-lo >= minHist {
			for _, v := range x[lo:t] {
				mean += v
			}
			mean /= float64(t - lo)
			var ss float64
			for _, v := range x[lo:t] {
				ss += (v - mean) * (v - mean)
			}
			sd := math.Sqrt(ss / float64(t-lo))
			if sd > 0 {
				z = (x[t] - mean) / sd
				hit = z >= opts.Threshold
			} else {
				hit = x[t] > mean
			}
		}
		switch {
		case hit && !in:
			cur = Spike{StartIndex: t, DetectedIndex: t, PeakIndex: t, EndIndex: t, Baseline: mean, Score: z}
			in = true
		case hit:
			cur.EndIndex = t
			if x[t] > x[cur.PeakIndex] {
				cur.PeakIndex = t
			}
		case in:
			spikes = append(spikes, finishZ(s, x, cur))
			in = false
		}
	}
	if in {
		cur.Ongoing = true
		spikes = append(spikes, finishZ(s, x, cur))
	}
	return spikes
}

func finishZ(s Series, x []float64, c Spike) Spike {
	c.PeakCount = x[c.PeakIndex]
	c.Factor = c.PeakCount / max(c.Baseline, 1)
	c.Start, c.Detected = s.Time(c.StartIndex), s.Time(c.DetectedIndex)
	c.Peak, c.End = s.Time(c.PeakIndex), s.Time(c.EndIndex)
	return c
}
