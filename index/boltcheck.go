package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
)

// checkBolt checks the pages of a bbolt file (Bleve's root.bolt) held in
// b before bbolt reads it: bbolt trusts its pages, and a flipped byte in
// one can make it panic, loop for ever or hand out memory it does not own
// (a fatal "found pointer to free object" in the garbage collector), in its
// own goroutines as well as in the caller's. So the tree is walked here,
// from the newest valid meta page, with every offset bounds-checked: each
// page must carry its own id and the type its parent expects, be reached
// once, lie below the high-water mark and hold its keys in strictly
// increasing order; the freelist's pages must be in range, distinct and
// unreachable, and every page below the mark reachable or free.
//
// The layout is bbolt's (go.etcd.io/bbolt/internal/common, version 2),
// little-endian as on every machine this runs on.
func checkBolt(b []byte) error {
	m, err := newestMeta(b)
	if err != nil {
		return err
	}
	c := &boltChecker{b: b, pageSize: uint64(m.pageSize), hwm: m.hwm, seen: map[uint64]bool{0: true, 1: true}}
	if m.freelist != noFreelist {
		if err := c.reach(m.freelist, flagFreelist); err != nil {
			return fmt.Errorf("freelist: %w", err)
		}
	}
	if err := c.tree(m.root); err != nil {
		return err
	}
	if m.freelist == noFreelist {
		return nil // bbolt rebuilds the freelist by scanning
	}
	free, err := c.freeIDs(m.freelist)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	for _, id := range free {
		if id >= c.hwm || id < 2 {
			return fmt.Errorf("freelist: page %d out of range", id)
		}
		if c.seen[id] {
			return fmt.Errorf("freelist: page %d is in use or listed twice", id)
		}
		c.seen[id] = true
	}
	for id := uint64(2); id < c.hwm; id++ {
		if !c.seen[id] {
			return fmt.Errorf("page %d is neither reachable nor free", id)
		}
	}
	return nil
}

// bbolt's page flags and sizes.
const (
	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagMeta     = 0x04
	flagFreelist = 0x10
	leafBucket   = 0x01
	pageHeader   = 16
	elemSize     = 16
	boltMagic    = 0xED0CDAED
	noFreelist   = ^uint64(0)
)

type boltMeta struct {
	pageSize            uint32
	root, freelist, hwm uint64
	txid                uint64
	ok                  bool
}

// newestMeta returns the valid meta page (of pages 0 and 1) with the
// greater transaction id, as bbolt does.
func newestMeta(b []byte) (boltMeta, error) {
	var best boltMeta
	var errs []error
	read := func(off int) (boltMeta, error) {
		if off+pageHeader+64 > len(b) {
			return boltMeta{}, errors.New("file too short")
		}
		p := b[off:]
		if p[8]&flagMeta == 0 {
			return boltMeta{}, errors.New("not a meta page")
		}
		d := p[pageHeader : pageHeader+64]
		h := fnv.New64a()
		h.Write(d[:56])
		if h.Sum64() != le64(d[56:]) {
			return boltMeta{}, errors.New("checksum mismatch")
		}
		if le32(d) != boltMagic || le32(d[4:]) != 2 {
			return boltMeta{}, errors.New("bad magic or version")
		}
		m := boltMeta{pageSize: le32(d[8:]), root: le64(d[16:]), freelist: le64(d[32:]), hwm: le64(d[40:]), txid: le64(d[48:]), ok: true}
		if m.pageSize < 512 || m.pageSize > 1<<16 || m.pageSize&(m.pageSize-1) != 0 {
			return boltMeta{}, fmt.Errorf("page size %d", m.pageSize)
		}
		return m, nil
	}
	m0, err := read(0)
	if err != nil {
		errs = append(errs, fmt.Errorf("meta 0: %w", err))
	}
	best = m0
	// Meta 1 is at the second page, of the size meta 0 names (or 4096).
	size := 4096
	if m0.ok {
		size = int(m0.pageSize)
	}
	m1, err := read(size)
	if err != nil {
		errs = append(errs, fmt.Errorf("meta 1: %w", err))
	}
	if m1.ok && (!best.ok || m1.txid > best.txid) {
		best = m1
	}
	if !best.ok {
		return best, errors.Join(errs...)
	}
	if best.hwm*uint64(best.pageSize) > uint64(len(b)) || best.hwm < 2 {
		return best, fmt.Errorf("high-water mark %d pages beyond the file (%d bytes)", best.hwm, len(b))
	}
	return best, nil
}

type boltChecker struct {
	b             []byte
	pageSize, hwm uint64
	seen          map[uint64]bool
}

