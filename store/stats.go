package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Stats summarises the archive.
type Stats struct {
	Posts, Deleted, Versions int64
	MaxSeq                   int64
	First, Last              time.Time // created_at range of the posts
	BySource, ByLang         []Count
	BySentiment              []Count // "" counts the posts not scored
	Runs                     []Run   // the most recent import runs, newest first
}

// Count is a value with how many posts have it.
type Count struct {
	Value string
	N     int64
}

// Stats computes the archive summary.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	var first, last sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(deleted_at), COALESCE(MAX(seq), 0), MIN(created_at), MAX(created_at) FROM posts`).
		Scan(&st.Posts, &st.Deleted, &st.MaxSeq, &first, &last)
	if err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	st.First, st.Last = parseNullTime(first), parseNullTime(last)
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM post_versions").Scan(&st.Versions); err != nil {
		return st, fmt.Errorf("store: stats: %w", err)
	}
	if st.BySource, err = s.counts(ctx, "source"); err != nil {
		return st, err
	}
	if st.ByLang, err = s.counts(ctx, "lang"); err != nil {
		return st, err
	}
	if st.BySentiment, err = s.counts(ctx, "sentiment_label"); err != nil {
		return st, err
	}
	st.Runs, err = s.Runs(ctx, 5)
	return st, err
}

func (s *Store) counts(ctx context.Context, column string) ([]Count, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+column+", COUNT(*) AS n FROM posts GROUP BY 1 ORDER BY n DESC, 1")
	if err != nil {
		return nil, fmt.Errorf("store: count by %s: %w", column, err)
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Value, &c.N); err != nil {
			return nil, fmt.Errorf("store: count by %s: %w", column, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Run is one import run: what it read and what it did.
type Run struct {
	ID                  int64
	StartedAt, Finished time.Time // Finished is zero while running, or if the run was killed
	Inputs              []string
	Read                int64 // records read, good or bad
	New, Updated        int64
	Unchanged, Deleted  int64
	Errors              int64
	FirstErrors         []string // "file:line: reason", at most MaxRunErrors
}

// MaxRunErrors is how many error messages a run keeps.
const MaxRunErrors = 20

// StartRun records the start of an import run and returns its id.
func (s *Store) StartRun(ctx context.Context, inputs []string) (int64, error) {
	js, _ := json.Marshal(inputs)
	res, err := s.db.ExecContext(ctx, "INSERT INTO import_runs (started_at, inputs) VALUES (?, ?)", fmtTime(s.now()), string(js))
	if err != nil {
		return 0, fmt.Errorf("store: start run: %w", err)
	}
	return res.LastInsertId()
}

// FinishRun records the outcome of a run.
func (s *Store) FinishRun(ctx context.Context, r Run) error {
	errs := r.FirstErrors
	if len(errs) > MaxRunErrors {
		errs = errs[:MaxRunErrors]
	}
	if errs == nil {
		errs = []string{}
	}
	js, _ := json.Marshal(errs)
	_, err := s.db.ExecContext(ctx, `UPDATE import_runs SET finished_at = ?, read = ?, new = ?, updated = ?, unchanged = ?,
		deleted = ?, errors = ?, first_errors = ? WHERE id = ?`,
		fmtTime(s.now()), r.Read, r.New, r.Updated, r.Unchanged, r.Deleted, r.Errors, string(js), r.ID)
	if err != nil {
		return fmt.Errorf("store: finish run %d: %w", r.ID, err)
	}
	return nil
}

// Runs returns the most recent import runs, newest first.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, started_at, finished_at, inputs, read, new, updated, unchanged, deleted,
		errors, first_errors FROM import_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		var started, inputs, errs string
		var finished sql.NullString
		if err := rows.Scan(&r.ID, &started, &finished, &inputs, &r.Read, &r.New, &r.Updated, &r.Unchanged, &r.Deleted,
			&r.Errors, &errs); err != nil {
			return nil, fmt.Errorf("store: runs: %w", err)
		}
		r.StartedAt, r.Finished = parseTime(started), parseNullTime(finished)
		_ = json.Unmarshal([]byte(inputs), &r.Inputs)
		_ = json.Unmarshal([]byte(errs), &r.FirstErrors)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Scan calls fn for every post in id order, without raw payloads; reindex
// and check walk the archive with it.
func (s *Store) Scan(ctx context.Context, fn func(Stored) error) error {
	after := ""
	for {
		rows, err := s.db.QueryContext(ctx, "SELECT "+postColumns+" FROM posts WHERE id > ? ORDER BY id LIMIT 5000", after)
		if err != nil {
			return fmt.Errorf("store: scan: %w", err)
		}
		var page []Stored
		for rows.Next() {
			p, err := scanPost(rows, nil)
			if err != nil {
				rows.Close()
				return fmt.Errorf("store: scan: %w", err)
			}
			page = append(page, p)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("store: scan: %w", err)
		}
		for _, p := range page {
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(page) < 5000 {
			return nil
		}
		after = page[len(page)-1].ID
	}
}
