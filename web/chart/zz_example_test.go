package chart

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aftershock/aftershock/index"
)

func TestZZWriteExample(t *testing.T) {
	tl := exampleTimeline(t, 96, 5*time.Minute)
	href := func(b index.TimelineBucket, from, to time.Time) string {
		return fmt.Sprintf("/search?q=github&from=%s&to=%s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	os.WriteFile("/tmp/chart-example.svg", Timeline(tl, TimelineOptions{Href: href, Caption: true}), 0o644)
	os.WriteFile("/tmp/chart-phone.svg", Timeline(tl, TimelineOptions{Href: href, Width: 400, Height: 300}), 0o644)
	tl3 := exampleTimeline(t, 864, 5*time.Minute)
	os.WriteFile("/tmp/chart-3d.svg", Timeline(tl3, TimelineOptions{Href: href}), 0o644)
	var counts []uint64
	var hb []index.Bucket
	for _, b := range tl.Buckets {
		counts = append(counts, b.Count)
		hb = append(hb, index.Bucket{Start: b.Start, Count: b.Count})
	}
	os.WriteFile("/tmp/chart-spark.svg", Sparkline(counts, 0, 0), 0o644)
	os.WriteFile("/tmp/chart-hist.svg", Histogram(hb, 5*time.Minute, tl.Location, func(b index.Bucket, from, to time.Time) string { return "/s" }, 0, 0), 0o644)
}
