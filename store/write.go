package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aftershock/aftershock/post"
)

// Outcome says what writing one record did to the archive.
type Outcome int

// Outcomes of a write.
const (
	Unchanged Outcome = iota // already archived as it is
	New                      // a post the archive did not have
	Updated                  // newer content, a new version, counts or metadata
	Deleted                  // a deletion recorded
)

// Counts adds up outcomes.
type Counts struct {
	New, Updated, Unchanged, Deleted int
}

// Add counts one outcome.
func (c *Counts) Add(o Outcome) {
	switch o {
	case New:
		c.New++
	case Updated:
		c.Updated++
	case Deleted:
		c.Deleted++
	default:
		c.Unchanged++
	}
}

// Batch is what one transaction writes.
type Batch struct {
	Posts   []post.Post
	Deletes []post.Ref
}

// Write stores a batch in one transaction and returns what each record did,
// posts first, then deletions, in order. Posts must pass Validate.
func (s *Store) Write(ctx context.Context, b Batch) ([]Outcome, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	w, err := s.newWriter(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make([]Outcome, 0, len(b.Posts)+len(b.Deletes))
	for i := range b.Posts {
		o, err := w.upsert(&b.Posts[i])
		if err != nil {
			return nil, fmt.Errorf("store: write %s: %w", b.Posts[i].ID, err)
		}
		out = append(out, o)
	}
	for _, d := range b.Deletes {
		o, err := w.markDeleted(d)
		if err != nil {
			return nil, fmt.Errorf("store: delete %s: %w", d.ID, err)
		}
		out = append(out, o)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: commit: %w", err)
	}
	return out, nil
}

type writer struct {
	ctx context.Context
	tx  *sql.Tx
	seq int64
	now string
}

func (s *Store) newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{ctx: ctx, tx: tx, now: fmtTime(s.now())}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM posts").Scan(&w.seq); err != nil {
		return nil, fmt.Errorf("store: read sequence: %w", err)
	}
	return w, nil
}

func (w *writer) nextSeq() int64 { w.seq++; return w.seq }

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// current is what the archive holds of a post, as far as upsert compares it.
type current struct {
	text, url, authorHandle, authorName, authorID, authorURL, lang string
	replyTo, quoteOf, repostOf                                     string
	hashtags, mentions, links, media                               string
	revision                                                       int64
	editedAt                                                       sql.NullString
	metrics                                                        post.Metrics
	raw                                                            []byte
	collectedAt                                                    string
}

func (w *writer) upsert(p *post.Post) (Outcome, error) {
	if err := p.Validate(); err != nil {
		return Unchanged, err
	}
	if p.CollectedAt.IsZero() {
		p.CollectedAt = parseTime(w.now)
	}
	var c current
	err := w.tx.QueryRowContext(w.ctx, `SELECT text, url, author_handle, author_name, author_id, author_url, lang,
		reply_to, quote_of, repost_of, hashtags, mentions, links, media, revision, edited_at,
		likes, reposts, replies, quotes, raw, collected_at FROM posts WHERE id = ?`, p.ID).Scan(
		&c.text, &c.url, &c.authorHandle, &c.authorName, &c.authorID, &c.authorURL, &c.lang,
		&c.replyTo, &c.quoteOf, &c.repostOf, &c.hashtags, &c.mentions, &c.links, &c.media, &c.revision, &c.editedAt,
		&c.metrics.Likes, &c.metrics.Reposts, &c.metrics.Replies, &c.metrics.Quotes, &c.raw, &c.collectedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return w.insert(p)
	}
	if err != nil {
		return Unchanged, err
	}

	switch {
	case p.Revision < c.revision:
		// A late older version: keep it, do not let it replace the current one.
		return w.keepVersion(p.ID, p.Revision, nullTime(p.EditedAt), p.Text, p.URL, p.Raw)
	case p.Revision == c.revision && p.Text != c.text:
		// Same revision, other text: a source without revision numbers. If
		// the incoming text is a version we already replaced, it is stale.
		var n int
		if err := w.tx.QueryRowContext(w.ctx, "SELECT COUNT(*) FROM post_versions WHERE post_id = ? AND text = ?", p.ID, p.Text).Scan(&n); err != nil {
			return Unchanged, err
		}
		if n > 0 {
			return Unchanged, nil
		}
		fallthrough
	case p.Revision > c.revision:
		if _, err := w.keepVersion(p.ID, c.revision, c.editedAt, c.text, c.url, c.raw); err != nil {
			return Unchanged, err
		}
		return Updated, w.update(p, true)
	}

	// Same version: refresh counts and fill in metadata the archive lacked.
	merged := *p
	fill := func(dst *string, have string) {
		if *dst == "" {
			*dst = have
		}
	}
	fill(&merged.URL, c.url)
	fill(&merged.Author.Handle, c.authorHandle)
	fill(&merged.Author.Name, c.authorName)
	fill(&merged.Author.ID, c.authorID)
	fill(&merged.Author.URL, c.authorURL)
	fill(&merged.Lang, c.lang)
	fill(&merged.ReplyTo, c.replyTo)
	fill(&merged.QuoteOf, c.quoteOf)
	fill(&merged.RepostOf, c.repostOf)
	// A payload without entities (a CSV of the same posts) does not erase
	// the ones the archive has.
	fillList := func(dst *[]string, have string) {
		if len(*dst) == 0 && have != "[]" {
			_ = json.Unmarshal([]byte(have), dst)
		}
	}
	fillList(&merged.Hashtags, c.hashtags)
	fillList(&merged.Mentions, c.mentions)
	fillList(&merged.Links, c.links)
	fillList(&merged.Media, c.media)
	// New counts mean a fresh copy of the post: its payload replaces the
	// stored one. Without counts (a CSV of the same posts) the payload and
	// counts we have stay.
	if merged.Metrics == (post.Metrics{}) || merged.Metrics == c.metrics {
		merged.Metrics = c.metrics
		merged.Raw = c.raw
		merged.CollectedAt = parseTime(c.collectedAt)
	}
	indexed := merged.Author.Handle != c.authorHandle || merged.Lang != c.lang ||
		jsonList(merged.Hashtags) != c.hashtags || jsonList(merged.Mentions) != c.mentions || jsonList(merged.Links) != c.links
	changed := indexed || merged.Metrics != c.metrics || merged.URL != c.url || merged.Author.Name != c.authorName ||
		merged.Author.ID != c.authorID || merged.Author.URL != c.authorURL || merged.ReplyTo != c.replyTo ||
		merged.QuoteOf != c.quoteOf || merged.RepostOf != c.repostOf || jsonList(merged.Media) != c.media
	if !changed {
		return Unchanged, nil
	}
	return Updated, w.update(&merged, indexed)
}

