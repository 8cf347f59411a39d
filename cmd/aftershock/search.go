package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/index"
	"github.com/aftershock/aftershock/store"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", "[flags] QUERY\n\nQuery syntax: words are ANDed; OR; -word or NOT word; ( ); \"exact phrase\";\nfrom:handle source:twitter lang:de #hashtag @mention domain:example.com; word*")
	from := fs.String("from", "", "only posts at or after this time (2017-02-28T17:00Z, 2017-02-28 17:00, 2017-02-28; UTC unless a zone is given)")
	to := fs.String("to", "", "only posts before this time")
	sortBy := fs.String("sort", "relevance", "relevance, time (newest first), oldest or engagement (most likes, reposts, replies, quotes)")
	limit := fs.Int("limit", 20, "hits per page (at most 1000)")
	all := fs.Bool("all", false, "print every hit, paging through all of them")
	after := fs.String("after", "", "continue after this cursor (printed below a page)")
	sources := fs.String("source", "", "only these sources, comma-separated (twitter,mastodon,bluesky,hackernews,reddit)")
	langs := fs.String("lang", "", "only these languages, comma-separated (en,de)")
	author := fs.String("author", "", "only posts by this handle")
	tone := fs.String("sentiment", "", "only posts with these sentiment labels, comma-separated (negative,neutral,positive)")
	minScore := fs.String("min-score", "", "only posts whose sentiment score is at least this (-1 … 1)")
	maxScore := fs.String("max-score", "", "only posts whose sentiment score is at most this (-1 … 1)")
	eventSlug := fs.String("event", "", "only posts of this event: its query, window, sources and languages")
	asJSON := fs.Bool("json", false, "print JSON lines")
	idsOnly := fs.Bool("ids", false, "print only post ids, one per line")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	q := index.Query{Text: strings.Join(pos, " "), Size: *limit, After: *after, Author: *author,
		Sources: splitList(*sources), Langs: splitList(*langs)}
	q.Sentiments = splitList(*tone)
	for _, b := range []struct {
		flag, v string
		dst     **float64
	}{{"--min-score", *minScore, &q.MinScore}, {"--max-score", *maxScore, &q.MaxScore}} {
		if b.v == "" {
			continue
		}
		x, err := strconv.ParseFloat(b.v, 64)
		if err != nil || x < -1 || x > 1 {
			return fmt.Errorf("%w: %s takes a number from -1 to 1", errUsage, b.flag)
		}
		*b.dst = &x
	}
	if q.From, err = parseTime(*from); err != nil {
		return fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	if q.To, err = parseTime(*to); err != nil {
		return fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	if q.Sort, err = index.ParseSort(*sortBy); err != nil {
		return fmt.Errorf("%w: --%v", errUsage, err)
	}
	if *all && q.Size < 500 {
		q.Size = 500
	}

	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	if *eventSlug != "" {
		ev, err := a.Store.Event(ctx, *eventSlug)
		if err != nil {
			return err
		}
		q = ev.Narrow(q, time.Now())
	}
	if err := catchUp(ctx, e, a); err != nil {
		return err
	}
	search := a.Search
	if errors.Is(a.IndexErr, archive.ErrIndexBusy) {
		// The running server owns the index: ask it (DESIGN: a user never
		// sees "index locked").
		if q.MinScore != nil || q.MaxScore != nil {
			return fmt.Errorf("%w: --min-score and --max-score need the index, which 'aftershock serve' holds: use --sentiment, or the web page", errUsage)
		}
		rs, err := newRemoteSearch(e.dataDir)
		if err != nil {
			return err
		}
		search = rs.search
	}
	printed := 0
	for {
		res, err := search(ctx, q)
		if err != nil {
			return err
		}
		for i, p := range res.Posts {
			switch {
			case *idsOnly:
				fmt.Fprintln(e.stdout, p.ID)
			case *asJSON:
				if err := json.NewEncoder(e.stdout).Encode(jsonPost(p, res.Hits, i)); err != nil {
					return err
				}
			default:
				printPost(e, p)
			}
		}
		printed += len(res.Posts)
		if *all && res.Next != "" {
			q.After = res.Next
			continue
		}
		// With --ids or --json standard output stays machine-readable: the
		// footer goes to standard error.
		footer := e.stdout
		if *idsOnly || *asJSON {
			footer = e.stderr
		}
		if res.Total == 0 {
			fmt.Fprintf(footer, "no posts match (%s)\n", res.Took.Round(100*time.Microsecond))
			return nil
		}
		fmt.Fprintf(footer, "%s of %s posts (%s)\n", thousands(int64(printed)), thousands(int64(res.Total)), res.Took.Round(100*time.Microsecond))
		if res.Next != "" && !*all {
			fmt.Fprintf(footer, "next page: --after %s\n", res.Next)
		}
		return nil
	}
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// searchHit is a post as `search --json` prints it.
type searchHit struct {
	ID        string    `json:"id"`
	Source    string    `json:"source"`
	URL       string    `json:"url,omitempty"`
	Author    any       `json:"author"`
	Text      string    `json:"text"`
	Lang      string    `json:"lang,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	EditedAt  time.Time `json:"edited_at,omitzero"`
	DeletedAt time.Time `json:"deleted_at,omitzero"`
	ReplyTo   string    `json:"reply_to,omitempty"`
	QuoteOf   string    `json:"quote_of,omitempty"`
	RepostOf  string    `json:"repost_of,omitempty"`
	Metrics   any       `json:"metrics"`
	Sentiment any       `json:"sentiment,omitempty"`
	Hashtags  []string  `json:"hashtags,omitempty"`
	Links     []string  `json:"links,omitempty"`
	Score     float64   `json:"score,omitempty"`
}

func jsonPost(p store.Stored, hits []index.Hit, i int) searchHit {
	h := searchHit{ID: p.ID, Source: p.Source, URL: p.URL, Author: p.Author, Text: p.Text, Lang: p.Lang,
		CreatedAt: p.CreatedAt, EditedAt: p.EditedAt, DeletedAt: p.DeletedAt, ReplyTo: p.ReplyTo, QuoteOf: p.QuoteOf,
		RepostOf: p.RepostOf, Metrics: p.Metrics, Hashtags: p.Hashtags, Links: p.Links}
	if p.Sentiment.Label != "" {
		h.Sentiment = p.Sentiment
	}
	for _, hit := range hits {
		if hit.ID == p.ID {
			h.Score = hit.Score
		}
	}
	return h
}

func printPost(e *env, p store.Stored) {
	who := p.Author.Handle
	if who != "" {
		who = "@" + who
	} else {
		who = p.Author.Name
	}
	var flags []string
	if p.Deleted() {
		flags = append(flags, "DELETED "+p.DeletedAt.Format("2006-01-02 15:04Z"))
	}
	if !p.EditedAt.IsZero() || p.Revision > 0 {
		flags = append(flags, "edited")
	}
	if p.RepostOf != "" {
		flags = append(flags, "repost")
	}
	if p.Lang != "" {
		flags = append(flags, p.Lang)
	}
	if s := p.Sentiment; s.Label != "" {
		flags = append(flags, fmt.Sprintf("%s %+.2f", s.Label, s.Score))
	}
	fmt.Fprintf(e.stdout, "%s  %-10s %s  %s\n", p.CreatedAt.Format("2006-01-02 15:04:05Z"), p.Source, who, strings.Join(flags, " · "))
	for _, line := range wrap(p.Text, 96, 4) {
		fmt.Fprintf(e.stdout, "    %s\n", line)
	}
	link := p.URL
	if link == "" {
		link = p.ID
	}
	fmt.Fprintf(e.stdout, "    %s\n\n", link)
}

// wrap breaks text into lines of at most width runes, at most maxLines of
// them, the last ending in "…" when text is cut.
func wrap(text string, width, maxLines int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			for utf8.RuneCountInString(w) > width {
				r := []rune(w)
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				lines = append(lines, string(r[:width]))
				w = string(r[width:])
			}
			switch {
			case line == "":
				line = w
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) <= width:
				line += " " + w
			default:
				lines = append(lines, line)
				line = w
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] += " …"
	}
	return lines
}

// catchUp brings the index up to the store before a search, and says so on a
// terminal when that takes a while (a new index, or one rebuilt after a
// mapping change, catches up on the whole archive).
func catchUp(ctx context.Context, e *env, a *archive.Archive) error {
	if a.Index == nil {
		return nil
	}
	seq, err := a.Index.LastSeq()
	if err != nil {
		return err
	}
	head, err := a.Store.MaxSeq(ctx)
	if err != nil {
		return err
	}
	var progress func(done, _ int64)
	if lag := head - seq; lag > 10*archive.CatchUpBatch {
		fmt.Fprintf(e.stderr, "index: %s changes behind the archive; catching up first\n", thousands(lag))
		if isTerminal(e.stderr) {
			progress = func(done, _ int64) {
				fmt.Fprintf(e.stderr, "\r\033[K%s of %s indexed", thousands(done), thousands(lag))
			}
			defer fmt.Fprint(e.stderr, "\r\033[K")
		}
	}
	_, err = a.CatchUp(ctx, progress)
	if store.IsDiskFull(err) {
		// Read what is indexed: the rest waits for space.
		fmt.Fprintf(e.stderr, "The disk holding %s is full: the index cannot catch up with the archive; searching it as it is (%s changes behind)\n",
			a.Dir, thousands(head-seq))
		return nil
	}
	return err
}
