package importer

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// xArchiveFiles are the real files of an X archive in the shared data, and
// the files an archive has beside them that hold no posts (written here).
func xArchiveFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{
		"data/like.js": []byte(`window.YTD.like.part0 = [ { "like" : { "tweetId" : "1", "fullText" : "liked" } } ]`),
		// The counts as X writes them (strings), the real files' counts.
		"data/manifest.js": []byte(`window.__THAR_CONFIG = { "userInfo" : { "userName" : "milahu104" }, "dataTypes" : {
  "tweets" : { "files" : [ { "fileName" : "data/tweets.js", "globalName" : "YTD.tweets.part0", "count" : "2045" } ] },
  "deletedTweets" : { "files" : [ { "fileName" : "data/deleted-tweets.js", "globalName" : "YTD.deleted_tweets.part0", "count" : "47" } ] },
  "communityTweet" : { "files" : [ { "fileName" : "data/community-tweet.js", "globalName" : "YTD.community_tweet.part0", "count" : "3" } ] },
  "like" : { "files" : [ { "fileName" : "data/like.js", "globalName" : "YTD.like.part0", "count" : "1" } ] } } }`),
		"Your archive.html":         []byte("<html></html>"),
		"assets/images/favicon.png": {0x89, 'P', 'N', 'G'},
	}
	for _, name := range []string{"account.js", "tweets.js", "deleted-tweets.js", "community-tweet.js"} {
		b, err := os.ReadFile(testdata.Path(t, "realworld", "x-archive_milahu104", "data", name))
		if err != nil {
			t.Fatal(err)
		}
		files["data/"+name] = b
	}
	return files
}

// checkXArchive checks an import of the whole milahu104 archive: every post
// of tweets.js, community-tweet.js and deleted-tweets.js, by the owner named
// in account.js, the deleted ones stored as deleted.
func checkXArchive(t *testing.T, s *store.Store, sum Summary) {
	t.Helper()
	const tweets, community, deleted = 2045, 3, 47
	if sum.Counts.New != tweets+community+deleted || sum.Counts.Deleted != deleted || sum.Errors != 0 {
		t.Errorf("counts %+v, %d errors %v; want %d new, %d deleted", sum.Counts, sum.Errors, sum.Errs, tweets+community+deleted, deleted)
	}
	read, skipped := 0, 0
	for _, f := range sum.Files {
		switch {
		case strings.HasSuffix(f.Name, "(X archive)"):
			// The archive's web page and pictures, left out in one line
			// when the whole archive is imported.
		case f.Skipped != "":
			skipped++
			if !strings.HasSuffix(f.Name, "like.js") && !strings.HasSuffix(f.Name, "manifest.js") && !strings.HasSuffix(f.Name, "account.js") {
				t.Errorf("%s skipped: %s", f.Name, f.Skipped)
			}
		default:
			read++
			if f.Expected == 0 || f.Expected != f.Posts || f.Short() {
				t.Errorf("%s: %d posts, %d announced by manifest.js", f.Name, f.Posts, f.Expected)
			}
			if len(f.Notes) == 0 || !strings.Contains(f.Notes[0], "@milahu104") {
				t.Errorf("%s: notes %q, want the owner from account.js", f.Name, f.Notes)
			}
		}
	}
	if read != 3 || skipped != 3 {
		t.Errorf("%d files read, %d skipped; want 3 and 3 (account.js, like.js, manifest.js): %+v", read, skipped, sum.Files)
	}
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Posts != tweets+community+deleted || st.Deleted != deleted {
		t.Errorf("store: %d posts, %d deleted", st.Posts, st.Deleted)
	}
	p, err := s.Get(ctx, "twitter:"+firstTweetID(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Author.Handle != "milahu104" || !strings.HasPrefix(p.URL, "https://x.com/milahu104/status/") {
		t.Errorf("post author %+v, url %q", p.Author, p.URL)
	}
}

// firstTweetID returns the id of the first tweet of tweets.js.
func firstTweetID(t *testing.T) string {
	b, err := os.ReadFile(testdata.Path(t, "realworld", "x-archive_milahu104", "data", "tweets.js"))
	if err != nil {
		t.Fatal(err)
	}
	// Tweet ids have 15 digits or more; user ids in mentions fewer.
	m := regexp.MustCompile(`"id_str" : "([0-9]{15,})"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no tweet id in tweets.js")
	}
	return string(m[1])
}

func TestXArchiveFolder(t *testing.T) {
	dir := t.TempDir()
	for name, b := range xArchiveFiles(t) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := openStore(t)
	sum, err := Import(context.Background(), s, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkXArchive(t, s, sum)

	// The post files named one by one (data/*.js) give the same.
	s2 := openStore(t)
	var inputs []string
	matches, _ := filepath.Glob(filepath.Join(dir, "data", "*.js"))
	inputs = append(inputs, matches...)
	sum2, err := Import(context.Background(), s2, inputs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkXArchive(t, s2, sum2)
}

// The archive exactly as X sends it: one zip file.
func TestXArchiveZip(t *testing.T) {
	name := filepath.Join(t.TempDir(), "twitter-2026-03-06-0123456789abcdef.zip")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for n, b := range xArchiveFiles(t) {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	s := openStore(t)
	sum, err := Import(context.Background(), s, []string{name}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkXArchive(t, s, sum)
}

// A tweets.js that holds fewer posts than manifest.js says (an archive cut
// short in the download) is reported.
func TestXArchiveShort(t *testing.T) {
	dir := t.TempDir()
	files := xArchiveFiles(t)
	files["data/manifest.js"] = []byte(`window.__THAR_CONFIG = { "dataTypes" : { "tweets" : { "files" : [ { "fileName" : "data/tweets.js", "count" : "3601" } ] } } }`)
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := Import(context.Background(), openStore(t), []string{filepath.Join(dir, "data", "tweets.js")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := sum.Files[0]
	if !f.Short() || f.Expected != 3601 || f.Posts != 2045 || f.ExpectedFrom[0] != "manifest.js count" {
		t.Errorf("%+v", f)
	}
}
