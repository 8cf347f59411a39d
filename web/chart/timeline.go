package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/index"
)

// TimelineOptions tune [Timeline]. The zero value draws a 960×360 chart
// without links.
type TimelineOptions struct {
	// Width and Height are the chart's size in pixels (its viewBox); 0 =
	// 960×360. Draw at the width the chart is shown at (400 for a phone):
	// text keeps its size and the axes thin out. At least 240×180.
	Width, Height int
	// Href gives the link of a bar: b holds the bar's counts, and [from,
	// to) is the time it covers, cut to the timeline's window (a search for
	// that range finds the bar's posts). "" = no link. A bar that merges
	// several buckets (see MaxBars) gets their sum and their joint range.
	Href func(b index.TimelineBucket, from, to time.Time) string
	// MaxBars caps the bars drawn; 0 = one per two pixels of the plot
	// (a bar any thinner cannot be pointed at). A
	// timeline with more buckets draws each bar for the sum of k
	// consecutive buckets, the smallest k that fits.
	MaxBars int
	// Caption draws the event's name above the chart and the lag in words
	// below it, for a chart downloaded on its own.
	Caption bool
}

// Layout constants, in pixels of the viewBox.
const (
	fontSize    = 11.0
	smallFont   = 10.0
	lineGap     = 13.0 // baseline to baseline
	bandHeight  = 8.0
	maxLabelRow = 4 // rows of status labels
	defaultW    = 960
	defaultH    = 360
)

// column is one drawn bar: one bucket or the sum of several.
type column struct {
	first, n int       // buckets[first : first+n]
	from, to time.Time // the bar's span
	total    float64
	src      []float64 // per source, in the chart's source order
	other    float64   // posts with no source
	neg, neu float64
	pos, sum float64
}

// Timeline renders an event's timeline as a standalone SVG: stacked bars of
// posts per source with a legend, a band of the buckets' mean sentiment
// under them, the spikes shaded with their peak marked, the status updates
// as labelled vertical lines, and axes in the event's zone. Every bar has a
// tooltip and, with opt.Href, a link. It never fails: odd input (no
// buckets, no zone, counts that disagree) draws what it can.
func Timeline(tl *event.Timeline, opt TimelineOptions) []byte {
	if tl == nil {
		tl = &event.Timeline{}
	}
	r := newTimelineRender(tl, opt)
	r.draw()
	return r.w.b.Bytes()
}

// timelineRender holds one rendering's layout.
type timelineRender struct {
	tl   *event.Timeline
	opt  TimelineOptions
	loc  *time.Location
	w    svg
	W, H float64

	sources []string
	colors  []string
	cols    []column
	step    time.Duration // bucket width
	from    time.Time     // x domain: the first bar's start …
	to      time.Time     // … the last bar's end
	multi   bool          // the domain spans more than one local day

	maxTotal  float64
	yStep     float64
	yTop      float64
	left      float64 // plot box
	right     float64
	top       float64
	bottom    float64
	legendY   float64
	keyBelow  bool // the tone key goes under the zone note, not beside it
	legendRow []legendItem
	labels    []statusLabel
}

type legendItem struct {
	x, y  float64
	color string
	text  string
}

type statusLabel struct {
	m      event.Marker
	x      float64
	row    int // -1: no label
	anchor string
	text   string
}

func newTimelineRender(tl *event.Timeline, opt TimelineOptions) *timelineRender {
	r := &timelineRender{tl: tl, opt: opt, loc: tl.Location}
	if r.loc == nil {
		r.loc = time.UTC
	}
	r.W, r.H = float64(defaultW), float64(defaultH)
	if opt.Width > 0 {
		r.W = float64(max(opt.Width, 240))
	}
	if opt.Height > 0 {
		r.H = float64(max(opt.Height, 180))
	}
	r.W, r.H = min(r.W, 20000), min(r.H, 10000)
	r.collectSources()
	r.layoutX()
	r.columns()
	r.layoutY()
	return r
}

