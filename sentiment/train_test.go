package sentiment

// Training. The weights in model_en.bin and model_de.bin are written by
//
//	go test ./sentiment -run TestTrain -train
//
// (add -cv to print 5-fold cross-validation on the training sets first).
// The settings in trainConfigs and defaultENRules were chosen by
//
//	go test ./sentiment -run TestSelect -train -select -v
//
// (5-fold cross-validation on the training sets; it writes nothing).
// Training is deterministic: fixed example order, fixed shuffles, no
// goroutines. It reads only the training sets named in the package doc; the
// evaluation sets (TweetEval validation, SB-10k validation, VADER's Amazon
// snippets) are never read here.

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/aftershock/aftershock/internal/testdata"
)

var (
	flagTrain  = flag.Bool("train", false, "train the models and rewrite model_*.bin")
	flagSelect = flag.Bool("select", false, "with -train: run the cross-validated selection of the settings (TestSelect; writes nothing)")
	flagLang   = flag.String("trainlang", "en,de", "with -train: languages to train")
)

// trainConfig are the settings of one language's training.
type trainConfig struct {
	epochs  int
	rate    float64 // AdaGrad step
	l2      float64 // on hashed weights, per update
	l2Dense float64
	mode    uint8 // hashAll, hashLexicon, hashNone or hashChars
	// prior is how far training evens out the classes: each class weighs
	// (examples / (3 × examples of the class))^prior; 1 is a uniform
	// prior, 0 the training sets' own.
	prior float64
	// English gold: mean rating ≤ -neutral is negative, ≥ neutral positive.
	neutral float64
	// English: weight of the movie-review snippets (the NYT snippets weigh
	// 1) and of the German SB-10k training tweets, scored by the German
	// rule layer (dense features only: their words are German); 0 leaves
	// the tweets out.
	movieW, tweetW float64
	// English: weight of the posts written for this project
	// (testdata/posts_en); 0 uses them for cross-validation only.
	postW float64
	// English: weight of the SemEval 2013–2016 training tweets.
	semW  float64
	rules enRules // English rule-layer options
}

// trainConfigs are the settings of the shipped models. Everything but the
// a-priori ones (neutral: a mean rating within half a scale step of 0 is
// neutral; the 5 folds) was chosen by TestSelect: 5-fold cross-validation
// on the training sets only. The evaluation sets played no part.
var trainConfigs = map[string]trainConfig{
	"en": {epochs: 4, rate: 0.1, l2: 1e-2, l2Dense: 1e-6, mode: hashAll, neutral: 0.5, movieW: 0.5, tweetW: 0, postW: 2, semW: 1, prior: 0.5,
		rules: defaultENRules()},
	"de": {epochs: 8, rate: 0.1, l2: 1e-2, l2Dense: 1e-6, mode: hashLexicon, prior: 1},
}

// modelVersion is the version in the model names; raise it with every
// retraining that changes the weights.
const modelVersion = "4"

// cvFolds is the k of the cross-validation.
const cvFolds = 5

// trainExample is one featurised training text.
type trainExample struct {
	dense    [nDense]float64
	feats    []uint32
	label    int // 0 negative, 1 neutral, 2 positive
	value    float64
	hasValue bool
	weight   float64
}

// source is one training set of a language, featurised.
type source struct {
	name   string
	exs    []trainExample
	weight float64 // of its examples in training; 0: used for validation only
	// crit is its share of the selection criterion (the shares of a
	// language's sources add up to 1); 0: reported, not judged.
	crit float64
	// calibrate: the model's confidence is calibrated on this source's
	// out-of-fold predictions.
	calibrate bool
}

// English sources, in the order trainingSources returns them.
const (
	srcSemEval = iota
	srcMovie
	srcNYT
	srcSB10kDE
	srcWritten
)

