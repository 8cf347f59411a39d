package export

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

const (
	quotesSheet = "Quotes"
	aboutSheet  = "About"

	// maxCellUnits is the most UTF-16 code units a spreadsheet cell holds
	// (Excel's limit; LibreOffice's is larger).
	maxCellUnits = 32767
	truncMark    = "… [truncated: the full text is in the JSON export]"

	// maxLinks is the number of permalinks made hyperlinks. excelize keeps
	// hyperlinks in memory until the sheet is flushed and looks each one up
	// among the others (quadratic), so later permalinks stay plain text
	// cells (Excel's own limit is 65,530 links per sheet).
	maxLinks = 10000
)

// xlsxWriter writes a workbook with the sheet "Quotes" (one row per item,
// streamed with excelize's StreamWriter) and the sheet "About" (the meta and
// the method note), written to w on Close.
type xlsxWriter struct {
	w      io.Writer
	f      *excelize.File
	sw     *excelize.StreamWriter
	meta   Meta
	styles [nColumns]int // cell style per column
	row    [nColumns]string
	vals   []any
	links  int
	rowN   int
	err    error
}

func newXLSXWriter(w io.Writer, meta Meta) (*xlsxWriter, error) {
	x := &xlsxWriter{w: w, f: excelize.NewFile(), meta: meta, rowN: 1, vals: make([]any, nColumns)}
	if err := x.init(); err != nil {
		x.f.Close()
		return nil, fmt.Errorf("export xlsx: %w", err)
	}
	return x, nil
}

func (x *xlsxWriter) init() error {
	f := x.f
	if err := f.SetSheetName("Sheet1", quotesSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(aboutSheet); err != nil {
		return err
	}
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E4"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}},
	})
	if err != nil {
		return err
	}
	textFmt := "@" // text number format: an edited cell stays text
	plain, err := f.NewStyle(&excelize.Style{Alignment: top, CustomNumFmt: &textFmt})
	if err != nil {
		return err
	}
	long, err := f.NewStyle(&excelize.Style{Alignment: wrap, CustomNumFmt: &textFmt})
	if err != nil {
		return err
	}
	num, err := f.NewStyle(&excelize.Style{Alignment: top})
	if err != nil {
		return err
	}
	link, err := f.NewStyle(&excelize.Style{Alignment: top, CustomNumFmt: &textFmt,
		Font: &excelize.Font{Color: "0B57A4", Underline: "single"}})
	if err != nil {
		return err
	}
	if x.sw, err = f.NewStreamWriter(quotesSheet); err != nil {
		return err
	}
	for i, c := range columns {
		switch c.kind {
		case kInt, kFloat:
			x.styles[i] = num
		case kLong:
			x.styles[i] = long
		case kURL:
			x.styles[i] = link
		default:
			x.styles[i] = plain
		}
		if err := x.sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, c := range columns {
		x.vals[i] = excelize.Cell{StyleID: header, Value: c.name}
	}
	return x.sw.SetRow("A1", x.vals, excelize.RowOpts{Height: 18})
}

func (x *xlsxWriter) Write(it Item) error {
	if x.err != nil {
		return x.err
	}
	fillRow(x.row[:], &it, x.meta.Location)
	for i, s := range x.row {
		var v any = s
		switch columns[i].kind {
		case kInt:
			n, _ := strconv.ParseInt(s, 10, 64)
			v = n
		case kFloat:
			if s == "" {
				v = nil
			} else {
				v = it.SentimentScore
			}
		default:
			v = truncateCell(s)
		}
		x.vals[i] = excelize.Cell{StyleID: x.styles[i], Value: v}
	}
	x.rowN++
	ref, err := excelize.CoordinatesToCellName(1, x.rowN)
	if err == nil {
		err = x.sw.SetRow(ref, x.vals)
	}
	if err == nil && x.links < maxLinks && safeURL(it.Permalink) {
		ref, _ = excelize.CoordinatesToCellName(colPermalink+1, x.rowN)
		err = x.f.SetCellHyperLink(quotesSheet, ref, it.Permalink, "External")
		x.links++
	}
	if err != nil {
		x.err = fmt.Errorf("export xlsx: item %s: %w", it.PostID, err)
		return x.err
	}
	return nil
}

func (x *xlsxWriter) Close() error {
	if x.err != nil {
		return x.err
	}
	defer x.f.Close()
	err := x.sw.Flush()
	if err == nil {
		err = x.writeAbout()
	}
	if err == nil {
		_, err = x.f.WriteTo(x.w)
	}
	if err != nil {
		x.err = fmt.Errorf("export xlsx: %w", err)
		return x.err
	}
	x.err = ErrClosed
	return nil
}

// writeAbout fills the sheet "About": what the export is and the method
// note, as text cells.
func (x *xlsxWriter) writeAbout() error {
	f, m := x.f, x.meta
	rows := [][2]string{
		{"Title", cmp(oneLine(m.Title), "Quotes")},
		{"Description", cleanText(m.Description)},
		{"Event", oneLine(m.Event)},
		{"Items", strconv.Itoa(x.rowN - 1)},
		{"Generated (UTC)", isoUTC(m.GeneratedAt)},
		{"Display zone", zoneName(m.Location)},
		{"Generator", oneLine(m.Generator)},
		{"Method", cleanText(m.Method)},
		{"Columns", "See the package documentation of Aftershock's export: ids are text, times are ISO 8601 UTC except created_local, counts are at capture, content_hash is the SHA-256 of the raw payload (in the JSON export)."},
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	for i, r := range rows {
		a, b := "A"+strconv.Itoa(i+1), "B"+strconv.Itoa(i+1)
		if err := f.SetCellStr(aboutSheet, a, r[0]); err != nil {
			return err
		}
		if err := f.SetCellStr(aboutSheet, b, truncateCell(r[1])); err != nil {
			return err
		}
		if err := f.SetCellStyle(aboutSheet, a, a, bold); err != nil {
			return err
		}
		if err := f.SetCellStyle(aboutSheet, b, b, wrap); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(aboutSheet, "A", "A", 18); err != nil {
		return err
	}
	if err := f.SetColWidth(aboutSheet, "B", "B", 100); err != nil {
		return err
	}
	return f.SetDocProps(&excelize.DocProperties{
		Title:       oneLine(m.Title),
		Description: oneLine(m.Description),
		Creator:     oneLine(m.Generator),
		Created:     m.GeneratedAt.Format("2006-01-02T15:04:05Z"),
	})
}

// truncateCell cuts s to what a cell holds, marking the cut.
func truncateCell(s string) string {
	if len(s) <= maxCellUnits || utf16Len(s) <= maxCellUnits { // a UTF-16 unit takes at least one byte
		return s
	}
	units, limit := 0, maxCellUnits-utf16Len(truncMark)
	for i, r := range s {
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if units+n > limit {
			return s[:i] + truncMark
		}
		units += n
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
