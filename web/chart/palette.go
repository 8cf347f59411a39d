package chart

import (
	"hash/fnv"
	"math"
	"strconv"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/post"
)

// palette is Okabe and Ito's colour-blind-safe set (the yellow darkened so
// a thin bar shows on white), in the order sources are given them.
var palette = [...]string{
	"#0072B2", // blue
	"#E69F00", // orange
	"#CC79A7", // reddish purple
	"#009E73", // bluish green
	"#56B4E9", // sky blue
	"#D55E00", // vermillion
	"#C9B100", // yellow
	"#555555", // dark grey
}

// knownSlot gives the sources Aftershock collects a fixed colour, so a
// source looks the same on every chart.
func knownSlot(source string) (int, bool) {
	switch source {
	case post.Twitter:
		return 0, true
	case post.HackerNews:
		return 1, true
	case post.Mastodon:
		return 2, true
	case "rss":
		return 3, true
	case post.Bluesky:
		return 4, true
	case post.Reddit:
		return 5, true
	}
	return 0, false
}

// otherColor fills the posts of a bucket that have no source.
const otherColor = "#BBBBBB"

// sourceColors assigns the palette to sources: a known source keeps its own
// slot; any other takes the slot its name hashes to (FNV-1a) or, when a
// source earlier in the list holds that slot, the next free one. The
// colour of a source thus depends on its name alone unless two sources of
// one chart collide; past eight sources colours repeat.
func sourceColors(sources []string) []string {
	out := make([]string, len(sources))
	var taken [len(palette)]bool
	slot := make([]int, len(sources))
	for i, s := range sources {
		slot[i] = -1
		if k, ok := knownSlot(s); ok && !taken[k] {
			slot[i], taken[k] = k, true
		}
	}
	for i, s := range sources {
		if slot[i] >= 0 {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(s))
		k := int(h.Sum32() % uint32(len(palette)))
		for j := range len(palette) {
			if !taken[(k+j)%len(palette)] {
				k = (k + j) % len(palette)
				break
			}
		}
		slot[i] = k
		taken[k] = true
	}
	for i, k := range slot {
		out[i] = palette[k]
	}
	return out
}

// Tone colours: ColorBrewer's RdBu ends (colour-blind safe) and a light
// neutral, interpolated; grey means posts that no model scored.
var (
	toneNegative = [3]float64{0xb2, 0x18, 0x2b}
	toneNeutral  = [3]float64{0xf2, 0xf2, 0xf2}
	tonePositive = [3]float64{0x21, 0x66, 0xac}
)

const unscoredColor = "#9A9A9A"

// toneSaturation is the mean score at which the tone colours reach their
// ends: the mean of a bucket of posts rarely goes past ±0.5.
const toneSaturation = 0.5

// toneColor maps a mean compound score to the diverging scale, saturated
// at ±toneSaturation.
func toneColor(score float64) string {
	if math.IsNaN(score) {
		return unscoredColor
	}
	score = max(-1, min(1, score/toneSaturation))
	from, to, t := toneNeutral, tonePositive, score
	if score < 0 {
		to, t = toneNegative, -score
	}
	b := []byte{'#'}
	for i := range 3 {
		v := int(math.Round(from[i] + (to[i]-from[i])*t))
		if v < 16 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(v), 16)
	}
	return string(b)
}

// stateColor colours a status update by what it says: trouble in
// vermillion, progress in orange and blue, the end in green.
func stateColor(s status.State) string {
	switch s {
	case status.Investigating:
		return "#D55E00"
	case status.Identified:
		return "#E69F00"
	case status.Monitoring, status.Verifying, status.InProgress:
		return "#0072B2"
	case status.Resolved, status.Completed, status.Postmortem:
		return "#009E73"
	}
	return "#666666"
}