// keepVersion stores an older version of a post unless it is already kept.
func (w *writer) keepVersion(id string, rev int64, editedAt any, text, url string, raw []byte) (Outcome, error) {
	var n int
	if err := w.tx.QueryRowContext(w.ctx, "SELECT COUNT(*) FROM post_versions WHERE post_id = ? AND revision = ? AND text = ?", id, rev, text).Scan(&n); err != nil {
		return Unchanged, err
	}
	if n > 0 {
		return Unchanged, nil
	}
	if raw == nil {
		raw = []byte{}
	}
	_, err := w.tx.ExecContext(w.ctx, `INSERT INTO post_versions (post_id, revision, edited_at, text, url, seen_at, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, rev, editedAt, text, url, w.now, raw)
	return Updated, err
}

func (w *writer) insert(p *post.Post) (Outcome, error) {
	var deletedAt sql.NullString
	err := w.tx.QueryRowContext(w.ctx, "SELECT deleted_at FROM deletions WHERE post_id = ?", p.ID).Scan(&deletedAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Unchanged, err
	}
	raw := p.Raw
	if raw == nil {
		raw = []byte{}
	}
	_, err = w.tx.ExecContext(w.ctx, `INSERT INTO posts (id, source, native_id, seq, url,
		author_id, author_handle, author_name, author_url, text, lang, created_at, collected_at, edited_at, revision,
		reply_to, quote_of, repost_of, likes, reposts, replies, quotes, hashtags, mentions, links, media,
		deleted_at, first_seen_at, updated_at, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Source, p.NativeID, w.nextSeq(), p.URL,
		p.Author.ID, p.Author.Handle, p.Author.Name, p.Author.URL, p.Text, p.Lang,
		fmtTime(p.CreatedAt), fmtTime(p.CollectedAt), nullTime(p.EditedAt), p.Revision,
		p.ReplyTo, p.QuoteOf, p.RepostOf, p.Metrics.Likes, p.Metrics.Reposts, p.Metrics.Replies, p.Metrics.Quotes,
		jsonList(p.Hashtags), jsonList(p.Mentions), jsonList(p.Links), jsonList(p.Media),
		deletedAt, w.now, w.now, raw)
	if err != nil {
		return Unchanged, err
	}
	return New, nil
}

// update replaces the current version of a post; bumpSeq when the index must
// see the change.
func (w *writer) update(p *post.Post, bumpSeq bool) error {
	raw := p.Raw
	if raw == nil {
		raw = []byte{}
	}
	seqExpr := "seq"
	args := []any{}
	if bumpSeq {
		seqExpr = "?"
		args = append(args, w.nextSeq())
	}
	args = append(args, p.URL, p.Author.ID, p.Author.Handle, p.Author.Name, p.Author.URL, p.Text, p.Lang,
		nullTime(p.EditedAt), p.Revision, p.ReplyTo, p.QuoteOf, p.RepostOf,
		p.Metrics.Likes, p.Metrics.Reposts, p.Metrics.Replies, p.Metrics.Quotes,
		jsonList(p.Hashtags), jsonList(p.Mentions), jsonList(p.Links), jsonList(p.Media),
		fmtTime(p.CollectedAt), w.now, raw, p.ID)
	_, err := w.tx.ExecContext(w.ctx, `UPDATE posts SET seq = `+seqExpr+`, url = ?, author_id = ?, author_handle = ?,
		author_name = ?, author_url = ?, text = ?, lang = ?, edited_at = ?, revision = ?,
		reply_to = ?, quote_of = ?, repost_of = ?, likes = ?, reposts = ?, replies = ?, quotes = ?,
		hashtags = ?, mentions = ?, links = ?, media = ?, collected_at = ?, updated_at = ?, raw = ?
		WHERE id = ?`, args...)
	return err
}

func (w *writer) markDeleted(d post.Ref) (Outcome, error) {
	if d.ID == "" {
		return Unchanged, post.ErrNoID
	}
	at := w.now
	if !d.At.IsZero() {
		at = fmtTime(d.At)
	}
	res, err := w.tx.ExecContext(w.ctx, `INSERT INTO deletions (post_id, deleted_at, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (post_id) DO NOTHING`, d.ID, at, w.now)
	if err != nil {
		return Unchanged, err
	}
	fresh, _ := res.RowsAffected()
	res, err = w.tx.ExecContext(w.ctx, "UPDATE posts SET deleted_at = ?, seq = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
		at, w.seq+1, w.now, d.ID)
	if err != nil {
		return Unchanged, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		w.seq++
		return Deleted, nil
	}
	if fresh > 0 {
		return Deleted, nil
	}
	return Unchanged, nil
}
