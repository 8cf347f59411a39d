package chart

import (
	"strings"
	"time"

	"github.com/aftershock/aftershock/index"
)

// Sparkline renders counts (oldest first) as a tiny area chart, width×height
// pixels (0 = 120×24), with the peak marked by a dot: for a row of the
// event list. More counts than half-pixels are reduced to the largest of
// each run, so the peak survives.
func Sparkline(counts []uint64, width, height int) []byte {
	W, H := float64(width), float64(height)
	if width <= 0 {
		W = 120
	}
	if height <= 0 {
		H = 24
	}
	W, H = min(max(W, 16), 4000), min(max(H, 8), 1000)
	var total, peak uint64
	for _, c := range counts {
		total += c
		peak = max(peak, c)
	}
	var w svg
	w.open(int(W), int(H), 9)
	title := "No posts"
	if len(counts) > 0 {
		title = posts(total) + ", peak " + count(peak)
	}
	w.titled(title, "")
	if len(counts) == 0 {
		w.raw("</svg>\n")
		return w.b.Bytes()
	}
	// Reduce to at most two points per pixel, keeping each run's maximum.
	vals := make([]float64, 0, min(len(counts), int(2*W)))
	k := (len(counts) + int(2*W) - 1) / int(2*W)
	for i := 0; i < len(counts); i += k {
		var m uint64
		for _, c := range counts[i:min(i+k, len(counts))] {
			m = max(m, c)
		}
		vals = append(vals, float64(m))
	}
	peakAt := 0
	for i, v := range vals {
		if v > vals[peakAt] {
			peakAt = i
		}
	}
	if len(vals) == 1 {
		vals = append(vals, vals[0])
	}
	const pad = 2.5
	x := func(i int) float64 { return pad + (W-2*pad)*float64(i)/float64(len(vals)-1) }
	y := func(v float64) float64 {
		if peak == 0 {
			return H - pad
		}
		return H - pad - (H-2*pad)*v/float64(peak)
	}
	var line strings.Builder
	for i, v := range vals {
		if i == 0 {
			line.WriteString("M")
		} else {
			line.WriteString("L")
		}
		line.WriteString(fnum(x(i)) + " " + fnum(y(v)))
	}
	area := line.String() + "L" + fnum(x(len(vals)-1)) + " " + fnum(H-pad) + "L" + fnum(x(0)) + " " + fnum(H-pad) + "Z"
	w.raw(`<path fill="#0072B2" fill-opacity="0.18" d="` + area + `"/>`)
	w.raw(`<path fill="none" stroke="#0072B2" stroke-width="1.2" stroke-linejoin="round" d="` + line.String() + `"/>`)
	if peak > 0 {
		w.raw(`<circle`)
		w.nattr("cx", x(peakAt))
		w.nattr("cy", y(vals[peakAt]))
		w.raw(` r="2.2" fill="#D55E00"><title>peak `)
		w.text(count(peak))
		w.raw("</title></circle>")
	}
	w.raw("</svg>\n")
	return w.b.Bytes()
}

// fnum formats a coordinate as svg.num does.
func fnum(v float64) string {
	var w svg
	w.num(v)
	return w.b.String()
}

// Histogram renders a search's hits over time: bars of the buckets (oldest
// first, each step long; step ≤ 0 = the distance of the first two) in a
// small width×height chart (0 = 320×80), the first and last times in loc
// (nil = UTC) under it and the peak count over it. Each bar has a tooltip
// and, when href gives one, links to a narrower search: href gets the
// bucket and the time it covers, [from, to). Buckets too dense for two
// pixels a bar are merged k at a time, and href gets their sum.
func Histogram(buckets []index.Bucket, step time.Duration, loc *time.Location, href func(b index.Bucket, from, to time.Time) string, width, height int) []byte {
	W, H := float64(width), float64(height)
	if width <= 0 {
		W = 320
	}
	if height <= 0 {
		H = 80
	}
	W, H = min(max(W, 60), 4000), min(max(H, 40), 2000)
	if loc == nil {
		loc = time.UTC
	}
	if step <= 0 && len(buckets) > 1 {
		step = buckets[1].Start.Sub(buckets[0].Start)
	}
	if step <= 0 {
		step = time.Hour
	}
	const top, left = 13.0, 1.0
	right, bottom := W-1, H-14
	// Columns.
	k := (len(buckets) + int((right-left)/2) - 1) / int((right-left)/2)
	type col struct {
		b        index.Bucket
		from, to time.Time
	}
	cols := make([]col, 0, len(buckets)/max(k, 1)+1)
	var peak, total uint64
	for i := 0; i < len(buckets); i += k {
		bs := buckets[i:min(i+k, len(buckets))]
		c := col{b: index.Bucket{Start: bs[0].Start}, from: bs[0].Start, to: bs[len(bs)-1].Start.Add(step)}
		for _, b := range bs {
			c.b.Count += b.Count
		}
		peak = max(peak, c.b.Count)
		total += c.b.Count
		cols = append(cols, c)
	}
	var w svg
	w.open(int(W), int(H), 10)
	title := "No matching posts"
	if len(cols) > 0 {
		title = posts(total) + " over time, per " + stepWords(step*time.Duration(k)) + ", peak " + count(peak)
	}
	w.titled(title, "")
	w.line(left, bottom+0.5, right, bottom+0.5, axisColor)
	if len(cols) == 0 {
		w.raw("</svg>\n")
		return w.b.Bytes()
	}
	from, to := cols[0].from, cols[len(cols)-1].to
	multi := !sameDay(from.In(loc), to.Add(-time.Nanosecond).In(loc))
	cw := (right - left) / float64(len(cols))
	gap := 0.0
	if cw >= 4 {
		gap = min(cw*0.2, 2)
	}
	for i, c := range cols {
		x := left + cw*float64(i)
		link := false
		if href != nil && c.b.Count > 0 {
			link = w.openLink(href(c.b, c.from, c.to))
		}
		if !link {
			w.raw("<g>")
		}
		w.raw("<title>")
		w.text(spanLabel(c.from, c.to, loc, multi) + ": " + posts(c.b.Count))
		w.raw("</title>")
		w.raw(`<rect`)
		w.nattr("x", x)
		w.nattr("y", top)
		w.nattr("width", cw)
		w.nattr("height", bottom-top)
		w.raw(` fill="#fff" fill-opacity="0"/>`)
		if c.b.Count > 0 {
			h := max(1, (bottom-top)*float64(c.b.Count)/float64(peak))
			w.rect(x+gap/2, bottom-h, cw-gap, h, "#0072B2")
		}
		w.closeLink(link)
		if !link {
			w.raw("</g>")
		}
	}
	w.raw(`<g font-size="9" fill="` + mutedColor + `">`)
	w.label(left, 9, "", "", "peak "+count(peak))
	layout := "15:04"
	if multi {
		layout = "2 Jan 15:04"
		if to.Sub(from) > 4*24*time.Hour {
			layout = "2 Jan 2006"
		}
	}
	w.label(left, H-3, "", "", from.In(loc).Format(layout))
	last := to.In(loc).Format(layout)
	if layout == "15:04" {
		last = to.In(loc).Format("15:04 MST")
	}
	w.label(right, H-3, "end", "", last)
	w.raw("</g></svg>\n")
	return w.b.Bytes()
}
