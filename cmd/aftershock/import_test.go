package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
)

// The X archive zip as X sends it is imported, not taken for a case file;
// the summary names each input, its owner, the files left out and the
// thread that announces more comments than the file holds.
func TestImportArchiveZipAndSummary(t *testing.T) {
	dir := filepath.Join(testdata.Dir(t), "realworld")
	zipName := filepath.Join(t.TempDir(), "twitter-2026-03-06-0123456789abcdef.zip")
	f, err := os.Create(zipName)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, n := range []string{"account.js", "tweets.js", "deleted-tweets.js", "community-tweet.js"} {
		b, err := os.ReadFile(filepath.Join(dir, "x-archive_milahu104", "data", n))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create("data/" + n)
		w.Write(b)
	}
	w, _ := zw.Create("data/like.js")
	w.Write([]byte(`window.YTD.like.part0 = [ { "like" : { "tweetId" : "1" } } ]`))
	zw.Close()
	f.Close()

	data := filepath.Join(t.TempDir(), "data")
	code, out, errOut := cli(t, "", "--data", data, "import", zipName, filepath.Join(dir, "praw_comments_n49rw.json"))
	if code != 0 {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"new 2,581", // 2,095 archive posts and 486 of the thread
		"deleted 57",
		"data/tweets.js [x-archive]: 2,045 records, 2,045 posts",
		"note: author @milahu104 from account.js",
		"data/deleted-tweets.js [x-archive]: 47 records, 47 posts, 47 deletions",
		"data/like.js: not read, an X archive file that holds no posts",
		"data/account.js: not read, the X archive's owner",
		"praw_comments_n49rw.json [reddit]: 2 records, 486 posts, 10 deletions",
		"warning: it announces 1,413 posts (num_comments) but 486 were read",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, "case file") {
		t.Errorf("the archive was taken for a case file:\n%s%s", out, errOut)
	}
	code, out, _ = cli(t, "", "--data", data, "search", "--author", "milahu104", "--limit", "1", "--json")
	if code != 0 || !strings.Contains(out, "https://x.com/milahu104/status/") {
		t.Errorf("search by the archive's owner: %d\n%s", code, out)
	}
}
