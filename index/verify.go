package index

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged means the index on disk is damaged: a segment whose bytes do
// not match its checksum, a root.bolt that fails bbolt's consistency check
// or that refers to a missing segment, values of ours that do not parse, or
// a read that panicked inside Bleve. The index is derived data: rebuilding
// it from the store (archive.Reindex) repairs it.
var ErrDamaged = errors.New("index: damaged")

// Names inside Bleve's scorch directory and its root.bolt (Bleve's
// index/scorch and util packages).
const (
	scorchDir = "store"
	rootBolt  = "root.bolt"
)

var (
	boltSnapshots = []byte{'s'}
	boltPath      = []byte{'p'}
	boltInternal  = []byte{'i'}
	boltMetaKey   = []byte{'m'}
)

// verifyDir checks the index in dir before Bleve opens it, since Bleve
// neither checks a segment's checksum nor survives reading a damaged one
// (zapx panics, in goroutines a caller cannot recover, and Bleve's merger
// may read a segment as soon as the index opens): root.bolt must pass
// bbolt's page check, and every segment of its newest snapshot must exist
// and match the CRC-32 in its footer. It returns the last sequence number
// the newest snapshot records, which the opened index must then report
// (Bleve silently falls back to an older snapshot, or to none, when the
// newest cannot be loaded). A directory without root.bolt is left to Bleve.
//
// Reading every segment costs one sequential read of the index (about
// 0.3 s per GB).
func verifyDir(dir string) (lastSeq []byte, err error) {
	path := filepath.Join(dir, scorchDir, rootBolt)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("index: open %s: %w", dir, ErrLocked)
	}
	if err != nil {
		return nil, damage(dir, "%s: %v", rootBolt, err)
	}
	defer db.Close()
	// With bbolt's lock held, nobody writes the file: check its pages
	// before bbolt walks them.
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	if err := checkBolt(raw); err != nil {
		return nil, damage(dir, "%s: %v", rootBolt, err)
	}
	var segments []string
	err = db.View(func(tx *bbolt.Tx) (err error) {
		// bbolt panics on damaged pages; tx.Check would do so in a
		// goroutine of its own, so walk every bucket here instead.
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%s: reading its pages panicked: %v", rootBolt, r)
			}
		}()
		if err := tx.ForEach(func(_ []byte, b *bbolt.Bucket) error { return walk(b) }); err != nil {
			return fmt.Errorf("%s: %w", rootBolt, err)
		}
		// Bleve's root.bolt holds its snapshots ('s') and, for vector
		// indexes, trained data ('t'); a name flipped into anything else
		// would make Bleve load an empty index without a word.
		if err := tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
			if !bytes.Equal(name, boltSnapshots) && !bytes.Equal(name, []byte{'t'}) {
				return fmt.Errorf("%s: unknown bucket %q", rootBolt, name)
			}
			return nil
		}); err != nil {
			return err
		}
		snaps := tx.Bucket(boltSnapshots)
		if snaps == nil {
			if zaps, _ := filepath.Glob(filepath.Join(dir, scorchDir, "*.zap")); len(zaps) > 0 {
				return fmt.Errorf("%s: no snapshots, yet %d segments", rootBolt, len(zaps))
			}
			return nil
		}
		k, _ := snaps.Cursor().Last()
		if k == nil {
			return nil
		}
		snap := snaps.Bucket(k)
		if snap == nil {
			return fmt.Errorf("%s: newest snapshot %x is not a bucket", rootBolt, k)
		}
		if snap.Bucket(boltMetaKey) == nil {
			return fmt.Errorf("%s: newest snapshot %x has no meta-data", rootBolt, k)
		}
		return snap.ForEachBucket(func(name []byte) error {
			b := snap.Bucket(name)
			switch {
			case bytes.Equal(name, boltInternal):
				// A flipped key name would lose its value without a word:
				// the mapping and our version are always there.
				for _, k := range [][]byte{keyVersion, []byte("_mapping")} {
					if b.Get(k) == nil {
						return fmt.Errorf("%s: no internal value %q", rootBolt, k)
					}
				}
				if v := b.Get(keyLastSeq); v != nil {
					lastSeq = bytes.Clone(v)
				}
			case bytes.Equal(name, boltMetaKey):
			default:
				p := b.Get(boltPath)
				if len(p) == 0 {
					return fmt.Errorf("%s: segment %x has no file name", rootBolt, name)
				}
				segments = append(segments, string(p))
			}
			return nil
		})
	})
	if err != nil {
		return nil, damage(dir, "%v", err)
	}
	if len(segments) > 0 && lastSeq == nil {
		// Apply writes the sequence in the batch of its documents.
		return nil, damage(dir, "%s: %d segments and no sequence number", rootBolt, len(segments))
	}
	for _, name := range segments {
		if filepath.Base(name) != name {
			return nil, damage(dir, "%s names segment %q", rootBolt, name)
		}
		if err := checkSegment(filepath.Join(dir, scorchDir, name)); err != nil {
			return nil, damage(dir, "%v", err)
		}
	}
	return lastSeq, nil
}

