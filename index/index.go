package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
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
func Open(dir string) (*Index, error) {
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
	ix, err := newIndex(b, dir)
	if err != nil {
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
	b, err := bleve.OpenUsing(dir, cfg)
	return b, wrapOpenErr(dir, err)
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
			return fmt.Errorf("index: apply %s: %w", f.id, ErrNoTime)
		}
		doc, err := ix.docs.document(&f, f.signature())
		if err != nil {
			return fmt.Errorf("index: apply %s: %w", f.id, err)
		}
		if err := b.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("index: apply %s: %w", f.id, err)
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

// search runs req on the current Bleve index (see reopen).
func (ix *Index) search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.b.SearchInContext(ctx, req)
}

// reopen, after a failed batch, closes the index, opens it again from disk
// and sets its sequence back to the last confirmed batch's.
func (ix *Index) reopen() error {
	if !ix.failed.Load() {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.failed.Load() {
		return nil // another goroutine did it
	}
	ix.b.Close() // its error is the failure we are recovering from
	b, err := openOrCreate(ix.dir)
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

// LastSeq returns the store sequence number recorded by the last Apply, or 0
// for a new index.
func (ix *Index) LastSeq() (int64, error) {
	if err := ix.reopen(); err != nil {
		return 0, err
	}
	ix.mu.RLock()
	v, err := ix.b.GetInternal(keyLastSeq)
	ix.mu.RUnlock()
	if err != nil {
		return 0, fmt.Errorf("index: last seq: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("index: last seq %q: %w", v, err)
	}
	return n, nil
}

// Count returns the number of documents in the index, deleted posts
// included.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	n, err := ix.b.DocCount()
	ix.mu.RUnlock()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	return n, nil
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
