package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"

	"github.com/aftershock/aftershock/bench"
)

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%w: aftershock bench import [flags]", errUsage)
	}
	fs := newFlags(e, "bench import", "[flags]")
	n := fs.Int("n", 100000, "posts in the corpus")
	runs := fs.Int("runs", 3, "runs of each variant; the report gives medians")
	corpus := fs.String("corpus", filepath.Join("..", "shared", "data"), "folder of real posts the corpus is replayed from")
	tmp := fs.String("tmp", "", "folder for the throw-away archives (default: the system's temporary folder)")
	child := fs.String("child", "", "(internal) run one variant in this process and print its result as JSON")
	cpuprofile := fs.String("cpuprofile", "", "with -child: write a CPU profile of the run to this file")
	if _, err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	seed, err := bench.LoadSeed(*corpus)
	if err != nil {
		return err
	}
	if *child != "" {
		dir, err := os.MkdirTemp(*tmp, "aftershock-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if *cpuprofile != "" {
			f, err := os.Create(*cpuprofile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		r, err := bench.RunImport(ctx, *child, dir, seed, *n)
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(r)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "corpus: %d seed posts from %s, replayed to %d\n", len(seed), *corpus, *n)
	var results []bench.ImportResult
	for run := range *runs {
		// Alternate the order so neither variant always runs on a warm cache.
		variants := []string{bench.Ours, bench.Stock}
		if run%2 == 1 {
			variants = []string{bench.Stock, bench.Ours}
		}
		for _, v := range variants {
			cmd := exec.CommandContext(ctx, self, "bench", "import", "-n", strconv.Itoa(*n), "-corpus", *corpus, "-tmp", *tmp, "-child", v)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, e.stderr
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("run %d %s: %w", run+1, v, err)
			}
			var r bench.ImportResult
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				return fmt.Errorf("run %d %s: %w", run+1, v, err)
			}
			fmt.Fprintf(e.stderr, "run %d %-12s searchable in %.2fs\n", run+1, v, r.SearchableSecs)
			results = append(results, r)
		}
	}
	bench.PrintImport(e.stdout, results)
	return nil
}
