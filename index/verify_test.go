package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"go.etcd.io/bbolt"
)

// damageFixture writes an index of 300 posts in three batches to a new
// directory and closes it.
func damageFixture(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for batch, docs := range fixtureDocs() {
		if err := ix.Apply(docs, nil, int64(batch+1)*100); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// fixtureDocs are damageFixture's three batches of 100 posts.
func fixtureDocs() [][]Doc {
	words := strings.Fields("s3 is down again the console times out for everyone outage aws us-east-1 störung ausfall")
	var batches [][]Doc
	for batch := range 3 {
		var docs []Doc
		for i := range 100 {
			n := batch*100 + i
			text := fmt.Sprintf("%s %s %s #aws @ops%d https://status.aws.amazon.com/%d", words[n%len(words)], words[(n*7)%len(words)], words[(n*13)%len(words)], n%5, n)
			d := doc(fmt.Sprintf("twitter:%d", n), []string{"en", "de", ""}[n%3], text, t0.Add(time.Duration(n)*time.Minute))
			d.Post.Hashtags = []string{"aws"}
			docs = append(docs, d)
		}
		batches = append(batches, docs)
	}
	return batches
}

// readAll reads what an index holds through every kind of read: the
// sequence, count, signatures, a few searches with facets and a histogram.
func readAll(ix *Index) (string, error) {
	var b strings.Builder
	seq, err := ix.LastSeq()
	if err != nil {
		return "", err
	}
	n, err := ix.Count()
	if err != nil {
		return "", err
	}
	fmt.Fprintln(&b, seq, n)
	if err := ix.Signatures(context.Background(), func(id, sig string) error {
		fmt.Fprintln(&b, id, sig)
		return nil
	}); err != nil {
		return "", err
	}
	for _, q := range []Query{{Text: "down", Facets: true, Histogram: time.Hour}, {Text: `"is down"`, Sort: Newest}, {Text: "ausfall OR outage*"},
		{Hashtag: "aws", Sort: Oldest, Size: 7}, {Domain: "amazon.com", Facets: true}} {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%d %v %v %v\n", res.Total, res.Hits, res.Facets, res.Histogram)
	}
	return b.String(), nil
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFlippedBytes flips bytes of every file of an index (each segment and
// root.bolt, 60 places each) and opens and reads the copy. Every outcome
// must be one of: Open fails with ErrDamaged; a read fails with
// ErrDamaged; or every read gives exactly what the intact index gives (the
// byte was in unused space). Never a panic, never a different answer.
func TestFlippedBytes(t *testing.T) {
	dir := damageFixture(t)
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := readAll(ix)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	files, _ := filepath.Glob(filepath.Join(dir, scorchDir, "*"))
	if len(files) < 2 {
		t.Fatalf("files: %v", files)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	outcomes := map[string]int{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var used []int // root.bolt is mostly free pages: flip bytes in use
		for i, c := range raw {
			if c != 0 {
				used = append(used, i)
			}
		}
		for k := range 60 {
			pos := used[rng.IntN(len(used))]
			if k < 8 { // the footer or header: the last and first bytes
				pos = len(raw) - 1 - k*3
			}
			name := filepath.Base(file)
			copyTo := filepath.Join(t.TempDir(), "index")
			copyDir(t, dir, copyTo)
			flipped := slices.Clone(raw)
			flipped[pos] ^= 0xff
			os.WriteFile(filepath.Join(copyTo, scorchDir, name), flipped, 0o644)
			outcome := func() (outcome string) {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s byte %d of %d: panic: %v", name, pos, len(raw), r)
						outcome = "panic"
					}
				}()
				ix, err := Open(copyTo)
				if err != nil {
					if !errors.Is(err, ErrDamaged) {
						t.Errorf("%s byte %d: Open: not ErrDamaged: %v", name, pos, err)
					}
					return "open: damaged"
				}
				defer ix.Close()
				got, err := readAll(ix)
				switch {
				case errors.Is(err, ErrDamaged):
					return "read: damaged"
				case err != nil:
					t.Errorf("%s byte %d: read: not ErrDamaged: %v", name, pos, err)
					return "read: other error"
				case ix.RebuiltFrom() != "":
					return "rebuilt (mapping version unreadable)"
				case got != want:
					t.Errorf("%s byte %d of %d: the index opened and reads differ", name, pos, len(raw))
					gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
					for i := range min(len(gl), len(wl)) {
						if gl[i] != wl[i] {
							t.Logf("line %d: got %.300s\nwant %.300s", i, gl[i], wl[i])
							break
						}
					}
					return "different"
				}
				return "same"
			}()
			kind := "segment"
			if name == rootBolt {
				kind = rootBolt
			}
			outcomes[kind+": "+outcome]++
		}
	}
	t.Logf("outcomes of %d flips: %v", 60*len(files), outcomes)
}

// panicking returns a context whose search panics in Bleve's collector, in
// the searching goroutine, as a damaged segment makes zapx do.
func panicking() context.Context {
	return withHooks(context.Background(), hitHook{hit: func(*search.DocumentMatch) { panic("runtime error: slice bounds out of range") }})
}

// TestReadPanic: a search that panics inside Bleve is an error, not a
// crash. With every segment intact it is a plain error and the index is
// kept; once a segment's bytes are damaged on disk, the error wraps
// ErrDamaged, Damage reports it once, and the index empties itself so that
// LastSeq is 0 and the caller feeds it again; the rebuilt index opens and
// reads as before.
func TestReadPanic(t *testing.T) {
	dir := damageFixture(t)
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { ix.Close() }()
	want, err := readAll(ix)
	if err != nil {
		t.Fatal(err)
	}
	req := bleve.NewSearchRequest(query.NewMatchAllQuery())
	if _, err := ix.search(panicking(), req); err == nil || errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("panic with intact segments: %v", err)
	}
	if err := ix.Damage(); err != nil {
		t.Errorf("Damage after a panic with intact segments: %v", err)
	}
	if got, err := readAll(ix); err != nil || got != want {
		t.Fatalf("the index after a panic with intact segments: %v", err)
	}
	// Damage every segment file in place (it is memory-mapped: no
	// truncation).
	zaps, _ := filepath.Glob(filepath.Join(dir, scorchDir, "*.zap"))
	for _, z := range zaps {
		f, err := os.OpenFile(z, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		b := make([]byte, 1)
		f.ReadAt(b, st.Size()/3)
		b[0] ^= 0xff
		f.WriteAt(b, st.Size()/3)
		f.Close()
	}
	_, err = ix.search(panicking(), req)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("panic with a damaged segment: %v", err)
	}
	if d := ix.Damage(); !errors.Is(d, ErrDamaged) {
		t.Errorf("Damage: %v", d)
	}
	if d := ix.Damage(); d != nil {
		t.Errorf("Damage reported twice: %v", d)
	}
	if seq, err := ix.LastSeq(); err != nil || seq != 0 {
		t.Fatalf("LastSeq after damage: %d, %v", seq, err)
	}
	if n, err := ix.Count(); err != nil || n != 0 {
		t.Errorf("Count after damage: %d, %v", n, err)
	}
	// Fed again, it reads as before, and opens from disk.
	for batch, docs := range fixtureDocs() {
		if err := ix.Apply(docs, nil, int64(batch+1)*100); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := readAll(ix); err != nil || got != want {
		t.Errorf("rebuilt: %v", err)
	}
	ix.Close()
	if ix, err = Open(dir); err != nil {
		t.Fatal(err)
	}
	if got, err := readAll(ix); err != nil || got != want {
		t.Errorf("rebuilt and opened again: %v", err)
	}
}

// FuzzCheckBolt: checkBolt reads any bytes without panicking or looping,
// and a root.bolt it accepts is one bbolt can walk without panicking.
func FuzzCheckBolt(f *testing.F) {
	dir := filepath.Join(f.TempDir(), "index")
	ix, err := Open(dir)
	if err != nil {
		f.Fatal(err)
	}
	for batch, docs := range fixtureDocs()[:2] {
		if err := ix.Apply(docs, nil, int64(batch+1)*100); err != nil {
			f.Fatal(err)
		}
	}
	ix.Close()
	seed, err := os.ReadFile(filepath.Join(dir, scorchDir, rootBolt))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:4096])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if checkBolt(b) != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "root.bolt")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
		if err != nil {
			return
		}
		defer db.Close()
		db.View(func(tx *bbolt.Tx) error {
			return tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return walk(b) })
		})
	})
}
