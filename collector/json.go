package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"unicode/utf8"
)

// MaxRecordBytes is the longest JSON line or value a decoder accepts. A longer
// one is reported and skipped.
const MaxRecordBytes = 64 << 20

// RawRecord is one JSON value read from an input, with the line it starts on.
// Err is set when the value could not be read; Data is then nil.
type RawRecord struct {
	Line int
	Data []byte
	Err  error
}

// JSONValues reads the JSON values of r in whichever layout it has:
//   - JSON Lines (the first non-blank line is a whole value): every non-blank
//     line is one value; a malformed line is reported and the next line read;
//   - a document: one or more values, possibly pretty-printed over many lines;
//     a syntax error is reported and ends the input, since nothing after it
//     can be placed.
//
// In both layouts a top-level array is unwrapped: its elements are yielded one
// by one. Data is only valid until the next iteration.
func JSONValues(r io.Reader) iter.Seq[RawRecord] {
	return func(yield func(RawRecord) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		lineNo := 0
		// Skip blank lines and look at the first line to choose the layout.
		for {
			line, err := readLine(br)
			if len(line) > 0 || err == nil || errors.Is(err, errLineTooLong) {
				lineNo++
			}
			if errors.Is(err, errLineTooLong) {
				// Too long to be a record: reported and skipped like any
				// later line; the next line chooses the layout.
				if !yield(RawRecord{Line: lineNo, Err: err}) {
					return
				}
				continue
			}
			if err != nil && err != io.EOF {
				yield(RawRecord{Line: lineNo, Err: readError(err)})
				return
			}
			trimmed := bytes.TrimSpace(line)
			if len(trimmed) == 0 {
				if err != nil {
					return
				}
				continue
			}
			if json.Valid(trimmed) {
				if !yieldValue(trimmed, lineNo, yield) {
					return
				}
				if err != nil {
					return
				}
				jsonLines(br, lineNo, yield)
				return
			}
			// Not a whole value on one line: a document.
			rest := io.MultiReader(bytes.NewReader(append(append([]byte{}, line...), '\n')), br)
			if err != nil {
				rest = bytes.NewReader(line)
			}
			document(rest, lineNo, yield)
			return
		}
	}
}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxRecordBytes)

// readLine returns the next line without its line break. At the end of the
// input it returns the last (possibly empty) line with io.EOF.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > MaxRecordBytes {
			// Drop the rest of the line so the caller can go on.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			return nil, errLineTooLong
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			buf = append(buf, chunk...)
			continue
		}
		if buf != nil {
			chunk = append(buf, chunk...)
		}
		return bytes.TrimSuffix(bytes.TrimSuffix(chunk, []byte("\n")), []byte("\r")), err
	}
}

