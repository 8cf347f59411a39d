package importer

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"time"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/collector/bluesky"
	"github.com/aftershock/aftershock/collector/csvfile"
	"github.com/aftershock/aftershock/collector/hackernews"
	"github.com/aftershock/aftershock/collector/mastodon"
	"github.com/aftershock/aftershock/collector/reddit"
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
	// csvNote is told what the CSV decoder assumed about the input being
	// read (the zone of naive times, the order of day and month).
	csvNote func(string)
}

// Summary adds up an import.
type Summary struct {
	Inputs    int   // inputs opened
	Read      int64 // records read: posts, deletions and unreadable records
	Errors    int64 // records (or inputs) that could not be read
	Counts    store.Counts
	Errs      []string // the first errors, "file:line: reason"
	Current   string   // the input being read
	Started   time.Time
	Formats   map[string]Format
	NoRecords bool // true when no input gave a single readable record
}

// MaxErrors is how many error messages a summary keeps.
const MaxErrors = 20

func (s *Summary) fail(where string, err error) {
	s.Errors++
	if len(s.Errs) < MaxErrors {
		s.Errs = append(s.Errs, fmt.Sprintf("%s: %v", where, err))
	}
}

// Import reads every input ("-" is standard input) into w.
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
		// The same file named twice (overlapping globs) is read once.
		key := filepath.Clean(name)
		if seen[key] {
			continue
		}
		seen[key] = true
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		sum.Current = name
		n, err := importOne(ctx, w, name, opts, &sum)
		good += n
		if err != nil {
			return sum, err
		}
		if opts.Progress != nil {
			opts.Progress(sum)
		}
	}
	sum.Current = ""
	sum.NoRecords = good == 0
	return sum, nil
}

// importOne imports one input. It returns the number of records read well and
// an error only when the archive cannot be written (the import must stop).
func importOne(ctx context.Context, w Writer, name string, opts Options, sum *Summary) (int64, error) {
	var r io.Reader
	// A post whose payload does not say when it was collected was collected
	// when its file was last written; from standard input, now.
	collected := opts.Now().UTC()
	if name == "-" {
		r = opts.Stdin
		name = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			sum.fail(name, err)
			return 0, nil
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			sum.fail(name, err)
			return 0, nil
		}
		if fi.IsDir() {
			sum.fail(name, fmt.Errorf("is a directory (give the files in it, e.g. %s/*)", name))
			return 0, nil
		}
		collected = fi.ModTime().UTC().Truncate(time.Millisecond)
		r = f
	}
	sum.Inputs++
	items, format, closeAll, err := Decode(r, opts)
	if err != nil {
		sum.fail(name, err)
		return 0, nil
	}
	defer closeAll()
	sum.Formats[name] = format

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
		sum.Read++
		where := name
		if it.Line > 0 {
			where = fmt.Sprintf("%s:%d", name, it.Line)
		}
		switch {
		case it.Err != nil:
			sum.fail(where, it.Err)
			return nil
		case it.Post != nil:
			p := it.Post
			if p.CollectedAt.IsZero() {
				p.CollectedAt = collected
			}
			if err := p.Validate(); err != nil {
				sum.fail(where, err)
				return nil
			}
			if opts.Enrich != nil {
				opts.Enrich.Enrich(p)
			}
			batch.Posts = append(batch.Posts, *p)
		case it.Delete != nil:
			batch.Deletes = append(batch.Deletes, *it.Delete)
		}
		good++
		if len(batch.Posts)+len(batch.Deletes) >= opts.BatchSize {
			return flush()
		}
		return ctx.Err()
	})
	if err != nil {
		if _, ok := err.(decoderPanic); ok {
			sum.fail(name, err)
		} else {
			return good, err
		}
	}
	return good, flush()
}

// Decode undoes compression and encoding on r, detects its format unless
// opts.Format is set, and returns its records. closeAll releases what Decode
// opened (r itself stays open).
func Decode(r io.Reader, opts Options) (items iter.Seq[collector.Item], format Format, closeAll func(), err error) {
	br, closeAll, err := decompress(r)
	if err != nil {
		return nil, "", nil, err
	}
	format = opts.Format
	if format == formatUnset {
		head, _ := br.Peek(256 << 10)
		if format, err = Detect(head); err != nil {
			closeAll()
			return nil, "", nil, err
		}
	}
	decode, err := decoder(format, opts)
	if err != nil {
		closeAll()
		return nil, "", nil, err
	}
	return decode(br), format, closeAll, nil
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

// decoder returns the decode function for a format.
func decoder(f Format, opts Options) (collector.DecodeFunc, error) {
	switch f {
	case TwitterV1:
		return twitter.DecodeV1, nil
	case Twarc2:
		return twitter.DecodeTwarc2, nil
	case XArchive:
		return twitter.DecodeArchive, nil
	case Mastodon:
		return mastodon.DecodeStatuses, nil
	case Outbox:
		return mastodon.DecodeOutbox, nil
	case Jetstream:
		return bluesky.DecodeJetstream, nil
	case HackerNews:
		return hackernews.DecodeAlgolia, nil
	case RedditJSON:
		return reddit.DecodeListing, nil
	case CSV:
		return func(r io.Reader) iter.Seq[collector.Item] {
			return csvfile.Decode(r, csvfile.Options{Columns: opts.CSVColumns, Source: opts.CSVSource, DefaultSource: "csv",
				TimeLayout: opts.CSVTimeLayout, Location: opts.CSVLocation, Note: opts.csvNote})
		}, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownFormat, f)
}
