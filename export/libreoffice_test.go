package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// loFilter is LibreOffice's CSV export: comma, double quote, UTF-8, from
// line 1, default cell formats, language default, no quoting of all text,
// detect special numbers, values not as shown, results not formulas, no
// space trimming, every sheet (one file per sheet: <name>-<sheet>.csv).
const loFilter = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`

// convertLO converts file to CSV with soffice in a private profile and
// returns the CSV of every sheet by sheet name. infilter is "" or the
// import filter (for a CSV, what a user gets with the default import
// options and UTF-8).
func convertLO(t *testing.T, soffice, file, infilter string) map[string][][]string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore"}
	if infilter != "" {
		args = append(args, "--infilter="+infilter)
	}
	args = append(args, "--convert-to", loFilter, "--outdir", out, file)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	cmdOut, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput()
	t.Logf("soffice %s: %v", filepath.Base(file), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, cmdOut)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.csv"))
	if len(files) == 0 {
		t.Fatalf("soffice wrote nothing:\n%s", cmdOut)
	}
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	sheets := map[string][][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		sheets[strings.TrimPrefix(strings.TrimSuffix(filepath.Base(f), ".csv"), base+"-")] = recs
	}
	return sheets
}

func needSoffice(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("LibreOffice (soffice) is not on PATH: skipping the spreadsheet check of CSV and XLSX; install libreoffice-calc to run it")
	return ""
}

// loCheck compares what LibreOffice read with what was written: ids, texts
// (multi-line, umlauts, emoji, neutralised formulas) must be exact.
func loCheck(t *testing.T, got [][]string, want [][]string, what string, norm func(string) string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for r := range want {
		for c := range want[r] {
			g := ""
			if c < len(got[r]) {
				g = got[r][c]
			}
			w := norm(want[r][c])
			if g != w {
				t.Errorf("%s: row %d %s = %q, want %q", what, r, columns[c].name, g, w)
			}
		}
	}
}

func TestLibreOffice(t *testing.T) {
	soffice := needSoffice(t)
	meta, items := testMeta(t), fixtures()
	for _, it := range realItems(t) { // Arabic, Korean, emoji, 18-digit ids
		it.Position = len(items) + 1
		items = append(items, it)
	}
	dir := t.TempDir()

	t.Run("csv", func(t *testing.T) {
		b := export(t, CSV, meta, items)
		file := filepath.Join(dir, "quotes.csv")
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		sheets := convertLO(t, soffice, file, "CSV:44,34,76,1,,0,false,true")
		// LibreOffice reads a lone CR inside a quoted field as a line
		// break, as it does CR LF.
		loCheck(t, sheets["quotes"], readCSV(t, b), "csv", normalizeNewlines)
	})

	t.Run("xlsx", func(t *testing.T) {
		b := export(t, XLSX, meta, items)
		file := filepath.Join(dir, "quotes.xlsx")
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
		sheets := convertLO(t, soffice, file, "")
		want := [][]string{Columns()}
		for _, it := range items {
			row := make([]string, nColumns)
			fillRow(row, &it, meta.Location)
			want = append(want, row)
		}
		loCheck(t, sheets["Quotes"], want, "xlsx", func(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") })
		about := sheets["About"]
		if len(about) < 8 || about[7][1] != meta.Method {
			t.Errorf("About sheet: %q", about)
		}
	})
}
