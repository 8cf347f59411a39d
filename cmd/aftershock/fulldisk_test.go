//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aftershock/aftershock/store"
)

// syncBuffer is a bytes.Buffer a process writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFullDisk puts the data directory on a 10 MiB tmpfs (needs root; skips
// otherwise) with a live collector running, and fills it with an import:
// the import stops with a message naming the full disk, the collector
// pauses without exiting, nothing stored is damaged; once the filesystem
// is grown, the same import finishes, the collector resumes from its
// cursor, and the archive holds every post once with the index equal to it.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	data := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(data, 0o755)
	if err := syscall.Mount("tmpfs", data, "tmpfs", 0, "size=10m"); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(data, syscall.MNT_DETACH) })
	bin := buildBinary(t)

	const streamPosts, rate = 3000, 200
	srv, _ := jetstreamFake(t, streamPosts, rate)

	const csvRows = 60000
	input := filepath.Join(t.TempDir(), "posts.csv")
	var b strings.Builder
	b.WriteString("id,created_at,author,text\n")
	for i := range csvRows {
		fmt.Fprintf(&b, "%d,2017-02-28T%02d:%02d:%02dZ,user%d,\"S3 is down again, post %d: nothing loads, the console times out for everyone here\"\n",
			i, 17+i/3600%6, i/60%60, i%60, i%997, i)
	}
	os.WriteFile(input, []byte(b.String()), 0o644)

	if code, _, errOut := cli(t, "", "--data", data, "event", "create", "firehose", "--from", "2020-01-01", "--collect", "bluesky"); code != 0 {
		t.Fatal(errOut)
	}
	var collectLog syncBuffer
	collect := exec.Command(bin, "--data", data, "collect", "--event", "firehose")
	collect.Env = append(os.Environ(), "AFTERSHOCK_JETSTREAM_URL="+srv.URL)
	collect.Stderr = &collectLog
	if err := collect.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- collect.Wait() }()
	var exitErr error
	stopCollect := sync.OnceFunc(func() {
		collect.Process.Signal(os.Interrupt)
		exitErr = <-exited
	})
	defer stopCollect()
	ctx := context.Background()
	posts := func() int64 {
		st, err := store.Open(ctx, filepath.Join(data, "archive.db"))
		if err != nil {
			t.Fatalf("open the archive: %v", err)
		}
		defer st.Close()
		s, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s.Posts
	}
	waitFor := func(what string, d time.Duration, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(d); !ok(); time.Sleep(250 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within %v\ncollector's log:\n%s", what, d, collectLog.String())
			}
		}
	}
	waitFor("the collector's first posts", 30*time.Second, func() bool { return posts() >= 100 })

	// Fill the disk.
	out, err := exec.Command(bin, "--data", data, "import", input).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "The disk holding "+data+" is full") {
		t.Fatalf("import on a full disk: %v\n%s", err, out)
	}
	t.Logf("import on the full disk:\n%s", out)
	waitFor("the collector reporting the full disk", 30*time.Second, func() bool {
		return strings.Contains(collectLog.String(), "collection paused: the archive's disk is full")
	})
	if collect.ProcessState != nil {
		t.Fatalf("the collector exited on a full disk (%v):\n%s", collect.ProcessState, collectLog.String())
	}
	// What is stored is intact.
	st, err := store.Open(ctx, filepath.Join(data, "archive.db"))
	if err != nil {
		t.Fatalf("open the archive on the full disk: %v", err)
	}
	if err := st.Verify(ctx); err != nil {
		t.Errorf("the archive is damaged: %v", err)
	}
	before := idsOf(t, st)
	st.Close()
	t.Logf("stored when the disk was full: %d posts", strings.Count(before, "\n"))

	// Free space: the same import finishes, the collector resumes.
	if err := syscall.Mount("tmpfs", data, "tmpfs", syscall.MS_REMOUNT, "size=300m"); err != nil {
		t.Fatalf("grow the tmpfs: %v", err)
	}
	if out, err := exec.Command(bin, "--data", data, "import", input).CombinedOutput(); err != nil {
		t.Fatalf("import after space was freed: %v\n%s", err, out)
	}
	waitFor("every post of the stream", 90*time.Second, func() bool { return posts() >= csvRows+streamPosts })
	stopCollect()
	if exitErr != nil {
		t.Errorf("the collector's exit: %v\n%s", exitErr, collectLog.String())
	}
	// Whether the index's own writes hit the full disk depends on timing
	// (on some machines SQLite takes the last free block first); if they
	// did, the indexer must have said it recovered. Either way `check`
	// below finds the index equal to the store.
	switch log := collectLog.String(); {
	case !strings.Contains(log, "indexer: cannot catch up"):
		t.Log("the collector's indexer did not hit the full disk this time")
	case !strings.Contains(log, "indexer: caught up again"):
		t.Errorf("the collector's indexer did not recover:\n%s", log)
	}

	st, err = store.Open(ctx, filepath.Join(data, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	after := idsOf(t, st)
	for id := range strings.SplitSeq(strings.TrimSpace(before), "\n") {
		if !strings.Contains(after, id+"\n") {
			t.Errorf("%s was stored before the disk filled and is gone", id)
		}
	}
	if n := strings.Count(after, "\n"); n != csvRows+streamPosts {
		t.Errorf("%d posts, want %d (every row and every stream post once)", n, csvRows+streamPosts)
	}
	if out, err := exec.Command(bin, "--data", data, "check").CombinedOutput(); err != nil {
		t.Errorf("check: %v\n%s", err, out)
	}
}
