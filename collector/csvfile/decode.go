package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// Options tune Decode. The zero value guesses every column and the layout of
// the times, reads times without zone as UTC, and needs a source column
// holding platform names.
type Options struct {
	// Columns name columns, overriding the ones guessed from the header.
	Columns Mapping
	// Source, if set, is the platform of every row, whatever a source
	// column says ("twitter", "mastodon", …).
	Source string
	// DefaultSource is the platform of rows whose source cell names no
	// platform (see the package documentation); empty means such rows are
	// refused.
	DefaultSource string
	// TimeLayout is the layout of the time column (see ParseTimeLayout);
	// empty guesses it per value, and the order of day and month per file.
	TimeLayout string
	// Location is the zone of times written without one; nil is UTC.
	Location *time.Location
	// Note, if set, is told what the decoder assumed, once per kind and
	// file, e.g. "times without a zone (such as "2/24/2015 11:35" on line 2)
	// read as UTC; --tz names their zone". The importer prints these with
	// its summary.
	Note func(msg string)
	// MaxRecordBytes bounds one row (a quoted cell may hold line breaks,
	// and a quote left open holds the rest of the file); zero is
	// collector.MaxRecordBytes. A longer row is an Err item, read past
	// without being held; the rows after it are read.
	MaxRecordBytes int
}

// Look-ahead limits: rows whose date reads two ways (3/4/2015) wait for a
// value that settles the order of day and month for the file; at most this
// many rows, or bytes of their cells, wait.
const (
	maxHeldRows  = 10000
	maxHeldBytes = 32 << 20
)

// heldRow is a row read while the order of day and month is not decided.
type heldRow struct {
	rec  []string // a copy of the record; nil for a CSV error
	line int
	err  error
}

// Decode reads the CSV file r: a header row, then one post per row, as the
// package documentation describes. A row that cannot be read is an Err item
// and the next row is read; only a header that cannot be used or a reader
// that fails ends the input early.
func Decode(r io.Reader, opts Options) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		if b, _ := br.Peek(3); bytes.Equal(b, []byte("\ufeff")) {
			_, _ = br.Discard(3)
		}
		max := opts.MaxRecordBytes
		if max <= 0 {
			max = collector.MaxRecordBytes
		}
		comma := sniffDelimiter(br)
		lim := &rowLimit{r: br, max: max, comma: byte(comma)}
		var (
			cr       *csv.Reader
			base     int64 // input offset where cr starts
			lineBase int   // lines before it
		)
		// A new reader starts after a row over the limit, which the old one
		// holds part of.
		newReader := func() {
			cr = csv.NewReader(lim)
			cr.Comma = comma
			cr.LazyQuotes = false
			cr.FieldsPerRecord = -1
			cr.ReuseRecord = true
			base, lim.start = lim.read, lim.read
			lineBase = lim.lineAt(lim.read)
		}
		newReader()

		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			yield(collector.Item{Line: errLine(err, 1), Err: fmt.Errorf("csv: header: %w", err)})
			return
		}
		lim.start = base + cr.InputOffset()
		header := append([]string(nil), rec...)
		d, err := newRowDecoder(header, opts)
		if err != nil {
			yield(collector.Item{Line: 1, Err: err})
			return
		}
		var (
			held      []heldRow
			heldBytes int
			lastLine  = 1 // where the last row read starts
		)
		// emit decodes a row and yields its item.
		emit := func(h heldRow) bool {
			d.decided()
			if h.err != nil {
				return yield(collector.Item{Line: h.line, Err: h.err})
			}
			it := collector.Item{Line: h.line}
			if p, err := d.post(h.rec, h.line); err != nil {
				it.Err = fmt.Errorf("csv: line %d: %w", h.line, err)
			} else {
				it.Post = p
			}
			return yield(it)
		}
		// drain yields the held rows once the order is decided or the
		// look-ahead ends.
		drain := func() bool {
			for i, h := range held {
				held[i] = heldRow{}
				if !emit(h) {
					return false
				}
			}
			held, heldBytes = held[:0], 0
			return true
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			var h heldRow
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				// Lines as the whole input counts them, not this reader.
				pe.StartLine += lineBase
				pe.Line += lineBase
			}
			switch {
			case errors.Is(err, errRowTooLong):
				h = heldRow{line: lim.lineAt(lim.start) + 1, err: fmt.Errorf("csv: row longer than %d bytes (a quote left open?), skipped", max)}
				if err := lim.skipRow(); err != nil && err != io.EOF {
					d.times.gaveUp = true
					if drain() {
						yield(collector.Item{Line: h.line, Err: fmt.Errorf("csv: read: %w", err)})
					}
					return
				}
				newReader()
			case err != nil:
				lim.start = base + cr.InputOffset()
				if pe == nil {
					d.times.gaveUp = true
					if drain() {
						yield(collector.Item{Line: errLine(err, lastLine), Err: fmt.Errorf("csv: read: %w", err)})
					}
					return
				}
				h = heldRow{line: errLine(err, lastLine), err: fmt.Errorf("csv: %w", err)}
			default:
				lim.start = base + cr.InputOffset()
				h.rec = rec
				h.line, _ = cr.FieldPos(0)
				h.line += lineBase
			}
			lastLine = h.line
			// After the look-ahead gave up, rows no longer wait, but a
			// value may still settle the order for the rows after it.
			ambiguous := h.err == nil && d.observe(h.rec, h.line) && !d.times.gaveUp
			if len(held) == 0 && !ambiguous {
				if !emit(h) {
					return
				}
				continue
			}
			if h.rec != nil {
				h.rec = append([]string(nil), h.rec...)
				for _, c := range h.rec {
					heldBytes += len(c)
				}
			}
			held = append(held, h)
			switch {
			case d.times.order != orderUnknown:
			case len(held) >= maxHeldRows || heldBytes >= maxHeldBytes:
				d.times.gaveUp = true
			default:
				continue
			}
			if !drain() {
				return
			}
		}
		d.times.gaveUp = true
		drain()
	}
}