func jsonLines(br *bufio.Reader, lineNo int, yield func(RawRecord) bool) {
	for {
		line, err := readLine(br)
		lineNo++
		if errors.Is(err, errLineTooLong) {
			if !yield(RawRecord{Line: lineNo, Err: err}) {
				return
			}
			continue
		}
		if err != nil && err != io.EOF {
			// The line is cut short by the read error; report that alone.
			yield(RawRecord{Line: lineNo, Err: readError(err)})
			return
		}
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
			var ok bool
			if json.Valid(trimmed) {
				ok = yieldValue(trimmed, lineNo, yield)
			} else {
				ok = yield(RawRecord{Line: lineNo, Err: lineError(trimmed)})
			}
			if !ok {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// readError explains an error reading the input.
func readError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("input ends early (truncated or damaged file): %w", err)
	}
	return fmt.Errorf("read: %w", err)
}

// lineError explains why a line is not JSON.
func lineError(line []byte) error {
	var v any
	err := json.Unmarshal(line, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		if se.Offset >= int64(len(line)) {
			return fmt.Errorf("malformed JSON: truncated record (%d bytes)", len(line))
		}
		return fmt.Errorf("malformed JSON at byte %d: %v", se.Offset, se)
	}
	if err == nil {
		err = errors.New("not a JSON value")
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// errNotUTF8 reports text in another encoding, which encoding/json would
// otherwise turn silently into U+FFFD.
var errNotUTF8 = errors.New("not valid UTF-8 (is the file in another encoding, e.g. Latin-1 or Windows-1252?)")

// yieldValue yields v, or its elements when it is an array.
func yieldValue(v []byte, line int, yield func(RawRecord) bool) bool {
	if !utf8.Valid(v) {
		return yield(RawRecord{Line: line, Err: errNotUTF8})
	}
	if v[0] != '[' {
		return yield(RawRecord{Line: line, Data: v})
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(v, &elems); err != nil {
		return yield(RawRecord{Line: line, Err: fmt.Errorf("malformed JSON array: %w", err)})
	}
	for _, e := range elems {
		if !yield(RawRecord{Line: line, Data: e}) {
			return false
		}
	}
	return true
}

// lineCounter keeps the bytes the JSON decoder has read but whose lines are
// not yet counted, so positions can be turned into line numbers without
// holding the whole input.
type lineCounter struct {
	r    io.Reader
	buf  []byte // bytes from offset base on
	base int64  // input offset of buf[0]
	line int    // line number at offset base
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// lineAt returns the line number at input offset off and forgets what lies before it.
func (c *lineCounter) lineAt(off int64) int {
	k := int(off - c.base)
	if k < 0 {
		k = 0
	}
	if k > len(c.buf) {
		k = len(c.buf)
	}
	c.line += bytes.Count(c.buf[:k], []byte("\n"))
	c.buf = c.buf[k:]
	c.base += int64(k)
	return c.line
}

func document(r io.Reader, firstLine int, yield func(RawRecord) bool) {
	lc := &lineCounter{r: r, line: firstLine - 1}
	dec := json.NewDecoder(lc)
	fail := func(err error) {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			yield(RawRecord{Line: lc.lineAt(se.Offset) + 1, Err: fmt.Errorf("malformed JSON: %v", err)})
		case errors.Is(err, io.ErrUnexpectedEOF):
			// The input ended: the last line read is where the record broke off.
			yield(RawRecord{Line: lc.lineAt(lc.base+int64(len(lc.buf))) + 1, Err: errors.New("malformed JSON: input ends inside a value (truncated file?)")})
		default:
			yield(RawRecord{Line: lc.lineAt(dec.InputOffset()) + 1, Err: readError(err)})
		}
	}
	var raw json.RawMessage
	next := func() bool {
		raw = raw[:0]
		if err := dec.Decode(&raw); err != nil {
			fail(err)
			return false
		}
		line := lc.lineAt(dec.InputOffset()-int64(len(raw))) + 1
		if !utf8.Valid(raw) {
			return yield(RawRecord{Line: line, Err: errNotUTF8})
		}
		return yield(RawRecord{Line: line, Data: raw})
	}
	// At the top level More reports whether another value follows; it leaves
	// the decoder's buffer at that value's first byte.
	for dec.More() {
		if !startsArray(dec) {
			if !next() {
				return
			}
			continue
		}
		if _, err := dec.Token(); err != nil {
			fail(err)
			return
		}
		for dec.More() {
			if !next() {
				return
			}
		}
		if _, err := dec.Token(); err != nil {
			fail(err)
			return
		}
	}
	// More is false at the end of the input and before a stray closing
	// delimiter; Decode tells the two apart.
	if err := dec.Decode(&raw); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected value")
		}
		fail(err)
	}
}

// startsArray reports whether the decoder's next value is an array.
func startsArray(dec *json.Decoder) bool {
	var b [1]byte
	n, _ := dec.Buffered().Read(b[:])
	return n == 1 && b[0] == '['
}

// DecodeRecords is the loop every JSON decoder shares: it reads the records
// of r with JSONValues and hands each to decode, which yields that record's
// items and returns false when the consumer stopped. A record that could not
// be read becomes an Err item, its message prefixed with format.
func DecodeRecords(r io.Reader, format string, decode RecordFunc) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for rec := range JSONValues(r) {
			if rec.Err != nil {
				if !yield(Item{Line: rec.Line, Err: fmt.Errorf("%s: %w", format, rec.Err)}) {
					return
				}
				continue
			}
			if !decode(rec.Line, rec.Data, yield) {
				return
			}
		}
	}
}
