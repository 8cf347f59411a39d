package archive

import (
	"context"
	"fmt"

	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

// Report is what Check found.
type Report struct {
	StorePosts, IndexDocs int64
	StoreSeq, IndexSeq    int64
	Missing               []string // in the store, not in the index
	Stale                 []string // in both, but the index holds an older state
	Extra                 []string // in the index, not in the store
	// How many of each there are; the lists above hold at most MaxListed.
	NumMissing, NumStale, NumExtra int64
	// Skipped are the posts the indexer left out at their current version
	// (see CatchUp), with the reason after a colon; NumSkipped counts them.
	// They are not differences.
	Skipped    []string
	NumSkipped int64
	// Behind is how many stored posts changed after IndexSeq: the changes
	// the index has yet to apply (CatchUp applies them).
	Behind int64
	// unexplained counts the differences that being behind does not
	// explain: posts the index should hold as stored but does not.
	unexplained int64
}

// OnlyBehind reports whether the index differs from the store only by
// changes it has not applied yet: every missing or out-of-date document
// belongs to a post changed after the index's sequence, and nothing is in
// the index that the store lacks. Catching up (any search, or serve) makes
// such an index equal again; no reindex is needed.
func (r Report) OnlyBehind() bool {
	return !r.OK() && r.IndexSeq < r.StoreSeq && r.unexplained == 0 && r.NumExtra == 0 &&
		r.IndexDocs <= r.StorePosts-r.NumSkipped
}

// MaxListed is how many ids a Report lists per kind of difference.
const MaxListed = 50

// OK reports whether the index equals the store.
func (r Report) OK() bool {
	return len(r.Missing) == 0 && len(r.Stale) == 0 && len(r.Extra) == 0 && r.StoreSeq == r.IndexSeq &&
		r.StorePosts-r.NumSkipped == r.IndexDocs
}

// Check compares every post in the store with its document in the index.
// It reads the whole index's signatures into memory (tens of bytes a post).
func (a *Archive) Check(ctx context.Context) (Report, error) {
	var r Report
	if err := a.needIndex(); err != nil {
		return r, err
	}
	var err error
	if r.IndexSeq, err = a.Index.LastSeq(); err != nil {
		return r, fmt.Errorf("check: %w", err)
	}
	if r.StoreSeq, err = a.Store.MaxSeq(ctx); err != nil {
		return r, fmt.Errorf("check: %w", err)
	}
	sigs := map[string]string{}
	if err := a.Index.Signatures(ctx, func(id, sig string) error {
		sigs[id] = sig
		return nil
	}); err != nil {
		return r, fmt.Errorf("check: %w", err)
	}
	r.IndexDocs = int64(len(sigs))
	skips, err := a.Store.IndexSkips(ctx)
	if err != nil {
		return r, fmt.Errorf("check: %w", err)
	}
	add := func(list *[]string, id string) {
		if len(*list) < MaxListed {
			*list = append(*list, id)
		}
	}
	err = a.Store.Scan(ctx, func(s store.Stored) error {
		r.StorePosts++
		later := s.Seq > r.IndexSeq
		if later {
			r.Behind++
		}
		sig, ok := sigs[s.ID]
		differs := true
		switch k, skipped := skips[s.ID]; {
		case !ok && skipped && k.Seq == s.Seq:
			r.NumSkipped++
			add(&r.Skipped, s.ID+": "+k.Reason)
			differs = false
		case !ok:
			r.NumMissing++
			add(&r.Missing, s.ID)
		case sig != index.Signature(DocOf(s)):
			r.NumStale++
			add(&r.Stale, s.ID)
		default:
			differs = false
		}
		if differs && !later {
			r.unexplained++
		}
		delete(sigs, s.ID)
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("check: %w", err)
	}
	for id := range sigs {
		r.NumExtra++
		add(&r.Extra, id)
	}
	return r, nil
}
