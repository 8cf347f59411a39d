package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

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
	// Cursor, if set, is a live source's position after these posts,
	// stored in the same transaction: a crash leaves both or neither.
	Cursor *Cursor
}

// Cursor is where a live source resumes.
type Cursor struct {
	Source string // the source's name
	Value  string // the source's own format
}

// Write stores a batch in one transaction and returns what each record did,
// posts first, then deletions, in order. Posts must pass Validate. On a
// full disk the error wraps ErrDiskFull and nothing of the batch is written.
func (s *Store) Write(ctx context.Context, b Batch) ([]Outcome, error) {
	out, err := s.write(ctx, b)
	return out, diskFull(err)
}

func (s *Store) write(ctx context.Context, b Batch) ([]Outcome, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	w, err := s.newWriter(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer w.close()
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
	if c := b.Cursor; c != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (source, cursor, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`, c.Source, c.Value, w.now); err != nil {
			return nil, fmt.Errorf("store: cursor of %s: %w", c.Source, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: commit: %w", err)
	}
	return out, nil
}

type writer struct {
	ctx    context.Context
	tx     *sql.Tx
	seq    int64
	now    string
	pack   func([]byte) []byte
	unpack func([]byte) ([]byte, error)
	stmts  map[string]*sql.Stmt // prepared once per transaction
	// anyDeletions is false when no deletion notice is stored, so inserts
	// need not look one up.
	anyDeletions bool
}

func (s *Store) newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{ctx: ctx, tx: tx, now: fmtTime(s.now()), pack: s.codec.pack, unpack: s.codec.unpack, stmts: map[string]*sql.Stmt{}}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0), EXISTS (SELECT 1 FROM deletions) FROM posts").Scan(&w.seq, &w.anyDeletions); err != nil {
		return nil, fmt.Errorf("store: read sequence: %w", err)
	}
	return w, nil
}

func (w *writer) stmt(query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

func (w *writer) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

func (w *writer) queryRow(query string, args ...any) *sql.Row {
	st, err := w.stmt(query)
	if err != nil {
		// A statement that does not prepare fails the same way when run.
		return w.queryRow(query, args...)
	}
	return st.QueryRowContext(w.ctx, args...)
}

func (w *writer) exec(query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.ctx, args...)
}

func (w *writer) nextSeq() int64 { w.seq++; return w.seq }

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

func (w *writer) upsert(p *post.Post) (Outcome, error) {
	if err := p.Validate(); err != nil {
		return Unchanged, err
	}
	if p.CollectedAt.IsZero() {
		p.CollectedAt = parseTime(w.now)
	}
	row := w.queryRow("SELECT "+postColumns+", raw FROM posts WHERE id = ?", p.ID)
	cur, err := scanPost(row, w.unpack)
	if errors.Is(err, sql.ErrNoRows) {
		return w.insert(p)
	}
	if err != nil {
		return Unchanged, err
	}
	c := &cur.Post

	switch {
	case p.Revision < c.Revision:
		// A late older version: keep it, do not let it replace the current one.
		return w.keepVersion(p.ID, p.Revision, nullTime(p.EditedAt), p.Text, p.URL, p.Raw)
	case p.Revision == c.Revision && p.Text != c.Text:
		// Same revision, other text: a source without revision numbers. If
		// the incoming text is a version we already replaced, it is stale.
		var n int
		if err := w.queryRow("SELECT COUNT(*) FROM post_versions WHERE post_id = ? AND text = ?", p.ID, p.Text).Scan(&n); err != nil {
			return Unchanged, err
		}
		if n > 0 {
			return Unchanged, nil
		}
		fallthrough
	case p.Revision > c.Revision:
		if _, err := w.keepVersion(p.ID, c.Revision, nullTime(c.EditedAt), c.Text, c.URL, c.Raw); err != nil {
			return Unchanged, err
		}
		return Updated, w.update(p, true)
	}

	// The same version again. A strictly newer copy (later collection time)
	// with counts brings its counts, metadata and payload; otherwise the
	// stored copy stays and only gaps are filled, so importing the same
	// files again, in any order, changes nothing, and a thin copy (a CSV
	// row) never replaces a full payload.
	var merged post.Post
	switch {
	case p.CollectedAt.After(c.CollectedAt) && p.Metrics != (post.Metrics{}):
		merged = *p
		fillGaps(&merged, c)
	default:
		merged = *c
		fillGaps(&merged, p)
		if p.CollectedAt.Equal(c.CollectedAt) && dominates(p.Metrics, c.Metrics) {
			// Two copies collected at the same time: the one with the
			// higher counts wins, whichever is imported first.
			merged.Metrics, merged.Raw = p.Metrics, p.Raw
		}
	}
	// A scored copy brings its score (a new model's, after a change); an
	// unscored one keeps the stored score.
	merged.Sentiment = c.Sentiment
	if p.Sentiment.Model != "" {
		merged.Sentiment = p.Sentiment
	}
	indexed := merged.Author.Handle != c.Author.Handle || merged.Metrics != c.Metrics || merged.Lang != c.Lang || merged.Sentiment != c.Sentiment ||
		!slices.Equal(merged.Hashtags, c.Hashtags) || !slices.Equal(merged.Mentions, c.Mentions) || !slices.Equal(merged.Links, c.Links)
	changed := indexed || merged.URL != c.URL || merged.Author != c.Author ||
		merged.ReplyTo != c.ReplyTo || merged.QuoteOf != c.QuoteOf || merged.RepostOf != c.RepostOf ||
		!slices.Equal(merged.Media, c.Media) || !merged.CollectedAt.Equal(c.CollectedAt)
	if !changed {
		return Unchanged, nil
	}
	return Updated, w.update(&merged, indexed)
}

// fillGaps copies into dst what dst lacks and src has. A copy without its
// author (a tweet nested in another without its user) has a permalink made
// without the author's handle; when the author comes from src, src's
// permalink comes with it.
func fillGaps(dst, src *post.Post) {
	if dst.Author.Handle == "" && src.Author.Handle != "" && src.URL != "" {
		dst.URL = src.URL
	}
	for _, f := range []struct{ d, s *string }{
		{&dst.URL, &src.URL}, {&dst.Author.Handle, &src.Author.Handle}, {&dst.Author.Name, &src.Author.Name},
		{&dst.Author.ID, &src.Author.ID}, {&dst.Author.URL, &src.Author.URL}, {&dst.Lang, &src.Lang},
		{&dst.ReplyTo, &src.ReplyTo}, {&dst.QuoteOf, &src.QuoteOf}, {&dst.RepostOf, &src.RepostOf},
	} {
		if *f.d == "" {
			*f.d = *f.s
		}
	}
	for _, f := range []struct{ d, s *[]string }{
		{&dst.Hashtags, &src.Hashtags}, {&dst.Mentions, &src.Mentions}, {&dst.Links, &src.Links}, {&dst.Media, &src.Media},
	} {
		if len(*f.d) == 0 {
			*f.d = *f.s
		}
	}
}

// dominates reports whether a has no count below b's and at least one above.
func dominates(a, b post.Metrics) bool {
	return a != b && a.Likes >= b.Likes && a.Reposts >= b.Reposts && a.Replies >= b.Replies && a.Quotes >= b.Quotes
}

// keepVersion stores an older version of a post unless it is already kept.
func (w *writer) keepVersion(id string, rev int64, editedAt any, text, url string, raw []byte) (Outcome, error) {
	var n int
	if err := w.queryRow("SELECT COUNT(*) FROM post_versions WHERE post_id = ? AND revision = ? AND text = ?", id, rev, text).Scan(&n); err != nil {
		return Unchanged, err
	}
	if n > 0 {
		return Unchanged, nil
	}
	raw = w.pack(raw)
	_, err := w.exec(`INSERT INTO post_versions (post_id, revision, edited_at, text, url, seen_at, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, rev, editedAt, text, url, w.now, raw)
	return Updated, err
}

func (w *writer) insert(p *post.Post) (Outcome, error) {
	var deletedAt sql.NullString
	if w.anyDeletions {
		err := w.queryRow("SELECT deleted_at FROM deletions WHERE post_id = ?", p.ID).Scan(&deletedAt)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Unchanged, err
		}
	}
	raw := w.pack(p.Raw)
	_, err := w.exec(`INSERT INTO posts (id, source, native_id, seq, url,
		author_id, author_handle, author_name, author_url, text, lang, created_at, collected_at, edited_at, revision,
		reply_to, quote_of, repost_of, likes, reposts, replies, quotes, hashtags, mentions, links, media,
		deleted_at, first_seen_at, updated_at, sentiment_label, sentiment, sentiment_confidence, sentiment_model, raw)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.Source, p.NativeID, w.nextSeq(), p.URL,
		p.Author.ID, p.Author.Handle, p.Author.Name, p.Author.URL, p.Text, p.Lang,
		fmtTime(p.CreatedAt), fmtTime(p.CollectedAt), nullTime(p.EditedAt), p.Revision,
		p.ReplyTo, p.QuoteOf, p.RepostOf, p.Metrics.Likes, p.Metrics.Reposts, p.Metrics.Replies, p.Metrics.Quotes,
		jsonList(p.Hashtags), jsonList(p.Mentions), jsonList(p.Links), jsonList(p.Media),
		deletedAt, w.now, w.now, p.Sentiment.Label, p.Sentiment.Score, p.Sentiment.Confidence, p.Sentiment.Model, raw)
	if err != nil {
		return Unchanged, err
	}
	return New, nil
}

// update replaces the current version of a post; bumpSeq when the index must
// see the change.
func (w *writer) update(p *post.Post, bumpSeq bool) error {
	raw := w.pack(p.Raw)
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
		fmtTime(p.CollectedAt), w.now, p.Sentiment.Label, p.Sentiment.Score, p.Sentiment.Confidence, p.Sentiment.Model, raw, p.ID)
	_, err := w.exec(`UPDATE posts SET seq = `+seqExpr+`, url = ?, author_id = ?, author_handle = ?,
		author_name = ?, author_url = ?, text = ?, lang = ?, edited_at = ?, revision = ?,
		reply_to = ?, quote_of = ?, repost_of = ?, likes = ?, reposts = ?, replies = ?, quotes = ?,
		hashtags = ?, mentions = ?, links = ?, media = ?, collected_at = ?, updated_at = ?,
		sentiment_label = ?, sentiment = ?, sentiment_confidence = ?, sentiment_model = ?, raw = ?
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
	res, err := w.exec(`INSERT INTO deletions (post_id, deleted_at, seen_at) VALUES (?, ?, ?)
		ON CONFLICT (post_id) DO NOTHING`, d.ID, at, w.now)
	if err != nil {
		return Unchanged, err
	}
	fresh, _ := res.RowsAffected()
	w.anyDeletions = true
	res, err = w.exec("UPDATE posts SET deleted_at = ?, seq = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
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

// Rescored is a post's language and sentiment as a (new) model sees them.
type Rescored struct {
	ID        string
	Lang      string
	Sentiment post.Sentiment
}

// SetSentiments stores new scores in one transaction and returns how many
// posts changed. Each changed post gets a new seq, so the index follows.
func (s *Store) SetSentiments(ctx context.Context, rs []Rescored) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()
	w, err := s.newWriter(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer w.close()
	changed := 0
	for _, r := range rs {
		res, err := w.exec(`UPDATE posts SET lang = ?, sentiment_label = ?, sentiment = ?, sentiment_confidence = ?,
			sentiment_model = ?, seq = ?, updated_at = ?
			WHERE id = ? AND (lang != ? OR sentiment_label != ? OR sentiment != ? OR sentiment_confidence != ? OR sentiment_model != ?)`,
			r.Lang, r.Sentiment.Label, r.Sentiment.Score, r.Sentiment.Confidence, r.Sentiment.Model, w.seq+1, w.now,
			r.ID, r.Lang, r.Sentiment.Label, r.Sentiment.Score, r.Sentiment.Confidence, r.Sentiment.Model)
		if err != nil {
			return 0, fmt.Errorf("store: rescore %s: %w", r.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			w.seq++
			changed++
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: commit: %w", err)
	}
	return changed, nil
}
