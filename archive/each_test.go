package archive

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// TestEach pages through a query's posts in many small time slices and
// pages: every post once, oldest first, none outside the query.
func TestEach(t *testing.T) {
	ctx := context.Background()
	a, err := Open(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	t0 := time.Date(2017, 2, 28, 0, 0, 0, 0, time.UTC)
	var b store.Batch
	for i := range 300 {
		text := "s3 down"
		if i%3 == 0 {
			text = "coffee"
		}
		// Bunched: several posts share an hour, some the same second.
		at := t0.Add(time.Duration(i*i%7000) * 17 * time.Second)
		b.Posts = append(b.Posts, post.Post{ID: fmt.Sprintf("twitter:%d", i), Source: "twitter", NativeID: fmt.Sprint(i), Text: text,
			CreatedAt: at, Author: post.Author{Handle: "u"}, Raw: []byte(`{"i":1}`)})
	}
	if _, err := a.Store.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CatchUp(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ per, page int }{{7, 3}, {50, 1000}, {1000, 10}} {
		seen := map[string]int{}
		var last time.Time
		var total uint64
		err := a.each(ctx, index.Query{Text: "s3"}, c.per, c.page, func(p store.Stored) error {
			seen[p.ID]++
			if p.CreatedAt.Before(last) {
				t.Errorf("per %d: %s out of order", c.per, p.ID)
			}
			last = p.CreatedAt
			if len(p.Raw) == 0 {
				t.Errorf("%s without its raw payload", p.ID)
			}
			return nil
		}, func(done, tot uint64) { total = tot })
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 200 || total != 200 {
			t.Errorf("per %d, page %d: %d posts (total %d), want 200", c.per, c.page, len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("per %d: %s %d times", c.per, id, n)
			}
		}
	}
}
