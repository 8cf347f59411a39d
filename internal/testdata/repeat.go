package testdata

import (
	"io"
	"strings"
)

// Repeat returns a reader of head, then n bytes of c, then tail, that holds
// none of the n bytes: the oversized records of limit tests, made in the test
// rather than kept as files.
func Repeat(head string, c byte, n int64, tail string) io.Reader {
	return io.MultiReader(strings.NewReader(head), io.LimitReader(byteReader(c), n), strings.NewReader(tail))
}

// byteReader reads as an endless run of one byte.
type byteReader byte

func (b byteReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}
