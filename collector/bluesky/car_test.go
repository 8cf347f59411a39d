package bluesky

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftershock/aftershock/internal/testdata"
	"github.com/aftershock/aftershock/post"
)

// cborEncode writes v as DAG-CBOR (map keys sorted by length, then bytes).
func cborEncode(buf *bytes.Buffer, v any) {
	head := func(major byte, n uint64) {
		switch {
		case n < 24:
			buf.WriteByte(major<<5 | byte(n))
		case n < 1<<8:
			buf.Write([]byte{major<<5 | 24, byte(n)})
		case n < 1<<16:
			buf.WriteByte(major<<5 | 25)
			buf.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
		case n < 1<<32:
			buf.WriteByte(major<<5 | 26)
			buf.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
		default:
			buf.WriteByte(major<<5 | 27)
			buf.Write(binary.BigEndian.AppendUint64(nil, n))
		}
	}
	switch x := v.(type) {
	case nil:
		buf.WriteByte(0xf6)
	case bool:
		if x {
			buf.WriteByte(0xf5)
		} else {
			buf.WriteByte(0xf4)
		}
	case int:
		if x < 0 {
			head(1, uint64(-1-x))
		} else {
			head(0, uint64(x))
		}
	case string:
		head(3, uint64(len(x)))
		buf.WriteString(x)
	case []byte:
		head(2, uint64(len(x)))
		buf.Write(x)
	case cborLink:
		head(6, 42)
		cborEncode(buf, append([]byte{0}, x...))
	case []any:
		head(4, uint64(len(x)))
		for _, e := range x {
			cborEncode(buf, e)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int {
			if len(a) != len(b) {
				return len(a) - len(b)
			}
			return strings.Compare(a, b)
		})
		head(5, uint64(len(x)))
		for _, k := range keys {
			cborEncode(buf, k)
			cborEncode(buf, x[k])
		}
	default:
		panic("cborEncode: " + string(rune(0)))
	}
}

// carBuilder writes a CARv1 file of DAG-CBOR blocks.
type carBuilder struct {
	blocks bytes.Buffer
}

// add writes a block and returns its CID (v1, dag-cbor, sha2-256).
func (c *carBuilder) add(v any) cborLink {
	var data bytes.Buffer
	cborEncode(&data, v)
	sum := sha256.Sum256(data.Bytes())
	cid := append([]byte{1, 0x71, 0x12, 0x20}, sum[:]...)
	c.blocks.Write(binary.AppendUvarint(nil, uint64(len(cid)+data.Len())))
	c.blocks.Write(cid)
	c.blocks.Write(data.Bytes())
	return cid
}

func (c *carBuilder) file(root cborLink) []byte {
	var hdr bytes.Buffer
	cborEncode(&hdr, map[string]any{"version": 1, "roots": []any{root}})
	out := binary.AppendUvarint(nil, uint64(hdr.Len()))
	out = append(out, hdr.Bytes()...)
	return append(out, c.blocks.Bytes()...)
}

// mstEntries builds the e list of an MST node from sorted keys.
func mstEntries(keys []string, values []cborLink, rights []cborLink) []any {
	var es []any
	prev := ""
	for i, k := range keys {
		p := 0
		for p < len(prev) && p < len(k) && prev[p] == k[p] {
			p++
		}
		var t any
		if rights != nil && rights[i] != nil {
			t = rights[i]
		}
		es = append(es, map[string]any{"p": p, "k": []byte(k[p:]), "v": values[i], "t": t})
		prev = k
	}
	return es
}

const repoDid = "did:plc:x7k2m4qv5tjw3yhz6ne2rbda"

