package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
)

// ReadOnly reports whether the archive was opened read-only because the
// disk holding it is full: reads work, every write fails with an error
// wrapping ErrDiskFull.
func (s *Store) ReadOnly() bool { return s.db.readOnly }

// conn is the archive's database handle. Opened read-only, it refuses
// every write before SQLite sees it, with an error wrapping ErrDiskFull,
// so callers treat it as the full disk it is (the web app answers 507).
type conn struct {
	*sql.DB
	readOnly bool
}

// errReadOnly is what a write to a read-only archive returns.
var errReadOnly = fmt.Errorf("%w: the archive is open read-only until there is space again (restart to write)", ErrDiskFull)

// ExecContext runs a statement that writes, unless the archive is read-only.
func (c *conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if c.readOnly {
		return nil, errReadOnly
	}
	return c.DB.ExecContext(ctx, query, args...)
}

// BeginTx begins a write transaction, unless the archive is read-only.
func (c *conn) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	if c.readOnly {
		return nil, errReadOnly
	}
	return c.DB.BeginTx(ctx, opts)
}

const sqliteIOErr = 10 // SQLITE_IOERR

// isIOErr reports whether err is one of SQLite's I/O errors (a full disk
// shows as one when SQLite cannot size the -shm file it needs to read a
// WAL database: SQLITE_IOERR_SHMSIZE).
func isIOErr(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteIOErr
}

// openReadOnly opens the archive at path for reading without anything SQLite
// would have to write first: on a full disk a WAL database cannot be read
// the usual way, which needs a -shm file of 32 KiB. With no write-ahead log
// to replay (the last writer closed cleanly, or only an empty -wal is left)
// the file is opened immutable: no locks, no -shm. With a log to replay,
// SQLite keeps the log's index in memory under an exclusive lock, which
// waits for other processes that have the archive open.
func openReadOnly(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(30000)")
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
		q.Set("immutable", "1")
	} else {
		q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	}
	db, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one in-memory log index, one lock
	return db, nil
}

// openFull reopens s read-only after check failed with err on a full
// disk, and checks it again.
func (s *Store) openFull(ctx context.Context, err error) error {
	s.db.Close()
	db, oerr := openReadOnly(s.path)
	if oerr != nil {
		return fmt.Errorf("open archive %s: %w (%v); read-only: %v", s.path, ErrDiskFull, err, oerr)
	}
	s.db = &conn{DB: db, readOnly: true}
	if cerr := s.check(ctx); cerr != nil {
		return fmt.Errorf("open archive %s: %w (%v); read-only: %v", s.path, ErrDiskFull, err, cerr)
	}
	return nil
}
