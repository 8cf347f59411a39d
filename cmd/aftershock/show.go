package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aftershock/aftershock/store"
)

func runShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "show", "[flags] POST-ID…")
	raw := fs.Bool("raw", false, "print only the raw payload(s), byte for byte as collected")
	asJSON := fs.Bool("json", false, "print the post as JSON")
	ids, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("%w: name a post id, e.g. twitter:835971235648204800", errUsage)
	}
	st, err := store.Open(ctx, archivePath(e))
	if err != nil {
		return err
	}
	defer st.Close()
	for _, id := range ids {
		p, err := st.Get(ctx, id)
		if err != nil {
			return err
		}
		versions, err := st.Versions(ctx, id)
		if err != nil {
			return err
		}
		switch {
		case *raw:
			e.stdout.Write(p.Raw)
			fmt.Fprintln(e.stdout)
		case *asJSON:
			h := jsonPost(p, nil, 0)
			if err := json.NewEncoder(e.stdout).Encode(h); err != nil {
				return err
			}
		default:
			printPost(e, p)
			fmt.Fprintf(e.stdout, "    id %s · collected %s · first seen %s · %d bytes of raw payload\n",
				p.ID, p.CollectedAt.Format("2006-01-02 15:04Z"), p.FirstSeenAt.Format("2006-01-02 15:04Z"), len(p.Raw))
			m := p.Metrics
			fmt.Fprintf(e.stdout, "    likes %d · reposts %d · replies %d · quotes %d\n", m.Likes, m.Reposts, m.Replies, m.Quotes)
			for _, rel := range []struct{ what, id string }{{"reply to", p.ReplyTo}, {"quotes", p.QuoteOf}, {"repost of", p.RepostOf}} {
				if rel.id != "" {
					fmt.Fprintf(e.stdout, "    %s %s\n", rel.what, rel.id)
				}
			}
			for _, v := range versions {
				fmt.Fprintf(e.stdout, "    earlier version (revision %d, seen %s): %s\n", v.Revision, v.SeenAt.Format("2006-01-02 15:04Z"),
					strings.ReplaceAll(v.Text, "\n", " "))
			}
			fmt.Fprintln(e.stdout)
		}
	}
	return nil
}
