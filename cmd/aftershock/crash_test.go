package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/importer"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// buildBinary builds cmd/aftershock into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "aftershock")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// replayV1 writes copies of real v1.1 streaming tweets with fresh ids, so the
// file is large but every record is a real payload.
func replayV1(t *testing.T, path string, copies int) {
	t.Helper()
	src, err := os.ReadFile(testdata.Path(t, "twitter-v1", "python-twitter_streaming_lines.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []map[string]any
	for _, l := range bytes.Split(bytes.TrimSpace(src), []byte("\n")) {
		dec := json.NewDecoder(bytes.NewReader(l))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	id := int64(900000000000000000)
	for range copies {
		for _, m := range lines {
			id++
			m["id_str"], m["id"] = fmt.Sprint(id), json.Number(fmt.Sprint(id))
			b, _ := json.Marshal(m)
			w.Write(b)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// expectedIDs decodes the input in this process: the posts an import must store.
func expectedIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, _, closeAll, err := importer.Decode(f, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	ids := map[string]bool{}
	for it := range items {
		if it.Err != nil {
			t.Fatalf("line %d: %v", it.Line, it.Err)
		}
		if it.Post != nil {
			ids[it.Post.ID] = true
		}
	}
	return ids
}

// TestImportSurvivesSIGKILL kills a real import at random moments, reruns it,
// and proves that no post is lost or duplicated and the index equals the store.
func TestImportSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports tens of thousands of posts")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	input := filepath.Join(dir, "tweets.jsonl")
	replayV1(t, input, 400) // 28,800 tweets
	want := expectedIDs(t, input)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	for kill := range 4 {
		cmd := exec.Command(bin, "--data", data, "import", input)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wait := time.Duration(100+rng.IntN(1500)) * time.Millisecond
		time.Sleep(wait)
		cmd.Process.Kill()
		cmd.Wait()
		t.Logf("kill %d after %v", kill+1, wait)
	}
	out, err := exec.Command(bin, "--data", data, "import", input).CombinedOutput()
	if err != nil {
		t.Fatalf("final import: %v\n%s", err, out)
	}
	t.Logf("final import:\n%s", out)
	out, err = exec.Command(bin, "--data", data, "check").CombinedOutput()
	if err != nil {
		t.Fatalf("check after kills: %v\n%s", err, out)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(data, archive.StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := map[string]int{}
	if err := st.Scan(ctx, func(p store.Stored) error { got[p.ID]++; return nil }); err != nil {
		t.Fatal(err)
	}
	for id := range want {
		if got[id] != 1 {
			t.Errorf("%s stored %d times", id, got[id])
		}
	}
	if len(got) != len(want) {
		t.Errorf("store has %d posts, input has %d", len(got), len(want))
	}
}
