package importer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/csvfile"
	"github.com/aftershock/aftershock/collector/twitter"
	"github.com/aftershock/aftershock/post"
	"github.com/aftershock/aftershock/store"
)

// Writer stores batches; *store.Store is one.
type Writer interface {
	Write(ctx context.Context, b store.Batch) ([]store.Outcome, error)
}

// Enricher adds what is computed once before the store write: language and
// sentiment (*sentiment.Scorer is one).
type Enricher interface {
	Enrich(p *post.Post)
}

// Options tune an import.
type Options struct {
	Format     Format          // force a format; empty detects it per input
	CSVColumns csvfile.Mapping // CSV columns that override the guessed ones
	// CSVSource, if set, is the platform of every CSV row, over any source
	// column; empty takes a source column that names platforms, else "csv".
	CSVSource     string
	CSVTimeLayout string         // layout of CSV times (csvfile.ParseTimeLayout); empty guesses it
	CSVLocation   *time.Location // zone of CSV times written without one; nil is UTC
	BatchSize     int            // posts per transaction (default 1000)
	Stdin         io.Reader      // what "-" reads (default os.Stdin)
	Now           func() time.Time
	Enrich        Enricher // nil: posts are stored as decoded
	// Progress, if set, is called after every batch and at the end of each input.
	Progress func(Summary)
	// Limits bound what one post may carry (zero: post's defaults); a post
	// over them is cut, or skipped when its raw payload is, and the file's
	// summary says so.
	Limits post.Limits
	// MaxRecordBytes bounds one record of any layout: a JSON line, value or
	// array element, a CSV row; zero is collector.MaxRecordBytes.
	MaxRecordBytes int
	// csvNote is told what the CSV decoder assumed about the input being
	// read (the zone of naive times, the order of day and month).
	csvNote func(string)
}

// Summary adds up an import.
type Summary struct {
	Inputs    int   // inputs opened (a folder or zip counts each file read in it)
	Read      int64 // records read: posts, deletions and unreadable records
	Errors    int64 // records (or inputs) that could not be read
	Counts    store.Counts
	Errs      []string // the first errors, "file:line: reason"
	Current   string   // the input being read
	Started   time.Time
	Formats   map[string]Format
	Files     []FileSummary // one per input read or skipped, in order
	NoRecords bool          // true when no input gave a single readable record
}

// FileSummary is what one input gave.
type FileSummary struct {
	Name    string
	Formats []Format // the formats its records were read as, most records first
	Records int64    // JSON records or CSV rows read
	Empty   int64    // records that held no post (likes, follows, empty pages, stream notices)
	Posts   int64
	Deletes int64
	Errors  int64
	Counts  store.Counts // what the posts and deletions did in the archive
	Errs    []string     // its first errors
	// Expected is the number of posts the input announces of itself
	// (ExpectedFrom names where: totalItems, meta.result_count, …); zero when
	// it announces none.
	Expected     int64
	ExpectedFrom []string
	Notes        []string // what was assumed or taken from elsewhere
	Cut          int64    // posts cut to the per-post limits (post.Limits); the first is described in Notes
	Skipped      string   // why the input was not read; empty when it was
}

// Short reports whether the input yielded far fewer posts than it announces
// (fewer than 90 %).
func (f FileSummary) Short() bool {
	return f.Expected > 0 && f.Posts*10 < f.Expected*9
}

// MaxErrors is how many error messages a summary keeps.
const MaxErrors = 20

// maxFileErrors is how many error messages a file's summary keeps.
const maxFileErrors = 3

func (s *Summary) fail(where string, err error) {
	s.Errors++
	if len(s.Errs) < MaxErrors {
		s.Errs = append(s.Errs, fmt.Sprintf("%s: %v", where, err))
	}
}

// failFile records an error of the input f.
func (s *Summary) failFile(f *FileSummary, where string, err error) {
	s.fail(where, err)
	f.Errors++
	if len(f.Errs) < maxFileErrors {
		f.Errs = append(f.Errs, fmt.Sprintf("%s: %v", where, err))
	}
}

