package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
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

// padded returns the case file b with n more listed files of size bytes
// each (zeros, deflated to almost nothing), their hashes in the manifest.
func padded(t testing.TB, b []byte, n int, size int64) []byte {
	t.Helper()
	sum := sha256.New()
	io.Copy(sum, io.LimitReader(zeros{}, size))
	hash := hex.EncodeToString(sum.Sum(nil))
	z := rezip(t, b, func(name string, body []byte) []byte {
		if !strings.HasSuffix(name, "manifest.json") {
			return body
		}
		var m CaseManifest
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			m.Files = append(m.Files, CaseFileFile{Path: fmt.Sprintf("pad/%d.bin", i), SHA256: hash, Bytes: size})
		}
		out, _ := json.Marshal(m)
		return out
	})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("s3-quotes/pad/%d.bin", i), Method: zip.Deflate})
		io.Copy(w, io.LimitReader(zeros{}, size))
	}
	zw.Close()
	return out.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestCaseFileBomb: listed files are hashed as they stream, not held (issue
// 16: a 4.2 MB zip listing 8 × 512 MiB passed 6 GB): three listed files of
// 32 MiB are checked with less than 4 MiB allocated; sizes the manifest
// claims over the limits are refused before anything is read.
func TestCaseFileBomb(t *testing.T) {
	base := caseFile(t, fixtures()[:2])
	z := padded(t, base, 3, 32<<20)
	t.Logf("a %d KB case file listing 3 × 32 MiB", len(z)>>10)
	var cf *CaseFile
	var err error
	alloc := allocated(func() { cf, err = ReadCaseFile(bytes.NewReader(z), int64(len(z))) })
	if err != nil || len(cf.Items) != 2 {
		t.Fatalf("padded case file: %v", err)
	}
	if alloc > 4<<20 {
		t.Errorf("reading 96 MiB of listed files allocated %d bytes, want < 4 MiB", alloc)
	}
	t.Logf("3 × 32 MiB listed: %d KB allocated", alloc>>10)

	// What must be held: collection.jsonl and the raw payloads.
	var kept int64
	for _, f := range cf.Manifest.Files {
		if f.Path == "collection.jsonl" || strings.HasPrefix(f.Path, "raw/") {
			kept += f.Bytes
		}
	}
	for _, c := range []struct {
		name string
		lim  CaseLimits
		want string
	}{
		{"over the total", CaseLimits{Total: 64 << 20}, "its files add up to more than 67108864 bytes"},
		{"over one entry", CaseLimits{Entry: 16 << 20}, "pad/0.bin: 33554432 bytes is over the limit of 16777216 bytes per file"},
		{"over what is held", CaseLimits{Held: kept - 1}, fmt.Sprintf("its items and raw payloads add up to more than %d bytes", kept-1)},
	} {
		alloc := allocated(func() { _, err = ReadCaseFileLimits(bytes.NewReader(z), int64(len(z)), c.lim) })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if alloc > 1<<20 {
			t.Errorf("%s: refused after %d bytes allocated, want < 1 MiB", c.name, alloc)
		}
	}

	// An entry longer than the manifest says is refused as changed, without
	// holding more than it claims.
	short := rezip(t, padded(t, base, 1, 1<<20), func(name string, body []byte) []byte {
		if strings.HasSuffix(name, "manifest.json") {
			return bytes.Replace(body, []byte(`"bytes":1048576`), []byte(`"bytes":1024`), 1)
		}
		return body
	})
	if _, err := ReadCaseFile(bytes.NewReader(short), int64(len(short))); err == nil || !strings.Contains(err.Error(), "pad/0.bin was changed: not the 1024 bytes the manifest says") {
		t.Errorf("entry longer than listed: %v", err)
	}
}
