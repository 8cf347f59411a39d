package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"strings"
	"time"

	"github.com/aftershock/aftershock/event"
)

// A case file is a zip archive that bundles a collection in every format,
// with each item's raw payload as collected and a manifest of SHA-256
// hashes, so that an editor (or a court) can check that nothing was changed
// and `aftershock import` can restore the collection on another machine.
//
// Layout, all under one folder named after the collection's slug:
//
//	manifest.json          CaseManifest: the collection, every file with its SHA-256 and size, every item's content hash
//	collection.<ext>       the collection in each Format (csv, xlsx, md, txt, html, json, jsonl)
//	raw/NNNN.json          item NNNN's raw payload, byte for byte (its SHA-256 is the item's content_hash)

// CaseFileVersion is the manifest version this program writes and reads.
const CaseFileVersion = 1

// CaseManifest is manifest.json of a case file.
type CaseManifest struct {
	Kind        string         `json:"kind"` // "aftershock-case-file"
	Version     int            `json:"version"`
	Slug        string         `json:"slug"`
	Title       string         `json:"title"`
	Description string         `json:"description,omitempty"`
	Event       string         `json:"event,omitempty"`
	GeneratedAt time.Time      `json:"generated_at"`
	Generator   string         `json:"generator"`
	Files       []CaseFileFile `json:"files"` // every other file in the zip
	Items       []CaseFileItem `json:"items"`
}

// CaseFileFile is one file of the case file and its hash.
type CaseFileFile struct {
	Path   string `json:"path"` // relative to the folder
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// CaseFileItem links an item to its raw payload file.
type CaseFileItem struct {
	Position    int    `json:"position"`
	PostID      string `json:"post_id"`
	ContentHash string `json:"content_hash"`
	Raw         string `json:"raw"` // path of the raw payload file
}

const caseKind = "aftershock-case-file"

// WriteCaseFile writes the case file of a collection to w.
func WriteCaseFile(w io.Writer, meta Meta, items []Item) error {
	if !event.ValidSlug(meta.Slug) {
		return fmt.Errorf("case file: invalid slug %q", meta.Slug)
	}
	zw := zip.NewWriter(w)
	man := CaseManifest{Kind: caseKind, Version: CaseFileVersion, Slug: meta.Slug, Title: meta.Title,
		Description: meta.Description, Event: meta.Event, GeneratedAt: meta.GeneratedAt.UTC(), Generator: meta.Generator,
		Files: []CaseFileFile{}, Items: []CaseFileItem{}}
	add := func(name string, body []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: meta.Slug + "/" + name, Method: zip.Deflate, Modified: meta.GeneratedAt})
		if err != nil {
			return err
		}
		if _, err := f.Write(body); err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		man.Files = append(man.Files, CaseFileFile{Path: name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(body))})
		return nil
	}
	for _, f := range Formats() {
		var buf bytes.Buffer
		fw, err := NewWriter(f, &buf, meta)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fw.Write(it); err != nil {
				return fmt.Errorf("case file: %s: %w", f, err)
			}
		}
		if err := fw.Close(); err != nil {
			return fmt.Errorf("case file: %s: %w", f, err)
		}
		if err := add("collection"+f.Ext(), buf.Bytes()); err != nil {
			return err
		}
	}
	for i, it := range items {
		name := fmt.Sprintf("raw/%04d.json", i+1)
		raw := []byte(it.Raw)
		if err := add(name, raw); err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		hash := hex.EncodeToString(sum[:])
		if it.ContentHash != "" && it.ContentHash != hash {
			return fmt.Errorf("case file: item %s: its raw payload hashes to %s, not to its content hash %s", it.PostID, hash, it.ContentHash)
		}
		man.Items = append(man.Items, CaseFileItem{Position: it.Position, PostID: it.PostID, ContentHash: hash, Raw: name})
	}
	mb, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return err
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: meta.Slug + "/manifest.json", Method: zip.Deflate, Modified: meta.GeneratedAt})
	if err != nil {
		return err
	}
	if _, err := f.Write(mb); err != nil {
		return err
	}
	return zw.Close()
}

// CaseFile is a case file read back and verified.
type CaseFile struct {
	Manifest CaseManifest
	Items    []Item // from collection.jsonl, raw payloads included
}

