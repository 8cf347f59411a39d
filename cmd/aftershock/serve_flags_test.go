package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServeHostFlags: serve's --public-url, --host and --trusted-proxy
// reach the web app, which refuses bad values before listening.
func TestServeHostFlags(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, c := range []struct {
		flag, value, want string
	}{
		{"--public-url", "ftp://archive.example.org", `public URL "ftp://archive.example.org"`},
		{"--host", "archive.lan,http://x", `host "http://x"`},
		{"--trusted-proxy", "10.0.0.0/8,proxy.lan", `trusted proxy "proxy.lan"`},
	} {
		code, _, errOut := cli(t, "", "--data", data, "serve", "--addr", "127.0.0.1:0", c.flag, c.value)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("serve %s %s: exit %d, want an error with %q:\n%s", c.flag, c.value, code, c.want, errOut)
		}
	}
}
