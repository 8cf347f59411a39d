package importer

import (
	"context"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// TestRealWorldFiles imports each file of ../shared/data/realworld as a user
// would, and checks what its summary says against what the file holds (the
// counts of the data README, and of the decoders' own tests).
func TestRealWorldFiles(t *testing.T) {
	for _, c := range []struct {
		files                  []string
		posts, deletes, errors int64 // distinct posts
		short                  bool  // the file announces more posts than it holds
		formats                []Format
	}{
		// 100 results; retweets and quotes bring their originals (155
		// tweets, 129 distinct).
		{files: []string{"twitter-ruby_premium_search_next.json"}, posts: 129, formats: []Format{TwitterV1}},
		{files: []string{"twitter-ruby_premium_search_point_radius.json"}, posts: 113, formats: []Format{TwitterV1}},
		// 474 tweets of data and 197 of includes.tweets, 650 distinct.
		{files: []string{"twarc-csv_entities_test.jsonl"}, posts: 650, formats: []Format{Twarc2}},
		{files: []string{"twarc-csv_flat.jsonl"}, posts: 164, formats: []Format{Twarc2}},
		{files: []string{"twarc-csv_noflat.jsonl"}, posts: 164, formats: []Format{Twarc2}},
		{files: []string{"praw_r_all_comments.json"}, posts: 100, formats: []Format{RedditJSON}},
		// The thread announces 1,412 comments; the file holds 485 and 177
		// "more" stubs.
		{files: []string{"praw_comments_n49rw.json"}, posts: 486, deletes: 10, short: true, formats: []Format{RedditJSON}},
		{files: []string{"praw_morechildren_n49rw.jsonl"}, posts: 940, deletes: 15, formats: []Format{RedditJSON}},
		// Together: the thread's post and its 1,425 distinct comments.
		{files: []string{"praw_comments_n49rw.json", "praw_morechildren_n49rw.jsonl"}, posts: 1 + 1425, deletes: 25, short: true, formats: []Format{RedditJSON}},
	} {
		t.Run(strings.Join(c.files, "+"), func(t *testing.T) {
			var inputs []string
			for _, f := range c.files {
				inputs = append(inputs, testdata.Path(t, "realworld", f))
			}
			sum, err := Import(context.Background(), openStore(t), inputs, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Files) != len(c.files) {
				t.Fatalf("%d file summaries", len(sum.Files))
			}
			f := sum.Files[0]
			f.Counts, f.Errors = sum.Counts, sum.Errors
			// Into an empty archive: new counts distinct posts.
			if int64(f.Counts.New) != c.posts || int64(f.Counts.Deleted) != c.deletes || f.Errors != c.errors || f.Short() != c.short {
				t.Errorf("new %d, deleted %d, errors %d %q, short %v (announced %d); want %d, %d, %d, %v",
					f.Counts.New, f.Counts.Deleted, f.Errors, f.Errs, f.Short(), f.Expected, c.posts, c.deletes, c.errors, c.short)
			}
			if len(f.Formats) != len(c.formats) || f.Formats[0] != c.formats[0] {
				t.Errorf("formats %v, want %v", f.Formats, c.formats)
			}
		})
	}
}

// twarc2's flattened lines and its raw pages of the same collection give the
// same archive: the same posts with the same text, author and relations.
func TestFlatAndPagesSameArchive(t *testing.T) {
	ctx := context.Background()
	read := func(name string) map[string]store.Stored {
		s := openStore(t)
		if _, err := Import(ctx, s, []string{testdata.Path(t, "realworld", name)}, Options{}); err != nil {
			t.Fatal(err)
		}
		out := map[string]store.Stored{}
		if err := s.Scan(ctx, func(p store.Stored) error { out[p.ID] = p; return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	flat, pages := read("twarc-csv_flat.jsonl"), read("twarc-csv_noflat.jsonl")
	if len(flat) != 164 || len(pages) != 164 {
		t.Fatalf("flat %d posts, pages %d; want 164 each", len(flat), len(pages))
	}
	for id, p := range pages {
		f, ok := flat[id]
		switch {
		case !ok:
			t.Errorf("%s only in the pages", id)
		case f.Text != p.Text || f.Author.Handle != p.Author.Handle || f.CreatedAt != p.CreatedAt ||
			f.ReplyTo != p.ReplyTo || f.QuoteOf != p.QuoteOf || f.RepostOf != p.RepostOf || f.URL != p.URL:
			t.Errorf("%s differs:\nflat  %q @%s %v %s %s %s %s\npages %q @%s %v %s %s %s %s", id,
				f.Text, f.Author.Handle, f.CreatedAt, f.ReplyTo, f.QuoteOf, f.RepostOf, f.URL,
				p.Text, p.Author.Handle, p.CreatedAt, p.ReplyTo, p.QuoteOf, p.RepostOf, p.URL)
		}
	}
}
