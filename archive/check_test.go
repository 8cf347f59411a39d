package archive

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

func testPosts(from, n int, text string) store.Batch {
	var b store.Batch
	t0 := time.Date(2017, 2, 28, 17, 0, 0, 0, time.UTC)
	for i := from; i < from+n; i++ {
		b.Posts = append(b.Posts, post.Post{ID: fmt.Sprintf("twitter:%d", i), Source: "twitter", NativeID: fmt.Sprint(i),
			Text: text, CreatedAt: t0.Add(time.Duration(i) * time.Second), Author: post.Author{Handle: "u"}, Raw: []byte(`{"i":1}`)})
	}
	return b
}

// TestCheckBehind: an index that lacks only the store's latest changes
// (3 new posts, 1 edited) is "behind by 4", not damaged; once a document
// the index had applied is lost, it is damaged again.
func TestCheckBehind(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Store.Write(ctx, testPosts(0, 10, "s3 is down")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	r, err := a.Check(ctx)
	if err != nil || !r.OK() || r.OnlyBehind() || r.Behind != 0 {
		t.Fatalf("caught up: %+v, %v", r, err)
	}
	if _, err := a.Store.Write(ctx, testPosts(10, 3, "s3 is down")); err != nil {
		t.Fatal(err)
	}
	edit := testPosts(4, 1, "s3 is back")
	edit.Posts[0].Revision = 1
	if _, err := a.Store.Write(ctx, edit); err != nil {
		t.Fatal(err)
	}
	r, err = a.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || !r.OnlyBehind() || r.Behind != 4 || r.NumMissing != 3 || r.NumStale != 1 || r.IndexSeq != 10 || r.StoreSeq != 14 {
		t.Errorf("behind: OK %v OnlyBehind %v %+v", r.OK(), r.OnlyBehind(), r)
	}
	// Lose a document the index had applied: damage, not lag.
	if err := a.Index.Apply(nil, []string{"twitter:2"}, r.IndexSeq); err != nil {
		t.Fatal(err)
	}
	r, err = a.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || r.OnlyBehind() || r.NumMissing != 4 {
		t.Errorf("damaged and behind: OK %v OnlyBehind %v %+v", r.OK(), r.OnlyBehind(), r)
	}
	if _, err := a.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if r, err = a.Check(ctx); err != nil || !r.OK() || r.OnlyBehind() {
		t.Errorf("after reindex: %+v, %v", r, err)
	}
}