// buildRepo writes the repository of one account in the shape getRepo
// returns it (records, a two-level MST, the signed commit), with posts in
// the shape of app.bsky.feed.post records (invented text).
func buildRepo() []byte {
	var c carBuilder
	blob := cborLink(append([]byte{1, 0x55, 0x12, 0x20}, bytes.Repeat([]byte{7}, 32)...))
	parent := "at://did:plc:s3gq7vjhx2ld6fk4ep5cyrtm/app.bsky.feed.post/3lrbq2xk5cs2a"
	posts := []map[string]any{
		{"$type": "app.bsky.feed.post", "text": "Uploads to eu-west fail with 503 #outage", "createdAt": "2026-02-17T13:05:40.118Z", "langs": []any{"en"},
			"facets": []any{map[string]any{"index": map[string]any{"byteStart": 33, "byteEnd": 40}, "features": []any{map[string]any{"$type": "app.bsky.richtext.facet#tag", "tag": "outage"}}}},
			"reply":  map[string]any{"root": map[string]any{"uri": parent, "cid": "bafyreigk4n7zy3xvl2qs5edwhbmuo6tcf3kj7pxra4iyzq2vbnhe6dlm5u"}, "parent": map[string]any{"uri": parent, "cid": "bafyreigk4n7zy3xvl2qs5edwhbmuo6tcf3kj7pxra4iyzq2vbnhe6dlm5u"}}},
		{"$type": "app.bsky.feed.post", "text": "Graph of the error rate", "createdAt": "2026-02-17T13:06:02.900Z", "langs": []any{"en"},
			"embed": map[string]any{"$type": "app.bsky.embed.images", "images": []any{map[string]any{"alt": "graph", "image": map[string]any{"$type": "blob", "ref": blob, "mimeType": "image/jpeg", "size": 184233}, "aspectRatio": map[string]any{"width": 1600, "height": 900}}}}},
		{"$type": "app.bsky.feed.post", "text": "Post-mortem is out", "langs": []any{"de"}}, // no createdAt: the TID's time
	}
	rkeys := []string{"3lrbq4mqa3k2b", "3lrbq5ttbwc2k", "3lrdx2k4wyc2t"}
	var postCIDs []cborLink
	for _, p := range posts {
		postCIDs = append(postCIDs, c.add(p))
	}
	profile := c.add(map[string]any{"$type": "app.bsky.actor.profile", "displayName": "Nina ☁️", "description": "ops"})
	like := c.add(map[string]any{"$type": "app.bsky.feed.like", "subject": map[string]any{"uri": parent, "cid": "bafy"}, "createdAt": "2026-02-17T13:05:00Z"})
	// Left: profile and like; root: the first post, right of it the others.
	left := c.add(map[string]any{"l": nil, "e": mstEntries(
		[]string{"app.bsky.actor.profile/self", "app.bsky.feed.like/3lrbq3aaaaa2a"}, []cborLink{profile, like}, nil)})
	right := c.add(map[string]any{"l": nil, "e": mstEntries(
		[]string{"app.bsky.feed.post/" + rkeys[1], "app.bsky.feed.post/" + rkeys[2]}, postCIDs[1:], nil)})
	root := c.add(map[string]any{"l": left, "e": mstEntries(
		[]string{"app.bsky.feed.post/" + rkeys[0]}, postCIDs[:1], []cborLink{right})})
	commit := c.add(map[string]any{"did": repoDid, "version": 3, "data": root, "rev": "3lrdx2k5aaa2a", "prev": nil, "sig": bytes.Repeat([]byte{1}, 64)})
	return c.file(commit)
}

