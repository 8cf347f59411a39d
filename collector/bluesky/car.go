package bluesky

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftershock/aftershock/collector"
)

// maxBlock is the largest CAR section read; atproto records and MST nodes
// are far smaller (blobs are not part of a repository export).
const maxBlock = 8 << 20

// maxMSTDepth bounds the walk down the MST; a real tree is a few levels deep.
const maxMSTDepth = 128

// DecodeRepo reads a Bluesky repository export: the CAR file
// com.atproto.sync.getRepo returns (CARv1 of DAG-CBOR blocks: the signed
// commit, the Merkle search tree, the records). It walks the tree from the
// commit and yields every app.bsky.feed.post record as a post, in key
// order, with the fields a Jetstream create of the same record gets. Items
// carry the 1-based number of the CAR section holding the record as Line.
func DecodeRepo(r io.Reader) iter.Seq[collector.Item] {
	return func(yield func(collector.Item) bool) {
		rp := &repo{nodes: map[string]map[string]any{}, records: map[string]repoRecord{}, yield: yield}
		rp.decode(bufio.NewReaderSize(r, 1<<16))
	}
}

type repo struct {
	root    []byte                    // CID of the commit
	commit  map[string]any            // the commit block, once read
	nodes   map[string]map[string]any // MST nodes {l, e} by CID
	records map[string]repoRecord     // post and profile records by CID
	yield   func(collector.Item) bool
	stopped bool
}

// repoRecord is a post or profile record block, kept as JSON.
type repoRecord struct {
	section int
	typ     string
	json    []byte
}

func (rp *repo) fail(section int, format string, args ...any) bool {
	if !rp.stopped && !rp.yield(collector.Item{Line: max(section, 1), Err: fmt.Errorf("repo: "+format, args...)}) {
		rp.stopped = true
	}
	return !rp.stopped
}

func (rp *repo) decode(br *bufio.Reader) {
	hdr, err := readSection(br)
	if err != nil {
		rp.fail(1, "not a CAR file: header: %v", err)
		return
	}
	hv, err := decodeCBOR(hdr)
	h, _ := hv.(map[string]any)
	if err != nil || h == nil {
		rp.fail(1, "not a CAR file: header is not a CBOR map")
		return
	}
	if v, _ := h["version"].(int64); v != 1 {
		rp.fail(1, "CAR version %v is not read (only CARv1, as getRepo writes it)", h["version"])
		return
	}
	if roots, _ := h["roots"].([]any); len(roots) > 0 {
		rp.root, _ = roots[0].(cborLink)
	}
	if rp.root == nil {
		rp.fail(1, "CAR header names no root")
		return
	}
	for section := 2; ; section++ {
		sec, err := readSection(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			rp.fail(section, "section %d: %v", section, err)
			break // the rest cannot be placed; walk what was read
		}
		if !rp.block(section, sec) {
			return
		}
	}
	rp.walk()
}

