package csvfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withNotes decodes in with opts and returns the result and the notes.
func withNotes(t testing.TB, in []byte, opts Options) (result, []string) {
	t.Helper()
	var notes []string
	opts.Note = func(n string) { notes = append(notes, n) }
	return decodeOpts(t, in, opts), notes
}

func wantNotes(t *testing.T, notes []string, has ...string) {
	t.Helper()
	if len(notes) != len(has) {
		t.Fatalf("notes %q, want %d", notes, len(has))
	}
	for i, h := range has {
		if !strings.Contains(notes[i], h) {
			t.Errorf("note %d %q does not contain %q", i, notes[i], h)
		}
	}
}

func TestXArchiveTweetsCSV(t *testing.T) {
	in := readFixture(t, "x_archive_tweets.csv")
	r, notes := withNotes(t, in, Options{DefaultSource: "csv"})
	if len(r.posts) != 4 || len(r.errs) != 0 {
		t.Fatalf("got %d posts, errors %v; want 4, none", len(r.posts), r.errs)
	}
	// The source column holds clients, and they are Twitter's: every row is
	// a tweet with the id the twitter importers give it.
	wantNotes(t, notes, `column "source" holds Twitter client names`)
	wantIDs := []string{"twitter:119857837035610112", "twitter:119850000000000001", "twitter:119840000000000002", "twitter:20"}
	for i, p := range r.posts {
		if p.ID != wantIDs[i] || p.Source != post.Twitter || r.lines[i] != i+2 {
			t.Errorf("post %d: %s %s line %d, want %s", i, p.ID, p.Source, r.lines[i], wantIDs[i])
		}
	}
	p := r.posts[0]
	if !p.CreatedAt.Equal(time.Date(2011, 9, 30, 21, 49, 47, 0, time.UTC)) || p.Text != "Is the API down for everyone? #fail & no status page http://t.co/abc123" ||
		!slices.Equal(p.Hashtags, []string{"fail"}) || p.Mentions != nil || !slices.Equal(p.Links, []string{"http://status.example.com/incidents/42"}) ||
		p.URL != "https://x.com/i/web/status/119857837035610112" || p.ReplyTo != "" {
		t.Errorf("first: %+v", p)
	}
	p = r.posts[1]
	if p.ReplyTo != "twitter:119849999999999999" || !slices.Equal(p.Mentions, []string{"ops_bob"}) || !slices.Equal(p.Hashtags, []string{"outage"}) || p.Links != nil {
		t.Errorf("reply: %+v", p)
	}
	if p := r.posts[2]; !slices.Equal(p.Links, []string{"http://status.example.com/a", "http://status.example.com/b"}) || !slices.Equal(p.Mentions, []string{"statusbot"}) {
		t.Errorf("retweet: links %q mentions %q", p.Links, p.Mentions)
	}

	// --source wins over the column.
	r = decodeOpts(t, in, Options{Source: "mastodon", DefaultSource: "csv"})
	if len(r.posts) != 4 || r.posts[0].ID != "mastodon:119857837035610112" || r.posts[3].ID != "mastodon:20" {
		t.Errorf("forced source: %d posts, first %+v", len(r.posts), r.posts)
	}
}

