package chart

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/index"
)

// checkStandalone checks the invariants every chart keeps: a valid SVG
// with a viewBox, role="img", a <title> first, and nothing that runs or
// loads: no script, no event handler, no foreign object, no external
// reference.
func checkStandalone(t *testing.T, doc []byte) *node {
	t.Helper()
	root := parseSVG(t, doc)
	if root.attr["viewBox"] == "" || root.attr["role"] != "img" {
		t.Errorf("root lacks viewBox or role=img: %v", root.attr)
	}
	if len(root.children) == 0 || root.children[0].name != "title" || strings.TrimSpace(root.children[0].text) == "" {
		t.Error("the first child is not a non-empty <title>")
	}
	var walk func(*node)
	walk = func(n *node) {
		switch n.name {
		case "script", "foreignObject", "image", "use", "iframe", "style":
			t.Errorf("chart contains <%s>", n.name)
		}
		for k, v := range n.attr {
			if strings.HasPrefix(strings.ToLower(k), "on") {
				t.Errorf("<%s> has handler %s", n.name, k)
			}
			if k == "href" {
				if u, err := url.Parse(v); err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
					t.Errorf("unsafe href %q", v)
				}
			}
			if strings.Contains(v, "url(") {
				t.Errorf("<%s %s=%q> references something", n.name, k, v)
			}
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	return root
}

func searchHref(b index.TimelineBucket, from, to time.Time) string {
	return "/search?from=" + from.UTC().Format(time.RFC3339) + "&to=" + to.UTC().Format(time.RFC3339)
}

func TestTimelineShapes(t *testing.T) {
	ex := exampleTimeline(t, 96, 5*time.Minute)
	zero := exampleTimeline(t, 12, time.Hour)
	for i := range zero.Buckets {
		zero.Buckets[i].TimelineBucket = index.TimelineBucket{Start: zero.Buckets[i].Start}
	}
	zero.Sources, zero.Spikes, zero.Updates, zero.Lag, zero.Total = nil, nil, nil, nil, 0
	one := exampleTimeline(t, 1, 5*time.Minute)
	noLoc := exampleTimeline(t, 96, 5*time.Minute)
	noLoc.Location = nil
	huge := exampleTimeline(t, 20000, time.Minute)
	cases := []struct {
		name    string
		tl      *event.Timeline
		opt     TimelineOptions
		maxSize int
	}{
		{"nil", nil, TimelineOptions{}, 8 << 10},
		{"no buckets", &event.Timeline{From: ex.From, To: ex.To, Location: ex.Location}, TimelineOptions{}, 8 << 10},
		{"all zero", zero, TimelineOptions{Href: searchHref}, 32 << 10},
		{"one bucket", one, TimelineOptions{Href: searchHref}, 8 << 10},
		{"example", ex, TimelineOptions{Href: searchHref, Caption: true}, 128 << 10},
		{"phone", ex, TimelineOptions{Href: searchHref, Width: 400, Height: 300}, 128 << 10},
		{"nil location", noLoc, TimelineOptions{}, 128 << 10},
		{"20000 buckets", huge, TimelineOptions{Href: searchHref}, 512 << 10},
		{"tiny size", ex, TimelineOptions{Width: 1, Height: 1}, 128 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := Timeline(c.tl, c.opt)
			root := checkStandalone(t, doc)
			if root.child("desc") == nil {
				t.Error("no <desc>")
			}
			if len(doc) > c.maxSize {
				t.Errorf("%d bytes, want at most %d", len(doc), c.maxSize)
			}
			if c.tl == nil || len(c.tl.Buckets) == 0 || c.tl.Total == 0 {
				if !slices.Contains(root.texts(), "No posts in this window") {
					t.Error("an empty chart does not say so")
				}
			}
		})
	}
}

func TestTimelineNilLocationIsUTC(t *testing.T) {
	tl := exampleTimeline(t, 96, 5*time.Minute)
	tl.Location = nil
	root := parseSVG(t, Timeline(tl, TimelineOptions{}))
	if !slices.Contains(root.texts(), "Times in UTC") {
		t.Errorf("zone note missing; texts %q", root.texts())
	}
	if !slices.Contains(root.texts(), "14:00") { // 06:00 PST is 14:00 UTC
		t.Errorf("no 14:00 UTC tick; texts %q", root.texts())
	}
}

