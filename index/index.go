package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors.
var (
	// ErrLocked means another process (or another Open in this one) has the
	// index open. Exactly one process owns an index.
	ErrLocked = errors.New("index: locked by another process")
	// ErrNotIndex means Open was given a non-empty directory that holds no
	// index.
	ErrNotIndex = errors.New("index: directory exists and is not an index")
	// ErrNoTime means a Doc has no creation time.
	ErrNoTime = errors.New("index: doc has no creation time")
)

// lockTimeout is how long Open waits for another owner to let go.
const lockTimeout = time.Second

const metaFile = "index_meta.json" // written by Bleve next to its "store" directory

// Index is a Bleve full-text index of posts. Its methods are safe for
// concurrent use.
type Index struct {
	// mu guards b: readers hold it for a call, reopen swaps b under it.
	mu   sync.RWMutex
	b    bleve.Index
	dir  string // "" in memory
	docs *docBuilder
	// failed is set when a batch could not be written (a full disk): Bleve
	// must not be given another batch after that (it panics), so the next
	// Apply reopens the index from disk first. What Bleve persisted of a
	// failed batch cannot be trusted (its last sequence can be on disk
	// without all of its documents), so the reopened index is set back to
	// good, the sequence of the last batch Bleve confirmed, and the caller
	// feeds it again from there.
	failed atomic.Bool
	good   int64 // written by Apply, read under mu's write lock
	// broken is set when a read found the index damaged (recoverRead):
	// the next Apply or LastSeq empties it and sets good to 0; damage
	// holds the error until Damage reports it.
	broken atomic.Bool
	damage atomic.Pointer[error]
	// span is the range of creation times, for time-sorted pages
	// (window.go); spanMu guards it.
	spanMu sync.Mutex
	span   span
	// rebuiltFrom is the mapping version of the index Open threw away, ""
	// when it threw none away.
	rebuiltFrom string
}

// Open opens the index in dir, creating it if dir is missing or empty. If
// another process has it open, Open fails within about a second with an
// error wrapping ErrLocked.
//
// An index written with another mapping version is rebuilt empty: the index
// is derived data, LastSeq then returns 0 and the caller re-feeds it from
// the store.
func Open(dir string) (ix *Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			ix, err = nil, damage(dir, "opening panicked: %v", r)
		}
	}()
	b, err := openOrCreate(dir)
	if err != nil {
		return nil, err
	}
	v, err := b.GetInternal(keyVersion)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	var rebuiltFrom string
	if string(v) != strconv.Itoa(mappingVersion) {
		rebuiltFrom = string(v)
		if err := b.Close(); err != nil {
			return nil, fmt.Errorf("index: open %s: %w", dir, err)
		}
		if err := removeIndex(dir); err != nil {
			return nil, fmt.Errorf("index: rebuild %s: %w", dir, err)
		}
		if b, err = openOrCreate(dir); err != nil {
			return nil, err
		}
	}
	if ix, err = newIndex(b, dir); err != nil {
		return nil, err
	}
	ix.rebuiltFrom = rebuiltFrom
	return ix, nil
}

// RebuiltFrom returns the layout (mapping version) of an index that Open
// found written by another version of the program and emptied, to be fed
// again from the store; "" when Open kept the index it found or made a new
// one.
func (ix *Index) RebuiltFrom() string { return ix.rebuiltFrom }

// OpenMem returns an empty index held in memory, for tests.
func OpenMem() (*Index, error) {
	b, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: new in memory: %w", err)
	}
	if err := b.SetInternal(keyVersion, []byte(strconv.Itoa(mappingVersion))); err != nil {
		b.Close()
		return nil, fmt.Errorf("index: new in memory: %w", err)
	}
	return newIndex(b, "")
}

