package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/bluesky/jetstreamtest"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// TestServeSurvivesKill kills `aftershock serve` (collecting Bluesky from a
// Jetstream fake) and a concurrent `aftershock import` with SIGKILL at random
// moments, 20 times in a row. After every kill, with both dead, it proves
// from the store that nothing committed before was lost, that no post is
// stored twice, that the stored stream is a gapless prefix of what the fake
// sent, that the source's cursor never moved backwards and that the run's
// connection resumed from at or before the cursor the previous run died
// with; then it catches the index up (`search`, as serve does at start) and
// `check` must find the index equal to the store. A last run of both ends
// normally: every post of the input file and of the stream is stored once.
func TestServeSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary, kills serve and import 20 times")
	}
	began := time.Now()
	bin := buildBinary(t)

	// The stream: n distinct posts, time_us 100 ms apart, sent at rate per
	// second, so the collector's 5 s safety margin replays 50 events per
	// reconnection and the stream lasts through all the kills.
	sample, err := os.ReadFile(testdata.Path(t, "bluesky", "jetstream_v1_golden_sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	const n, rate, step = 4000, 150, 100 * time.Millisecond
	startUS := time.Now().Add(-time.Hour).UnixMicro() // event i has time_us startUS + i×step
	events, err := jetstreamtest.Synthesize(jetstreamtest.SplitLines(sample), n, startUS, step)
	if err != nil {
		t.Fatal(err)
	}
	rkeyAt := map[string]int{} // the stream's rkeys → position in the stream
	for i, ev := range events {
		j := bytes.Index(ev, []byte(`"rkey":"`))
		if j < 0 {
			t.Fatalf("event %d has no rkey", i)
		}
		rkey := ev[j+8:]
		rkeyAt[string(rkey[:bytes.IndexByte(rkey, '"')])] = i
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{Rate: rate})
	defer srv.Close()

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	input := filepath.Join(dir, "tweets.jsonl")
	replayV1(t, input, 500) // 36,000 tweets
	want := expectedIDs(t, input)
	// The cycles import the input in parts of 4,000 tweets, so that most
	// kills land while an import commits posts the store lacks; the last
	// run imports every part, again, which must be idempotent.
	parts := splitLines(t, input, 4000)
	// Creating the event also creates the index, so no kill lands in the
	// middle of its creation.
	if code, _, errOut := cli(t, "", "--data", data, "event", "create", "firehose", "--from", "2020-01-01", "--collect", "bluesky"); code != 0 {
		t.Fatal(errOut)
	}
	const source = "firehose/bluesky"

	ctx := context.Background()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("AFTERSHOCK_CRASH_SEED"); s != "" {
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seed %d (AFTERSHOCK_CRASH_SEED=%d repeats the waits)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	serveCmd := func(stderr *bytes.Buffer) *exec.Cmd {
		cmd := exec.Command(bin, "--data", data, "serve", "--addr", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), "AFTERSHOCK_JETSTREAM_URL="+srv.URL)
		cmd.Stderr = stderr
		return cmd
	}
	importCmd := func(out *bytes.Buffer, files ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--data", data, "import"}, files...)...)
		cmd.Stdout, cmd.Stderr = out, out
		return cmd
	}

	var (
		seen       = map[string]bool{} // every id found after a kill: committed
		prevCursor int64               // the stored cursor when the last run died
		lost       int
		importsCut int // kills that cut an import short
		nextPart   int // the part the next import reads
	)
	const kills = 20
	for kill := 1; kill <= kills; kill++ {
		cycle := time.Now()
		conns0 := len(srv.Conns())
		var serveErr bytes.Buffer
		serve := serveCmd(&serveErr)
		startServerCmd(t, serve)
		// Imports run one after the other until the kill, so that one is
		// always in progress; a part that was cut is imported again next.
		var (
			mu        sync.Mutex
			running   *exec.Cmd // the import in progress
			stopped   bool
			cut       bool // the kill cut an import short
			finished  int  // parts imported to the end in this cycle
			chainDone = make(chan struct{})
		)
		go func() {
			defer close(chainDone)
			for {
				var out bytes.Buffer
				mu.Lock()
				if stopped {
					mu.Unlock()
					return
				}
				cmd := importCmd(&out, parts[nextPart])
				if err := cmd.Start(); err != nil {
					mu.Unlock()
					t.Error(err)
					return
				}
				running = cmd
				mu.Unlock()
				err := cmd.Wait()
				if err == nil {
					nextPart = (nextPart + 1) % len(parts)
					finished++
					continue
				}
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					cut = true
				} else {
					t.Errorf("kill %d: import of %s failed on its own: %v\n%s", kill, parts[nextPart], err, out.String())
				}
				return
			}
		}()
		wait := time.Duration(500+rng.IntN(2000)) * time.Millisecond
		time.Sleep(wait)
		mu.Lock()
		stopped = true
		if running != nil {
			running.Process.Signal(syscall.SIGKILL)
		}
		mu.Unlock()
		serve.Process.Signal(syscall.SIGKILL)
		<-chainDone
		serve.Wait()
		if cut {
			importsCut++
		}
		if ws, ok := serve.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("kill %d: serve ended otherwise: %v\n%s", kill, serve.ProcessState, serveErr.String())
		}

		// Both are dead: what is in the store is what they acknowledged.
		st, err := store.Open(ctx, filepath.Join(data, archive.StoreFile))
		if err != nil {
			t.Fatalf("kill %d: open the store: %v", kill, err)
		}
		stats, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		now := map[string]bool{}
		streamAt := map[int]bool{}
		imported := 0
		if err := st.Scan(ctx, func(p store.Stored) error {
			now[p.ID] = true
			if want[p.ID] {
				imported++
			} else if i, ok := rkeyAt[p.ID[strings.LastIndexByte(p.ID, '/')+1:]]; ok {
				streamAt[i] = true
			} else {
				t.Errorf("kill %d: %s is neither in the input nor in the stream", kill, p.ID)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		cur, err := st.SourceCursor(ctx, source)
		if err != nil {
			t.Fatal(err)
		}
		st.Close()

		lostNow := 0
		for id := range seen {
			if !now[id] {
				lostNow++
			}
		}
		if lostNow > 0 {
			t.Errorf("kill %d: %d posts stored before an earlier kill are gone", kill, lostNow)
		}
		lost += lostNow
		if stats.Posts != int64(len(now)) {
			t.Errorf("kill %d: %d rows in posts but %d distinct ids", kill, stats.Posts, len(now))
		}
		// The stream is sent in order and stored batch by batch: what is
		// stored is a prefix of it, or some event was skipped.
		for i := range len(streamAt) {
			if !streamAt[i] {
				t.Errorf("kill %d: %d stream posts stored but event %d of the stream is missing (a gap)", kill, len(streamAt), i)
				break
			}
		}
		var cursor int64
		if cur != "" {
			if cursor, err = strconv.ParseInt(cur, 10, 64); err != nil {
				t.Fatalf("kill %d: cursor %q: %v", kill, cur, err)
			}
		}
		if cursor < prevCursor {
			t.Errorf("kill %d: the cursor went back from %d to %d", kill, prevCursor, cursor)
		}
		if len(streamAt) > 0 && cursor < startUS+int64(len(streamAt)-1)*step.Microseconds() {
			t.Errorf("kill %d: cursor %d is before the last stored stream post (event %d)", kill, cursor, len(streamAt)-1)
		}
		conns := srv.Conns()[conns0:]
		resume := "no connection"
		for i, c := range conns {
			if i == 0 && prevCursor > 0 {
				// The run resumed from the cursor its predecessor died
				// with (less the safety margin), not later, and not from
				// the start of the stream either.
				if c.Cursor > prevCursor || c.Cursor <= 0 {
					t.Errorf("kill %d: the first connection asked for cursor %d; the stored cursor was %d", kill, c.Cursor, prevCursor)
				}
				resume = fmt.Sprintf("resumed %v before the stored cursor", time.Duration(prevCursor-c.Cursor)*time.Microsecond)
			} else if i == 0 {
				resume = fmt.Sprintf("first connection cursor %d", c.Cursor)
			}
			if cursor > 0 && c.Cursor > cursor {
				t.Errorf("kill %d: connection %d asked for cursor %d, after the stored cursor %d", kill, conns0+i, c.Cursor, cursor)
			}
		}
		prevCursor = max(prevCursor, cursor)
		for id := range now {
			seen[id] = true
		}

		// The index catches up from the store (as serve does at start) and
		// then equals it.
		if out, err := exec.Command(bin, "--data", data, "search", "--limit", "1", "earthquake").CombinedOutput(); err != nil {
			t.Fatalf("kill %d: search (index catch-up): %v\n%s", kill, err, out)
		}
		out, err := exec.Command(bin, "--data", data, "check").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "ok: the index equals the archive") {
			t.Fatalf("kill %d: check: %v\n%s", kill, err, out)
		}
		t.Logf("kill %2d after %4d ms: %5d posts (input %5d, stream %4d); imports finished %d, cut %v; %d connections, %s; lost %d; cycle %v",
			kill, wait.Milliseconds(), len(now), imported, len(streamAt), finished, cut, len(conns), resume, lostNow, time.Since(cycle).Round(time.Millisecond))
	}

	// A last run of both that ends normally.
	var serveErr, importOut bytes.Buffer
	serve := serveCmd(&serveErr)
	startServerCmd(t, serve)
	imp := importCmd(&importOut, parts...)
	if err := imp.Run(); err != nil {
		t.Fatalf("last import: %v\n%s", err, importOut.String())
	}
	st, err := store.Open(ctx, filepath.Join(data, archive.StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	countStream := func() map[string]int {
		got := map[string]int{}
		if err := st.Scan(ctx, func(p store.Stored) error {
			if _, ok := rkeyAt[p.ID[strings.LastIndexByte(p.ID, '/')+1:]]; ok {
				got[p.ID]++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	deadline := time.Now().Add(60 * time.Second)
	stream := countStream()
	for len(stream) < n && time.Now().Before(deadline) {
		time.Sleep(500 * time.Millisecond)
		stream = countStream()
	}
	serve.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after SIGINT: %v\n%s", err, serveErr.String())
		}
	case <-time.After(30 * time.Second):
		serve.Process.Kill()
		t.Fatal("serve did not stop within 30 s of SIGINT")
	}

	got := map[string]int{}
	if err := st.Scan(ctx, func(p store.Stored) error { got[p.ID]++; return nil }); err != nil {
		t.Fatal(err)
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Posts != int64(len(got)) {
		t.Errorf("%d rows in posts but %d distinct ids", stats.Posts, len(got))
	}
	missing := 0
	for id := range want {
		if got[id] != 1 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of the %d posts of the input are not stored exactly once", missing, len(want))
	}
	stream = countStream()
	if len(stream) != n {
		t.Errorf("%d of the %d posts of the stream are stored", len(stream), n)
	}
	if len(got) != len(want)+n {
		t.Errorf("the store holds %d posts, want %d (input) + %d (stream)", len(got), len(want), n)
	}
	out, err := exec.Command(bin, "--data", data, "check").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok: the index equals the archive") {
		t.Fatalf("final check: %v\n%s", err, out)
	}
	t.Logf("%d kills (%d with the import still running); lost %d; final store %d posts = %d input + %d stream, each once; %d connections to the fake; %v in all",
		kills, importsCut, lost, len(got), len(want), len(stream), len(srv.Conns()), time.Since(began).Round(time.Second))
}

// splitLines cuts the lines of path into files of at most per lines each,
// beside it, and returns their paths.
func splitLines(t *testing.T, path string, per int) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	var files []string
	for i := 0; i < len(lines); i += per {
		chunk := bytes.Join(lines[i:min(i+per, len(lines))], nil)
		if len(bytes.TrimSpace(chunk)) == 0 {
			continue
		}
		f := fmt.Sprintf("%s.part%d.jsonl", strings.TrimSuffix(path, ".jsonl"), len(files)+1)
		if err := os.WriteFile(f, chunk, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}
