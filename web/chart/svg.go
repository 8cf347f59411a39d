package chart

import (
	"bytes"
	"encoding/xml"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fonts and colours shared by the charts.
const (
	fontFamily = "system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
	inkColor   = "#222"
	mutedColor = "#666"
	gridColor  = "#e6e6e6"
	axisColor  = "#999"
	charWidth  = 0.58 // mean glyph advance as a fraction of the font size, for fitting labels
)

// svg is a buffer with the few writers the charts need. Every string that
// comes from data goes through text or attr, which escape it.
type svg struct {
	b bytes.Buffer
}

// raw writes markup the package itself composed.
func (w *svg) raw(s string) { w.b.WriteString(s) }

// text writes s as escaped character data (or an attribute value: the
// escaping covers quotes too). Characters XML does not allow, and invalid
// UTF-8, become U+FFFD.
func (w *svg) text(s string) { _ = xml.EscapeText(&w.b, []byte(s)) }

// num writes v rounded to one decimal, without a trailing ".0"; NaN and
// infinities (which no caller should produce) are written as 0 so the
// document stays valid.
func (w *svg) num(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0
	}
	v = max(-1e12, min(1e12, v)) // far beyond any chart; keeps the integer exact
	tenths := int64(math.Round(v * 10))
	if tenths < 0 {
		w.b.WriteByte('-')
		tenths = -tenths
	}
	b := strconv.AppendInt(w.b.AvailableBuffer(), tenths/10, 10)
	if d := tenths % 10; d != 0 {
		b = append(b, '.', byte('0'+d))
	}
	w.b.Write(b)
}

// attr writes ` name="value"` with value escaped.
func (w *svg) attr(name, value string) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	w.text(value)
	w.b.WriteByte('"')
}

// nattr writes ` name="v"` for a number.
func (w *svg) nattr(name string, v float64) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	w.num(v)
	w.b.WriteByte('"')
}

// open writes the root element: a standalone SVG whose viewBox is its size,
// which scales down to its container in HTML (max-width:100%).
func (w *svg) open(width, height int, fontSize float64) {
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" role="img"`)
	w.nattr("width", float64(width))
	w.nattr("height", float64(height))
	w.raw(` viewBox="0 0 `)
	w.num(float64(width))
	w.raw(" ")
	w.num(float64(height))
	w.raw(`" preserveAspectRatio="xMidYMid meet" style="max-width:100%;height:auto"`)
	w.attr("font-family", fontFamily)
	w.nattr("font-size", fontSize)
	w.raw(">")
}

// titled writes <title> and, when desc is not empty, <desc>.
func (w *svg) titled(title, desc string) {
	w.raw("<title>")
	w.text(title)
	w.raw("</title>")
	if desc != "" {
		w.raw("<desc>")
		w.text(desc)
		w.raw("</desc>")
	}
}

// rect writes a rectangle with a fill; a rect of no width or height is
// skipped.
func (w *svg) rect(x, y, width, height float64, fill string) {
	if !(width > 0 && height > 0) {
		return
	}
	w.raw("<rect")
	w.nattr("x", x)
	w.nattr("y", y)
	w.nattr("width", width)
	w.nattr("height", height)
	w.attr("fill", fill)
	w.raw("/>")
}

// line writes a line with a stroke colour.
func (w *svg) line(x1, y1, x2, y2 float64, stroke string) {
	w.raw("<line")
	w.nattr("x1", x1)
	w.nattr("y1", y1)
	w.nattr("x2", x2)
	w.nattr("y2", y2)
	w.attr("stroke", stroke)
	w.raw("/>")
}

// label writes a <text> at (x, y) with an anchor ("start", "middle", "end")
// and optional extra attributes composed by the caller.
func (w *svg) label(x, y float64, anchor, extra, s string) {
	w.raw("<text")
	w.nattr("x", x)
	w.nattr("y", y)
	if anchor != "" && anchor != "start" {
		w.attr("text-anchor", anchor)
	}
	if extra != "" {
		w.raw(" ")
		w.raw(extra)
	}
	w.raw(">")
	w.text(s)
	w.raw("</text>")
}

// openLink starts an <a> when href is a safe link and reports whether it
// did; the caller closes it with closeLink.
func (w *svg) openLink(href string) bool {
	href, ok := safeHref(href)
	if !ok {
		return false
	}
	w.raw("<a")
	w.attr("href", href)
	w.raw(">")
	return true
}

func (w *svg) closeLink(opened bool) {
	if opened {
		w.raw("</a>")
	}
}

// safeHref returns href trimmed when it is a link the charts may carry: a
// relative reference, or an absolute http, https or mailto URL. Anything
// else (javascript:, data:, unparsable) is refused, so no chart ever holds
// a script, whatever its caller passes.
func safeHref(href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || !utf8.ValidString(href) || strings.ContainsFunc(href, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", false
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return href, true
	}
	return "", false
}

// textWidth estimates the width of s at a font size, for fitting labels.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * charWidth
}

// truncate shortens s to at most n runes, ending in "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// count writes n with thousands separators: 12,345.
func count(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// posts is "1 post", "12 posts", "1,234 posts".
func posts(n uint64) string {
	if n == 1 {
		return "1 post"
	}
	return count(n) + " posts"
}

// short writes an axis value compactly: 950, 1.2k, 12k, 3.4M.
func short(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e6:
		return trimZero(strconv.FormatFloat(v/1e6, 'f', 1, 64)) + "M"
	case a >= 1e4:
		return strconv.FormatFloat(math.Round(v/1e3), 'f', 0, 64) + "k"
	case a >= 1e3:
		return trimZero(strconv.FormatFloat(v/1e3, 'f', 1, 64)) + "k"
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
