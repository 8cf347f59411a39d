package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (FTS5 compiled in)
)

// fts5File is the database FTS5 builds below the build directory.
const fts5File = "fts5.db"

// fts5Schema is what a competent SQLite user would build for the archive:
// a posts table (the system of record), an external-content FTS5 table over
// its text and hashtags, and indexes for the author filter and the time
// sort. The FTS5 table stores no copy of the text, only the inverted index.
//
// The tokenizer is unicode61 with diacritics removed. Porter is left out: it
// is an English stemmer and would not be equivalent for German, and FTS5 has
// no German stemmer, so a German inflected form matches only itself.
const fts5Schema = `
CREATE TABLE posts(
	rowid INTEGER PRIMARY KEY,
	id TEXT NOT NULL UNIQUE,
	source TEXT NOT NULL,
	lang TEXT NOT NULL,
	author TEXT NOT NULL,
	created INTEGER NOT NULL, -- unix seconds
	text TEXT NOT NULL,
	hashtags TEXT NOT NULL    -- space-separated, lower-cased, without '#'
);
CREATE INDEX posts_created ON posts(created);
CREATE INDEX posts_author ON posts(author, created);
CREATE VIRTUAL TABLE fts USING fts5(text, hashtags, content='posts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
`

// FTS5 is the baseline a user would build on SQLite: one database file
// with the posts and an FTS5 full-text index over them (see fts5Schema),
// written through modernc.org/sqlite in WAL mode with synchronous=NORMAL,
// one transaction per batch of [BatchSize], and queried with plain SQL.
//
// Each post goes into posts and then into fts by explicit prepared
// statements, not by the AFTER INSERT/UPDATE/DELETE triggers the FTS5
// documentation shows for external-content tables: measured on 100,000
// posts replayed from the seed, the triggers made the build 1.5–1.7× slower
// (6.1–6.8 s against 3.9–4.2 s), for the same file size.
//
// The corpus repeats some ids (the seed holds versions of edited posts), so
// the insert is an upsert and the last version wins, as in Bleve.
type FTS5 struct{}

var _ Engine = FTS5{}

// Name returns "sqlite-fts5".
func (FTS5) Name() string { return "sqlite-fts5" }

func fts5DSN(path string, pragmas ...string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return "file:" + path + "?" + q.Encode()
}

// Build creates dir/fts5.db and inserts the corpus, each batch of
// [BatchSize] posts in one transaction, each post into posts then fts with
// prepared statements. A post is durable and searchable at the same commit,
// so StoredSecs is the whole build time (from the first insert to the last
// commit). StoreBytes is the database file after a checkpoint; IndexBytes is
// 0 because the FTS5 index lives in the same file and is counted there.
func (FTS5) Build(ctx context.Context, dir string, corpus Corpus) (BuildResult, error) {
	var r BuildResult
	path := filepath.Join(dir, fts5File)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r, fmt.Errorf("sqlite-fts5: %w", err)
	}
	db, err := sql.Open("sqlite", fts5DSN(path, "journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(30000)"))
	if err != nil {
		return r, fmt.Errorf("sqlite-fts5: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fts5Schema); err != nil {
		return r, fmt.Errorf("sqlite-fts5: create schema (is FTS5 compiled in?): %w", err)
	}
	start := time.Now()
	for lo := 0; lo < corpus.N; lo += BatchSize {
		if err := fts5Batch(ctx, db, corpus, lo, min(lo+BatchSize, corpus.N)); err != nil {
			return r, fmt.Errorf("sqlite-fts5: %w", err)
		}
	}
	r.StoredSecs = time.Since(start).Seconds()
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return r, fmt.Errorf("sqlite-fts5: checkpoint: %w", err)
	}
	if err := db.Close(); err != nil {
		return r, fmt.Errorf("sqlite-fts5: %w", err)
	}
	r.StoreBytes = dirSize(dir, func(p string) bool { return strings.HasPrefix(filepath.Base(p), fts5File) })
	return r, nil
}

