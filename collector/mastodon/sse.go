package mastodon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxEvent bounds one server-sent event (and one physical line): a status
// is a few kilobytes, so anything near this is not Mastodon talking.
const maxEvent = 4 << 20

// sseEvent is one dispatched server-sent event.
type sseEvent struct {
	Type string // "message" when the stream named none
	Data string // the data lines joined with "\n"
}

// sseReader reads server-sent events as the WHATWG spec frames them: lines
// end in LF, CRLF or CR; a line starting with ':' is a comment (Mastodon's
// ":thump" heartbeat); "field: value" sets event or appends to data (one
// space after the colon is dropped); a blank line dispatches the event when
// it has data. id and retry are ignored (Mastodon sends neither, and its
// streams cannot replay).
type sseReader struct {
	r      *bufio.Reader
	lines  []string // lines of the last segment not yet consumed
	onLine func()   // called for every line read, heartbeats included
}

func newSSEReader(r io.Reader, onLine func()) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 64<<10), onLine: onLine}
}

var errEventTooLarge = fmt.Errorf("server-sent event larger than %d bytes", maxEvent)

// next returns the next event. At the end of the stream it returns io.EOF
// (an event cut off by the end is discarded, as the spec says).
func (s *sseReader) next() (sseEvent, error) {
	var typ string
	var data strings.Builder
	hasData := false
	for {
		line, err := s.line()
		if err != nil {
			return sseEvent{}, err
		}
		if s.onLine != nil {
			s.onLine()
		}
		if line == "" {
			if !hasData {
				typ = ""
				continue
			}
			if typ == "" {
				typ = "message"
			}
			return sseEvent{Type: typ, Data: data.String()}, nil
		}
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			typ = value
		case "data":
			if data.Len()+len(value)+1 > maxEvent {
				return sseEvent{}, errEventTooLarge
			}
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		}
	}
}

// line returns the next line without its terminator.
func (s *sseReader) line() (string, error) {
	for len(s.lines) == 0 {
		seg, err := s.segment()
		if err != nil {
			return "", err
		}
		s.lines = splitLines(seg)
	}
	l := s.lines[0]
	s.lines = s.lines[1:]
	return l, nil
}

// segment reads up to and including the next LF. Since a CRLF ends with
// that LF, no line terminator is split between two segments. Bytes after
// the last LF at the end of the stream are an unterminated line: dropped.
func (s *sseReader) segment() (string, error) {
	var buf []byte
	for {
		frag, err := s.r.ReadSlice('\n')
		if len(buf)+len(frag) > maxEvent {
			return "", errEventTooLarge
		}
		buf = append(buf, frag...)
		switch {
		case err == nil:
			return string(buf), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if i := strings.LastIndexByte(string(buf), '\r'); i >= 0 {
				// Lines ended by a lone CR are complete; only the tail
				// after the last CR is cut off.
				return string(buf[:i+1]), nil
			}
			return "", io.EOF
		default:
			return "", err
		}
	}
}

// splitLines splits a segment ending in a line terminator into its lines.
func splitLines(seg string) []string {
	var lines []string
	for seg != "" {
		i := strings.IndexAny(seg, "\r\n")
		if i < 0 { // unterminated tail (cannot happen for a segment)
			break
		}
		lines = append(lines, seg[:i])
		if seg[i] == '\r' && i+1 < len(seg) && seg[i+1] == '\n' {
			i++
		}
		seg = seg[i+1:]
	}
	return lines
}
