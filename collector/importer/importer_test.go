package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/unicode"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// realFiles maps every post file in the shared data to the format it must be
// detected as.
var realFiles = map[string]Format{
	"twitter-v1/python-twitter_streaming_lines.jsonl":                TwitterV1,
	"twitter-v1/python-twitter_search_tweets_response.json":          TwitterV1,
	"twitter-v1/python-twitter_user_timeline.json":                   TwitterV1,
	"twitter-v1/python-twitter_streaming_extended_tweet.json":        TwitterV1,
	"twitter-v1/python-twitter_extended_tweet_in_extended_mode.json": TwitterV1,
	"twitter-v1/python-twitter_extended_tweet_in_compat_mode.json":   TwitterV1,
	"twitter-v2/twarc-csv_brexit.jsonl":                              Twarc2,
	"twitter-v2/twarc-csv_cashtags.jsonl":                            Twarc2,
	"twitter-v2/twarc-csv_streaming_output_with_error.jsonl":         Twarc2,
	"twitter-v2/twarc-csv_edited.jsonl":                              Twarc2,
	"twitter-v2/twarc-csv_edited_before.jsonl":                       Twarc2,
	"twitter-v2/twarc-csv_edited_after.jsonl":                        Twarc2,
	"twitter-v2/twarc-csv_quoted_edit.jsonl":                         Twarc2,
	"twitter-v2/twarc-csv_geo_tweets.jsonl":                          Twarc2,
	"twitter-v2/twarc-csv_withheld.jsonl":                            Twarc2,
	"twitter-v2/twarc-csv_two_tweets.jsonl":                          Twarc2,
	"twitter-v2/twarc-csv_counts.jsonl":                              Twarc2,
	"mastodon/rtoot_public_timeline_fosstodon.json":                  Mastodon,
	"mastodon/rtoot_public_timeline_mastodon-social.json":            Mastodon,
	"mastodon/rtoot_tag_ichbinhanna_mastodon-social_page1.json":      Mastodon,
	"mastodon/rtoot_tag_ichbinhanna_mastodon-social_page2.json":      Mastodon,
	"mastodon/rtoot_tag_ichbinhanna_mastodon-social_page3.json":      Mastodon,
	"mastodon/rtoot_tag_ichbinhanna_mastodon-social_page4.json":      Mastodon,
	"mastodon/rtoot_tag_rstats_mastodon-social.json":                 Mastodon,
	"mastodon/rtoot_status_context_mastodon-social.json":             Mastodon,
	"mastodon/rtoot_status_fosstodon.json":                           Mastodon,
	"mastodon/rtoot_account_statuses_fosstodon.json":                 Mastodon,
	"bluesky/jetstream_v1_corpus_expected.jsonl":                     Jetstream,
	"bluesky/jetstream_v1_golden_sample.jsonl":                       Jetstream,
	"reddit/go-reddit_search_posts_listing.json":                     RedditJSON,
	"reddit/go-reddit_subreddit_random_listing.json":                 RedditJSON,
	"reddit/go-reddit_post_with_comments.json":                       RedditJSON,
	"crisis/crisislext26_2013_NY_train_crash-tweets_labeled.csv":     CSV,
}

func TestDetectRealFiles(t *testing.T) {
	for name, want := range realFiles {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(testdata.Path(t, name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Detect(b[:min(len(b), 256<<10)])
			if err != nil || got != want {
				t.Errorf("Detect = %q, %v; want %q", got, err, want)
			}
		})
	}
}