func TestDecodeRepo(t *testing.T) {
	r := collect(t, DecodeRepo(bytes.NewReader(buildRepo())))
	if len(r.posts) != 3 || len(r.errs) != 0 || len(r.dels) != 0 {
		t.Fatalf("got %d posts, %d errors %v, %d deletes; want 3, 0, 0", len(r.posts), len(r.errs), r.errs, len(r.dels))
	}
	author := post.Author{ID: repoDid, Name: "Nina ☁️", URL: "https://bsky.app/profile/" + repoDid}
	eq(t, "ids", nativeIDs(r.posts), []string{
		"at://" + repoDid + "/app.bsky.feed.post/3lrbq4mqa3k2b",
		"at://" + repoDid + "/app.bsky.feed.post/3lrbq5ttbwc2k",
		"at://" + repoDid + "/app.bsky.feed.post/3lrdx2k4wyc2t",
	})
	p := r.posts[0]
	eq(t, "url", p.URL, "https://bsky.app/profile/"+repoDid+"/post/3lrbq4mqa3k2b")
	eq(t, "author", p.Author, author)
	eq(t, "text", p.Text, "Uploads to eu-west fail with 503 #outage")
	eq(t, "created", p.CreatedAt, mustTime(t, "2026-02-17T13:05:40.118Z"))
	eq(t, "reply", p.ReplyTo, "bluesky:at://did:plc:s3gq7vjhx2ld6fk4ep5cyrtm/app.bsky.feed.post/3lrbq2xk5cs2a")
	eq(t, "hashtags", p.Hashtags, []string{"outage"})
	eq(t, "revision", p.Revision, int64(0))
	eq(t, "media", r.posts[1].Media, []string{"https://cdn.bsky.app/img/feed_fullsize/plain/" + repoDid + "/" + cidString(append([]byte{1, 0x55, 0x12, 0x20}, bytes.Repeat([]byte{7}, 32)...)) + "@jpeg"})
	if !strings.Contains(string(r.posts[1].Raw), `"ref":{"$link":"bafkrei`) {
		t.Errorf("Raw has no blob link: %s", r.posts[1].Raw)
	}
	eq(t, "created from the TID", r.posts[2].CreatedAt, tidTime("3lrdx2k4wyc2t"))
	eq(t, "lang", r.posts[2].Lang, "de")
	eq(t, "lines", r.lines, []int{2, 3, 4})
}

func TestDecodeRepoDamaged(t *testing.T) {
	good := buildRepo()
	tests := []struct {
		name  string
		in    []byte
		posts int
		errs  []string
	}{
		{name: "empty", in: nil, errs: []string{"not a CAR file"}},
		{name: "JSON", in: []byte(`{"posts":[]}`), errs: []string{"not a CAR file"}},
		{name: "CARv2 pragma", in: []byte{0x0a, 0xa1, 0x67, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0x02}, errs: []string{"CAR version 2 is not read"}},
		// Cut inside the last block (the commit): no commit, no walk.
		{name: "truncated", in: good[:len(good)-10], errs: []string{"input ends early", "is not a commit in the file"}},
		// A flipped byte in the first post's text: its hash fails, and the
		// walk misses it.
		{name: "flipped byte", in: bytes.Replace(good, []byte("Uploads"), []byte("Uploadz"), 1), posts: 2,
			errs: []string{"does not match its hash", "record app.bsky.feed.post/3lrbq4mqa3k2b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := collect(t, DecodeRepo(bytes.NewReader(tc.in)))
			if len(r.posts) != tc.posts {
				t.Errorf("got %d posts, want %d", len(r.posts), tc.posts)
			}
			if len(r.errs) != len(tc.errs) {
				t.Fatalf("got %d errors %v, want %d", len(r.errs), r.errs, len(tc.errs))
			}
			for i, e := range r.errs {
				if !strings.HasPrefix(e.Err.Error(), "repo: ") || !strings.Contains(e.Err.Error(), tc.errs[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e.Err, tc.errs[i])
				}
			}
		})
	}
}

// TestCIDString checks the CID text form against a known CID: the empty
// DAG-CBOR map's, as IPFS tools print it.
func TestCIDString(t *testing.T) {
	sum := sha256.Sum256([]byte{0xa0})
	eq(t, "cid", cidString(append([]byte{1, 0x71, 0x12, 0x20}, sum[:]...)), "bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua")
}

// TestTIDTime checks tidTime on the real Jetstream corpus: clients make a
// post's record key from the time of writing, so it is within seconds of
// createdAt.
func TestTIDTime(t *testing.T) {
	r := decodeFile(t, "jetstream_v1_corpus_expected.jsonl")
	n := 0
	for _, p := range r.posts {
		rkey := p.NativeID[strings.LastIndex(p.NativeID, "/")+1:]
		d := tidTime(rkey).Sub(p.CreatedAt)
		if d < -time.Minute || d > time.Minute {
			t.Errorf("%s: TID time %v, created %v", rkey, tidTime(rkey), p.CreatedAt)
		}
		n++
	}
	eq(t, "posts checked", n, 17)
	eq(t, "not a TID", tidTime("self").IsZero(), true)
	eq(t, "top bit set", tidTime("zzzzzzzzzzzzz").IsZero(), true)
}

