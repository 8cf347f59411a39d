package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a post is not in the archive.
var ErrNotFound = errors.New("not in the archive")

// Store is the archive. It is safe for concurrent use, and several processes
// may open the same file.
type Store struct {
	db    *conn
	path  string
	now   func() time.Time
	codec codec
}

// Option configures Open.
type Option func(*Store)

// pageSize is the page size of a new archive (an existing one keeps its
// own). A post's row (its raw payload compressed, about 1.5 KB) fills more
// than a third of a 4 KiB page, SQLite's default: such pages held two rows
// and left the rest empty, 2,860 bytes a post at a million posts.
const pageSize = 16384

// create makes an empty archive file with our page size; it must be set
// before the first write, and the driver applies its DSN pragmas in
// alphabetical order, journal_mode (a write) before page_size.
func create(path string) error {
	// Another process may be creating the same file: wait for its lock.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return fmt.Errorf("create archive %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf("PRAGMA page_size = %d; PRAGMA journal_mode = WAL", pageSize)); err != nil {
		return fmt.Errorf("create archive %s: %w", path, err)
	}
	return db.Close()
}

// WithClock sets the clock used for first-seen and update times (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open opens the archive at path, creating it and applying migrations as
// needed.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := create(path); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(30000)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	c, err := newCodec()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open archive: %w", err)
	}
	s := &Store{db: &conn{DB: db}, path: path, now: time.Now, codec: c}
	for _, o := range opts {
		o(s)
	}
	if err := s.check(ctx); err != nil {
		// A full disk makes a WAL database unreadable the usual way: read
		// it without writing anything.
		if !errors.Is(err, ErrDiskFull) && !(errors.Is(err, errIO) && noSpace(filepath.Dir(path))) {
			s.Close()
			return nil, err
		}
		if err := s.openFull(ctx, err); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := migrate(ctx, s.db.DB); err != nil {
		s.Close()
		return nil, fmt.Errorf("open archive %s: %w", path, err)
	}
	return s, nil
}

// ErrDamaged marks an archive file SQLite cannot read or whose pages fail
// its consistency check. The message says how to salvage what is left.
var ErrDamaged = errors.New("the archive file is damaged")

// damaged wraps err (or the failed check's detail) with ErrDamaged and the
// way out: restore a backup, or salvage the readable rows with sqlite3's
// .recover into a new file.
func damaged(path string, detail any) error {
	return fmt.Errorf("open archive %s: %w (%v); restore a backup ('aftershock restore'), or salvage what is readable: "+
		"sqlite3 %s .recover | sqlite3 recovered.db, then move recovered.db to %s and run 'aftershock reindex'",
		path, ErrDamaged, detail, path, path)
}

// check makes sure path is a SQLite database before anything writes to it,
// so a damaged or foreign file is reported rather than taken for an empty
// archive.
func (s *Store) check(ctx context.Context) error {
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return s.checkErr(fmt.Errorf("not a readable SQLite database: %w", err))
	}
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&res); err != nil {
		return s.checkErr(err)
	}
	if res != "ok" {
		return damaged(s.path, res)
	}
	return nil
}

// errIO marks an I/O error while opening: a full disk or a failing one,
// not a damaged file.
var errIO = errors.New("cannot read the archive file")

// checkErr classifies an error of check: a full disk, an I/O error, or a
// damaged file.
func (s *Store) checkErr(err error) error {
	switch {
	case IsDiskFull(err):
		return fmt.Errorf("open archive %s: %w", s.path, diskFull(err))
	case isIOErr(err):
		return fmt.Errorf("open archive %s: %w: %w", s.path, errIO, err)
	}
	return damaged(s.path, err)
}

// Path returns the archive's file name.
func (s *Store) Path() string { return s.path }

// Close closes the archive.
func (s *Store) Close() error {
	s.codec.close()
	return s.db.Close()
}

const timeLayout = "2006-01-02T15:04:05.000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t.UTC()
}

func parseNullTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	return parseTime(s.String)
}

// Checkpoint copies the write-ahead log into the database file and empties
// it, so the file alone holds the archive (before a copy or a size count).
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	return nil
}
