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
// field; a zero field means "default". The defaults were chosen on three of
// the six NAB realTweets series (see the package doc).
type Options struct {
	// Window is the trailing window of the robust baseline. Default 24h; at
	// least 12 buckets are used whatever the step.
	Window time.Duration
	// Smooth is the width of the trailing moving sum the score is computed
	// on: the detector looks at posts per Smooth, not per bucket. Default
	// 30m; a negative value or one below Step means one bucket.
	Smooth time.Duration
	// High is the robust z-score at which a spike opens. Default 5.
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
	// alerting system would not page twice for one incident). Default 6h;
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
	def(&o.High, 5)
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
		o.Cooldown = 6 * time.Hour
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
	n := len(x)
	k := buckets(o.Smooth, s.Step, 1)
	y := make([]float64, n)
	sum := 0.0
	for i, v := range x {
		sum += v
		if i >= k {
			sum -= x[i-k]
		}
		y[i] = anscombe(max(0, sum))
	}
	d := detector{
		o:        o,
		x:        x,
		y:        y,
		window:   buckets(o.Window, s.Step, 12),
		gap:      buckets(o.Gap, s.Step, 0),
		maxLen:   buckets(o.MaxDuration, s.Step, 1),
		cooldown: buckets(o.Cooldown, s.Step, 0),
		minHist:  buckets(o.MinHistory, s.Step, 3),
		smooth:   k,
		hist:     make([]float64, 0, n),
		z:        make([]float64, n),
	}
	if o.Season > 0 && o.Season%s.Step == 0 {
		d.period = int(o.Season / s.Step)
		d.width = int(o.SeasonWidth / s.Step)
		if 2*d.width >= d.period {
			d.period = 0 // too coarse a step for a seasonal profile
		}
	}
	return d.run(s)
}

type detector struct {
	o                     Options
	x, y                  []float64
	window, gap, maxLen   int
	smooth, cooldown      int
	minHist               int
	period, width         int
	hist                  []float64 // y of the buckets not in a spike, in order
	z                     []float64
	scratch, dev, samples []float64
}

// baseline returns the expected value on the Anscombe scale and the robust
// scale for bucket t, from data before t.
func (d *detector) baseline(t int) (base, scale float64, seasonal bool) {
	h := d.hist[max(0, len(d.hist)-d.window):]
	base, scale = anscombe(0), minScale
	if len(h) > 0 {
		base, scale = d.robust(h)
	}
	if d.period == 0 || t < d.o.SeasonMin*d.period {
		return base, scale, false
	}
	d.samples = d.samples[:0]
	for k := 1; k <= d.o.SeasonMax; k++ {
		c := t - k*d.period
		if c-d.width < 0 {
			break
		}
		// Earlier spikes are kept: a burst that recurs at this hour
		// every week is what the seasonal baseline is for, and the median
		// of SeasonMax·(2·width+1) samples shrugs off a one-off one.
		d.samples = append(d.samples, d.y[c-d.width:c+d.width+1]...)
	}
	if len(d.samples) < d.o.SeasonMin*(d.width+1) {
		return base, scale, false
	}
	sb, ss := d.robust(d.samples)
	// The burst must stand out against both the recent level and the usual
	// level for this hour of the week.
	return max(base, sb), max(scale, ss), true
}

// robust returns the median of v and its MAD scaled to a standard deviation,
// floored at minScale.
func (d *detector) robust(v []float64) (med, scale float64) {
	d.scratch = append(d.scratch[:0], v...)
	med = median(d.scratch)
	d.dev = d.dev[:0]
	for _, a := range v {
		d.dev = append(d.dev, math.Abs(a-med))
	}
	return med, max(minScale, madToSigma*median(d.dev))
}

// median sorts v in place and returns its median; v is not empty.
func median(v []float64) float64 {
	slices.Sort(v)
	m := len(v) / 2
	if len(v)%2 == 1 {
		return v[m]
	}
	return (v[m-1] + v[m]) / 2
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
		cur.PeakIndex = cur.StartIndex
		for i := cur.StartIndex; i <= last; i++ {
			if d.x[i] > d.x[cur.PeakIndex] {
				cur.PeakIndex = i
			}
		}
		cur.PeakCount = d.x[cur.PeakIndex]
		cur.Factor = cur.PeakCount / max(cur.Baseline, 1)
		cur.Start, cur.Detected = s.Time(cur.StartIndex), s.Time(cur.DetectedIndex)
		cur.Peak, cur.End = s.Time(cur.PeakIndex), s.Time(cur.EndIndex)
		spikes = append(spikes, cur)
		// Buckets after the last elevated one were ordinary.
		for i := last + 1; i <= t && i < len(d.x); i++ {
			d.hist = append(d.hist, d.y[i])
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
			if t >= d.minHist && z >= d.o.High && d.y[t] >= anscombe(d.o.MinCount) && d.y[t] >= anscombe(d.o.MinFactor*bc) &&
				(prevEnd < 0 || t-prevEnd > d.cooldown) {
				start := t
				for start-1 > prevEnd && t-(start-1) <= d.window && d.z[start-1] >= d.o.Low {
					start--
				}
				// The backdated buckets were taken as ordinary; they are the
				// newest entries of hist.
				d.hist = d.hist[:len(d.hist)-(t-start)]
				cur = Spike{StartIndex: start, DetectedIndex: t, Baseline: bc / float64(d.smooth), Score: z, Seasonal: seasonal}
				in, last = true, t
			} else {
				d.hist = append(d.hist, d.y[t])
			}
			continue
		}
		if z >= d.o.Low {
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
					d.hist = append(d.hist, d.y[i])
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
