package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
)

var t0 = time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)

// doc builds a Doc; the id's prefix before ':' is its source.
func doc(id, lang, text string, created time.Time) Doc {
	src, native, _ := strings.Cut(id, ":")
	return Doc{Post: post.Post{
		ID: id, Source: src, NativeID: native,
		Lang: lang, Text: text, CreatedAt: created,
		Author: post.Author{Handle: "user_" + native},
	}}
}

func openMem(t testing.TB) *Index {
	t.Helper()
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// kinds runs f on an in-memory and an on-disk index.
func kinds(t *testing.T, f func(t *testing.T, ix *Index)) {
	t.Run("mem", func(t *testing.T) { f(t, openMem(t)) })
	t.Run("disk", func(t *testing.T) {
		ix, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		f(t, ix)
	})
}

func apply(t testing.TB, ix *Index, docs ...Doc) {
	t.Helper()
	if err := ix.Apply(docs, nil, 1); err != nil {
		t.Fatal(err)
	}
}

// ids runs q and returns the hit ids, sorted unless q sorts by time.
func ids(t *testing.T, ix *Index, q Query) []string {
	t.Helper()
	if q.Size == 0 {
		q.Size = MaxSize
	}
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	if q.Sort == Relevance {
		sort.Strings(out)
	}
	if res.Total != uint64(len(out)) {
		t.Errorf("Search(%q): Total %d, %d hits", q.Text, res.Total, len(out))
	}
	return out
}

type searchCase struct {
	q    string
	want []string
}

func runCases(t *testing.T, ix *Index, cases []searchCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.q, func(t *testing.T) {
			got := ids(t, ix, Query{Text: c.q})
			want := slices.Sorted(slices.Values(c.want))
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: got %v, want %v", c.q, got, want)
			}
		})
	}
}

func TestStemming(t *testing.T) {
	kinds(t, func(t *testing.T, ix *Index) {
		apply(t, ix,
			doc("t:en1", "en", "Massive outages across AWS today", t0),
			doc("t:en2", "en", "The outage is over", t0),
			doc("t:en3", "en", "Everything running fine", t0),
			doc("t:de1", "de", "Überall Ausfälle bei der Telekom", t0),
			doc("t:de2", "de", "Störungen im Netz seit dem Morgen", t0),
			doc("t:de3", "de", "Bei mir läuft gar nichts mehr", t0),
			doc("t:de4", "de-AT", "Seit 10 Uhr laeuft alles wieder", t0),
			doc("t:de5", "de", "Der Ausfall dauert an", t0),
			doc("t:un1", "", "Störung behoben", t0),
			doc("t:un2", "", "outages reported in us-east-1", t0),
			doc("t:fr1", "fr", "les pannes outages", t0),
		)
		runCases(t, ix, []searchCase{
			{"outage", []string{"t:en1", "t:en2", "t:un2"}},
			{"outages", []string{"t:en1", "t:en2", "t:un2", "t:fr1"}},
			{"Ausfall", []string{"t:de1", "t:de5"}},
			{"ausfälle", []string{"t:de1", "t:de5"}},
			{"Störung", []string{"t:de2", "t:un1"}},
			{"Störungen", []string{"t:de2", "t:un1"}},
			{"läuft", []string{"t:de3", "t:de4"}},
			{"running", []string{"t:en3"}},
			{"run", []string{"t:en3"}},
			{"pannes", []string{"t:fr1"}},
			{"panne", nil}, // French is not stemmed
			{"us-east-1", []string{"t:un2"}},
			{"east-us", nil},
			{"Telekom", []string{"t:de1"}},
		})
	})
}

func TestPhrase(t *testing.T) {
	ix := openMem(t)
	apply(t, ix,
		doc("t:1", "en", "the service is down again", t0),
		doc("t:2", "en", "down is the new up", t0),
		doc("t:3", "en", "it is not down", t0),
		doc("t:4", "en", "S3 IS DOWN!!!", t0),
		doc("t:5", "de", "Die Seite ist down, wieder", t0),
		doc("t:6", "en", "servers are down", t0),
	)
	runCases(t, ix, []searchCase{
		{`"is down"`, []string{"t:1", "t:4"}},
		{`"IS   down"`, []string{"t:1", "t:4"}},
		{`"down is"`, []string{"t:2"}},
		{`"is not down"`, []string{"t:3"}},
		{`"ist down"`, []string{"t:5"}},
		{`"server"`, nil}, // phrases are exact: no stemming
		{`server`, []string{"t:6"}},
		{`"down"`, []string{"t:1", "t:2", "t:3", "t:4", "t:5", "t:6"}},
		{`"!!!"`, nil},
	})
}

