package status

import (
	"errors"
	"fmt"
)

// ErrNotFeed is wrapped by the problem Parse returns for data that is not a
// status feed at all.
var ErrNotFeed = errors.New("not a status feed")

// EntryError is a problem with one entry (incident, feed entry or item) of
// an input; the other entries are still returned.
type EntryError struct {
	Origin string // file name or URL
	Entry  int    // 1-based position among the input's entries (incidents, <entry>s, <item>s)
	Title  string // the entry's title or id, when known
	Err    error
}

func (e *EntryError) Error() string {
	if e.Title != "" {
		return fmt.Sprintf("%s: entry %d %q: %v", e.Origin, e.Entry, e.Title, e.Err)
	}
	return fmt.Sprintf("%s: entry %d: %v", e.Origin, e.Entry, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

// report collects the errors of one Parse call.
type report struct {
	origin string
	errs   []error
}

func (p *report) entry(n int, title string, format string, args ...any) {
	p.errs = append(p.errs, &EntryError{Origin: p.origin, Entry: n, Title: title, Err: fmt.Errorf(format, args...)})
}

func (p *report) whole(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: "+format, append([]any{p.origin}, args...)...))
}

func (p *report) notFeed(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %w (%s)", p.origin, ErrNotFeed, fmt.Sprintf(format, args...)))
}
