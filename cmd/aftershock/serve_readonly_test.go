//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFullDiskReadOnly fills the disk under a data directory whose index
// is 50 changes behind (a 16 MiB tmpfs; needs root, skips otherwise).
// Reads used to fail with it ("disk I/O error (4874)": SQLite cannot size
// the -shm file of a WAL database), so search, check and serve refused to
// run. Now search finds the indexed posts and says why the rest wait,
// check says the index is behind, and serve starts read-only, says so,
// answers searches, and answers 507 to a write.
func TestFullDiskReadOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	data := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(data, 0o755)
	if err := syscall.Mount("tmpfs", data, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(data, syscall.MNT_DETACH) })
	bin := buildBinary(t)

	in := filepath.Join(t.TempDir(), "posts.csv")
	var b strings.Builder
	b.WriteString("id,created_at,author,text\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "%d,2017-02-28T17:%02d:%02dZ,user%d,s3 is down again post %d nothing loads\n", i, i/60%60, i%60, i%97, i)
	}
	os.WriteFile(in, []byte(b.String()), 0o644)
	if out, err := exec.Command(bin, "--data", data, "import", in).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// 50 posts the index has not seen.
	writeBehindIndex(t, data, 50)

	// Fill the disk.
	f, _ := os.Create(filepath.Join(data, "filler"))
	buf := make([]byte, 64<<10)
	for _, n := range []int{64 << 10, 4096, 1} {
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				break
			}
		}
	}
	f.Close()

	out, err := exec.Command(bin, "--data", data, "search", "s3", "--limit", "3").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "s3 is down again") || !strings.Contains(string(out), "is full") ||
		!strings.Contains(string(out), "50 changes behind") || strings.Contains(string(out), "damaged") {
		t.Errorf("search on a full disk: %v\n%s", err, out)
	}
	out, _ = exec.Command(bin, "--data", data, "check").CombinedOutput()
	if !strings.Contains(string(out), "archive  3,050 posts") || !strings.Contains(string(out), "behind the archive by 50 changes") {
		t.Errorf("check on a full disk:\n%s", out)
	}

	serve := exec.Command(bin, "--data", data, "serve", "--addr", "127.0.0.1:0")
	serve.Env = append(os.Environ(), "AFTERSHOCK_API_TOKENS=readonly-test-token-1234567890")
	var errOut syncBuffer
	serve.Stderr = &errOut
	base := startServerCmd(t, serve)
	if !strings.Contains(errOut.String(), "is full: serving the archive read-only") {
		t.Errorf("serve does not say it is read-only:\n%s", errOut.String())
	}
	res, err := http.Get(base + "/api/v1/search?q=s3")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var sr struct{ Total int }
	if res.StatusCode != 200 || json.Unmarshal(body, &sr) != nil || sr.Total != 3000 {
		t.Errorf("search on a read-only server: %d %.300s", res.StatusCode, body)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(`{"slug":"x","name":"x","from":"2017-02-28T00:00:00Z"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer readonly-test-token-1234567890")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusInsufficientStorage {
		t.Errorf("a write to a read-only server: %d %.300s", res.StatusCode, body)
	}
}
