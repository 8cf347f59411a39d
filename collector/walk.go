package collector

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Walker reads a JSON value held in memory token by token while knowing
// where each token starts, so that a decoder can cut nested objects out of
// it (Hacker News item trees, Reddit comment trees) in one pass instead of
// decoding every level again.
type Walker struct {
	Data []byte
	Dec  *json.Decoder
}

// NewWalker returns a Walker at the start of data.
func NewWalker(data []byte) Walker {
	return Walker{Data: data, Dec: json.NewDecoder(bytes.NewReader(data))}
}

// Next returns the offset of the next token, past white space and separators.
func (w *Walker) Next() int {
	i := int(w.Dec.InputOffset())
	for i < len(w.Data) {
		switch w.Data[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
		default:
			return i
		}
	}
	return i
}

// Delim reads the next token, which must be want.
func (w *Walker) Delim(want json.Delim) error {
	t, err := w.Dec.Token()
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("want %v, got %v", want, t)
	}
	return nil
}