// CaseLimits bound what ReadCaseFileLimits reads of a case file, whatever
// its zip and manifest claim. Every listed file is hashed as it is read;
// only collection.jsonl and the raw payloads are kept in memory.
type CaseLimits struct {
	Entry int64 // bytes of one file, uncompressed (default 512 MiB)
	Total int64 // bytes of all the listed files, uncompressed (default 4 GiB)
	Held  int64 // bytes kept in memory: collection.jsonl and the raw payloads (default 512 MiB)
	Files int   // entries of the zip (default 1<<20)
}

// Default case-file limits.
const (
	MaxCaseEntry = 512 << 20
	MaxCaseTotal = 4 << 30
	MaxCaseHeld  = 512 << 20
	MaxCaseFiles = 1 << 20

	maxCaseManifest = 64 << 20 // about 150 bytes per item and file
)

func (l CaseLimits) withDefaults() CaseLimits {
	if l.Entry <= 0 {
		l.Entry = MaxCaseEntry
	}
	if l.Total <= 0 {
		l.Total = MaxCaseTotal
	}
	if l.Held <= 0 {
		l.Held = MaxCaseHeld
	}
	if l.Files <= 0 {
		l.Files = MaxCaseFiles
	}
	return l
}

// ReadCaseFile reads and checks a case file with the default CaseLimits:
// every file the manifest lists must be present with its size and hash,
// every item's raw payload must hash to its content hash. This shows that
// the files are as the manifest says, not who made them: anyone can change
// a case file and hash it again. Nothing is written anywhere; entry names
// are only compared, never used as paths.
func ReadCaseFile(r io.ReaderAt, size int64) (*CaseFile, error) {
	return ReadCaseFileLimits(r, size, CaseLimits{})
}