func TestBoolean(t *testing.T) {
	ix := openMem(t)
	apply(t, ix,
		doc("t:a", "en", "aws s3 is down", t0),
		doc("t:b", "en", "aws ec2 is fine", t0),
		doc("t:c", "en", "gcp storage down", t0),
		doc("t:d", "en", "s3 compatible minio", t0),
	)
	runCases(t, ix, []searchCase{
		{"aws s3", []string{"t:a"}},
		{"AWS S3", []string{"t:a"}},
		{"aws OR gcp", []string{"t:a", "t:b", "t:c"}},
		{"aws or gcp", nil}, // lower-case "or" is a word
		{"aws -s3", []string{"t:b"}},
		{"aws NOT s3", []string{"t:b"}},
		{"-aws", []string{"t:c", "t:d"}},
		{"NOT aws", []string{"t:c", "t:d"}},
		{"-aws -s3", []string{"t:c"}},
		{"(aws OR gcp) down", []string{"t:a", "t:c"}},
		{`s3 OR aws "is down"`, []string{"t:a"}}, // (s3 OR aws) "is down"
		{`s3 OR gcp down`, []string{"t:a", "t:c"}},
		{"(aws -ec2) OR gcp", []string{"t:a", "t:c"}},
		{"-(aws OR gcp)", []string{"t:d"}},
		{"minio OR -aws", []string{"t:c", "t:d"}},
		{"stor*", []string{"t:c"}},
		{"Comp*", []string{"t:d"}},
		{"aws ;", []string{"t:a", "t:b"}}, // punctuation is ignored
		{";", nil},                        // nothing searchable: no hits
		{"", []string{"t:a", "t:b", "t:c", "t:d"}},
		{"zzz -aws", nil},
	})
}

func TestFilters(t *testing.T) {
	mk := func(id, handle string, tags, mentions, links []string, deleted bool) Doc {
		d := doc(id, "en", "post "+id, t0)
		d.Post.Author.Handle = handle
		d.Post.Hashtags, d.Post.Mentions, d.Post.Links = tags, mentions, links
		d.Deleted = deleted
		return d
	}
	kinds(t, func(t *testing.T, ix *Index) {
		apply(t, ix,
			mk("twitter:1", "AWSSupport", []string{"AWS", "outage"}, []string{"jeffbarr"}, []string{"https://status.aws.amazon.com/x"}, false),
			mk("mastodon:2", "@bob@hachyderm.io", []string{"Störung"}, nil, []string{"https://www.heise.de/news"}, false),
			mk("bluesky:3", "alice.bsky.social", nil, []string{"AWSSupport"}, []string{"https://amazon.com/"}, true),
		)
		d := doc("hackernews:4", "de", "post", t0)
		d.Post.Author.Handle = ""
		apply(t, ix, d)

		runCases(t, ix, []searchCase{
			{"from:awssupport", []string{"twitter:1"}},
			{"author:@AWSSupport", []string{"twitter:1"}},
			{"from:bob@hachyderm.io", []string{"mastodon:2"}},
			{"#aws", []string{"twitter:1"}},
			{"#AWS post", []string{"twitter:1"}},
			{"#störung", []string{"mastodon:2"}},
			{"@awssupport", []string{"bluesky:3"}},
			{"@jeffbarr", []string{"twitter:1"}},
			{"source:twitter", []string{"twitter:1"}},
			{"source:Mastodon OR source:bluesky", []string{"bluesky:3", "mastodon:2"}},
			{"-source:twitter", []string{"bluesky:3", "hackernews:4", "mastodon:2"}},
			{"lang:de", []string{"hackernews:4"}},
			{"lang:en", []string{"bluesky:3", "mastodon:2", "twitter:1"}},
			{"domain:heise.de", []string{"mastodon:2"}},
			{"domain:www.heise.de", []string{"mastodon:2"}},
			{"domain:amazon.com", []string{"bluesky:3", "twitter:1"}},
			{"domain:aws.amazon.com", []string{"twitter:1"}},
			{`source:"twitter"`, []string{"twitter:1"}},
			{"foo:bar", nil}, // unknown field: a word
		})

		cases := []struct {
			name string
			q    Query
			want []string
		}{
			{"sources", Query{Sources: []string{"twitter", "Bluesky"}}, []string{"bluesky:3", "twitter:1"}},
			{"langs", Query{Langs: []string{"DE"}}, []string{"hackernews:4"}},
			{"author", Query{Author: "@awssupport"}, []string{"twitter:1"}},
			{"hashtag", Query{Hashtag: "#Outage"}, []string{"twitter:1"}},
			{"mention", Query{Mention: "@JeffBarr"}, []string{"twitter:1"}},
			{"domain", Query{Domain: "amazon.com"}, []string{"bluesky:3", "twitter:1"}},
			{"domain url", Query{Domain: "https://www.heise.de/x"}, []string{"mastodon:2"}},
			{"exclude deleted", Query{ExcludeDeleted: true}, []string{"hackernews:4", "mastodon:2", "twitter:1"}},
			{"deleted stay", Query{Text: "post"}, []string{"bluesky:3", "hackernews:4", "mastodon:2", "twitter:1"}},
			{"text and filter", Query{Text: "post -#aws", Sources: []string{"twitter", "mastodon"}}, []string{"mastodon:2"}},
			{"filters AND", Query{Sources: []string{"twitter"}, Domain: "heise.de"}, []string{}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got := ids(t, ix, c.q); !slices.Equal(got, c.want) {
					t.Errorf("got %v, want %v", got, c.want)
				}
			})
		}
	})
}