// collectSources orders the sources as the timeline lists them (most posts
// first), then any that only the buckets name.
func (r *timelineRender) collectSources() {
	seen := map[string]int{}
	for _, s := range r.tl.Sources {
		if _, ok := seen[s.Source]; !ok {
			seen[s.Source] = len(r.sources)
			r.sources = append(r.sources, s.Source)
		}
	}
	var extra []string
	for _, b := range r.tl.Buckets {
		for s := range b.Sources {
			if _, ok := seen[s]; !ok {
				seen[s] = -1
				extra = append(extra, s)
			}
		}
	}
	slices.Sort(extra)
	r.sources = append(r.sources, extra...)
	r.colors = sourceColors(r.sources)
}

// layoutX fixes the horizontal plot box: the y labels' width depends on the
// largest bar, which needs the columns, which need the plot width; a
// generous fixed left margin for the widest label breaks the circle.
func (r *timelineRender) layoutX() {
	var maxTotal float64
	for _, b := range r.tl.Buckets {
		maxTotal = max(maxTotal, bucketTotal(b))
	}
	_, top := niceTicks(maxTotal*1.12, 4)
	r.left = math.Round(textWidth(short(top), smallFont) + 14)
	r.left = max(r.left, 30)
	r.right = r.W - 14
}

func bucketTotal(b event.Bucket) float64 {
	var s float64
	for _, n := range b.Sources {
		s += float64(n)
	}
	return max(s, float64(b.Count))
}

// columns groups the buckets into bars.
func (r *timelineRender) columns() {
	bs := r.tl.Buckets
	r.step = r.tl.Width
	if r.step <= 0 && len(bs) > 1 {
		r.step = bs[1].Start.Sub(bs[0].Start)
	}
	if r.step <= 0 {
		r.step = time.Hour
	}
	if len(bs) == 0 {
		r.from, r.to = r.tl.From, r.tl.To
		if !r.from.Before(r.to) {
			r.from, r.to = time.Time{}, time.Time{}
		}
		return
	}
	maxBars := r.opt.MaxBars
	if maxBars <= 0 {
		maxBars = int(r.right-r.left) / 2
	}
	k := (len(bs) + maxBars - 1) / maxBars
	idx := make(map[string]int, len(r.sources))
	for i, s := range r.sources {
		idx[s] = i
	}
	r.cols = make([]column, 0, (len(bs)+k-1)/k)
	srcs := make([]float64, ((len(bs)+k-1)/k)*len(r.sources))
	for first := 0; first < len(bs); first += k {
		n := min(k, len(bs)-first)
		c := column{first: first, n: n, src: srcs[:len(r.sources):len(r.sources)]}
		srcs = srcs[len(r.sources):]
		c.from = bs[first].Start
		c.to = bs[first+n-1].Start.Add(r.step)
		var count, named float64
		for _, b := range bs[first : first+n] {
			count += float64(b.Count)
			for s, v := range b.Sources {
				c.src[idx[s]] += float64(v)
				named += float64(v)
			}
			c.neg += float64(b.Negative)
			c.neu += float64(b.Neutral)
			c.pos += float64(b.Positive)
			c.sum += b.ScoreSum
		}
		c.other = max(0, count-named)
		c.total = named + c.other
		r.maxTotal = max(r.maxTotal, c.total)
		r.cols = append(r.cols, c)
	}
	r.from = r.cols[0].from
	r.to = r.cols[len(r.cols)-1].to
	if !r.from.Before(r.to) { // unordered or overflowing input
		r.to = r.from.Add(time.Duration(len(r.cols)) * r.step)
		if !r.from.Before(r.to) {
			r.from, r.to = time.Time{}, time.Time{}
		}
	}
	r.multi = !sameDay(r.from.In(r.loc), r.to.Add(-time.Nanosecond).In(r.loc))
}

func sameDay(a, b time.Time) bool { return a.YearDay() == b.YearDay() && a.Year() == b.Year() }