// fts5Batch writes posts lo to hi-1 of corpus in one transaction. A post
// whose id is already there replaces it (the last version wins, as in
// Bleve), its old text leaving the index first.
func fts5Batch(ctx context.Context, db *sql.DB, corpus Corpus, lo, hi int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var st [5]*sql.Stmt
	for k, q := range []string{
		"INSERT INTO posts(id, source, lang, author, created, text, hashtags) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
		"INSERT INTO fts(rowid, text, hashtags) VALUES (?, ?, ?)",
		"SELECT rowid, text, hashtags FROM posts WHERE id = ?",
		"INSERT INTO fts(fts, rowid, text, hashtags) VALUES ('delete', ?, ?, ?)",
		"UPDATE posts SET source = ?, lang = ?, author = ?, created = ?, text = ?, hashtags = ? WHERE rowid = ?",
	} {
		if st[k], err = tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		defer st[k].Close()
	}
	ins, ftsIns, sel, ftsDel, upd := st[0], st[1], st[2], st[3], st[4]
	for i := lo; i < hi; i++ {
		p := corpus.Post(i)
		tags := fts5Tags(p.Hashtags)
		res, err := ins.ExecContext(ctx, p.ID, p.Source, p.Lang, p.Author.Handle, p.CreatedAt.Unix(), p.Text, tags)
		if err != nil {
			return err
		}
		var rowid int64
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			if rowid, err = res.LastInsertId(); err != nil {
				return err
			}
		} else {
			var oldText, oldTags string
			if err := sel.QueryRowContext(ctx, p.ID).Scan(&rowid, &oldText, &oldTags); err != nil {
				return err
			}
			if _, err := ftsDel.ExecContext(ctx, rowid, oldText, oldTags); err != nil {
				return err
			}
			if _, err := upd.ExecContext(ctx, p.Source, p.Lang, p.Author.Handle, p.CreatedAt.Unix(), p.Text, tags, rowid); err != nil {
				return err
			}
		}
		if _, err := ftsIns.ExecContext(ctx, rowid, p.Text, tags); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// fts5Tags is the hashtags column: lower-cased, without '#', space-separated.
func fts5Tags(hashtags []string) string {
	tags := make([]string, len(hashtags))
	for i, h := range hashtags {
		tags[i] = strings.ToLower(strings.TrimPrefix(h, "#"))
	}
	return strings.Join(tags, " ")
}

// Open opens the database Build left in dir.
func (FTS5) Open(ctx context.Context, dir string) (Searcher, error) {
	path := filepath.Join(dir, fts5File)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	db, err := sql.Open("sqlite", fts5DSN(path, "busy_timeout(30000)"))
	if err != nil {
		return nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE name IN ('posts', 'fts')").Scan(&n); err != nil || n != 2 {
		db.Close()
		if err == nil {
			err = errors.New("not an FTS5 build (tables posts and fts missing)")
		}
		return nil, fmt.Errorf("sqlite-fts5: open %s: %w", path, err)
	}
	return &fts5Searcher{db: db}, nil
}

// fts5Searcher answers queries with SQL.
type fts5Searcher struct {
	db *sql.DB
}

// cond is the FROM and WHERE of a query and the WHERE's arguments.
type cond struct {
	from, where string
	args        []any
	match       bool // the FROM joins fts
	onPosts     bool // a condition on posts besides the join
}

// cond returns q's condition: the FTS5 match (when q.FTS5 is set; posts
// alone otherwise), the author and the half-open time window.
func (s *fts5Searcher) cond(q Query) cond {
	var c cond
	var where []string
	c.from = "posts"
	if q.FTS5 != "" {
		c.from, c.match = "fts JOIN posts ON posts.rowid = fts.rowid", true
		where = append(where, "fts MATCH ?")
		c.args = append(c.args, q.FTS5)
	}
	if q.Author != "" {
		where = append(where, "posts.author = ?")
		c.args = append(c.args, q.Author)
	}
	if !q.From.IsZero() {
		where = append(where, "posts.created >= ?")
		c.args = append(c.args, q.From.Unix())
	}
	if !q.To.IsZero() {
		where = append(where, "posts.created < ?")
		c.args = append(c.args, q.To.Unix())
	}
	c.onPosts = q.Author != "" || !q.From.IsZero() || !q.To.IsZero()
	if len(where) > 0 {
		c.where = " WHERE " + strings.Join(where, " AND ")
	}
	return c
}

// newestFirst is the time order; rowid breaks ties between posts of the
// same second (it is the last key of posts_created, so the index serves it).
const newestFirst = " ORDER BY posts.created DESC, posts.rowid DESC"

func (s *fts5Searcher) ids(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite-fts5: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	return ids, nil
}

// Search runs two statements, as a search page needs: the first page of
// ids (by bm25 rank or newest first) and the count of all hits. The count
// skips the join to posts when no condition needs it.
func (s *fts5Searcher) Search(ctx context.Context, q Query) (int, []string, error) {
	c := s.cond(q)
	order := newestFirst
	if q.Sort != ByTime && c.match {
		order = " ORDER BY fts.rank"
	}
	ids, err := s.ids(ctx, "SELECT posts.id FROM "+c.from+c.where+order+" LIMIT ?", append(c.args, q.Size)...)
	if err != nil {
		return 0, nil, err
	}
	count := "SELECT COUNT(*) FROM " + c.from + c.where
	if c.match && !c.onPosts {
		count = "SELECT COUNT(*) FROM fts WHERE fts MATCH ?"
	}
	var total int
	if err := s.db.QueryRowContext(ctx, count, c.args...).Scan(&total); err != nil {
		return 0, nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	return total, ids, nil
}

// Histogram counts q's hits per bucket with one GROUP BY on the bucket
// number, then spreads the sparse answer into one count per bucket. width
// must be whole seconds.
func (s *fts5Searcher) Histogram(ctx context.Context, q Query, width time.Duration) ([]int, error) {
	if q.From.IsZero() || q.To.IsZero() || !q.From.Before(q.To) || width < time.Second || width%time.Second != 0 {
		return nil, errors.New("sqlite-fts5: histogram needs From < To and a width of whole seconds")
	}
	n := int((q.To.Sub(q.From) + width - 1) / width)
	c := s.cond(q)
	args := append([]any{q.From.Unix(), int64(width / time.Second)}, c.args...)
	rows, err := s.db.QueryContext(ctx, "SELECT (posts.created - ?) / ? AS b, COUNT(*) FROM "+c.from+c.where+" GROUP BY b", args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	defer rows.Close()
	counts := make([]int, n)
	for rows.Next() {
		var b, k int
		if err := rows.Scan(&b, &k); err != nil {
			return nil, fmt.Errorf("sqlite-fts5: %w", err)
		}
		if b < 0 || b >= n {
			return nil, fmt.Errorf("sqlite-fts5: bucket %d out of range", b)
		}
		counts[b] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite-fts5: %w", err)
	}
	return counts, nil
}

// Facets counts q's hits per source, language and author (top 10 of each,
// under the keys "source", "lang" and "author") with three GROUP BY
// queries.
func (s *fts5Searcher) Facets(ctx context.Context, q Query) (map[string]map[string]int, error) {
	c := s.cond(q)
	out := map[string]map[string]int{}
	for _, col := range []string{"source", "lang", "author"} {
		rows, err := s.db.QueryContext(ctx, "SELECT posts."+col+", COUNT(*) AS n FROM "+c.from+c.where+" GROUP BY posts."+col+" ORDER BY n DESC LIMIT 10", c.args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite-fts5: %w", err)
		}
		m := map[string]int{}
		for rows.Next() {
			var v string
			var k int
			if err := rows.Scan(&v, &k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite-fts5: %w", err)
			}
			m[v] = k
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite-fts5: %w", err)
		}
		out[col] = m
	}
	return out, nil
}

// PreparePage returns the OFFSET of the page, page × q.Size: FTS5 users
// page with LIMIT and OFFSET.
func (s *fts5Searcher) PreparePage(ctx context.Context, q Query, page int) (any, error) {
	return page * q.Size, nil
}

// Page runs q newest first with LIMIT q.Size OFFSET prepared.
func (s *fts5Searcher) Page(ctx context.Context, q Query, prepared any) ([]string, error) {
	off, ok := prepared.(int)
	if !ok {
		return nil, fmt.Errorf("sqlite-fts5: prepared page is %T, not an offset", prepared)
	}
	c := s.cond(q)
	return s.ids(ctx, "SELECT posts.id FROM "+c.from+c.where+newestFirst+" LIMIT ? OFFSET ?", append(c.args, q.Size, off)...)
}

// Close closes the database.
func (s *fts5Searcher) Close() error { return s.db.Close() }
