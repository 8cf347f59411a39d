package store

import (
	"context"
	"fmt"
)

// IndexSkip is a post the indexer left out of the search index: the
// version of it (Seq) that could not be indexed, and why. A later version
// of the post is indexed as usual.
type IndexSkip struct {
	ID     string
	Seq    int64
	Reason string
}

// RecordIndexSkip notes that the version seq of post id could not be
// indexed, replacing an earlier note for the post.
func (s *Store) RecordIndexSkip(ctx context.Context, id string, seq int64, reason string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO index_skips (post_id, seq, reason, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (post_id) DO UPDATE SET seq = excluded.seq, reason = excluded.reason, at = excluded.at`,
		id, seq, reason, fmtTime(s.now()))
	if err != nil {
		return fmt.Errorf("store: record index skip of %s: %w", id, diskFull(err))
	}
	return nil
}

// IndexSkips returns the posts left out of the index at their current
// version, by id.
func (s *Store) IndexSkips(ctx context.Context) (map[string]IndexSkip, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT k.post_id, k.seq, k.reason FROM index_skips k
		JOIN posts p ON p.id = k.post_id AND p.seq = k.seq`)
	if err != nil {
		return nil, fmt.Errorf("store: index skips: %w", err)
	}
	defer rows.Close()
	out := map[string]IndexSkip{}
	for rows.Next() {
		var k IndexSkip
		if err := rows.Scan(&k.ID, &k.Seq, &k.Reason); err != nil {
			return nil, fmt.Errorf("store: index skips: %w", err)
		}
		out[k.ID] = k
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: index skips: %w", err)
	}
	return out, nil
}
