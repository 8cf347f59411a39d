package live

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/internal/testdata"
)

func TestStatusFeed(t *testing.T) {
	atom, err := os.ReadFile(testdata.Path(t, "statuspage", "githubstatus_history_2026-08-22.atom"))
	if err != nil {
		t.Fatal(err)
	}
	gets, notModified := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets++
		if r.Header.Get("User-Agent") != UserAgent {
			t.Errorf("user agent %q", r.Header.Get("User-Agent"))
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write(atom)
	}))
	defer srv.Close()
	var saved int
	f := NewStatusFeed(srv.URL+"/history.atom", srv.Client(), func(ctx context.Context, origin string, incs []status.Incident) error {
		saved += len(incs)
		return nil
	}, nil)
	b, err := f.Fetch(context.Background(), "")
	if err != nil || saved != 25 || b.Cursor == "" {
		t.Fatalf("first read: %v, %d incidents, cursor %q", err, saved, b.Cursor)
	}
	if _, err := f.Fetch(context.Background(), b.Cursor); err != nil || saved != 25 || notModified != 1 {
		t.Errorf("conditional read: %v, %d saved, %d not modified", err, saved, notModified)
	}
}