func TestAirlineSentiment(t *testing.T) {
	orig, notesOrig := withNotes(t, readFixture(t, "airline_sentiment.csv"), Options{DefaultSource: "twitter"})
	if len(orig.posts) != 4 || len(orig.errs) != 0 {
		t.Fatalf("original: %d posts, errors %v", len(orig.posts), orig.errs)
	}
	// Every time carries its zone; the file says nothing of its platform.
	wantNotes(t, notesOrig, "no source column: rows read as twitter (--source names the platform")
	p := orig.posts[0]
	if p.ID != "twitter:570306133677760513" || !p.CreatedAt.Equal(time.Date(2015, 2, 24, 19, 35, 52, 0, time.UTC)) ||
		p.Author != (post.Author{Handle: "cairdin", URL: "https://x.com/cairdin"}) || p.URL != "https://x.com/cairdin/status/570306133677760513" ||
		!slices.Equal(p.Mentions, []string{"VirginAmerica", "dhepburn"}) || p.Hashtags != nil {
		t.Errorf("first: %+v", p)
	}
	if p := orig.posts[2]; !slices.Equal(p.Hashtags, []string{"fail"}) || !slices.Equal(p.Links, []string{"https://t.co/abcDEF"}) {
		t.Errorf("third: %+v", p)
	}
	// A display name with a space stays a name.
	if p := orig.posts[3]; p.Author != (post.Author{Name: "Jo Ann Smith"}) || p.URL != "https://x.com/i/web/status/569587371693355008" {
		t.Errorf("fourth: %+v", p.Author)
	}

	// Re-saved by a spreadsheet: "2/24/2015 11:35", no zone, no seconds.
	resaved := readFixture(t, "airline_sentiment_resaved.csv")
	r, notes := withNotes(t, resaved, Options{DefaultSource: "twitter"})
	if len(r.posts) != 4 || len(r.errs) != 0 {
		t.Fatalf("resaved: %d posts, errors %v", len(r.posts), r.errs)
	}
	wantNotes(t, notes, `dates read as M/D/YYYY (month first), as "2/24/2015 11:35" on line 2 shows`, "no source column",
		`times without a zone (such as "2/24/2015 11:35" on line 2) read as UTC; --tz names their zone`)
	for i, want := range []time.Time{
		time.Date(2015, 2, 24, 11, 35, 0, 0, time.UTC), time.Date(2015, 2, 24, 11, 15, 0, 0, time.UTC),
		time.Date(2015, 2, 24, 11, 15, 0, 0, time.UTC), time.Date(2015, 2, 16, 23, 36, 0, 0, time.UTC),
	} {
		if !r.posts[i].CreatedAt.Equal(want) || r.posts[i].ID != orig.posts[i].ID {
			t.Errorf("post %d: %s %v, want %s %v", i, r.posts[i].ID, r.posts[i].CreatedAt, orig.posts[i].ID, want)
		}
	}
	// --tz names the zone the spreadsheet dropped.
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	r, notes = withNotes(t, resaved, Options{DefaultSource: "twitter", Location: la})
	if len(r.posts) != 4 || !r.posts[0].CreatedAt.Equal(time.Date(2015, 2, 24, 19, 35, 0, 0, time.UTC)) || r.posts[0].CreatedAt.Location() != time.UTC {
		t.Errorf("with --tz: %v", r.posts[0].CreatedAt)
	}
	wantNotes(t, notes, "M/D/YYYY", "no source column", "read as America/Los_Angeles")
}

func Test4CATExport(t *testing.T) {
	in := readFixture(t, "4cat_twitterv2.csv")
	header := strings.Split(strings.SplitN(string(in), "\n", 2)[0], ",")
	m, err := DetectMapping(header)
	want := Mapping{ID: "id", Text: "body", CreatedAt: "unix_timestamp", Author: "author", AuthorName: "author_fullname", AuthorID: "author_id",
		URL: "link", Lang: "language_guess", Source: "source", Hashtags: "hashtags", Mentions: "mentions", Links: "urls"}
	if err != nil || m != want {
		t.Fatalf("DetectMapping = %+v, %v\nwant %+v", m, err, want)
	}
	r, notes := withNotes(t, in, Options{DefaultSource: "csv"})
	if len(r.posts) != 2 || len(r.errs) != 0 {
		t.Fatalf("%d posts, errors %v", len(r.posts), r.errs)
	}
	wantNotes(t, notes, `column "source" holds Twitter client names ("Twitter Web App")`)
	p := r.posts[0]
	if p.ID != "twitter:1815185498349457516" || !p.CreatedAt.Equal(time.Date(2024, 7, 22, 0, 0, 3, 0, time.UTC)) ||
		p.Author != (post.Author{Handle: "ops_anna", Name: "Anna Ops", ID: "1234567890", URL: "https://x.com/ops_anna"}) ||
		p.URL != "https://twitter.com/ops_anna/status/1815185498349457516" || p.Lang != "en" ||
		!slices.Equal(p.Hashtags, []string{"CrowdStrike"}) || !slices.Equal(p.Mentions, []string{"AzureSupport"}) ||
		!slices.Equal(p.Links, []string{"https://status.example.com/x"}) {
		t.Errorf("first: %+v", p)
	}
	// The columns are there, so an empty cell means none, not "look in the text".
	if p := r.posts[1]; p.Hashtags != nil || p.Links != nil || !slices.Equal(p.Mentions, []string{"ops_anna"}) {
		t.Errorf("second: %+v", p)
	}
}

