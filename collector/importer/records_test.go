package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/internal/testdata"
)

// decodeAll decodes in with detection and returns its items by kind.
func decodeAll(t *testing.T, in io.Reader) (posts, deletes int, errs []string) {
	t.Helper()
	items, _, closeAll, err := Decode(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	for it := range items {
		if err := it.Check(); err != nil {
			t.Fatal(err)
		}
		switch {
		case it.Post != nil:
			posts++
		case it.Delete != nil:
			deletes++
		case it.Err != nil:
			errs = append(errs, it.Err.Error())
		}
	}
	return posts, deletes, errs
}

// A twarc2 page whose data array is larger than the detection window is
// still told from its whole record (issue: "unknown format").
func TestDetectPerRecordLargeFirstKey(t *testing.T) {
	b, err := os.ReadFile(testdata.Path(t, "realworld", "twarc-csv_entities_test.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Detect(b[:256<<10]); err == nil {
		t.Log("Detect on the first 256 KiB now finds the format too")
	}
	posts, _, errs := decodeAll(t, bytes.NewReader(b))
	// 474 tweets in data and 197 referenced tweets in includes.tweets.
	if posts < 474 || len(errs) != 0 {
		t.Errorf("got %d posts, errors %v; want at least the 474 tweets of data", posts, errs)
	}
}

// A file that mixes formats line by line keeps every line of a known
// format: twarc2 pages, then Reddit listings, then Jetstream events.
func TestMixedFormatsLineByLine(t *testing.T) {
	var mixed bytes.Buffer
	want := 0
	for _, f := range []struct {
		path  string
		posts int
	}{
		{"twitter-v2/twarc-csv_two_tweets.jsonl", 2},
		{"reddit/go-reddit_search_posts_listing.json", 2},
		{"twitter-v2/twarc-csv_geo_tweets.jsonl", 3},
		{"bluesky/jetstream_v1_corpus_expected.jsonl", 17},
	} {
		b, err := os.ReadFile(testdata.Path(t, f.path))
		if err != nil {
			t.Fatal(err)
		}
		// One record per line, as JSON Lines.
		for rec := range collector.JSONValues(bytes.NewReader(b)) {
			if rec.Err != nil {
				t.Fatal(rec.Err)
			}
			var c bytes.Buffer
			if err := compactJSON(&c, rec.Data); err != nil {
				t.Fatal(err)
			}
			mixed.Write(c.Bytes())
			mixed.WriteByte('\n')
		}
		want += f.posts
	}
	mixed.WriteString(`{"neither":"a tweet","nor":"a post"}` + "\n")
	posts, deletes, errs := decodeAll(t, &mixed)
	if posts != want || deletes != 1 {
		t.Errorf("got %d posts and %d deletions, want %d and 1", posts, deletes, want)
	}
	// The last line is of no known shape: it is read as the format of the
	// line before it (Jetstream) and reported by that decoder, once.
	if len(errs) != 1 {
		t.Errorf("errors %q, want one for the last line", errs)
	}
}

// A first line longer than the record limit is reported as line 1 and the
// lines after it are read.
func TestFirstLineTooLong(t *testing.T) {
	second := `{"id_str":"2","created_at":"Tue Feb 28 17:37:00 +0000 2017","text":"down","user":{"screen_name":"a"}}` + "\n"
	long := testdata.Repeat(`{"id_str":"1","text":"`, 'a', collector.MaxRecordBytes+10, "\"}\n"+second)
	posts, _, errs := decodeAll(t, long)
	if posts != 1 || len(errs) != 1 || !strings.HasPrefix(errs[0], "json: line longer than") {
		t.Errorf("posts %d, errors %q; want 1 post and the long line reported", posts, errs)
	}
	s := openStore(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "long.jsonl")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(f, testdata.Repeat(`{"id_str":"1","text":"`, 'a', collector.MaxRecordBytes+10, "\"}\n"+second))
	f.Close()
	sum, err := Import(context.Background(), s, []string{name}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts.New != 1 || len(sum.Errs) != 1 || !strings.HasPrefix(sum.Errs[0], name+":1: ") {
		t.Errorf("summary %+v", sum)
	}
}

func TestRecordKeys(t *testing.T) {
	for _, c := range []struct {
		in   string
		want map[string]string
	}{
		{`{"a":1,"b":"x","c":{"d":[1,"}"]},"e":"\u00e9"}`, map[string]string{"a": "", "b": "x", "c": "", "e": "é"}},
		{`{"orderedItems":[],"x":1,"orderedItems":[{"a":1}]}`, map[string]string{"orderedItems": "", "x": ""}},
		{`{"data":[{"text":"a \" quote"}],"incl`, map[string]string{"data": ""}},
		{`[1]`, map[string]string{}},
		{`{"kind":"Listing"}`, map[string]string{"kind": "Listing"}},
	} {
		got := recordKeys([]byte(c.in))
		if len(got) != len(c.want) {
			t.Errorf("recordKeys(%s) = %v, want %v", c.in, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("recordKeys(%s)[%q] = %q, want %q", c.in, k, got[k], v)
			}
		}
	}
}

func FuzzRecordKeys(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":"x"}`, `{"a":[{"b":"}"}]`, `{"\u0041":"\\"}`, `{`, `{"a"`, `{"a":`, `{"a":tru`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		keys := recordKeys(b)
		_, _ = classify(keys)
	})
}

func compactJSON(w *bytes.Buffer, b []byte) error { return json.Compact(w, b) }

// A Bluesky repository export (CAR v1) is told from its header and handed to
// the repository decoder, which reports a file cut short after it.
func TestDetectCAR(t *testing.T) {
	header := append([]byte("\xa2\x65roots\x81\xd8\x2a\x58\x25\x00\x01\x71\x12\x20"), bytes.Repeat([]byte{7}, 32)...)
	header = append(header, "\x67version\x01"...)
	car := append([]byte{byte(len(header))}, header...)
	if f, err := Detect(car); f != BlueskyRepo || err != nil {
		t.Fatalf("Detect = %q, %v", f, err)
	}
	items, f, closeAll, err := Decode(bytes.NewReader(car), Options{})
	if err != nil || f != BlueskyRepo {
		t.Fatalf("Decode: %q, %v", f, err)
	}
	defer closeAll()
	n := 0
	for it := range items {
		if it.Err == nil {
			t.Errorf("item %+v, want only an error", it)
		}
		n++
	}
	if n == 0 {
		t.Error("a repository without its blocks gave no error")
	}
	for _, notCAR := range []string{"{}", "\x3a\xa2\x65other\x01", "id,text\n"} {
		if isCAR([]byte(notCAR)) {
			t.Errorf("isCAR(%q)", notCAR)
		}
	}
}
