package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// Decode reads the CSV file r: a header row, then one post per row. m names
// the columns; fields it leaves empty are guessed from the header as
// [DetectMapping] does. defaultSource is the source of rows without a source
// column or cell ("twitter", "mastodon", …); it may be empty only when every
// row names its source.
func Decode(r io.Reader, m Mapping, defaultSource string) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		if b, _ := br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
			_, _ = br.Discard(3)
		}
		cr := csv.NewReader(br)
		cr.Comma = sniffDelimiter(br)
		cr.LazyQuotes = false
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true

		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			yield(collector.Item{Line: errLine(err, 1), Err: fmt.Errorf("csv: header: %w", err)})
			return
		}
		header := append([]string(nil), rec...)
		if !validUTF8(header) {
			yield(collector.Item{Line: 1, Err: errors.New("csv: the header is not valid UTF-8 (is the file in another encoding, e.g. Latin-1?)")})
			return
		}
		guess, _ := DetectMapping(header)
		cols, err := resolve(header, guess.Merge(m))
		if err != nil {
			yield(collector.Item{Line: 1, Err: err})
			return
		}
		def := ""
		if strings.TrimSpace(defaultSource) != "" {
			var ok bool
			if def, ok = sourceName(defaultSource); !ok {
				yield(collector.Item{Line: 1, Err: fmt.Errorf("csv: default source %q is not a source name (lower-case letters, digits, '.', '-', '_')", defaultSource)})
				return
			}
		} else if cols.source < 0 {
			yield(collector.Item{Line: 1, Err: errors.New("csv: the file has no source column and no default source was given")})
			return
		}
		d := rowDecoder{header: header, cols: cols, def: def}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *csv.ParseError
				if !errors.As(err, &pe) {
					yield(collector.Item{Line: errLine(err, 0), Err: fmt.Errorf("csv: read: %w", err)})
					return
				}
				if !yield(collector.Item{Line: errLine(err, 1), Err: fmt.Errorf("csv: %w", err)}) {
					return
				}
				continue
			}
			line, _ := cr.FieldPos(0)
			it := collector.Item{Line: line}
			if p, err := d.post(rec); err != nil {
				it.Err = fmt.Errorf("csv: line %d: %w", line, err)
			} else {
				it.Post = p
			}
			if !yield(it) {
				return
			}
		}
	}
}

// errLine returns the line a csv error names, or def.
func errLine(err error, def int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) && pe.StartLine > 0 {
		return pe.StartLine
	}
	return def
}

// sniffDelimiter looks at the first line: ';' or tab when it holds more of
// them than commas (outside quotes), else ','.
func sniffDelimiter(br *bufio.Reader) rune {
	b, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	counts := map[byte]int{}
	quoted := false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	switch {
	case counts[';'] > counts[','] && counts[';'] >= counts['\t']:
		return ';'
	case counts['\t'] > counts[',']:
		return '\t'
	}
	return ','
}

type rowDecoder struct {
	header []string
	cols   columns
	def    string
	buf    bytes.Buffer
}

