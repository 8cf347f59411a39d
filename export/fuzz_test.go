package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzFormats writes an item with arbitrary text, note and handle in every
// format: no panic, no error, the CSV parses with every record complete, the
// JSON is valid, the HTML holds no "<script" and Markdown and text no
// control characters.
func FuzzFormats(f *testing.F) {
	for _, it := range fixtures() {
		f.Add(it.Text, it.Note, it.AuthorHandle)
	}
	for i, it := range realItems(f) {
		if i%8 == 0 {
			f.Add(it.Text, it.AuthorName, it.AuthorHandle)
		}
	}
	f.Add("\"\r\n\"\"", "\xff\xfe<", "=1+1")
	f.Add("<scr<script>ipt>", "<SCRIPT>", "\t@x")
	meta := Meta{Title: "fuzz", Location: time.UTC, GeneratedAt: time.Unix(0, 0)}
	f.Fuzz(func(t *testing.T, text, note, handle string) {
		it := Item{
			Position: 1, PostID: "twitter:" + handle, Source: "twitter", NativeID: handle,
			AuthorName: note, AuthorHandle: handle, Permalink: "https://x.example/" + handle,
			Text: text, Note: note, Tags: []string{handle}, ReplyTo: handle, CurrentText: text,
			Status: Edited, CreatedAt: time.Unix(1488304323, 0).UTC(),
		}
		for _, fm := range Formats() {
			var buf bytes.Buffer
			w, err := NewWriter(fm, &buf, meta)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(it); err != nil {
				t.Fatalf("%s: %v", fm, err)
			}
			if err := w.Write(it); err != nil {
				t.Fatalf("%s: %v", fm, err)
			}
			if err := w.Close(); err != nil {
				t.Fatalf("%s: %v", fm, err)
			}
			out := buf.Bytes()
			switch fm {
			case CSV:
				if recs := readCSV(t, out); len(recs) != 3 {
					t.Fatalf("csv: %d records", len(recs))
				}
			case JSON:
				if !json.Valid(out) {
					t.Fatal("json: invalid")
				}
			case JSONL:
				if bytes.Count(out, []byte("\n")) != 2 {
					t.Fatal("jsonl: not two lines")
				}
			case HTML:
				if bytes.Contains(bytes.ToLower(out), []byte("<script")) {
					t.Fatal("html: <script")
				}
			case Markdown, Text:
				if strings.ContainsFunc(string(out), func(r rune) bool { return r < 0x20 && r != '\n' || r == 0x7f }) {
					t.Fatalf("%s: control character", fm)
				}
			}
		}
	})
}
