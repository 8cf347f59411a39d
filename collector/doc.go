// Package collector is where posts come from: the file importers (one
// sub-package per source, each decoding that source's formats) and, later,
// the live pollers and streams.
//
// A file decoder turns a byte stream into a sequence of [Item]s. It never
// stops at a bad record: it yields an Item with Err set (and the line where the
// record starts) and goes on with the next one. It yields an Err item and stops
// only when the stream itself cannot be read further. Decoders do no I/O other
// than reading their reader, and never panic on any input (each has a fuzz
// target).
//
// JSON decoders are written as a [RecordFunc] per format: it decodes one
// record (a line of JSON Lines, an element of a top-level array, or a whole
// document). The importer detects the format of every record and hands it to
// that format's RecordFunc, so one file may mix formats line by line.
package collector

import (
	"fmt"
	"io"
	"iter"

	"github.com/aftershock/aftershock/post"
)

// Item is one record decoded from an input: a post, a deletion notice, a
// record that could not be read, or a count the input announces of itself.
// Exactly one of Post, Delete, Err and Expect is set.
//
// A post that the input says was deleted (an X archive's deleted-tweets.js)
// is a Post item followed by a Delete item for the same id with At set.
type Item struct {
	Line   int // 1-based line where the record starts; 0 when the format has no useful line
	Post   *post.Post
	Delete *post.Ref
	Err    error
	Expect *Expect
}

// Expect is a count of posts that a record announces: an outbox's
// totalItems, a page's meta.result_count, a thread's num_comments. The
// importer adds them up per input and warns when far fewer posts arrive, so
// that a file read only in part never passes silently. Live collectors
// ignore them.
type Expect struct {
	Posts int64  // how many posts the record says there are
	Field string // where it says so, e.g. "totalItems", "meta.result_count", "num_comments"
}

// DecodeFunc decodes one file format.
type DecodeFunc func(r io.Reader) iter.Seq[Item]

// RecordFunc decodes one JSON record of one format and yields its items; it
// returns false when the consumer stopped. It may keep state across the
// records of one input (handles seen earlier, ids to resolve), so each input
// gets a new one from its constructor. It never panics on any record.
type RecordFunc func(line int, data []byte, yield func(Item) bool) bool

// Check reports whether it keeps the contract above: exactly one of Post,
// Delete, Err and Expect set, a line of at least 1 (JSON and CSV inputs always have
// one), and a Post that passes Validate. Decoder tests and fuzz targets call
// it on every item.
func (it Item) Check() error {
	n := 0
	for _, set := range []bool{it.Post != nil, it.Delete != nil, it.Err != nil, it.Expect != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("item at line %d has %d of Post, Delete, Err, Expect set, want exactly one", it.Line, n)
	}
	if it.Line < 1 {
		return fmt.Errorf("item has line %d, want at least 1", it.Line)
	}
	if it.Expect != nil && it.Expect.Posts < 0 {
		return fmt.Errorf("line %d: expects %d posts", it.Line, it.Expect.Posts)
	}
	if it.Post != nil {
		if err := it.Post.Validate(); err != nil {
			return fmt.Errorf("line %d: invalid post: %w", it.Line, err)
		}
	}
	return nil
}