// trainingSources reads and featurises the training sets of lang: for
// English the SemEval 2013–2016 training tweets, the VADER movie and NYT
// snippets, the SB-10k training tweets (through the German rule layer) and
// the English posts written for this project; for German the SB-10k
// training tweets. s must have been built with cfg.rules.
func trainingSources(t *testing.T, s *Scorer, lang string, cfg trainConfig) []source {
	t.Helper()
	if lang == "de" {
		return []source{{name: "SB-10k train", exs: featurise(s, "de", cfg.mode, readSB10kTrain(t)), weight: 1, crit: 1, calibrate: true}}
	}
	out := []source{{name: "SemEval tweets", exs: featurise(s, "en", cfg.mode, withoutNearCopies(t, readSemEvalTrain(t))), weight: cfg.semW, crit: 0.5, calibrate: true}}
	for _, f := range []string{"vader_movieReviewSnippets_GroundTruth.txt", "vader_nytEditorialSnippets_GroundTruth.txt"} {
		e, err := ReadVADERGroundTruth(testdata.Path(t, "sentiment", f), "en")
		if err != nil {
			t.Fatal(err)
		}
		for i := range e {
			switch {
			case e[i].Value <= -cfg.neutral:
				e[i].Label = Negative
			case e[i].Value >= cfg.neutral:
				e[i].Label = Positive
			default:
				e[i].Label = Neutral
			}
		}
		name, w := "NYT", 1.0
		if strings.Contains(f, "movie") {
			name, w = "movie", cfg.movieW
		}
		out = append(out, source{name: name, exs: featurise(s, "en", cfg.mode, e), weight: w, crit: 0.5 / 3})
	}
	out = append(out, source{name: "SB-10k train (de rules)", exs: featurise(s, "de", hashNone, readSB10kTrain(t)), weight: cfg.tweetW})
	return append(out, source{name: "written posts", exs: featurise(s, "en", cfg.mode, readWrittenPosts(t)), weight: cfg.postW, crit: 0.5 / 3})
}

// nearCopies is how many SemEval training tweets withoutNearCopies drops.
const nearCopies = 849

// withoutNearCopies drops the training tweets that are near copies of a
// TweetEval validation tweet: the data's README removed exact copies, but
// TweetEval writes "’" and "," as the escapes \u2019 and \u002c, anonymises
// mentions and cuts links, so 504 of its 2,000 tweets still had a training
// tweet with the same words and 232 more one that differed by a word or a
// link (849 training tweets in all). A near copy has a word-set Jaccard similarity of at least 0.6
// (words: lower-cased letters, digits and apostrophes, after decoding \u
// escapes and dropping mentions and URLs); similarities between 0.4 and 0.6
// are rare (2 validation tweets), so the cut is not delicate. Only the
// validation texts are read, not their labels.
func withoutNearCopies(t *testing.T, exs []Example) []Example {
	t.Helper()
	val, err := readLines(testdata.Path(t, "sentiment", "tweeteval_sentiment_val_text.txt"))
	if err != nil {
		t.Fatal(err)
	}
	index := map[string][]int{}
	sets := make([]map[string]bool, len(val))
	for i, v := range val {
		sets[i] = wordSet(v)
		for w := range sets[i] {
			index[w] = append(index[w], i)
		}
	}
	var out []Example
	for _, e := range exs {
		ws := wordSet(e.Text)
		near := false
		seen := map[int]bool{}
		for w := range ws {
			for _, i := range index[w] {
				if seen[i] {
					continue
				}
				seen[i] = true
				inter := 0
				for x := range ws {
					if sets[i][x] {
						inter++
					}
				}
				if union := len(ws) + len(sets[i]) - inter; union > 0 && float64(inter) >= 0.6*float64(union) {
					near = true
					break
				}
			}
			if near {
				break
			}
		}
		if !near {
			out = append(out, e)
		}
	}
	if dropped := len(exs) - len(out); dropped != nearCopies {
		t.Fatalf("dropped %d near copies of validation tweets, want %d", dropped, nearCopies)
	}
	return out
}

