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
