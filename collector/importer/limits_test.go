package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestGzipBomb: a .json.gz whose document holds one 256 MiB string between
// two posts (issue 16: a 4.7 MB file with a 1 GiB string passed 8 GB). The
// string is one error at its line, both posts are read, and with the
// default 64 MiB record limit less than 5 × the limit is allocated.
func TestGzipBomb(t *testing.T) {
	const tweet = `{"id_str":"%d","text":"hello %d","created_at":"Wed Jan 0%d 00:00:00 +0000 2024","user":{"id_str":"7","screen_name":"a"}}`
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	body := testdata.Repeat("[\n"+fmt.Sprintf(tweet, 1, 1, 1)+",\n{\"id_str\":\"2\",\"text\":\"", 'a', 256<<20,
		"\"},\n"+fmt.Sprintf(tweet, 3, 3, 3)+"\n]\n")
	if _, err := io.Copy(zw, body); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	t.Logf("%d bytes of gzip", gz.Len())
	var posts, lines []int
	var errs []string
	alloc := allocated(func() {
		items, format, closeAll, err := Decode(bytes.NewReader(gz.Bytes()), Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer closeAll()
		if format != TwitterV1 {
			t.Errorf("format %q, want %q", format, TwitterV1)
		}
		for it := range items {
			switch {
			case it.Post != nil:
				posts = append(posts, it.Line)
			case it.Err != nil:
				lines = append(lines, it.Line)
				errs = append(errs, it.Err.Error())
			}
		}
	})
	if fmt.Sprint(posts) != "[2 4]" || fmt.Sprint(lines) != "[3]" || !strings.Contains(errs[0], "value longer than 67108864 bytes") {
		t.Errorf("posts at lines %v, errors at %v %q; want posts at 2 and 4, the error at 3", posts, lines, errs)
	}
	if alloc > 5*64<<20 {
		t.Errorf("allocated %d MB, want < 320 MB", alloc>>20)
	}
	t.Logf("a 256 MiB string in %d KB of gzip: %d MB allocated", gz.Len()>>10, alloc>>20)
}

// TestZstdWindow: a zstd frame asking for a 1 GiB window (issue 16: a 75 KB
// file allocated 1 GB) is refused on the first read; 128 MiB, what
// `zstd --long` writes, is the most accepted.
func TestZstdWindow(t *testing.T) {
	// Magic, a frame header descriptor with no content size, a window
	// descriptor (exponent e: 2^(10+e) bytes) and an empty last raw block.
	frame := func(exp byte) []byte {
		return []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, exp << 3, 0x01, 0x00, 0x00}
	}
	var err error
	alloc := allocated(func() {
		var br io.Reader
		var closeAll func()
		br, closeAll, err = decompress(bytes.NewReader(frame(20)))
		if err == nil {
			defer closeAll()
			_, err = io.ReadAll(br)
		}
	})
	if err == nil || !strings.Contains(err.Error(), "window size exceeded") {
		t.Errorf("1 GiB window: err %v, want window size exceeded", err)
	}
	t.Logf("1 GiB window refused after %d KB allocated", alloc>>10)
	br, closeAll, err := decompress(bytes.NewReader(frame(17)))
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll()
	if b, err := io.ReadAll(br); err != nil || len(b) != 0 {
		t.Errorf("128 MiB window: %d bytes, err %v; want an empty input", len(b), err)
	}
}

// TestPostLimitsAtImport: a CSV row with a 200 KiB text is stored cut to
// post.MaxTextBytes, one with a 2 MiB text (its raw row over
// post.MaxRawBytes) is skipped with an error; the summary says both.
func TestPostLimitsAtImport(t *testing.T) {
	in := filepath.Join(t.TempDir(), "big.csv")
	csv := "id,text,created_at\n1,short,2024-01-01\n2," + strings.Repeat("a", 200<<10) + ",2024-01-02\n3," + strings.Repeat("b", 2<<20) + ",2024-01-03\n"
	if err := os.WriteFile(in, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	sum, err := Import(context.Background(), s, []string{in}, Options{CSVSource: "twitter"})
	if err != nil {
		t.Fatal(err)
	}
	f := sum.Files[0]
	if f.Posts != 2 || f.Errors != 1 || f.Cut != 1 || sum.Counts.New != 2 {
		t.Errorf("posts %d, errors %d, cut %d, new %d; want 2, 1, 1, 2", f.Posts, f.Errors, f.Cut, sum.Counts.New)
	}
	if len(f.Errs) != 1 || !strings.Contains(f.Errs[0], "big.csv:4: post skipped: raw is") {
		t.Errorf("errors %q", f.Errs)
	}
	if notes := strings.Join(f.Notes, "\n"); !strings.Contains(notes, "big.csv:3: post twitter:2 over the per-post limits: text cut from 204800 to 131072 bytes") {
		t.Errorf("notes %q", f.Notes)
	}
	p, err := s.Get(context.Background(), "twitter:2")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Text) != post.MaxTextBytes {
		t.Errorf("stored text of %d bytes, want %d", len(p.Text), post.MaxTextBytes)
	}
}