// page returns the bytes of page id (with its overflow pages) after
// checking its header: its own id, flags wanted, within the mark.
func (c *boltChecker) page(id uint64, want uint16) ([]byte, error) {
	if id < 2 || id >= c.hwm {
		return nil, fmt.Errorf("page %d out of range [2, %d)", id, c.hwm)
	}
	off := id * c.pageSize
	h := c.b[off : off+pageHeader]
	if got := le64(h); got != id {
		return nil, fmt.Errorf("page %d says it is page %d", id, got)
	}
	// Exactly one type: bbolt tests leaf before branch in some places and
	// branch before leaf in others.
	if flags := le16(h[8:]); flags&want == 0 || flags&(flags-1) != 0 {
		return nil, fmt.Errorf("page %d has flags %#x, want one of %#x", id, flags, want)
	}
	overflow := uint64(le32(h[12:]))
	if id+overflow >= c.hwm {
		return nil, fmt.Errorf("page %d overflows %d pages past the mark", id, overflow)
	}
	return c.b[off : off+(overflow+1)*c.pageSize], nil
}

// reach marks page id and its overflow pages as reached once.
func (c *boltChecker) reach(id uint64, want uint16) error {
	p, err := c.page(id, want)
	if err != nil {
		return err
	}
	for i := uint64(0); i < uint64(len(p))/c.pageSize; i++ {
		if c.seen[id+i] {
			return fmt.Errorf("page %d is reached twice", id+i)
		}
		c.seen[id+i] = true
	}
	return nil
}

// tree checks the B+tree of a bucket whose root is page id.
func (c *boltChecker) tree(id uint64) error {
	if err := c.reach(id, flagBranch|flagLeaf); err != nil {
		return err
	}
	p, _ := c.page(id, flagBranch|flagLeaf)
	return c.node(p, le16(p[8:])&flagBranch != 0, id)
}

// node checks the elements of a page (p from its header on); inline pages
// of buckets held in a value come here too, with id 0.
func (c *boltChecker) node(p []byte, branch bool, id uint64) error {
	if len(p) < pageHeader {
		return fmt.Errorf("page %d: truncated", id)
	}
	n := int(le16(p[10:]))
	if pageHeader+n*elemSize > len(p) {
		return fmt.Errorf("page %d: %d elements do not fit", id, n)
	}
	var prev []byte
	for i := range n {
		e := p[pageHeader+i*elemSize:]
		base := pageHeader + i*elemSize
		var key, val []byte
		var child uint64
		var flags uint32
		if branch {
			pos, ksize := int(le32(e)), int(le32(e[4:]))
			child = le64(e[8:])
			if base+pos+ksize > len(p) || pos < 0 {
				return fmt.Errorf("page %d: element %d out of the page", id, i)
			}
			key = p[base+pos : base+pos+ksize]
		} else {
			flags = le32(e)
			pos, ksize, vsize := int(le32(e[4:])), int(le32(e[8:])), int(le32(e[12:]))
			if base+pos+ksize+vsize > len(p) || pos < 0 {
				return fmt.Errorf("page %d: element %d out of the page", id, i)
			}
			key = p[base+pos : base+pos+ksize]
			val = p[base+pos+ksize : base+pos+ksize+vsize]
		}
		if prev != nil && bytes.Compare(key, prev) <= 0 {
			return fmt.Errorf("page %d: key %d out of order", id, i)
		}
		prev = key
		switch {
		case branch:
			if err := c.tree(child); err != nil {
				return err
			}
		case flags&leafBucket != 0:
			if len(val) < 16 {
				return fmt.Errorf("page %d: bucket %x: header truncated", id, key)
			}
			if root := le64(val); root != 0 {
				if err := c.tree(root); err != nil {
					return fmt.Errorf("bucket %x: %w", key, err)
				}
			} else if len(val) < 16+pageHeader || le16(val[16+8:]) != flagLeaf {
				return fmt.Errorf("page %d: inline bucket %x is not a leaf", id, key)
			} else if err := c.node(val[16:], false, 0); err != nil {
				return fmt.Errorf("inline bucket %x: %w", key, err)
			}
		}
	}
	return nil
}

// freeIDs returns the page ids the freelist page lists.
func (c *boltChecker) freeIDs(id uint64) ([]uint64, error) {
	p, err := c.page(id, flagFreelist)
	if err != nil {
		return nil, err
	}
	n, data := uint64(le16(p[10:])), p[pageHeader:]
	if n == 0xFFFF {
		if len(data) < 8 {
			return nil, errors.New("truncated")
		}
		n, data = le64(data), data[8:]
	}
	if n > uint64(len(data))/8 {
		return nil, fmt.Errorf("%d ids do not fit", n)
	}
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = le64(data[i*8:])
	}
	return ids, nil
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
func le64(b []byte) uint64 { return binary.LittleEndian.Uint64(b) }