// Import reads every input ("-" is standard input; a folder or zip file is
// every file in it, see sources) into w.
func Import(ctx context.Context, w Writer, inputs []string, opts Options) (Summary, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	sum := Summary{Started: opts.Now(), Formats: map[string]Format{}}
	good := int64(0)
	seen := map[string]bool{}
	for _, name := range inputs {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		srcs, closeSrcs, err := sources(name, opts.Stdin, opts.Now().UTC())
		if err != nil {
			sum.Files = append(sum.Files, FileSummary{Name: name, Errors: 1, Errs: []string{fmt.Sprintf("%s: %v", name, err)}})
			sum.fail(name, err)
			continue
		}
		for _, src := range srcs {
			// The same file named twice (overlapping globs) is read once.
			key := filepath.Clean(src.name)
			if seen[key] {
				continue
			}
			seen[key] = true
			if src.skip != "" {
				sum.Files = append(sum.Files, FileSummary{Name: src.name, Skipped: src.skip})
				continue
			}
			sum.Current = src.name
			n, err := importOne(ctx, w, src, opts, &sum)
			good += n
			if err != nil {
				closeSrcs()
				return sum, err
			}
			if opts.Progress != nil {
				opts.Progress(sum)
			}
		}
		closeSrcs()
	}
	sum.Current = ""
	sum.NoRecords = good == 0
	return sum, nil
}

// importOne imports one input. It returns the number of records read well and
// an error only when the archive cannot be written (the import must stop).
func importOne(ctx context.Context, w Writer, src source, opts Options, sum *Summary) (int64, error) {
	name := src.name
	sum.Files = append(sum.Files, FileSummary{Name: name, Notes: src.sc.notes})
	fs := &sum.Files[len(sum.Files)-1]
	if e := src.sc.expect; e != nil {
		fs.Expected, fs.ExpectedFrom = e.Posts, []string{e.Field}
	}
	opts.csvNote = func(n string) { fs.Notes = append(fs.Notes, n) }
	r, err := src.open()
	if err != nil {
		sum.failFile(fs, name, err)
		return 0, nil
	}
	defer r.Close()
	// A post whose payload does not say when it was collected was collected
	// when its file was last written; from standard input, now.
	collected := src.collected
	sum.Inputs++
	items, format, closeAll, st, err := decode(r, opts, src.sc)
	if err != nil {
		sum.failFile(fs, name, err)
		return 0, nil
	}
	defer closeAll()
	sum.Formats[name] = format
	before := sum.Counts

	var (
		batch store.Batch
		good  int64
	)
	flush := func() error {
		if len(batch.Posts)+len(batch.Deletes) == 0 {
			return nil
		}
		out, err := w.Write(ctx, batch)
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		for _, o := range out {
			sum.Counts.Add(o)
		}
		batch = store.Batch{}
		if opts.Progress != nil {
			opts.Progress(*sum)
		}
		return nil
	}
	err = safeRange(items, func(it collector.Item) error {
		where := name
		if it.Line > 0 {
			where = fmt.Sprintf("%s:%d", name, it.Line)
		}
		if it.Expect != nil {
			fs.Expected += it.Expect.Posts
			if !slices.Contains(fs.ExpectedFrom, it.Expect.Field) {
				fs.ExpectedFrom = append(fs.ExpectedFrom, it.Expect.Field)
			}
			return nil
		}
		sum.Read++
		switch {
		case it.Err != nil:
			sum.failFile(fs, where, it.Err)
			return nil
		case it.Post != nil:
			p := it.Post
			if p.CollectedAt.IsZero() {
				p.CollectedAt = collected
			}
			if err := p.Validate(); err != nil {
				sum.failFile(fs, where, err)
				return nil
			}
			cut, err := p.Limit(opts.Limits)
			if err != nil {
				sum.failFile(fs, where, err)
				return nil
			}
			if cut != nil {
				if fs.Cut == 0 {
					fs.Notes = append(fs.Notes, fmt.Sprintf("%s: post %s over the per-post limits: %s (later posts cut are only counted)", where, p.ID, strings.Join(cut, ", ")))
				}
				fs.Cut++
			}
			if opts.Enrich != nil {
				opts.Enrich.Enrich(p)
			}
			batch.Posts = append(batch.Posts, *p)
			fs.Posts++
		case it.Delete != nil:
			batch.Deletes = append(batch.Deletes, *it.Delete)
			fs.Deletes++
		}
		good++
		if len(batch.Posts)+len(batch.Deletes) >= opts.BatchSize {
			return flush()
		}
		return ctx.Err()
	})
	if err != nil {
		if _, ok := err.(decoderPanic); ok {
			sum.failFile(fs, name, err)
		} else {
			return good, err
		}
	}
	if fs.Cut > 1 {
		fs.Notes = append(fs.Notes, fmt.Sprintf("%d posts cut to the per-post limits", fs.Cut))
	}
	err = flush()
	fs.Counts = store.Counts{New: sum.Counts.New - before.New, Updated: sum.Counts.Updated - before.Updated,
		Unchanged: sum.Counts.Unchanged - before.Unchanged, Deleted: sum.Counts.Deleted - before.Deleted}
	if st != nil {
		fs.Records, fs.Empty = int64(st.records), int64(st.empty)
		fs.Formats = st.sorted()
	} else {
		// CSV rows and X archive records each give a post or an error (an
		// archive's deleted tweet its post and then its deletion).
		fs.Records = fs.Posts + fs.Errors
		fs.Formats = []Format{format}
	}
	return good, err
}

