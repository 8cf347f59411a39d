package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/event/spike"
	"github.com/aftershock/aftershock/index"
)

// node is a parsed XML element, enough to query the charts in tests.
type node struct {
	name     string
	attr     map[string]string
	text     string // character data directly inside
	children []*node
	parent   *node
}

// parseSVG decodes the whole document with encoding/xml and fails the test
// unless it is one well-formed <svg> element in the SVG namespace.
func parseSVG(t testing.TB, doc []byte) *node {
	t.Helper()
	root, err := parseXML(doc)
	if err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, head(doc))
	}
	if root.name != "svg" || root.attr["xmlns"] != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is <%s xmlns=%q>, want an SVG", root.name, root.attr["xmlns"])
	}
	return root
}

func head(doc []byte) []byte {
	if len(doc) > 600 {
		return doc[:600]
	}
	return doc
}

func parseXML(doc []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var root, cur *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				k := a.Name.Local
				if a.Name.Space == "xmlns" {
					k = "xmlns:" + k
				}
				n.attr[k] = a.Value
			}
			if tok.Name.Space != "" && cur == nil {
				n.attr["xmlns"] = tok.Name.Space
			}
			if cur == nil {
				if root != nil {
					return nil, errString("two root elements")
				}
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			if cur != nil {
				cur.text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				return nil, errString("text outside the root")
			}
		case xml.ProcInst, xml.Directive:
			return nil, errString("unexpected processing instruction or directive")
		}
	}
	if root == nil {
		return nil, errString("no root element")
	}
	return root, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// all returns the elements named name under n, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		for _, c := range m.children {
			if c.name == name {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// child returns n's first child named name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// texts returns the text of every <text> under n.
func (n *node) texts() []string {
	var out []string
	for _, t := range n.all("text") {
		out = append(out, t.text)
	}
	return out
}

// exampleTimeline builds a realistic timeline: n buckets of step from
// 06:00 Pacific on 3 March 2026, four sources, a burst with its spike and
// status updates of one incident, in the America/Los_Angeles zone.
func exampleTimeline(t testing.TB, n int, step time.Duration) *event.Timeline {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 3, 6, 0, 0, 0, loc).UTC()
	rng := rand.New(rand.NewPCG(1, 2))
	tl := &event.Timeline{
		Event:    event.Event{Slug: "gh-outage", Name: "GitHub Actions outage", TZ: "America/Los_Angeles"},
		Location: loc, From: from, To: from.Add(time.Duration(n) * step), Width: step,
	}
	burstAt := n * 2 / 5
	shares := []struct {
		name string
		w    float64
	}{{"twitter", 0.5}, {"mastodon", 0.25}, {"bluesky", 0.15}, {"hackernews", 0.1}}
	totals := map[string]uint64{}
	for i := range n {
		base := 3 + 2*rng.Float64()
		d := i - burstAt
		if d >= 0 {
			base += 120 * float64(d+1) / float64(d*d/3+1) / (1 + float64(d)/20)
		}
		b := event.Bucket{TimelineBucket: index.TimelineBucket{Start: from.Add(time.Duration(i) * step)}}
		for _, s := range shares {
			c := uint64(base*s.w + rng.Float64()*2)
			if c > 0 {
				if b.Sources == nil {
					b.Sources = map[string]uint64{}
				}
				b.Sources[s.name] = c
				b.Count += c
				totals[s.name] += c
			}
		}
		if b.Count > 0 {
			b.Negative = b.Count * 6 / 10
			if d < 0 || d > 30 {
				b.Negative = b.Count / 5
			}
			b.Positive = b.Count / 10
			b.Neutral = b.Count - b.Negative - b.Positive - b.Count/8
			b.ScoreSum = -0.6*float64(b.Negative) + 0.5*float64(b.Positive)
		}
		tl.Total += b.Count
		tl.Buckets = append(tl.Buckets, b)
	}
	for _, s := range shares {
		tl.Sources = append(tl.Sources, event.SourceCount{Source: s.name, Count: totals[s.name]})
	}
	end := min(burstAt+12, n-1)
	peak := burstAt
	for i := burstAt; i <= end; i++ {
		if tl.Buckets[i].Count > tl.Buckets[peak].Count {
			peak = i
		}
	}
	if n > 10 {
		for i := burstAt; i <= end; i++ {
			tl.Buckets[i].InSpike = true
		}
		tl.Spikes = []spike.Spike{{
			Start: tl.Buckets[burstAt].Start, Detected: tl.Buckets[burstAt+1].Start,
			Peak: tl.Buckets[peak].Start, End: tl.Buckets[end].Start,
			StartIndex: burstAt, PeakIndex: peak, EndIndex: end,
			PeakCount: float64(tl.Buckets[peak].Count), Baseline: 4, Factor: float64(tl.Buckets[peak].Count) / 4,
		}}
		sig := tl.Buckets[burstAt].Start
		ups := []struct {
			after time.Duration
			state status.State
		}{{27 * time.Minute, status.Investigating}, {41 * time.Minute, status.Identified}, {44 * time.Minute, status.Updated},
			{70 * time.Minute, status.Monitoring}, {125 * time.Minute, status.Resolved}}
		for _, u := range ups {
			tl.Updates = append(tl.Updates, event.Marker{Time: sig.Add(u.after), State: u.state,
				Incident: "Delays in GitHub Actions", Page: "GitHub", URL: "https://www.githubstatus.com/incidents/x1",
				Body: "We are investigating reports of degraded performance for Actions."})
		}
		tl.Lag = &event.Lag{Signal: sig, SignalKind: "spike", Acknowledged: sig.Add(27 * time.Minute),
			Resolved: sig.Add(125 * time.Minute), ToAck: 27 * time.Minute, ToResolve: 125 * time.Minute}
	}
	return tl
}
