package store

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the archive to path (which must not
// exist) while other connections go on reading and writing: SQLite's
// VACUUM INTO copies one read transaction's view. The search index is not
// part of it: it is rebuilt from the copy.
func (s *Store) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists", path)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// Verify runs SQLite's full integrity check.
func (s *Store) Verify(ctx context.Context) error {
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&res); err != nil {
		return fmt.Errorf("verify %s: %w", s.path, err)
	}
	if res != "ok" {
		return fmt.Errorf("verify %s: damaged: %s", s.path, res)
	}
	return nil
}
