package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/export"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "SLUG --format F [--tz ZONE] [-o FILE]\n       aftershock export --event SLUG [--query Q] --format F [--tz ZONE] [-o FILE]")
	formatName := fs.String("format", "md", "csv, xlsx, md, txt, html, json, jsonl, or zip (a case file: every format, the raw payloads, a manifest of SHA-256 hashes)")
	tz := fs.String("tz", "", "time zone for display, an IANA name such as Europe/Berlin (default: the event's zone, else UTC)")
	outPath := fs.String("o", "", "write to FILE (complete or not at all: a temporary file is renamed when done); default standard output")
	evSlug := fs.String("event", "", "export every post of this event instead of a collection")
	query := fs.String("query", "", "with --event: only the event's posts that also match this query")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	zipped := *formatName == "zip"
	var format export.Format
	if !zipped {
		if format, err = export.ParseFormat(*formatName); err != nil {
			return fmt.Errorf("%w: --format: %v (or zip)", errUsage, err)
		}
	}
	switch {
	case *evSlug == "" && len(pos) != 1:
		return fmt.Errorf("%w: export takes one collection SLUG, or --event SLUG", errUsage)
	case *evSlug != "" && len(pos) != 0:
		return fmt.Errorf("%w: export --event SLUG takes no collection", errUsage)
	case *evSlug != "" && zipped:
		return fmt.Errorf("%w: a zip case file is made of a collection; export an event as csv, xlsx, json, jsonl, …", errUsage)
	case *query != "" && *evSlug == "":
		return fmt.Errorf("%w: --query goes with --event", errUsage)
	}
	var loc *time.Location
	if *tz != "" {
		if loc, err = time.LoadLocation(*tz); err != nil || *tz == "Local" {
			return fmt.Errorf("%w: --tz %q is not a time zone: use an IANA name such as UTC, Europe/Berlin, America/Los_Angeles, Asia/Tokyo", errUsage, *tz)
		}
	}
	if *outPath == "" && (zipped || format == export.XLSX) && isTerminal(e.stdout) {
		return fmt.Errorf("%w: a %s file is binary: write it with -o FILE or redirect standard output", errUsage, *formatName)
	}

	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	var produce func(w io.Writer) error
	if *evSlug != "" {
		ev, err := a.Store.Event(ctx, *evSlug)
		if err != nil {
			return err
		}
		if loc == nil {
			if loc, err = ev.Location(); err != nil {
				return err
			}
		}
		if err := catchUp(ctx, e, a); err != nil {
			return err
		}
		if a.Index == nil {
			return a.IndexErr
		}
		produce = func(w io.Writer) error { return exportEvent(ctx, e, a, ev, *query, format, loc, w) }
	} else {
		c, err := a.Store.Collection(ctx, pos[0])
		if err != nil {
			return err
		}
		items, err := a.Store.Items(ctx, c.Slug)
		if err != nil {
			return err
		}
		meta := export.Meta{Title: c.Name, Slug: c.Slug, Description: c.Description, Location: loc,
			GeneratedAt: time.Now().UTC(), Generator: generator()}
		if c.Event != "" {
			if ev, err := a.Store.Event(ctx, c.Event); err == nil {
				meta.Event = ev.Name
				if loc == nil {
					meta.Location, _ = ev.Location()
				}
			}
		}
		if meta.Location == nil {
			meta.Location = time.UTC
		}
		xs, err := export.FromItems(ctx, a.Store, items)
		if err != nil {
			return err
		}
		meta.Method = methodNote(xs, fmt.Sprintf("the quote collection %q", c.Name), a.Dir)
		produce = func(w io.Writer) error {
			if zipped {
				return export.WriteCaseFile(w, meta, xs)
			}
			return writeItems(format, w, meta, xs)
		}
	}
	if *outPath == "" {
		return produce(e.stdout)
	}
	return writeFileAtomic(*outPath, produce)
}

func writeItems(f export.Format, w io.Writer, meta export.Meta, xs []export.Item) error {
	fw, err := export.NewWriter(f, w, meta)
	if err != nil {
		return err
	}
	for _, x := range xs {
		if err := fw.Write(x); err != nil {
			return err
		}
	}
	return fw.Close()
}

