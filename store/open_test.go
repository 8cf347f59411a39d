package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestOpenRace opens a brand-new archive from eight connections at once,
// as two imports into a new data directory do: each must find the schema
// complete, none may apply a migration another has applied ("table posts
// already exists").
func TestOpenRace(t *testing.T) {
	ctx := context.Background()
	for round := range 5 {
		path := filepath.Join(t.TempDir(), "archive.db")
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s, err := Open(ctx, path)
				if err == nil {
					var v int
					err = s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
					if err == nil && v != SchemaVersion() {
						err = errors.New("schema version " + string(rune('0'+v)))
					}
					s.Close()
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d, opener %d: %v", round, i, err)
			}
		}
	}
}

// TestOpenDamaged: an archive.db whose pages are damaged is refused with a
// message that names the file and points to salvage with sqlite3's .recover.
func TestOpenDamaged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "archive.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	for i := range 300 {
		b.Posts = append(b.Posts, mk(strings.Repeat("9", 1+i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)), strings.Repeat("s3 is down ", 40), 0))
	}
	write(t, s, b)
	if err := s.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the middle pages (not the header) with garbage.
	for i := pageSize * 2; i < len(raw)-pageSize; i++ {
		raw[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	_, err = Open(ctx, path)
	if err == nil {
		t.Fatal("a damaged archive opened")
	}
	if !errors.Is(err, ErrDamaged) {
		t.Errorf("not ErrDamaged: %v", err)
	}
	for _, want := range []string{path, "damaged", "sqlite3 " + path + " .recover"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message lacks %q: %v", want, err)
		}
	}
	t.Logf("message: %v", err)
}
