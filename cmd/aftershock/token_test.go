package main

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTokensAndSecrets runs the real binary: an API token made with
// 'token create' opens the running server's API and 'search' through it,
// 'token revoke' shuts it out at the next request, and after a login, wrong
// logins and token calls, neither the password nor a token appears in
// anything the server printed, at debug level.
func TestTokensAndSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	posts := filepath.Join(t.TempDir(), "posts.csv")
	os.WriteFile(posts, []byte("id,created_at,author,text\n1,2017-02-28T17:40:00Z,alice,S3 is down\n"), 0o644)
	if out, err := exec.Command(bin, "--data", data, "import", "--source", "twitter", posts).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--data", data, "token", "create", "nightly export").Output()
	secret := strings.TrimSpace(string(out))
	if err != nil || !strings.HasPrefix(secret, "ask_") {
		t.Fatalf("token create: %v %q", err, out)
	}
	const password, envToken = "a long pass phrase 8f2e", "env-token-77c1d0e9"
	var printed bytes.Buffer
	cmd := exec.Command(bin, "-v", "--data", data, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "AFTERSHOCK_PASSWORD="+password, "AFTERSHOCK_API_TOKENS="+envToken)
	cmd.Stderr = &printed
	base := startServerCmd(t, cmd)

	get := func(tok string) int {
		req, _ := http.NewRequest("GET", base+"/api/v1/search?q=s3", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for tok, want := range map[string]int{secret: 200, envToken: 200, "": 401, secret + "x": 401, password: 401} {
		if got := get(tok); got != want {
			t.Errorf("API with token %.8q…: %d, want %d", tok, got, want)
		}
	}
	for _, pw := range []string{"wrong " + password, password} {
		http.PostForm(base+"/login", url.Values{"password": {pw}}) // no CSRF token: refused, but it went in
	}
	search := exec.Command(bin, "--data", data, "search", "s3", "--ids")
	search.Env = append(os.Environ(), "AFTERSHOCK_API_TOKEN="+secret)
	if out, err := search.Output(); err != nil || string(out) != "twitter:1\n" {
		t.Errorf("search through the server with the token: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "--data", data, "token", "revoke", "nightly export").CombinedOutput(); err != nil {
		t.Fatalf("token revoke: %v\n%s", err, out)
	}
	if got := get(secret); got != 401 {
		t.Errorf("a revoked token: %d, want 401", got)
	}
	out, err = exec.Command(bin, "--data", data, "token", "list").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "nightly export") || !strings.Contains(string(out), "revoked 20") ||
		!strings.Contains(string(out), secret[:10]+"…") || strings.Contains(string(out), secret) {
		t.Errorf("token list: %v\n%s", err, out)
	}
	if out, err := exec.Command(bin, "--data", data, "token", "revoke", "nightly export").CombinedOutput(); err == nil {
		t.Errorf("revoking twice succeeded:\n%s", out)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if !strings.Contains(printed.String(), "level=DEBUG") {
		t.Fatalf("the server printed no debug log; the check below would prove nothing:\n%s", printed.String())
	}
	for _, s := range []string{password, envToken, secret, secret[len(secret)-16:]} {
		if strings.Contains(printed.String(), s) {
			t.Errorf("the server printed a secret (%.6q…)", s)
		}
	}
}