func TestTwarcCSV(t *testing.T) {
	in := readFixture(t, "twarc_csv.csv")
	r, notes := withNotes(t, in, Options{DefaultSource: "csv"})
	if len(r.posts) != 2 || len(r.errs) != 0 {
		t.Fatalf("%d posts, errors %v", len(r.posts), r.errs)
	}
	wantNotes(t, notes, `column "source" holds Twitter client names ("Twitter Web App")`)
	p := r.posts[0]
	// twarc-csv writes line breaks as \n (and its header says it is twarc's).
	if p.Text != "Some people can't reach the API right now.\nWe're on it. #TwitterAPI https://t.co/xyz" {
		t.Errorf("text %q", p.Text)
	}
	if p.ID != "twitter:1379904473227018240" || !p.CreatedAt.Equal(time.Date(2021, 4, 7, 21, 30, 0, 0, time.UTC)) ||
		p.Author != (post.Author{Handle: "TwitterDev", Name: "Twitter Dev", ID: "2244994945", URL: "https://x.com/TwitterDev"}) ||
		!slices.Equal(p.Hashtags, []string{"TwitterAPI"}) || p.Mentions != nil || !slices.Equal(p.Links, []string{"https://api.twitterstat.us/"}) {
		t.Errorf("first: %+v", p)
	}
	if p := r.posts[1]; p.ReplyTo != "twitter:1379904473227018240" || !slices.Equal(p.Mentions, []string{"TwitterDev"}) || p.Author.Handle != "dev_fan" {
		t.Errorf("reply: %+v", p)
	}
}

// TestSourceColumn: a guessed column is the platform only where it names
// one; a named one (--columns source=…) is taken as written; --source wins.
func TestSourceColumn(t *testing.T) {
	in := []byte("id,text,created_at,source\n" +
		"1,a,2024-01-01,web\n" +
		"2,b,2024-01-01,Mastodon\n" +
		"3,c,2024-01-01,\n" +
		"4,d,2024-01-01,X\n" +
		"5,e,2024-01-01,lemmy\n")
	ids := func(r result) string {
		var s []string
		for _, p := range r.posts {
			s = append(s, p.ID)
		}
		return strings.Join(s, " ")
	}
	r, notes := withNotes(t, in, Options{DefaultSource: "csv"})
	if got := ids(r); got != "csv:1 mastodon:2 csv:3 twitter:4 csv:5" || len(r.errs) != 0 {
		t.Errorf("guessed column: %s, errors %v", got, r.errs)
	}
	wantNotes(t, notes, `column "source" holds "web", not a platform name: rows without one read as csv`, `times without a zone (such as "2024-01-01" on line 2) read as UTC`)
	r = decodeOpts(t, in, Options{Columns: Mapping{Source: "source"}, DefaultSource: "csv"})
	if got := ids(r); got != "web:1 mastodon:2 csv:3 twitter:4 lemmy:5" {
		t.Errorf("named column: %s", got)
	}
	r = decodeOpts(t, in, Options{Source: "Bluesky", DefaultSource: "csv"})
	if got := ids(r); got != "bluesky:1 bluesky:2 bluesky:3 bluesky:4 bluesky:5" {
		t.Errorf("forced: %s", got)
	}
	r = decodeOpts(t, in, Options{})
	if len(r.posts) != 2 || len(r.errs) != 3 || !strings.Contains(r.errs[0].Err.Error(), `line 2: column "source" holds "web", not a platform name, and no default source was given`) {
		t.Errorf("no default: %s, errors %v", ids(r), r.errs)
	}
	r = decodeOpts(t, in, Options{Source: "Twitter for iPhone"})
	if len(r.errs) != 1 || !strings.Contains(r.errs[0].Err.Error(), `csv: source "Twitter for iPhone" is not a source name`) {
		t.Errorf("bad forced source: %v", r.errs)
	}
}