// readSection reads one varint-prefixed CAR section.
func readSection(br *bufio.Reader) ([]byte, error) {
	n, err := binary.ReadUvarint(br)
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case err != nil:
		return nil, fmt.Errorf("input ends early (truncated file?): %w", err)
	case n > maxBlock:
		return nil, fmt.Errorf("section of %d bytes, longer than any atproto block (damaged file?)", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(br, buf); err != nil {
		return nil, fmt.Errorf("input ends early (truncated file?): %w", io.ErrUnexpectedEOF)
	}
	return buf, nil
}

// block reads one section: a CID and its block.
func (rp *repo) block(section int, sec []byte) bool {
	cid, codec, hash, digest, err := readCID(sec)
	if err != nil {
		return rp.fail(section, "section %d: %v", section, err)
	}
	data := sec[len(cid):]
	if hash == 0x12 { // sha2-256
		if sum := sha256.Sum256(data); !bytes.Equal(sum[:], digest) {
			return rp.fail(section, "block %s: content does not match its hash (damaged file)", cidString(cid))
		}
	}
	if codec != 0x71 { // not DAG-CBOR
		return true
	}
	v, err := decodeCBOR(data)
	if err != nil {
		return rp.fail(section, "block %s: %v", cidString(cid), err)
	}
	m, _ := v.(map[string]any) // nil (no node, commit or record) for other values
	_, hasL := m["l"]
	if _, hasE := m["e"]; hasL && hasE && len(m) == 2 {
		rp.nodes[string(cid)] = m
		return true
	}
	if bytes.Equal(cid, rp.root) {
		rp.commit = m
		return true
	}
	if t, _ := m["$type"].(string); t == PostCollection || t == "app.bsky.actor.profile" {
		js, _ := json.Marshal(toJSON(m)) // cannot fail: text is UTF-8, numbers are integers
		rp.records[string(cid)] = repoRecord{section: section, typ: t, json: js}
	}
	return true
}

// walk goes down the MST from the commit's data root in key order and
// yields the posts.
func (rp *repo) walk() {
	did, _ := rp.commit["did"].(string)
	data, _ := rp.commit["data"].(cborLink)
	if rp.commit == nil || !strings.HasPrefix(did, "did:") || strings.ContainsAny(did, "/?# ") || data == nil {
		rp.fail(1, "the root %s is not a commit in the file", cidString(rp.root))
		return
	}
	var posts [][2]string // key and record CID of the posts, in order
	name := ""
	rp.walkNode(data, 0, map[string]bool{}, func(key string, v []byte) {
		rec, ok := rp.records[string(v)]
		switch {
		case strings.HasPrefix(key, PostCollection+"/"):
			if rk := key[len(PostCollection)+1:]; rk == "" || strings.ContainsAny(rk, "/?# ") {
				rp.fail(1, "record key %q is no post key", key)
				return
			}
			if !ok || rec.typ != PostCollection {
				rp.fail(1, "record %s (%s) is not in the file", key, cidString(v))
				return
			}
			posts = append(posts, [2]string{key, string(v)})
		case key == "app.bsky.actor.profile/self" && ok:
			var pr struct {
				DisplayName string `json:"displayName"`
			}
			_ = json.Unmarshal(rec.json, &pr)
			name = strings.TrimSpace(pr.DisplayName)
		}
	})
	for _, kv := range posts {
		if rp.stopped {
			return
		}
		rec := rp.records[kv[1]]
		rkey := strings.TrimPrefix(kv[0], PostCollection+"/")
		p, err := recordPost(did, rkey, rec.json, tidTime(rkey), "a TID record key")
		if err == nil {
			p.Author.Name, p.Raw = name, rec.json
			err = p.Validate()
		}
		if err != nil {
			rp.fail(rec.section, "%v", err)
		} else if !rp.yield(collector.Item{Line: rec.section, Post: p}) {
			rp.stopped = true
		}
	}
}

// walkNode visits the entries under the MST node cid, {l: link|null, e:
// [{p: prefix length, k: key suffix, v: value link, t: link|null}]}, in key
// order.
func (rp *repo) walkNode(cid []byte, depth int, seen map[string]bool, visit func(key string, value []byte)) {
	n, ok := rp.nodes[string(cid)]
	if !ok || seen[string(cid)] || depth > maxMSTDepth || rp.stopped {
		rp.fail(1, "MST node %s is not in the file (or loops)", cidString(cid))
		return
	}
	seen[string(cid)] = true
	if l, ok := n["l"].(cborLink); ok {
		rp.walkNode(l, depth+1, seen, visit)
	}
	es, _ := n["e"].([]any)
	prev := ""
	for _, e := range es {
		em, _ := e.(map[string]any)
		p, _ := em["p"].(int64)
		k, _ := em["k"].([]byte)
		v, _ := em["v"].(cborLink)
		if p < 0 || p > int64(len(prev)) || v == nil {
			rp.fail(1, "MST node %s: bad entry after key %q", cidString(cid), prev)
			return
		}
		prev = prev[:p] + string(k)
		visit(prev, v)
		if t, ok := em["t"].(cborLink); ok {
			rp.walkNode(t, depth+1, seen, visit)
		}
	}
}

// readCID returns the CID at the start of b, its codec, the multihash
// function and the digest.
func readCID(b []byte) (cid []byte, codec, hash uint64, digest []byte, err error) {
	i := 0
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b[i:])
		if n <= 0 {
			return 0, false
		}
		i += n
		return v, true
	}
	version, ok1 := next()
	codec, ok2 := next()
	hash, ok3 := next()
	size, ok4 := next()
	if !ok1 || !ok2 || !ok3 || !ok4 || version != 1 || size > uint64(len(b)-i) || hash == 0x12 && size != 32 {
		return nil, 0, 0, nil, errors.New("section does not start with a CIDv1")
	}
	return b[:i+int(size)], codec, hash, b[i : i+int(size)], nil
}

var base32Lower = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// cidString is the text form of a CIDv1 (multibase base32, "b…"), as
// atproto writes CIDs in JSON; "" for anything else.
func cidString(cid []byte) string {
	if len(cid) == 0 || cid[0] != 1 {
		return ""
	}
	return "b" + base32Lower.EncodeToString(cid)
}

