package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// TestCheckBehind: `check` on an index that lacks only the archive's last
// changes says "behind by N" and that no reindex is needed; on a damaged
// index it still asks for a reindex.
func TestCheckBehind(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	in := filepath.Join(t.TempDir(), "posts.csv")
	var b strings.Builder
	b.WriteString("id,created_at,author,text\n")
	for i := range 20 {
		fmt.Fprintf(&b, "%d,2017-02-28T17:%02d:00Z,user%d,s3 is down %d\n", i, i, i, i)
	}
	os.WriteFile(in, []byte(b.String()), 0o644)
	if code, out, errOut := cli(t, "", "--data", data, "import", in); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	writeBehindIndex(t, data, 3)
	code, out, errOut := cli(t, "", "--data", data, "check")
	if code == 0 || !strings.Contains(errOut, "the index is behind the archive by 3 changes (index sequence 20, archive 23)") ||
		!strings.Contains(errOut, "no reindex is needed") || strings.Contains(errOut, "run 'aftershock reindex'") {
		t.Errorf("check, 3 behind: %d\n%s%s", code, out, errOut)
	}
	// Searching catches up; then check is clean.
	if code, out, errOut := cli(t, "", "--data", data, "search", "later"); code != 0 {
		t.Fatalf("search: %s%s", out, errOut)
	}
	if code, out, errOut := cli(t, "", "--data", data, "check"); code != 0 || !strings.Contains(out, "ok:") {
		t.Errorf("check after catching up: %d\n%s%s", code, out, errOut)
	}
}

// TestFlippedIndex flips a byte in the middle of every segment of a data
// directory's index. search and check used to die with a zapx stack trace
// (and serve answered 500 for ever); now both say the index is damaged and
// how to rebuild it, and serve rebuilds it at start and answers searches.
func TestFlippedIndex(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	in := filepath.Join(t.TempDir(), "posts.csv")
	var b strings.Builder
	b.WriteString("id,created_at,author,text\n")
	for i := range 500 {
		fmt.Fprintf(&b, "%d,2017-02-28T17:%02d:%02dZ,user%d,s3 is down %d\n", i, i/60, i%60, i%7, i)
	}
	os.WriteFile(in, []byte(b.String()), 0o644)
	if code, out, errOut := cli(t, "", "--data", data, "import", in); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	zaps, _ := filepath.Glob(filepath.Join(data, "index", "store", "*.zap"))
	if len(zaps) == 0 {
		t.Fatal("no segments")
	}
	for _, z := range zaps {
		raw, _ := os.ReadFile(z)
		raw[len(raw)/2] ^= 0xff
		os.WriteFile(z, raw, 0o644)
	}
	for _, args := range [][]string{{"search", "s3"}, {"check"}} {
		code, out, errOut := cli(t, "", append([]string{"--data", data}, args...)...)
		if code == 0 || !strings.Contains(errOut, "the search index cannot be opened; 'aftershock reindex' rebuilds it") ||
			!strings.Contains(errOut, "checksum") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%s on a damaged index: %d\n%s%s", args[0], code, out, errOut)
		}
	}
	if testing.Short() {
		return
	}
	serve := exec.Command(buildBinary(t), "--data", data, "serve", "--addr", "127.0.0.1:0")
	logFile := filepath.Join(t.TempDir(), "serve.log")
	f, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	serve.Stderr = f
	base := startServerCmd(t, serve)
	if log, _ := os.ReadFile(logFile); !strings.Contains(string(log), "rebuilding the index from the archive") ||
		!strings.Contains(string(log), "index rebuilt: 500 posts") {
		t.Errorf("serve on a damaged index:\n%s", log)
	}
	res, err := http.Get(base + "/api/v1/search?q=s3")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var sr struct{ Total int }
	if res.StatusCode != 200 || json.Unmarshal(body, &sr) != nil || sr.Total != 500 {
		t.Errorf("search after the rebuild: %d %.300s", res.StatusCode, body)
	}
}

// writeBehindIndex writes n posts into the archive of the data directory
// straight to the store, so the index has not seen them.
func writeBehindIndex(t *testing.T, data string, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var batch store.Batch
	for i := range n {
		batch.Posts = append(batch.Posts, post.Post{ID: fmt.Sprintf("manual:%d", i), Source: "manual", NativeID: fmt.Sprint(i),
			Text: "later", CreatedAt: time.Date(2017, 3, 1, 0, 0, i, 0, time.UTC), Raw: []byte(`{}`)})
	}
	if _, err := st.Write(ctx, batch); err != nil {
		t.Fatal(err)
	}
}
