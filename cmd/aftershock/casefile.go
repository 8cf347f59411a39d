package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"strings"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/importer"
	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// isCaseFile reports whether path is an export case file: a zip file with
// a collection's manifest.
func isCaseFile(path string) bool {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer zr.Close()
	// A case file holds <slug>/manifest.json; other zip files (an X archive as
	// X sends it, a Mastodon export) are read by the importer.
	for _, f := range zr.File {
		if dir, base := pathpkg.Split(f.Name); base == "manifest.json" && strings.Count(dir, "/") == 1 {
			return true
		}
	}
	return false
}

// restoreCaseFile checks a case file's integrity and restores its
// collection. A case file proves nothing about who made it: anyone can
// change one and hash it again. So its posts are derived from their raw
// payloads, not from the text collection.jsonl quotes (an item whose quote
// differs from its payload is reported), and a post the archive already
// has is never changed by it: only missing posts are added. The items keep
// their notes, tags and hashes, with snapshots from the raw payloads.
func restoreCaseFile(ctx context.Context, e *env, a *archive.Archive, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	cf, err := export.ReadCaseFile(f, fi.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	m := cf.Manifest
	var (
		b                              store.Batch
		snaps                          = make([]post.Post, len(cf.Items))
		kept, differ, unchecked, large int
		firstDiffer                    string
	)
	for i, x := range cf.Items {
		p, ok := postFromRaw(x)
		if ok {
			if strings.Join(strings.Fields(p.Text), " ") != strings.Join(strings.Fields(x.Text), " ") {
				if differ == 0 {
					firstDiffer = x.PostID
				}
				differ++
			}
		} else {
			unchecked++
			p = x.Post()
		}
		snaps[i] = p
		if _, err := p.Limit(post.Limits{}); err != nil {
			large++ // kept as the item's snapshot, not added to the archive
			continue
		}
		switch _, err := a.Store.Get(ctx, x.PostID); {
		case err == nil:
			kept++ // the archive's copy stays as it is
			continue
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("%s: %w", path, err)
		}
		if p.Validate() == nil {
			b.Posts = append(b.Posts, p)
		}
	}
	if len(b.Posts) > 0 {
		if _, err := a.Store.Write(ctx, b); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	err = a.Store.CreateCollection(ctx, store.Collection{Slug: m.Slug, Name: m.Title, Description: m.Description})
	existed := errors.Is(err, store.ErrCollectionExists)
	if err != nil && !existed {
		return fmt.Errorf("%s: %w", path, err)
	}
	for i, x := range cf.Items {
		it := store.CollectionItem{PostID: x.PostID, Note: x.Note, Tags: x.Tags, AddedBy: x.AddedBy, AddedAt: x.AddedAt,
			Snapshot: snaps[i], ContentHash: x.ContentHash}
		if err := a.Store.RestoreItem(ctx, m.Slug, it); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	how := "restored as"
	if existed {
		how = "merged into the existing"
	}
	fmt.Fprintf(e.stdout, "%s: case file intact (%d files match the SHA-256 its manifest lists: nothing was damaged or changed since the manifest was written; this does not show who wrote it); %d items %s collection %s\n",
		path, len(m.Files)+1, len(cf.Items), how, m.Slug)
	if kept > 0 {
		fmt.Fprintf(e.stdout, "  %d posts already in the archive left as they are (a case file never changes an archived post)\n", kept)
	}
	if differ > 0 {
		fmt.Fprintf(e.stdout, "  %d items quote a text their raw payload does not hold (first: %s): the raw payload's text was restored\n", differ, firstDiffer)
	}
	if unchecked > 0 {
		fmt.Fprintf(e.stdout, "  %d items have a raw payload no importer reads alone (a CSV row, a Reddit thing): restored from collection%s, not checked against it\n", unchecked, export.JSONL.Ext())
	}
	if large > 0 {
		fmt.Fprintf(e.stdout, "  %d items' posts are over the per-post limits: kept in their items, not added to the archive\n", large)
	}
	return nil
}

// postFromRaw decodes an item's raw payload as an import would and returns
// its post with the item's id. ok is false when the payload is of no format
// the importer reads alone or holds no such post. Fields the payload does
// not carry (the author of a tweet without its includes) come from the item.
func postFromRaw(x export.Item) (p post.Post, ok bool) {
	if len(x.Raw) == 0 {
		return p, false
	}
	items, _, closeAll, err := importer.Decode(bytes.NewReader(x.Raw), importer.Options{})
	if err != nil {
		return p, false
	}
	defer closeAll()
	defer func() {
		if recover() != nil { // decoders do not panic; if one does, the item stays unchecked
			p, ok = post.Post{}, false
		}
	}()
	for it := range items {
		if it.Post != nil && it.Post.ID == x.PostID {
			p, ok = *it.Post, true
			break
		}
	}
	if !ok {
		return p, false
	}
	q := x.Post()
	if p.Author == (post.Author{}) {
		p.Author = q.Author
	}
	for _, f := range []struct{ dst, src *string }{
		{&p.Author.Handle, &q.Author.Handle}, {&p.Author.Name, &q.Author.Name}, {&p.Author.URL, &q.Author.URL}, {&p.URL, &q.URL}, {&p.Lang, &q.Lang},
	} {
		if *f.dst == "" {
			*f.dst = *f.src
		}
	}
	if p.CollectedAt.IsZero() {
		p.CollectedAt = q.CollectedAt
	}
	if p.Sentiment == (post.Sentiment{}) {
		p.Sentiment = q.Sentiment
	}
	p.Raw = []byte(x.Raw)
	return p, true
}
