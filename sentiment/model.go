package sentiment

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The trained weights, written by TestTrain (see train_test.go) from the
// training sets named in the package doc. They are our own numbers; no
// third-party data is in them or in this repository.
var (
	//go:embed model_en.bin
	modelEN []byte
	//go:embed model_de.bin
	modelDE []byte
)

const (
	hashBits = 18
	hashSize = 1 << hashBits
	nDense   = 20
	nClass   = 3 // Negative, Neutral, Positive
)

// denseFeatures fills d with the rule layer's figures for one text.
func denseFeatures(d *[nDense]float64, t *tokens, rr *ruleResult) {
	b := func(x bool) float64 {
		if x {
			return 1
		}
		return 0
	}
	d[0] = rr.compound
	d[1] = math.Log1p(rr.pos)
	d[2] = math.Log1p(rr.neg)
	d[3] = float64(min(rr.npos, 5)) / 5
	d[4] = float64(min(rr.nneg, 5)) / 5
	d[5] = math.Tanh(rr.emoji / 3)
	d[6] = float64(min(rr.outageNeg, 3)) / 3
	d[7] = float64(min(rr.outagePos, 3)) / 3
	d[8] = b(t.excl > 0)
	d[9] = b(t.quest > 0)
	d[10] = math.Log1p(float64(len(t.toks))) / 4
	d[11] = b(t.capWords > 0 && t.capWords < t.words)
	d[12] = b(rr.negators > 0)
	d[13] = math.Tanh(rr.foreign / 3)
	d[14] = b(t.urls > 0)
	d[15] = b(t.mentions > 0)
	d[16] = float64(min(t.hashtags, 3)) / 3
	d[17] = rr.maxPos / 4
	d[18] = rr.maxNeg / 4
	d[19] = float64(rr.npos+rr.nneg) / float64(max(t.words, 1))
}

// Hash salts of the kinds of hashed features.
const (
	saltWord uint32 = iota + 1
	saltNegWord
	saltEmoji
	saltNumber
	saltBigram
	saltChar
)

func fnv(salt uint32, b []byte) uint32 {
	h := uint32(2166136261) ^ salt*16777619
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return h
}

func mix(a, b uint32) uint32 {
	h := a*0x9E3779B1 ^ (b + 0x7F4A7C15 + a<<6 + a>>2)
	h ^= h >> 15
	h *= 0x2C1B3C6D
	h ^= h >> 12
	return h
}

// hashFeatures appends the hashed sparse features of sc.toks: words (marked
// when inside a negation's scope), emoji, numbers and word bigrams within a
// clause, and with hashChars the character 3- to 5-grams of each word
// (squeezed, with '<' and '>' marking its ends).
func hashFeatures(dst []uint32, sc *scratch, lx *lexicon, mode uint8) []uint32 {
	if mode == hashNone {
		return dst
	}
	t := &sc.toks
	var prev uint32
	neg := 0 // tokens left in the current negation scope
	for i, k := range t.toks {
		w := t.bytes(i)
		var h uint32
		switch k.kind {
		case tkEmoji, tkEmoticon:
			h = fnv(saltEmoji, w)
		case tkNumber:
			if len(w) == 3 {
				h = fnv(saltNumber, w)
			} else {
				h = fnv(saltNumber, nil)
			}
		default:
			if k.long {
				sc.tmp = squeeze(sc.tmp[:0], w, 2)
				w = sc.tmp
			}
			e, ok := lx.words[string(w)]
			if mode == hashLexicon && (!ok || e.val == 0 && e.flags&fNegator == 0) {
				if neg > 0 {
					neg--
				}
				prev = 0
				if k.end {
					neg = 0
				}
				continue
			}
			if ok && e.flags&fNegator != 0 {
				h = fnv(saltWord, w)
				neg = 4
			} else if neg > 0 {
				h = fnv(saltNegWord, w)
				neg--
			} else {
				h = fnv(saltWord, w)
			}
		}
		dst = append(dst, h&(hashSize-1))
		if prev != 0 && (mode == hashAll || mode == hashChars) {
			dst = append(dst, mix(prev, h)&(hashSize-1))
		}
		if mode == hashChars && k.kind == tkWord {
			dst = charGrams(dst, w)
		}
		prev = h | 1
		if k.end {
			prev = 0
			neg = 0
		}
	}
	return dst
}

// Which hashed features a model uses.
const (
	hashAll     uint8 = iota // words, emoji, numbers, bigrams
	hashLexicon              // only words of the lexicon, and emoji
	hashNone                 // none: dense features only
	hashChars                // as hashAll, plus the character n-grams of words
)

// maxCharWord is the longest word (in bytes) whose character n-grams are
// hashed; longer ones give only their word feature.
const maxCharWord = 40

// charGrams appends the hashed character 3-, 4- and 5-grams of the word w
// with '<' and '>' marking its ends (bytes, not runes: a rune cut in two
// still hashes the same way every time). Words of one or two bytes and
// words longer than maxCharWord give none.
func charGrams(dst []uint32, w []byte) []uint32 {
	if len(w) < 3 || len(w) > maxCharWord {
		return dst
	}
	var buf [maxCharWord + 2]byte
	buf[0] = '<'
	n := 1 + copy(buf[1:], w)
	buf[n] = '>'
	n++
	for g := 3; g <= 5; g++ {
		for i := 0; i+g <= n; i++ {
			if i == 0 && i+g == n {
				continue // the whole word, which the word feature has
			}
			dst = append(dst, fnv(saltChar+uint32(g)<<8, buf[i:i+g])&(hashSize-1))
		}
	}
	return dst
}