// ReadCaseFileLimits is ReadCaseFile within lim (zero fields: the
// defaults). Memory stays within about lim.Held plus the decoded items
// and the manifest (at most 64 MiB).
func ReadCaseFileLimits(r io.ReaderAt, size int64, lim CaseLimits) (*CaseFile, error) {
	lim = lim.withDefaults()
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("case file: %w", err)
	}
	if len(zr.File) > lim.Files {
		return nil, fmt.Errorf("case file: %d files is too many", len(zr.File))
	}
	byName := map[string]*zip.File{}
	var manifest *zip.File
	for _, f := range zr.File {
		byName[f.Name] = f
		if path.Base(f.Name) == "manifest.json" && strings.Count(f.Name, "/") == 1 {
			manifest = f
		}
	}
	if manifest == nil {
		return nil, errors.New("case file: no manifest.json: not an Aftershock case file")
	}
	mb, err := readEntry(manifest, min(lim.Entry, maxCaseManifest), nil, false)
	if err != nil {
		return nil, fmt.Errorf("case file: manifest: %w", err)
	}
	cf := &CaseFile{}
	if err := json.Unmarshal(mb, &cf.Manifest); err != nil {
		return nil, fmt.Errorf("case file: manifest: %w", err)
	}
	mb = nil
	m := &cf.Manifest
	if m.Kind != caseKind || m.Version != CaseFileVersion {
		return nil, fmt.Errorf("case file: manifest kind %q version %d, want %q version %d", m.Kind, m.Version, caseKind, CaseFileVersion)
	}
	dir := path.Dir(manifest.Name)
	if !event.ValidSlug(m.Slug) || dir != m.Slug {
		return nil, fmt.Errorf("case file: slug %q does not match its folder %q", m.Slug, dir)
	}
	// What must be kept: the items and their raw payloads. The rest is
	// hashed as it is read, and dropped.
	keep := map[string]bool{"collection" + JSONL.Ext(): true}
	for _, mi := range m.Items {
		keep[mi.Raw] = true
	}
	// The sizes the manifest claims are checked against the limits before
	// anything is read, and each file against its claim as it is read.
	var total, held int64
	listed := map[string]bool{}
	for _, f := range m.Files {
		if listed[f.Path] {
			return nil, fmt.Errorf("case file: %s is listed twice in the manifest", f.Path)
		}
		listed[f.Path] = true
		if f.Bytes < 0 || f.Bytes > lim.Entry {
			return nil, fmt.Errorf("case file: %s: %d bytes is over the limit of %d bytes per file", f.Path, f.Bytes, lim.Entry)
		}
		if total += f.Bytes; total > lim.Total {
			return nil, fmt.Errorf("case file: its files add up to more than %d bytes", lim.Total)
		}
		if keep[f.Path] {
			if held += f.Bytes; held > lim.Held {
				return nil, fmt.Errorf("case file: its items and raw payloads add up to more than %d bytes", lim.Held)
			}
		}
	}
	contents := map[string][]byte{}
	for _, f := range m.Files {
		zf := byName[dir+"/"+f.Path]
		if zf == nil {
			return nil, fmt.Errorf("case file: %s is listed in the manifest but missing", f.Path)
		}
		h := sha256.New()
		b, err := readEntry(zf, f.Bytes, h, keep[f.Path])
		if errors.Is(err, errEntrySize) {
			return nil, fmt.Errorf("case file: %s was changed: not the %d bytes the manifest says", f.Path, f.Bytes)
		}
		if err != nil {
			return nil, fmt.Errorf("case file: %s: %w", f.Path, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
			return nil, fmt.Errorf("case file: %s was changed: SHA-256 %s, manifest says %s", f.Path, got, f.SHA256)
		}
		if keep[f.Path] {
			contents[f.Path] = b
		}
	}
	jsonl, ok := contents["collection"+JSONL.Ext()]
	if !ok {
		return nil, fmt.Errorf("case file: collection%s is missing", JSONL.Ext())
	}
	dec := json.NewDecoder(bytes.NewReader(jsonl))
	for line := 1; dec.More(); line++ {
		var it Item
		if err := dec.Decode(&it); err != nil {
			return nil, fmt.Errorf("case file: collection%s: record %d: %w", JSONL.Ext(), line, err)
		}
		if it.PostID == "" {
			continue // not an item (a header line, if the format has one)
		}
		cf.Items = append(cf.Items, it)
	}
	if len(cf.Items) != len(m.Items) {
		return nil, fmt.Errorf("case file: %d items in collection%s, %d in the manifest", len(cf.Items), JSONL.Ext(), len(m.Items))
	}
	for i, mi := range m.Items {
		raw, ok := contents[mi.Raw]
		if !ok {
			return nil, fmt.Errorf("case file: item %s: raw payload %s is not among the files", mi.PostID, mi.Raw)
		}
		sum := sha256.Sum256(raw)
		if got := hex.EncodeToString(sum[:]); got != mi.ContentHash {
			return nil, fmt.Errorf("case file: item %s: raw payload hashes to %s, recorded %s", mi.PostID, got, mi.ContentHash)
		}
		it := &cf.Items[i]
		if it.PostID != mi.PostID {
			return nil, fmt.Errorf("case file: item %d is %s in collection%s, %s in the manifest", i+1, it.PostID, JSONL.Ext(), mi.PostID)
		}
		it.Raw, it.ContentHash = json.RawMessage(raw), mi.ContentHash
	}
	return cf, nil
}

var errEntrySize = errors.New("entry size differs")

// readEntry reads f, which must be n bytes long. Without h (the manifest)
// it returns up to n bytes. With h, the bytes are hashed as they stream
// and, if keep, returned; otherwise nothing is held.
func readEntry(f *zip.File, n int64, h hash.Hash, keep bool) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if h == nil {
		b, err := io.ReadAll(io.LimitReader(rc, n+1))
		if err != nil {
			return nil, err
		}
		if int64(len(b)) > n {
			return nil, fmt.Errorf("%s is larger than %d bytes", f.Name, n)
		}
		return b, nil
	}
	var buf bytes.Buffer
	dst := io.Writer(h)
	if keep {
		buf.Grow(int(min(n, 1<<20)))
		dst = io.MultiWriter(h, &limitedBuffer{b: &buf, max: n})
	}
	got, err := io.Copy(dst, io.LimitReader(rc, n+1))
	if err != nil {
		return nil, err
	}
	if got != n {
		return nil, errEntrySize
	}
	if !keep {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// limitedBuffer keeps at most max bytes written to it (and the caller then
// refuses the entry, since it is longer than it claims).
type limitedBuffer struct {
	b   *bytes.Buffer
	max int64
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - int64(l.b.Len()); room < int64(len(p)) {
		l.b.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return l.b.Write(p)
}