// layoutY fixes the vertical layout: caption, legend, status label rows,
// plot, sentiment band, time axis, zone note.
func (r *timelineRender) layoutY() {
	r.yStep, r.yTop = niceTicks(r.maxTotal*1.12, max(2, int(r.H/70)))
	y := 4.0
	if r.opt.Caption {
		y += 18
	}
	// Legend: the sources, then the spike swatch; wraps at the right edge.
	x := r.left
	row := y + fontSize
	add := func(color, text string) {
		w := 14 + textWidth(text, fontSize) + 12
		if x+w > r.W-8 && x > r.left {
			x, row = r.left, row+lineGap+2
		}
		r.legendRow = append(r.legendRow, legendItem{x: x, y: row, color: color, text: text})
		x += w
	}
	totals := r.sourceTotals()
	for i, s := range r.sources {
		add(r.colors[i], s+" "+count(uint64(totals[i])))
	}
	if totals[len(r.sources)] > 0 {
		add(otherColor, "no source "+count(uint64(totals[len(r.sources)])))
	}
	if len(r.tl.Spikes) > 0 {
		add(spikeFill, "spike")
	}
	if len(r.legendRow) > 0 {
		y = row + 6
	}
	r.legendY = y
	r.placeStatusLabels()
	rows := 0
	for _, l := range r.labels {
		rows = max(rows, l.row+1)
	}
	r.top = y + float64(rows)*lineGap + 8
	bottom := 6 + bandHeight + 4 + 2*lineGap + lineGap + 4
	if r.left+textWidth(zoneNote(r.from, r.to, r.loc), smallFont)+16+toneKeyWidth > r.right {
		r.keyBelow = true
		bottom += lineGap
	}
	if r.opt.Caption {
		bottom += lineGap * float64(len(r.captionLines()))
	}
	r.bottom = r.H - bottom
	if r.bottom-r.top < 60 { // too many label rows for the height: drop them
		for i := range r.labels {
			r.labels[i].row = -1
		}
		r.top = y + 8
	}
}

// sourceTotals sums the columns per source; the last element is the posts
// with no source.
func (r *timelineRender) sourceTotals() []float64 {
	t := make([]float64, len(r.sources)+1)
	for _, c := range r.cols {
		for i, v := range c.src {
			t[i] += v
		}
		t[len(r.sources)] += c.other
	}
	return t
}

// xOf maps a time to the plot's x; ok is false outside the domain.
func (r *timelineRender) xOf(t time.Time) (float64, bool) {
	span := r.to.Sub(r.from)
	if span <= 0 || t.Before(r.from) || t.After(r.to) {
		return 0, false
	}
	return r.left + (r.right-r.left)*float64(t.Sub(r.from))/float64(span), true
}

// xClamp maps a time to x, clamped to the plot.
func (r *timelineRender) xClamp(t time.Time) float64 {
	if !t.After(r.from) {
		return r.left
	}
	if !t.Before(r.to) {
		return r.right
	}
	x, _ := r.xOf(t)
	return x
}

func (r *timelineRender) yOf(v float64) float64 {
	return r.bottom - (r.bottom-r.top)*v/r.yTop
}

// placeStatusLabels lays the labels of the status updates out in rows, each
// in the first row where it does not touch its left neighbour; a label
// that fits no row is left out (its line and tooltip stay).
func (r *timelineRender) placeStatusLabels() {
	ms := slices.Clone(r.tl.Updates)
	slices.SortStableFunc(ms, func(a, b event.Marker) int { return a.Time.Compare(b.Time) })
	var rows [][][2]float64 // the extents of the labels in each row
	free := func(row int, lo, hi float64) bool {
		for _, e := range rows[row] {
			if lo < e[1]+6 && e[0] < hi+6 {
				return false
			}
		}
		return true
	}
	for _, m := range ms {
		x, ok := r.xOf(m.Time)
		if !ok {
			continue
		}
		l := statusLabel{m: m, x: x, row: -1}
		l.text = truncate(string(m.State), 20) + " " + m.Time.In(r.loc).Format("15:04")
		w := textWidth(l.text, smallFont) + 4
		// Right of the line where it fits the chart, else left of it.
		type place struct {
			anchor string
			lo, hi float64
		}
		places := []place{{"start", x - 1, x + w}, {"end", x - w, x + 1}}
		if x+w > r.W-4 {
			places = places[1:]
		} else if x-w < 4 {
			places = places[:1]
		}
	rowLoop:
		for i := range maxLabelRow {
			if i == len(rows) {
				rows = append(rows, nil)
			}
			for _, p := range places {
				if free(i, p.lo, p.hi) {
					l.row, l.anchor = i, p.anchor
					rows[i] = append(rows[i], [2]float64{p.lo, p.hi})
					break rowLoop
				}
			}
		}
		r.labels = append(r.labels, l)
	}
}

