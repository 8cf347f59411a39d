package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/store"
)

const collectionUsage = "collection create|list|show|edit|add|remove|move|note|delete …"

func runCollection(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, collectionUsage)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "-h", "--help", "help":
		fmt.Fprintf(e.stderr, "Usage: aftershock %s  ('aftershock collection add -h' for flags)\n", collectionUsage)
		return flag.ErrHelp
	case "create", "edit":
		return collectionCreateOrEdit(ctx, e, sub, args)
	case "list":
		return collectionList(ctx, e, args)
	case "show":
		return collectionShow(ctx, e, args)
	case "add":
		return collectionAdd(ctx, e, args)
	case "remove", "move", "note", "delete":
		return collectionChange(ctx, e, sub, args)
	}
	return fmt.Errorf("%w: unknown collection command %q (%s)", errUsage, sub, collectionUsage)
}

func collectionCreateOrEdit(ctx context.Context, e *env, sub string, args []string) error {
	fs := newFlags(e, "collection "+sub, "SLUG [--name N] [--description D] [--event SLUG]")
	name := fs.String("name", "", "display name (default: the slug)")
	desc := fs.String("description", "", "what the collection is for")
	ev := fs.String("event", "", "the event it belongs to (a slug from 'aftershock event list')")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: collection %s takes one SLUG (e.g. s3-quotes)", errUsage, sub)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	if *ev != "" {
		if _, err := a.Store.Event(ctx, *ev); err != nil {
			return fmt.Errorf("%w: --event: %v", errUsage, err)
		}
	}
	if sub == "create" {
		err = a.Store.CreateCollection(ctx, store.Collection{Slug: pos[0], Name: *name, Description: *desc, Event: *ev})
		if errors.Is(err, store.ErrBadSlug) {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		if err == nil {
			fmt.Fprintf(e.stdout, "collection %s created; add posts with 'aftershock collection add %s ID…'\n", pos[0], pos[0])
		}
		return err
	}
	c, err := a.Store.Collection(ctx, pos[0])
	if err != nil {
		return err
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name":
			c.Name = *name
		case "description":
			c.Description = *desc
		case "event":
			c.Event = *ev
		}
	})
	if err := a.Store.UpdateCollection(ctx, c); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "collection %s updated\n", c.Slug)
	return nil
}

func collectionList(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "collection list", args)
	if err != nil {
		return err
	}
	defer a.Close()
	cs, err := a.Store.Collections(ctx)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		fmt.Fprintln(e.stdout, "no collections yet: aftershock collection create SLUG --name '…'")
	}
	for _, c := range cs {
		ev := ""
		if c.Event != "" {
			ev = "  event " + c.Event
		}
		fmt.Fprintf(e.stdout, "%-20s %-36s %4d items  changed %s%s\n", c.Slug, c.Name, c.Items, c.Updated.Format("2006-01-02 15:04 MST"), ev)
	}
	return nil
}

func collectionShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "collection show", "SLUG")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: collection show takes one SLUG", errUsage)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	c, err := a.Store.Collection(ctx, pos[0])
	if err != nil {
		return err
	}
	items, err := a.Store.Items(ctx, c.Slug)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s (%s), %d items\n", c.Name, c.Slug, len(items))
	if c.Description != "" {
		fmt.Fprintf(e.stdout, "%s\n", c.Description)
	}
	for _, it := range items {
		p := it.Snapshot
		status := ""
		switch {
		case it.HasCurrent && it.Current.Deleted():
			status = " [deleted since quoted]"
		case it.HasCurrent && (it.Current.Text != p.Text || it.Current.Revision != p.Revision):
			status = " [edited since quoted]"
		}
		fmt.Fprintf(e.stdout, "\n%3d. %s  @%s  %s%s\n     %s\n", it.Position, it.PostID, p.Author.Handle,
			p.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), status, oneLine(p.Text, 110))
		if it.Note != "" {
			fmt.Fprintf(e.stdout, "     note: %s\n", it.Note)
		}
		if len(it.Tags) > 0 {
			fmt.Fprintf(e.stdout, "     tags: %s\n", strings.Join(it.Tags, ", "))
		}
	}
	return nil
}

func collectionAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "collection add", "SLUG ID… (or - to read ids from standard input, one per line)")
	note := fs.String("note", "", "the reporter's note on these posts")
	tags := fs.String("tags", "", "tags, comma-separated")
	by := fs.String("by", defaultUser(), "who adds them")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("%w: collection add takes a SLUG and post ids (or -)", errUsage)
	}
	slug, ids := pos[0], pos[1:]
	if len(ids) == 1 && ids[0] == "-" {
		if ids, err = readIDs(e.stdin); err != nil {
			return err
		}
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Store.AddItems(ctx, slug, ids, *note, splitList(*tags), *by)
	if err != nil {
		return err
	}
	for _, id := range r.Missing {
		fmt.Fprintf(e.stderr, "%s: not in the archive, skipped\n", id)
	}
	fmt.Fprintf(e.stdout, "%d added to %s", len(r.Added), slug)
	if len(r.Already) > 0 {
		fmt.Fprintf(e.stdout, ", %d already in it", len(r.Already))
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(e.stdout, ", %d unknown ids skipped", len(r.Missing))
	}
	fmt.Fprintln(e.stdout)
	if len(r.Added) == 0 && len(r.Missing) > 0 {
		return fmt.Errorf("no post added")
	}
	return nil
}

// readIDs reads post ids, one per line; blank lines and lines starting with
// '#' are ignored.
func readIDs(r io.Reader) ([]string, error) {
	var ids []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			ids = append(ids, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading ids from standard input: %w", err)
	}
	return ids, nil
}

func defaultUser() string {
	for _, k := range []string{"AFTERSHOCK_USER", "USER", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

func collectionChange(ctx context.Context, e *env, sub string, args []string) error {
	usage := map[string]string{
		"remove": "SLUG ID…",
		"move":   "SLUG ID POSITION (1 = first)",
		"note":   "SLUG ID [--note TEXT] [--tags a,b]",
		"delete": "SLUG",
	}[sub]
	fs := newFlags(e, "collection "+sub, usage)
	note := fs.String("note", "", "the new note (note only)")
	tags := fs.String("tags", "", "the new tags, comma-separated (note only)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"remove": -2, "move": 3, "note": 2, "delete": 1}[sub]
	if (want > 0 && len(pos) != want) || (want < 0 && len(pos) < -want) {
		return fmt.Errorf("%w: collection %s %s", errUsage, sub, usage)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	switch sub {
	case "remove":
		err = a.Store.RemoveItems(ctx, pos[0], pos[1:])
	case "move":
		n, perr := strconv.Atoi(pos[2])
		if perr != nil || n < 1 {
			return fmt.Errorf("%w: POSITION must be a number from 1", errUsage)
		}
		err = a.Store.MoveItem(ctx, pos[0], pos[1], n)
	case "note":
		var np *string
		var tp []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "note":
				np = note
			case "tags":
				tp = append([]string{}, splitList(*tags)...)
			}
		})
		if np == nil && tp == nil {
			return fmt.Errorf("%w: give --note and/or --tags", errUsage)
		}
		err = a.Store.AnnotateItem(ctx, pos[0], pos[1], np, tp)
	case "delete":
		err = a.Store.DeleteCollection(ctx, pos[0])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "collection %s: %s done\n", pos[0], sub)
	return nil
}
