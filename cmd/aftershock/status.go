package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/collector/status"
)

func runStatus(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: status import FILE|URL… | status list", errUsage)
	}
	switch args[0] {
	case "import":
		fs := newFlags(e, "status import", "FILE|URL…\n\nReads Atlassian Statuspage JSON (incidents.json, one incident), Google Cloud incidents.json,\nand Atom/RSS status feeds (Statuspage history.atom/.rss, AWS, others).")
		pos, err := parseFlags(fs, args[1:])
		if err != nil {
			return err
		}
		if len(pos) == 0 {
			return fmt.Errorf("%w: status import takes one or more files or URLs", errUsage)
		}
		if pos, err = expandDirs(pos); err != nil {
			return err
		}
		a, err := archive.Open(ctx, e.dataDir, e.log)
		if err != nil {
			return err
		}
		defer a.Close()
		failed := 0
		for _, src := range pos {
			if err := importStatus(ctx, e, a, src); err != nil {
				fmt.Fprintf(e.stderr, "%v\n", err)
				failed++
			}
		}
		if failed > 0 {
			return fmt.Errorf("%d of %d feeds could not be read", failed, len(pos))
		}
		return nil
	case "list":
		return statusList(ctx, e, args[1:])
	}
	return fmt.Errorf("%w: unknown status command %q (import, list)", errUsage, args[0])
}

// importStatus reads one feed (a file, or an http(s) URL) and stores its
// incidents. Entries it cannot read are reported one by one; the rest is kept.
func importStatus(ctx context.Context, e *env, a *archive.Archive, src string) error {
	var (
		data []byte
		err  error
	)
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		data, err = status.Fetch(ctx, live.SafeClient(30*time.Second, allowPrivateURLs()), src)
	} else {
		data, err = os.ReadFile(src)
	}
	if err != nil {
		return fmt.Errorf("status feed %s: %w", src, err)
	}
	incs, problems := status.Parse(data, src)
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "%v\n", p)
	}
	if len(incs) == 0 {
		if len(problems) > 0 {
			return fmt.Errorf("status feed %s: nothing could be read", src)
		}
		fmt.Fprintf(e.stdout, "%s: no incidents\n", src)
		return nil
	}
	newInc, newUpd, err := a.Store.SaveIncidents(ctx, src, incs)
	if err != nil {
		return fmt.Errorf("status feed %s: %w", src, err)
	}
	updates := 0
	for _, in := range incs {
		updates += len(in.Updates)
	}
	fmt.Fprintf(e.stdout, "%s: %d incidents (%d new), %d updates (%d new)", src, len(incs), newInc, updates, newUpd)
	if len(problems) > 0 {
		fmt.Fprintf(e.stdout, ", %d entries skipped", len(problems))
	}
	fmt.Fprintln(e.stdout)
	return nil
}

func statusList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "status list", "[--from T] [--to T]")
	from := fs.String("from", "", "incidents open at or after this time")
	to := fs.String("to", "", "incidents that began before this time")
	updates := fs.Bool("updates", false, "print every update")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := parseTime(*from)
	if err != nil {
		return fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	t, err := parseTime(*to)
	if err != nil {
		return fmt.Errorf("%w: --to: %v", errUsage, err)
	}
	if t.IsZero() {
		t = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	incs, err := a.Store.StatusIncidents(ctx, f, t)
	if err != nil {
		return err
	}
	const layout = "2006-01-02 15:04 MST"
	for _, in := range incs {
		end := "open"
		if r, ok := in.ResolvedAt(); ok {
			end = r.Format(layout)
		}
		fmt.Fprintf(e.stdout, "%s – %s  %s: %s  [%s]\n", in.Created.Format(layout), end, in.Page, in.Name, in.State())
		if *updates {
			for _, u := range in.Updates {
				fmt.Fprintf(e.stdout, "    %s  %-13s %s\n", u.Time.Format(layout), u.State, oneLine(u.Body, 100))
			}
		}
	}
	if len(incs) == 0 {
		fmt.Fprintln(e.stdout, "no status incidents in that time")
	}
	return nil
}

// oneLine is s on one line, cut to at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// expandDirs replaces each directory among srcs by the files in it (not
// recursively, in name order); URLs and files stay as they are.
func expandDirs(srcs []string) ([]string, error) {
	var out []string
	for _, src := range srcs {
		fi, err := os.Stat(src)
		if err != nil || !fi.IsDir() {
			out = append(out, src) // a URL, a file, or an error reported when read
			continue
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return nil, fmt.Errorf("status feed %s: %w", src, err)
		}
		for _, en := range entries {
			if en.Type().IsRegular() {
				out = append(out, filepath.Join(src, en.Name()))
			}
		}
	}
	return out, nil
}

// allowPrivateURLs reports whether user-supplied URLs (status feeds,
// Mastodon instances) may point at loopback or private addresses: only
// when AFTERSHOCK_ALLOW_PRIVATE_URLS=1 (a feed on the newsroom's own
// network, or a test's fake).
func allowPrivateURLs() bool { return os.Getenv("AFTERSHOCK_ALLOW_PRIVATE_URLS") == "1" }