const (
	spikeFill = "#EBEBEB"
	peakColor = "#333"
)

func (r *timelineRender) draw() {
	w := &r.w
	w.b.Grow(512 + len(r.cols)*(300+80*len(r.sources)))
	w.open(int(r.W), int(r.H), fontSize)
	w.titled(r.title(), r.desc())
	w.rect(0, 0, r.W, r.H, "#fff")
	if r.opt.Caption {
		w.label(r.left, 4+14, "", `font-size="14" font-weight="600" fill="`+inkColor+`"`, truncate(r.tl.Event.Name, 90))
	}
	r.drawLegend()
	r.drawGrid()
	r.drawSpikes()
	r.drawBars()
	r.drawStatus()
	r.drawPeaks()
	r.drawTimeAxis()
	r.drawNotes()
	w.raw("</svg>\n")
}

func (r *timelineRender) title() string {
	name := r.tl.Event.Name
	if name == "" {
		name = r.tl.Event.Slug
	}
	if name == "" {
		return "Posts over time"
	}
	return "Posts over time: " + name
}

// desc says in a few sentences what the chart shows, for screen readers.
func (r *timelineRender) desc() string {
	var b strings.Builder
	if len(r.cols) == 0 || r.maxTotal == 0 {
		b.WriteString("No posts in this window.")
	} else {
		b.WriteString(posts(uint64(r.sum())))
		b.WriteString(" from ")
		b.WriteString(r.from.In(r.loc).Format("Mon 2 Jan 2006 15:04"))
		b.WriteString(" to ")
		b.WriteString(r.to.In(r.loc).Format("Mon 2 Jan 2006 15:04 MST"))
		b.WriteString(", per ")
		b.WriteString(stepWords(r.colStep()))
		b.WriteString(". ")
		peak := 0
		for i, c := range r.cols {
			if c.total > r.cols[peak].total {
				peak = i
			}
		}
		c := r.cols[peak]
		b.WriteString("Busiest: " + spanLabel(c.from, c.to, r.loc, r.multi) + " with " + posts(uint64(c.total)) + ".")
		if t := r.sourceTotals(); len(r.sources) > 0 {
			b.WriteString(" By source:")
			for i, s := range r.sources {
				if i > 0 {
					b.WriteString(",")
				}
				b.WriteString(" " + s + " " + count(uint64(t[i])))
			}
			b.WriteString(".")
		}
	}
	if n := len(r.tl.Spikes); n == 1 {
		b.WriteString(" 1 spike.")
	} else if n > 1 {
		b.WriteString(" " + strconv.Itoa(n) + " spikes.")
	}
	if n := len(r.tl.Updates); n > 0 {
		b.WriteString(" " + strconv.Itoa(n) + " status update")
		if n > 1 {
			b.WriteString("s")
		}
		b.WriteString(".")
	}
	if s := r.tl.Lag.Sentence(r.loc); s != "" {
		b.WriteString(" " + s)
	}
	return b.String()
}

func (r *timelineRender) sum() float64 {
	var s float64
	for _, c := range r.cols {
		s += c.total
	}
	return s
}

// colStep is the time one bar covers.
func (r *timelineRender) colStep() time.Duration {
	if len(r.cols) == 0 {
		return r.step
	}
	return r.step * time.Duration(r.cols[0].n)
}

// stepWords: "5 minutes", "hour", "2 hours", "day".
func stepWords(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "hour"
	case d == 24*time.Hour:
		return "day"
	case d == time.Minute:
		return "minute"
	}
	return event.Words(d)
}

func (r *timelineRender) drawLegend() {
	w := &r.w
	for _, it := range r.legendRow {
		w.rect(it.x, it.y-9, 10, 10, it.color)
		w.label(it.x+14, it.y, "", `fill="`+inkColor+`"`, it.text)
	}
}