// rowLimit fails a read that would take the row being read (from input
// offset start on) past max bytes, so that a quote left open cannot make
// the CSV reader hold the rest of the file. It follows the quoting of
// every byte it hands on (as encoding/csv reads it without LazyQuotes), so
// that such a row can be read past to its end, and remembers where the
// lines break after start, to name the line of a row.
type rowLimit struct {
	r     *bufio.Reader
	read  int64 // bytes handed to the CSV reader
	start int64 // input offset where the current row starts
	max   int
	comma byte
	st    quoting
	nl    []int64 // offsets of line breaks not yet counted
	line  int     // lines counted
}

// quoting is where a byte falls in a CSV row.
type quoting uint8

const (
	fieldStart quoting = iota // at the start of a field
	unquoted                  // in a field that does not start with a quote
	quoted                    // in a quoted field
	quoteSeen                 // just after a quote in a quoted field: its end, or the first of two
)

// feed follows c; it reports whether c ends a row.
func (l *rowLimit) feed(c byte) bool {
	switch l.st {
	case quoted:
		if c == '"' {
			l.st = quoteSeen
		}
		return false
	case quoteSeen:
		if c == '"' {
			l.st = quoted
			return false
		}
	case fieldStart:
		if c == '"' {
			l.st = quoted
			return false
		}
	}
	switch c {
	case '\n':
		l.st = fieldStart
		return true
	case l.comma:
		l.st = fieldStart
	default:
		l.st = unquoted
	}
	return false
}

var errRowTooLong = errors.New("row too long")

// rowSlack is what the CSV reader may read ahead of the row it parses (its
// bufio.Reader's size).
const rowSlack = 4096

func (l *rowLimit) Read(p []byte) (int, error) {
	allowed := l.start + int64(l.max) + rowSlack + 1 - l.read
	if allowed <= 0 {
		return 0, errRowTooLong
	}
	if int64(len(p)) > allowed {
		p = p[:allowed]
	}
	n, err := l.r.Read(p)
	l.pass(p[:n])
	return n, err
}

