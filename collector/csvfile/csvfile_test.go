package csvfile

import (
	"bytes"
	"encoding/json"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

type result struct {
	posts []*post.Post
	lines []int
	errs  []collector.Item
}

func decodeAll(t testing.TB, in []byte, m Mapping, def string) result {
	t.Helper()
	return decodeOpts(t, in, Options{Columns: m, DefaultSource: def})
}

// decodeOpts decodes in, checks every item against the contract and
// collects the posts, their lines and the errors.
func decodeOpts(t testing.TB, in []byte, opts Options) result {
	t.Helper()
	var r result
	for it := range Decode(bytes.NewReader(in), opts) {
		if err := it.Check(); err != nil {
			t.Fatal(err)
		}
		if it.Delete != nil {
			t.Fatalf("item %+v: CSV yields no deletions", it)
		}
		if it.Post != nil {
			r.posts = append(r.posts, it.Post)
			r.lines = append(r.lines, it.Line)
		} else {
			if !strings.HasPrefix(it.Err.Error(), "csv: ") {
				t.Errorf("error %q lacks context", it.Err)
			}
			r.errs = append(r.errs, it)
		}
	}
	return r
}

func readData(t *testing.T, elem ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(testdata.Path(t, elem...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCrisisLexFiles(t *testing.T) {
	labeled := readData(t, "crisis", "crisislext26_2013_NY_train_crash-tweets_labeled.csv")
	tweetids := readData(t, "crisis", "crisislext26_2013_NY_train_crash-tweetids_entire_period.csv")

	t.Run("labeled has no time column", func(t *testing.T) {
		r := decodeAll(t, labeled, Mapping{}, "twitter")
		if len(r.posts) != 0 || len(r.errs) != 1 || r.errs[0].Line != 1 {
			t.Fatalf("got %d posts, errors %v; want one error at line 1", len(r.posts), r.errs)
		}
		msg := r.errs[0].Err.Error()
		for _, want := range []string{"no created_at column", `"Tweet ID", "Tweet Text", "Information Source", "Information Type", "Informativeness"`, "created_at=<column>"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q does not contain %q", msg, want)
			}
		}
		m, err := DetectMapping(strings.Split("Tweet ID, Tweet Text, Information Source, Information Type, Informativeness", ","))
		if err == nil || m != (Mapping{ID: "Tweet ID", Text: "Tweet Text"}) {
			t.Errorf("DetectMapping = %+v, %v; want id and text and an error", m, err)
		}
		// Naming a time column the file lacks is reported the same way.
		r = decodeAll(t, labeled, Mapping{CreatedAt: "Timestamp"}, "twitter")
		if len(r.errs) != 1 || !strings.Contains(r.errs[0].Err.Error(), `column "Timestamp" (created_at) is not in the header`) {
			t.Errorf("errors %v", r.errs)
		}
	})

	t.Run("tweetids has no text column", func(t *testing.T) {
		r := decodeAll(t, tweetids, Mapping{}, "twitter")
		if len(r.posts) != 0 || len(r.errs) != 1 || !strings.Contains(r.errs[0].Err.Error(), "no text column") {
			t.Fatalf("got %d posts, errors %v; want one 'no text column' error", len(r.posts), r.errs)
		}
		m, _ := DetectMapping([]string{"Timestamp", " Tweet-ID", " Included(Y/N)"})
		if m != (Mapping{ID: "Tweet-ID", CreatedAt: "Timestamp"}) {
			t.Errorf("DetectMapping = %+v", m)
		}
	})

	t.Run("tweetids timestamps with an explicit mapping", func(t *testing.T) {
		// Not a sensible import (the "text" is the Y/N flag), but it reads all
		// 1,084 real Twitter timestamps and quoted ids.
		m, err := ParseMapping("text=Included(Y/N)")
		if err != nil {
			t.Fatal(err)
		}
		r := decodeAll(t, tweetids, m, "twitter")
		if len(r.posts) != 1084 || len(r.errs) != 0 {
			t.Fatalf("got %d posts, %d errors %v; want 1084, 0", len(r.posts), len(r.errs), r.errs)
		}
		first, last := r.posts[0], r.posts[len(r.posts)-1]
		if first.ID != "twitter:407129710162759680" || !first.CreatedAt.Equal(time.Date(2013, 12, 1, 12, 51, 1, 0, time.UTC)) ||
			first.Text != "Y" || first.URL != "https://x.com/i/web/status/407129710162759680" || r.lines[0] != 2 {
			t.Errorf("first: %+v line %d", first, r.lines[0])
		}
		if last.NativeID != "411264941589405696" || !last.CreatedAt.Equal(time.Date(2013, 12, 12, 22, 42, 57, 0, time.UTC)) || last.Text != "N" || r.lines[len(r.lines)-1] != 1085 {
			t.Errorf("last: %+v line %d", last, r.lines[len(r.lines)-1])
		}
		if string(first.Raw) != `{"Timestamp":"Sun Dec 01 12:51:01 +0000 2013"," Tweet-ID":"407129710162759680"," Included(Y/N)":"Y"}` {
			t.Errorf("raw %s", first.Raw)
		}
	})
}

func TestNABVolumeRejected(t *testing.T) {
	for _, s := range []string{"AAPL", "CRM", "CVS", "IBM", "KO", "PFE"} {
		t.Run(s, func(t *testing.T) {
			r := decodeAll(t, readData(t, "volume", "nab_realTweets_Twitter_volume_"+s+".csv"), Mapping{}, "twitter")
			if len(r.posts) != 0 || len(r.errs) != 1 || r.errs[0].Line != 1 {
				t.Fatalf("got %d posts, errors %v; want one error at line 1", len(r.posts), r.errs)
			}
			if msg := r.errs[0].Err.Error(); !strings.Contains(msg, "no id, text column (looked for id: id, id_str") || !strings.Contains(msg, `the header has: "timestamp", "value"`) {
				t.Errorf("error %q", msg)
			}
		})
	}
}

// handMade is an invented export: RFC 4180 quoting with a multi-line cell,
// umlauts, a formula-looking cell and a range of bad rows.
const handMade = "id,created_at,author,name,text,lang,source,in_reply_to_status_id,url\n" + // 1
	"1001,2024-07-19T04:09:00Z,@ops_bob,Bob Ops,\"Is Azure down? \"\"Everything\"\" is red\n" + // 2
	"second line\",en,twitter,,\n" + // 3
	"1002,2024-07-19 04:10:00,anna,Anna Müller,\"Bei uns geht nichts mehr – alles blau. Ärgerlich &amp; teuer #CrowdStrike\",de,x,1001,\n" + // 4
	"1003,1721362260500,m_user,,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",en,mastodon,,https://mastodon.social/@m_user/1003\n" + // 5
	"1004,2024-07-19,someone,,too many fields,en,twitter,,,extra\n" + // 6
	"8.35971E+17,2024-07-19,someone,,mangled,en,twitter,,\n" + // 7
	"1006,2024-07-19,latin,,Gr\xfc\xdfe,de,twitter,,\n" + // 8
	"1007,2024-07-19,someone,,   ,en,twitter,,\n" + // 9
	"1008,yesterday,someone,,text,en,twitter,,\n" + // 10
	"1009,Fri Jul 19 04:11:00 +0200 2024,someone,,\"a \"\"quoted\"\" word\",en,Twitter for iPhone,,\n" + // 11
	"1010,2024-07-19,someone,,bare\"quote,en,twitter,,\n" + // 12
	",2024-07-19,someone,,no id,en,twitter,,\n" + // 13
	"1012,1721362260.25,,,\"unix float, no author\",,,,\n" + // 14
	"\n" + // 15
	"1013,2024-07-19T06:00:00+02:00,carl,,last,en,bluesky,,\n" // 16

func TestHandMade(t *testing.T) {
	r := decodeAll(t, []byte(handMade), Mapping{}, "twitter")
	wantIDs := []string{"twitter:1001", "twitter:1002", "mastodon:1003", "twitter:1009", "twitter:1012", "bluesky:1013"}
	wantLines := []int{2, 4, 5, 11, 14, 16}
	if len(r.posts) != len(wantIDs) {
		t.Fatalf("got %d posts, want %d; errors %v", len(r.posts), len(wantIDs), r.errs)
	}
	for i, p := range r.posts {
		if p.ID != wantIDs[i] || r.lines[i] != wantLines[i] {
			t.Errorf("post %d: %s on line %d, want %s on line %d", i, p.ID, r.lines[i], wantIDs[i], wantLines[i])
		}
	}
	wantErrs := []struct {
		line int
		has  string
	}{
		{6, "line 6: 10 fields, but the header has 9"},
		{7, `line 7: id: "8.35971E+17" was mangled by a spreadsheet`},
		{8, "line 8: not valid UTF-8 (is the file in another encoding, e.g. Latin-1?)"},
		{9, `line 9: no text in column "text"`},
		{10, `line 10: column "created_at": "yesterday" is not a time`},
		{12, `bare " in non-quoted-field`},
		{13, `line 13: no id in column "id"`},
	}
	if len(r.errs) != len(wantErrs) {
		t.Fatalf("got %d errors %v, want %d", len(r.errs), r.errs, len(wantErrs))
	}
	for i, w := range wantErrs {
		if r.errs[i].Line != w.line || !strings.Contains(r.errs[i].Err.Error(), w.has) {
			t.Errorf("error %d: line %d %q, want line %d containing %q", i, r.errs[i].Line, r.errs[i].Err, w.line, w.has)
		}
	}

	p := r.posts[0]
	if p.Text != "Is Azure down? \"Everything\" is red\nsecond line" ||
		p.Author != (post.Author{Handle: "ops_bob", Name: "Bob Ops", URL: "https://x.com/ops_bob"}) ||
		p.URL != "https://x.com/ops_bob/status/1001" || p.Lang != "en" || p.ReplyTo != "" ||
		!p.CreatedAt.Equal(time.Date(2024, 7, 19, 4, 9, 0, 0, time.UTC)) {
		t.Errorf("1001: %+v", p)
	}
	wantRaw := `{"id":"1001","created_at":"2024-07-19T04:09:00Z","author":"@ops_bob","name":"Bob Ops","text":"Is Azure down? \"Everything\" is red\nsecond line","lang":"en","source":"twitter","in_reply_to_status_id":"","url":""}`
	if string(p.Raw) != wantRaw || !json.Valid(p.Raw) {
		t.Errorf("raw %s\nwant %s", p.Raw, wantRaw)
	}
	p = r.posts[1]
	if p.Text != "Bei uns geht nichts mehr – alles blau. Ärgerlich & teuer #CrowdStrike" || p.Author.Name != "Anna Müller" ||
		p.ReplyTo != "twitter:1001" || p.Lang != "de" || p.CreatedAt != time.Date(2024, 7, 19, 4, 10, 0, 0, time.UTC) {
		t.Errorf("1002: %+v", p)
	}
	p = r.posts[2]
	if p.Text != `=HYPERLINK("http://evil.example","click")` || p.URL != "https://mastodon.social/@m_user/1003" ||
		p.Author != (post.Author{Handle: "m_user"}) || p.CreatedAt != time.UnixMilli(1721362260500).UTC() {
		t.Errorf("1003: %+v", p)
	}
	if p := r.posts[3]; p.Text != `a "quoted" word` || p.CreatedAt != time.Date(2024, 7, 19, 2, 11, 0, 0, time.UTC) {
		t.Errorf("1009: %+v", p)
	}
	if p := r.posts[4]; p.Author != (post.Author{}) || p.URL != "https://x.com/i/web/status/1012" || p.Lang != "" ||
		p.CreatedAt != time.UnixMilli(1721362260250).UTC() {
		t.Errorf("1012: %+v", p)
	}
	if p := r.posts[5]; p.CreatedAt != time.Date(2024, 7, 19, 4, 0, 0, 0, time.UTC) || p.URL != "" || p.Author.URL != "" {
		t.Errorf("1013: %+v", p)
	}
}

func TestDecodeLayouts(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		m      Mapping
		def    string
		posts  int
		errs   int
		errHas string
		check  func(t *testing.T, r result)
	}{
		{name: "empty", in: ""},
		{name: "header only", in: "id,text,created_at\n", def: "twitter"},
		{name: "bom and semicolons", in: "\ufeffTweet ID;Tweet Text;Timestamp\r\n1;Hallo, Welt;2024-01-01\r\n", def: "twitter", posts: 1, check: func(t *testing.T, r result) {
			if p := r.posts[0]; p.ID != "twitter:1" || p.Text != "Hallo, Welt" || r.lines[0] != 2 || string(p.Raw) != `{"Tweet ID":"1","Tweet Text":"Hallo, Welt","Timestamp":"2024-01-01"}` {
				t.Errorf("got %+v line %d raw %s", p, r.lines[0], p.Raw)
			}
		}},
		{name: "tabs", in: "post_id\tcontent\tcreated\tplatform\n7\tx, y\t2024-01-01 10:00\tMastodon\n", posts: 1, check: func(t *testing.T, r result) {
			if p := r.posts[0]; p.ID != "mastodon:7" || p.Text != "x, y" {
				t.Errorf("got %+v", p)
			}
		}},
		{name: "explicit mapping", in: "Post,When,Who,Words\n5,2024-02-03T04:05:06,al,hi\n", m: Mapping{ID: "post", CreatedAt: "WHEN", Text: "words", Author: "who"}, def: "bluesky", posts: 1, check: func(t *testing.T, r result) {
			if p := r.posts[0]; p.ID != "bluesky:5" || p.Author.Handle != "al" || p.CreatedAt != time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC) {
				t.Errorf("got %+v", p)
			}
		}},
		{name: "explicit optional column missing", in: "id,text,created_at\n1,a,2024-01-01\n", m: Mapping{Lang: "language"}, def: "twitter", errs: 1, errHas: `column "language" (lang) is not in the header`},
		{name: "no source at all", in: "id,text,created_at\n1,a,2024-01-01\n", errs: 1, errHas: "no source column and no default source"},
		{name: "bad default source", in: "id,text,created_at\n1,a,2024-01-01\n", def: "Twitter for iPhone", errs: 1, errHas: "not a source name"},
		{name: "row without source", in: "id,text,created_at,source\n1,a,2024-01-01,\n2,b,2024-01-01,reddit\n", posts: 1, errs: 1, errHas: `line 2: no source in column "source"`},
		{name: "header not utf-8", in: "id,text,cr\xe9ated_at\n", def: "twitter", errs: 1, errHas: "header is not valid UTF-8"},
		{name: "unterminated quote", in: "id,text,created_at\n1,\"open,2024-01-01\n2,b,2024-01-01\n", def: "twitter", errs: 1, errHas: "extraneous or missing"},
		{name: "times", in: "id,text,created_at\n1,a,1700000000\n2,a,1700000000000\n3,a,2024-01-01T10:00:00.123+01:00\n4,a,2024-01-01T10:00:00.5\n5,a,0\n6,a,-1\n7,a,1e9\n8,a,99999999999999999999\n",
			def: "twitter", posts: 4, errs: 4, check: func(t *testing.T, r result) {
				want := []time.Time{time.Unix(1700000000, 0), time.Unix(1700000000, 0), time.Date(2024, 1, 1, 9, 0, 0, 123e6, time.UTC), time.Date(2024, 1, 1, 10, 0, 0, 5e8, time.UTC)}
				for i, w := range want {
					if !r.posts[i].CreatedAt.Equal(w) || r.posts[i].CreatedAt.Location() != time.UTC {
						t.Errorf("post %d: %v, want %v", i, r.posts[i].CreatedAt, w)
					}
				}
			}},
		{name: "author and reply ids mangled", in: "id,text,created_at,author_id,reply_to\n1,a,2024-01-01,1.2E+18,\n2,a,2024-01-01,5,3.4e17\n", def: "twitter", errs: 2, errHas: "author id"},
		{name: "html escaping in raw", in: "id,text,created_at\n1,<b>&amp;</b>,2024-01-01\n", def: "twitter", posts: 1, check: func(t *testing.T, r result) {
			if p := r.posts[0]; p.Text != "<b>&</b>" || string(p.Raw) != `{"id":"1","text":"<b>&amp;</b>","created_at":"2024-01-01"}` {
				t.Errorf("text %q raw %s", p.Text, p.Raw)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decodeAll(t, []byte(tt.in), tt.m, tt.def)
			if len(r.posts) != tt.posts || len(r.errs) != tt.errs {
				t.Fatalf("got %d posts, %d errors %v; want %d, %d", len(r.posts), len(r.errs), r.errs, tt.posts, tt.errs)
			}
			if tt.errHas != "" && !strings.Contains(r.errs[0].Err.Error(), tt.errHas) {
				t.Errorf("error %q does not contain %q", r.errs[0].Err, tt.errHas)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestDetectMapping(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   Mapping
		err    string
	}{
		{"twarc-csv", "id,conversation_id,referenced_tweets.replied_to.id,author_id,created_at,text,lang,source,author.id,author.username,author.name",
			Mapping{ID: "id", Text: "text", CreatedAt: "created_at", Author: "author.username", AuthorName: "author.name", AuthorID: "author_id", Lang: "lang", Source: "source", ReplyTo: "referenced_tweets.replied_to.id"}, ""},
		{"social feed manager", "created_at,twitter_id,screen_name,followers_count,in_reply_to_status_id,tweet_url,text,full_text",
			Mapping{ID: "twitter_id", Text: "full_text", CreatedAt: "created_at", Author: "screen_name", URL: "tweet_url", ReplyTo: "in_reply_to_status_id"}, ""},
		{"4cat", "id,thread_id,timestamp,unix_timestamp,body,author,subject",
			Mapping{ID: "id", Text: "body", CreatedAt: "unix_timestamp", Author: "author"}, ""},
		{"crowdtangle-like", "Post ID,User Name,Platform,Post Created,Message,Link",
			Mapping{ID: "Post ID", Text: "Message", CreatedAt: "Post Created", AuthorName: "User Name", URL: "Link", Source: "Platform"}, ""},
		{"nothing", "a,b", Mapping{}, "no id, text, created_at column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DetectMapping(strings.Split(tt.header, ","))
			if m != tt.want {
				t.Errorf("got %+v\nwant %+v", m, tt.want)
			}
			if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
				t.Errorf("error %v, want %q", err, tt.err)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	m, err := ParseMapping(" id=Tweet ID, text = Tweet Text ,created_at=Timestamp,reply_to=In Reply To,SOURCE=Platform")
	if err != nil {
		t.Fatal(err)
	}
	want := Mapping{ID: "Tweet ID", Text: "Tweet Text", CreatedAt: "Timestamp", ReplyTo: "In Reply To", Source: "Platform"}
	if m != want {
		t.Errorf("got %+v, want %+v", m, want)
	}
	if m, err := ParseMapping("  "); err != nil || m != (Mapping{}) {
		t.Errorf("empty spec: %+v %v", m, err)
	}
	for spec, has := range map[string]string{
		"id=a,colour=b":  `unknown key "colour" (keys: id, text, created_at, author, author_name, author_id, url, lang, source, reply_to, hashtags, mentions, links)`,
		"id":             `"id" is not key=column`,
		"id=a,,text=b":   `"" is not key=column`,
		"id=":            `"id=" is not key=column`,
		"id=a,ID=b":      `key "id" given twice`,
		"author_name=, ": "is not key=column",
	} {
		if _, err := ParseMapping(spec); err == nil || !strings.Contains(err.Error(), has) {
			t.Errorf("ParseMapping(%q) error %v, want %q", spec, err, has)
		}
	}
	base, _ := DetectMapping([]string{"id", "text", "date", "user"})
	got := base.Merge(Mapping{CreatedAt: "Timestamp", Lang: "l"})
	if got != (Mapping{ID: "id", Text: "text", CreatedAt: "Timestamp", Author: "user", Lang: "l"}) {
		t.Errorf("merge: %+v", got)
	}
}

func TestDecodeStopsWhenAsked(t *testing.T) {
	n := 0
	for range Decode(strings.NewReader(handMade), Options{DefaultSource: "twitter"}) {
		n++
		break
	}
	if n != 1 {
		t.Fatal(n)
	}
}

func FuzzDecodeCSV(f *testing.F) {
	f.Add([]byte(handMade), "", "")
	f.Add([]byte("\ufeffTweet ID;Tweet Text;Timestamp\r\n1;Hallo;2024-01-01\r\n"), "", "")
	f.Add([]byte("id,text,created_at,source\n1,\"a\nb\",1700000000.5,x\n2,b\"c,2024,\n"), "", "")
	f.Add([]byte("timestamp,value\n2015-02-26 21:42:53,104\n"), "", "")
	f.Add([]byte("a\tb\tc\n1\t2\t3\n"), "id=a,text=b,created_at=c", "")
	f.Add([]byte("id,text,date\n1,#a @b http://c.example,3/4/2015\n2,x,05.06.2015 1:02 PM\n3,y,24/4/2015\n"), "", "")
	f.Add([]byte("id,text,date\n1,a,3/4/2015\n"), "", "D/M/YYYY")
	f.Add([]byte("id,text,date\n1,a,04/03/2015 11:35\n"), "", "02/01/2006 15:04")
	for _, name := range []string{"x_archive_tweets.csv", "airline_sentiment.csv", "airline_sentiment_resaved.csv", "4cat_twitterv2.csv", "twarc_csv.csv"} {
		f.Add(readFixture(f, name), "", "")
	}
	for _, name := range []string{"crisislext26_2013_NY_train_crash-tweetids_entire_period.csv", "crisislext26_2013_NY_train_crash-tweets_labeled.csv"} {
		b, err := os.ReadFile(testdata.Path(f, "crisis", name))
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 8<<10 { // the first rows; the fuzzer mutates small inputs best
			b = b[:8<<10]
		}
		f.Add(b, "text=Included(Y/N)", "")
		f.Add(b, "", "")
	}
	f.Fuzz(func(t *testing.T, in []byte, spec, layout string) {
		m, err := ParseMapping(spec)
		if err != nil {
			m = Mapping{}
		}
		decodeOpts(t, in, Options{Columns: m, DefaultSource: "twitter", TimeLayout: layout})
		decodeOpts(t, in, Options{Columns: m, Source: "mastodon", TimeLayout: layout, Location: time.FixedZone("", -8*3600)})
		decodeAll(t, in, m, "")
		decodeOpts(t, in, Options{Columns: m, DefaultSource: "twitter", MaxRecordBytes: 8})
	})
}

// TestRowLimit: a quote left open on line 5 holds the rest of a 64 MiB file
// (issue 16: 2.4 GB peak for 512 MiB). With a 64 KiB row limit, the rows
// before it are posts, it is one error at line 5, and less than 2 MiB is
// allocated in all. A 64 MiB quoted cell that does end is one error, and
// the rows after it are read.
func TestRowLimit(t *testing.T) {
	head := "id,text,created_at,source\n1,one,2024-01-01,twitter\n2,\"two\nlines\",2024-01-02,twitter\n3,\"open"
	for _, c := range []struct {
		name, tail string
		lines      []int
	}{
		{"open quote", "\n4,four,2024-01-04,twitter\n", []int{2, 3, 5}},
		{"long cell", "\"\"\nstill \"\"quoted\"\"\",2024-01-03,twitter\n4,\"four\",2024-01-04,twitter\r\n5,five,2024-01-05,twitter", []int{2, 3, 5, 7, 8}},
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var lines []int
		var errs []string
		for it := range Decode(testdata.Repeat(head, 'a', 64<<20, c.tail), Options{MaxRecordBytes: 64 << 10}) {
			if err := it.Check(); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, it.Line)
			if it.Err != nil {
				errs = append(errs, it.Err.Error())
			}
		}
		runtime.ReadMemStats(&after)
		if !slices.Equal(lines, c.lines) || len(errs) != 1 || errs[0] != "csv: row longer than 65536 bytes (a quote left open?), skipped" {
			t.Errorf("%s: items at lines %v, errors %q; want %v, the error at 5", c.name, lines, errs, c.lines)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
			t.Errorf("%s: allocated %d bytes, want < 2 MiB", c.name, alloc)
		} else {
			t.Logf("%s: 64 MiB with a 64 KiB row limit: %d bytes allocated", c.name, alloc)
		}
	}
}
