package importer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// maxZstdWindow is the largest zstd window (and decoder memory) accepted:
// 128 MiB, what `zstd --long` uses; the window is allocated as the frame
// header says, so a 75 KB file may otherwise ask for 1 GiB. A larger
// window is an error on the first read.
const maxZstdWindow = 128 << 20

// decompress returns r with gzip and zstd compression undone (several layers
// too, as in .json.gz inside nothing else) and UTF-16 turned into UTF-8, and a
// closer for what it opened. A UTF-8 byte-order mark is dropped.
func decompress(r io.Reader) (*bufio.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var closers []func()
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	for range 3 {
		magic, _ := br.Peek(4)
		switch {
		case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
			zr, err := gzip.NewReader(br)
			if err != nil {
				closeAll()
				return nil, nil, fmt.Errorf("gzip: %w", err)
			}
			closers = append(closers, func() { zr.Close() })
			br = bufio.NewReaderSize(zr, 1<<20)
		case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
			zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow),
				zstd.WithDecoderMaxMemory(maxZstdWindow), zstd.WithDecoderLowmem(true))
			if err != nil {
				closeAll()
				return nil, nil, fmt.Errorf("zstd: %w", err)
			}
			closers = append(closers, zr.Close)
			br = bufio.NewReaderSize(zr, 1<<20)
		case bytes.HasPrefix(magic, []byte{0xff, 0xfe}), bytes.HasPrefix(magic, []byte{0xfe, 0xff}):
			dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
			br = bufio.NewReaderSize(transform.NewReader(br, dec), 1<<20)
		case bytes.HasPrefix(magic, []byte{0xef, 0xbb, 0xbf}):
			br.Discard(3)
			return br, closeAll, nil
		default:
			return br, closeAll, nil
		}
	}
	return br, closeAll, nil
}
