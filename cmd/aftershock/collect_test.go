package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/event"
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

// TestCollectMastodonTokenBound: AFTERSHOCK_MASTODON_TOKEN went to whatever
// instance an event named (--collect mastodon:attacker.example, also through
// the API; issue 16, item 10). It now goes only to the instance
// AFTERSHOCK_MASTODON_INSTANCE names; other instances are followed without
// it.
func TestCollectMastodonTokenBound(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("[]"))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	c := &collectors{log: slog.New(slog.DiscardHandler), client: srv.Client(), running: map[string]int{}}
	ev := event.Event{Slug: "aws", Query: "#aws", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t.Setenv("AFTERSHOCK_MASTODON_TOKEN", "secret-token")
	for _, inst := range []string{"", "mastodon.social", "http://" + host, "https://127.0.0.1"} {
		t.Setenv("AFTERSHOCK_MASTODON_INSTANCE", inst)
		src, err := c.source("mastodon:"+host, ev, nil)
		if err != nil {
			t.Fatalf("instance %q: %v", inst, err)
		}
		p, ok := src.(live.Poller)
		if !ok {
			t.Errorf("token of %q: %s is followed with the token (a %T)", inst, host, src)
			continue
		}
		if _, err := p.Fetch(ctx, ""); err != nil {
			t.Errorf("token of %q: fetch without it: %v", inst, err)
		}
	}
	mu.Lock()
	for _, a := range auths {
		if a != "" {
			t.Errorf("the instance %s received %q", host, a)
		}
	}
	auths = nil
	mu.Unlock()

	// Bound to this instance: it gets the token (streamed, back-filled).
	t.Setenv("AFTERSHOCK_MASTODON_INSTANCE", host)
	src, err := c.source("mastodon:"+host, ev, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := src.(live.Streamer)
	if !ok {
		t.Fatalf("bound token: a %T, want a streamer", src)
	}
	s.Stream(ctx, "", func(live.Batch) error { return nil })
	mu.Lock()
	defer mu.Unlock()
	if len(auths) == 0 || auths[0] != "Bearer secret-token" {
		t.Errorf("the token's own instance received %q", auths)
	}
}