func TestDecodeCBOR(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string // JSON of toJSON, or "error"
	}{
		{[]byte{0xa0}, `{}`},
		{[]byte{0x83, 0x01, 0x20, 0xf5}, `[1,-1,true]`},
		{[]byte{0xf9, 0x3c, 0x00}, "error"}, // floats are not in the atproto data model
		{[]byte{0xfa, 0x3f, 0xc0, 0, 0}, "error"},
		{[]byte{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "error"},
		{[]byte{0x9f, 0xff}, "error"},             // indefinite length
		{[]byte{0xa1, 0x01, 0x02}, "error"},       // integer key
		{[]byte{0xc1, 0x00}, "error"},             // tag 1
		{[]byte{0xd8, 0x2a, 0x41, 0x01}, "error"}, // link without 0x00
		{[]byte{0x62, 0xff, 0xfe}, "error"},       // text not UTF-8
		{[]byte{0x9a, 0xff, 0xff, 0xff, 0xff}, "error"},
		{[]byte{0x01, 0x02}, "error"}, // trailing bytes
		{[]byte{0x42, 0x01, 0x02}, `{"$bytes":"AQI"}`},
	} {
		v, err := decodeCBOR(tc.in)
		got := "error"
		if err == nil {
			b, _ := json.Marshal(toJSON(v))
			got = string(b)
		}
		eq(t, fmt.Sprintf("decode % x", tc.in), got, tc.want)
	}
}

func FuzzDecodeRepo(f *testing.F) {
	f.Add(buildRepo())
	f.Add([]byte{})
	if b, err := os.ReadFile(testdata.Path(f, "bluesky", "jetstream_v1_golden_sample.jsonl")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		collect(t, DecodeRepo(bytes.NewReader(in)))
	})
}

// TestRepoFixture keeps testdata/repo.car, the file buildRepo writes, for
// tests elsewhere (the importer's detection); AFTERSHOCK_WRITE_FIXTURES=1
// writes it anew.
func TestRepoFixture(t *testing.T) {
	name := filepath.Join("testdata", "repo.car")
	if os.Getenv("AFTERSHOCK_WRITE_FIXTURES") == "1" {
		if err := os.WriteFile(name, buildRepo(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, buildRepo()) {
		t.Errorf("%s differs from what buildRepo writes", name)
	}
	r := collect(t, DecodeRepo(bytes.NewReader(b)))
	if len(r.posts) != 3 || len(r.errs) != 0 {
		t.Errorf("%s: %d posts, %d errors; want 3, 0", name, len(r.posts), len(r.errs))
	}
}

// BenchmarkDecodeRepo reads a repository of 10,000 posts (one flat MST
// node, which the walk reads like any other).
func BenchmarkDecodeRepo(b *testing.B) {
	var c carBuilder
	var keys []string
	var cids []cborLink
	start := time.Date(2026, 2, 17, 13, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		at := start.Add(time.Duration(i) * time.Minute)
		rkey := tidFor(at)
		keys = append(keys, "app.bsky.feed.post/"+rkey)
		cids = append(cids, c.add(map[string]any{"$type": "app.bsky.feed.post", "text": fmt.Sprintf("post %d about the outage #incident", i), "createdAt": at.Format(time.RFC3339Nano), "langs": []any{"en"}}))
	}
	root := c.add(map[string]any{"l": nil, "e": mstEntries(keys, cids, nil)})
	in := c.file(c.add(map[string]any{"did": repoDid, "version": 3, "data": root, "rev": "x", "prev": nil, "sig": []byte{1}}))
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		n := 0
		for it := range DecodeRepo(bytes.NewReader(in)) {
			if it.Post == nil {
				b.Fatal(it.Err)
			}
			n++
		}
		if n != 10_000 {
			b.Fatalf("%d posts", n)
		}
	}
}

// tidFor makes the TID record key of a time (clock id 0).
func tidFor(t time.Time) string {
	const alphabet = "234567abcdefghijklmnopqrstuvwxyz"
	v := uint64(t.UnixMicro()) << 10
	out := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		out[i] = alphabet[v&31]
		v >>= 5
	}
	return string(out)
}