// pass records the bytes b, handed on or read past.
func (l *rowLimit) pass(b []byte) {
	for i, c := range b {
		if c == '\n' {
			l.nl = append(l.nl, l.read+int64(i))
		}
		l.feed(c)
	}
	l.read += int64(len(b))
}

// skipRow reads past the rest of the row over the limit, without holding
// it. A quote left open takes it to the end of the input (io.EOF).
func (l *rowLimit) skipRow() error {
	for {
		if l.r.Buffered() == 0 {
			if _, err := l.r.Peek(1); err != nil {
				return err
			}
		}
		b, _ := l.r.Peek(l.r.Buffered())
		end := -1
		for i, c := range b {
			if l.feed(c) {
				end = i
				break
			}
		}
		n := len(b)
		if end >= 0 {
			n = end + 1
		}
		// The bytes are fed already: count them and their lines.
		for i, c := range b[:n] {
			if c == '\n' {
				l.nl = append(l.nl, l.read+int64(i))
			}
		}
		l.read += int64(n)
		_, _ = l.r.Discard(n)
		if end >= 0 {
			return nil
		}
	}
}

// lineAt returns the number of line breaks before offset off, forgetting
// those it counted.
func (l *rowLimit) lineAt(off int64) int {
	k := 0
	for k < len(l.nl) && l.nl[k] < off {
		k++
	}
	l.line += k
	l.nl = l.nl[k:]
	return l.line
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

// rowDecoder turns the rows of one file into posts.
type rowDecoder struct {
	header []string
	cols   columns
	// source: the forced platform, the fallback for rows without one, and
	// whether the source column was named (its cells are then taken as
	// they are) rather than guessed (only platform names count).
	force, def     string
	sourceExplicit bool
	sourceSeen     bool // a source cell that is no platform name was met
	nameIsHandle   bool // the guessed "name" column holds handles when they look like one
	escapedLines   bool // twarc-csv wrote line breaks in text as \n
	times          timeReader
	note           func(string)
	noted          map[string]bool
}

func newRowDecoder(header []string, opts Options) (*rowDecoder, error) {
	if !validUTF8(header) {
		return nil, errors.New("csv: the header is not valid UTF-8 (is the file in another encoding, e.g. Latin-1?)")
	}
	guess, _ := DetectMapping(header)
	m := guess.Merge(opts.Columns)
	cols, err := resolve(header, m)
	if err != nil {
		return nil, err
	}
	d := &rowDecoder{header: header, cols: cols, note: opts.Note, noted: map[string]bool{}}
	d.sourceExplicit = opts.Columns.Source != ""
	d.nameIsHandle = m.Author == "" && opts.Columns.AuthorName == "" && normName(m.AuthorName) == "name"
	d.escapedLines = slices.ContainsFunc(header, func(h string) bool { return strings.HasPrefix(normName(h), "__twarc.") })
	for _, s := range []struct {
		dst  *string
		val  string
		flag string
	}{{&d.force, opts.Source, "source"}, {&d.def, opts.DefaultSource, "default source"}} {
		if strings.TrimSpace(s.val) == "" {
			continue
		}
		var ok bool
		if *s.dst, ok = sourceName(s.val); !ok {
			return nil, fmt.Errorf("csv: %s %q is not a source name (lower-case letters, digits, '.', '-', '_')", s.flag, s.val)
		}
	}
	if d.force == "" && d.def == "" && cols.source < 0 {
		return nil, errors.New("csv: the file has no source column and no default source was given")
	}
	if d.times.layout, err = ParseTimeLayout(opts.TimeLayout); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	d.times.loc = opts.Location
	if d.times.loc == nil {
		d.times.loc = time.UTC
	}
	return d, nil
}

// tell passes a note on, once per key; the message is only formatted the
// first time.
func (d *rowDecoder) tell(key, format string, args ...any) {
	if d.note != nil && !d.noted[key] {
		d.noted[key] = true
		d.note(fmt.Sprintf(format, args...))
	}
}

// told reports whether the note for key was passed on (or there is no one
// to tell), so callers can skip the work of a note.
func (d *rowDecoder) told(key string) bool {
	return d.note == nil || d.noted[key]
}

// observe looks at a row's time while the order of day and month is not
// decided; it reports whether the row must wait for a decision.
func (d *rowDecoder) observe(rec []string, line int) bool {
	if d.times.order != orderUnknown || len(rec) != len(d.header) {
		return false
	}
	return d.times.observe(strings.TrimSpace(rec[d.cols.created]), line)
}

// decided notes how the order of day and month was settled, once the
// look-ahead ends or a value settled it.
func (d *rowDecoder) decided() {
	if d.told("order") {
		return
	}
	t := &d.times
	switch {
	case t.order != orderUnknown && t.decider != "":
		d.tell("order", "dates read as %s, as %s shows", t.order, t.decider)
	case t.gaveUp && t.ambigDot && !t.ambigSlash:
		d.tell("order", "dates with dots read as D.M.YYYY (day first, as usual with dots; no value settled it; --time-layout names another order)")
	}
}

func (d *rowDecoder) cell(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// source returns the platform of a row.
func (d *rowDecoder) source(rec []string) (string, error) {
	if d.force != "" {
		return d.force, nil
	}
	if d.cols.source < 0 {
		if !d.told("source") {
			d.tell("source", "no source column: rows read as %s (--source names the platform, e.g. twitter, so that tweet ids give the posts the twitter importers give)", d.def)
		}
		return d.def, nil
	}
	cell := d.cell(rec, d.cols.source)
	if d.sourceExplicit {
		if s, ok := sourceName(cell); ok {
			return s, nil
		}
	} else if s, ok := platformName(cell); ok {
		return s, nil
	}
	if cell != "" && !d.sourceSeen {
		// The column holds client names ("Twitter for iPhone", an X
		// archive's <a href=…>): the first one decides the file.
		d.sourceSeen = true
		col := d.header[d.cols.source]
		if isTwitterClient(cell) && !d.sourceExplicit {
			d.def = post.Twitter
			d.tell("source", "column %q holds Twitter client names (%q), not platforms: rows read as twitter (--source names the platform)", col, cell)
		} else if d.def != "" {
			d.tell("source", "column %q holds %q, not a platform name: rows without one read as %s (--source names the platform)", col, cell, d.def)
		}
	}
	if d.def == "" {
		if cell == "" {
			return "", fmt.Errorf("no source in column %q and no default source", d.header[d.cols.source])
		}
		return "", fmt.Errorf("column %q holds %q, not a platform name, and no default source was given", d.header[d.cols.source], cell)
	}
	return d.def, nil
}

func (d *rowDecoder) post(rec []string, line int) (*post.Post, error) {
	if len(rec) != len(d.header) {
		return nil, fmt.Errorf("%d fields, but the header has %d", len(rec), len(d.header))
	}
	if !validUTF8(rec) {
		return nil, errors.New("not valid UTF-8 (is the file in another encoding, e.g. Latin-1?)")
	}
	c := d.cols
	source, err := d.source(rec)
	if err != nil {
		return nil, err
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
	created, naive, err := d.times.parse(ts)
	if err != nil {
		return nil, fmt.Errorf("column %q: %w", d.header[c.created], err)
	}
	if naive && !d.told("zone") {
		if d.times.loc == time.UTC {
			d.tell("zone", "times without a zone (such as %q on line %d) read as UTC; --tz names their zone", ts, line)
		} else {
			d.tell("zone", "times without a zone (such as %q on line %d) read as %s", ts, line, d.times.loc)
		}
	}
	if d.escapedLines {
		text = strings.ReplaceAll(text, `\n`, "\n")
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
	if d.nameIsHandle && looksLikeHandle(p.Author.Name) {
		p.Author.Handle, p.Author.Name = strings.TrimPrefix(p.Author.Name, "@"), ""
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
	if c.hashtags >= 0 {
		p.Hashtags = listCell(rec[c.hashtags], '#')
	} else {
		p.Hashtags = textHashtags(p.Text)
	}
	if c.mentions >= 0 {
		p.Mentions = listCell(rec[c.mentions], '@')
	} else {
		p.Mentions = textMentions(p.Text)
	}
	if c.links >= 0 {
		p.Links = linkCell(rec[c.links])
	} else {
		p.Links = textLinks(p.Text)
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

// looksLikeHandle reports whether a "name" cell is a handle (no spaces, at
// most 64 letters, digits, '_', '.', '-' and a leading '@') rather than a
// display name.
func looksLikeHandle(s string) bool {
	s = strings.TrimPrefix(s, "@")
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// raw encodes the row as a JSON object keyed by the header, strings
// escaped as encoding/json escapes them without HTML escaping (the cells are
// valid UTF-8: the row is refused otherwise).
func (d *rowDecoder) raw(rec []string) []byte {
	n := 2
	for i, v := range rec {
		n += len(d.header[i]) + len(v) + 6
	}
	out := make([]byte, 0, n)
	out = append(out, '{')
	for i, v := range rec {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendJSONString(out, d.header[i])
		out = append(out, ':')
		out = appendJSONString(out, v)
	}
	return append(out, '}')
}

// appendJSONString appends s as a JSON string: '"' and '\\' escaped, control
// characters as \b \f \n \r \t or \u00XX, U+2028 and U+2029 as \u2028 and
// \u2029, as encoding/json writes them with SetEscapeHTML(false).
func appendJSONString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < 0x80 {
			i++
			continue
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != '\u2028' && r != '\u2029' {
				i += size
				continue
			}
			out = append(out, s[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		out = append(out, s[start:i]...)
		switch c {
		case '"', '\\':
			out = append(out, '\\', c)
		case '\b':
			out = append(out, '\\', 'b')
		case '\f':
			out = append(out, '\\', 'f')
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		case '\t':
			out = append(out, '\\', 't')
		default:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

func validUTF8(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// sourceName normalises a source name given by the user or a named source
// column; ok is false when s is not a name (empty, or free text such as a
// client name).
func sourceName(s string) (string, bool) {
	if p, ok := platformName(s); ok {
		return p, true
	}
	s = strings.ToLower(strings.TrimSpace(s))
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

// platforms are the names a guessed source column must hold to be taken as
// the platform of its rows, with their spellings.
var platforms = map[string]string{
	"twitter": post.Twitter, "x": post.Twitter, "x.com": post.Twitter, "twitter.com": post.Twitter, "tweet": post.Twitter, "tweets": post.Twitter,
	"mastodon": post.Mastodon, "bluesky": post.Bluesky, "bsky": post.Bluesky, "bsky.app": post.Bluesky,
	"reddit": post.Reddit, "hackernews": post.HackerNews, "hacker news": post.HackerNews, "hn": post.HackerNews,
	"facebook": "facebook", "instagram": "instagram", "threads": "threads", "tiktok": "tiktok",
	"youtube": "youtube", "telegram": "telegram", "linkedin": "linkedin", "tumblr": "tumblr",
	"weibo": "weibo", "vk": "vk", "gab": "gab", "truthsocial": "truthsocial", "truth social": "truthsocial",
	"4chan": "4chan", "discord": "discord", "rss": "rss", "news": "news",
}

// platformName returns the platform a cell names; ok is false for anything
// else, such as a client name ("web", "Twitter for iPhone").
func platformName(s string) (string, bool) {
	p, ok := platforms[strings.ToLower(strings.TrimSpace(s))]
	return p, ok
}

// isTwitterClient reports whether a source cell names a Twitter client: an X
// archive's <a href="http://twitter.com/…">, "Twitter for iPhone", "Twitter
// Web Client", "Twitter Web App", "TweetDeck".
func isTwitterClient(s string) bool {
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "<a ") {
		return strings.Contains(l, "href=\"http://twitter.com") || strings.Contains(l, "href=\"https://twitter.com") ||
			strings.Contains(l, "href=\"https://mobile.twitter.com") || strings.Contains(l, "href=\"http://mobile.twitter.com")
	}
	return strings.HasPrefix(l, "twitter for ") || strings.HasPrefix(l, "twitter web ") || l == "tweetdeck" || strings.HasPrefix(l, "tweetdeck ")
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
