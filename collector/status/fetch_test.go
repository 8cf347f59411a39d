package status

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFetch(t *testing.T) {
	big := strings.Repeat("x", MaxBodySize+1)
	var gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA = r.Header.Get("User-Agent")
		switch r.URL.Path {
		case "/history.atom":
			w.Header().Set("Content-Type", "application/atom+xml")
			_, _ = w.Write([]byte("<feed/>"))
		case "/big":
			_, _ = w.Write([]byte(big))
		case "/exact":
			_, _ = w.Write([]byte(big[:MaxBodySize]))
		default:
			http.Error(w, "nope", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	ctx := context.Background()

	body, err := Fetch(ctx, srv.Client(), srv.URL+"/history.atom")
	if err != nil || string(body) != "<feed/>" {
		t.Fatalf("fetch: %q %v", body, err)
	}
	if gotUA != "Aftershock/0.1 (+https://github.com/aftershock/aftershock)" {
		t.Errorf("User-Agent %q", gotUA)
	}
	if body, err := Fetch(ctx, srv.Client(), srv.URL+"/exact"); err != nil || len(body) != MaxBodySize {
		t.Errorf("body of exactly the limit: %d %v", len(body), err)
	}
	if _, err := Fetch(ctx, srv.Client(), srv.URL+"/big"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized body: %v", err)
	}
	if _, err := Fetch(ctx, srv.Client(), srv.URL+"/missing"); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("503: %v", err)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)"} {
		if _, err := Fetch(ctx, srv.Client(), u); err == nil || !strings.Contains(err.Error(), "not http or https") {
			t.Errorf("%s: %v", u, err)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Fetch(cctx, srv.Client(), srv.URL+"/history.atom"); err == nil {
		t.Error("cancelled context: no error")
	}
}
