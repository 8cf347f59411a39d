package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/index"
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

// TestRestoreAfterKilledServe: a server killed with SIGKILL leaves
// serve.json behind, and restore (even --force) refused for ever because
// of it (issue 16, item 11). Restore now asks the index lock, which the
// kernel releases when the process dies: a stale serve.json is removed with
// a note, a held lock still refuses.
func TestRestoreAfterKilledServe(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	file := filepath.Join(t.TempDir(), "backup.db")
	must := func(args ...string) (string, string) {
		t.Helper()
		code, out, errOut := cli(t, "", append([]string{"--data", data}, args...)...)
		if code != 0 {
			t.Fatalf("%v: %d\n%s\n%s", args, code, out, errOut)
		}
		return out, errOut
	}
	must("event", "create", "e1", "--from", "2025-01-01")
	must("backup", file)

	// What a killed server leaves: its serve.json, naming a process that
	// is gone (a child that has exited and been reaped).
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(map[string]any{"addr": "127.0.0.1:39999", "pid": dead.Process.Pid, "started": "2026-01-01T00:00:00Z"})
	stale := filepath.Join(data, "serve.json")
	if err := os.WriteFile(stale, info, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut := must("restore", file, "--force")
	if !strings.Contains(out, "restored 0 posts") || !strings.Contains(errOut, "stale serve.json") {
		t.Errorf("restore after a killed server:\n%s\n%s", out, errOut)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale serve.json is still there: %v", err)
	}

	// A process that holds the index (as a running server does) still
	// stops it, with or without serve.json.
	ix, err := index.Open(filepath.Join(data, archive.IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, withInfo := range []bool{false, true} {
		if withInfo {
			info, _ := json.Marshal(map[string]any{"addr": "127.0.0.1:39999", "pid": os.Getpid()})
			os.WriteFile(stale, info, 0o644)
		}
		code, _, errOut := cli(t, "", "--data", data, "restore", file, "--force")
		if code != 1 || !strings.Contains(errOut, "stop it first") {
			t.Errorf("restore beside a process holding the index (serve.json %v): %d %s", withInfo, code, errOut)
		}
		if withInfo && !strings.Contains(errOut, fmt.Sprintf("pid %d", os.Getpid())) {
			t.Errorf("the refusal does not name the server's process: %s", errOut)
		}
	}
	ix.Close()
	if _, err := os.Stat(stale); err != nil {
		t.Errorf("serve.json of a live server was removed: %v", err)
	}
	os.Remove(stale)

	// The real thing: serve killed with SIGKILL, then restore.
	if testing.Short() {
		return
	}
	bin := buildBinary(t)
	serve := exec.Command(bin, "--data", data, "serve", "--addr", "127.0.0.1:0")
	startServerCmd(t, serve)
	if code, _, errOut := cli(t, "", "--data", data, "restore", file, "--force"); code != 1 || !strings.Contains(errOut, "stop it first") {
		t.Errorf("restore beside a running server: %d %s", code, errOut)
	}
	if err := serve.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	serve.Wait()
	if _, err := os.Stat(stale); err != nil {
		t.Fatalf("the killed server left no serve.json (%v): the test proves nothing", err)
	}
	out, errOut = must("restore", file, "--force")
	if !strings.Contains(out, "restored 0 posts") || !strings.Contains(errOut, "stale serve.json") {
		t.Errorf("restore after SIGKILL:\n%s\n%s", out, errOut)
	}
}
