package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// mdWriter writes Markdown (md true) or plain text: a header, one quote and
// citation per item, and the method note on Close.
type mdWriter struct {
	bw   *bufio.Writer
	meta Meta
	md   bool
	err  error
}

func newMarkdownWriter(w io.Writer, meta Meta, md bool) (*mdWriter, error) {
	m := &mdWriter{bw: bufio.NewWriterSize(w, 64<<10), meta: meta, md: md}
	title := oneLine(meta.Title)
	if title == "" {
		title = "Quotes"
	}
	if md {
		m.bw.WriteString("# " + mdInline(title) + "\n\n")
	} else {
		m.bw.WriteString(title + "\n" + strings.Repeat("=", min(len([]rune(title)), 72)) + "\n\n")
	}
	if ev := oneLine(meta.Event); ev != "" && ev != title {
		m.paragraph("Event: " + ev)
	}
	if d := flatTabs(meta.Description); strings.TrimSpace(d) != "" {
		m.paragraph(d)
	}
	gen := "Generated " + whenDisplay(meta.GeneratedAt, meta.Location)
	if g := oneLine(meta.Generator); g != "" {
		gen += " by " + g
	}
	gen += ". Times are " + zoneName(meta.Location)
	if zoneName(meta.Location) != "UTC" {
		gen += " with UTC in parentheses"
	}
	m.paragraph(gen + ".")
	return m, nil
}

// paragraph writes text as paragraphs (blank lines kept), escaped for
// Markdown.
func (m *mdWriter) paragraph(text string) {
	if m.md {
		m.bw.WriteString(mdLines(text, ""))
	} else {
		m.bw.WriteString(strings.TrimSpace(normalizeNewlines(text)))
	}
	m.bw.WriteString("\n\n")
}

func (m *mdWriter) Write(it Item) error {
	if m.err != nil {
		return m.err
	}
	text := flatTabs(it.Text)
	if m.md {
		if strings.TrimSpace(text) == "" {
			m.bw.WriteString("> *[no text]*\n\n")
		} else {
			m.bw.WriteString(mdLines(text, "> "))
			m.bw.WriteString("\n\n")
		}
	} else {
		m.bw.WriteString("“")
		m.bw.WriteString(strings.TrimSpace(normalizeNewlines(text)))
		m.bw.WriteString("”\n")
	}
	m.bw.WriteString(m.citation(&it))
	m.bw.WriteString("\n")
	if it.Status == Edited && strings.TrimSpace(it.CurrentText) != "" {
		m.line("Now reads: “" + oneLine(it.CurrentText) + "”")
	}
	if note := flatTabs(it.Note); strings.TrimSpace(note) != "" {
		if m.md {
			m.bw.WriteString("\n" + mdLines("Note: "+note, ""))
		} else {
			m.bw.WriteString("Note: " + strings.TrimSpace(normalizeNewlines(note)))
		}
		m.bw.WriteString("\n")
	}
	m.bw.WriteString("\n")
	if err := writeErr(m.bw); err != nil {
		m.err = fmt.Errorf("export %s: %w", m.name(), err)
		return m.err
	}
	return nil
}

// line writes one line of generated text after the citation.
func (m *mdWriter) line(s string) {
	if m.md {
		m.bw.WriteString("\n" + mdInline(s) + "\n")
		return
	}
	m.bw.WriteString(s + "\n")
}

