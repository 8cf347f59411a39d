//go:build linux

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aftershock/aftershock/post"
)

// fullTmpfs mounts a 4 MiB tmpfs (needs root: skips otherwise).
func fullTmpfs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fill writes a file until the filesystem holding dir is full.
func fill(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			break
		}
	}
	for _, small := range []int{4096, 1} { // the last blocks
		for {
			if _, err := f.Write(buf[:small]); err != nil {
				break
			}
		}
	}
}

// TestOpenFullDisk: an archive closed cleanly on a disk that then fills
// up could not be read at all (SQLite cannot size the -shm file a WAL
// database needs: "disk I/O error (4874)", which Open then called
// damage); now it opens read-only: reads work, every write fails with
// ErrDiskFull, and nothing is reported damaged.
func TestOpenFullDisk(t *testing.T) {
	ctx := context.Background()
	dir := fullTmpfs(t)
	path := filepath.Join(dir, "archive.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	for i := range 200 {
		b.Posts = append(b.Posts, mk(fmt.Sprint(i), "s3 is down", 0))
	}
	write(t, s, b)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fill(t, dir)

	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("open on a full disk: %v", err)
	}
	defer s.Close()
	if !s.ReadOnly() {
		t.Error("not read-only")
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Posts != 200 {
		t.Errorf("stats: %+v, %v", st, err)
	}
	if p, err := s.Get(ctx, "twitter:7"); err != nil || p.Text != "s3 is down" {
		t.Errorf("get: %v", err)
	}
	_, err = s.Write(ctx, Batch{Posts: []post.Post{mk("new", "x", 0)}})
	if !errors.Is(err, ErrDiskFull) || !IsDiskFull(err) || errors.Is(err, ErrDamaged) {
		t.Errorf("write on a read-only archive: %v", err)
	}
	if _, _, err := s.NewToken(ctx, "x"); !IsDiskFull(err) {
		t.Errorf("token on a read-only archive: %v", err)
	}
	if err := s.Verify(ctx); err != nil {
		t.Errorf("verify: %v", err)
	}
	if strings.Contains(fmt.Sprint(err), "damaged") {
		t.Error(err)
	}
}
