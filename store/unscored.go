package store

import (
	"context"
	"fmt"
)

// Unscored counts the posts that carry no sentiment: total, and of those
// noLang without a language (too short or too unclear to tell); the rest are
// in a language the scorer has no model for.
func (s *Store) Unscored(ctx context.Context) (total, noLang int64, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(lang = ''), 0) FROM posts WHERE sentiment_label = ''`).
		Scan(&total, &noLang)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count unscored posts: %w", err)
	}
	return total, noLang, nil
}
