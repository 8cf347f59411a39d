package web

import (
	"context"
	"fmt"
	"testing"
)

// A client that leaves mid-search is no error of ours: it is not a 500 and
// not logged as one.
func TestStatusClientLeft(t *testing.T) {
	if code, _ := statusOf(fmt.Errorf("index: search: %w", context.Canceled)); code != statusClientClosed {
		t.Errorf("cancelled: %d, want %d", code, statusClientClosed)
	}
	if code, _ := statusOf(fmt.Errorf("index: search: %w", context.DeadlineExceeded)); code != 503 {
		t.Errorf("deadline: %d, want 503", code)
	}
}
