package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"unicode/utf8"
)

// MaxRecordBytes is the longest record a decoder accepts, in every layout:
// a JSON line, a value of a document or an element of a top-level array (a
// CSV row, see csvfile). A longer one is reported and skipped; the memory
// it takes to read a record is a small multiple of it, whatever the input.
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
	return JSONValuesLimit(r, MaxRecordBytes)
}

// JSONValuesLimit is JSONValues with records of at most maxRecord bytes
// (MaxRecordBytes when maxRecord ≤ 0). A longer record is an Err item at
// its line; in a document it is read past without being held, and the
// values after it are read.
func JSONValuesLimit(r io.Reader, maxRecord int) iter.Seq[RawRecord] {
	if maxRecord <= 0 {
		maxRecord = MaxRecordBytes
	}
	return func(yield func(RawRecord) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		lineNo := 0
		// Skip blank lines and look at the first line to choose the layout.
		for {
			line, err := readLine(br, maxRecord)
			if len(line) > 0 || err == nil || errors.Is(err, errLineTooLong) {
				lineNo++
			}
			if errors.Is(err, errLineTooLong) {
				// Too long to be a record: reported and skipped like any
				// later line; the next line chooses the layout.
				if !yield(RawRecord{Line: lineNo, Err: tooLong(maxRecord)}) {
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
				jsonLines(br, lineNo, maxRecord, yield)
				return
			}
			// Not a whole value on one line: a document.
			rest := io.MultiReader(bytes.NewReader(append(append([]byte{}, line...), '\n')), br)
			if err != nil {
				rest = bytes.NewReader(line)
			}
			documentLimit(rest, lineNo, maxRecord, yield)
			return
		}
	}
}

// errLineTooLong is readLine's error for a line over the limit.
var errLineTooLong = errors.New("line too long")

// TooLongError is the error of a record over the per-record limit.
type TooLongError struct {
	What  string // "line", "value", "row"
	Limit int    // the limit in bytes
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("%s longer than %d bytes, skipped", e.What, e.Limit)
}

func tooLong(max int) error { return &TooLongError{What: "line", Limit: max} }

// readLine returns the next line without its line break. At the end of the
// input it returns the last (possibly empty) line with io.EOF.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > max {
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

func jsonLines(br *bufio.Reader, lineNo, max int, yield func(RawRecord) bool) {
	for {
		line, err := readLine(br, max)
		lineNo++
		if errors.Is(err, errLineTooLong) {
			if !yield(RawRecord{Line: lineNo, Err: tooLong(max)}) {
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

// lineCounter remembers where the lines break in the bytes the JSON decoder
// has read but whose lines are not yet counted, so positions can be turned
// into line numbers without holding the input.
type lineCounter struct {
	r    io.Reader
	nl   []int64 // input offsets of the line breaks not yet counted
	read int64   // bytes read
	line int     // lines counted
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := 0, p[:n]; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			break
		}
		c.nl = append(c.nl, c.read+int64(i+j))
		i += j + 1
	}
	c.read += int64(n)
	return n, err
}

// lineAt returns the line number at input offset off and forgets what lies
// before it.
func (c *lineCounter) lineAt(off int64) int {
	k := 0
	for k < len(c.nl) && c.nl[k] < off {
		k++
	}
	c.line += k
	c.nl = c.nl[k:]
	return c.line
}

// document reads a document with no record limit beyond MaxRecordBytes.
func document(r io.Reader, firstLine int, yield func(RawRecord) bool) {
	documentLimit(r, firstLine, MaxRecordBytes, yield)
}

// documentLimit reads the values of a document, each of at most max bytes.
// A longer value is reported at its line, read past without being held,
// and the reading goes on after it (inside the top-level array if it was
// one of its elements).
func documentLimit(r io.Reader, firstLine, max int, yield func(RawRecord) bool) {
	inArray := false
	for {
		next, ok := documentPart(r, firstLine, max, inArray, yield)
		if !ok {
			return
		}
		r, firstLine, inArray = next.r, next.line, next.inArray
	}
}

// resume is where reading goes on after a value over the limit.
type resume struct {
	r       io.Reader
	line    int
	inArray bool // the value was an element of a top-level array not yet closed
}

// recordLimit fails a read that would take the value being decoded (from
// input offset start on) past max bytes, so the decoder never holds more.
type recordLimit struct {
	r     io.Reader
	read  int64 // bytes handed to the decoder
	start int64 // input offset where the current value starts
	max   int
}

var errValueTooLong = errors.New("value too long")

func (l *recordLimit) Read(p []byte) (int, error) {
	allowed := l.start + int64(l.max) + 1 - l.read
	if allowed <= 0 {
		return 0, errValueTooLong
	}
	if int64(len(p)) > allowed {
		p = p[:allowed]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	return n, err
}

// documentPart reads a document until its end, an error (ok false) or a
// value over the limit (ok true, and where to go on). inArray starts it
// inside a top-level array, after an element and its comma.
func documentPart(r io.Reader, firstLine, max int, inArray bool, yield func(RawRecord) bool) (next resume, ok bool) {
	lc := &lineCounter{r: r, line: firstLine - 1}
	lim := &recordLimit{r: lc, max: max}
	var dec *json.Decoder
	if inArray {
		// The decoder is put back inside the array by an opening bracket
		// that is not in the input (and holds no line break).
		lc.r = io.MultiReader(strings.NewReader("["), r)
		dec = json.NewDecoder(lim)
		if _, err := dec.Token(); err != nil {
			return resume{}, false
		}
	} else {
		dec = json.NewDecoder(lim)
	}
	var (
		tooLong bool // Decode stopped at a value over the limit
		element bool // the value being read is an array element
	)
	fail := func(err error) {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, errValueTooLong):
			tooLong = true
		case errors.As(err, &se):
			yield(RawRecord{Line: lc.lineAt(se.Offset) + 1, Err: fmt.Errorf("malformed JSON: %v", err)})
		case errors.Is(err, io.ErrUnexpectedEOF):
			// The input ended: the last line read is where the record broke off.
			yield(RawRecord{Line: lc.lineAt(lc.read) + 1, Err: errors.New("malformed JSON: input ends inside a value (truncated file?)")})
		default:
			yield(RawRecord{Line: lc.lineAt(dec.InputOffset()) + 1, Err: readError(err)})
		}
	}
	var raw json.RawMessage
	value := func() bool {
		raw = raw[:0]
		lim.start = dec.InputOffset()
		err := dec.Decode(&raw)
		lim.start = dec.InputOffset()
		if err != nil {
			fail(err)
			return false
		}
		line := lc.lineAt(dec.InputOffset()-int64(len(raw))) + 1
		if !utf8.Valid(raw) {
			return yield(RawRecord{Line: line, Err: errNotUTF8})
		}
		return yield(RawRecord{Line: line, Data: raw})
	}
	// skip reads past the value over the limit and says where to go on.
	skip := func() (resume, bool) {
		// What the decoder holds unread starts the value (or the comma
		// before it); its line is counted from there, not from
		// InputOffset, which may lie inside the value.
		held := dec.Buffered()
		n := 0
		if l, ok := held.(interface{ Len() int }); ok {
			n = l.Len()
		}
		line := lc.lineAt(lc.read-int64(n)) + 1
		br := bufio.NewReaderSize(io.MultiReader(held, lc.r), 1<<16)
		ws, line, err := skipSpace(br, line)
		if c, _ := br.Peek(1); err == nil && element && len(c) == 1 && c[0] == ',' {
			// The decoder may stop before the comma that precedes the element.
			_, _ = br.Discard(1)
			var k int
			k, line, err = skipSpace(br, line)
			ws += 1 + k
		}
		if err == nil && ws >= n {
			// Only white space was over the limit: no value was cut short.
			return resume{r: br, line: line, inArray: element}, true
		}
		if err == io.EOF && ws >= n && !element {
			return resume{}, false
		}
		if err == nil && !yield(RawRecord{Line: line, Err: &TooLongError{What: "value", Limit: max}}) {
			return resume{}, false
		}
		if err == nil {
			line, err = skipValue(br, line)
		}
		if err == nil && element {
			_, line, err = skipSpace(br, line)
			if err == nil {
				var c byte
				if c, err = br.ReadByte(); err == nil {
					switch c {
					case ',':
						return resume{r: br, line: line, inArray: true}, true
					case ']':
						return resume{r: br, line: line}, true
					default:
						err = fmt.Errorf("malformed JSON: invalid character %q after array element", c)
					}
				}
			}
		}
		if err == io.EOF && !element {
			return resume{}, false // the over-long value was the last
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if !errors.Is(err, io.ErrUnexpectedEOF) && !strings.HasPrefix(err.Error(), "malformed") {
				err = readError(err)
			} else if errors.Is(err, io.ErrUnexpectedEOF) {
				err = errors.New("malformed JSON: input ends inside a value (truncated file?)")
			}
			yield(RawRecord{Line: line, Err: err})
			return resume{}, false
		}
		return resume{r: br, line: line}, true
	}
	// bail reports err and ends this part, or goes on after a value over
	// the limit.
	bail := func(err error) (resume, bool) {
		fail(err)
		if tooLong {
			return skip()
		}
		return resume{}, false
	}
	// At the top level More reports whether another value follows; it leaves
	// the decoder's buffer at that value's first byte. White space between
	// values counts against the limit as the next value does.
	for {
		element = inArray
		lim.start = dec.InputOffset()
		if !inArray {
			if !dec.More() {
				break
			}
			if startsArray(dec) {
				if _, err := dec.Token(); err != nil {
					return bail(err)
				}
				inArray, element = true, true
			}
		}
		if element {
			for lim.start = dec.InputOffset(); dec.More(); lim.start = dec.InputOffset() {
				if !value() {
					if tooLong {
						return skip()
					}
					return resume{}, false
				}
			}
			if _, err := dec.Token(); err != nil {
				return bail(err)
			}
			inArray = false
			continue
		}
		if !value() {
			if tooLong {
				return skip()
			}
			return resume{}, false
		}
	}
	// More is false at the end of the input and before a stray closing
	// delimiter; Decode tells the two apart.
	if err := dec.Decode(&raw); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected value")
		}
		return bail(err)
	}
	return resume{}, false
}

