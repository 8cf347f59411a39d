package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aftershock/aftershock/collector/bluesky/jetstreamtest"
	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/store"
)

// TestCollectSurvivesKill runs `aftershock collect` on a Jetstream fake and
// kills it with SIGKILL at random moments, three times, restarting it each
// time: the archive ends up with every post of the stream exactly once
// (the cursor is stored with the posts it covers; a restart resumes from
// it minus the safety margin, and the upsert absorbs the overlap).
func TestCollectSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := buildBinary(t)
	const n, rate = 3000, 500
	srv, events := jetstreamFake(t, n, rate)

	dir := filepath.Join(t.TempDir(), "data")
	if code, _, errOut := cli(t, "", "--data", dir, "event", "create", "firehose", "--from", "2020-01-01", "--collect", "bluesky"); code != 0 {
		t.Fatal(errOut)
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "--data", dir, "collect", "--event", "firehose")
		cmd.Env = append(os.Environ(), "AFTERSHOCK_JETSTREAM_URL="+srv.URL)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	r := rand.New(rand.NewPCG(1, 2))
	for kill := range 3 {
		cmd := start()
		time.Sleep(time.Duration(800+r.IntN(1200)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("kill %d", kill+1)
	}
	// The last run goes on until the stream has been sent, then stops.
	cmd := start()
	st, err := store.Open(context.Background(), filepath.Join(dir, "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deadline := time.Now().Add(60 * time.Second)
	var posts int64
	for time.Now().Before(deadline) {
		s, err := st.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if posts = s.Posts; posts >= n {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if posts != n {
		t.Fatalf("%d posts in the archive, want all %d", posts, n)
	}
	// Every post once: the archive's ids are distinct by construction; each
	// of the stream's rkeys must be among them.
	ids := idsOf(t, st)
	missing := 0
	for _, ev := range events {
		i := strings.Index(string(ev), `"rkey":"`)
		if i < 0 {
			continue
		}
		rkey := string(ev[i+8:])
		rkey = rkey[:strings.IndexByte(rkey, '"')]
		if !strings.Contains(ids, "/"+rkey+"\n") {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d posts of the stream are missing", missing)
	}
	if len(srv.Conns()) < 4 {
		t.Errorf("%d connections, want one per run", len(srv.Conns()))
	}
}

// jetstreamFake serves n events made from the shared golden sample (an
// hour old, as many a second as rate) until the test ends.
func jetstreamFake(t *testing.T, n, rate int) (*jetstreamtest.Server, [][]byte) {
	t.Helper()
	data, err := os.ReadFile(testdata.Path(t, "bluesky", "jetstream_v1_golden_sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	events, err := jetstreamtest.Synthesize(jetstreamtest.SplitLines(data), n, time.Now().Add(-time.Hour).UnixMicro(), time.Second/time.Duration(rate))
	if err != nil {
		t.Fatal(err)
	}
	srv := jetstreamtest.New(events, jetstreamtest.Options{Rate: float64(rate)})
	t.Cleanup(srv.Close)
	return srv, events
}

// idsOf returns every post id of the archive, one per line.
func idsOf(t *testing.T, st *store.Store) string {
	var b strings.Builder
	if err := st.Scan(context.Background(), func(p store.Stored) error {
		b.WriteString(p.ID + "\n")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
