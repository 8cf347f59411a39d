package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
)

// checkHTML parses page and fails on anything that could run or load: a
// script, style or link element other than the one inline style sheet, an
// event handler attribute, a link that is not http(s), a link without
// rel="noopener noreferrer nofollow", a src attribute. It returns the text
// of the blockquotes.
func checkHTML(t testing.TB, page []byte) (quotes []string) {
	t.Helper()
	if bytes.Contains(bytes.ToLower(page), []byte("<script")) {
		t.Errorf("page contains <script")
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	styles := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "img", "link", "svg", "form", "base":
				t.Errorf("page has a <%s> element", n.Data)
			case "style":
				styles++
			case "blockquote":
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type != html.TextNode {
						if c.Data == "em" {
							continue
						}
						t.Errorf("blockquote holds a <%s>", c.Data)
						continue
					}
					b.WriteString(c.Data)
				}
				quotes = append(quotes, b.String())
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "src", k == "srcset", k == "style":
					t.Errorf("<%s> has attribute %s=%q", n.Data, a.Key, a.Val)
				case k == "href":
					if !strings.HasPrefix(a.Val, "https://") && !strings.HasPrefix(a.Val, "http://") {
						t.Errorf("href %q", a.Val)
					}
					rel := ""
					for _, b := range n.Attr {
						if b.Key == "rel" {
							rel = b.Val
						}
					}
					if rel != "noopener noreferrer nofollow" {
						t.Errorf("link %q has rel %q", a.Val, rel)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if styles != 1 {
		t.Errorf("%d style elements", styles)
	}
	return quotes
}

func TestHTML(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	page := export(t, HTML, meta, items)
	quotes := checkHTML(t, page)
	if len(quotes) != len(items) {
		t.Fatalf("%d quotes, want %d", len(quotes), len(items))
	}
	for i, it := range items {
		want := strings.TrimSpace(normalizeNewlines(cleanText(it.Text)))
		if quotes[i] != want {
			t.Errorf("quote %d = %q, want %q", i+1, quotes[i], want)
		}
	}
	s := string(page)
	for _, want := range []string{
		`<title>S3 outage, us-east-1 &lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</title>`,
		`<a href="https://twitter.com/juergen/status/1234567890123456789" rel="noopener noreferrer nofollow">`,
		`<time datetime="2017-02-28T17:52:03Z">2017-02-28 09:52 PST (17:52 UTC)</time>`,
		`<span class="badge deleted">deleted at source since quoted</span>`,
		`<span class="badge edited">edited since quoted</span>`,
		`Replying to <a href="https://twitter.com/awscloud/status/835971235648204800"`,
		`Quoting 9223372036854775807`,
		`17 likes · 3 reposts · 1 replies · 0 quotes (at capture) · sentiment negative -0.48 (vader@1) · de`,
		`<bdi>Jürgen Ärger</bdi>`,
		`<h2>Method</h2>`,
		`Sentiment: vader@1 &lt;img src=x onerror=alert(2)&gt;.`,
		`6 quotes.`,
		`@media print`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(s, `href="javascript`) || strings.ContainsAny(s, "\x00\x1b") {
		t.Error("unsafe href or control characters")
	}
}

func TestXLSX(t *testing.T) {
	meta, items := testMeta(t), fixtures()
	huge := strings.Repeat("ä🙂x", 20000) // 80,000 UTF-16 units
	items = append(items, Item{Position: 7, PostID: "twitter:7", Source: "twitter", Text: huge})
	b := export(t, XLSX, meta, items)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Quotes" || got[1] != "About" {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Quotes")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(items)+1 || strings.Join(rows[0], ",") != strings.Join(Columns(), ",") {
		t.Fatalf("%d rows, header %q", len(rows), rows[0])
	}
	for n, it := range items[:len(items)-1] {
		want := make([]string, nColumns)
		fillRow(want, &it, meta.Location)
		for i := range columns {
			got := ""
			if i < len(rows[n+1]) {
				got = rows[n+1][i]
			}
			if got != want[i] {
				t.Errorf("item %d %s = %q, want %q", n+1, columns[i].name, got, want[i])
			}
			cell, _ := excelize.CoordinatesToCellName(i+1, n+2)
			if formula, _ := f.GetCellFormula("Quotes", cell); formula != "" {
				t.Errorf("%s has formula %q", cell, formula)
			}
			typ, _ := f.GetCellType("Quotes", cell)
			switch columns[i].kind {
			case kInt:
				if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
					t.Errorf("%s (%s) type %v", cell, columns[i].name, typ)
				}
			default:
				if want[i] != "" && typ != excelize.CellTypeInlineString && columns[i].kind != kFloat {
					t.Errorf("%s (%s) type %v, want inline string", cell, columns[i].name, typ)
				}
			}
		}
	}
	last := rows[len(rows)-1][9]
	if utf16Len(last) != maxCellUnits || !strings.HasSuffix(last, truncMark) || !strings.HasPrefix(huge, strings.TrimSuffix(last, truncMark)) {
		t.Errorf("huge text: %d units, suffix %q", utf16Len(last), last[len(last)-60:])
	}
	ok, link, err := f.GetCellHyperLink("Quotes", "F2")
	if err != nil || !ok || link != items[0].Permalink {
		t.Errorf("F2 hyperlink %v %q %v", ok, link, err)
	}
	if ok, _, _ := f.GetCellHyperLink("Quotes", "F4"); ok {
		t.Error("javascript: permalink became a hyperlink")
	}
	panes, err := f.GetPanes("Quotes")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	sid, _ := f.GetCellStyle("Quotes", "J2")
	st, err := f.GetStyle(sid)
	if err != nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("text cell not wrapped: %+v %v", st, err)
	}
	hid, _ := f.GetCellStyle("Quotes", "A1")
	if st, err := f.GetStyle(hid); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold: %v", err)
	}
	if w, _ := f.GetColWidth("Quotes", "J"); w < 50 {
		t.Errorf("text column width %v", w)
	}
	about, _ := f.GetRows("About")
	if len(about) < 8 || about[7][0] != "Method" || about[7][1] != meta.Method || about[3][1] != "7" {
		t.Errorf("about sheet %q", about)
	}
}
