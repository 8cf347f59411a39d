package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/aftershock/aftershock/post"
)

func TestCollections(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	a, b, c := mk("1", "S3 is down, like someone smashed the coffee machine", 0), mk("2", "still down", 0), mk("3", "back up", 0)
	write(t, s, Batch{Posts: []post.Post{a, b, c}})

	if err := s.CreateCollection(ctx, Collection{Slug: "Bad Slug"}); !errors.Is(err, ErrBadSlug) {
		t.Errorf("bad slug: %v", err)
	}
	if err := s.CreateCollection(ctx, Collection{Slug: "s3-quotes", Name: "S3 outage: user reactions"}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateCollection(ctx, Collection{Slug: "s3-quotes"}); !errors.Is(err, ErrCollectionExists) {
		t.Errorf("second create: %v", err)
	}
	r, err := s.AddItems(ctx, "s3-quotes", []string{a.ID, "twitter:999", c.ID, a.ID}, "good color quote, lede?", []string{"lede"}, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Added) != 2 || len(r.Missing) != 1 || r.Missing[0] != "twitter:999" || len(r.Already) != 1 {
		t.Errorf("add: %+v", r)
	}
	if _, err := s.AddItems(ctx, "nope", []string{a.ID}, "", nil, ""); !errors.Is(err, ErrNoCollection) {
		t.Errorf("add to a missing collection: %v", err)
	}
	if _, err := s.AddItems(ctx, "s3-quotes", []string{b.ID}, "", nil, "ben"); err != nil {
		t.Fatal(err)
	}

	// The post is edited and another deleted after they were quoted: the
	// snapshots stay, the current copies show the change.
	edited := mk("1", "S3 is down (edited)", 1)
	write(t, s, Batch{Posts: []post.Post{edited}, Deletes: []post.Ref{{ID: c.ID, Source: "twitter", NativeID: "3"}}})

	items, err := s.Items(ctx, "s3-quotes")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].PostID != a.ID || items[1].PostID != c.ID || items[2].PostID != b.ID {
		t.Fatalf("items %+v", items)
	}
	first := items[0]
	sum := sha256.Sum256(a.Raw)
	if first.Snapshot.Text != a.Text || string(first.Snapshot.Raw) != string(a.Raw) || first.ContentHash != hex.EncodeToString(sum[:]) ||
		first.Note != "good color quote, lede?" || first.Tags[0] != "lede" || first.AddedBy != "ana" || first.Position != 1 {
		t.Errorf("first item %+v", first)
	}
	if !first.HasCurrent || first.Current.Text != edited.Text || !items[1].Current.Deleted() {
		t.Errorf("current copies: %+v / %+v", first.Current, items[1].Current)
	}

	// Reorder, annotate, remove.
	if err := s.MoveItem(ctx, "s3-quotes", b.ID, 1); err != nil {
		t.Fatal(err)
	}
	note := "lede!"
	if err := s.AnnotateItem(ctx, "s3-quotes", a.ID, &note, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveItems(ctx, "s3-quotes", []string{c.ID}); err != nil {
		t.Fatal(err)
	}
	items, _ = s.Items(ctx, "s3-quotes")
	if len(items) != 2 || items[0].PostID != b.ID || items[1].PostID != a.ID || items[1].Position != 2 || items[1].Note != "lede!" ||
		items[1].Tags[0] != "lede" {
		t.Errorf("after move/note/remove: %+v", items)
	}
	for _, err := range []error{
		s.MoveItem(ctx, "s3-quotes", c.ID, 1),
		s.RemoveItems(ctx, "s3-quotes", []string{c.ID}),
		s.AnnotateItem(ctx, "s3-quotes", c.ID, &note, nil),
	} {
		if !errors.Is(err, ErrNotInCollection) {
			t.Errorf("not in the collection: %v", err)
		}
	}
	cs, err := s.Collections(ctx)
	if err != nil || len(cs) != 1 || cs[0].Items != 2 || cs[0].Name != "S3 outage: user reactions" {
		t.Errorf("list: %+v %v", cs, err)
	}

	// Restore on another machine: the snapshot and its hash travel.
	s2 := openTest(t)
	if err := s2.CreateCollection(ctx, Collection{Slug: "s3-quotes"}); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := s2.RestoreItem(ctx, "s3-quotes", it); err != nil {
			t.Fatal(err)
		}
	}
	bad := items[0]
	bad.Snapshot.Raw = []byte(`{"tampered":true}`)
	if err := s2.RestoreItem(ctx, "other", bad); err == nil {
		t.Error("a payload that does not match its hash was restored")
	}
	got, _ := s2.Items(ctx, "s3-quotes")
	if len(got) != 2 || got[1].Snapshot.Text != a.Text || got[1].ContentHash != items[1].ContentHash || got[1].Note != "lede!" {
		t.Errorf("restored %+v", got)
	}

	if err := s.DeleteCollection(ctx, "s3-quotes"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Items(ctx, "s3-quotes"); !errors.Is(err, ErrNoCollection) {
		t.Errorf("items of a deleted collection: %v", err)
	}
}
