package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestore: a backup taken of an archive, restored into another
// data directory, holds the same posts, events and collections, and is
// searchable; restoring over an archive with posts needs --force; a file
// that is not an archive is refused without touching anything.
func TestBackupRestore(t *testing.T) {
	src := filepath.Join(t.TempDir(), "src")
	dst := filepath.Join(t.TempDir(), "dst")
	file := filepath.Join(t.TempDir(), "backup.db")
	must := func(args ...string) string {
		t.Helper()
		code, out, errOut := cli(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: %d\n%s\n%s", args, code, out, errOut)
		}
		return out
	}
	must(append([]string{"--data", src, "import"}, realInputs(t)...)...)
	must("--data", src, "event", "create", "hanna", "--query", "#ichbinhanna", "--from", "2025-01-01")
	must("--data", src, "collection", "create", "q")
	ids := must("--data", src, "search", "#ichbinhanna", "--ids", "--limit", "2")
	must("--data", src, "collection", "add", "q", strings.Fields(ids)[0])
	srcStats := must("--data", src, "stats")

	out := must("--data", src, "backup", file)
	if !strings.Contains(out, "backup of") {
		t.Errorf("backup: %s", out)
	}
	if code, _, errOut := cli(t, "", "--data", src, "backup", file); code == 0 || !strings.Contains(errOut, "exists") {
		t.Errorf("backup over an existing file: %d %s", code, errOut)
	}
	out = must("--data", dst, "restore", file)
	if !strings.Contains(out, "index rebuilt") {
		t.Errorf("restore: %s", out)
	}
	firstLines := func(s string) string { return strings.Join(strings.Split(s, "\n")[1:4], "\n") }
	if got := must("--data", dst, "stats"); firstLines(got) != firstLines(srcStats) {
		t.Errorf("stats differ:\n%s\n---\n%s", firstLines(got), firstLines(srcStats))
	}
	if out := must("--data", dst, "search", "#ichbinhanna", "--ids", "--limit", "2"); out != ids {
		t.Errorf("search after restore: %q, want %q", out, ids)
	}
	if out := must("--data", dst, "collection", "show", "q"); !strings.Contains(out, "1 items") {
		t.Errorf("collection after restore: %s", out)
	}
	if code, _, errOut := cli(t, "", "--data", dst, "restore", file); code != 2 || !strings.Contains(errOut, "--force") {
		t.Errorf("restore over posts: %d %s", code, errOut)
	}
	must("--data", dst, "restore", file, "--force")
	junk := filepath.Join(t.TempDir(), "junk.db")
	must("--data", src, "export", "q", "--format", "csv", "-o", junk)
	if code, _, errOut := cli(t, "", "--data", dst, "restore", junk, "--force"); code != 1 || !strings.Contains(errOut, "not a usable archive") {
		t.Errorf("restore of a CSV: %d %s", code, errOut)
	}
	if out := must("--data", dst, "search", "#ichbinhanna", "--ids", "--limit", "2"); out != ids {
		t.Errorf("a refused restore changed the archive: %q", out)
	}
}

// TestServeRebuildsDamagedIndex: with the index's largest file truncated,
// or the whole index deleted, `serve` starts, rebuilds the index from the
// archive and answers searches as before.
func TestServeRebuildsDamagedIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := buildBinary(t)
	for _, damage := range []string{"truncate", "delete"} {
		t.Run(damage, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			if code, _, errOut := cli(t, "", append([]string{"--data", data, "import"}, realInputs(t)...)...); code != 0 {
				t.Fatal(errOut)
			}
			_, want, _ := cli(t, "", "--data", data, "search", "#ichbinhanna", "--ids", "--all")
			idx := filepath.Join(data, "index")
			switch damage {
			case "delete":
				os.RemoveAll(idx)
			case "truncate":
				var biggest string
				var size int64
				filepath.Walk(idx, func(p string, fi os.FileInfo, err error) error {
					if err == nil && !fi.IsDir() && fi.Size() > size {
						biggest, size = p, fi.Size()
					}
					return nil
				})
				if err := os.Truncate(biggest, size/3); err != nil {
					t.Fatal(err)
				}
			}
			base := startServer(t, bin, data)
			resp, err := http.Get(base + "/api/v1/search?q=%23ichbinhanna&size=1000")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var res struct{ Total int }
			json.NewDecoder(resp.Body).Decode(&res)
			if resp.StatusCode != 200 || res.Total != strings.Count(want, "\n") || res.Total == 0 {
				t.Errorf("after %s: %d, %d hits, want %d", damage, resp.StatusCode, res.Total, strings.Count(want, "\n"))
			}
		})
	}
}

// TestDamagedArchive: an archive file cut short or overwritten is reported
// as damaged by every command, never read as an empty archive.
func TestDamagedArchive(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := cli(t, "", append([]string{"--data", data, "import"}, realInputs(t)...)...); code != 0 {
		t.Fatal(errOut)
	}
	db := filepath.Join(data, "archive.db")
	cli(t, "", "--data", data, "stats") // checkpoints nothing by itself; make the file whole
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	// Garbage over the middle of the file.
	for i := len(b) / 3; i < len(b)/3+8192 && i < len(b); i++ {
		b[i] = 0xA5
	}
	os.WriteFile(db, b, 0o644)
	for _, args := range [][]string{{"stats"}, {"search", "s3"}, {"serve", "--addr", "127.0.0.1:0"}} {
		code, out, errOut := cli(t, "", append([]string{"--data", data}, args...)...)
		if code == 0 || !strings.Contains(errOut, "damaged") && !strings.Contains(errOut, "malformed") && !strings.Contains(errOut, "not a database") {
			t.Errorf("%v on a damaged archive: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	os.WriteFile(db, []byte("this is not an archive"), 0o644)
	if code, _, errOut := cli(t, "", "--data", data, "stats"); code == 0 || !strings.Contains(errOut, "not a readable SQLite database") && !strings.Contains(errOut, "damaged") {
		t.Errorf("stats on a text file: %d %s", code, errOut)
	}
}
