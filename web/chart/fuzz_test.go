package chart

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/event/spike"
	"github.com/aftershock/aftershock/index"
)

// FuzzTimeline renders timelines built from arbitrary counts, names, zones,
// widths and times; the output must always be a well-formed standalone SVG
// with no script, and the renderer must never panic.
func FuzzTimeline(f *testing.F) {
	ex := exampleTimeline(f, 40, 5*time.Minute)
	var seed []byte
	for _, b := range ex.Buckets {
		seed = binary.LittleEndian.AppendUint16(seed, uint16(b.Count))
	}
	f.Add(seed, "twitter|mastodon|bluesky|hackernews", "Delays in GitHub Actions", "investigating", int64(ex.From.Unix()), int64(5*time.Minute), int32(-8*3600), uint16(960), uint16(360), uint8(3))
	f.Add([]byte{}, "", "", "", int64(0), int64(0), int32(0), uint16(0), uint16(0), uint8(0))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 1}, `<script>|"&'|`+"\x00\xff", "]]></title>", `"><a href="javascript:x">`, int64(-1<<62), int64(math.MaxInt64), int32(1<<30), uint16(65535), uint16(1), uint8(255))
	f.Fuzz(func(t *testing.T, counts []byte, names, incident, state string, start, width int64, offset int32, w, h uint16, flags uint8) {
		if len(counts) > 4000 {
			counts = counts[:4000]
		}
		srcs := strings.Split(names, "|")
		loc := time.FixedZone(state, int(offset))
		if flags&1 != 0 {
			loc = nil
		}
		tl := &event.Timeline{Location: loc, Width: time.Duration(width), From: time.Unix(start, 0).UTC()}
		tl.Event.Name = incident
		tl.To = tl.From.Add(time.Duration(width) * time.Duration(len(counts)/2))
		for i := 0; i+1 < len(counts); i += 2 {
			c := uint64(binary.LittleEndian.Uint16(counts[i:]))
			if flags&2 != 0 {
				c *= 1 << 47 // near the top of uint64 when summed
			}
			b := event.Bucket{TimelineBucket: index.TimelineBucket{Start: tl.From.Add(time.Duration(i/2) * time.Duration(width)), Count: c}}
			if c > 0 {
				b.Sources = map[string]uint64{srcs[i/2%len(srcs)]: c - c/3, srcs[(i/2+1)%len(srcs)]: c / 3}
				b.Negative, b.Positive, b.ScoreSum = c/2, c/4, float64(int8(counts[i]))/float64(max(1, counts[i+1]))*float64(c)
			}
			tl.Buckets = append(tl.Buckets, b)
			tl.Total += c
		}
		for i, s := range srcs {
			if flags&4 != 0 {
				tl.Sources = append(tl.Sources, event.SourceCount{Source: s, Count: uint64(i)})
			}
		}
		if n := len(tl.Buckets); n > 0 && flags&8 != 0 {
			peak := int(flags) % n
			tl.Spikes = []spike.Spike{{Start: tl.Buckets[0].Start, Peak: tl.Buckets[peak].Start, End: tl.Buckets[n-1].Start,
				PeakCount: float64(tl.Buckets[peak].Count), Baseline: float64(offset), Factor: float64(width) / float64(offset)}}
		}
		for i := range int(flags) % 7 {
			tl.Updates = append(tl.Updates, event.Marker{Time: tl.From.Add(time.Duration(i) * time.Duration(width) * 3),
				State: status.State(state), Incident: incident, URL: names, Body: incident})
		}
		if flags&16 != 0 && len(tl.Updates) > 0 {
			tl.Lag = &event.Lag{Signal: tl.From, SignalKind: "spike", Acknowledged: tl.Updates[0].Time, ToAck: time.Duration(width)}
		}
		opt := TimelineOptions{Width: int(w), Height: int(h), Caption: flags&32 != 0, MaxBars: int(flags) - 100,
			Href: func(b index.TimelineBucket, from, to time.Time) string { return names }}
		doc := Timeline(tl, opt)
		root, err := parseXML(doc)
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, head(doc))
		}
		if root.name != "svg" || len(root.all("script")) > 0 {
			t.Fatalf("not a safe SVG:\n%s", head(doc))
		}
		for _, a := range root.all("a") {
			if _, ok := safeHref(a.attr["href"]); !ok {
				t.Fatalf("unsafe link %q", a.attr["href"])
			}
		}
		if len(doc) > 4<<20 {
			t.Fatalf("%d bytes", len(doc))
		}
		// The small charts get the same counts.
		var cs []uint64
		var hb []index.Bucket
		for _, b := range tl.Buckets {
			cs = append(cs, b.Count)
			hb = append(hb, index.Bucket{Start: b.Start, Count: b.Count})
		}
		for _, d := range [][]byte{
			Sparkline(cs, int(w)-100, int(h)-100),
			Histogram(hb, time.Duration(width), loc, func(index.Bucket, time.Time, time.Time) string { return names }, int(w)-100, int(h)),
		} {
			if _, err := parseXML(d); err != nil {
				t.Fatalf("small chart not well-formed: %v\n%s", err, head(d))
			}
		}
	})
}
