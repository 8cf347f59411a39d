package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/archive"
	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/index"
)

func runEvent(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: event create|list|show|edit|delete", errUsage)
	}
	switch args[0] {
	case "create":
		return eventCreateOrEdit(ctx, e, args[1:], false)
	case "edit":
		return eventCreateOrEdit(ctx, e, args[1:], true)
	case "list":
		return eventList(ctx, e, args[1:])
	case "show":
		return eventShow(ctx, e, args[1:])
	case "delete":
		return eventDelete(ctx, e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintln(e.stderr, "Usage: aftershock event create|list|show|edit|delete …  ('aftershock event create -h' for flags)")
		return flag.ErrHelp
	}
	return fmt.Errorf("%w: unknown event command %q (create, list, show, edit, delete)", errUsage, args[0])
}

// eventFlags are the flags of event create and edit.
type eventFlags struct {
	name, description, query, sources, langs, from, to, tz, services, feeds, collect *string
}

func newEventFlags(fs *flag.FlagSet) eventFlags {
	return eventFlags{
		name:        fs.String("name", "", "display name (default: the slug)"),
		description: fs.String("description", "", "what happened, in a sentence or two"),
		query:       fs.String("query", "", "which posts belong to the event, in the search syntax (default: all posts in the window)"),
		sources:     fs.String("source", "", "only these sources, comma-separated (twitter,mastodon,bluesky,hackernews,reddit)"),
		langs:       fs.String("lang", "", "only these languages, comma-separated (en,de)"),
		from:        fs.String("from", "", "start of the window (2017-02-28T16:00Z; 'now' for from now on; default now)"),
		to:          fs.String("to", "", "end of the window (empty: open-ended)"),
		tz:          fs.String("tz", "", "time zone for display, an IANA name (America/Los_Angeles, Europe/Berlin; default UTC)"),
		services:    fs.String("service", "", "companies or services concerned, comma-separated (AWS,S3): status incidents naming them are attached"),
		feeds:       fs.String("status-feed", "", "status feeds (URL or file), comma-separated: read now and attached to the event"),
		collect:     fs.String("collect", "", "live sources that follow the event while 'aftershock collect' or 'serve' runs, comma-separated: bluesky, mastodon:HOST, hn, x, reddit, reddit:SUBREDDIT, status:URL"),
	}
}

// apply sets on ev the flags that were given (all of them for create).
func (f eventFlags) apply(fs *flag.FlagSet, ev *event.Event, now time.Time) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		if err != nil {
			return
		}
		switch fl.Name {
		case "name":
			ev.Name = *f.name
		case "description":
			ev.Description = *f.description
		case "query":
			ev.Query = *f.query
		case "source":
			ev.Sources = splitList(*f.sources)
		case "lang":
			ev.Langs = splitList(*f.langs)
		case "from":
			if strings.TrimSpace(*f.from) == "now" {
				ev.From = now
			} else if ev.From, err = parseTime(*f.from); err != nil {
				err = fmt.Errorf("%w: --from: %v", errUsage, err)
			}
		case "to":
			if ev.To, err = parseTime(*f.to); err != nil {
				err = fmt.Errorf("%w: --to: %v", errUsage, err)
			}
		case "tz":
			ev.TZ = *f.tz
		case "service":
			ev.Services = splitList(*f.services)
		case "status-feed":
			ev.StatusFeeds = splitList(*f.feeds)
		case "collect":
			ev.Collect = splitList(*f.collect)
		}
	})
	return err
}