// drawGrid draws the y axis: light lines at the ticks, labelled.
func (r *timelineRender) drawGrid() {
	w := &r.w
	w.raw(`<g font-size="10" fill="` + mutedColor + `">`)
	top := r.yTop
	if r.maxTotal == 0 {
		top = 0 // an empty chart has no scale
	}
	for v := 0.0; v <= top+r.yStep/2 && v/r.yStep < 30; v += r.yStep {
		y := r.yOf(v)
		if v > 0 {
			w.line(r.left, y, r.right, y, gridColor)
		}
		w.label(r.left-5, y+3.5, "end", "", short(v))
	}
	w.raw("</g>")
}

// drawSpikes shades each spike from its first bucket to the end of its last.
func (r *timelineRender) drawSpikes() {
	if r.to.IsZero() {
		return
	}
	w := &r.w
	for _, sp := range r.tl.Spikes {
		end := sp.End.Add(r.step)
		if !end.After(r.from) || !sp.Start.Before(r.to) {
			continue
		}
		x0, x1 := r.xClamp(sp.Start), r.xClamp(end)
		w.raw("<g>")
		w.raw("<title>")
		w.text(r.spikeText(sp.Start, end, sp.Peak, sp.PeakCount, sp.Baseline, sp.Factor, sp.Ongoing))
		w.raw("</title>")
		w.rect(x0, r.top, x1-x0, r.bottom-r.top, spikeFill)
		w.raw("</g>")
	}
}

func (r *timelineRender) spikeText(from, to, peak time.Time, peakCount, baseline, factor float64, ongoing bool) string {
	s := "Spike " + spanLabel(from, to, r.loc, r.multi)
	if ongoing {
		s += " (ongoing)"
	}
	s += ": peak " + posts(uint64(max(0, peakCount))) + " at " + peak.In(r.loc).Format("15:04")
	s += ", " + factorText(factor) + " the usual " + strconv.FormatFloat(max(0, baseline), 'f', 1, 64) + " per " + stepWords(r.step)
	return s
}

// factorText: "4.5×", "12×".
func factorText(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return "?×"
	}
	if f < 10 {
		return trimZero(strconv.FormatFloat(f, 'f', 1, 64)) + "×"
	}
	return short(f) + "×"
}

// drawBars draws each column: a link (when Href gives one) around a
// tooltip, an invisible full-height hit area, the stacked source rects and
// the column's piece of the sentiment band.
func (r *timelineRender) drawBars() {
	if len(r.cols) == 0 {
		return
	}
	w := &r.w
	cw := (r.right - r.left) / float64(len(r.cols))
	gap := 0.0
	if cw >= 4 {
		gap = min(cw*0.18, 3)
	}
	bandY := r.bottom + 4
	overlap := 0.0
	if gap == 0 {
		// Touching bars overlap a little so that no hairline of background
		// shows between them where their edges fall between pixels.
		overlap = min(0.4, cw/4)
	}
	if cw < 3 {
		// Bars of a pixel or two blur into their neighbours when
		// anti-aliased; crisp edges keep the colours apart.
		w.raw(`<g shape-rendering="crispEdges">`)
		defer w.raw("</g>")
	}
	var tip strings.Builder
	for i := range r.cols {
		c := &r.cols[i]
		x := r.left + cw*float64(i)
		link := false
		if r.opt.Href != nil && c.total > 0 {
			link = w.openLink(r.opt.Href(r.merged(c), maxTime(c.from, r.tl.From), minTime(c.to, r.tl.To)))
		}
		if !link {
			w.raw("<g>")
		}
		tip.Reset()
		r.barTip(&tip, c)
		w.raw("<title>")
		w.text(tip.String())
		w.raw("</title>")
		// The hit area makes the whole column hoverable and clickable.
		w.raw(`<rect`)
		w.nattr("x", x)
		w.nattr("y", r.top)
		w.nattr("width", cw)
		w.nattr("height", bandY+bandHeight-r.top)
		w.raw(` fill="#fff" fill-opacity="0"/>`)
		// Stack from the bottom; boundaries are rounded once so the
		// pieces add up to the bar exactly.
		acc := 0.0
		prev := r.bottom
		piece := func(v float64, color string) {
			if v <= 0 {
				return
			}
			acc += v
			y := math.Round(r.yOf(acc)*10) / 10
			w.rect(x+gap/2, y, cw-gap+overlap, prev-y, color)
			prev = y
		}
		for j, v := range c.src {
			piece(v, r.colors[j])
		}
		piece(c.other, otherColor)
		if c.total > 0 {
			w.rect(x, bandY, cw+overlap, bandHeight, r.toneOf(c))
		}
		if link {
			w.raw("</a>")
		} else {
			w.raw("</g>")
		}
	}
	// Band outline and its name.
	w.raw(`<rect`)
	w.nattr("x", r.left)
	w.nattr("y", bandY)
	w.nattr("width", r.right-r.left)
	w.nattr("height", bandHeight)
	w.raw(` fill="none" stroke="#ccc" stroke-width="0.5"/>`)
	w.label(r.left-5, bandY+bandHeight-0.5, "end", `font-size="9" fill="`+mutedColor+`"`, "tone")
}