// wordSet is the set of words of a tweet as withoutNearCopies compares
// them.
func wordSet(text string) map[string]bool {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\\' && i+5 < len(text) && text[i+1] == 'u' {
			if r, err := strconv.ParseUint(text[i+2:i+6], 16, 32); err == nil {
				b.WriteRune(rune(r))
				i += 5
				continue
			}
		}
		b.WriteByte(text[i])
	}
	set := map[string]bool{}
	for _, f := range strings.Fields(strings.ToLower(b.String())) {
		if f[0] == '@' || strings.HasPrefix(f, "http") {
			continue
		}
		for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' }) {
			set[strings.ReplaceAll(w, "’", "'")] = true
		}
	}
	return set
}

// readSemEvalTrain reads the 48,216 English SemEval 2013–2016 training
// tweets of the shared data (see its README for how they were built).
func readSemEvalTrain(t *testing.T) []Example {
	t.Helper()
	e, err := ReadTweetEval(testdata.Path(t, "sentiment", "semeval2017_en_train_text.txt"), "", "en")
	if err != nil {
		t.Fatal(err)
	}
	var count [nClass]int
	for _, x := range e {
		count[x.Label-Negative]++
	}
	if len(e) != 48216 || count != [nClass]int{7500, 21637, 19079} {
		t.Fatalf("SemEval training tweets: %d %v, want 48216 [7500 21637 19079]", len(e), count)
	}
	return e
}

// readWrittenPosts reads the English posts written for this project
// (testdata/posts_en/*.csv, columns label and text) in file and line order.
func readWrittenPosts(t *testing.T) []Example {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "posts_en", "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no written posts in testdata/posts_en (%v)", err)
	}
	var out []Example
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		exs, err := ReadCSV(bytes.NewReader(b), "en")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, exs...)
	}
	return out
}

// TestWrittenPosts checks the written training posts: every one labelled,
// none twice (compared without case and spacing), every class a fair share.
func TestWrittenPosts(t *testing.T) {
	exs := readWrittenPosts(t)
	seen := map[string]bool{}
	var count [nClass]int
	for _, e := range exs {
		if e.Label == NotScored || strings.TrimSpace(e.Text) == "" {
			t.Errorf("unlabelled or empty post %q", e.Text)
			continue
		}
		k := strings.ToLower(strings.Join(strings.Fields(e.Text), " "))
		if seen[k] {
			t.Errorf("post written twice: %q", e.Text)
		}
		seen[k] = true
		count[e.Label-Negative]++
	}
	for c, n := range count {
		if n < len(exs)/4 {
			t.Errorf("class %d has %d of %d posts", c, n, len(exs))
		}
	}
}

// withWeights returns the sources with the weights of cfg (the featurised
// examples are shared).
func withWeights(srcs []source, lang string, cfg trainConfig) []source {
	out := append([]source(nil), srcs...)
	if lang == "en" {
		out[srcSemEval].weight, out[srcMovie].weight, out[srcNYT].weight = cfg.semW, cfg.movieW, 1
		out[srcSB10kDE].weight, out[srcWritten].weight = cfg.tweetW, cfg.postW
	}
	return out
}

