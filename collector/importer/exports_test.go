package importer

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/store"
)

// fixture returns the path of a fixture of a source package.
func fixture(elem ...string) string {
	return filepath.Join(append([]string{"..", ".."}, elem...)...)
}

// A Mastodon 4.5 export (attributedTo is /ap/users/<number>) as its folder
// and as the zip Mastodon sends: every post gets the handle of actor.json.
func TestMastodonExport(t *testing.T) {
	dir := fixture("collector", "mastodon", "testdata", "export-4.5")
	zipName := filepath.Join(t.TempDir(), "archive-20260301-abcdef.zip")
	f, err := os.Create(zipName)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, n := range []string{"actor.json", "outbox.json"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create(n)
		w.Write(b)
	}
	w, _ := zw.Create("likes.json")
	w.Write([]byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"likes.json","type":"OrderedCollection","orderedItems":["https://example.social/statuses/1"]}`))
	zw.Close()
	f.Close()
	for _, in := range []string{dir, zipName} {
		t.Run(filepath.Base(in), func(t *testing.T) {
			s := openStore(t)
			sum, err := Import(context.Background(), s, []string{in}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var read *FileSummary
			for i, fs := range sum.Files {
				switch {
				case strings.HasSuffix(fs.Name, "outbox.json"):
					read = &sum.Files[i]
				case fs.Skipped == "":
					t.Errorf("%s read: %+v", fs.Name, fs)
				}
			}
			if read == nil || read.Posts == 0 || read.Errors != 0 || read.Short() {
				t.Fatalf("outbox: %+v", read)
			}
			if len(read.Notes) == 0 || !strings.Contains(read.Notes[0], "from actor.json") {
				t.Errorf("notes %q", read.Notes)
			}
			handle := strings.TrimSuffix(strings.TrimPrefix(read.Notes[0], "author @"), " from actor.json")
			err = s.Scan(context.Background(), func(p store.Stored) error {
				id := p.ID
				if p.Author.Handle == "" {
					t.Errorf("%s has no author handle", id)
				}
				if p.RepostOf == "" && p.Author.Handle != handle {
					t.Errorf("%s: author %q, want the export's owner %q", id, p.Author.Handle, handle)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The shapes the source packages read beyond the shared data, written as
// fixtures there, are told apart by detection alone.
func TestDetectFixtures(t *testing.T) {
	for _, c := range []struct {
		path   []string
		format Format
	}{
		{[]string{"bluesky", "testdata", "appview", "getAuthorFeed.json"}, BlueskyAppView},
		{[]string{"bluesky", "testdata", "appview", "getPostThread.json"}, BlueskyAppView},
		{[]string{"bluesky", "testdata", "appview", "getPostThreadV2.json"}, BlueskyAppView},
		{[]string{"bluesky", "testdata", "appview", "getPosts.json"}, BlueskyAppView},
		{[]string{"bluesky", "testdata", "appview", "searchPosts.json"}, BlueskyAppView},
		{[]string{"mastodon", "testdata", "export-duplicate-key", "outbox.json"}, Outbox},
		{[]string{"hackernews", "testdata", "firebase_items.jsonl"}, HackerNews},
	} {
		name := fixture(append([]string{"collector"}, c.path...)...)
		t.Run(filepath.Base(name), func(t *testing.T) {
			sum, err := Import(context.Background(), openStore(t), []string{name}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			f := sum.Files[0]
			if len(f.Formats) != 1 || f.Formats[0] != c.format || f.Posts == 0 || f.Errors != 0 {
				t.Errorf("%+v; want only %s posts", f, c.format)
			}
		})
	}
}

// A legacy (Grailbird) archive's folder: only data/js/tweets/*.js is read.
func TestLegacyArchiveFolder(t *testing.T) {
	dir := fixture("collector", "twitter", "testdata", "grailbird")
	sum, err := Import(context.Background(), openStore(t), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, f := range sum.Files {
		if f.Skipped != "" {
			continue
		}
		read++
		if !strings.HasSuffix(f.Name, filepath.Join("tweets", "2011_09.js")) || f.Posts == 0 || f.Errors != 0 || f.Formats[0] != XArchive {
			t.Errorf("%+v", f)
		}
	}
	if read != 1 || sum.Errors != 0 {
		t.Errorf("%d files read, errors %q", read, sum.Errs)
	}
}