func TestTimeLayouts(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	utc := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	tests := []struct {
		in     string
		want   time.Time
		naive  bool
		layout string
		loc    *time.Location
	}{
		{"2/24/2015 11:35", utc(2015, 2, 24, 11, 35, 0), true, "", nil},
		{"2/24/2015 11:35:52", utc(2015, 2, 24, 11, 35, 52), true, "", nil},
		{"2/24/2015 11:35 PM", utc(2015, 2, 24, 23, 35, 0), true, "", nil},
		{"2/24/2015 12:05 am", utc(2015, 2, 24, 0, 5, 0), true, "", nil},
		{"2/24/15 11:35", utc(2015, 2, 24, 11, 35, 0), true, "", nil},
		{"24.02.2015 11:35", utc(2015, 2, 24, 11, 35, 0), true, "", nil},
		{"24.02.2015", utc(2015, 2, 24, 0, 0, 0), true, "", nil},
		{"2015-02-24", utc(2015, 2, 24, 0, 0, 0), true, "", nil},
		{"2015-02-24 11:35", utc(2015, 2, 24, 11, 35, 0), true, "", nil},
		{"2015-02-24 11:35:52", utc(2015, 2, 24, 11, 35, 52), true, "", nil},
		{"2015-02-24T11:35:52.250", time.Date(2015, 2, 24, 11, 35, 52, 25e7, time.UTC), true, "", nil},
		{"2015-02-24 11:35:52 -0800", utc(2015, 2, 24, 19, 35, 52), false, "", nil},
		{"2015-02-24T11:35:52+01:00", utc(2015, 2, 24, 10, 35, 52), false, "", nil},
		{"2015-02-24T11:35:52Z", utc(2015, 2, 24, 11, 35, 52), false, "", nil},
		{"2015-02-24 11:35:52 UTC", utc(2015, 2, 24, 11, 35, 52), false, "", nil},
		{"Tue Feb 24 11:35:52 +0000 2015", utc(2015, 2, 24, 11, 35, 52), false, "", nil},
		{"Tue, 24 Feb 2015 11:35:52 GMT", utc(2015, 2, 24, 11, 35, 52), false, "", nil},
		{"Feb 24, 2015 11:35 AM", utc(2015, 2, 24, 11, 35, 0), true, "", nil},
		{"24-Feb-15", utc(2015, 2, 24, 0, 0, 0), true, "", nil},
		{"1424777752", utc(2015, 2, 24, 11, 35, 52), false, "", nil},
		{"1424777752000", utc(2015, 2, 24, 11, 35, 52), false, "", nil},
		{"42059.5", utc(2015, 2, 24, 12, 0, 0), true, "", nil}, // a spreadsheet serial date
		{"20150224", utc(2015, 2, 24, 0, 0, 0), true, "", nil},
		{"20150224113552", utc(2015, 2, 24, 11, 35, 52), true, "", nil},
		{"20151324", utc(1970, 8, 22, 5, 35, 24), false, "", nil}, // no date: unix seconds
		{"24022015", utc(2015, 2, 24, 0, 0, 0), true, "02012006", nil},
		{"1424777752", utc(2015, 2, 24, 11, 35, 52), false, "02012006", nil},
		{"24.02.2015 11:35", utc(2015, 2, 24, 10, 35, 0), true, "", berlin},
		{"2015-07-24 11:35", utc(2015, 7, 24, 9, 35, 0), true, "", berlin},
		{"2015-07-24 11:35 +0000", utc(2015, 7, 24, 11, 35, 0), false, "", berlin},
		{"3/4/2015 11:35", utc(2015, 3, 4, 11, 35, 0), true, "M/D/YYYY", nil},
		{"3/4/2015 11:35", utc(2015, 4, 3, 11, 35, 0), true, "D/M/YYYY", nil},
		{"3/4/2015 11:35", utc(2015, 4, 3, 11, 35, 0), true, "DD/MM/YYYY", nil},
		{"2015-02-24T11:35:52Z", utc(2015, 2, 24, 11, 35, 52), false, "D/M/YYYY", nil},
		{"04/03/2015 11h35", utc(2015, 3, 4, 11, 35, 0), true, "DD/MM/YYYY HH\\hmm", nil},
		{"04/03/2015 11:35", utc(2015, 3, 4, 11, 35, 0), true, "DD/MM/YYYY HH:mm", nil},
		{"04/03/2015 11:35", utc(2015, 3, 4, 10, 35, 0), true, "02/01/2006 15:04", berlin},
		{"24 févr. 2015", time.Time{}, false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in+"|"+tt.layout, func(t *testing.T) {
			if tt.layout == "DD/MM/YYYY HH\\hmm" {
				if _, err := ParseTimeLayout(tt.layout); err == nil {
					t.Errorf("layout %q accepted", tt.layout)
				}
				return
			}
			l, err := ParseTimeLayout(tt.layout)
			if err != nil {
				t.Fatal(err)
			}
			loc := tt.loc
			if loc == nil {
				loc = time.UTC
			}
			tr := timeReader{layout: l, loc: loc}
			got, naive, err := tr.parse(tt.in)
			if tt.want.IsZero() {
				if err == nil {
					t.Errorf("parsed as %v", got)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) || naive != tt.naive {
				t.Errorf("got %v naive %v err %v, want %v naive %v", got, naive, err, tt.want, tt.naive)
			}
		})
	}
	for _, bad := range []string{"Q/D/YYYY", "YYYY-MM", "1/2", "15:04"} {
		if _, err := ParseTimeLayout(bad); err == nil {
			t.Errorf("ParseTimeLayout(%q) accepted", bad)
		}
	}
}

// TestDateOrder: the order of day and month is decided per file from the
// values, rows waiting for it in order; it is refused, naming the flag, when
// nothing decides it.
func TestDateOrder(t *testing.T) {
	file := func(times ...string) []byte {
		var b strings.Builder
		b.WriteString("id,text,date\n")
		for i, ts := range times {
			fmt.Fprintf(&b, "%d,t,%s\n", i+1, ts)
		}
		return []byte(b.String())
	}
	dates := func(r result) string {
		var s []string
		for _, p := range r.posts {
			s = append(s, p.NativeID+"="+p.CreatedAt.Format("01-02"))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name   string
		in     []byte
		layout string
		want   string
		errs   int
		notes  []string
	}{
		{"day first decided late", file("3/4/2015 10:00", "5/6/2015", "bad", "24/4/2015", "7/8/2015"), "",
			"1=04-03 2=06-05 4=04-24 5=08-07", 1, []string{`dates read as D/M/YYYY (day first), as "24/4/2015" on line 5 shows`, "times without a zone"}},
		{"month first decided first", file("4/24/2015", "3/4/2015"), "", "1=04-24 2=03-04", 0, []string{"M/D/YYYY (month first)", "times without a zone"}},
		{"same both ways", file("3/3/2015", "2015-05-06"), "", "1=03-03 2=05-06", 0, []string{"times without a zone"}},
		{"undecided", file("3/4/2015", "2015-05-06", "5/6/2015"), "", "2=05-06", 2, []string{"times without a zone"}},
		{"undecided with layout", file("3/4/2015", "5/6/2015"), "D/M/YYYY", "1=04-03 2=06-05", 0, []string{"times without a zone"}},
		{"layout against the values", file("3/4/2015", "4/24/2015"), "D/M/YYYY", "1=04-03", 1, []string{"times without a zone"}},
		{"dots default to day first", file("03.04.2015", "05.06.2015"), "", "1=04-03 2=06-05", 0, []string{"dates with dots read as D.M.YYYY", "times without a zone"}},
		{"dots decided month first", file("03.04.2015", "05.16.2015"), "", "1=03-04 2=05-16", 0, []string{"M/D/YYYY", "times without a zone"}},
		{"ISO only", file("2015-03-04", "2015-05-06T10:00:00Z"), "", "1=03-04 2=05-06", 0, []string{"times without a zone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, notes := withNotes(t, tt.in, Options{Source: "csv", TimeLayout: tt.layout})
			if got := dates(r); got != tt.want || len(r.errs) != tt.errs {
				t.Errorf("got %s, %d errors %v; want %s, %d", got, len(r.errs), r.errs, tt.want, tt.errs)
			}
			wantNotes(t, notes, tt.notes...)
			for i := 1; i < len(r.lines); i++ {
				if r.lines[i] <= r.lines[i-1] {
					t.Errorf("lines out of order: %v", r.lines)
				}
			}
		})
	}

	r := decodeOpts(t, file("3/4/2015", "5/6/2015"), Options{DefaultSource: "csv"})
	for i, e := range r.errs {
		msg := e.Err.Error()
		if e.Line != i+2 || !strings.Contains(msg, "is 4 March 2015 or 3 April 2015") && i == 0 || !strings.Contains(msg, "--time-layout M/D/YYYY or --time-layout D/M/YYYY") {
			t.Errorf("error %d at line %d: %s", i, e.Line, msg)
		}
	}
	r = decodeOpts(t, file("2/30/2015", "13/13/2015"), Options{DefaultSource: "csv"})
	if len(r.errs) != 2 || !strings.Contains(r.errs[0].Err.Error(), `"2/30/2015" is not a date`) || !strings.Contains(r.errs[1].Err.Error(), `"13/13/2015" is not a date`) {
		t.Errorf("impossible dates: %v", r.errs)
	}
	r = decodeOpts(t, file("1/2/2015"), Options{DefaultSource: "csv", TimeLayout: "YYYY/MM"})
	if len(r.errs) != 1 || r.errs[0].Line != 1 || !strings.Contains(r.errs[0].Err.Error(), `time layout "YYYY/MM"`) {
		t.Errorf("bad layout: %v", r.errs)
	}
}

// TestLookAheadLimit: rows wait for a decision at most maxHeldRows rows; then
// the ambiguous ones are refused and a later value still decides for the
// rows after it.
func TestLookAheadLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,text,date\n")
	n := maxHeldRows + 5
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d,t,3/4/2015\n", i)
	}
	fmt.Fprintf(&b, "%d,t,25/4/2015\n", n+1)
	fmt.Fprintf(&b, "%d,t,3/4/2015\n", n+2)
	r, notes := withNotes(t, []byte(b.String()), Options{Source: "csv"})
	if len(r.posts) != 2 || len(r.errs) != n {
		t.Fatalf("%d posts, %d errors; want 2, %d", len(r.posts), len(r.errs), n)
	}
	if r.errs[n-1].Line != n+1 || r.lines[0] != n+2 || r.posts[1].CreatedAt.Month() != time.April {
		t.Errorf("last error line %d, posts at %v, %v", r.errs[n-1].Line, r.lines, r.posts[1].CreatedAt)
	}
	wantNotes(t, notes, `dates read as D/M/YYYY (day first), as "25/4/2015" on line 10007 shows`, "times without a zone")
}