func (r *timelineRender) toneOf(c *column) string {
	scored := c.neg + c.neu + c.pos
	if scored <= 0 {
		return unscoredColor
	}
	return toneColor(c.sum / scored)
}

// barTip writes a column's tooltip: "09:35–09:40 PST: 18 posts (twitter
// 12, mastodon 6); tone −0.21: 9 negative, 7 neutral, 2 positive".
func (r *timelineRender) barTip(b *strings.Builder, c *column) {
	b.WriteString(spanLabel(c.from, c.to, r.loc, r.multi))
	b.WriteString(": ")
	b.WriteString(posts(uint64(c.total)))
	if c.total > 0 {
		b.WriteString(" (")
		n := 0
		for j, v := range c.src {
			if v > 0 {
				if n > 0 {
					b.WriteString(", ")
				}
				b.WriteString(r.sources[j] + " " + count(uint64(v)))
				n++
			}
		}
		if c.other > 0 {
			if n > 0 {
				b.WriteString(", ")
			}
			b.WriteString("no source " + count(uint64(c.other)))
		}
		b.WriteString(")")
		if scored := c.neg + c.neu + c.pos; scored > 0 {
			m := c.sum / scored
			if math.IsNaN(m) || math.IsInf(m, 0) {
				m = 0
			}
			b.WriteString("; tone " + strings.Replace(strconv.FormatFloat(m, 'f', 2, 64), "-", "−", 1))
			b.WriteString(": " + count(uint64(c.neg)) + " negative, " + count(uint64(c.neu)) + " neutral, " + count(uint64(c.pos)) + " positive")
		} else {
			b.WriteString("; tone not scored")
		}
	}
}

// merged is the bucket Href receives for a column: the bucket itself, or
// the sum of the column's buckets.
func (r *timelineRender) merged(c *column) index.TimelineBucket {
	bs := r.tl.Buckets[c.first : c.first+c.n]
	if len(bs) == 1 {
		return bs[0].TimelineBucket
	}
	m := index.TimelineBucket{Start: bs[0].Start, Sources: map[string]uint64{}}
	for _, b := range bs {
		m.Count += b.Count
		for s, v := range b.Sources {
			m.Sources[s] += v
		}
		m.Negative += b.Negative
		m.Neutral += b.Neutral
		m.Positive += b.Positive
		m.ScoreSum += b.ScoreSum
	}
	return m
}

