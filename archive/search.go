package archive

import (
	"context"
	"fmt"

	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

// Result is a page of search results with the stored posts behind the hits.
type Result struct {
	*index.Results
	Posts []store.Stored // in hit order; a hit whose post is gone from the store is left out
}

// Search runs q against the index and loads the posts it found.
func (a *Archive) Search(ctx context.Context, q index.Query) (Result, error) {
	if err := a.needIndex(); err != nil {
		return Result{}, err
	}
	res, err := a.Index.Search(ctx, q)
	if err != nil {
		return Result{}, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	posts, err := a.Store.GetMany(ctx, ids)
	if err != nil {
		return Result{}, fmt.Errorf("search: load posts: %w", err)
	}
	return Result{Results: res, Posts: posts}, nil
}
