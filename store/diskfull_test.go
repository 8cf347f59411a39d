package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
)

func TestIsDiskFull(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("connection reset"), false},
		{ErrNotFound, false},
		{fmt.Errorf("store: commit: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), true},
		{&os.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT}, true},
		{errors.New("segment: persist err: write /data/index/store/4.zap: no space left on device"), true},
		{fmt.Errorf("store: commit: %s", "database or disk is full (13)"), true},
		{fmt.Errorf("import x: %w", diskFull(errors.New("database or disk is full (13)"))), true},
	} {
		if got := IsDiskFull(c.err); got != c.want {
			t.Errorf("IsDiskFull(%v) = %v", c.err, got)
		}
	}
	if err := diskFull(&os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}); !errors.Is(err, ErrDiskFull) || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("diskFull keeps neither the mark nor the cause: %v", err)
	}
	if err := diskFull(ErrNotFound); err != ErrNotFound {
		t.Errorf("diskFull changed another error: %v", err)
	}
}
