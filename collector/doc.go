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
package collector

import (
	"fmt"
	"io"
	"iter"

	"github.com/aftershock/aftershock/post"
)

// Item is one record decoded from an input: a post, a deletion notice, or a
// record that could not be read. Exactly one of Post, Delete and Err is set.
type Item struct {
	Line   int // 1-based line where the record starts; 0 when the format has no useful line
	Post   *post.Post
	Delete *post.Ref
	Err    error
}

// DecodeFunc decodes one file format.
type DecodeFunc func(r io.Reader) iter.Seq[Item]

// Check reports whether it keeps the contract above: exactly one of Post,
// Delete and Err set, a line of at least 1 (JSON and CSV inputs always have
// one), and a Post that passes Validate. Decoder tests and fuzz targets call
// it on every item.
func (it Item) Check() error {
	n := 0
	for _, set := range []bool{it.Post != nil, it.Delete != nil, it.Err != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("item at line %d has %d of Post, Delete, Err set, want exactly one", it.Line, n)
	}
	if it.Line < 1 {
		return fmt.Errorf("item has line %d, want at least 1", it.Line)
	}
	if it.Post != nil {
		if err := it.Post.Validate(); err != nil {
			return fmt.Errorf("line %d: invalid post: %w", it.Line, err)
		}
	}
	return nil
}