func TestTimelineEscapesData(t *testing.T) {
	tl := exampleTimeline(t, 48, 5*time.Minute)
	hostile := []string{`<script>alert(1)</script>`, `"quoted" & 'single'`, "a&b<c>\x00\x01\uFFFE" + string([]byte{0xff})}
	for i, b := range tl.Buckets {
		b.Sources = map[string]uint64{hostile[i%3]: b.Count}
		tl.Buckets[i] = b
	}
	tl.Sources = nil
	tl.Event.Name = `<img src=x onerror="alert(1)">`
	tl.Location = time.FixedZone(`<Z&"'>`, 3600)
	for i := range tl.Updates {
		tl.Updates[i].Incident = `</title><script>x</script>`
		tl.Updates[i].State = status.State(`<b>"bad"</b>`)
		tl.Updates[i].URL = "javascript:alert(1)"
		tl.Updates[i].Body = "]]><!--"
	}
	doc := Timeline(tl, TimelineOptions{Caption: true, Href: func(index.TimelineBucket, time.Time, time.Time) string {
		return `/s?q="><script>&x=1`
	}})
	root := checkStandalone(t, doc)
	for _, bad := range []string{"<script", "<img", "javascript:", "<b>", "<!--", "\x00"} {
		if bytes.Contains(doc, []byte(bad)) {
			t.Errorf("output holds %q unescaped", bad)
		}
	}
	// The text survives escaping: the decoded document holds it.
	var all strings.Builder
	var walk func(*node)
	walk = func(n *node) {
		all.WriteString(n.text + "\n")
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
	for _, want := range []string{hostile[0], hostile[1], "a&b<c>", `</title><script>x</script>`, `<b>"bad"</b>`, `<Z&"'>`, `<img src=x onerror="alert(1)">`} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("decoded text lacks %q", want)
		}
	}
	for _, a := range root.all("a") {
		if a.attr["href"] != `/s?q="><script>&x=1` {
			t.Errorf("href %q, want the bar link round-tripped", a.attr["href"])
		}
	}
}

// bars returns the linked or grouped bar columns: the <a> or <g> elements
// under the root whose first child is a <title> and that hold the
// transparent hit area.
func bars(root *node) []*node {
	var out []*node
	for _, n := range append(root.all("a"), root.all("g")...) {
		if len(n.children) > 1 && n.children[0].name == "title" && n.children[1].name == "rect" && n.children[1].attr["fill-opacity"] == "0" {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *node) int {
		return int(math.Round(attrNum(a.children[1], "x") - attrNum(b.children[1], "x")))
	})
	return out
}