func readSB10kTrain(t *testing.T) []Example {
	e, err := ReadTweetEval(testdata.Path(t, "sentiment", "umsab_german_sb10k_train_text.txt"), "", "de")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func featurise(s *Scorer, lang string, mode uint8, exs []Example) []trainExample {
	l := s.langs[lang]
	out := make([]trainExample, 0, len(exs))
	sc := new(scratch)
	for _, ex := range exs {
		te := trainExample{value: ex.Value, hasValue: ex.HasValue}
		sc.toks.tokenize(clip(ex.Text), &s.emo)
		rr := l.lex.apply(sc, l.foreign)
		denseFeatures(&te.dense, &sc.toks, &rr)
		te.feats = hashFeatures(nil, sc, l.lex, mode)
		te.label = int(ex.Label - Negative)
		out = append(out, te)
	}
	return out
}

// pool returns the weighted training examples of the sources; with fold ≥
// 0 it leaves out the examples of that fold (index mod cvFolds).
func pool(srcs []source, fold int) []trainExample {
	var out []trainExample
	for _, src := range srcs {
		if src.weight == 0 {
			continue
		}
		for i, e := range src.exs {
			if fold >= 0 && i%cvFolds == fold {
				continue
			}
			e.weight = src.weight
			out = append(out, e)
		}
	}
	return out
}

// trainLR fits a multinomial logistic regression with AdaGrad, each class
// weighted by the inverse of its (weighted) frequency to the power
// cfg.prior (1: a uniform class prior, the objective that macro-F1
// rewards).
func trainLR(exs []trainExample, cfg trainConfig, seed uint64) *linearModel {
	var count [nClass]float64
	var total float64
	for _, e := range exs {
		count[e.label] += e.weight
		total += e.weight
	}
	var cw [nClass]float64
	for c := range nClass {
		if count[c] > 0 {
			cw[c] = math.Pow(total/(nClass*count[c]), cfg.prior)
		}
	}
	var w, gw []float64
	if cfg.mode != hashNone {
		w = make([]float64, hashSize*nClass)
		gw = make([]float64, hashSize*nClass)
	}
	var bias, gb [nClass]float64
	var dense, gd [nDense][nClass]float64
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0x5e17))
	const eps = 1e-8
	for range cfg.epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := &exs[i]
			var z [nClass]float64
			for c := range nClass {
				z[c] = bias[c]
				for j, x := range e.dense {
					z[c] += dense[j][c] * x
				}
			}
			if w != nil {
				for _, f := range e.feats {
					for c := range nClass {
						z[c] += w[int(f)*nClass+c]
					}
				}
			}
			p := softmax(z)
			for c := range nClass {
				g := p[c]
				if c == e.label {
					g -= 1
				}
				g *= cw[e.label] * e.weight
				gb[c] += g * g
				bias[c] -= cfg.rate * g / math.Sqrt(gb[c]+eps)
				for j, x := range e.dense {
					gj := g*x + cfg.l2Dense*dense[j][c]
					gd[j][c] += gj * gj
					dense[j][c] -= cfg.rate * gj / math.Sqrt(gd[j][c]+eps)
				}
				if w == nil {
					continue
				}
				for _, f := range e.feats {
					k := int(f)*nClass + c
					gk := g + cfg.l2*w[k]
					gw[k] += gk * gk
					w[k] -= cfg.rate * gk / math.Sqrt(gw[k]+eps)
				}
			}
		}
	}
	m := &linearModel{mode: cfg.mode, calA: 1}
	if w != nil {
		m.w = make([]float32, len(w))
	}
	for c := range nClass {
		m.bias[c] = float32(bias[c])
		for j := range nDense {
			m.dense[j][c] = float32(dense[j][c])
		}
	}
	for k := range m.w {
		m.w[k] = float32(w[k])
	}
	return m
}

// evalResult is how a model does on some examples.
type evalResult struct {
	acc, f1 float64
	pearson float64 // of P(pos) − P(neg) with the gold mean rating, if any
}

func evaluateLR(m *linearModel, exs []trainExample) evalResult {
	var conf [nClass][nClass]int
	var xs, ys []float64
	for i := range exs {
		e := &exs[i]
		p := m.predict(&e.dense, e.feats)
		best := 0
		for c := 1; c < nClass; c++ {
			if p[c] > p[best] {
				best = c
			}
		}
		conf[e.label][best]++
		if e.hasValue {
			xs = append(xs, p[2]-p[0])
			ys = append(ys, e.value)
		}
	}
	var r evalResult
	correct := 0
	for c := range nClass {
		tp := conf[c][c]
		correct += tp
		var sup, pred int
		for k := range nClass {
			sup += conf[c][k]
			pred += conf[k][c]
		}
		if sup > 0 && pred > 0 && tp > 0 {
			p, rc := float64(tp)/float64(pred), float64(tp)/float64(sup)
			r.f1 += 2 * p * rc / (p + rc) / nClass
		}
	}
	r.acc = float64(correct) / float64(len(exs))
	r.pearson = pearson(xs, ys)
	return r
}

