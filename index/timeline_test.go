package index

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
)

func TestTimeline(t *testing.T) {
	ix := openMem(t)
	base := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	scored := func(d Doc, label string, score float64) Doc {
		d.Post.Sentiment = post.Sentiment{Label: label, Score: score, Confidence: 0.9, Model: "test"}
		return d
	}
	apply(t, ix,
		scored(doc("twitter:1", "en", "s3 down", at(1)), "negative", -0.8),
		scored(doc("twitter:2", "en", "s3 down again", at(3)), "negative", -0.4),
		scored(doc("mastodon:3", "de", "s3 kaputt", at(4)), "neutral", 0),
		doc("bluesky:4", "ja", "s3", at(12)), // not scored
		scored(doc("twitter:5", "en", "s3 back up", at(21)), "positive", 0.6),
		scored(doc("twitter:6", "en", "unrelated", at(2)), "positive", 0.9),
	)
	tl, err := ix.Timeline(context.Background(), Query{Text: "s3", From: at(0), To: at(25)}, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if tl.Total != 5 || len(tl.Buckets) != 5 {
		t.Fatalf("total %d, %d buckets: %+v", tl.Total, len(tl.Buckets), tl.Buckets)
	}
	want := []struct {
		count, neg, neu, pos uint64
		sources              map[string]uint64
		mean                 float64
	}{
		{3, 2, 1, 0, map[string]uint64{"twitter": 2, "mastodon": 1}, -0.4},
		{0, 0, 0, 0, nil, 0},
		{1, 0, 0, 0, map[string]uint64{"bluesky": 1}, 0},
		{0, 0, 0, 0, nil, 0},
		{1, 0, 0, 1, map[string]uint64{"twitter": 1}, 0.6},
	}
	for i, w := range want {
		b := tl.Buckets[i]
		if !b.Start.Equal(at(5*i)) || b.Count != w.count || b.Negative != w.neg || b.Neutral != w.neu || b.Positive != w.pos {
			t.Errorf("bucket %d: %+v, want %+v", i, b, w)
		}
		if len(b.Sources) != len(w.sources) {
			t.Errorf("bucket %d sources %v, want %v", i, b.Sources, w.sources)
		}
		for s, n := range w.sources {
			if b.Sources[s] != n {
				t.Errorf("bucket %d source %s: %d, want %d", i, s, b.Sources[s], n)
			}
		}
		if math.Abs(b.MeanScore()-w.mean) > 1e-9 {
			t.Errorf("bucket %d mean %v, want %v", i, b.MeanScore(), w.mean)
		}
	}

	t.Run("open window spans first to last hit", func(t *testing.T) {
		tl, err := ix.Timeline(context.Background(), Query{Text: "s3", Sources: []string{"twitter"}}, 10*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(tl.Buckets) != 3 || tl.Buckets[0].Count != 2 || tl.Buckets[2].Count != 1 || !tl.Buckets[0].Start.Equal(at(0)) {
			t.Errorf("%+v", tl.Buckets)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		if _, err := ix.Timeline(context.Background(), Query{Text: "s3 AND (", From: at(0), To: at(5)}, time.Minute); err == nil {
			t.Error("syntax error accepted")
		}
		if _, err := ix.Timeline(context.Background(), Query{From: at(5), To: at(0)}, time.Minute); err == nil {
			t.Error("reversed window accepted")
		}
		if _, err := ix.Timeline(context.Background(), Query{From: at(0), To: at(0).Add(365 * 24 * time.Hour)}, time.Second); !errors.Is(err, ErrTooManyBuckets) {
			t.Errorf("too many buckets: %v", err)
		}
		if _, err := ix.Timeline(context.Background(), Query{}, 0); err == nil {
			t.Error("zero width accepted")
		}
	})
}

func TestSortByEngagement(t *testing.T) {
	ix := openMem(t)
	base := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	mk := func(id string, m int, likes, reposts int64) Doc {
		d := doc(id, "en", "s3 down", base.Add(time.Duration(m)*time.Minute))
		d.Post.Metrics = post.Metrics{Likes: likes, Reposts: reposts}
		return d
	}
	apply(t, ix, mk("t:1", 1, 5, 0), mk("t:2", 2, 100, 20), mk("t:3", 3, 0, 0), mk("t:4", 4, 3, 2), mk("t:5", 5, 0, 0))
	var got []string
	q := Query{Text: "s3", Sort: Engagement, Size: 2}
	for {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if res.Next == "" {
			break
		}
		q.After = res.Next
	}
	want := []string{"t:2", "t:4", "t:1", "t:5", "t:3"} // 120, 5 and 5 (newer first), 0 and 0 (newer first)
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if Signature(mk("t:1", 1, 5, 0)) == Signature(mk("t:1", 1, 6, 0)) {
		t.Error("signature ignores engagement")
	}
}

func TestHas(t *testing.T) {
	ix := openMem(t)
	at := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	plain := doc("t:1", "en", "s3 down", at)
	link := doc("t:2", "en", "s3 down", at)
	link.Post.Links = []string{"https://status.aws.amazon.com/"}
	media := doc("t:3", "en", "s3 down", at)
	media.Post.Media = []string{"https://pbs.twimg.com/media/x.jpg"}
	both := doc("t:4", "en", "s3 down", at)
	both.Post.Links, both.Post.Media = link.Post.Links, media.Post.Media
	apply(t, ix, plain, link, media, both)
	for _, c := range []struct {
		q    Query
		want string
	}{
		{Query{Text: "s3", Has: []string{"links"}}, "t:2 t:4"},
		{Query{Text: "s3", Has: []string{"media"}}, "t:3 t:4"},
		{Query{Text: "s3", Has: []string{"links", "media"}}, "t:4"},
		{Query{Text: "s3 has:media"}, "t:3 t:4"},
		{Query{Text: "s3 -has:links"}, "t:1 t:3"},
	} {
		if got := strings.Join(ids(t, ix, c.q), " "); got != c.want {
			t.Errorf("%+v: %s, want %s", c.q, got, c.want)
		}
	}
	if Signature(plain) == Signature(media) {
		t.Error("signature ignores media")
	}
}

// dense widens both ways, keeps every count, and refuses to span more than
// MaxBuckets.
func TestDense(t *testing.T) {
	var d dense[int]
	ks := []int64{50, 49, 70, 10, 9, 8, 100, 0, -3, 100}
	want := map[int64]int{}
	for _, k := range ks {
		*d.at(k)++
		want[k]++
	}
	for k := int64(-10); k <= 110; k++ {
		if got := d.get(k); got != want[k] {
			t.Errorf("bucket %d: %d, want %d", k, got, want[k])
		}
	}
	if d.first != -3 || d.last != 100 || !d.hits {
		t.Errorf("span %d..%d (%v)", d.first, d.last, d.hits)
	}
	if d.at(-3+MaxBuckets) != nil {
		t.Error("a span of MaxBuckets+1 accepted")
	}
	var r dense[int]
	b := newBuckets(time.Minute)
	r.reserve(b, b.start(5), b.start(10)) // buckets 5..9
	var open dense[int]
	if open.reserve(b, b.start(20), time.Time{}); len(open.vals) != 0 {
		t.Errorf("an open bound reserved %d buckets", len(open.vals))
	}
	*r.at(9)++
	if r.lo != 5 || len(r.vals) != 5 || r.get(9) != 1 {
		t.Errorf("reserved: lo %d, %d values", r.lo, len(r.vals))
	}
}

func TestParseCents(t *testing.T) {
	for in, want := range map[string]int64{"0.00": 0, "-0.53": -53, "1.00": 100, "-1.00": -100, "0.07": 7, "12.34": 1234} {
		if got, ok := parseCents([]byte(in)); !ok || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "-", ".53", "0.5", "0.530", "1e2", "0,53", "--0.53", "0.-5", "+0.53", "0x.10"} {
		if got, ok := parseCents([]byte(in)); ok {
			t.Errorf("%q accepted as %d", in, got)
		}
	}
}

// parseCents agrees with strconv.ParseFloat on everything it accepts.
func FuzzParseCents(f *testing.F) {
	for _, s := range []string{"0.00", "-0.53", "1.00", "0.5", "", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseCents([]byte(s))
		if !ok {
			return
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(x*100-float64(c)) > 1e-6*math.Max(1, math.Abs(x*100)) {
			t.Fatalf("%q: %d hundredths, ParseFloat %v, %v", s, c, x, err)
		}
	})
}
