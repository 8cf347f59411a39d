package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
)

// TestCollectStatusFeed: an event that collects a status feed, run by
// 'aftershock collect' until interrupted; the incidents arrive, the source
// is listed with its state and cursor.
func TestCollectStatusFeed(t *testing.T) {
	atom, err := os.ReadFile(testdata.Path(t, "statuspage", "githubstatus_history_2026-08-22.atom"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"1"`)
		if r.Header.Get("If-None-Match") == `"1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(atom)
	}))
	defer srv.Close()
	t.Setenv("AFTERSHOCK_ALLOW_PRIVATE_URLS", "1") // the fake feed is on loopback
	data := filepath.Join(t.TempDir(), "data")
	if code, out, errOut := cli(t, "", "--data", data, "event", "create", "gh", "--query", "github", "--from", "2026-08-01",
		"--collect", "status:"+srv.URL+"/history.atom,mastodon:"); code != 2 || !strings.Contains(errOut, "is not a source") {
		t.Fatalf("bad collect spec accepted: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := cli(t, "", "--data", data, "event", "create", "gh", "--query", "github", "--from", "2026-08-01",
		"--collect", "status:"+srv.URL+"/history.atom,x"); code != 0 {
		t.Fatalf("event create: %s", errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out, errOut strings.Builder
	code := run(ctx, []string{"--data", data, "collect", "--interval", "1s"}, strings.NewReader(""), &out, &errOut)
	if code != 0 || !strings.Contains(out.String(), "collecting from 1 sources") || !strings.Contains(errOut.String(), "AFTERSHOCK_X_BEARER_TOKEN") {
		t.Fatalf("collect: %d\n%s\n%s", code, out.String(), errOut.String())
	}
	code, list, _ := cli(t, "", "--data", data, "status", "list", "--from", "2026-08-01")
	if code != 0 || strings.Count(list, "GitHub:") < 10 {
		t.Errorf("incidents collected:\n%s", list)
	}
	code, srcs, _ := cli(t, "", "--data", data, "sources")
	if code != 0 || !strings.Contains(srcs, "gh/status:"+srv.URL) || !strings.Contains(srcs, "stopped") || !strings.Contains(srcs, `cursor {"etag":"\"1\""}`) {
		t.Errorf("sources:\n%s", srcs)
	}
}

// A status feed on a private address is refused unless allowed (SSRF).
func TestStatusImportRefusesPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the private address was fetched")
	}))
	defer srv.Close()
	data := filepath.Join(t.TempDir(), "data")
	code, _, errOut := cli(t, "", "--data", data, "status", "import", srv.URL+"/history.atom")
	if code != 1 || !strings.Contains(errOut, "refusing to connect to a loopback") {
		t.Errorf("private feed: %d %s", code, errOut)
	}
}
