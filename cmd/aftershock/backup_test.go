package main

import (
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