// exportEvent streams every post of an event, oldest first, page by page:
// memory does not grow with the number of posts.
func exportEvent(ctx context.Context, e *env, a *archive.Archive, ev event.Event, extra string, f export.Format, loc *time.Location, w io.Writer) error {
	q := ev.Narrow(index.Query{Text: extra}, time.Now())
	count := q
	count.Size, count.Facets = -1, true
	res, err := a.Index.Search(ctx, count)
	if err != nil {
		return err
	}
	total := res.Total
	var sources []string
	for _, fc := range res.Facets["source"] {
		sources = append(sources, fmt.Sprintf("%s %s", fc.Value, thousands(int64(fc.Count))))
	}
	what := fmt.Sprintf("every post of the event %q", ev.Name)
	if ev.Query != "" {
		what += fmt.Sprintf(" (query %s", ev.Query)
		if extra != "" {
			what += " and " + extra
		}
		what += ")"
	}
	from, to := ev.Window(time.Now())
	meta := export.Meta{Title: ev.Name, Slug: ev.Slug, Description: ev.Description, Event: ev.Name, Location: loc,
		GeneratedAt: time.Now().UTC(), Generator: generator(),
		Method: fmt.Sprintf("This file holds %s posted from %s to %s: %s posts (%s), as the Aftershock archive in %s held them when the file was made. "+
			"Counts (likes, reposts, replies, quotes) are as of each post's collection time. Sentiment was scored by Aftershock's own models at import.",
			what, from.Format(time.RFC3339), to.Format(time.RFC3339), thousands(int64(total)), strings.Join(sources, ", "), a.Dir)}
	fw, err := export.NewWriter(f, w, meta)
	if err != nil {
		return err
	}
	// Posts are written page by page; the permalinks of the posts they
	// answer or quote are looked up per page too.
	var (
		n     int
		batch []store.Stored
	)
	flush := func() error {
		ps := make([]post.Post, len(batch))
		for i, p := range batch {
			ps[i] = p.Post
		}
		urls, err := a.Store.Permalinks(ctx, export.Related(ps))
		if err != nil {
			return err
		}
		for _, p := range batch {
			n++
			if err := fw.Write(export.FromStored(p, n, urls)); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	var progress func(done, total uint64)
	if isTerminal(e.stderr) {
		progress = func(done, total uint64) {
			fmt.Fprintf(e.stderr, "\rexported %s of %s posts", thousands(int64(done)), thousands(int64(total)))
		}
	}
	err = a.Each(ctx, q, func(p store.Stored) error {
		batch = append(batch, p)
		if len(batch) == archive.EachPageSize {
			return flush()
		}
		return nil
	}, progress)
	if err == nil {
		err = flush()
	}
	if progress != nil {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	return fw.Close()
}

// writeFileAtomic writes path through produce into a temporary file beside
// it and renames it into place only when produce succeeded, so an export
// interrupted half-way never leaves a half-written file under the final name.
func writeFileAtomic(path string, produce func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".partial-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = produce(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// methodNote says where the items came from, when they were collected and
// which models scored their sentiment.
func methodNote(xs []export.Item, what, dataDir string) string {
	if len(xs) == 0 {
		return fmt.Sprintf("This file holds %s, which is empty.", what)
	}
	bySource := map[string]int{}
	models := map[string]bool{}
	first, last := xs[0].CollectedAt, xs[0].CollectedAt
	edited, deleted := 0, 0
	for _, x := range xs {
		bySource[x.Source]++
		if x.SentimentModel != "" {
			models[x.SentimentModel] = true
		}
		if x.CollectedAt.Before(first) {
			first = x.CollectedAt
		}
		if x.CollectedAt.After(last) {
			last = x.CollectedAt
		}
		switch x.Status {
		case export.Edited:
			edited++
		case export.Deleted:
			deleted++
		}
	}
	var srcs []string
	for s, n := range bySource {
		srcs = append(srcs, fmt.Sprintf("%s %d", s, n))
	}
	slices.SortFunc(srcs, func(a, b string) int { return cmp.Compare(a, b) })
	var ms []string
	for m := range models {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	note := fmt.Sprintf("This file holds %s: %d posts (%s), collected between %s and %s and kept verbatim in the Aftershock archive in %s. "+
		"Each quote is the post's text as it was when it was added to the collection; counts are as of its collection time. "+
		"The content hash of each item is the SHA-256 of the post's payload as collected, so the original can be checked.",
		what, len(xs), strings.Join(srcs, ", "), first.Format(time.RFC3339), last.Format(time.RFC3339), dataDir)
	if edited+deleted > 0 {
		note += fmt.Sprintf("\n\nSince they were quoted, %d posts were edited and %d deleted by their authors, as far as the archive knows (see each item's status).", edited, deleted)
	}
	if len(ms) > 0 {
		note += "\n\nSentiment labels were computed by Aftershock's model(s) " + strings.Join(ms, ", ") + "; they are a machine's estimate, not a reading."
	}
	return note
}

// generator names this program and its version for export headers.
func generator() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return "Aftershock " + bi.Main.Version
	}
	return "Aftershock"
}