// linearModel is a multinomial logistic regression over the dense and the
// hashed features.
type linearModel struct {
	name string
	mode uint8 // hashAll, hashLexicon, hashNone or hashChars
	// calA and calB calibrate the confidence: the probability that the
	// chosen class is right is σ(calA·logit(p) + calB), p the model's
	// probability of that class (Platt scaling, fitted on out-of-fold
	// predictions of the training tweets). calA 1 and calB 0 leave p as it
	// is.
	calA, calB float32
	bias       [nClass]float32
	dense      [nDense][nClass]float32
	w          []float32 // hashSize × nClass
}

// predict returns the class probabilities (Negative, Neutral, Positive).
func (m *linearModel) predict(d *[nDense]float64, feats []uint32) [nClass]float64 {
	var z [nClass]float64
	for c := range nClass {
		z[c] = float64(m.bias[c])
	}
	for j, x := range d {
		if x == 0 {
			continue
		}
		for c := range nClass {
			z[c] += float64(m.dense[j][c]) * x
		}
	}
	if len(m.w) == hashSize*nClass {
		for _, f := range feats {
			ws := m.w[int(f)*nClass : int(f)*nClass+nClass : int(f)*nClass+nClass]
			z[0] += float64(ws[0])
			z[1] += float64(ws[1])
			z[2] += float64(ws[2])
		}
	}
	return softmax(z)
}

// confidence returns the calibrated probability that the class of
// probability p is right.
func (m *linearModel) confidence(p float64) float64 {
	p = math.Min(math.Max(p, 1e-6), 1-1e-6)
	return 1 / (1 + math.Exp(-(float64(m.calA)*math.Log(p/(1-p)) + float64(m.calB))))
}

func softmax(z [nClass]float64) [nClass]float64 {
	mx := math.Max(z[0], math.Max(z[1], z[2]))
	var s float64
	for c := range nClass {
		z[c] = math.Exp(z[c] - mx)
		s += z[c]
	}
	for c := range nClass {
		z[c] /= s
	}
	return z
}

// The weights file: "AFSM", format version (2), name length and name, the
// hashed-feature mode (uint32), the calibration calA and calB (float32), the
// number of dense features (uint32), the bias and dense weights as float32, then the hashed weights that are not
// zero: their count, and for each the bucket (uint32) and one int16 per class
// scaled by the file's quantisation step (float32, stored before them). Little
// endian throughout.
const (
	modelMagic  = "AFSM"
	modelFormat = 2
)

var errModel = errors.New("sentiment: bad embedded model")

func loadModel(b []byte) (*linearModel, error) {
	r := reader{b: b}
	if string(r.next(4)) != modelMagic || r.u32() != modelFormat {
		return nil, errModel
	}
	m := &linearModel{name: string(r.next(int(r.u32())))}
	m.mode = uint8(r.u32())
	m.calA, m.calB = r.f32(), r.f32()
	if m.mode > hashChars || r.u32() != nDense || !(m.calA > 0 && m.calA < 100) || !(math.Abs(float64(m.calB)) < 100) {
		return nil, errModel
	}
	for c := range nClass {
		m.bias[c] = r.f32()
	}
	for j := range nDense {
		for c := range nClass {
			m.dense[j][c] = r.f32()
		}
	}
	step := r.f32()
	n := int(r.u32())
	if r.err || n > hashSize {
		return nil, errModel
	}
	if n > 0 {
		m.w = make([]float32, hashSize*nClass)
	}
	for range n {
		f := r.u32()
		if f >= hashSize {
			return nil, errModel
		}
		for c := range nClass {
			m.w[int(f)*nClass+c] = float32(int16(r.u16())) * step
		}
	}
	if r.err || len(r.b) != 0 {
		return nil, fmt.Errorf("%w (%s)", errModel, m.name)
	}
	return m, nil
}

// encodeModel writes m in the format loadModel reads.
func encodeModel(m *linearModel) []byte {
	var b []byte
	b = append(b, modelMagic...)
	b = binary.LittleEndian.AppendUint32(b, modelFormat)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.name)))
	b = append(b, m.name...)
	b = binary.LittleEndian.AppendUint32(b, uint32(m.mode))
	f32 := func(x float32) { b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x)) }
	f32(m.calA)
	f32(m.calB)
	b = binary.LittleEndian.AppendUint32(b, nDense)
	for c := range nClass {
		f32(m.bias[c])
	}
	for j := range nDense {
		for c := range nClass {
			f32(m.dense[j][c])
		}
	}
	var mx float64
	for _, x := range m.w {
		mx = math.Max(mx, math.Abs(float64(x)))
	}
	step := float32(mx / 32767)
	if step == 0 {
		step = 1
	}
	f32(step)
	var idx []uint32
	for f := 0; f < len(m.w)/nClass; f++ {
		for c := range nClass {
			if int16(math.Round(float64(m.w[f*nClass+c]/step))) != 0 {
				idx = append(idx, uint32(f))
				break
			}
		}
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(idx)))
	for _, f := range idx {
		b = binary.LittleEndian.AppendUint32(b, f)
		for c := range nClass {
			b = binary.LittleEndian.AppendUint16(b, uint16(int16(math.Round(float64(m.w[int(f)*nClass+c]/step)))))
		}
	}
	return b
}

type reader struct {
	b   []byte
	err bool
}

func (r *reader) next(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.err = true
		r.b = nil
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u32() uint32 {
	p := r.next(4)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(p)
}

func (r *reader) u16() uint16 {
	p := r.next(2)
	if p == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(p)
}

func (r *reader) f32() float32 { return math.Float32frombits(r.u32()) }
