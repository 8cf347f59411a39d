package export

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func caseFile(t testing.TB, items []Item) []byte {
	t.Helper()
	meta := testMeta(t)
	meta.Slug = "s3-quotes"
	var buf bytes.Buffer
	if err := WriteCaseFile(&buf, meta, items); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rezip rewrites a zip, letting edit change (or drop, returning nil) each entry.
func rezip(t testing.TB, b []byte, edit func(name string, body []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if body = edit(f.Name, body); body == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(body)
	}
	zw.Close()
	return out.Bytes()
}

func TestCaseFile(t *testing.T) {
	items := fixtures()
	b := caseFile(t, items)
	cf, err := ReadCaseFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if cf.Manifest.Slug != "s3-quotes" || len(cf.Items) != len(items) || len(cf.Manifest.Files) != len(Formats())+len(items) {
		t.Fatalf("manifest %+v, %d items", cf.Manifest, len(cf.Items))
	}
	for i, it := range cf.Items {
		if it.PostID != items[i].PostID || string(it.Raw) != string(items[i].Raw) || it.ContentHash != hashOf(string(items[i].Raw)) || (utf8.ValidString(items[i].Text) && it.Text != items[i].Text) {
			t.Errorf("item %d: %+v", i, it)
		}
	}

	bad := []struct {
		name string
		edit func(name string, body []byte) []byte
		want string
	}{
		{"changed quote", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, ".md") {
				return append(b, "> made up\n"...)
			}
			return b
		}, "collection.md was changed"},
		{"changed payload and its listing", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "raw/0001.json") {
				return []byte(`{"forged":true}`)
			}
			return b
		}, "raw/0001.json was changed"},
		{"missing file", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, ".jsonl") {
				return nil
			}
			return b
		}, "missing"},
		{"no manifest", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "manifest.json") {
				return nil
			}
			return b
		}, "not an Aftershock case file"},
		{"other kind", func(n string, b []byte) []byte {
			if strings.HasSuffix(n, "manifest.json") {
				return bytes.Replace(b, []byte("aftershock-case-file"), []byte("something-else"), 1)
			}
			return b
		}, "kind"},
	}
	for _, c := range bad {
		z := rezip(t, b, c.edit)
		if _, err := ReadCaseFile(bytes.NewReader(z), int64(len(z))); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := ReadCaseFile(strings.NewReader("not a zip"), 9); err == nil {
		t.Error("not a zip was read")
	}
}

func FuzzReadCaseFile(f *testing.F) {
	f.Add(caseFile(f, fixtures()[:2]))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cf, err := ReadCaseFile(bytes.NewReader(b), int64(len(b)))
		if err == nil && len(cf.Items) != len(cf.Manifest.Items) {
			t.Fatalf("%d items, manifest lists %d", len(cf.Items), len(cf.Manifest.Items))
		}
	})
}