func openOrCreate(dir string) (bleve.Index, error) {
	cfg := map[string]any{"bolt_timeout": lockTimeout.String()}
	_, err := os.Stat(filepath.Join(dir, metaFile))
	if errors.Is(err, os.ErrNotExist) {
		entries, derr := os.ReadDir(dir)
		if derr == nil && len(entries) > 0 {
			return nil, fmt.Errorf("index: open %s: %w", dir, ErrNotIndex)
		}
		b, err := bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, cfg)
		if err == nil {
			err = b.SetInternal(keyVersion, []byte(strconv.Itoa(mappingVersion)))
			if err != nil {
				b.Close()
			}
			return b, wrapOpenErr(dir, err)
		}
		if !errors.Is(err, bleve.ErrorIndexPathExists) {
			return nil, wrapOpenErr(dir, err)
		}
		// Another process created it meanwhile: open it.
	} else if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	want, err := verifyDir(dir)
	if err != nil {
		return nil, err
	}
	b, err := openBleve(dir, cfg)
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) || errors.As(err, new(*fs.PathError)) || isDiskFull(err) {
			return nil, wrapOpenErr(dir, err)
		}
		return nil, damage(dir, "%v", err)
	}
	got, err := b.GetInternal(keyLastSeq)
	if err != nil || !bytes.Equal(got, want) {
		b.Close()
		return nil, damage(dir, "Bleve loaded sequence %q (%v), its newest snapshot records %q: that snapshot could not be loaded", got, err, want)
	}
	return b, nil
}

// openBleve opens an existing index; a panic inside Bleve (a damaged
// segment header, say) is an error wrapping ErrDamaged.
func openBleve(dir string, cfg map[string]any) (b bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, damage(dir, "opening panicked: %v", r)
		}
	}()
	return bleve.OpenUsing(dir, cfg)
}

// isDiskFull tells a full disk by the text Bleve's errors keep.
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) ||
		strings.Contains(err.Error(), "no space left on device") || strings.Contains(err.Error(), "disk quota exceeded")
}

func wrapOpenErr(dir string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("index: open %s: %w", dir, ErrLocked)
	}
	return fmt.Errorf("index: open %s: %w", dir, err)
}

// removeIndex deletes what Bleve wrote in dir, and nothing else.
func removeIndex(dir string) error {
	if err := os.RemoveAll(filepath.Join(dir, "store")); err != nil {
		return err
	}
	return os.Remove(filepath.Join(dir, metaFile))
}

// Close flushes and closes the index, releasing its lock.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.b.Close(); err != nil {
		return fmt.Errorf("index: close: %w", err)
	}
	return nil
}

func newIndex(b bleve.Index, dir string) (*Index, error) {
	docs, err := newDocBuilder()
	if err != nil {
		b.Close()
		return nil, err
	}
	ix := &Index{b: b, dir: dir, docs: docs}
	if ix.good, err = ix.LastSeq(); err != nil {
		b.Close()
		return nil, err
	}
	if err := ix.loadSpan(); err != nil {
		b.Close()
		return nil, err
	}
	return ix, nil
}

// Apply indexes docs (replacing earlier versions with the same id), removes
// the documents with the ids in deletes, and records lastSeq, all in one
// batch: after a crash the index holds either all of it or none of it, so
// LastSeq always describes the documents present. An id both in docs and in
// deletes is removed. When Apply returns nil the batch is on disk. One
// goroutine at a time calls Apply; searches may run beside it.
func (ix *Index) Apply(docs []Doc, deletes []string, lastSeq int64) error {
	if err := ix.reopen(); err != nil {
		return err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	b := ix.b.NewBatch()
	var oldest, newest time.Time
	for i := range docs {
		f := docFields(docs[i])
		if i == 0 || f.created.Before(oldest) {
			oldest = f.created
		}
		if f.created.After(newest) {
			newest = f.created
		}
		if f.id == "" {
			return fmt.Errorf("index: apply: doc %d has no id", i)
		}
		if f.created.IsZero() {
			return &DocError{ID: f.id, Err: ErrNoTime}
		}
		if err := ix.add(b, &f); err != nil {
			return &DocError{ID: f.id, Err: err}
		}
	}
	for _, id := range deletes {
		b.Delete(id)
	}
	b.SetInternal(keyLastSeq, strconv.AppendInt(nil, lastSeq, 10))
	commitSpan := func() {}
	if len(docs) > 0 {
		commitSpan = ix.widenSpan(b, oldest, newest)
	}
	if err := ix.b.Batch(b); err != nil {
		ix.failed.Store(ix.dir != "")
		return fmt.Errorf("index: apply: %w", err)
	}
	ix.good = lastSeq
	commitSpan()
	return nil
}

// DocError is what Apply returns when one document cannot be indexed (it
// has no creation time, or building it failed or panicked); nothing of the
// batch is written. The caller can leave that document out (and delete any
// older version of it) and apply the rest, rather than retry the same
// batch for ever.
type DocError struct {
	ID  string
	Err error
}

func (e *DocError) Error() string { return fmt.Sprintf("index: apply %s: %v", e.ID, e.Err) }
func (e *DocError) Unwrap() error { return e.Err }

// add builds f's document, cut to what the index takes of a post (see
// MaxIndexedText), and adds it to b.
func (ix *Index) add(b *bleve.Batch, f *fields) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("building its document panicked: %v", r)
		}
	}()
	sig := f.signature()
	f.cut()
	doc, err := ix.docs.document(f, sig)
	if err != nil {
		return err
	}
	return b.IndexAdvanced(doc)
}

