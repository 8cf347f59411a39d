package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/live"
)

// authRecorder is an instance that records the Authorization header of
// every request it gets and answers an empty timeline.
type authRecorder struct {
	mu   sync.Mutex
	seen []string
	srv  *httptest.Server
}

func newAuthRecorder(t *testing.T) *authRecorder {
	t.Helper()
	r := &authRecorder{}
	r.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.seen = append(r.seen, req.Header.Get("Authorization"))
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("[]"))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *authRecorder) tokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, a := range r.seen {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// TestTokenBoundToInstance: the token was sent to whatever instance an
// event named (--collect mastodon:attacker.example, also through the API;
// issue 16, item 10). A token now goes only to the instance that issued it.
func TestTokenBoundToInstance(t *testing.T) {
	attacker := newAuthRecorder(t)
	ctx := context.Background()
	for _, cfg := range []Config{
		{Instance: attacker.srv.URL, Hashtag: "aws", Token: "secret-1", TokenInstance: "mastodon.social"},
		{Instance: attacker.srv.URL, Query: "aws", Token: "secret-2", TokenInstance: "https://mastodon.social/"},
		{Instance: attacker.srv.URL, Public: true, Token: "secret-3"}, // bound to nothing: sent nowhere
		// The same host on another port or scheme is another instance.
		{Instance: attacker.srv.URL, Public: true, Token: "secret-4", TokenInstance: "https://127.0.0.1"},
		{Instance: "http://" + attacker.srv.Listener.Addr().String(), Public: true, Token: "secret-5", TokenInstance: attacker.srv.URL},
	} {
		p, err := NewPoller(cfg, attacker.srv.Client(), quietLog())
		if !errors.Is(err, ErrForeignToken) {
			t.Errorf("poller for %s with a token of %q: %v, want ErrForeignToken", cfg.Instance, cfg.TokenInstance, err)
		}
		if p != nil {
			p.Fetch(ctx, "")
		}
		if cfg.Query != "" {
			continue
		}
		s, err := NewStreamer(StreamConfig{Config: cfg, IdleTimeout: 200 * time.Millisecond}, attacker.srv.Client(), quietLog())
		if !errors.Is(err, ErrForeignToken) {
			t.Errorf("streamer for %s with a token of %q: %v, want ErrForeignToken", cfg.Instance, cfg.TokenInstance, err)
		}
		if s != nil {
			s.Stream(ctx, "", func(live.Batch) error { return nil })
		}
	}
	if got := attacker.tokens(); len(got) != 0 {
		t.Errorf("the other instance received tokens: %q", got)
	}

	// Its own instance gets it, in any spelling of the host.
	own := newAuthRecorder(t)
	p, err := NewPoller(Config{Instance: own.srv.URL + "/", Hashtag: "aws", Token: "secret-ok", TokenInstance: own.srv.URL}, own.srv.Client(), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Fetch(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if got := own.tokens(); len(got) != 1 || got[0] != "Bearer secret-ok" {
		t.Errorf("the token's own instance received %q", got)
	}

	// A stream URL elsewhere would receive the token too: only the
	// instance's host or a host under it may.
	base := Config{Instance: "https://m.example", Hashtag: "aws", Token: "t", TokenInstance: "m.example"}
	for stream, ok := range map[string]bool{
		"https://m.example":            true,
		"https://streaming.m.example/": true,
		"https://s.example":            false,
		"https://evilm.example":        false,
		"http://streaming.m.example":   false,
		"https://m.example:8443":       false,
	} {
		_, err := NewStreamer(StreamConfig{Config: base, StreamURL: stream}, nil, quietLog())
		if ok && err != nil || !ok && !errors.Is(err, ErrForeignToken) {
			t.Errorf("stream URL %s for a token of m.example: %v", stream, err)
		}
	}
	// Without a token, any stream host is fine.
	if _, err := NewStreamer(StreamConfig{Config: Config{Instance: "https://m.example", Public: true}, StreamURL: "https://s.example"}, nil, quietLog()); err != nil {
		t.Error(err)
	}
}

func TestSameInstance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"mastodon.social", "https://mastodon.social", true},
		{"Mastodon.Social.", "https://mastodon.social:443/", true},
		{"https://mastodon.social/@someone", "mastodon.social", true},
		{"http://m.example", "http://m.example:80", true},
		{"mastodon.social", "http://mastodon.social", false},
		{"mastodon.social", "mastodon.social.evil.example", false},
		{"mastodon.social", "evilmastodon.social", false},
		{"mastodon.social", "https://mastodon.social:8443", false},
		{"https://user@mastodon.social", "mastodon.social", false},
		{"", "", false},
		{"ftp://m.example", "ftp://m.example", false},
	} {
		if got := SameInstance(c.a, c.b); got != c.same {
			t.Errorf("SameInstance(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
