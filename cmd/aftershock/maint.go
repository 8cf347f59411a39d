package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func runReindex(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "reindex", args)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	term := isTerminal(e.stderr)
	n, err := a.Reindex(ctx, func(done, _ int64) {
		if term {
			fmt.Fprintf(e.stderr, "\r\033[K%s posts indexed", thousands(done))
		}
	})
	if term {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(e.stdout, "indexed %s posts in %s (%s posts/s)\n", thousands(n), el.Round(time.Millisecond),
		thousands(int64(float64(n)/max(el.Seconds(), 0.001))))
	return nil
}

// errDiffers is returned by check when the index does not equal the store.
var errDiffers = errors.New("the index differs from the archive: run 'aftershock reindex'")

// errBehind is returned by check when the index lacks only the latest
// changes, which catching up applies.
var errBehind = errors.New("the index is behind the archive")

func runCheck(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "check", args)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Check(ctx)
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "archive  %s posts, sequence %s\n", thousands(r.StorePosts), thousands(r.StoreSeq))
	fmt.Fprintf(w, "index    %s documents, sequence %s\n", thousands(r.IndexDocs), thousands(r.IndexSeq))
	for _, d := range []struct {
		what string
		n    int64
		ids  []string
	}{{"missing from the index", r.NumMissing, r.Missing}, {"out of date in the index", r.NumStale, r.Stale}, {"in the index but not the archive", r.NumExtra, r.Extra}} {
		if d.n == 0 {
			continue
		}
		fmt.Fprintf(w, "%s %s:", thousands(d.n), d.what)
		for _, id := range d.ids {
			fmt.Fprintf(w, " %s", id)
		}
		if d.n > int64(len(d.ids)) {
			fmt.Fprint(w, " …")
		}
		fmt.Fprintln(w)
	}
	if r.NumSkipped > 0 {
		fmt.Fprintf(w, "%s posts left out of the index, which cannot take them (they are searchable again once they change):\n", thousands(r.NumSkipped))
		for _, s := range r.Skipped {
			fmt.Fprintf(w, "  %s\n", s)
		}
		if r.NumSkipped > int64(len(r.Skipped)) {
			fmt.Fprintln(w, "  …")
		}
	}
	if r.OnlyBehind() {
		return fmt.Errorf("%w by %s changes (index sequence %s, archive %s): the next search or 'aftershock serve' catches it up; no reindex is needed",
			errBehind, thousands(r.Behind), thousands(r.IndexSeq), thousands(r.StoreSeq))
	}
	if !r.OK() {
		return errDiffers
	}
	fmt.Fprintln(w, "ok: the index equals the archive")
	return nil
}