func TestTextEntities(t *testing.T) {
	tests := []struct {
		text                  string
		tags, mentions, links []string
	}{
		{"#AWS down? @awscloud #us-east-1 #2024 #S3_outage", []string{"AWS", "us", "S3_outage"}, []string{"awscloud"}, nil},
		{"mail ops@example.com or @ops.team. &#39; a#b", nil, []string{"ops.team"}, nil},
		{"@alice@mastodon.social says (see https://status.example.com/x?a=1#frag). Also https://en.wikipedia.org/wiki/Foo_(bar), ok",
			nil, []string{"alice@mastodon.social"}, []string{"https://status.example.com/x?a=1#frag", "https://en.wikipedia.org/wiki/Foo_(bar)"}},
		{"Störung bei #Telekom… #Ausfall! http://t.co/x…", []string{"Telekom", "Ausfall"}, nil, []string{"http://t.co/x"}},
		{"https:// nothing, xhttp://no.example, ＃全角", []string{"全角"}, nil, nil},
	}
	for _, tt := range tests {
		if got := textHashtags(tt.text); !slices.Equal(got, tt.tags) {
			t.Errorf("hashtags of %q = %q, want %q", tt.text, got, tt.tags)
		}
		if got := textMentions(tt.text); !slices.Equal(got, tt.mentions) {
			t.Errorf("mentions of %q = %q, want %q", tt.text, got, tt.mentions)
		}
		if got := textLinks(tt.text); !slices.Equal(got, tt.links) {
			t.Errorf("links of %q = %q, want %q", tt.text, got, tt.links)
		}
	}
	for cell, want := range map[string][]string{
		`["#a", "#b"]`: {"a", "b"},
		"a,b; c|d e":   {"a", "b", "c", "d", "e"},
		"":             nil,
		`["#a", 1]`:    {"a", "1"}, // not a list of strings: split as text
	} {
		if got := listCell(cell, '#'); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("listCell(%q) = %q, want %q", cell, got, want)
		}
	}
}

