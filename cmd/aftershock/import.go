package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/csvfile"
	"github.com/aftershock/aftershock/collector/importer"
	"github.com/aftershock/aftershock/sentiment"
	"github.com/aftershock/aftershock/store"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "[flags] FILE… (- reads standard input)")
	format := fs.String("format", "", "force a format instead of detecting it: "+formatNames())
	columns := fs.String("columns", "", `CSV columns, e.g. "id=Tweet ID,text=Tweet Text,created_at=Timestamp,author=User"`)
	source := fs.String("source", "", `platform of every CSV row, e.g. twitter, over any source column (default: a source column that names platforms, else "csv")`)
	timeLayout := fs.String("time-layout", "", `layout of CSV times: a date order such as M/D/YYYY, D/M/YYYY, D.M.YYYY, a spreadsheet-style layout such as "D/M/YYYY HH:mm", or a Go layout such as "02.01.2006 15:04" (default: guessed; the day/month order from the file's values)`)
	tz := fs.String("tz", "UTC", "time zone of CSV times written without one, an IANA name such as America/Los_Angeles")
	noIndex := fs.Bool("no-index", false, "only store; index later (aftershock reindex, or the next command that searches)")
	inputs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		fs.Usage()
		return fmt.Errorf("%w: no input files (use - for standard input)", errUsage)
	}
	scorer, err := sentiment.New()
	if err != nil {
		return err
	}
	opts := importer.Options{CSVSource: *source, CSVTimeLayout: *timeLayout, Stdin: e.stdin, Enrich: scorer}
	if _, err := csvfile.ParseTimeLayout(*timeLayout); err != nil {
		return fmt.Errorf("%w: --time-layout: %v", errUsage, err)
	}
	if opts.CSVLocation, err = time.LoadLocation(*tz); err != nil || *tz == "Local" || *tz == "" {
		return fmt.Errorf("%w: --tz %q is not a time zone: use an IANA name such as UTC, Europe/Berlin, America/Los_Angeles", errUsage, *tz)
	}
	if opts.Format, err = importer.ParseFormat(*format); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *columns != "" {
		if opts.CSVColumns, err = csvfile.ParseMapping(*columns); err != nil {
			return fmt.Errorf("%w: --columns: %v", errUsage, err)
		}
	}

	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()

	// Case files (zip exports of a collection) are restored, not decoded.
	var cases []string
	inputs = slices.DeleteFunc(inputs, func(in string) bool {
		if in != "-" && isCaseFile(in) {
			cases = append(cases, in)
			return true
		}
		return false
	})
	for _, c := range cases {
		if err := restoreCaseFile(ctx, e, a, c); err != nil {
			return err
		}
	}
	if len(inputs) == 0 {
		if a.Index != nil && !*noIndex {
			return catchUp(ctx, e, a)
		}
		return nil
	}
	runID, err := a.Store.StartRun(ctx, inputs)
	if err != nil {
		return err
	}

	// The indexer tails the store while the import writes, so posts become
	// searchable as they arrive.
	var (
		wg       sync.WaitGroup
		indexed  int64
		indexErr error
		done     = make(chan struct{})
	)
	if a.Index != nil && !*noIndex {
		wg.Add(1)
		go func() {
			defer wg.Done()
			indexed, indexErr = a.Follow(ctx, done, 300*time.Millisecond)
		}()
	}

	term := isTerminal(e.stderr)
	var lastPrint time.Time
	opts.Progress = func(s importer.Summary) {
		if !term || time.Since(lastPrint) < 200*time.Millisecond {
			return
		}
		lastPrint = time.Now()
		el := time.Since(s.Started).Seconds()
		fmt.Fprintf(e.stderr, "\r\033[K%s records  %s/s  %d errors  %s", thousands(s.Read), thousands(int64(float64(s.Read)/max(el, 0.001))), s.Errors, s.Current)
	}
	sum, err := importer.Import(ctx, a.Store, inputs, opts)
	close(done)
	wg.Wait()
	if term {
		fmt.Fprint(e.stderr, "\r\033[K")
	}
	finishErr := a.Store.FinishRun(context.WithoutCancel(ctx), store.Run{
		ID: runID, Read: sum.Read, New: int64(sum.Counts.New), Updated: int64(sum.Counts.Updated),
		Unchanged: int64(sum.Counts.Unchanged), Deleted: int64(sum.Counts.Deleted), Errors: sum.Errors, FirstErrors: sum.Errs,
	})
	printSummary(e, sum, indexed)
	switch {
	case errors.Is(a.IndexErr, archive.ErrIndexBusy):
		fmt.Fprintf(e.stdout, "index: %v; it picks the new posts up by itself\n", a.IndexErr)
	case a.Index == nil:
		fmt.Fprintf(e.stdout, "index: not updated: %v\n", a.IndexErr)
	case *noIndex:
		fmt.Fprintln(e.stdout, "index: not updated (--no-index); the next search or 'aftershock reindex' catches up")
	case store.IsDiskFull(indexErr):
		fmt.Fprintf(e.stdout, "index: stopped, the disk is full; it catches up by itself (next import, search or serve) once there is space\n")
	case indexErr != nil && !errors.Is(indexErr, context.Canceled):
		fmt.Fprintf(e.stdout, "index: %v (run 'aftershock check', then 'aftershock reindex')\n", indexErr)
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("interrupted: what it stored is kept (%s new posts); run the same import again to go on, it skips what is stored", thousands(int64(sum.Counts.New)))
	}
	if err != nil {
		return err
	}
	if finishErr != nil {
		return finishErr
	}
	if sum.NoRecords {
		return errors.New("nothing could be read")
	}
	return nil
}

