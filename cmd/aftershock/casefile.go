package main

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	pathpkg "path"
	"strings"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/export"
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

// restoreCaseFile verifies a case file and restores its collection: the
// quoted posts go into the archive (an existing post is merged as any
// import merges it) and the items keep their snapshots, notes and hashes.
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
	var b store.Batch
	for _, x := range cf.Items {
		b.Posts = append(b.Posts, x.Post())
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
	for _, x := range cf.Items {
		snap := x.Post()
		if x.Status == export.Edited {
			// The item's text is the quoted one; the post's current text
			// arrived above only if the archive had no copy.
			snap.Text = x.Text
		}
		it := store.CollectionItem{PostID: x.PostID, Note: x.Note, Tags: x.Tags, AddedBy: x.AddedBy, AddedAt: x.AddedAt,
			Snapshot: snap, ContentHash: x.ContentHash}
		if err := a.Store.RestoreItem(ctx, m.Slug, it); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	how := "restored as"
	if existed {
		how = "merged into the existing"
	}
	fmt.Fprintf(e.stdout, "%s: case file verified (%d files, every SHA-256 matches); %d items %s collection %s\n",
		path, len(m.Files)+1, len(cf.Items), how, m.Slug)
	return nil
}
