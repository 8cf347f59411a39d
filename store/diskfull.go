package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"modernc.org/sqlite"
)

// ErrDiskFull marks a write that failed because the disk holding the data
// directory is full. Nothing that was committed before it is damaged: the
// failed transaction is rolled back, and the same work can be redone once
// there is space (writes are idempotent upserts).
var ErrDiskFull = errors.New("the disk holding the archive is full")

const sqliteFull = 13 // SQLITE_FULL

// IsDiskFull reports whether err comes from a full disk: ErrDiskFull,
// SQLite's SQLITE_FULL, ENOSPC or EDQUOT anywhere in the chain, or the
// text of those for libraries that flatten their errors (Bleve's segment
// persister does).
func IsDiskFull(err error) bool {
	if err == nil {
		return false
	}
	var se *sqlite.Error
	if errors.Is(err, ErrDiskFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) ||
		(errors.As(err, &se) && se.Code()&0xff == sqliteFull) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "no space left on device") || strings.Contains(msg, "disk quota exceeded") ||
		strings.Contains(msg, "database or disk is full")
}

// diskFull adds ErrDiskFull to err's chain when the disk is full, so
// callers can test for it with errors.Is.
func diskFull(err error) error {
	if err != nil && !errors.Is(err, ErrDiskFull) && IsDiskFull(err) {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}