// Decode undoes compression and encoding on r, tells its layout and returns
// its records: JSON is read record by record, each record decoded as its own
// format (see decodeJSON) unless opts.Format forces one; CSV and the X
// archive's JavaScript are read as whole streams. format is the input's
// layout or, for JSON, the format of its first record as far as the first
// 256 KiB show it (empty when they do not). closeAll releases what Decode
// opened (r itself stays open).
func Decode(r io.Reader, opts Options) (items iter.Seq[collector.Item], format Format, closeAll func(), err error) {
	items, format, closeAll, _, err = decode(r, opts, sidecars{})
	return items, format, closeAll, err
}

func decode(r io.Reader, opts Options, sc sidecars) (items iter.Seq[collector.Item], format Format, closeAll func(), st *jsonStats, err error) {
	br, closeAll, err := decompress(r)
	if err != nil {
		return nil, "", nil, nil, err
	}
	head, _ := br.Peek(256 << 10)
	layout, err := sniff(head)
	if err != nil && opts.Format == formatUnset {
		closeAll()
		return nil, "", nil, nil, err
	}
	format = opts.Format
	if format == formatUnset {
		format = layout
	}
	switch format {
	case BlueskyRepo:
		return bluesky.DecodeRepo(br), BlueskyRepo, closeAll, nil, nil
	case CSV:
		return decodeCSV(br, opts), CSV, closeAll, nil, nil
	case XArchive:
		if layout == XArchive || opts.Format == XArchive {
			return twitter.DecodeArchiveWith(br, twitter.ArchiveOptions{Owner: sc.owner, Notes: sc.longPosts}), XArchive, closeAll, nil, nil
		}
	case formatUnset:
		// JSON: the first record's format, for the caller's information.
		format, _ = classify(firstObjectKeys(bytes.TrimLeft(head, " \t\r\n")))
	}
	st = &jsonStats{}
	return decodeJSON(br, opts.Format, opts.MaxRecordBytes, sc, st), format, closeAll, st, nil
}

type decoderPanic struct{ v any }

func (p decoderPanic) Error() string {
	return fmt.Sprintf("decoder failed (a bug; please report it): %v", p.v)
}

// safeRange calls fn for each item and stops at fn's first error; a panic in
// the decoder is returned as a decoderPanic rather than crashing the import.
func safeRange(items iter.Seq[collector.Item], fn func(collector.Item) error) (err error) {
	inFn := false
	defer func() {
		if v := recover(); v != nil {
			if inFn {
				panic(v)
			}
			err = decoderPanic{v}
		}
	}()
	for it := range items {
		inFn = true
		if err := fn(it); err != nil {
			return err
		}
		inFn = false
	}
	return nil
}

// decodeCSV reads a CSV input.
func decodeCSV(r io.Reader, opts Options) iter.Seq[collector.Item] {
	return csvfile.Decode(r, csvfile.Options{Columns: opts.CSVColumns, Source: opts.CSVSource, DefaultSource: "csv",
		TimeLayout: opts.CSVTimeLayout, Location: opts.CSVLocation, Note: opts.csvNote, MaxRecordBytes: opts.MaxRecordBytes})
}
