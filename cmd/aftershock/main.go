// Command aftershock archives and searches the public reaction to outages
// and company news. One binary, one data directory (archive.db + index/).
//
//	aftershock serve [--demo]       the web app (search, events, collections, /api/v1)
//	aftershock import FILE…         read collected posts into the archive
//	aftershock search QUERY         search the archive
//	aftershock stats                what the archive holds
//	aftershock event create SLUG    follow an incident (query, window, zone, status feeds)
//	aftershock timeline SLUG        its posts over time, spikes and official updates
//	aftershock status import FEED   read a status page's incidents
//	aftershock reindex              rebuild the search index from the archive
//	aftershock check                compare the index with the archive
//	aftershock bench import         measure import speed against stock Bleve
//
// The data directory is --data, else $AFTERSHOCK_DATA, else
// $XDG_DATA_HOME/aftershock (~/.local/share/aftershock).
package main

import (
	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/store"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
)

// env is what every command gets: where to write, and the data directory.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	log            *slog.Logger
	dataDir        string
}

type command struct {
	name, args, help string
	run              func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "[--addr A] [--demo]", "the web app on http://localhost:8080: search, event timelines, collections, JSON API", runServe},
		{"import", "[flags] FILE…", "read collected posts (X/Twitter, twarc2, Mastodon, Bluesky, HN, Reddit, CSV; .gz/.zst; - for stdin)", runImport},
		{"search", "[flags] QUERY", "search the archive", runSearch},
		{"show", "[--raw] ID…", "one post in full: counts, relations, earlier versions, raw payload", runShow},
		{"stats", "", "what the archive holds", runStats},
		{"reindex", "", "rebuild the search index from the archive", runReindex},
		{"rescore", "", "recompute language and sentiment for every post (after a model change)", runRescore},
		{"sentiment", "eval FILE", "our sentiment model beside VADER on a labelled file", runSentiment},
		{"event", "create|list|show|edit|delete", "incidents to follow: query, time window, zone, services, status feeds", runEvent},
		{"timeline", "SLUG [flags]", "an event's posts over time: volume per source, tone, spikes, status updates, lag", runTimeline},
		{"collect", "[--event SLUG]", "follow the events' live sources (Bluesky, Mastodon, HN, X, Reddit, status feeds) until Ctrl-C", runCollect},
		{"sources", "", "the live sources: state, cursor, last batch, gaps", runSources},
		{"status", "import FILE|URL…", "read status-page feeds (Statuspage JSON, Google Cloud, Atom/RSS); 'status list'", runStatus},
		{"collection", "create|add|show|…", "quote collections: snapshots of posts with notes and tags, ordered for a story", runCollection},
		{"export", "SLUG --format F", "a collection (or --event) as csv, xlsx, md, txt, html, json, jsonl, or a zip case file", runExport},
		{"spikes", "eval DIR", "our spike detector beside a rolling z-score on labelled volume series", runSpikes},
		{"check", "", "compare the search index with the archive", runCheck},
		{"token", "create|list|revoke", "API tokens for scripts: made (shown once), listed, revoked at once", runToken},
		{"backup", "FILE", "a consistent copy of the archive, taken while everything runs", runBackup},
		{"restore", "FILE [--force]", "put a backup in place (checked first) and rebuild the index", runRestore},
		{"probe", "URL", "GET a URL, succeed on 200 (the container's health check)", runProbe},
		{"bench", "import [flags]", "measure import speed side by side with stock Bleve", runBench},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks an error in how a command was called (exit status 2).
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	// No panic reaches the user as a Go stack dump: it is reported as a bug,
	// with the stack for the report.
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "aftershock: internal error (a bug; please report it with what follows): %v\n%s", v, debug.Stack())
			code = 3
		}
	}()
	fs := flag.NewFlagSet("aftershock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", "", "data directory (default $AFTERSHOCK_DATA or ~/.local/share/aftershock)")
	verbose := fs.Bool("v", false, "log debug messages")
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// -h/--help asked for the usage: it is the answer, not an error.
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		usage(stderr)
		return 2
	}
	rest := fs.Args()[1:]
	rest, *data, *verbose = globalFlags(rest, *data, *verbose)
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	e := &env{
		stdout: stdout, stderr: stderr, stdin: stdin,
		log:     slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})),
		dataDir: dataDir(*data),
	}
	name := fs.Arg(0)
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, rest)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "aftershock %s: %v\n", name, err)
			return 2
		case store.IsDiskFull(err):
			fmt.Fprintf(stderr, "aftershock %s: %v\n"+
				"The disk holding %s is full. Everything stored before this is intact. Free space (df -h %s), then run\n"+
				"the same command again: an import goes on where it stopped, skipping what it already stored.\n", name, err, e.dataDir, e.dataDir)
			return 1
		default:
			fmt.Fprintf(stderr, "aftershock %s: %v\n", name, err)
			return 1
		}
	}
	if name == "help" {
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "aftershock: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Aftershock archives and searches the public reaction to outages.\n\nUsage: aftershock [--data DIR] [-v] COMMAND [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %-29s %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintf(w, "\nRun 'aftershock COMMAND -h' for a command's flags.\n")
}

// openNoArgs parses the flags of a command that takes none but -h, and
// opens the archive.
func openNoArgs(ctx context.Context, e *env, name string, args []string) (*archive.Archive, error) {
	if _, err := parseFlags(newFlags(e, name, ""), args); err != nil {
		return nil, err
	}
	return archive.Open(ctx, e.dataDir, e.log)
}

// archivePath is the archive file of the data directory.
func archivePath(e *env) string { return filepath.Join(e.dataDir, archive.StoreFile) }

func dataDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if d := os.Getenv("AFTERSHOCK_DATA"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "aftershock")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "aftershock")
	}
	return "aftershock-data"
}

// newFlags makes a command's flag set that prints its usage to e.stderr.
func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: aftershock %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags that may come before and after positional
// arguments ("search aws --sort time").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// isTerminal reports whether w is a terminal (for progress lines).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	// /dev/null is a character device too, but no terminal.
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

// globalFlags takes the global flags (--data DIR, --data=DIR, -v) out of a
// command's arguments, so that they are accepted after the command too
// ("aftershock serve --data DIR"). It stops at "--".
func globalFlags(args []string, data string, verbose bool) ([]string, string, bool) {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(out, args[i:]...), data, verbose
		case a == "-v" || a == "--v":
			verbose = true
		case (a == "-data" || a == "--data") && i+1 < len(args):
			data = args[i+1]
			i++
		case strings.HasPrefix(a, "-data=") || strings.HasPrefix(a, "--data="):
			data = a[strings.Index(a, "=")+1:]
		default:
			out = append(out, a)
		}
	}
	return out, data, verbose
}