// citation returns "— Name (@handle), Platform, when, link — context;
// status", escaped for Markdown.
func (m *mdWriter) citation(it *Item) string {
	esc := func(s string) string { return s }
	link := func(u string) string { return u }
	if m.md {
		esc = mdInline
		link = func(u string) string { return "<" + u + ">" }
	}
	var b strings.Builder
	b.WriteString("— ")
	b.WriteString(esc(authorDisplay(it)))
	if p := platformName(it.Source); p != "" {
		b.WriteString(", ")
		b.WriteString(esc(p))
	}
	b.WriteString(", ")
	b.WriteString(whenDisplay(it.CreatedAt, m.meta.Location))
	switch {
	case safeURL(it.Permalink):
		b.WriteString(", " + link(it.Permalink))
	case it.Permalink != "" || it.PostID != "":
		b.WriteString(", " + esc(oneLine(cmp(it.Permalink, it.PostID))))
	}
	var extra []string
	if len(it.ReplyTo)+len(it.ReplyToURL) > 0 {
		extra = append(extra, "replying to "+m.ref(it.ReplyTo, it.ReplyToURL))
	}
	if len(it.QuoteOf)+len(it.QuoteOfURL) > 0 {
		extra = append(extra, "quoting "+m.ref(it.QuoteOf, it.QuoteOfURL))
	}
	if s := statusPhrase(it.Status); s != "" {
		extra = append(extra, esc(s))
	}
	if len(extra) > 0 {
		b.WriteString(" — ")
		b.WriteString(strings.Join(extra, "; "))
	}
	return b.String()
}

// ref names a post answered or quoted, as a link when its URL is safe.
func (m *mdWriter) ref(id, u string) string {
	if safeURL(u) {
		if m.md {
			return "<" + u + ">"
		}
		return u
	}
	if m.md {
		return mdInline(oneLine(cmp(id, u)))
	}
	return oneLine(cmp(id, u))
}

// cmp returns the first non-empty string.
func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (m *mdWriter) Close() error {
	if m.err != nil {
		return m.err
	}
	if method := flatTabs(m.meta.Method); strings.TrimSpace(method) != "" {
		if m.md {
			m.bw.WriteString("## Method\n\n")
		} else {
			m.bw.WriteString("Method\n------\n\n")
		}
		m.paragraph(method)
	}
	if err := m.bw.Flush(); err != nil {
		m.err = fmt.Errorf("export %s: %w", m.name(), err)
		return m.err
	}
	m.err = ErrClosed
	return nil
}

func (m *mdWriter) name() string {
	if m.md {
		return "md"
	}
	return "txt"
}

// mdInline escapes the characters that have a meaning anywhere in a line of
// Markdown (CommonMark and GitHub Flavored Markdown), so s renders
// literally. s must be one line.
func mdInline(s string) string {
	const special = "\\`*_[]<>&|~#"
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(special, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// mdLines returns text as Markdown lines each starting with prefix ("> "
// for a block quote): every line escaped so it renders literally, leading
// indentation dropped (it would start a code block; rendered HTML drops it
// anyway), lines ending in a hard break where the next line is not blank,
// and blank lines kept as paragraph breaks.
// flatTabs is cleanText with tabs turned into spaces: Markdown and plain
// text carry no control characters at all (a tab inside a quote would also
// render as code or jagged space).
func flatTabs(s string) string { return strings.ReplaceAll(cleanText(s), "\t", " ") }

func mdLines(text, prefix string) string {
	lines := strings.Split(strings.TrimSpace(normalizeNewlines(text)), "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i > 0 {
			b.WriteByte('\n')
		}
		if l == "" {
			b.WriteString(strings.TrimSpace(prefix))
			continue
		}
		b.WriteString(prefix)
		b.WriteString(mdLineStart(mdInline(l)))
		if i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			b.WriteByte('\\') // hard line break
		}
	}
	return b.String()
}

// mdLineStart escapes what starts a block at the beginning of a line:
// headings, list items, setext underlines, quotes, ordered lists.
func mdLineStart(l string) string {
	if l == "" {
		return l
	}
	switch l[0] {
	case '#', '+', '-', '=', '>':
		return "\\" + l
	}
	n := 0
	for n < len(l) && n < 10 && l[n] >= '0' && l[n] <= '9' {
		n++
	}
	if n > 0 && n < len(l) && (l[n] == '.' || l[n] == ')') {
		return l[:n] + "\\" + l[n:]
	}
	return l
}