// cvResult is the cross-validation of one configuration: per source the
// mean over the folds of the held-out figures.
type cvResult struct {
	perSource []evalResult
	score     float64          // the selection criterion: the sources' macro-F1 weighed by their crit
	folds     [cvFolds]float64 // the criterion on each fold
	pearson   float64          // mean held-out Pearson r over the sources with ratings
	// oof are the out-of-fold predictions on the calibrating source: the
	// probability of the chosen class and whether it was right.
	oof []calPoint
}

// calPoint is one prediction: the model's probability of the class it
// chose, and whether that class was the gold one.
type calPoint struct {
	p       float64
	correct bool
}

// crossValidate trains on all folds but one of every weighted source and
// measures on the held-out fold of every source, cvFolds times.
func crossValidate(srcs []source, cfg trainConfig) cvResult {
	res := cvResult{perSource: make([]evalResult, len(srcs))}
	for fold := range cvFolds {
		m := trainLR(pool(srcs, fold), cfg, 1)
		for si, src := range srcs {
			var held []trainExample
			for i := fold; i < len(src.exs); i += cvFolds {
				held = append(held, src.exs[i])
			}
			r := evaluateLR(m, held)
			res.folds[fold] += r.f1 * src.crit
			res.perSource[si].acc += r.acc / cvFolds
			res.perSource[si].f1 += r.f1 / cvFolds
			res.perSource[si].pearson += r.pearson / cvFolds
			if src.calibrate {
				for i := range held {
					p := m.predict(&held[i].dense, held[i].feats)
					best := argmax(p)
					res.oof = append(res.oof, calPoint{p[best], best == held[i].label})
				}
			}
		}
	}
	var np int
	for si, src := range srcs {
		res.score += res.perSource[si].f1 * src.crit
		if len(src.exs) > 0 && src.exs[0].hasValue {
			res.pearson += res.perSource[si].pearson
			np++
		}
	}
	if np > 0 {
		res.pearson /= float64(np)
	}
	return res
}

func argmax(p [nClass]float64) int {
	best := 0
	for c := 1; c < nClass; c++ {
		if p[c] > p[best] {
			best = c
		}
	}
	return best
}

// fitPlatt fits σ(a·logit(p) + b) to the correctness of the predictions:
// Newton's method on the log loss, each step halved until the loss falls.
func fitPlatt(pts []calPoint) (a, b float64) {
	loss := func(a, b float64) float64 {
		var l float64
		for _, q := range pts {
			z := a*plattLogit(q.p) + b
			if !q.correct {
				z = -z
			}
			l += math.Log1p(math.Exp(-z)) // −log σ(z)
		}
		return l
	}
	a = 1
	cur := loss(a, b)
	for range 100 {
		var ga, gb, haa, hab, hbb float64
		for _, q := range pts {
			x := plattLogit(q.p)
			f := 1 / (1 + math.Exp(-(a*x + b)))
			y := 0.0
			if q.correct {
				y = 1
			}
			ga += (f - y) * x
			gb += f - y
			w := f * (1 - f)
			haa += w * x * x
			hab += w * x
			hbb += w
		}
		det := haa*hbb - hab*hab
		if det <= 1e-12 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		step := 1.0
		for range 40 {
			if l := loss(a-step*da, b-step*db); l < cur {
				a, b, cur = a-step*da, b-step*db, l
				break
			}
			step /= 2
		}
		if step*(math.Abs(da)+math.Abs(db)) < 1e-9 {
			break
		}
	}
	return a, b
}