func TestDetectUnknown(t *testing.T) {
	for _, in := range []string{"", "   \n", "hello world", `{"foo":1,"bar":2}`, `[1,2,3]`, "<?xml version=\"1.0\"?><feed/>"} {
		if f, err := Detect([]byte(in)); err == nil {
			t.Errorf("Detect(%q) = %q, want an error", in, f)
		}
	}
	// Files that are not posts: the status feed and the metadata index.
	for _, name := range []string{"statuspage/githubstatus_history_2026-08-22.atom", "mastodon/rtoot_extraction_index.json", "bluesky/jetstream_v1_corpus_manifest.json"} {
		b, err := os.ReadFile(testdata.Path(t, name))
		if err != nil {
			t.Fatal(err)
		}
		if f, err := Detect(b); err == nil {
			t.Errorf("Detect(%s) = %q, want an error", name, f)
		}
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestImportAllRealData imports every post file of the shared data, then
// again: the second run must change nothing.
func TestImportAllRealData(t *testing.T) {
	s := openStore(t)
	var inputs []string
	for name := range realFiles {
		inputs = append(inputs, testdata.Path(t, name))
	}
	ctx := context.Background()
	first, err := Import(ctx, s, inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Counts.New == 0 || first.NoRecords || first.Inputs != len(inputs) {
		t.Fatalf("first import: %+v", first)
	}
	t.Logf("first: read %d, %+v, %d errors: %v", first.Read, first.Counts, first.Errors, first.Errs)
	second, err := Import(ctx, s, inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if second.Counts.New != 0 || second.Counts.Updated != 0 || second.Read != first.Read || second.Errors != first.Errors {
		t.Errorf("second import changed the archive: %+v (first %+v)", second.Counts, first.Counts)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestCompressedAndBadInputs(t *testing.T) {
	real, err := os.ReadFile(testdata.Path(t, "twitter-v1", "python-twitter_streaming_lines.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var zs bytes.Buffer
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(real)
	zw.Close()
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(real)
	truncated := gz(real)
	truncated = truncated[:len(truncated)/2]

	dir := t.TempDir()
	files := map[string][]byte{
		"plain.jsonl":     real,
		"tweets.jsonl.gz": gz(real),
		"tweets.json.zst": zs.Bytes(),
		"utf16.jsonl":     utf16,
		"bom.jsonl":       append([]byte{0xef, 0xbb, 0xbf}, real...),
		"truncated.gz":    truncated,
		"empty.json":      nil,
		"unknown.txt":     []byte("just some words\nno format at all\n"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	count := func(name string) (Summary, error) {
		return Import(context.Background(), openStore(t), []string{filepath.Join(dir, name)}, Options{})
	}
	want, err := count("plain.jsonl")
	if err != nil || want.Errors != 0 || want.Counts.New == 0 {
		t.Fatalf("plain: %+v %v", want, err)
	}
	for _, name := range []string{"tweets.jsonl.gz", "tweets.json.zst", "utf16.jsonl", "bom.jsonl"} {
		got, err := count(name)
		if err != nil || got.Counts != want.Counts || got.Errors != 0 {
			t.Errorf("%s: %+v %v; want %+v", name, got.Counts, got.Errs, want.Counts)
		}
	}
	got, err := count("truncated.gz")
	if err != nil || got.Counts.New == 0 || got.Counts.New >= want.Counts.New || got.Errors != 1 || !strings.Contains(got.Errs[0], "truncated.gz:") {
		t.Errorf("truncated: %+v %v", got.Counts, got.Errs)
	}
	for _, name := range []string{"empty.json", "unknown.txt"} {
		got, err := count(name)
		if err != nil || !got.NoRecords || got.Errors != 1 || !strings.Contains(got.Errs[0], name) {
			t.Errorf("%s: %+v", name, got)
		}
	}
	// A missing file is reported, and the other inputs are still read.
	got, err = Import(context.Background(), openStore(t), []string{filepath.Join(dir, "nope.json"), filepath.Join(dir, "plain.jsonl")}, Options{})
	if err != nil || got.Errors != 1 || got.Counts != want.Counts {
		t.Errorf("missing file: %+v", got)
	}
}

// FuzzDecode feeds arbitrary bytes through the whole read path: compression
// sniffing, format detection and the chosen decoder.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"id_str":"1","created_at":"Tue Feb 28 17:37:00 +0000 2017","text":"down"}`,
		`{"data":[{"id":"1","text":"x","created_at":"2021-01-01T00:00:00Z"}],"includes":{}}`,
		`{"did":"did:plc:a","time_us":1,"kind":"commit","commit":{"operation":"delete","collection":"app.bsky.feed.post","rkey":"r"}}`,
		`{"hits":[{"objectID":"1","created_at_i":1,"author":"pg","title":"t"}]}`,
		`{"kind":"Listing","data":{"children":[]}}`,
		"id,text,created_at\n1,hello,2017-02-28\n",
		"window.YTD.tweets.part0 = [{\"tweet\":{\"id_str\":\"1\"}}]",
		"\x1f\x8b\x08\x00",
		"\xff\xfe{\x00}\x00",
	} {
		f.Add([]byte(s))
	}
	f.Add(gz([]byte(`[{"id":"1","uri":"https://m.example/s/1","created_at":"2025-01-01T00:00:00Z","content":"<p>x</p>","account":{"acct":"a"}}]`)))
	f.Fuzz(func(t *testing.T, in []byte) {
		items, _, closeAll, err := Decode(bytes.NewReader(in), Options{})
		if err != nil {
			return
		}
		defer closeAll()
		for it := range items {
			if err := it.Check(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// The compat-mode copy of a tweet has its text cut short; the extended copy
// has it whole. Whichever is imported first, the full text is current.
func TestTruncatedCopyNeverWins(t *testing.T) {
	compat := testdata.Path(t, "twitter-v1", "python-twitter_extended_tweet_in_compat_mode.json")
	full := testdata.Path(t, "twitter-v1", "python-twitter_extended_tweet_in_extended_mode.json")
	for _, order := range [][]string{{compat, full}, {full, compat}} {
		s := openStore(t)
		for _, f := range order {
			if _, err := Import(context.Background(), s, []string{f}, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := s.Get(context.Background(), "twitter:782737772490600448")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(p.Text, "…") || p.Revision != 0 {
			t.Errorf("order %v: current text %q (revision %d)", order, p.Text, p.Revision)
		}
	}
}