func printSummary(e *env, s importer.Summary, indexed int64) {
	el := time.Since(s.Started)
	fmt.Fprintf(e.stdout, "read %s records from %d inputs in %s (%s records/s)\n",
		thousands(s.Read), s.Inputs, el.Round(time.Millisecond), thousands(int64(float64(s.Read)/max(el.Seconds(), 0.001))))
	fmt.Fprintf(e.stdout, "  new %s  updated %s  unchanged %s  deleted %s  skipped %s  indexed %s\n",
		thousands(int64(s.Counts.New)), thousands(int64(s.Counts.Updated)), thousands(int64(s.Counts.Unchanged)),
		thousands(int64(s.Counts.Deleted)), thousands(s.Errors), thousands(indexed))
	printFiles(e, s.Files)
	if len(s.Errs) > 0 {
		fmt.Fprintf(e.stdout, "first errors:\n")
		for _, m := range s.Errs {
			fmt.Fprintf(e.stdout, "  %s\n", m)
		}
		if s.Errors > int64(len(s.Errs)) {
			fmt.Fprintf(e.stdout, "  … and %s more\n", thousands(s.Errors-int64(len(s.Errs))))
		}
	}
}

// maxFileLines is how many inputs the summary lists one by one; past that it
// lists only those with a warning, an error or a reason they were not read.
const maxFileLines = 40

// printFiles prints what each input gave: its formats, records, posts,
// deletions and errors, what was assumed, and a warning when it yields far
// fewer posts than it announces.
func printFiles(e *env, files []importer.FileSummary) {
	if len(files) == 0 {
		return
	}
	fmt.Fprintln(e.stdout, "per input:")
	quiet := 0
	for _, f := range files {
		if len(files) > maxFileLines && f.Errors == 0 && !f.Short() && f.Skipped == "" {
			quiet++
			continue
		}
		if f.Skipped != "" {
			fmt.Fprintf(e.stdout, "  %s: not read, %s\n", f.Name, f.Skipped)
			continue
		}
		formats := make([]string, len(f.Formats))
		for i, ft := range f.Formats {
			formats[i] = string(ft)
		}
		line := fmt.Sprintf("  %s [%s]: %s records, %s posts", f.Name, strings.Join(formats, ", "), thousands(f.Records), thousands(f.Posts))
		if f.Deletes > 0 {
			line += fmt.Sprintf(", %s deletions", thousands(f.Deletes))
		}
		if f.Errors > 0 {
			line += fmt.Sprintf(", %s unreadable", thousands(f.Errors))
		}
		if f.Empty > 0 {
			line += fmt.Sprintf(", %s records without posts", thousands(f.Empty))
		}
		line += fmt.Sprintf(" → new %s, updated %s, unchanged %s, deleted %s",
			thousands(int64(f.Counts.New)), thousands(int64(f.Counts.Updated)), thousands(int64(f.Counts.Unchanged)), thousands(int64(f.Counts.Deleted)))
		fmt.Fprintln(e.stdout, line)
		for _, n := range f.Notes {
			fmt.Fprintf(e.stdout, "    note: %s\n", n)
		}
		if f.Short() {
			fmt.Fprintf(e.stdout, "    warning: it announces %s posts (%s) but %s were read\n",
				thousands(f.Expected), strings.Join(f.ExpectedFrom, ", "), thousands(f.Posts))
		}
	}
	if quiet > 0 {
		fmt.Fprintf(e.stdout, "  … and %s more inputs read without a warning or an error\n", thousands(int64(quiet)))
	}
}

func formatNames() string {
	var names []string
	for _, f := range importer.Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// thousands formats n with thousands separators: 1234567 → "1,234,567".
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
