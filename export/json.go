package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// metaJSON is Meta as the JSON export writes it.
type metaJSON struct {
	Title       string    `json:"title"`
	Slug        string    `json:"slug,omitempty"`
	Description string    `json:"description,omitempty"`
	Event       string    `json:"event,omitempty"`
	Zone        string    `json:"zone"`
	GeneratedAt time.Time `json:"generated_at"`
	Generator   string    `json:"generator,omitempty"`
	Method      string    `json:"method,omitempty"`
}

// jsonWriter writes {"meta": …, "items": [ … ], "count": n} or, for JSON
// Lines, one item per line.
type jsonWriter struct {
	bw    *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	lines bool
	n     int
	err   error
}

func newJSONWriter(w io.Writer, meta Meta, lines bool) (*jsonWriter, error) {
	j := &jsonWriter{bw: bufio.NewWriterSize(w, 64<<10), lines: lines}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	if lines {
		return j, nil
	}
	m := metaJSON{
		Title:       meta.Title,
		Slug:        meta.Slug,
		Description: meta.Description,
		Event:       meta.Event,
		Zone:        zoneName(meta.Location),
		GeneratedAt: meta.GeneratedAt,
		Generator:   meta.Generator,
		Method:      meta.Method,
	}
	if err := j.enc.Encode(m); err != nil {
		return nil, fmt.Errorf("export json: meta: %w", err)
	}
	j.bw.WriteString(`{"meta":`)
	j.bw.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
	j.bw.WriteString(`,"items":[`)
	return j, nil
}

func (j *jsonWriter) Write(it Item) error {
	if j.err != nil {
		return j.err
	}
	raw := it.Raw
	if len(raw) > 0 && (!utf8.Valid(raw) || !json.Valid(raw)) {
		return fmt.Errorf("export %s: item %s: raw payload is not valid UTF-8 JSON", j.name(), it.PostID)
	}
	if j.lines && bytes.ContainsAny(raw, "\r\n") {
		// A line break can only be whitespace between tokens: compact keeps
		// the value and drops the whitespace.
		var c bytes.Buffer
		if err := json.Compact(&c, raw); err != nil {
			return fmt.Errorf("export %s: item %s: raw payload: %w", j.name(), it.PostID, err)
		}
		raw = c.Bytes()
	}
	it.Raw = nil // written below byte for byte, not compacted by encoding/json
	j.buf.Reset()
	if err := j.enc.Encode(&it); err != nil {
		return fmt.Errorf("export %s: item %s: %w", j.name(), it.PostID, err)
	}
	b := bytes.TrimSuffix(j.buf.Bytes(), []byte("\n"))
	if !j.lines {
		if j.n > 0 {
			j.bw.WriteByte(',')
		}
		j.bw.WriteByte('\n')
	}
	if len(raw) > 0 {
		j.bw.Write(b[:len(b)-1])
		j.bw.WriteString(`,"raw":`)
		j.bw.Write(raw)
		j.bw.WriteByte('}')
	} else {
		j.bw.Write(b)
	}
	if j.lines {
		j.bw.WriteByte('\n')
	}
	j.n++
	if err := writeErr(j.bw); err != nil {
		j.err = fmt.Errorf("export %s: %w", j.name(), err)
		return j.err
	}
	return nil
}

func (j *jsonWriter) Close() error {
	if j.err != nil {
		return j.err
	}
	if !j.lines {
		fmt.Fprintf(j.bw, "\n],\"count\":%d}\n", j.n)
	}
	if err := j.bw.Flush(); err != nil {
		j.err = fmt.Errorf("export %s: %w", j.name(), err)
		return j.err
	}
	j.err = ErrClosed
	return nil
}

func (j *jsonWriter) name() string {
	if j.lines {
		return "jsonl"
	}
	return "json"
}
