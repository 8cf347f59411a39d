package store

import (
	"bytes"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// codec compresses raw payloads with zstd. A stored payload that starts with
// the zstd frame magic is compressed; anything else is the payload itself
// (short payloads, and archives written before compression). JSON and CSV
// payloads never start with the magic (0x28 0xb5 0x2f 0xfd is not UTF-8).
type codec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// minPack is the size below which a payload is stored as it is.
const minPack = 128

func newCodec() (codec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return codec{}, err
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(256<<20))
	if err != nil {
		return codec{}, err
	}
	return codec{enc: enc, dec: dec}, nil
}

func (c codec) pack(raw []byte) []byte {
	if len(raw) < minPack {
		if raw == nil {
			return []byte{}
		}
		return raw
	}
	return c.enc.EncodeAll(raw, make([]byte, 0, len(raw)/3))
}

func (c codec) unpack(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, zstdMagic) {
		return stored, nil
	}
	raw, err := c.dec.DecodeAll(stored, nil)
	if err != nil {
		return nil, fmt.Errorf("damaged raw payload: %w", err)
	}
	return raw, nil
}

func (c codec) close() {
	c.enc.Close()
	c.dec.Close()
}