func TestTimeRange(t *testing.T) {
	ix := openMem(t)
	apply(t, ix,
		doc("t:0", "en", "x", t0),
		doc("t:1", "en", "x", t0.Add(time.Hour)),
		doc("t:1b", "en", "x", t0.Add(time.Hour+time.Nanosecond)),
		doc("t:2", "en", "x", t0.Add(2*time.Hour-time.Nanosecond)),
		doc("t:3", "en", "x", t0.Add(2*time.Hour)),
	)
	h := func(d time.Duration) time.Time { return t0.Add(d) }
	cases := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"half-open", h(time.Hour), h(2 * time.Hour), []string{"t:1", "t:1b", "t:2"}},
		{"from only", h(time.Hour + 1), time.Time{}, []string{"t:1b", "t:2", "t:3"}},
		{"to only", time.Time{}, h(time.Hour), []string{"t:0"}},
		{"empty", h(time.Hour), h(time.Hour), []string{}},
		{"other zone", h(time.Hour).In(time.FixedZone("CET", 3600)), h(time.Hour + 1), []string{"t:1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ids(t, ix, Query{Text: "x", From: c.from, To: c.to})
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestSort(t *testing.T) {
	ix := openMem(t)
	apply(t, ix,
		doc("t:b", "en", "outage outage outage", t0.Add(2*time.Minute)),
		doc("t:a", "en", "outage", t0.Add(time.Minute)),
		doc("t:c", "en", "outage somewhere", t0),
		doc("t:d", "en", "outage somewhere", t0), // same time as t:c
	)
	cases := []struct {
		sort Sort
		want []string
	}{
		{Newest, []string{"t:b", "t:a", "t:d", "t:c"}},
		{Oldest, []string{"t:c", "t:d", "t:a", "t:b"}},
	}
	for _, c := range cases {
		t.Run(c.sort.String(), func(t *testing.T) {
			res, err := ix.Search(context.Background(), Query{Text: "outage", Sort: c.sort})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
				if h.Created.IsZero() || h.Score != 0 {
					t.Errorf("%s: Created %v, Score %v", h.ID, h.Created, h.Score)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
			if res.Hits[0].Created != t0.Add(2*time.Minute) && res.Hits[0].Created != t0 {
				t.Errorf("first hit created %v", res.Hits[0].Created)
			}
		})
	}
	t.Run("relevance", func(t *testing.T) {
		res, err := ix.Search(context.Background(), Query{Text: "outage"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Hits[0].ID != "t:a" && res.Hits[0].ID != "t:b" {
			t.Errorf("best hit %s", res.Hits[0].ID)
		}
		for i, h := range res.Hits {
			if h.Score <= 0 {
				t.Errorf("hit %d: %+v", i, h)
			}
			if i > 0 && h.Score > res.Hits[i-1].Score {
				t.Errorf("hit %d scores higher than hit %d", i, i-1)
			}
		}
	})
}

func TestDeepPaging(t *testing.T) {
	ix := openMem(t)
	const n = 2500
	var docs []Doc
	for i := range n {
		// Many equal times and, for relevance, many equal scores.
		text := "outage " + strings.Repeat("word ", i%5)
		docs = append(docs, doc(fmt.Sprintf("t:%05d", i), "en", text, t0.Add(time.Duration(i/7)*time.Minute)))
	}
	if err := ix.Apply(docs, nil, n); err != nil {
		t.Fatal(err)
	}
	for _, s := range []Sort{Newest, Oldest, Relevance} {
		t.Run(s.String(), func(t *testing.T) {
			q := Query{Text: "outage", Sort: s, Size: 100}
			var hits []Hit
			seen := map[string]bool{}
			for pages := 0; ; pages++ {
				if pages > n/100 {
					t.Fatal("too many pages")
				}
				res, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != n {
					t.Fatalf("Total %d", res.Total)
				}
				for _, h := range res.Hits {
					if seen[h.ID] {
						t.Fatalf("page %d: %s seen twice", pages, h.ID)
					}
					seen[h.ID] = true
				}
				hits = append(hits, res.Hits...)
				if res.Next == "" {
					break
				}
				q.After = res.Next
			}
			if len(hits) != n {
				t.Fatalf("got %d hits, want %d", len(hits), n)
			}
			for i := 1; i < len(hits); i++ {
				a, b := hits[i-1], hits[i]
				var ok bool
				switch s {
				case Newest:
					ok = a.Created.After(b.Created) || a.Created.Equal(b.Created) && a.ID > b.ID
				case Oldest:
					ok = a.Created.Before(b.Created) || a.Created.Equal(b.Created) && a.ID < b.ID
				case Relevance:
					ok = a.Score > b.Score || a.Score == b.Score &&
						(a.Created.After(b.Created) || a.Created.Equal(b.Created) && a.ID < b.ID)
				}
				if !ok {
					t.Fatalf("hits %d and %d out of order: %+v, %+v", i-1, i, a, b)
				}
			}
		})
	}
	t.Run("bad cursor", func(t *testing.T) {
		res, err := ix.Search(context.Background(), Query{Sort: Newest, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, after := range []string{"garbage!", "e30", res.Next[:len(res.Next)-2]} {
			if _, err := ix.Search(context.Background(), Query{Sort: Newest, After: after}); !errors.Is(err, ErrBadCursor) {
				t.Errorf("After %q: err %v", after, err)
			}
		}
		if _, err := ix.Search(context.Background(), Query{Sort: Oldest, After: res.Next}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor of another sort: err %v", err)
		}
	})
}

func TestSize(t *testing.T) {
	ix := openMem(t)
	var docs []Doc
	for i := range 1100 {
		docs = append(docs, doc(fmt.Sprintf("t:%d", i), "en", "x", t0))
	}
	apply(t, ix, docs...)
	for _, c := range []struct{ size, want int }{{0, DefaultSize}, {5, 5}, {5000, MaxSize}, {-1, 0}} {
		res, err := ix.Search(context.Background(), Query{Size: c.size})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != c.want || res.Total != 1100 || (c.want > 0) != (res.Next != "") {
			t.Errorf("Size %d: %d hits, total %d, next %q", c.size, len(res.Hits), res.Total, res.Next)
		}
	}
}

func TestFacets(t *testing.T) {
	ix := openMem(t)
	var docs []Doc
	for i := range 30 {
		src := []string{"twitter", "mastodon", "bluesky"}[i%3]
		d := doc(fmt.Sprintf("%s:%d", src, i), []string{"en", "de"}[i%2], "outage", t0)
		d.Post.Author.Handle = fmt.Sprintf("User%d", i%12)
		d.Post.Hashtags = []string{"AWS", fmt.Sprintf("t%d", i%15)}
		d.Post.Links = []string{"https://www.example.com/" + src}
		docs = append(docs, d)
	}
	apply(t, ix, docs...)
	res, err := ix.Search(context.Background(), Query{Text: "outage", Facets: true, Size: -1})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Facets
	want := map[string][]FacetCount{
		"source": {{"bluesky", 10}, {"mastodon", 10}, {"twitter", 10}},
		"lang":   {{"de", 15}, {"en", 15}},
		"domain": {{"example.com", 30}},
	}
	for k, w := range want {
		got := slices.Clone(f[k])
		slices.SortFunc(got, func(a, b FacetCount) int { return strings.Compare(a.Value, b.Value) })
		if !slices.Equal(got, w) {
			t.Errorf("facet %s: got %v, want %v", k, got, w)
		}
	}
	// Most hits first, ties by value (as Bleve's term facets), cut at 10.
	wantAuthors := []FacetCount{{"user0", 3}, {"user1", 3}, {"user2", 3}, {"user3", 3}, {"user4", 3}, {"user5", 3},
		{"user10", 2}, {"user11", 2}, {"user6", 2}, {"user7", 2}}
	if !slices.Equal(f["author"], wantAuthors) {
		t.Errorf("authors: %v\nwant %v", f["author"], wantAuthors)
	}
	// Facets, a histogram and a page in one search: each hook sees every hit.
	both, err := ix.Search(context.Background(), Query{Text: "outage", Facets: true, Histogram: time.Hour, Sort: Newest, Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(both.Hits) != 5 || len(both.Histogram) != 1 || both.Histogram[0].Count != 30 || !slices.Equal(both.Facets["author"], wantAuthors) {
		t.Errorf("facets with a histogram and a page: %d hits, histogram %v, authors %v", len(both.Hits), both.Histogram, both.Facets["author"])
	}
	if len(f["hashtag"]) != 10 || f["hashtag"][0] != (FacetCount{"aws", 30}) || f["hashtag"][1].Count != 2 {
		t.Errorf("hashtags: %v", f["hashtag"])
	}
	res, err = ix.Search(context.Background(), Query{Text: "nothing", Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Facets) != 6 || len(res.Facets["source"]) != 0 {
		t.Errorf("facets without hits: %v", res.Facets)
	}
}

// A tag given twice counts once; the analyser splits on facetSep only.
func TestFacetTerms(t *testing.T) {
	var got []string
	for _, tok := range (facetAnalyzer{}).Analyze([]byte("sx\x00\x00ly z\x00")) {
		got = append(got, string(tok.Term))
	}
	if !slices.Equal(got, []string{"sx", "ly z"}) {
		t.Errorf("tokens %q", got)
	}
	ix := openMem(t)
	d := doc("x:1", "en", "outage", t0)
	d.Post.Hashtags = []string{"AWS", "aws"}
	apply(t, ix, d)
	res, err := ix.Search(context.Background(), Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Facets["hashtag"]; !slices.Equal(h, []FacetCount{{"aws", 1}}) {
		t.Errorf("hashtags %v", h)
	}
}

func TestHistogram(t *testing.T) {
	ix := openMem(t)
	base := time.Date(2017, 2, 28, 0, 0, 0, 0, time.UTC)
	at := func(h, m int) time.Time { return base.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	apply(t, ix,
		doc("t:1", "en", "s3 down", at(17, 40)),
		doc("t:2", "en", "s3 down", at(17, 59)),
		doc("t:3", "en", "s3 down", at(18, 0)),
		doc("t:4", "en", "s3 down", at(20, 30)),
		doc("t:5", "en", "other", at(19, 0)),
	)
	type b struct {
		h int
		n uint64
	}
	cases := []struct {
		name     string
		q        Query
		want     []b
		wantFrom time.Time
	}{
		{"first to last", Query{Text: "s3", Histogram: time.Hour}, []b{{17, 2}, {18, 1}, {19, 0}, {20, 1}}, at(17, 0)},
		{"from to", Query{Text: "s3", Histogram: time.Hour, From: at(16, 30), To: at(22, 0)},
			[]b{{16, 0}, {17, 2}, {18, 1}, {19, 0}, {20, 1}, {21, 0}}, at(16, 0)},
		{"to on boundary", Query{Text: "s3", Histogram: time.Hour, From: at(17, 0), To: at(20, 0)}, []b{{17, 2}, {18, 1}, {19, 0}}, at(17, 0)},
		{"all", Query{Histogram: 24 * time.Hour}, []b{{0, 5}}, at(0, 0)},
		{"no hits", Query{Text: "nothing", Histogram: time.Hour}, nil, time.Time{}},
		{"no hits range", Query{Text: "nothing", Histogram: time.Hour, From: at(1, 0), To: at(3, 0)}, []b{{1, 0}, {2, 0}}, at(1, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Histogram) != len(c.want) {
				t.Fatalf("got %v, want %v", res.Histogram, c.want)
			}
			for i, w := range c.want {
				got := res.Histogram[i]
				if !got.Start.Equal(base.Add(time.Duration(w.h)*time.Hour)) || got.Count != w.n {
					t.Errorf("bucket %d: got %v %d, want %02d:00 %d", i, got.Start, got.Count, w.h, w.n)
				}
				if got.Start.Location() != time.UTC {
					t.Errorf("bucket %d not in UTC", i)
				}
			}
		})
	}
	t.Run("every page counts all hits", func(t *testing.T) {
		q := Query{Text: "s3", Histogram: time.Hour, Size: 1, Sort: Oldest}
		first, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		q.After = first.Next
		second, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(first.Histogram, second.Histogram) || len(first.Histogram) != 4 {
			t.Errorf("page 1 %v, page 2 %v", first.Histogram, second.Histogram)
		}
	})
	t.Run("alignment", func(t *testing.T) {
		for _, c := range []struct {
			width time.Duration
			want  time.Time
		}{
			{15 * time.Minute, at(17, 30)},
			{7 * time.Minute, at(17, 40).Truncate(7 * time.Minute)},
			{7 * 24 * time.Hour, time.Date(2017, 2, 27, 0, 0, 0, 0, time.UTC)}, // a Monday
		} {
			res, err := ix.Search(context.Background(), Query{Text: "s3", Histogram: c.width})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Histogram[0].Start.Equal(c.want) {
				t.Errorf("width %v: first bucket %v, want %v", c.width, res.Histogram[0].Start, c.want)
			}
			var sum uint64
			for _, b := range res.Histogram {
				sum += b.Count
			}
			if sum != 4 {
				t.Errorf("width %v: %d counted", c.width, sum)
			}
		}
	})
	t.Run("too many", func(t *testing.T) {
		for _, q := range []Query{
			{Histogram: time.Second, From: at(0, 0), To: at(23, 0)},
			{Histogram: time.Millisecond},
		} {
			if _, err := ix.Search(context.Background(), q); !errors.Is(err, ErrTooManyBuckets) {
				t.Errorf("%+v: err %v", q, err)
			}
		}
	})
}

func TestBuckets(t *testing.T) {
	for _, w := range []time.Duration{time.Second, 7 * time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 365 * 24 * time.Hour} {
		b := newBuckets(w)
		for _, tm := range []time.Time{t0, time.Unix(0, 0), time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC), time.Date(2200, 1, 1, 0, 0, 0, 1, time.UTC)} {
			k := b.index(tm.UnixNano())
			if got, want := b.start(k), tm.UTC().Truncate(w); !got.Equal(want) {
				t.Errorf("width %v, %v: start %v, want %v", w, tm, got, want)
			}
		}
	}
}

func TestApplyLastSeqReopen(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if seq, err := ix.LastSeq(); err != nil || seq != 0 {
		t.Fatalf("new index: LastSeq %d, %v", seq, err)
	}
	if err := ix.Apply([]Doc{doc("t:1", "en", "one", t0), doc("t:2", "en", "two", t0), doc("t:3", "en", "three", t0)}, nil, 7); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	check := func(wantSeq int64, wantIDs ...string) {
		t.Helper()
		seq, err := ix.LastSeq()
		if err != nil || seq != wantSeq {
			t.Errorf("LastSeq %d, %v; want %d", seq, err, wantSeq)
		}
		n, err := ix.Count()
		if err != nil || n != uint64(len(wantIDs)) {
			t.Errorf("Count %d, %v; want %d", n, err, len(wantIDs))
		}
		if got := ids(t, ix, Query{}); !slices.Equal(got, wantIDs) {
			t.Errorf("ids %v, want %v", got, wantIDs)
		}
	}
	check(7, "t:1", "t:2", "t:3")

	// A delete, an update, an insert, and an id in both lists (delete wins).
	if err := ix.Apply([]Doc{doc("t:2", "en", "two edited", t0), doc("t:4", "en", "four", t0), doc("t:3", "en", "x", t0)}, []string{"t:1", "t:3"}, 9); err != nil {
		t.Fatal(err)
	}
	// Only the sequence number moves.
	if err := ix.Apply(nil, nil, 10); err != nil {
		t.Fatal(err)
	}
	check(10, "t:2", "t:4")
	if got := ids(t, ix, Query{Text: "edited"}); !slices.Equal(got, []string{"t:2"}) {
		t.Errorf("edited: %v", got)
	}
	ix.Close()

	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check(10, "t:2", "t:4")

	// A doc without id or time fails the whole batch; nothing changes.
	bad := doc("t:5", "en", "five", time.Time{})
	if err := ix.Apply([]Doc{doc("t:6", "en", "six", t0), bad}, nil, 11); !errors.Is(err, ErrNoTime) {
		t.Errorf("doc without time: %v", err)
	}
	if err := ix.Apply([]Doc{{}}, nil, 11); err == nil {
		t.Error("doc without id: no error")
	}
	check(10, "t:2", "t:4")
}

func TestMappingChangeRebuilds(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v := ix.RebuiltFrom(); v != "" {
		t.Errorf("a new index: RebuiltFrom %q", v)
	}
	apply(t, ix, doc("t:1", "en", "one", t0))
	if err := ix.b.SetInternal(keyVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.Count(); n != 0 {
		t.Errorf("Count %d after mapping change, want 0", n)
	}
	if seq, _ := ix.LastSeq(); seq != 0 {
		t.Errorf("LastSeq %d after mapping change, want 0", seq)
	}
	if v := ix.RebuiltFrom(); v != "0" {
		t.Errorf("RebuiltFrom %q, want the old version 0", v)
	}
}

func TestOpenNotIndex(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrNotIndex) {
		t.Errorf("err %v, want ErrNotIndex", err)
	}
}

func TestLocked(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The second Open gives up after lockTimeout instead of hanging (a hang
	// would end in the test binary's timeout).
	ix2, err := Open(dir)
	if !errors.Is(err, ErrLocked) {
		if ix2 != nil {
			ix2.Close()
		}
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	ix.Close()
	ix2, err = Open(dir)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	ix2.Close()
}

func TestSignatures(t *testing.T) {
	kinds(t, func(t *testing.T, ix *Index) {
		var docs []Doc
		want := map[string]string{}
		for i := range 2345 {
			d := doc(fmt.Sprintf("t:%d", i), "en", fmt.Sprintf("post %d", i), t0.Add(time.Duration(i)*time.Second))
			d.Deleted = i%10 == 0
			docs = append(docs, d)
			want[d.Post.ID] = Signature(d)
		}
		if err := ix.Apply(docs, nil, 1); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		var prev string
		err := ix.Signatures(context.Background(), func(id, sig string) error {
			if id <= prev {
				t.Fatalf("%q after %q", id, prev)
			}
			prev = id
			got[id] = sig
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d signatures, want %d", len(got), len(want))
		}
		for id, s := range want {
			if got[id] != s {
				t.Errorf("%s: sig %q, want %q", id, got[id], s)
			}
		}
		stop := errors.New("stop")
		n := 0
		err = ix.Signatures(context.Background(), func(id, sig string) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("stop: err %v after %d", err, n)
		}
	})
}

func TestSignature(t *testing.T) {
	base := doc("twitter:1", "en", "S3 is down", t0)
	base.Post.Hashtags = []string{"AWS", "s3"}
	base.Post.Mentions = []string{"jeff"}
	base.Post.Links = []string{"https://status.aws.amazon.com/", "https://example.com/a"}
	sig := Signature(base)
	if len(sig) != 16 {
		t.Errorf("signature %q", sig)
	}
	same := func(f func(d *Doc)) Doc {
		d := base
		d.Post.Hashtags = slices.Clone(base.Post.Hashtags)
		d.Post.Links = slices.Clone(base.Post.Links)
		f(&d)
		return d
	}
	unchanged := map[string]Doc{
		"tag order":      same(func(d *Doc) { slices.Reverse(d.Post.Hashtags) }),
		"tag case":       same(func(d *Doc) { d.Post.Hashtags[0] = "#aws" }),
		"other link":     same(func(d *Doc) { d.Post.Links[1] = "https://www.example.com/b" }),
		"time zone":      same(func(d *Doc) { d.Post.CreatedAt = t0.In(time.FixedZone("X", 3600)) }),
		"display name":   same(func(d *Doc) { d.Post.Author.Name = "Jeff" }),
		"handle @ case":  same(func(d *Doc) { d.Post.Author.Handle = "@USER_1" }),
		"lang region":    same(func(d *Doc) { d.Post.Lang = "en-US" }),
		"raw":            same(func(d *Doc) { d.Post.Raw = []byte("{}") }),
		"collected time": same(func(d *Doc) { d.Post.CollectedAt = t0 }),
	}
	changed := map[string]Doc{
		"text":     same(func(d *Doc) { d.Post.Text = "S3 is up" }),
		"lang":     same(func(d *Doc) { d.Post.Lang = "de" }),
		"author":   same(func(d *Doc) { d.Post.Author.Handle = "other" }),
		"source":   same(func(d *Doc) { d.Post.Source = "mastodon" }),
		"created":  same(func(d *Doc) { d.Post.CreatedAt = t0.Add(time.Nanosecond) }),
		"hashtag":  same(func(d *Doc) { d.Post.Hashtags = d.Post.Hashtags[:1] }),
		"mention":  same(func(d *Doc) { d.Post.Mentions = nil }),
		"domain":   same(func(d *Doc) { d.Post.Links[1] = "https://example.org/a" }),
		"deleted":  same(func(d *Doc) { d.Deleted = true }),
		"revision": same(func(d *Doc) { d.Post.Revision = 2 }),
		"id":       same(func(d *Doc) { d.Post.ID = "twitter:2" }),
		"metrics":  same(func(d *Doc) { d.Post.Metrics.Likes = 5 }), // engagement sort
	}
	for name, d := range unchanged {
		if s := Signature(d); s != sig {
			t.Errorf("%s changed the signature", name)
		}
	}
	for name, d := range changed {
		if s := Signature(d); s == sig {
			t.Errorf("%s did not change the signature", name)
		}
	}
}

// After many batches (so that Bleve merges segments) every hit still has its
// creation time: the histogram's buckets add up to the total, and time order
// holds. Guards the uncompressed, per-document doc values of created.
func TestCreatedSurvivesMerges(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t0 := time.Date(2017, 2, 28, 0, 0, 0, 0, time.UTC)
	n := 0
	for b := range 40 {
		docs := make([]Doc, 500)
		for i := range docs {
			docs[i] = doc(fmt.Sprintf("t:%d", n), "en", "s3 is down again", t0.Add(time.Duration(n)*time.Second))
			n++
		}
		if err := ix.Apply(docs, nil, int64(b+1)); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ix.Search(context.Background(), Query{Text: "down", Size: -1, Histogram: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var sum uint64
	for _, b := range res.Histogram {
		sum += b.Count
	}
	if res.Total != uint64(n) || sum != res.Total {
		t.Errorf("total %d, histogram sum %d, want %d", res.Total, sum, n)
	}
	page, err := ix.Search(context.Background(), Query{Text: "down", Sort: Newest, Size: 3})
	if err != nil || len(page.Hits) != 3 || page.Hits[0].ID != fmt.Sprintf("t:%d", n-1) || !page.Hits[0].Created.Equal(t0.Add(time.Duration(n-1)*time.Second)) {
		t.Errorf("newest: %+v %v", page, err)
	}
	// The timeline's doc values (source, tone) survive the merges too.
	tl, err := ix.Timeline(context.Background(), Query{Text: "down"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var bySource uint64
	for _, b := range tl.Buckets {
		for _, c := range b.Sources {
			bySource += c
		}
	}
	if tl.Total != uint64(n) || bySource != tl.Total {
		t.Errorf("timeline: %d posts, %d by source, want %d", tl.Total, bySource, n)
	}
}

func TestSentimentFilters(t *testing.T) {
	ix, err := OpenMem()
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	t0 := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	mk := func(id, text, label string, score float64) Doc {
		d := doc(id, "en", text, t0)
		d.Post.Sentiment = post.Sentiment{Label: label, Score: score, Confidence: 0.9, Model: "m@1"}
		return d
	}
	docs := []Doc{
		mk("t:1", "S3 is down, everything broken", "negative", -0.8),
		mk("t:2", "S3 is down, mildly annoying", "negative", -0.2),
		mk("t:3", "S3 is back up, thanks", "positive", 0.7),
		mk("t:4", "S3 status page", "neutral", 0),
		doc("t:5", "fr", "S3 est en panne", t0), // not scored
	}
	if err := ix.Apply(docs, nil, 1); err != nil {
		t.Fatal(err)
	}
	lo, hi := -1.0, -0.5
	for _, c := range []struct {
		name string
		q    Query
		want []string
	}{
		{"label filter", Query{Text: "s3", Sentiments: []string{"negative"}}, []string{"t:1", "t:2"}},
		{"labels", Query{Sentiments: []string{"Positive", "neutral"}}, []string{"t:3", "t:4"}},
		{"query syntax", Query{Text: "s3 sentiment:positive"}, []string{"t:3"}},
		{"score range", Query{MinScore: &lo, MaxScore: &hi}, []string{"t:1"}},
		{"min only", Query{MinScore: &hi}, []string{"t:2", "t:3", "t:4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	res, err := ix.Search(context.Background(), Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Facets["sentiment"]; len(f) != 3 || f[0] != (FacetCount{"negative", 2}) {
		t.Errorf("sentiment facet %v", f)
	}
	// The signature follows the score, so check sees a rescore.
	if Signature(docs[0]) == Signature(mk("t:1", "S3 is down, everything broken", "negative", -0.7)) {
		t.Error("signature ignores the score")
	}
}