func attrNum(n *node, k string) float64 {
	v, err := strconv.ParseFloat(n.attr[k], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

func TestTimelineBarLinks(t *testing.T) {
	tl := exampleTimeline(t, 96, 5*time.Minute)
	tl.Buckets[10].TimelineBucket = index.TimelineBucket{Start: tl.Buckets[10].Start} // empty: no link
	// The window cuts the first and last buckets.
	tl.From = tl.From.Add(2 * time.Minute)
	tl.To = tl.To.Add(-time.Minute)
	var got []index.TimelineBucket
	doc := Timeline(tl, TimelineOptions{Href: func(b index.TimelineBucket, from, to time.Time) string {
		got = append(got, b)
		return searchHref(b, from, to)
	}})
	root := checkStandalone(t, doc)
	links := root.all("a")
	var barLinks []string
	for _, a := range links {
		if strings.HasPrefix(a.attr["href"], "/search") {
			barLinks = append(barLinks, a.attr["href"])
		}
	}
	if len(barLinks) != 95 || len(got) != 95 {
		t.Fatalf("%d bar links, Href called %d times; want 95 (96 buckets, one empty)", len(barLinks), len(got))
	}
	want := searchHref(index.TimelineBucket{}, tl.From, tl.Buckets[0].Start.Add(5*time.Minute))
	if barLinks[0] != want {
		t.Errorf("first link %q, want %q (cut to the window)", barLinks[0], want)
	}
	want = searchHref(index.TimelineBucket{}, tl.Buckets[95].Start, tl.To)
	if barLinks[94] != want {
		t.Errorf("last link %q, want %q", barLinks[94], want)
	}
	want = searchHref(index.TimelineBucket{}, tl.Buckets[50].Start, tl.Buckets[51].Start)
	if barLinks[49] != want {
		t.Errorf("link 50 %q, want %q", barLinks[49], want)
	}
	if got[49].Count != tl.Buckets[50].Count || got[49].Start != tl.Buckets[50].Start {
		t.Errorf("Href got %+v for bucket 50, want %+v", got[49], tl.Buckets[50].TimelineBucket)
	}
	// Status updates link to their incident.
	if n := strings.Count(string(doc), `href="https://www.githubstatus.com/incidents/x1"`); n != len(tl.Updates) {
		t.Errorf("%d incident links, want %d", n, len(tl.Updates))
	}
}

func TestTimelineTooltip(t *testing.T) {
	loc, _ := time.LoadLocation("America/Los_Angeles")
	start := time.Date(2026, 1, 15, 9, 35, 0, 0, loc).UTC()
	tl := &event.Timeline{Location: loc, From: start, To: start.Add(10 * time.Minute), Width: 5 * time.Minute,
		Sources: []event.SourceCount{{Source: "twitter", Count: 12}, {Source: "mastodon", Count: 7}},
		Buckets: []event.Bucket{
			{TimelineBucket: index.TimelineBucket{Start: start, Count: 18, Sources: map[string]uint64{"twitter": 12, "mastodon": 6},
				Negative: 10, Neutral: 4, Positive: 2, ScoreSum: -4.8}},
			{TimelineBucket: index.TimelineBucket{Start: start.Add(5 * time.Minute), Count: 1, Sources: map[string]uint64{"mastodon": 1}}},
		}}
	root := parseSVG(t, Timeline(tl, TimelineOptions{}))
	bs := bars(root)
	if len(bs) != 2 {
		t.Fatalf("%d bars, want 2", len(bs))
	}
	for i, want := range []string{
		"09:35–09:40 PST: 18 posts (twitter 12, mastodon 6); tone −0.30: 10 negative, 4 neutral, 2 positive",
		"09:40–09:45 PST: 1 post (mastodon 1); tone not scored",
	} {
		if got := bs[i].children[0].text; got != want {
			t.Errorf("tooltip %d:\n got %q\nwant %q", i, got, want)
		}
	}
	// The band: the first bucket leans negative, the second is unscored.
	band := func(b *node) string {
		rs := b.all("rect")
		return rs[len(rs)-1].attr["fill"]
	}
	if c := band(bs[0]); c != toneColor(-0.3) || c == unscoredColor {
		t.Errorf("band colour %s, want %s", c, toneColor(-0.3))
	}
	if c := band(bs[1]); c != unscoredColor {
		t.Errorf("unscored band colour %s, want %s", c, unscoredColor)
	}
}

func TestTimelineStacking(t *testing.T) {
	tl := exampleTimeline(t, 96, 5*time.Minute)
	tl.Buckets[3].Count += 5 // five posts without a source
	root := parseSVG(t, Timeline(tl, TimelineOptions{}))
	bs := bars(root)
	if len(bs) != len(tl.Buckets) {
		t.Fatalf("%d bars, want %d", len(bs), len(tl.Buckets))
	}
	colors := sourceColors([]string{"twitter", "mastodon", "bluesky", "hackernews"})
	type piece struct {
		fill      string
		y, height float64
	}
	stacks := make([][]piece, len(bs))
	heights := make([]float64, len(bs))
	for i, b := range bs {
		for _, r := range b.all("rect")[1:] {
			if fill := r.attr["fill"]; slices.Contains(colors, fill) || fill == otherColor { // not the band
				stacks[i] = append(stacks[i], piece{fill, attrNum(r, "y"), attrNum(r, "height")})
				heights[i] += attrNum(r, "height")
			}
		}
	}
	// Pixels per post, from the tallest bar (the least rounding error).
	peak := 0
	for i, bk := range tl.Buckets {
		if bk.Count > tl.Buckets[peak].Count {
			peak = i
		}
	}
	scale := heights[peak] / float64(tl.Buckets[peak].Count)
	if !(scale > 0) {
		t.Fatal("no bar drawn")
	}
	for i, bk := range tl.Buckets {
		if want := float64(bk.Count) * scale; math.Abs(heights[i]-want) > 0.1 {
			t.Errorf("bar %d: %v high for %d posts, want %v", i, heights[i], bk.Count, want)
		}
		for j, p := range stacks[i] {
			if j > 0 && math.Abs(p.y+p.height-stacks[i][j-1].y) > 0.05 {
				t.Errorf("bar %d: piece %d does not sit on the one below", i, j)
			}
			want := float64(bk.Count-bk.Sources["twitter"]-bk.Sources["mastodon"]-bk.Sources["bluesky"]-bk.Sources["hackernews"]) * scale
			for k, s := range []string{"twitter", "mastodon", "bluesky", "hackernews"} {
				if p.fill == colors[k] {
					want = float64(bk.Sources[s]) * scale
				}
			}
			if math.Abs(p.height-want) > 0.15 {
				t.Errorf("bar %d piece %s: %v high, want %v", i, p.fill, p.height, want)
			}
		}
	}
	if len(stacks[3]) == 0 || stacks[3][len(stacks[3])-1].fill != otherColor {
		t.Error("the posts without a source are not stacked on top")
	}
}

func TestTimelineLegend(t *testing.T) {
	tl := exampleTimeline(t, 96, 5*time.Minute)
	tl.Buckets[5].Sources["lobsters"] = 3 // a source the list misses
	tl.Buckets[5].Count += 3
	root := parseSVG(t, Timeline(tl, TimelineOptions{}))
	texts := root.texts()
	for _, s := range tl.Sources {
		if want := s.Source + " " + count(s.Count); !slices.Contains(texts, want) {
			t.Errorf("legend lacks %q; texts %q", want, texts)
		}
	}
	if !slices.Contains(texts, "lobsters 3") || !slices.Contains(texts, "spike") {
		t.Errorf("legend lacks lobsters or spike; texts %q", texts)
	}
	// Colours are distinct and fixed for known sources.
	cs := sourceColors([]string{"twitter", "mastodon", "bluesky", "hackernews", "lobsters", "rss", "reddit", "csv"})
	if len(slices.Compact(slices.Sorted(slices.Values(cs)))) != len(cs) {
		t.Errorf("colours repeat among eight sources: %v", cs)
	}
	if a, b := sourceColors([]string{"twitter", "lobsters"}), sourceColors([]string{"lobsters", "twitter"}); a[0] != b[1] || a[1] != b[0] {
		t.Errorf("colours depend on order: %v %v", a, b)
	}
}

func TestTimelineStatusMarkers(t *testing.T) {
	tl := exampleTimeline(t, 96, 5*time.Minute)
	root := parseSVG(t, Timeline(tl, TimelineOptions{}))
	texts := root.texts()
	type pos struct{ x, y float64 }
	labels := map[string]pos{}
	for _, n := range root.all("text") {
		labels[n.text] = pos{attrNum(n, "x"), attrNum(n, "y")}
	}
	// Every update's label, in the event's zone.
	want := []string{"investigating 09:37", "identified 09:51", "update 09:54", "monitoring 10:20", "resolved 11:15"}
	for _, w := range want {
		if _, ok := labels[w]; !ok {
			t.Errorf("no label %q; texts %q", w, texts)
		}
	}
	// Updates minutes apart are staggered into rows.
	if labels[want[0]].y == labels[want[1]].y || labels[want[1]].y == labels[want[2]].y {
		t.Errorf("close labels share a row: %v", labels)
	}
	// One dashed line per update, with the incident in its tooltip.
	n := 0
	for _, l := range root.all("line") {
		if l.attr["stroke-dasharray"] != "" {
			n++
			title := l.parent.child("title")
			if title == nil || !strings.Contains(title.text, "Delays in GitHub Actions") {
				t.Errorf("status line without the incident in its tooltip")
			}
		}
	}
	if n != len(tl.Updates) {
		t.Errorf("%d status lines, want %d", n, len(tl.Updates))
	}
	// The spike's peak carries its factor.
	sp := tl.Spikes[0]
	if f := factorText(sp.Factor) + " usual"; !slices.Contains(texts, f) {
		t.Errorf("no peak label %q", f)
	}
	if !strings.Contains(root.child("desc").text, "ahead of the status page") {
		t.Errorf("desc lacks the lag: %q", root.child("desc").text)
	}
}

func TestTimelineDense(t *testing.T) {
	tl := exampleTimeline(t, 20000, time.Minute)
	var calls int
	var sum uint64
	var spans []time.Duration
	doc := Timeline(tl, TimelineOptions{Href: func(b index.TimelineBucket, from, to time.Time) string {
		calls++
		sum += b.Count
		spans = append(spans, to.Sub(from))
		return "/s"
	}})
	root := parseSVG(t, doc)
	bs := bars(root)
	if len(bs) > 466 || len(bs) < 400 {
		t.Errorf("%d bars for 20000 buckets, want about one per two pixels", len(bs))
	}
	if sum != tl.Total {
		t.Errorf("merged bars link %d posts, want %d", sum, tl.Total)
	}
	if spans[1] != 44*time.Minute {
		t.Errorf("a merged bar spans %v, want 44m (20000 buckets in 455 bars)", spans[1])
	}
	if calls == 0 {
		t.Fatal("no bar linked")
	}
}

func TestTimeTicks(t *testing.T) {
	loc, _ := time.LoadLocation("America/Los_Angeles")
	from := time.Date(2026, 3, 7, 5, 17, 0, 0, loc) // DST begins on 8 March
	to := from.Add(72 * time.Hour)
	u := chooseUnit(to.Sub(from), 14)
	if u.minute != 360 {
		t.Fatalf("unit %+v for 72h in 14 ticks, want 6h", u)
	}
	ticks := timeTicks(from, to, loc, u)
	var got []string
	for _, tk := range ticks {
		got = append(got, tk.In(loc).Format("2 15:04"))
	}
	want := "7 06:00 7 12:00 7 18:00 8 00:00 8 06:00 8 12:00 8 18:00 9 00:00 9 06:00 9 12:00 9 18:00 10 00:00 10 06:00"
	if strings.Join(got, " ") != want {
		t.Errorf("ticks\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	days := timeTicks(from, from.Add(30*24*time.Hour), loc, tickUnit{day: 7})
	for _, d := range days {
		if l := d.In(loc); l.Weekday() != time.Monday || l.Hour() != 0 {
			t.Errorf("weekly tick %v is not a Monday midnight", l)
		}
	}
	if len(days) != 5 { // 9 March to 6 April
		t.Errorf("%d weekly ticks in 30 days, want 5", len(days))
	}
	for _, c := range []struct {
		max       float64
		step, top float64
	}{{0, 1, 1}, {3, 1, 3}, {7, 2, 8}, {235, 50, 250}, {1e6, 200000, 1e6}} {
		if s, tp := niceTicks(c.max, 5); s != c.step || tp != c.top {
			t.Errorf("niceTicks(%v) = %v, %v; want %v, %v", c.max, s, tp, c.step, c.top)
		}
	}
}

func TestSparkline(t *testing.T) {
	counts := []uint64{1, 3, 2, 40, 12, 5, 4, 3}
	root := checkStandalone(t, Sparkline(counts, 100, 20))
	if got := root.child("title").text; got != "70 posts, peak 40" {
		t.Errorf("title %q", got)
	}
	dots := root.all("circle")
	if len(dots) != 1 {
		t.Fatalf("%d peak dots, want 1", len(dots))
	}
	// The peak is the fourth of eight points spread over 2.5..97.5.
	if x, y := attrNum(dots[0], "cx"), attrNum(dots[0], "cy"); math.Abs(x-(2.5+95*3.0/7)) > 0.1 || math.Abs(y-2.5) > 0.1 {
		t.Errorf("peak dot at %v,%v", x, y)
	}
	// Dense input keeps its peak; no input and all zeros draw no dot.
	dense := make([]uint64, 5000)
	dense[4321] = 9
	root = checkStandalone(t, Sparkline(dense, 0, 0))
	if d := root.all("circle"); len(d) != 1 || math.Abs(attrNum(d[0], "cx")-(2.5+115*4321.0/4999)) > 1 {
		t.Errorf("dense peak dot %v", d)
	}
	for _, c := range [][]uint64{nil, {0, 0, 0}, {7}} {
		root := checkStandalone(t, Sparkline(c, 0, 0))
		if n := len(root.all("circle")); (n == 1) != (len(c) == 1) {
			t.Errorf("%v: %d dots", c, n)
		}
	}
}

func TestHistogram(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	start := time.Date(2026, 2, 1, 10, 0, 0, 0, time.UTC)
	var bs []index.Bucket
	for i := range 24 {
		bs = append(bs, index.Bucket{Start: start.Add(time.Duration(i) * time.Hour), Count: uint64(i % 5)})
	}
	doc := Histogram(bs, time.Hour, loc, func(b index.Bucket, from, to time.Time) string {
		return fmt.Sprintf("/search?from=%s&to=%s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}, 0, 0)
	root := checkStandalone(t, doc)
	links := root.all("a")
	if len(links) != 24-5 { // the empty buckets have no link
		t.Fatalf("%d links, want 19", len(links))
	}
	if got, want := links[0].attr["href"], "/search?from=2026-02-01T11:00:00Z&to=2026-02-01T12:00:00Z"; got != want {
		t.Errorf("first link %q, want %q", got, want)
	}
	if got, want := links[0].child("title").text, "Sun 1 Feb 12:00–13:00 CET: 1 post"; got != want {
		t.Errorf("tooltip %q, want %q", got, want)
	}
	// Too dense for two pixels a bar: merged, sums and spans passed on.
	many := make([]index.Bucket, 1000)
	var total uint64
	for i := range many {
		many[i] = index.Bucket{Start: start.Add(time.Duration(i) * time.Minute), Count: uint64(i % 7)}
		total += many[i].Count
	}
	var sum uint64
	var last time.Time
	root = checkStandalone(t, Histogram(many, 0, nil, func(b index.Bucket, from, to time.Time) string {
		sum += b.Count
		last = to
		return "/s"
	}, 0, 0))
	if n := len(bars(root)); n > 159 {
		t.Errorf("%d bars in 318 px", n)
	}
	if sum != total || !last.Equal(many[999].Start.Add(time.Minute)) {
		t.Errorf("merged links cover %d posts to %v, want %d to %v", sum, last, total, many[999].Start.Add(time.Minute))
	}
	checkStandalone(t, Histogram(nil, 0, nil, nil, 10, 10))
	checkStandalone(t, Histogram(bs[:1], 0, nil, nil, 0, 0))
}

func TestSafeHref(t *testing.T) {
	for href, ok := range map[string]bool{
		"/search?q=a&b=c": true, "https://x.example/a": true, "mailto:a@b": true, "?q=1": true,
		"javascript:alert(1)": false, " JavaScript:alert(1)": false, "data:text/html,x": false,
		"vbscript:x": false, "": false, "/a\nb": false, "http://[::1": false,
	} {
		if _, got := safeHref(href); got != ok {
			t.Errorf("safeHref(%q) = %v, want %v", href, got, ok)
		}
	}
}

func BenchmarkTimeline864(b *testing.B) {
	tl := exampleTimeline(b, 864, 5*time.Minute)
	for _, c := range []struct {
		name string
		opt  TimelineOptions
	}{
		{"default", TimelineOptions{Href: searchHref}},
		{"bar-per-bucket", TimelineOptions{Href: searchHref, MaxBars: 864}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = len(Timeline(tl, c.opt))
			}
			b.ReportMetric(float64(n), "bytes/svg")
		})
	}
}
