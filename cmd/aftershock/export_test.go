package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCollectionExport runs the commands on real posts: create a
// collection, add ids (from search through standard input too), annotate,
// reorder, export in every format, then move it to another machine as a
// case file.
func TestCollectionExport(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	out := t.TempDir()
	mustRun := func(stdin string, args ...string) string {
		t.Helper()
		code, o, errOut := cli(t, stdin, append([]string{"--data", data}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, o, errOut)
		}
		return o
	}
	mustRun("", append([]string{"import"}, realInputs(t)...)...)
	// A post that its author edits after it was quoted.
	csvFile := func(text string) string {
		f := filepath.Join(t.TempDir(), "post.csv")
		body := "id,created_at,author,text\n4242,2017-02-28T17:52:00Z,coffee_fan,\"" + text + "\"\n"
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	mustRun("", "import", "--source", "twitter", csvFile("S3 went down like someone smashed the office coffee machine\nand nobody owns up"))
	const editedID = "twitter:4242"

	mustRun("", "collection", "create", "quotes", "--name", "Reactions: a test collection")
	ids := mustRun("", "search", "#ichbinhanna", "--ids", "--limit", "3", "--sort", "time")
	if strings.Count(ids, "\n") != 3 {
		t.Fatalf("search --ids: %q", ids)
	}
	o := mustRun(ids, "collection", "add", "quotes", "-", "--tags", "hanna")
	if !strings.Contains(o, "3 added to quotes") {
		t.Errorf("add from stdin: %s", o)
	}
	code, o, errOut := cli(t, "", "--data", data, "collection", "add", "quotes", editedID, "twitter:1", "--note", `good color quote, lede? =1+1 <b>`)
	if code != 0 || !strings.Contains(errOut, "twitter:1: not in the archive, skipped") || !strings.Contains(o, "1 added to quotes, 1 unknown ids skipped") {
		t.Errorf("add with an unknown id: %d %s %s", code, o, errOut)
	}
	mustRun("", "collection", "move", "quotes", editedID, "1")
	mustRun("", "import", "--source", "twitter", csvFile("S3 is back."))
	show := mustRun("", "collection", "show", "quotes")
	if !strings.Contains(show, "  1. "+editedID) || !strings.Contains(show, "[edited since quoted]") || !strings.Contains(show, "note: good color quote") {
		t.Errorf("show:\n%s", show)
	}

	// Every format, written atomically to a file.
	for _, f := range []string{"md", "txt", "csv", "xlsx", "html", "json", "jsonl", "zip"} {
		mustRun("", "export", "quotes", "--format", f, "--tz", "Europe/Berlin", "-o", filepath.Join(out, "quotes."+f))
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	md := read("quotes.md")
	if strings.Count(md, "\n> ") < 4 || !strings.Contains(md, "(@") || !strings.Contains(md, "edited since quoted") {
		t.Errorf("markdown:\n%s", md)
	}
	csvText := read("quotes.csv")
	if !strings.HasPrefix(csvText, "\uFEFF") {
		t.Error("csv without BOM")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvText, "\uFEFF"))).ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	head := strings.Join(rows[0], ",")
	if !strings.Contains(head, "post_id") || !strings.Contains(head, "content_hash") || !strings.Contains(head, "created_local") {
		t.Errorf("csv head %s", head)
	}
	if !strings.Contains(strings.Join(rows[1], "|"), editedID) || !strings.Contains(strings.Join(rows[1], "|"), "edited") {
		t.Errorf("csv row 1: %q", rows[1])
	}
	var doc struct {
		Items []struct {
			PostID      string          `json:"post_id"`
			Status      string          `json:"status"`
			ContentHash string          `json:"content_hash"`
			Raw         json.RawMessage `json:"raw"`
			Note        string          `json:"note"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(read("quotes.json")), &doc); err != nil || len(doc.Items) != 4 {
		t.Fatalf("json: %v, %d items", err, len(doc.Items))
	}
	if it := doc.Items[0]; it.PostID != editedID || it.Status != "edited" || len(it.ContentHash) != 64 || len(it.Raw) == 0 ||
		!strings.HasPrefix(it.Note, "good color quote") {
		t.Errorf("json item 1: %+v", it)
	}
	html := read("quotes.html")
	if strings.Contains(html, "<b>") || !strings.Contains(html, "&lt;b&gt;") || strings.Contains(html, "src=\"http") {
		t.Error("html: the note is not escaped, or the page loads external assets")
	}

	// The case file restores the collection on another machine, verified.
	other := filepath.Join(t.TempDir(), "other")
	code, o, errOut = cli(t, "", "--data", other, "import", filepath.Join(out, "quotes.zip"))
	if code != 0 || !strings.Contains(o, "case file intact") || !strings.Contains(o, "4 items restored as collection quotes") {
		t.Fatalf("restore: %d %s %s", code, o, errOut)
	}
	code, o, _ = cli(t, "", "--data", other, "collection", "show", "quotes")
	if code != 0 || !strings.Contains(o, "Reactions: a test collection (quotes), 4 items") || !strings.Contains(o, "note: good color quote") {
		t.Errorf("restored collection:\n%s", o)
	}
	if code, o, _ = cli(t, "", "--data", other, "search", "#ichbinhanna", "--ids"); code != 0 || strings.Count(o, "\n") != 3 {
		t.Errorf("restored posts are not searchable: %q", o)
	}

	// A case file changed after export is refused.
	tampered := filepath.Join(out, "tampered.zip")
	retouch(t, filepath.Join(out, "quotes.zip"), tampered, "quotes/collection.md", []byte("> a quote nobody wrote\n"))
	code, _, errOut = cli(t, "", "--data", filepath.Join(t.TempDir(), "third"), "import", tampered)
	if code == 0 || !strings.Contains(errOut, "collection.md was changed") {
		t.Errorf("tampered case file: %d %s", code, errOut)
	}
}

// retouch copies a zip, replacing one entry's content.
func retouch(t *testing.T, from, to, name string, body []byte) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			w.Write(body)
			continue
		}
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		w.Write(b.Bytes())
	}
	zw.Close()
	if err := os.WriteFile(to, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExportBadInput(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cli(t, "", "--data", data, "collection", "create", "q")
	out := filepath.Join(t.TempDir(), "x.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "q", "--format", "pdf"}, "csv"},
		{[]string{"export", "q", "--format", "csv", "--tz", "Mars/Base"}, "IANA"},
		{[]string{"export"}, "one collection SLUG"},
		{[]string{"export", "--event", "e", "--format", "zip"}, "case file is made of a collection"},
		{[]string{"collection", "create", "Bad Slug"}, "invalid slug"},
		{[]string{"collection", "move", "q", "twitter:1", "zero"}, "POSITION"},
	} {
		code, _, errOut := cli(t, "", append([]string{"--data", data}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	// A failed export leaves no file behind, partial or final.
	if code, _, _ := cli(t, "", "--data", data, "export", "nope", "--format", "csv", "-o", out); code != 1 {
		t.Errorf("export of a missing collection: exit %d", code)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*")); len(m) != 0 {
		t.Errorf("files left behind: %v", m)
	}
}
