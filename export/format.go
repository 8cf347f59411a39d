package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Format is an export format, named by its file extension.
type Format string

// The export formats.
const (
	CSV      Format = "csv"
	XLSX     Format = "xlsx"
	Markdown Format = "md"
	Text     Format = "txt"
	HTML     Format = "html"
	JSON     Format = "json"
	JSONL    Format = "jsonl"
)

// ErrUnknownFormat is returned (wrapped) by [ParseFormat] and [NewWriter]
// for a format that is not one of [Formats].
var ErrUnknownFormat = errors.New("unknown export format")

// ErrUnknownZone is returned (wrapped) by [LoadZone].
var ErrUnknownZone = errors.New("unknown time zone")

// ErrClosed is returned by Write and Close on a closed [Writer].
var ErrClosed = errors.New("export writer is closed")

// Formats returns every format, in the order a user is offered them.
func Formats() []Format { return []Format{CSV, XLSX, Markdown, Text, HTML, JSON, JSONL} }

// formatList is the list of valid formats for error messages.
func formatList() string {
	fs := Formats()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// ParseFormat returns the format named s: a format name as in [Formats],
// case-insensitive, with or without a leading dot. Any other name is refused
// with an error that lists the valid ones.
func ParseFormat(s string) (Format, error) {
	name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
	for _, f := range Formats() {
		if name == string(f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("%w %q: valid formats are %s", ErrUnknownFormat, s, formatList())
}

// Ext returns the file extension of f with its leading dot (".csv"), or ""
// for an unknown format.
func (f Format) Ext() string {
	for _, g := range Formats() {
		if f == g {
			return "." + string(f)
		}
	}
	return ""
}

// ContentType returns the media type to serve f with, or
// "application/octet-stream" for an unknown format.
func (f Format) ContentType() string {
	switch f {
	case CSV:
		return "text/csv; charset=utf-8; header=present"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case Markdown:
		return "text/markdown; charset=utf-8"
	case Text:
		return "text/plain; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	case JSON:
		return "application/json"
	case JSONL:
		return "application/jsonl"
	}
	return "application/octet-stream"
}

// LoadZone returns the display zone named by an IANA time zone name
// ("Europe/Berlin", "America/Los_Angeles", "UTC"); "" means UTC. "Local" is
// refused (it would depend on the server), and so is any name the time zone
// database does not know, with examples of valid names.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return time.UTC, nil
	}
	if name != "Local" && !strings.ContainsAny(name, `\`) {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("%w %q: valid zones are IANA time zone names such as UTC, Europe/Berlin, America/Los_Angeles, Asia/Tokyo", ErrUnknownZone, name)
}

// Writer writes the items of one export, in order. Write writes one item
// (formats that need a header write it before the first item or at
// creation); Close writes what ends the document and flushes, but does not
// close the underlying io.Writer. An item that cannot be written (a raw
// payload that is not JSON) is refused with nothing written; after an I/O
// error, and after Close, every call returns an error.
type Writer interface {
	Write(Item) error
	Close() error
}

// NewWriter returns a streaming Writer of format f to w. meta.Location nil
// means UTC; meta.GeneratedAt zero means now.
func NewWriter(f Format, w io.Writer, meta Meta) (Writer, error) {
	if meta.Location == nil {
		meta.Location = time.UTC
	}
	if meta.GeneratedAt.IsZero() {
		meta.GeneratedAt = time.Now()
	}
	meta.GeneratedAt = meta.GeneratedAt.UTC()
	switch f {
	case CSV:
		return newCSVWriter(w, meta)
	case XLSX:
		return newXLSXWriter(w, meta)
	case Markdown:
		return newMarkdownWriter(w, meta, true)
	case Text:
		return newMarkdownWriter(w, meta, false)
	case HTML:
		return newHTMLWriter(w, meta)
	case JSON:
		return newJSONWriter(w, meta, false)
	case JSONL:
		return newJSONWriter(w, meta, true)
	}
	return nil, fmt.Errorf("%w %q: valid formats are %s", ErrUnknownFormat, string(f), formatList())
}
