package main

import (
	"context"
	"fmt"
	"os"
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
	// Three posts written behind the index's back.
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	var batch store.Batch
	for i := range 3 {
		batch.Posts = append(batch.Posts, post.Post{ID: fmt.Sprintf("manual:%d", i), Source: "manual", NativeID: fmt.Sprint(i),
			Text: "later", CreatedAt: time.Date(2017, 3, 1, 0, 0, i, 0, time.UTC), Raw: []byte(`{}`)})
	}
	if _, err := st.Write(ctx, batch); err != nil {
		t.Fatal(err)
	}
	st.Close()
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
