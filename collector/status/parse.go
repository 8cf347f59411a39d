package status

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// Parse reads one status-page document (see the package documentation for
// the formats and how they are told apart). origin names the input (file
// name or URL) in problems. A problem with one entry or update skips that
// entry or update only; data that is not a status feed yields one problem
// wrapping [ErrNotFeed] and no incidents. Incidents come in the order of the
// input, with duplicate keys merged.
func Parse(data []byte, origin string) (incs []Incident, problems []error) {
	p := &report{origin: origin}
	text, wasUTF16 := decodeText(data)
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		p.notFeed("empty input")
	case trimmed[0] == '{' || trimmed[0] == '[':
		incs = parseJSON(trimmed, p, origin)
	case trimmed[0] == '<':
		incs = parseXML(trimmed, p, origin, wasUTF16)
	default:
		head := trimmed[:min(len(trimmed), 24)]
		if !utf8.Valid(head) {
			p.notFeed("binary data")
		} else {
			p.notFeed("neither JSON nor XML: starts %q", head)
		}
	}
	return mergeByKey(incs), p.errs
}

// decodeText strips a UTF-8 byte-order mark and transcodes UTF-16 (with a
// BOM, or without one when the first character is ASCII, as in '{' 0x00).
func decodeText(b []byte) (_ []byte, wasUTF16 bool) {
	if bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) {
		return b[3:], false
	}
	var le bool
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		le, b = true, b[2:]
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		le, b = false, b[2:]
	case len(b) >= 2 && b[0] != 0 && b[1] == 0 && b[0] < 0x80:
		le = true
	case len(b) >= 2 && b[0] == 0 && b[1] != 0 && b[1] < 0x80:
		le = false
	default:
		return b, false
	}
	units := make([]uint16, len(b)/2)
	for i := range units {
		if le {
			units[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		} else {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, true
}
