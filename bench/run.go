package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// Variants that RunImport knows.
const (
	Ours  = "aftershock"  // store + our index, the index tailing the store
	Stock = "stock-bleve" // bleve.New with the default mapping, batches of 1,000
)

// ImportResult is one measured import.
type ImportResult struct {
	Variant        string  `json:"variant"`
	Posts          int     `json:"posts"`
	StoredSecs     float64 `json:"stored_secs"`     // until the last post was committed to the store (0 for Stock, which has none)
	SearchableSecs float64 `json:"searchable_secs"` // until the last post was searchable
	CPUSecs        float64 `json:"cpu_secs"`        // user + system CPU of the process during the import
	PeakRSS        int64   `json:"peak_rss"`        // bytes, the process's high-water mark
	StoreBytes     int64   `json:"store_bytes"`
	IndexBytes     int64   `json:"index_bytes"`
}

// Corpus times: three days from the S3 outage on.
var corpusStart = time.Date(2017, 2, 27, 0, 0, 0, 0, time.UTC)

const corpusSpan = 72 * time.Hour

// BatchSize is the batch both variants write in.
const BatchSize = 1000

// RunImport imports n replayed posts into a fresh directory dir with the
// given variant and measures it.
func RunImport(ctx context.Context, variant, dir string, seed []post.Post, n int) (ImportResult, error) {
	r := ImportResult{Variant: variant, Posts: n}
	cpu0 := cpuSeconds()
	var err error
	switch variant {
	case Ours:
		err = runOurs(ctx, dir, seed, n, &r)
	case Stock:
		err = runStock(dir, seed, n, &r)
	default:
		err = fmt.Errorf("unknown variant %q", variant)
	}
	if err != nil {
		return r, fmt.Errorf("bench %s: %w", variant, err)
	}
	r.CPUSecs = cpuSeconds() - cpu0
	r.PeakRSS = peakRSS()
	return r, nil
}

func runOurs(ctx context.Context, dir string, seed []post.Post, n int, r *ImportResult) error {
	a, err := archive.Open(ctx, dir, nil)
	if err != nil {
		return err
	}
	defer a.Close()
	if a.Index == nil {
		return a.IndexErr
	}
	start := time.Now()
	stored := make(chan int64, 1)
	indexed := make(chan error, 1)
	go func() {
		final := int64(-1)
		for {
			if _, err := a.CatchUp(ctx, nil); err != nil {
				indexed <- err
				return
			}
			if final < 0 {
				select {
				case final = <-stored:
				default:
					time.Sleep(20 * time.Millisecond)
				}
				continue
			}
			seq, err := a.Index.LastSeq()
			if err != nil || seq >= final {
				indexed <- err
				return
			}
		}
	}()
	var b store.Batch
	for i := range n {
		b.Posts = append(b.Posts, Replay(seed, i, n, corpusStart, corpusSpan))
		if len(b.Posts) == BatchSize || i == n-1 {
			if _, err := a.Store.Write(ctx, b); err != nil {
				return err
			}
			b.Posts = b.Posts[:0]
		}
	}
	r.StoredSecs = time.Since(start).Seconds()
	seq, err := a.Store.MaxSeq(ctx)
	if err != nil {
		return err
	}
	stored <- seq
	if err := <-indexed; err != nil {
		return err
	}
	r.SearchableSecs = time.Since(start).Seconds()
	if err := a.Store.Checkpoint(ctx); err != nil {
		return err
	}
	r.StoreBytes = dirSize(dir, func(p string) bool { return strings.HasPrefix(filepath.Base(p), archive.StoreFile) })
	r.IndexBytes = dirSize(filepath.Join(dir, archive.IndexDir), nil)
	return nil
}

// stockDoc is what the baseline indexes: the fields a search needs.
type stockDoc struct {
	Text     string    `json:"text"`
	Author   string    `json:"author"`
	Source   string    `json:"source"`
	Lang     string    `json:"lang"`
	Created  time.Time `json:"created"`
	Hashtags []string  `json:"hashtags"`
}

func runStock(dir string, seed []post.Post, n int, r *ImportResult) error {
	path := filepath.Join(dir, "stock.bleve")
	ix, err := bleve.New(path, bleve.NewIndexMapping())
	if err != nil {
		return err
	}
	start := time.Now()
	b := ix.NewBatch()
	for i := range n {
		p := Replay(seed, i, n, corpusStart, corpusSpan)
		if err := b.Index(p.ID, stockDoc{p.Text, p.Author.Handle, p.Source, p.Lang, p.CreatedAt, p.Hashtags}); err != nil {
			return err
		}
		if b.Size() == BatchSize || i == n-1 {
			if err := ix.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	r.SearchableSecs = time.Since(start).Seconds()
	if err := ix.Close(); err != nil {
		return err
	}
	r.IndexBytes = dirSize(path, nil)
	return nil
}

func dirSize(dir string, keep func(string) bool) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (keep != nil && !keep(p)) {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			n += fi.Size()
		}
		return nil
	})
	return n
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// peakRSS reads the process's resident-set high-water mark (Linux).
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