// plattLogit is the logit of p, with p kept within [1e-6, 1 − 1e-6] as
// linearModel.confidence keeps it.
func plattLogit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

// chooseCalibration fits the Platt calibration on the out-of-fold
// predictions and keeps it if it lowers the expected calibration error
// when cross-fitted (fitted on every other prediction and measured on the
// rest, both ways); otherwise the model's probability stays as it is
// (a 1, b 0).
func chooseCalibration(t *testing.T, lang string, oof []calPoint) (a, b float64) {
	var half [2][]calPoint
	for i, q := range oof {
		half[i%2] = append(half[i%2], q)
	}
	var raw, cal float64
	for h := range 2 {
		ha, hb := fitPlatt(half[h])
		m := &linearModel{calA: float32(ha), calB: float32(hb)}
		raw += eceOf(half[1-h], func(p float64) float64 { return p }) / 2
		cal += eceOf(half[1-h], m.confidence) / 2
	}
	a, b = fitPlatt(oof)
	keep := cal < raw
	t.Logf("%s: calibration on %d out-of-fold predictions: σ(%.4f·logit(p) %+.4f); cross-fitted ECE %.4f uncalibrated, %.4f calibrated: keep %v",
		lang, len(oof), a, b, raw, cal, keep)
	if !keep {
		return 1, 0
	}
	return a, b
}

// eceOf is the expected calibration error of predictions whose confidence
// is conf(p): see [Report].ECE for the bins.
func eceOf(pts []calPoint, conf func(float64) float64) float64 {
	var c calBins
	for _, q := range pts {
		c.add(conf(q.p), q.correct)
	}
	return c.ece()
}

func (r cvResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "criterion %.4f [", r.score)
	for i, p := range r.perSource {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%.3f", p.f1)
	}
	fmt.Fprintf(&b, "]")
	if r.pearson != 0 {
		fmt.Fprintf(&b, " r %.3f", r.pearson)
	}
	return b.String()
}

