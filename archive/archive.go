// Package archive keeps the two halves of a data directory in step: the
// store (archive.db, the system of record) and the search index (index/,
// derived from it). It opens both, brings the index up to the store's
// sequence number, rebuilds it, compares the two, and answers searches with
// the stored posts behind the hits.
//
// Invariants:
//   - The index only ever learns from the store, in seq order, and records
//     the last seq it has applied in the same batch as the documents; so after
//     a crash CatchUp resumes exactly where the index left off.
//   - Exactly one process owns the index. An Archive opened while another
//     process holds it works on the store alone (Index is nil) and says so.
//   - A damaged index never stops the archive from opening: the store opens,
//     IndexErr says what is wrong, and Reindex rebuilds the index.
//   - A full disk never stops the archive from being read: the store opens
//     read-only (Store.ReadOnly), and an index that cannot be opened for
//     lack of space is ErrIndexDiskFull, not damaged.
package archive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

// File and folder names inside a data directory.
const (
	StoreFile = "archive.db"
	IndexDir  = "index"
)

// Archive is an open data directory.
type Archive struct {
	Dir   string
	Store *store.Store
	// Index is nil when another process owns it or it is damaged; IndexErr
	// says which.
	Index    *index.Index
	IndexErr error
	log      *slog.Logger
	// batchBytes bounds the text of one index batch: CatchUpBytes, less
	// in tests.
	batchBytes int
}

// Open opens (creating if need be) the data directory dir. If the index is
// held by another process or cannot be opened, the archive opens with the
// store alone and IndexErr says why.
func Open(ctx context.Context, dir string, log *slog.Logger) (*Archive, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, StoreFile))
	if err != nil {
		return nil, err
	}
	a := &Archive{Dir: dir, Store: st, log: log, batchBytes: CatchUpBytes}
	ix, err := index.Open(filepath.Join(dir, IndexDir))
	switch {
	case errors.Is(err, index.ErrLocked):
		a.IndexErr = fmt.Errorf("%w: %v", ErrIndexBusy, err)
	case store.IsDiskFull(err):
		a.IndexErr = fmt.Errorf("%w: %v", ErrIndexDiskFull, err)
	case err != nil:
		a.IndexErr = fmt.Errorf("%w: %v", ErrIndexDamaged, err)
	default:
		a.Index = ix
		if v := ix.RebuiltFrom(); v != "" && log != nil {
			log.Warn("the search index was written by another version of aftershock; it is rebuilt from the archive (about three minutes per million posts on two cores; searches find less until then)",
				"index_layout", v, "now", index.MappingVersion)
		}
	}
	return a, nil
}

// Close closes the index and the store.
func (a *Archive) Close() error {
	var errs []error
	if a.Index != nil {
		errs = append(errs, a.Index.Close())
	}
	errs = append(errs, a.Store.Close())
	return errors.Join(errs...)
}

// Why the index may be missing from an open Archive.
var (
	ErrIndexBusy    = errors.New("the search index is in use by another aftershock process (is 'aftershock serve' running?)")
	ErrIndexDamaged = errors.New("the search index cannot be opened; 'aftershock reindex' rebuilds it from the archive")
	// ErrIndexDiskFull: the index could not be opened for lack of space;
	// it is not damaged, and rebuilding it would only lose it.
	ErrIndexDiskFull = errors.New("the search index cannot be opened: the disk holding it is full")
)

func (a *Archive) needIndex() error {
	if a.Index == nil {
		return a.IndexErr
	}
	return nil
}

// CatchUpBatch is how many posts one index batch takes at most.
const CatchUpBatch = 2000

// CatchUpBytes bounds the text one index batch takes (a post counts with
// at most index.MaxIndexedText): indexing costs about 190 times the text
// in memory, so a batch of long posts is split rather than taking the
// indexer to gigabytes. Ordinary posts (a few hundred bytes) fill
// CatchUpBatch first.
const CatchUpBytes = 2 << 20

// CatchUp applies every store change the index has not seen and returns how
// many posts it indexed. progress, if set, is called after each batch.
//
// A post the index cannot take (index.DocError: no creation time, a
// document that fails to build) is left out, its older version removed
// from the index, recorded in the store (Store.IndexSkips; check lists it)
// and logged, and the rest of its batch applied: one bad post never stops
// the indexer nor makes it retry for ever. An index that found itself
// damaged (index.Damage) is logged here as it starts over from sequence 0.
func (a *Archive) CatchUp(ctx context.Context, progress func(done int64, lastSeq int64)) (int64, error) {
	if err := a.needIndex(); err != nil {
		return 0, err
	}
	seq, err := a.Index.LastSeq()
	if err != nil {
		return 0, fmt.Errorf("catch up: %w", err)
	}
	if derr := a.Index.Damage(); derr != nil && a.log != nil {
		a.log.Error("the search index was damaged; it is rebuilt from the archive (searches find less until then)", "err", derr)
	}
	var done int64
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		changes, err := a.Store.Changes(ctx, seq, CatchUpBatch)
		if err != nil {
			return done, fmt.Errorf("catch up: %w", err)
		}
		if len(changes) == 0 {
			return done, nil
		}
		for len(changes) > 0 {
			n, size := 0, 0
			for n < len(changes) && (n == 0 || size+textSize(changes[n]) <= a.batchBytes) {
				size += textSize(changes[n])
				n++
			}
			if err := a.apply(ctx, changes[:n]); err != nil {
				return done, err
			}
			seq = changes[n-1].Seq
			done += int64(n)
			changes = changes[n:]
			if progress != nil {
				progress(done, seq)
			}
		}
	}
}

