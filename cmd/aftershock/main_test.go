package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
)

// cli runs the command line in-process and returns its exit code and output.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func realInputs(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pat := range []string{"twitter-v1/*.json*", "twitter-v2/*.jsonl", "mastodon/rtoot_[^e]*.json", "bluesky/*.jsonl", "reddit/*.json"} {
		m, err := filepath.Glob(filepath.Join(testdata.Dir(t), pat))
		if err != nil || len(m) == 0 {
			t.Fatalf("no files for %s", pat)
		}
		files = append(files, m...)
	}
	return files
}

// TestEndToEnd runs the README's commands on the real data: import, search in
// English and German, stats, check, re-import, reindex.
func TestEndToEnd(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	inputs := realInputs(t)
	code, out, errOut := cli(t, "", append([]string{"--data", data, "import"}, inputs...)...)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "first errors:") || !strings.Contains(out, "twarc-csv_streaming_output_with_error.jsonl:8:") {
		t.Errorf("import summary lacks the bad line:\n%s", out)
	}

	search := func(args ...string) []map[string]any {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"--data", data, "search", "--json", "--limit", "1000"}, args...)...)
		if code != 0 {
			t.Fatalf("search %v: exit %d\n%s", args, code, errOut)
		}
		var hits []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l == "" {
				continue
			}
			var h map[string]any
			if err := json.Unmarshal([]byte(l), &h); err != nil {
				t.Fatalf("bad JSON line %q: %v", l, err)
			}
			hits = append(hits, h)
		}
		return hits
	}
	// German: the #IchBinHanna pages; an inflected form finds the base form.
	hanna := search("#ichbinhanna")
	if len(hanna) < 100 {
		t.Errorf("#ichbinhanna: %d hits", len(hanna))
	}
	for _, q := range []string{"Wissenschaft", "Befristung", "Universitäten"} {
		if hits := search(q, "--lang", "de"); len(hits) == 0 {
			t.Errorf("%s: no German hits", q)
		}
	}
	// Time filter and sort: every hit inside the window, newest first.
	hits := search("brexit", "--from", "2021-09-22T00:00Z", "--to", "2021-09-23", "--sort", "time")
	if len(hits) == 0 {
		t.Fatal("brexit: no hits")
	}
	prev := "9999"
	for _, h := range hits {
		c := h["created_at"].(string)
		if c < "2021-09-22" || c >= "2021-09-23" || c > prev {
			t.Errorf("hit %s at %s out of window or order", h["id"], c)
		}
		prev = c
	}
	// Deep paging by cursor gives every hit once.
	all := search("brexit")
	seen := map[string]bool{}
	after := ""
	for range 100 {
		args := []string{"--data", data, "search", "brexit", "--limit", "7", "--ids"}
		if after != "" {
			args = append(args, "--after", after)
		}
		_, out, errOut := cli(t, "", args...)
		for _, id := range strings.Fields(out) {
			if seen[id] {
				t.Fatalf("%s twice", id)
			}
			seen[id] = true
		}
		i := strings.Index(errOut, "--after ")
		if i < 0 {
			break
		}
		after = strings.TrimSpace(errOut[i+len("--after "):])
	}
	if len(seen) != len(all) {
		t.Errorf("paging gave %d ids, one page of 1000 gave %d", len(seen), len(all))
	}

	code, out, _ = cli(t, "", "--data", data, "stats")
	if code != 0 || !strings.Contains(out, "mastodon") || !strings.Contains(out, "0 changes behind") {
		t.Errorf("stats: %d\n%s", code, out)
	}
	code, out, _ = cli(t, "", "--data", data, "check")
	if code != 0 || !strings.Contains(out, "ok:") {
		t.Errorf("check: %d\n%s", code, out)
	}
	// Importing again changes nothing.
	code, out, _ = cli(t, "", append([]string{"--data", data, "import"}, inputs...)...)
	if code != 0 || !strings.Contains(out, "new 0  updated 0") {
		t.Errorf("re-import: %d\n%s", code, out)
	}
	// A lost index is rebuilt by reindex, and check agrees again.
	if err := os.RemoveAll(filepath.Join(data, "index")); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, "", "--data", data, "check"); code == 0 {
		t.Errorf("check passed on an empty index:\n%s%s", out, errOut)
	}
	if code, out, errOut := cli(t, "", "--data", data, "reindex"); code != 0 {
		t.Fatalf("reindex: %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := cli(t, "", "--data", data, "check"); code != 0 {
		t.Errorf("check after reindex: %d\n%s", code, out)
	}
}