// skipSpace reads past white space, counting lines from line; n is the
// number of bytes read past.
func skipSpace(br *bufio.Reader, line int) (n, lines int, err error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return n, line, err
		}
		switch c {
		case '\n':
			line++
		case ' ', '\t', '\r':
		default:
			return n, line, br.UnreadByte()
		}
		n++
	}
}

// skipValue reads past one JSON value without holding it, counting lines
// from line. It checks only what it needs to find the value's end.
func skipValue(br *bufio.Reader, line int) (int, error) {
	depth := 0
	inString, escaped := false, false
	first := true
	for {
		if inString && !escaped && br.Buffered() > 0 {
			// Most of a long value is string: pass over it a buffer at a time.
			buf, _ := br.Peek(br.Buffered())
			i := bytes.IndexAny(buf, "\"\\\n")
			if i < 0 {
				i = len(buf)
			}
			_, _ = br.Discard(i)
			if i == len(buf) {
				continue
			}
		}
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF && depth == 0 && !inString && !first {
				return line, nil // a scalar at the end of the input
			}
			return line, err
		}
		if c == '\n' {
			line++
		}
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if depth == 0 {
					return line, nil
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 { // the end of a scalar, inside the enclosing array
				return line, br.UnreadByte()
			}
			depth--
			if depth == 0 {
				return line, nil
			}
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'):
			if !first { // the end of a scalar
				if c == '\n' {
					line--
				}
				return line, br.UnreadByte()
			}
		}
		first = false
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
				if !yield(Item{Line: max(rec.Line, 1), Err: fmt.Errorf("%s: %w", format, rec.Err)}) {
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
