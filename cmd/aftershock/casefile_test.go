package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// forge rewrites a case file as someone who wants a post to say something
// else would: the quote in collection.jsonl changed, the manifest hashed
// again to match.
func forge(t *testing.T, from, to, text string) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name], names = b, append(names, f.Name)
	}
	var jsonl, manifest string
	for _, n := range names {
		switch {
		case strings.HasSuffix(n, "/collection.jsonl"):
			jsonl = n
		case strings.HasSuffix(n, "/manifest.json"):
			manifest = n
		}
	}
	var lines [][]byte
	for _, l := range bytes.Split(bytes.TrimSpace(files[jsonl]), []byte("\n")) {
		var it map[string]any
		if err := json.Unmarshal(l, &it); err != nil {
			t.Fatal(err)
		}
		if _, ok := it["post_id"]; ok {
			it["text"] = text
		}
		b, _ := json.Marshal(it)
		lines = append(lines, b)
	}
	files[jsonl] = append(bytes.Join(lines, []byte("\n")), '\n')
	var m export.CaseManifest
	if err := json.Unmarshal(files[manifest], &m); err != nil {
		t.Fatal(err)
	}
	for i, f := range m.Files {
		if f.Path == "collection.jsonl" {
			sum := sha256.Sum256(files[jsonl])
			m.Files[i].SHA256, m.Files[i].Bytes = hex.EncodeToString(sum[:]), int64(len(files[jsonl]))
		}
	}
	files[manifest], _ = json.Marshal(m)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, _ := zw.Create(n)
		w.Write(files[n])
	}
	zw.Close()
	if err := os.WriteFile(to, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestForgedCaseFile (issue 16, Medium 7): a case file whose quote was
// changed and its manifest hashed again is intact as far as hashes go, but
// it changes no archived post, and a restored post's text is its raw
// payload's, not the forged quote. The message speaks of integrity.
func TestForgedCaseFile(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out := t.TempDir()
	mustRun := func(dir string, args ...string) string {
		t.Helper()
		code, o, errOut := cli(t, "", append([]string{"--data", dir}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, o, errOut)
		}
		return o
	}
	mustRun(data, "import", testdata.Path(t, "mastodon", "rtoot_status_fosstodon.json"))
	id := strings.TrimSpace(mustRun(data, "search", "igraph", "--ids"))
	if strings.Count(id, "\n") != 0 || !strings.HasPrefix(id, "mastodon:") {
		t.Fatalf("search --ids: %q", id)
	}
	mustRun(data, "collection", "create", "grant")
	mustRun(data, "collection", "add", "grant", id)
	zipFile := filepath.Join(out, "grant.zip")
	mustRun(data, "export", "grant", "--format", "zip", "-o", zipFile)
	forged := filepath.Join(out, "forged.zip")
	const lie = "We lost the grant and igraph is abandoned."
	forge(t, zipFile, forged, lie)

	text := func(dir string) string {
		t.Helper()
		st, err := store.Open(context.Background(), filepath.Join(dir, archive.StoreFile))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		p, err := st.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Text
	}
	before := text(data)
	if !strings.Contains(before, "Super grateful to have received an R Consortium grant") {
		t.Fatalf("archived text %q", before)
	}

	// Into the archive that has the post: it stays as it is.
	o := mustRun(data, "import", forged)
	for _, want := range []string{
		"case file intact (", "this does not show who wrote it", "1 items merged into the existing collection grant",
		"1 posts already in the archive left as they are",
		"1 items quote a text their raw payload does not hold (first: " + id + "): the raw payload's text was restored",
	} {
		if !strings.Contains(o, want) {
			t.Errorf("restore into the same archive: output lacks %q:\n%s", want, o)
		}
	}
	if strings.Contains(o, "verified") {
		t.Errorf("the message claims more than integrity:\n%s", o)
	}
	if got := text(data); got != before {
		t.Errorf("the archived post now says %q, want %q", got, before)
	}

	// Into a new archive: the post comes from its raw payload.
	other := filepath.Join(t.TempDir(), "other")
	o = mustRun(other, "import", forged)
	if !strings.Contains(o, "1 items restored as collection grant") || strings.Contains(o, "already in the archive") {
		t.Errorf("restore into a new archive:\n%s", o)
	}
	if got := text(other); got != before {
		t.Errorf("restored post says %q, want its raw payload's %q", got, before)
	}
	show := mustRun(other, "collection", "show", "grant")
	if strings.Contains(show, lie) {
		t.Errorf("the forged quote became the item's snapshot:\n%s", show)
	}
}
