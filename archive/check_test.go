package archive

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
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

// TestCatchUpSkips: a stored post the index cannot take (here: no creation
// time) used to fail every catch-up for ever; now it is left out, recorded
// with its reason, the other posts of its batch are indexed, and check
// lists it as skipped, not as a difference. Its next version is indexed.
func TestCatchUpSkips(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Store.Write(ctx, testPosts(0, 10, "s3 is down")); err != nil {
		t.Fatal(err)
	}
	// The store refuses such a post today; an archive written by an older
	// version, or a damaged row, may still hold one.
	db, err := sql.Open("sqlite", a.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE posts SET created_at = '' WHERE id = 'twitter:3'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	n, err := a.CatchUp(ctx, nil)
	if err != nil || n != 10 {
		t.Fatalf("CatchUp: %d, %v", n, err)
	}
	if c, _ := a.Index.Count(); c != 9 {
		t.Errorf("index holds %d documents, want 9", c)
	}
	if seq, _ := a.Index.LastSeq(); seq != 10 {
		t.Errorf("index sequence %d, want 10", seq)
	}
	skips, err := a.Store.IndexSkips(ctx)
	if err != nil || len(skips) != 1 || skips["twitter:3"].Seq != 4 || !strings.Contains(skips["twitter:3"].Reason, "no creation time") {
		t.Errorf("skips: %+v, %v", skips, err)
	}
	r, err := a.Check(ctx)
	if err != nil || !r.OK() || r.NumSkipped != 1 || len(r.Skipped) != 1 || !strings.HasPrefix(r.Skipped[0], "twitter:3: ") {
		t.Errorf("check: OK %v %+v, %v", r.OK(), r, err)
	}
	// A new version of it that still cannot be indexed replaces the note.
	again := testPosts(3, 1, "s3 is down")
	again.Posts[0].Revision = 1
	if _, err := a.Store.Write(ctx, again); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if skips, err = a.Store.IndexSkips(ctx); err != nil || len(skips) != 1 || skips["twitter:3"].Seq != 11 {
		t.Errorf("skips after a new version: %+v, %v", skips, err)
	}
	if r, err = a.Check(ctx); err != nil || !r.OK() || r.NumSkipped != 1 || r.IndexDocs != 9 {
		t.Errorf("check after a new version: OK %v %+v, %v", r.OK(), r, err)
	}
}

// TestCatchUpBatchBytes: long posts are indexed in batches of at most
// batchBytes of text (CatchUpBytes; 64 KiB here), not CatchUpBatch posts
// at once; a post counts with at most the text the index takes of it.
func TestCatchUpBatchBytes(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.batchBytes = 64 << 10
	if _, err := a.Store.Write(ctx, testPosts(0, 40, strings.Repeat("outage ", 10_000/7))); err != nil {
		t.Fatal(err)
	}
	var batches []int64
	n, err := a.CatchUp(ctx, func(done, _ int64) { batches = append(batches, done) })
	if err != nil || n != 40 {
		t.Fatalf("CatchUp: %d, %v", n, err)
	}
	// 9,996 bytes + 256 a post: 6 posts a batch.
	if want := []int64{6, 12, 18, 24, 30, 36, 40}; !slices.Equal(batches, want) {
		t.Errorf("posts done after each batch: %v, want %v", batches, want)
	}
	if r, err := a.Check(ctx); err != nil || !r.OK() {
		t.Errorf("check: %+v, %v", r, err)
	}
}
