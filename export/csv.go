package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// csvWriter writes RFC 4180 CSV: UTF-8 with a byte order mark, CRLF between
// records, fields quoted when they are not numbers.
type csvWriter struct {
	bw   *bufio.Writer
	meta Meta
	row  [nColumns]string
	err  error
}

func newCSVWriter(w io.Writer, meta Meta) (*csvWriter, error) {
	c := &csvWriter{bw: bufio.NewWriterSize(w, 64<<10), meta: meta}
	c.bw.WriteString("\uFEFF")
	for i, col := range columns {
		c.row[i] = col.name
	}
	c.writeRecord(true)
	return c, nil
}

func (c *csvWriter) Write(it Item) error {
	if c.err != nil {
		return c.err
	}
	fillRow(c.row[:], &it, c.meta.Location)
	c.writeRecord(false)
	if err := writeErr(c.bw); err != nil {
		c.err = fmt.Errorf("export csv: %w", err)
		return c.err
	}
	return nil
}

func (c *csvWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	if err := c.bw.Flush(); err != nil {
		c.err = fmt.Errorf("export csv: %w", err)
		return c.err
	}
	c.err = ErrClosed
	return nil
}

// writeRecord writes c.row. Write errors are caught by bufio.Writer and
// reported by Flush.
func (c *csvWriter) writeRecord(header bool) {
	for i, f := range c.row {
		if i > 0 {
			c.bw.WriteByte(',')
		}
		k := columns[i].kind
		if header {
			k = kText
		}
		switch k {
		case kInt, kFloat:
			c.bw.WriteString(f) // formatted by us: digits, '-', '.'
			continue
		case kID:
			f = csvID(f)
		case kText, kURL, kLong, kTime:
			f = neutralise(f)
		}
		c.writeQuoted(f)
	}
	c.bw.WriteString("\r\n")
}

// writeQuoted writes f as a quoted field, doubling its quotes.
func (c *csvWriter) writeQuoted(f string) {
	c.bw.WriteByte('"')
	for {
		i := strings.IndexByte(f, '"')
		if i < 0 {
			break
		}
		c.bw.WriteString(f[:i+1])
		c.bw.WriteByte('"')
		f = f[i+1:]
	}
	c.bw.WriteString(f)
	c.bw.WriteByte('"')
}

// neutralise prefixes an apostrophe to a cell that a spreadsheet would take
// for a formula: one starting with = + - @ tab or carriage return (OWASP,
// "CSV Injection").
func neutralise(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// csvID returns a post id as a cell that spreadsheets keep as text. Ids are
// "<source>:<native id>" with a source starting with a letter, which no
// spreadsheet reads as a number, date or formula; any other id (a bare
// number, say) is prefixed with an apostrophe like a formula.
func csvID(s string) string {
	if s == "" {
		return s
	}
	src, _, ok := strings.Cut(s, ":")
	if !ok || !isSourceName(src) {
		return "'" + s
	}
	return s
}

// isSourceName reports whether s is a letter followed by letters, digits,
// '_', '.' or '-'.
func isSourceName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // lower-cases letters; digits and '_' '.' '-' are not letters either way
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '_' || s[i] == '.' || s[i] == '-'):
		default:
			return false
		}
	}
	return true
}
