package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/bench"
)

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "import" { // the name of the first version of this command
		args = args[1:]
	}
	fs := newFlags(e, "bench", "[flags]")
	sizes := fs.String("n", "100000", "corpus sizes, comma-separated (e.g. 100000,1000000)")
	runs := fs.Int("runs", 3, "builds of each engine per size; import figures are the median (and p95) over them")
	reps := fs.Int("reps", 20, "repetitions of each query per run; latencies are p50 and p95 over all of them")
	engineList := fs.String("engines", "aftershock,stock-bleve,sqlite-fts5", "engines to compare, ours first")
	corpus := fs.String("corpus", filepath.Join("..", "shared", "data"), "folder of real posts the corpus is replayed from")
	keep := fs.String("keep", "", "keep our archive of the last run in this directory, to serve it (load tests); on the same filesystem as -tmp")
	tmp := fs.String("tmp", "", "folder for the throw-away archives (default: the system's temporary folder)")
	jsonOut := fs.String("json", "", "also write every measurement as JSON to this file")
	child := fs.String("child", "", "(internal) build, query or open in this process and print the result as JSON")
	dirs := fs.String("dirs", "", "(internal) the archives of -child, one per engine")
	cpuprofile := fs.String("cpuprofile", "", "with -child: write a CPU profile to this file")
	exports := fs.Bool("exports", true, "time the exports of the whole archive too (at 10M posts each repetition takes minutes)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	engines := splitList(*engineList)
	seed, err := bench.LoadSeed(*corpus)
	if err != nil {
		return err
	}
	var ns []int
	for _, s := range splitList(*sizes) {
		n, err := strconv.Atoi(strings.ReplaceAll(s, "_", ""))
		if err != nil || n <= 0 {
			return fmt.Errorf("%w: -n: %q is not a number of posts", errUsage, s)
		}
		ns = append(ns, n)
	}
	if *child != "" {
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
		return benchChild(ctx, e, *child, engines, splitList(*dirs), bench.NewCorpus(seed, ns[0]), *reps, *exports)
	}

	// The children run a private copy of this binary, so that rebuilding
	// bin/aftershock during an hour-long run cannot change the program
	// half-way (a new index mapping would throw a built index away).
	self, err := copyExecutable(*tmp)
	if err != nil {
		return err
	}
	defer os.Remove(self)
	call := func(out any, args ...string) error {
		cmd := exec.CommandContext(ctx, self, append([]string{"bench", "-corpus", *corpus}, args...)...)
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, e.stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("bench %s: %w", strings.Join(args, " "), err)
		}
		return json.Unmarshal(buf.Bytes(), out)
	}
	fmt.Fprintf(e.stderr, "corpus: %d seed posts from %s\n", len(seed), *corpus)
	var report []bench.SizeReport
	for _, n := range ns {
		r := bench.SizeReport{Posts: n}
		for run := range *runs {
			dirs := make([]string, len(engines))
			for i := range engines {
				if dirs[i], err = os.MkdirTemp(*tmp, "aftershock-bench-"); err != nil {
					return err
				}
				defer os.RemoveAll(dirs[i])
			}
			// Alternate the build order so that no engine always builds first.
			order := make([]int, len(engines))
			for i := range order {
				order[i] = (i + run) % len(engines)
			}
			for _, i := range order {
				var m bench.BuildMeasure
				if err := call(&m, "-n", strconv.Itoa(n), "-child", "build", "-engines", engines[i], "-dirs", dirs[i]); err != nil {
					return err
				}
				fmt.Fprintf(e.stderr, "%s posts, run %d: %-12s searchable in %.1fs\n", thousands(int64(n)), run+1, engines[i], m.SearchableSecs)
				r.Builds = append(r.Builds, m)
			}
			var qs []bench.QueryMeasure
			if err := call(&qs, "-n", strconv.Itoa(n), "-child", "query", "-engines", *engineList, "-dirs", strings.Join(dirs, ","), "-reps", strconv.Itoa(*reps), "-exports="+strconv.FormatBool(*exports)); err != nil {
				return err
			}
			r.AddQueries(qs)
			for i := range engines {
				var o bench.OpenMeasure
				if err := call(&o, "-n", strconv.Itoa(n), "-child", "open", "-engines", engines[i], "-dirs", dirs[i], "-exports="+strconv.FormatBool(*exports)); err != nil {
					return err
				}
				r.Opens = append(r.Opens, o)
			}
			for i, d := range dirs {
				if *keep != "" && engines[i] == (bench.Ours{}).Name() {
					os.RemoveAll(*keep)
					if err := os.Rename(d, *keep); err != nil {
						return fmt.Errorf("bench: -keep: %w", err)
					}
					continue
				}
				os.RemoveAll(d)
			}
		}
		report = append(report, r)
	}
	noExports := ""
	if !*exports {
		noExports = " -exports=false"
	}
	fmt.Fprintf(e.stdout, "aftershock bench -n %s -runs %d -reps %d -engines %s%s\n", *sizes, *runs, *reps, *engineList, noExports)
	bench.Print(e.stdout, engines, report)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(report, "", " ")
		return os.WriteFile(*jsonOut, b, 0o644)
	}
	return nil
}

// benchChild does one part of a benchmark in this process and prints its
// measurement as JSON.
func benchChild(ctx context.Context, e *env, what string, engines, dirs []string, c bench.Corpus, reps int, exports bool) error {
	if len(dirs) != len(engines) {
		return fmt.Errorf("%w: -dirs needs one folder per engine", errUsage)
	}
	var out any
	switch what {
	case "build", "open":
		eng, err := bench.EngineByName(engines[0])
		if err != nil {
			return err
		}
		if what == "build" {
			out, err = bench.Build(ctx, eng, dirs[0], c)
		} else {
			out, err = bench.OpenAndQuery(ctx, eng, dirs[0], c, exports)
		}
		if err != nil {
			return err
		}
	case "query":
		var searchers []bench.Searcher
		for i, name := range engines {
			eng, err := bench.EngineByName(name)
			if err != nil {
				return err
			}
			s, err := eng.Open(ctx, dirs[i])
			if err != nil {
				return err
			}
			defer s.Close()
			searchers = append(searchers, s)
		}
		ms, err := bench.RunQueries(ctx, engines, searchers, c, reps, exports)
		if err != nil {
			return err
		}
		out = ms
	default:
		return fmt.Errorf("%w: -child %q", errUsage, what)
	}
	return json.NewEncoder(e.stdout).Encode(out)
}

// copyExecutable copies the running binary into dir (the system's temporary
// folder when empty) and returns the copy's path.
func copyExecutable(dir string) (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	src, err := os.Open(self)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp(dir, "aftershock-bench-bin-")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(dst.Name())
		return "", err
	}
	if err := dst.Chmod(0o755); err != nil {
		dst.Close()
		os.Remove(dst.Name())
		return "", err
	}
	return dst.Name(), dst.Close()
}