func TestTrain(t *testing.T) {
	if !*flagTrain {
		t.Skip("training runs with -train")
	}
	for _, lang := range splitComma(*flagLang) {
		cfg := trainConfigs[lang]
		s := newUntrained(cfg.rules)
		srcs := trainingSources(t, s, lang, cfg)
		r := crossValidate(srcs, cfg)
		for i, src := range srcs {
			p := r.perSource[i]
			t.Logf("%s: %d-fold CV on %s (%d): accuracy %.3f macro-F1 %.3f Pearson r %.3f", lang, cvFolds, src.name, len(src.exs), p.acc, p.f1, p.pearson)
		}
		t.Logf("%s: CV %v", lang, r)
		ca, cb := chooseCalibration(t, lang, r.oof)
		m := trainLR(pool(srcs, -1), cfg, 1)
		m.name = "aftershock-" + lang + "@" + modelVersion
		m.calA, m.calB = float32(ca), float32(cb)
		for _, src := range srcs {
			r := evaluateLR(m, src.exs)
			t.Logf("%s: training figures on %s: accuracy %.3f macro-F1 %.3f", lang, src.name, r.acc, r.f1)
		}
		b := encodeModel(m)
		if err := os.WriteFile(fmt.Sprintf("model_%s.bin", lang), b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: wrote model_%s.bin (%d bytes)", lang, lang, len(b))
	}
}

// TestSelect chooses the settings of trainConfigs (and the English rule
// options, defaultENRules) by 5-fold cross-validation on the training
// sources only. The criterion is the held-out macro-F1 of the sources
// weighed by their crit: for English half the SemEval training tweets and
// half the mean of the movie, NYT and written-post sources (the SB-10k
// tweets, German text, are a training source to choose but not judged); for
// German the SB-10k training tweets. Stage 1 chooses the data and features
// with default optimiser settings, stage 2 the optimiser settings and the
// class prior for the stage-1 choice (English: epochs 4/8, L2 on hashed
// weights 1e-3/1e-2, prior 0.5/1; the step stays 0.1), stage 3 (English) the name rule. It
// prints the results and writes nothing; copy the choice into the code by
// hand.
func TestSelect(t *testing.T) {
	if !*flagTrain || !*flagSelect {
		t.Skip("selection runs with -train -select")
	}
	base := trainConfig{epochs: 8, rate: 0.1, l2: 1e-3, l2Dense: 1e-6, neutral: 0.5, prior: 1, semW: 1}
	modeName := [...]string{"all", "lexicon", "none", "chars"}
	for _, lang := range splitComma(*flagLang) {
		var best trainConfig
		bestScore := -1.0
		consider := func(cfg trainConfig, srcs []source, desc string) {
			r := crossValidate(withWeights(srcs, lang, cfg), cfg)
			t.Logf("%s: %s: %v", lang, desc, r)
			if r.score > bestScore {
				best, bestScore = cfg, r.score
			}
		}
		// Stage 1: data and features.
		if lang == "en" {
			// Without the name rule (stage 3 tries it); the common-word
			// rule stays off (see enCommonWords).
			rules := enRules{nameScale: 1}
			s := newUntrained(rules)
			for _, mode := range []uint8{hashAll, hashChars} {
				cfg := base
				cfg.rules, cfg.mode = rules, mode
				srcs := trainingSources(t, s, lang, cfg)
				for _, mw := range []float64{0, 0.5} {
					for _, tw := range []float64{0, 1} {
						for _, pw := range []float64{1, 2} {
							cfg.movieW, cfg.tweetW, cfg.postW = mw, tw, pw
							consider(cfg, srcs, fmt.Sprintf("mode %s movieW %.2f tweetW %.1f postW %.1f",
								modeName[mode], mw, tw, pw))
						}
					}
				}
			}
		} else {
			s := newUntrained(defaultENRules())
			for _, mode := range []uint8{hashAll, hashLexicon, hashNone} {
				cfg := base
				cfg.mode, cfg.rules = mode, defaultENRules()
				consider(cfg, trainingSources(t, s, lang, cfg), "mode "+modeName[mode])
			}
		}
		t.Logf("%s: stage 1 choice %+v (criterion %.4f)", lang, best, bestScore)
		// Stage 2: optimiser (and, for English, the class prior).
		stage1 := best
		s := newUntrained(stage1.rules)
		srcs := trainingSources(t, s, lang, stage1)
		if lang == "en" {
			for _, ep := range []int{4, 8} {
				for _, l2 := range []float64{1e-3, 1e-2} {
					for _, prior := range []float64{0.5, 1} {
						cfg := stage1
						cfg.epochs, cfg.l2, cfg.prior = ep, l2, prior
						consider(cfg, srcs, fmt.Sprintf("epochs %d l2 %g prior %.1f", ep, l2, prior))
					}
				}
			}
			// Stage 2b: an L2 at the edge of the grid is tried further out.
			for _, f := range []float64{3, 10} {
				if best.l2 != 1e-2 {
					break
				}
				cfg := best
				cfg.l2 *= f
				consider(cfg, srcs, fmt.Sprintf("epochs %d l2 %g prior %.1f", cfg.epochs, cfg.l2, cfg.prior))
			}
			best = selectRules(t, best)
		} else {
			l2s := []float64{1e-4, 1e-3, 1e-2}
			if stage1.mode == hashNone {
				l2s = l2s[1:2] // no hashed weights
			}
			for _, ep := range []int{4, 8, 16} {
				for _, rate := range []float64{0.05, 0.1, 0.2} {
					for _, l2 := range l2s {
						for _, l2d := range []float64{1e-6, 1e-3} {
							cfg := stage1
							cfg.epochs, cfg.rate, cfg.l2, cfg.l2Dense = ep, rate, l2, l2d
							consider(cfg, srcs, fmt.Sprintf("epochs %d rate %.2f l2 %g l2Dense %g", ep, rate, l2, l2d))
						}
					}
				}
			}
		}
		t.Logf("%s: choice %+v", lang, best)
	}
}

// selectRules is stage 3 of the English selection: the optional name rule
// of the rule layer (names weigh 0.3) is used only if, on the chosen
// settings, it beats leaving it out by more than one standard error of the
// paired differences over the folds. A rule must earn its place; a
// difference within the noise of the folds leaves it out. (The common-word
// rule is not a candidate: see enCommonWords.)
func selectRules(t *testing.T, cfg trainConfig) trainConfig {
	cv := func(c trainConfig) cvResult {
		return crossValidate(trainingSources(t, newUntrained(c.rules), "en", c), c)
	}
	with, without := cfg, cfg
	with.rules.nameScale, without.rules.nameScale = 0.3, 1
	a, b := cv(with), cv(without)
	var d [cvFolds]float64
	var mean, ss float64
	for i := range cvFolds {
		d[i] = a.folds[i] - b.folds[i]
		mean += d[i] / cvFolds
	}
	for i := range cvFolds {
		ss += (d[i] - mean) * (d[i] - mean)
	}
	se := math.Sqrt(ss / (cvFolds - 1) / cvFolds)
	keep := mean > se
	t.Logf("en: rule names: with %.4f, without %.4f, paired difference %+.4f ± %.4f (SE; folds %+.4f): keep %v",
		a.score, b.score, mean, se, d, keep)
	if keep {
		return with
	}
	return without
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// trainLangID writes langid.bin: the English-German trigram log ratios,
// English from the VADER movie and NYT snippets and the SemEval training
// tweets (which teach it that "lol", "omg" and "nice" are English too),
// German from the SB-10k training tweets.
func trainLangID(t *testing.T) []byte {
	var en, de []string
	for _, f := range []string{"vader_movieReviewSnippets_GroundTruth.txt", "vader_nytEditorialSnippets_GroundTruth.txt"} {
		exs, err := ReadVADERGroundTruth(testdata.Path(t, "sentiment", f), "en")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range exs {
			en = append(en, e.Text)
		}
	}
	for _, e := range readSemEvalTrain(t) {
		en = append(en, e.Text)
	}
	for _, e := range readSB10kTrain(t) {
		de = append(de, e.Text)
	}
	count := func(texts []string) ([]float64, float64) {
		c := make([]float64, langBuckets)
		var n float64
		for _, text := range texts {
			for _, f := range strings.Fields(text) {
				if f[0] == '@' || f[0] == '#' || strings.Contains(f, "://") || strings.HasPrefix(f, "http") {
					continue
				}
				for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
					w = strings.ReplaceAll(strings.ToLower(w), "’", "'")
					rs := append(append([]rune{'^'}, []rune(w)...), '$')
					for i := 0; i+2 < len(rs); i++ {
						c[trigramBucket(rs[i], rs[i+1], rs[i+2])]++
						n++
					}
				}
			}
		}
		return c, n
	}
	ce, ne := count(en)
	cd, nd := count(de)
	b := make([]byte, langBuckets)
	for i := range b {
		pe := (ce[i] + 0.5) / (ne + 0.5*langBuckets)
		pd := (cd[i] + 0.5) / (nd + 0.5*langBuckets)
		v := math.Round(16 * math.Log(pe/pd))
		v = math.Max(-127, math.Min(127, v))
		b[i] = byte(int8(v))
	}
	return b
}

func TestTrainLangID(t *testing.T) {
	if !*flagTrain {
		t.Skip("training runs with -train")
	}
	if err := os.WriteFile("langid.bin", trainLangID(t), 0o644); err != nil {
		t.Fatal(err)
	}
}