func TestImportBadInput(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("not json at all\n{also not\n"), 0o644)
	code, out, _ := cli(t, "", "--data", data, "import", bad)
	if code == 0 || !strings.Contains(out, "bad.jsonl") {
		t.Errorf("nothing readable must fail: %d\n%s", code, out)
	}
	code, _, errOut := cli(t, "", "--data", data, "import", "--format", "nope", bad)
	if code != 2 || !strings.Contains(errOut, "unknown format") {
		t.Errorf("bad --format: %d %s", code, errOut)
	}
	// Standard input works, and a bad query is reported with its position.
	code, out, _ = cli(t, `{"id_str":"1","created_at":"Tue Feb 28 17:37:00 +0000 2017","text":"S3 is down","user":{"screen_name":"a"}}`+"\n", "--data", data, "import", "-")
	if code != 0 || !strings.Contains(out, "new 1") {
		t.Errorf("stdin: %d\n%s", code, out)
	}
	code, _, errOut = cli(t, "", "--data", data, "search", `"unbalanced`)
	if code == 0 || !strings.Contains(errOut, "search") {
		t.Errorf("bad query: %d %s", code, errOut)
	}
}

// A damaged index never hides the archive: stats still works, search says
// what to do, and reindex rebuilds it.
func TestDamagedIndex(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	in := realInputs(t)[:3]
	if code, out, errOut := cli(t, "", append([]string{"--data", data, "import"}, in...)...); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	// Damage every file of the index.
	filepath.WalkDir(filepath.Join(data, "index"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.WriteFile(p, []byte("garbage"), 0o644)
		}
		return nil
	})
	if code, out, errOut := cli(t, "", "--data", data, "stats"); code != 0 || !strings.Contains(out, "reindex") {
		t.Errorf("stats on a damaged index: %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := cli(t, "", "--data", data, "search", "the"); code == 0 || !strings.Contains(errOut, "reindex") {
		t.Errorf("search on a damaged index: %d %s", code, errOut)
	}
	if code, out, errOut := cli(t, "", "--data", data, "reindex"); code != 0 {
		t.Fatalf("reindex: %s%s", out, errOut)
	}
	if code, out, _ := cli(t, "", "--data", data, "check"); code != 0 {
		t.Errorf("check after reindex: %s", out)
	}
}

func TestShow(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	f := testdata.Path(t, "twitter-v2", "twarc-csv_edited_after.jsonl")
	g := testdata.Path(t, "twitter-v2", "twarc-csv_edited_before.jsonl")
	if code, out, errOut := cli(t, "", "--data", data, "import", f, g); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	code, out, _ := cli(t, "", "--data", data, "show", "twitter:1576994746135764992")
	if code != 0 || !strings.Contains(out, "hey :)") || !strings.Contains(out, "earlier version (revision 0") || !strings.Contains(out, "i miss y’all") {
		t.Errorf("show: %d\n%s", code, out)
	}
	code, out, _ = cli(t, "", "--data", data, "show", "--raw", "twitter:1576994746135764992")
	var m map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &m) != nil || m["id"] != "1576994789110992896" {
		t.Errorf("show --raw: %d %q", code, out)
	}
	if code, _, errOut := cli(t, "", "--data", data, "show", "twitter:1"); code == 0 || !strings.Contains(errOut, "not in the archive") {
		t.Errorf("missing post: %d %s", code, errOut)
	}
}

// Import scores every English and German post; search filters by tone; a
// rescore with the same model changes nothing.
func TestSentimentEndToEnd(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	in := []string{
		testdata.Path(t, "mastodon", "rtoot_tag_ichbinhanna_mastodon-social_page1.json"),
		testdata.Path(t, "twitter-v1", "python-twitter_streaming_lines.jsonl"),
	}
	if code, out, errOut := cli(t, "", append([]string{"--data", data, "import"}, in...)...); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	code, out, _ := cli(t, "", "--data", data, "stats")
	if code != 0 || !strings.Contains(out, "negative") || !strings.Contains(out, "not scored") {
		t.Errorf("stats: %s", out)
	}
	code, out, errOut := cli(t, "", "--data", data, "search", "--json", "--limit", "1000", "--sentiment", "negative", "--lang", "de")
	if code != 0 {
		t.Fatalf("search: %s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Fatal("no negative German posts")
	}
	for _, l := range lines {
		var h struct {
			Lang      string
			Sentiment struct{ Label, Model string }
		}
		if err := json.Unmarshal([]byte(l), &h); err != nil || h.Lang != "de" || h.Sentiment.Label != "negative" || h.Sentiment.Model == "" {
			t.Errorf("hit %s", l)
		}
	}
	code, out, _ = cli(t, "", "--data", data, "rescore")
	if code != 0 || !strings.Contains(out, ": 0 changed") {
		t.Errorf("rescore: %d %s", code, out)
	}
	if code, out, _ := cli(t, "", "--data", data, "check"); code != 0 {
		t.Errorf("check: %s", out)
	}
}