// search runs req on the current Bleve index (see reopen).
func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (res *bleve.SearchResult, err error) {
	// After a failed batch Bleve panics on searches too ("assignment to
	// entry in nil map"): reopen first, as Apply does.
	if err := ix.reopen(); err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer ix.recoverRead("search", &err)
	return ix.b.SearchInContext(ctx, req)
}

// reopen, after a failed batch, closes the index, opens it again from disk
// and sets its sequence back to the last confirmed batch's. After a read
// found the index damaged, or when the reopened index is damaged, it
// empties the index instead and sets the sequence to 0.
func (ix *Index) reopen() error {
	if !ix.failed.Load() && !ix.broken.Load() {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.broken.Load() {
		return ix.reset()
	}
	if !ix.failed.Load() {
		return nil // another goroutine did it
	}
	ix.b.Close() // its error is the failure we are recovering from
	b, err := openOrCreate(ix.dir)
	if errors.Is(err, ErrDamaged) {
		ix.markDamaged(err)
		return ix.reset()
	}
	if err != nil {
		// Searches meanwhile fail with Bleve's "index closed"; the next
		// Apply tries again.
		return fmt.Errorf("index: reopen after a failed write: %w", err)
	}
	ix.b = b
	if err := b.SetInternal(keyLastSeq, strconv.AppendInt(nil, ix.good, 10)); err != nil {
		return fmt.Errorf("index: reopen after a failed write: reset to sequence %d: %w", ix.good, err)
	}
	ix.failed.Store(false)
	return nil
}

// reset replaces a damaged index by an empty one, with ix.mu held.
func (ix *Index) reset() error {
	func() {
		defer func() { recover() }() // closing a damaged index may panic too
		ix.b.Close()
	}()
	var b bleve.Index
	var err error
	if ix.dir == "" {
		b, err = bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
		if err == nil {
			err = b.SetInternal(keyVersion, []byte(strconv.Itoa(mappingVersion)))
		}
	} else {
		if err = removeIndex(ix.dir); err == nil {
			b, err = openOrCreate(ix.dir)
		}
	}
	if err != nil {
		return fmt.Errorf("index: rebuild a damaged index: %w", err)
	}
	ix.b = b
	ix.good = 0
	ix.spanMu.Lock()
	ix.span = span{known: true, empty: true}
	ix.spanMu.Unlock()
	ix.failed.Store(false)
	ix.broken.Store(false)
	return nil
}

// LastSeq returns the store sequence number recorded by the last Apply, or 0
// for a new index.
func (ix *Index) LastSeq() (int64, error) {
	if err := ix.reopen(); err != nil {
		return 0, err
	}
	v, err := ix.internal(keyLastSeq)
	if err != nil {
		return 0, fmt.Errorf("index: last seq: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("index: last seq %q: %w", v, ErrDamaged)
	}
	return n, nil
}

// Count returns the number of documents in the index, deleted posts
// included.
func (ix *Index) Count() (n uint64, err error) {
	if err := ix.reopen(); err != nil {
		return 0, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer ix.recoverRead("count", &err)
	n, err = ix.b.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	return n, nil
}

// internal reads one of our values.
func (ix *Index) internal(key []byte) (v []byte, err error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	defer ix.recoverRead("read "+string(key), &err)
	return ix.b.GetInternal(key)
}

// Signatures calls fn with the id and signature (see Signature) of every
// document, in id order. It stops at the first error fn returns, or when
// ctx ends.
func (ix *Index) Signatures(ctx context.Context, fn func(id, sig string) error) error {
	const page = 1000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), page, 0, false)
		req.SortByCustom(search.SortOrder{&search.SortDocID{}})
		req.Fields = []string{fSig}
		req.Score = "none"
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.search(ctx, req)
		if err != nil {
			return fmt.Errorf("index: signatures: %w", err)
		}
		for _, h := range res.Hits {
			sig, _ := h.Fields[fSig].(string)
			if err := fn(h.ID, sig); err != nil {
				return err
			}
		}
		if len(res.Hits) < page {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