func TestGuessTimeColumn(t *testing.T) {
	for header, want := range map[string]string{
		"tweet_id,text,tweet_created":                 "tweet_created",
		"id,text,Created On":                          "Created On",
		"id,text,user_created,post_date":              "post_date",
		"id,text,user_created_at,retweeted_timestamp": "",
		"id,text,Publish Time":                        "Publish Time",
	} {
		m, _ := DetectMapping(strings.Split(header, ","))
		if m.CreatedAt != want {
			t.Errorf("%s: created_at %q, want %q", header, m.CreatedAt, want)
		}
	}
}

func FuzzTime(f *testing.F) {
	for _, s := range []string{"2/24/2015 11:35", "24.02.2015 11:35:52,5 PM", "2015-02-24 11:35:52 -0800", "Tue Feb 24 11:35:52 +0000 2015",
		"42059.5", "1424777752000", "2015-02-24T11:35:52.1234567891+14:00", "3/4/15 12:00 a.m. UTC"} {
		f.Add(s, "")
		f.Add(s, "D/M/YYYY")
	}
	f.Add("04/03/2015 11:35", "02/01/2006 15:04")
	f.Add("2015-02-24", "YYYY-MM-DD HH:mm:ss Z")
	f.Fuzz(func(t *testing.T, s, layout string) {
		l, err := ParseTimeLayout(layout)
		if err != nil {
			return
		}
		tr := timeReader{layout: l, loc: time.UTC}
		tr.observe(s, 1)
		got, _, err := tr.parse(s)
		if err == nil && got.IsZero() {
			t.Errorf("%q read as the zero time", s)
		}
	})
}

