package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

func runShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "show", "[flags] POST-ID…")
	raw := fs.Bool("raw", false, "print only the raw payload(s), byte for byte as collected")
	asJSON := fs.Bool("json", false, "print the post as JSON: every field the archive holds, with its earlier versions")
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
			if err := json.NewEncoder(e.stdout).Encode(newShownPost(p, versions)); err != nil {
				return fmt.Errorf("show %s: %w", id, err)
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
			for _, list := range []struct {
				what, prefix string
				items        []string
			}{{"hashtags", "#", p.Hashtags}, {"mentions", "@", p.Mentions}, {"links", "", p.Links}, {"media", "", p.Media}} {
				if len(list.items) > 0 {
					fmt.Fprintf(e.stdout, "    %s: %s%s\n", list.what, list.prefix, strings.Join(list.items, " "+list.prefix))
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

// shownPost is a post as `show --json` prints it: every field of the
// archived post under post.Post's own names, and what the archive knows
// beside it. The fields declared here take the place of post.Post's fields
// of the same JSON name (encoding/json prefers the shallower field): the
// counts and lists are always present, zeros and empty lists included, and
// the sentiment is left out when the post was not scored.
type shownPost struct {
	post.Post
	Metrics   shownMetrics    `json:"metrics"`
	Sentiment *post.Sentiment `json:"sentiment,omitempty"`
	Hashtags  []string        `json:"hashtags"`
	Mentions  []string        `json:"mentions"`
	Links     []string        `json:"links"`
	Media     []string        `json:"media"`
	Revision  int64           `json:"revision"`

	Edited      bool           `json:"edited"` // an edit time or a revision above 0
	Deleted     bool           `json:"deleted"`
	DeletedAt   time.Time      `json:"deleted_at,omitzero"`
	FirstSeenAt time.Time      `json:"first_seen_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	RawBytes    int            `json:"raw_bytes"`
	Versions    []shownVersion `json:"versions"` // earlier versions, oldest revision first
}

// shownMetrics are a post's engagement counts, zeros written out.
type shownMetrics struct {
	Likes   int64 `json:"likes"`
	Reposts int64 `json:"reposts"`
	Replies int64 `json:"replies"`
	Quotes  int64 `json:"quotes"`
}

// shownVersion is an earlier version of a post.
type shownVersion struct {
	Revision int64     `json:"revision"`
	EditedAt time.Time `json:"edited_at,omitzero"`
	SeenAt   time.Time `json:"seen_at"`
	Text     string    `json:"text"`
	URL      string    `json:"url,omitempty"`
	RawBytes int       `json:"raw_bytes"`
}

// newShownPost gathers what `show --json` prints of p and its earlier
// versions.
func newShownPost(p store.Stored, versions []store.Version) shownPost {
	m := p.Metrics
	s := shownPost{
		Post:        p.Post,
		Metrics:     shownMetrics{Likes: m.Likes, Reposts: m.Reposts, Replies: m.Replies, Quotes: m.Quotes},
		Hashtags:    nonNil(p.Hashtags),
		Mentions:    nonNil(p.Mentions),
		Links:       nonNil(p.Links),
		Media:       nonNil(p.Media),
		Revision:    p.Revision,
		Edited:      !p.EditedAt.IsZero() || p.Revision > 0,
		Deleted:     p.Deleted(),
		DeletedAt:   p.DeletedAt,
		FirstSeenAt: p.FirstSeenAt,
		UpdatedAt:   p.UpdatedAt,
		RawBytes:    len(p.Raw),
		Versions:    make([]shownVersion, len(versions)),
	}
	if p.Sentiment.Label != "" {
		sent := p.Sentiment
		s.Sentiment = &sent
	}
	for i, v := range versions {
		s.Versions[i] = shownVersion{Revision: v.Revision, EditedAt: v.EditedAt, SeenAt: v.SeenAt, Text: v.Text, URL: v.URL, RawBytes: len(v.Raw)}
	}
	return s
}

// nonNil returns s, or an empty list for nil, so JSON writes [] and not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