// drawStatus draws each status update in the domain as a vertical line in
// its state's colour, with its label in its row above the plot, a tooltip
// with the incident and the update's text, and a link to the incident.
func (r *timelineRender) drawStatus() {
	w := &r.w
	for _, l := range r.labels {
		color := stateColor(l.m.State)
		link := w.openLink(l.m.URL)
		if !link {
			w.raw("<g>")
		}
		w.raw("<title>")
		w.text(r.statusTip(l.m))
		w.raw("</title>")
		y0 := r.top
		if l.row >= 0 {
			y0 = r.legendY + float64(l.row)*lineGap + 2
		}
		// A wide transparent line to hover, then the visible one.
		w.raw(`<line`)
		w.nattr("x1", l.x)
		w.nattr("y1", y0)
		w.nattr("x2", l.x)
		w.nattr("y2", r.bottom)
		w.raw(` stroke="#fff" stroke-opacity="0" stroke-width="7"/>`)
		w.raw(`<line`)
		w.nattr("x1", l.x)
		w.nattr("y1", y0)
		w.nattr("x2", l.x)
		w.nattr("y2", r.bottom)
		w.attr("stroke", color)
		w.raw(` stroke-width="1.5" stroke-dasharray="4 2"/>`)
		if l.row >= 0 {
			tx := l.x + 3
			if l.anchor == "end" {
				tx = l.x - 3
			}
			w.label(tx, y0+9, l.anchor, `font-size="10" fill="`+color+`" font-weight="600"`, l.text)
		}
		if link {
			w.raw("</a>")
		} else {
			w.raw("</g>")
		}
	}
}

func (r *timelineRender) statusTip(m event.Marker) string {
	s := m.Time.In(r.loc).Format("Mon 2 Jan 15:04 MST") + " · " + string(m.State)
	if m.Page != "" {
		s += " · " + m.Page
	}
	if m.Incident != "" {
		s += ": " + m.Incident
	}
	if body := strings.Join(strings.Fields(m.Body), " "); body != "" {
		s += " — " + truncate(body, 280)
	}
	return s
}

// drawPeaks marks each spike's peak: a small triangle above the peak's bar
// with the factor over the baseline.
func (r *timelineRender) drawPeaks() {
	if len(r.cols) == 0 {
		return
	}
	w := &r.w
	cw := (r.right - r.left) / float64(len(r.cols))
	for _, sp := range r.tl.Spikes {
		if sp.Peak.Before(r.from) || !sp.Peak.Before(r.to) {
			continue
		}
		colOf := func(t time.Time) int { return int(float64(t.Sub(r.from)) / float64(r.colStep())) }
		i := colOf(sp.Peak)
		if i < 0 || i >= len(r.cols) {
			continue
		}
		if r.cols[i].n > 1 {
			// Merged bars: the peak bucket's bar need not be the spike's
			// tallest; mark the tallest, the tooltip gives the time.
			for j := max(0, colOf(sp.Start)); j <= min(len(r.cols)-1, colOf(sp.End)); j++ {
				if r.cols[j].total > r.cols[i].total {
					i = j
				}
			}
		}
		c := r.cols[i]
		cx := r.left + cw*(float64(i)+0.5)
		y := r.yOf(c.total) - 3
		w.raw("<g>")
		w.raw("<title>")
		w.text(r.spikeText(sp.Start, sp.End.Add(r.step), sp.Peak, sp.PeakCount, sp.Baseline, sp.Factor, sp.Ongoing))
		w.raw("</title>")
		w.raw(`<path d="M`)
		w.num(cx - 4)
		w.raw(" ")
		w.num(y - 6)
		w.raw("h8l-4 6z")
		w.raw(`" fill="` + peakColor + `"/>`)
		text := factorText(sp.Factor) + " usual"
		anchor := "middle"
		tx := cx
		if tw := textWidth(text, smallFont) / 2; cx+tw > r.right {
			anchor, tx = "end", cx+4
		} else if cx-tw < r.left {
			anchor, tx = "start", cx-4
		}
		w.label(tx, y-9, anchor, `font-size="10" font-weight="600" fill="`+peakColor+`"`, text)
		w.raw("</g>")
	}
}