// BenchmarkDecode reads the re-saved Airline Sentiment rows (spreadsheet
// times, entities from the text) 5,000 times over: 20,000 rows.
func BenchmarkDecode(b *testing.B) {
	in := readFixture(b, "airline_sentiment_resaved.csv")
	head, rows, _ := strings.Cut(string(in), "\n")
	big := []byte(head + "\n" + strings.Repeat(rows, 5000))
	b.SetBytes(int64(len(big)))
	for b.Loop() {
		n := 0
		for it := range Decode(bytes.NewReader(big), Options{Source: "twitter"}) {
			if it.Err != nil {
				b.Fatal(it.Err)
			}
			n++
		}
		if n != 20000 {
			b.Fatal(n)
		}
	}
}

// TestAppendJSONString: Raw is written as encoding/json writes strings
// without HTML escaping.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "<b>&amp;</b>", "tab\tnl\ncr\rbs\bff\f\x00\x1f\x7f", "ümlaut – \u2028\u2029 😀"} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(b.String(), "\n")
		if got := string(appendJSONString(nil, s)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// failingReader returns its data, then an error that is not io.EOF.
type failingReader struct{ data []byte }

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, errors.New("disk gone")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// TestReadError: rows waiting for the order of day and month are yielded
// before the error that ends the input, which names a line.
func TestReadError(t *testing.T) {
	var items []collector.Item
	for it := range Decode(&failingReader{data: []byte("id,text,date\n1,a,3/4/2015\n2,b,5/6/2015\n")}, Options{Source: "csv"}) {
		if err := it.Check(); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	if len(items) != 3 || items[0].Line != 2 || items[1].Line != 3 || !strings.Contains(items[1].Err.Error(), "--time-layout") ||
		items[2].Line != 3 || !strings.Contains(items[2].Err.Error(), "csv: read: disk gone") {
		for _, it := range items {
			t.Logf("%d %v", it.Line, it.Err)
		}
		t.Fatalf("%d items", len(items))
	}
}
