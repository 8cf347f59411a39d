package live

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestSafeClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	_, _, err := Get(context.Background(), SafeClient(5*time.Second, false), srv.URL, nil)
	if !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("loopback fetched: %v", err)
	}
	// A redirect from elsewhere to a private address is refused too: the
	// check is on the dialled address. Here the redirect comes from the
	// test server itself, allowed.
	body, _, err := Get(context.Background(), SafeClient(5*time.Second, true), srv.URL, nil)
	if err != nil || string(body) != "ok" {
		t.Errorf("allowed loopback: %q %v", body, err)
	}
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true, "127.0.0.1": false, "10.1.2.3": false, "192.168.0.1": false,
		"172.16.5.5": false, "169.254.169.254": false, "::1": false, "fe80::1": false, "100.64.0.1": false,
		"0.0.0.0": false, "::ffff:127.0.0.1": false, "fd00::1": false,
	} {
		if got := PublicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("PublicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}