// textSize is what a stored post weighs in an index batch.
func textSize(s store.Stored) int {
	return min(len(s.Text), index.MaxIndexedText) + 256
}

// apply indexes changes (in seq order) in one batch, leaving out the
// posts the index cannot take.
func (a *Archive) apply(ctx context.Context, changes []store.Stored) error {
	seq := changes[len(changes)-1].Seq
	docs := make([]index.Doc, 0, len(changes))
	for _, c := range changes {
		docs = append(docs, DocOf(c))
	}
	var skipped []string
	for {
		err := a.Index.Apply(docs, skipped, seq)
		var de *index.DocError
		if !errors.As(err, &de) {
			if err != nil {
				return fmt.Errorf("catch up to seq %d: %w", seq, err)
			}
			return nil
		}
		i := slices.IndexFunc(docs, func(d index.Doc) bool { return d.Post.ID == de.ID })
		if i < 0 {
			return fmt.Errorf("catch up to seq %d: %w", seq, err)
		}
		a.skip(ctx, changes, de)
		docs = slices.Delete(docs, i, i+1)
		skipped = append(skipped, de.ID)
	}
}

// skip records and logs a post the index cannot take.
func (a *Archive) skip(ctx context.Context, changes []store.Stored, de *index.DocError) {
	var seq int64
	for _, c := range changes {
		if c.ID == de.ID {
			seq = c.Seq
		}
	}
	err := a.Store.RecordIndexSkip(ctx, de.ID, seq, de.Err.Error())
	if a.log != nil {
		a.log.Error("indexer: a post cannot be indexed; it is left out of the search index ('aftershock check' lists it)",
			"post", de.ID, "seq", seq, "err", de.Err, "record_err", err)
	}
}

// Follow tails the store while another goroutine writes to it: it catches
// up every interval until stop is closed, then once more, so that when it
// returns every post written before stop was closed is searchable. A failed
// catch-up (a full disk, say) is logged and tried again at the next tick,
// so a long-running server's index resumes by itself; the error of the
// last catch-up is returned. It returns how many posts it indexed.
func (a *Archive) Follow(ctx context.Context, stop <-chan struct{}, interval time.Duration) (int64, error) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var total int64
	failing := false
	for {
		n, err := a.CatchUp(ctx, nil)
		total += n
		switch {
		case err != nil && ctx.Err() != nil:
			return total, err
		case err != nil && !failing:
			a.log.Error("indexer: cannot catch up with the archive; retrying", "every", interval, "err", err)
			failing = true
		case err == nil && failing:
			a.log.Info("indexer: caught up again")
			failing = false
		}
		select {
		case <-stop:
			n, err := a.CatchUp(ctx, nil)
			return total + n, err
		case <-ctx.Done():
			return total, ctx.Err()
		case <-tick.C:
		}
	}
}

// DocOf is the index document for a stored post.
func DocOf(s store.Stored) index.Doc {
	return index.Doc{Post: s.Post, Deleted: s.Deleted()}
}

// Reindex throws the index away (damaged or not) and builds it again from
// the store. It refuses while another process owns the index.
func (a *Archive) Reindex(ctx context.Context, progress func(done, lastSeq int64)) (int64, error) {
	if errors.Is(a.IndexErr, ErrIndexBusy) {
		return 0, a.IndexErr
	}
	if a.Store.ReadOnly() {
		// Throwing the index away on a full disk would only lose it.
		return 0, fmt.Errorf("reindex: %w: the archive is open read-only; the index is kept until there is space", store.ErrDiskFull)
	}
	if a.Index != nil {
		if err := a.Index.Close(); err != nil {
			return 0, fmt.Errorf("reindex: close index: %w", err)
		}
		a.Index = nil
	}
	path := filepath.Join(a.Dir, IndexDir)
	if err := os.RemoveAll(path); err != nil {
		return 0, fmt.Errorf("reindex: remove %s: %w", path, err)
	}
	ix, err := index.Open(path)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	a.Index, a.IndexErr = ix, nil
	return a.CatchUp(ctx, progress)
}