// walk reads every key and value of b and of the buckets inside it, so
// that bbolt visits every page in use. A damaged page can make a bucket's
// tree loop (a page pointing back at its parent): keys must come in
// strictly increasing order, no bucket root may be met twice, and at most
// maxKeys keys are read.
func walk(b *bbolt.Bucket) error {
	seen := map[uint64]bool{}
	keys := 0
	var visit func(b *bbolt.Bucket) error
	visit = func(b *bbolt.Bucket) error {
		if r := uint64(b.Root()); r != 0 {
			if seen[r] {
				return fmt.Errorf("bucket page %d is reached twice", r)
			}
			seen[r] = true
		}
		var prev []byte
		return b.ForEach(func(k, v []byte) error {
			if keys++; keys > maxKeys {
				return fmt.Errorf("more than %d keys", maxKeys)
			}
			if prev != nil && bytes.Compare(k, prev) <= 0 {
				return fmt.Errorf("key %x after %x: out of order", k, prev)
			}
			prev = k
			if v == nil {
				sub := b.Bucket(k)
				if sub == nil {
					return fmt.Errorf("key %x has neither a value nor a bucket", k)
				}
				return visit(sub)
			}
			return nil
		})
	}
	return visit(b)
}

// maxKeys bounds walk: an index's root.bolt holds a few keys per segment
// and snapshot.
const maxKeys = 1 << 20

// damage is an error wrapping ErrDamaged for the index in dir.
func damage(dir, format string, args ...any) error {
	return fmt.Errorf("index: %s: %w: %s", dir, ErrDamaged, fmt.Sprintf(format, args...))
}

// checkSegment compares a zap segment's bytes with the CRC-32 (IEEE) its
// last four bytes hold, which covers everything before them.
func checkSegment(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	const minFooter = 4 + 4 + 4 + 8 // crc, version, chunk mode, an offset
	n := st.Size() - 4
	if n < minFooter {
		return fmt.Errorf("segment %s: %d bytes, too short", filepath.Base(path), st.Size())
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, bufio.NewReaderSize(io.LimitReader(f, n), 1<<20)); err != nil {
		return fmt.Errorf("segment %s: %w", filepath.Base(path), err)
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return fmt.Errorf("segment %s: %w", filepath.Base(path), err)
	}
	if want := binary.BigEndian.Uint32(sum[:]); h.Sum32() != want {
		return fmt.Errorf("segment %s: checksum %08x, its footer says %08x", filepath.Base(path), h.Sum32(), want)
	}
	return nil
}

// recoverRead turns a panic inside Bleve during a read (what) into an
// error. If the segments the index is reading from fail their checksums,
// the error wraps ErrDamaged and the index is marked damaged: the next
// Apply or LastSeq empties it (LastSeq then returns 0) and the caller
// feeds it again from the store, and Damage reports it once. A panic with
// every segment intact is a plain error (a Bleve bug, not damage), and the
// index is kept. Call it deferred, with ix.mu held.
func (ix *Index) recoverRead(what string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	if derr := ix.checkLiveSegments(); derr != nil {
		*err = fmt.Errorf("index: %s: %w: %v (a read panicked: %v)", what, ErrDamaged, derr, r)
		ix.markDamaged(*err)
		return
	}
	*err = fmt.Errorf("index: %s: a read panicked though every segment matches its checksum: %v", what, r)
}

// markDamaged records err and has the next Apply or LastSeq rebuild the
// index empty.
func (ix *Index) markDamaged(err error) {
	ix.damage.CompareAndSwap(nil, &err)
	ix.broken.Store(true)
}

// Damage returns, once, the damage a read found in the index (an error
// wrapping ErrDamaged), or nil. The index empties itself at the next Apply
// or LastSeq; the caller (archive.CatchUp) then feeds it again from the
// store, as after a rebuild.
func (ix *Index) Damage() error {
	if p := ix.damage.Swap(nil); p != nil {
		return *p
	}
	return nil
}

// checkLiveSegments checks the checksum of every persisted segment of the
// index's current snapshot.
func (ix *Index) checkLiveSegments() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading the segment list panicked: %v", r)
		}
	}()
	adv, err := ix.b.Advanced()
	if err != nil {
		return nil
	}
	r, err := adv.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	snap, ok := r.(interface {
		Segments() []*scorch.SegmentSnapshot
	})
	if !ok {
		return nil
	}
	for _, s := range snap.Segments() {
		if p, ok := s.Segment().(interface{ Path() string }); ok && p.Path() != "" {
			if err := checkSegment(p.Path()); err != nil {
				return err
			}
		}
	}
	return nil
}