// drawTimeAxis labels the x axis under the sentiment band: times at a step
// that leaves room for each label, and the day under the first tick and
// wherever it changes.
func (r *timelineRender) drawTimeAxis() {
	w := &r.w
	axisY := r.bottom + 4 + bandHeight
	w.line(r.left, r.bottom+0.5, r.right, r.bottom+0.5, axisColor)
	if !r.from.Before(r.to) {
		return
	}
	n := int((r.right - r.left) / 64)
	u := chooseUnit(r.to.Sub(r.from), n)
	ticks := timeTicks(r.from, r.to, r.loc, u)
	w.raw(`<g font-size="10" fill="` + mutedColor + `">`)
	var prev time.Time
	lastSub := math.Inf(-1)
	for i, t := range ticks {
		x, ok := r.xOf(t)
		if !ok {
			continue
		}
		w.line(x, axisY, x, axisY+3, axisColor)
		main, sub := tickLabel(t, prev, i == 0, u, r.loc)
		prev = t
		anchor := "middle"
		if x-textWidth(main, smallFont)/2 < 2 {
			anchor = "start"
		} else if x+textWidth(main, smallFont)/2 > r.W-2 {
			anchor = "end"
		}
		w.label(x, axisY+lineGap, anchor, "", main)
		if sub != "" && x-textWidth(sub, smallFont)/2 > lastSub+6 {
			sa := "middle"
			if x-textWidth(sub, smallFont)/2 < 2 {
				sa = "start"
			} else if x+textWidth(sub, smallFont)/2 > r.W-2 {
				sa = "end"
			}
			w.label(x, axisY+2*lineGap, sa, `fill="`+inkColor+`"`, sub)
			lastSub = x + textWidth(sub, smallFont)/2
		}
	}
	w.raw("</g>")
}

// drawNotes writes the zone, the tone key, the empty-chart message and,
// with a caption, the lag in words.
func (r *timelineRender) drawNotes() {
	w := &r.w
	y := r.bottom + 4 + bandHeight + 3*lineGap + 2
	if r.maxTotal == 0 {
		w.label((r.left+r.right)/2, (r.top+r.bottom)/2, "middle", `fill="`+mutedColor+`"`, "No posts in this window")
	}
	if r.from.Before(r.to) {
		w.label(r.left, y, "", `font-size="10" fill="`+mutedColor+`"`, zoneNote(r.from, r.to, r.loc))
	}
	// Tone key, right-aligned: negative [5 swatches] positive  [grey] unscored.
	if r.keyBelow {
		y += lineGap
	}
	x := r.right - textWidth("unscored", smallFont) - toneKeySwatch - 4
	w.raw(`<g font-size="10" fill="` + mutedColor + `">`)
	w.rect(x, y-toneKeySwatch+1, toneKeySwatch, toneKeySwatch, unscoredColor)
	w.label(x+toneKeySwatch+3, y, "", "", "unscored")
	x -= 14 + textWidth("positive", smallFont)
	w.label(x, y, "", "", "positive")
	x -= 3 + 5*toneKeySwatch
	for i := range 5 {
		w.rect(x+float64(i)*toneKeySwatch, y-toneKeySwatch+1, toneKeySwatch, toneKeySwatch, toneColor(float64(i-2)/2*toneSaturation))
	}
	w.label(x-3, y, "end", "", "tone: negative")
	w.raw("</g>")
	if r.opt.Caption {
		for i, line := range r.captionLines() {
			w.label(r.left, y+float64(i+1)*lineGap+2, "", `fill="`+inkColor+`"`, line)
		}
	}
}

// toneKeySwatch is the side of a swatch of the tone key; toneKeyWidth the
// key's width.
const (
	toneKeySwatch = 9.0
	toneKeyWidth  = 14*charWidth*smallFont + 3 + 5*toneKeySwatch + 14 + 8*charWidth*smallFont + 14 + toneKeySwatch + 3 + 8*charWidth*smallFont
)

// captionLines wraps the lag sentence to the chart's width.
func (r *timelineRender) captionLines() []string {
	s := r.tl.Lag.Sentence(r.loc)
	if s == "" {
		return nil
	}
	limit := max(20, int((r.right-r.left)/(fontSize*charWidth)))
	var lines []string
	var cur string
	for _, word := range strings.Fields(s) {
		if cur != "" && len([]rune(cur))+1+len([]rune(word)) > limit {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines[:min(len(lines), 4)]
}

func maxTime(a, b time.Time) time.Time {
	if b.IsZero() || a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if b.IsZero() || a.Before(b) {
		return a
	}
	return b
}
