package main

import (
	"context"
	"fmt"
	"time"
)

func runStats(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "stats", args)
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := a.Store.Stats(ctx)
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "data directory  %s\n", a.Dir)
	fmt.Fprintf(w, "posts           %s (%s deleted, %s earlier versions kept)\n", thousands(st.Posts), thousands(st.Deleted), thousands(st.Versions))
	if st.Posts > 0 {
		fmt.Fprintf(w, "posted          %s … %s\n", st.First.Format(time.RFC3339), st.Last.Format(time.RFC3339))
	}
	for _, s := range st.BySource {
		fmt.Fprintf(w, "  %-14s %s\n", s.Value, thousands(s.N))
	}
	fmt.Fprintf(w, "languages      ")
	for i, l := range st.ByLang {
		if i == 8 {
			fmt.Fprintf(w, " …")
			break
		}
		v := l.Value
		if v == "" {
			v = "unknown"
		}
		fmt.Fprintf(w, " %s %s", v, thousands(l.N))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "sentiment      ")
	for _, s := range st.BySentiment {
		v := s.Value
		if v == "" {
			v = "not scored"
		}
		fmt.Fprintf(w, " %s %s", v, thousands(s.N))
	}
	fmt.Fprintln(w)
	unscored, noLang, err := a.Store.Unscored(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "unscored        %s posts (%s without a language, %s in a language without a model)\n",
		thousands(unscored), thousands(noLang), thousands(unscored-noLang))
	if a.Index != nil {
		seq, err := a.Index.LastSeq()
		if err != nil {
			return err
		}
		n, err := a.Index.Count()
		if err != nil {
			return err
		}
		lag := st.MaxSeq - seq
		fmt.Fprintf(w, "index           %s documents, %s changes behind the archive\n", thousands(int64(n)), thousands(lag))
	} else {
		fmt.Fprintf(w, "index           %v\n", a.IndexErr)
	}
	if len(st.Runs) > 0 {
		fmt.Fprintf(w, "recent imports\n")
		for _, r := range st.Runs {
			status := "did not finish"
			if !r.Finished.IsZero() {
				status = fmt.Sprintf("read %s: new %s, updated %s, unchanged %s, deleted %s, errors %s",
					thousands(r.Read), thousands(r.New), thousands(r.Updated), thousands(r.Unchanged), thousands(r.Deleted), thousands(r.Errors))
			}
			fmt.Fprintf(w, "  #%d %s  %d inputs  %s\n", r.ID, r.StartedAt.Format("2006-01-02 15:04Z"), len(r.Inputs), status)
		}
	}
	return nil
}