func eventCreateOrEdit(ctx context.Context, e *env, args []string, edit bool) error {
	verb := "create"
	if edit {
		verb = "edit"
	}
	fs := newFlags(e, "event "+verb, "SLUG [flags]")
	f := newEventFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: event %s takes one SLUG (e.g. s3-2017)", errUsage, verb)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now().UTC().Truncate(time.Second)
	var ev event.Event
	if edit {
		if ev, err = a.Store.Event(ctx, pos[0]); err != nil {
			return err
		}
	} else {
		ev = event.Event{Slug: pos[0], From: now}
	}
	if err := f.apply(fs, &ev, now); err != nil {
		return err
	}
	if err := ev.Validate(); err != nil {
		var se *index.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("%w: --query: %v\n%s", errUsage, se, se.Caret())
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if edit {
		err = a.Store.UpdateEvent(ctx, ev)
	} else {
		err = a.Store.CreateEvent(ctx, ev)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "event %s %sd: %s\n", ev.Slug, verb, describeWindow(ev))
	for _, feed := range ev.StatusFeeds {
		if err := importStatus(ctx, e, a, feed); err != nil {
			fmt.Fprintf(e.stderr, "status feed %s: %v (the event is saved; retry with 'aftershock status import %s')\n", feed, err, feed)
		}
	}
	return nil
}

// describeWindow is the window in UTC and, if the event has one, its zone.
func describeWindow(ev event.Event) string {
	loc, err := ev.Location()
	if err != nil {
		loc = time.UTC
	}
	const layout = "2006-01-02 15:04 MST"
	s := ev.From.Format(layout) + " – "
	if ev.To.IsZero() {
		s += "open"
	} else {
		s += ev.To.Format(layout)
	}
	if loc != time.UTC {
		s += " (" + ev.From.In(loc).Format(layout) + " – "
		if ev.To.IsZero() {
			s += "open)"
		} else {
			s += ev.To.In(loc).Format(layout) + ")"
		}
	}
	return s
}

func eventList(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "event list", args)
	if err != nil {
		return err
	}
	defer a.Close()
	evs, err := a.Store.Events(ctx)
	if err != nil {
		return err
	}
	if len(evs) == 0 {
		fmt.Fprintln(e.stdout, "no events yet: aftershock event create SLUG --query '…' --from … --to …")
		return nil
	}
	for _, ev := range evs {
		fmt.Fprintf(e.stdout, "%-20s %-32s %s\n", ev.Slug, ev.Name, describeWindow(ev))
	}
	return nil
}

func eventShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "event show", "SLUG")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: event show takes one SLUG", errUsage)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	ev, err := a.Store.Event(ctx, pos[0])
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "%s (%s)\n", ev.Name, ev.Slug)
	if ev.Description != "" {
		fmt.Fprintf(w, "  %s\n", ev.Description)
	}
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-14s %s\n", k+":", v)
		}
	}
	row("window", describeWindow(ev))
	q := ev.Query
	if q == "" {
		q = "(every post in the window)"
	}
	row("query", q)
	row("sources", strings.Join(ev.Sources, ", "))
	row("languages", strings.Join(ev.Langs, ", "))
	row("time zone", ev.TZ)
	row("services", strings.Join(ev.Services, ", "))
	row("status feeds", strings.Join(ev.StatusFeeds, ", "))
	row("collects", strings.Join(ev.Collect, ", "))
	row("created", ev.Created.Format(time.RFC3339))
	row("edited", ev.Updated.Format(time.RFC3339))
	if err := ev.CheckWindow(); err != nil {
		// Stored before Validate bounded windows: say so, count nothing.
		row("posts", fmt.Sprintf("not counted: %v (aftershock event edit %s --from … --to …)", err, ev.Slug))
	} else if a.Index != nil {
		if err := catchUp(ctx, e, a); err != nil {
			return err
		}
		from, to := ev.Window(time.Now())
		qq := ev.IndexQuery(from, to)
		qq.Size = -1
		res, err := a.Index.Search(ctx, qq)
		if err != nil {
			return err
		}
		row("posts", thousands(int64(res.Total)))
	}
	from, to := ev.Window(time.Now())
	incs, err := a.Store.StatusIncidents(ctx, from, to)
	if err != nil {
		return err
	}
	n := 0
	for _, in := range incs {
		if event.Concerns(ev, in) {
			n++
		}
	}
	row("incidents", fmt.Sprint(n))
	return nil
}

func eventDelete(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "event delete", "SLUG…")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: event delete takes one or more SLUGs", errUsage)
	}
	a, err := archive.Open(ctx, e.dataDir, e.log)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, slug := range pos {
		if err := a.Store.DeleteEvent(ctx, slug); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "event %s deleted (its posts stay in the archive)\n", slug)
	}
	return nil
}