// tidTime is the time a TID record key encodes (its first 53 bits are
// microseconds since 1970), or zero when rkey is no TID.
func tidTime(rkey string) time.Time {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	if len(rkey) != 13 || strings.IndexByte("234567abcdefghij", rkey[0]) < 0 {
		return time.Time{}
	}
	var v uint64
	for i := 0; i < len(rkey); i++ {
		d := strings.IndexByte(alphabet, rkey[i])
		if d < 0 {
			return time.Time{}
		}
		v = v<<5 | uint64(d)
	}
	return time.UnixMicro(int64(v >> 10)).UTC()
}

// cborLink is a CID read from DAG-CBOR tag 42 (without its 0x00 prefix).
type cborLink []byte

// decodeCBOR decodes one DAG-CBOR value of the atproto data model: maps
// with text keys, arrays, text, bytes, integers (int64), booleans, null and
// CID links (no floats).
func decodeCBOR(b []byte) (any, error) {
	d := &cborDecoder{b: b}
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	if d.i != len(b) {
		return nil, fmt.Errorf("CBOR: %d bytes after the value", len(b)-d.i)
	}
	return v, nil
}

type cborDecoder struct {
	b []byte
	i int
}

var errCBORShort = errors.New("CBOR: value cut short")

// head reads a data item head: major type, additional info, argument.
func (d *cborDecoder) head() (major, info byte, arg uint64, err error) {
	if d.i >= len(d.b) {
		return 0, 0, 0, errCBORShort
	}
	c := d.b[d.i]
	d.i++
	major, info = c>>5, c&0x1f
	if info < 24 {
		return major, info, uint64(info), nil
	}
	if info > 27 {
		return 0, 0, 0, fmt.Errorf("CBOR: indefinite length or reserved value (0x%02x) is not DAG-CBOR", c)
	}
	n := 1 << (info - 24)
	if len(d.b)-d.i < n {
		return 0, 0, 0, errCBORShort
	}
	for _, x := range d.b[d.i : d.i+n] {
		arg = arg<<8 | uint64(x)
	}
	d.i += n
	return major, info, arg, nil
}

func (d *cborDecoder) value(depth int) (any, error) {
	if depth > 64 {
		return nil, errors.New("CBOR: nested more than 64 levels")
	}
	major, info, arg, err := d.head()
	if err != nil {
		return nil, err
	}
	left := uint64(len(d.b) - d.i)
	switch major {
	case 0, 1:
		if arg > math.MaxInt64 {
			return nil, errors.New("CBOR: integer out of range")
		}
		if major == 1 {
			return -1 - int64(arg), nil
		}
		return int64(arg), nil
	case 2, 3:
		if arg > left {
			return nil, errCBORShort
		}
		s := d.b[d.i : d.i+int(arg)]
		d.i += int(arg)
		if major == 2 {
			return bytes.Clone(s), nil
		}
		if !utf8.Valid(s) {
			return nil, errors.New("CBOR: text is not UTF-8")
		}
		return string(s), nil
	case 4:
		if arg > left {
			return nil, errCBORShort
		}
		a := make([]any, 0, arg)
		for range arg {
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		return a, nil
	case 5:
		if arg > left/2 {
			return nil, errCBORShort
		}
		m := make(map[string]any, arg)
		for range arg {
			k, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, errors.New("CBOR: map key is not text")
			}
			if m[ks], err = d.value(depth + 1); err != nil {
				return nil, err
			}
		}
		return m, nil
	case 6:
		if arg != 42 {
			return nil, fmt.Errorf("CBOR: tag %d is not DAG-CBOR", arg)
		}
		v, err := d.value(depth + 1)
		b, ok := v.([]byte)
		if err != nil || !ok || len(b) < 2 || b[0] != 0 {
			return nil, errors.New("CBOR: CID link is not 0x00 and CID bytes")
		}
		return cborLink(b[1:]), nil
	default: // 7: simple values and floats
		switch info {
		case 20:
			return false, nil
		case 21:
			return true, nil
		case 22:
			return nil, nil
		}
		return nil, fmt.Errorf("CBOR: simple value or float (0x%02x) is not in the atproto data model", 0xe0|info)
	}
}

// toJSON turns a decoded DAG-CBOR value into the atproto JSON form: a link
// becomes {"$link": "b…"}, bytes {"$bytes": base64}.
func toJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = toJSON(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = toJSON(e)
		}
		return a
	case cborLink:
		return map[string]any{"$link": cidString(x)}
	case []byte:
		return map[string]any{"$bytes": base64.RawStdEncoding.EncodeToString(x)}
	}
	return v
}