func (d *rowDecoder) cell(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (d *rowDecoder) post(rec []string) (*post.Post, error) {
	if len(rec) != len(d.header) {
		return nil, fmt.Errorf("%d fields, but the header has %d", len(rec), len(d.header))
	}
	if !validUTF8(rec) {
		return nil, errors.New("not valid UTF-8 (is the file in another encoding, e.g. Latin-1?)")
	}
	c := d.cols
	source := d.def
	if s, ok := sourceName(d.cell(rec, c.source)); ok {
		source = s
	}
	if source == "" {
		return nil, fmt.Errorf("no source in column %q and no default source", d.header[c.source])
	}
	id := d.cell(rec, c.id)
	if id == "" {
		return nil, fmt.Errorf("no id in column %q", d.header[c.id])
	}
	if err := checkID(id); err != nil {
		return nil, fmt.Errorf("id: %w", err)
	}
	text := rec[c.text]
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("no text in column %q", d.header[c.text])
	}
	ts := d.cell(rec, c.created)
	if ts == "" {
		return nil, fmt.Errorf("no time in column %q", d.header[c.created])
	}
	created, err := parseTime(ts)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", d.header[c.created], err)
	}
	p := &post.Post{
		ID:        post.MakeID(source, id),
		Source:    source,
		NativeID:  id,
		Text:      post.UnescapeEntities(text),
		CreatedAt: created,
		Lang:      d.cell(rec, c.lang),
		URL:       d.cell(rec, c.url),
		Author: post.Author{
			Handle: strings.TrimPrefix(d.cell(rec, c.author), "@"),
			Name:   d.cell(rec, c.authorName),
			ID:     d.cell(rec, c.authorID),
		},
	}
	if p.Author.ID != "" {
		if err := checkID(p.Author.ID); err != nil {
			return nil, fmt.Errorf("author id: %w", err)
		}
	}
	if r := d.cell(rec, c.replyTo); r != "" {
		if err := checkID(r); err != nil {
			return nil, fmt.Errorf("reply-to id: %w", err)
		}
		p.ReplyTo = post.MakeID(source, r)
	}
	if source == post.Twitter {
		if p.Author.Handle != "" {
			p.Author.URL = "https://x.com/" + p.Author.Handle
		}
		if p.URL == "" {
			if p.Author.Handle != "" {
				p.URL = "https://x.com/" + p.Author.Handle + "/status/" + id
			} else {
				p.URL = "https://x.com/i/web/status/" + id
			}
		}
	}
	p.Raw = d.raw(rec)
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// raw encodes the row as a JSON object keyed by the header.
func (d *rowDecoder) raw(rec []string) []byte {
	d.buf.Reset()
	enc := json.NewEncoder(&d.buf)
	enc.SetEscapeHTML(false)
	out := []byte{'{'}
	for i, v := range rec {
		if i > 0 {
			out = append(out, ',')
		}
		d.buf.Reset()
		_ = enc.Encode(d.header[i]) // strings always encode
		out = append(out, bytes.TrimSuffix(d.buf.Bytes(), []byte("\n"))...)
		out = append(out, ':')
		d.buf.Reset()
		_ = enc.Encode(v)
		out = append(out, bytes.TrimSuffix(d.buf.Bytes(), []byte("\n"))...)
	}
	return append(out, '}')
}

func validUTF8(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// sourceName normalises a source cell; ok is false when s is not a platform
// name (empty, or free text such as a client name).
func sourceName(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "x", "x.com", "tweet", "tweets", "twitter.com":
		return post.Twitter, true
	}
	if s == "" || len(s) > 32 {
		return "", false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return "", false
		}
	}
	return s, true
}

// checkID rejects an id a spreadsheet turned into a number in scientific
// notation.
func checkID(id string) error {
	if isScientific(id) {
		return fmt.Errorf("%q was mangled by a spreadsheet: the number was rounded to scientific notation and its digits are lost; export the file again without opening it in a spreadsheet, or import the column as text", id)
	}
	return nil
}

// isScientific reports whether s is a number like "8.35971E+17".
func isScientific(s string) bool {
	mant, exp, ok := strings.Cut(strings.ToLower(s), "e")
	if !ok {
		return false
	}
	mant = strings.TrimLeft(mant, "+-")
	whole, frac, _ := strings.Cut(mant, ".")
	exp = strings.TrimLeft(exp, "+-")
	return whole != "" && allDigits(whole) && allDigits(frac) && exp != "" && allDigits(exp)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDecimal reports whether s is an unsigned decimal number such as "12" or
// "12.5".
func isDecimal(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return whole != "" && allDigits(whole) && allDigits(frac)
}

const maxEpoch = 253402300799 // 9999-12-31T23:59:59Z

// parseTime reads a time in one of the layouts the package accepts.
func parseTime(s string) (time.Time, error) {
	if isDecimal(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 {
			return time.Time{}, fmt.Errorf("unix time %q is out of range", s)
		}
		if f >= 1e11 { // milliseconds: 1e11 seconds is the year 5138
			f /= 1000
		}
		if f > maxEpoch {
			return time.Time{}, fmt.Errorf("unix time %q is out of range", s)
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), nil
	}
	layouts := [...]string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05Z0700",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 Z07:00",
		"2006-01-02 15:04:05",
		time.RubyDate,
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time in a known layout (RFC 3339, \"2006-01-02 15:04:05\", \"Mon Jan 02 15:04:05 -0700 2006\", unix seconds or milliseconds, \"2006-01-02\")", s)
}
