package sentiment

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Example is one labelled text for [Evaluate].
type Example struct {
	Text string
	// Lang is the language tag of Text; empty means [DetectLanguage] decides.
	Lang string
	// Label is the gold class; NotScored when the example only has a Value.
	Label Label
	// Value is a gold continuous score (VADER's ground truth: the mean of
	// human ratings in [-4, 4]); used when HasValue.
	Value    float64
	HasValue bool
}

// ClassReport is precision, recall and F1 of one class.
type ClassReport struct {
	Label     Label
	Support   int // gold examples of this class
	Predicted int // examples predicted as this class
	Precision float64
	Recall    float64
	F1        float64
}

// Report is the result of [Evaluate].
type Report struct {
	Model string // the Model of the first scored example
	N     int    // examples
	// Labelled is how many examples carry a gold Label; the class figures
	// below are over these. A NotScored prediction counts as wrong.
	Labelled  int
	NotScored int // examples the model did not score
	Accuracy  float64
	MacroF1   float64 // mean F1 of Negative, Neutral and Positive
	Classes   [3]ClassReport
	// Confusion[gold][predicted], indexed by Label (NotScored is 0).
	Confusion [4][4]int
	// Pearson is the correlation of Compound with Value over the examples
	// that carry a Value and were scored; PearsonN counts them.
	Pearson  float64
	PearsonN int
	// ECE is the expected calibration error of Confidence over the
	// labelled examples the model scored (ECEN of them): the examples are
	// put in ten equal-width bins of Confidence, and ECE is the mean over
	// the bins, weighed by their size, of |accuracy − mean Confidence|.
	// 0 is perfect: a post scored with Confidence 0.8 is right 80 % of the
	// time.
	ECE  float64
	ECEN int
}

// Evaluate scores every example with a and compares with the gold labels and
// values. Examples without a Lang have it found by [GuessLanguage], as the
// archive's posts have.
func Evaluate(a Analyzer, examples []Example) Report {
	var r Report
	r.N = len(examples)
	var xs, ys []float64
	var cal calBins
	for _, ex := range examples {
		lang := ex.Lang
		if lang == "" {
			lang, _ = GuessLanguage(ex.Text, "")
		}
		sc := a.Score(ex.Text, lang)
		if r.Model == "" {
			r.Model = sc.Model
		}
		if sc.Label == NotScored {
			r.NotScored++
		}
		if ex.Label >= Negative && ex.Label <= Positive {
			r.Labelled++
			p := sc.Label
			if p < NotScored || p > Positive {
				p = NotScored
			}
			r.Confusion[ex.Label][p]++
			if p != NotScored {
				cal.add(sc.Confidence, p == ex.Label)
				r.ECEN++
			}
		}
		if ex.HasValue && sc.Label != NotScored {
			xs = append(xs, sc.Compound)
			ys = append(ys, ex.Value)
		}
	}
	if r.Labelled > 0 {
		correct := 0
		for i, l := range []Label{Negative, Neutral, Positive} {
			c := ClassReport{Label: l}
			for p := range 4 {
				c.Support += r.Confusion[l][p]
			}
			for g := range 4 {
				c.Predicted += r.Confusion[g][l]
			}
			tp := r.Confusion[l][l]
			correct += tp
			if c.Predicted > 0 {
				c.Precision = float64(tp) / float64(c.Predicted)
			}
			if c.Support > 0 {
				c.Recall = float64(tp) / float64(c.Support)
			}
			if c.Precision+c.Recall > 0 {
				c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
			}
			r.Classes[i] = c
			r.MacroF1 += c.F1 / 3
		}
		r.Accuracy = float64(correct) / float64(r.Labelled)
	}
	r.Pearson, r.PearsonN = pearson(xs, ys), len(xs)
	r.ECE = cal.ece()
	return r
}

func pearson(xs, ys []float64) float64 {
	n := float64(len(xs))
	if len(xs) < 2 {
		return 0
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

// WriteReports prints reports side by side, one column per model (for
// example ours and the VADER baseline over the same examples).
func WriteReports(w io.Writer, reports ...Report) error {
	var b bytes.Buffer
	row := func(name string, f func(Report) string) {
		fmt.Fprintf(&b, "%-22s", name)
		for _, r := range reports {
			fmt.Fprintf(&b, " %28s", f(r))
		}
		b.WriteByte('\n')
	}
	row("model", func(r Report) string { return r.Model })
	row("examples", func(r Report) string { return strconv.Itoa(r.N) })
	row("not scored", func(r Report) string { return strconv.Itoa(r.NotScored) })
	labelled := false
	for _, r := range reports {
		labelled = labelled || r.Labelled > 0
	}
	if labelled {
		row("accuracy", func(r Report) string { return fmt.Sprintf("%.3f", r.Accuracy) })
		row("macro-F1", func(r Report) string { return fmt.Sprintf("%.3f", r.MacroF1) })
		for i := range 3 {
			name := reports[0].Classes[i].Label.String()
			row(name+" P/R/F1", func(r Report) string {
				c := r.Classes[i]
				return fmt.Sprintf("%.3f/%.3f/%.3f", c.Precision, c.Recall, c.F1)
			})
		}
		for _, g := range []Label{Negative, Neutral, Positive} {
			row("gold "+g.String(), func(r Report) string {
				c := r.Confusion[g]
				return fmt.Sprintf("neg %d neu %d pos %d -- %d", c[Negative], c[Neutral], c[Positive], c[NotScored])
			})
		}
	}
	if labelled {
		row("calibration ECE", func(r Report) string { return fmt.Sprintf("%.3f (n=%d)", r.ECE, r.ECEN) })
	}
	if reports[0].PearsonN > 0 || (len(reports) > 1 && reports[1].PearsonN > 0) {
		row("Pearson r", func(r Report) string { return fmt.Sprintf("%.3f (n=%d)", r.Pearson, r.PearsonN) })
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ReadTweetEval reads a TweetEval-format split: one text per line in
// textPath and one label per line in labelsPath, 0 negative, 1 neutral,
// 2 positive. The UMSAB/XLM-T German SB-10k files have the same format. An
// empty labelsPath is textPath with "text" in its file name replaced by
// "labels" (val_text.txt → val_labels.txt). lang is the Lang of every
// example ("" to detect each).
func ReadTweetEval(textPath, labelsPath, lang string) ([]Example, error) {
	if labelsPath == "" {
		dir, base := filepath.Split(textPath)
		i := strings.LastIndex(base, "text")
		if i < 0 {
			return nil, fmt.Errorf("sentiment: cannot derive the labels file from %s (no \"text\" in its name)", textPath)
		}
		labelsPath = dir + base[:i] + "labels" + base[i+len("text"):]
	}
	texts, err := readLines(textPath)
	if err != nil {
		return nil, err
	}
	labels, err := readLines(labelsPath)
	if err != nil {
		return nil, err
	}
	if len(texts) != len(labels) {
		return nil, fmt.Errorf("sentiment: %s has %d lines but %s has %d", textPath, len(texts), labelsPath, len(labels))
	}
	out := make([]Example, 0, len(texts))
	for i, t := range texts {
		var l Label
		switch strings.TrimSpace(labels[i]) {
		case "0":
			l = Negative
		case "1":
			l = Neutral
		case "2":
			l = Positive
		default:
			return nil, fmt.Errorf("sentiment: %s:%d: label %q is not 0, 1 or 2", labelsPath, i+1, labels[i])
		}
		out = append(out, Example{Text: t, Lang: lang, Label: l})
	}
	return out, nil
}

// readLines reads a file's lines without their line ends ("\n" or "\r\n").
// A final empty line (the file ends with a newline) is not a line.
func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sentiment: %s: %w", path, err)
	}
	return lines, nil
}

// ReadVADERGroundTruth reads one of VADER's ground-truth files (Hutto &
// Gilbert 2014): tab-separated "id, mean human rating in [-4, 4], text",
// CRLF or LF line ends, blank lines skipped. The examples carry a Value and
// no Label; lang is their Lang ("en" for VADER's files).
func ReadVADERGroundTruth(path, lang string) ([]Example, error) {
	lines, err := readLines(path)
	if err != nil {
		return nil, err
	}
	var out []Example
	for i, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		parts := strings.SplitN(ln, "\t", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("sentiment: %s:%d: want id, score and text separated by tabs", path, i+1)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("sentiment: %s:%d: score %q is not a number", path, i+1, parts[1])
		}
		out = append(out, Example{Text: parts[2], Lang: lang, Value: v, HasValue: true})
	}
	return out, nil
}

// ReadCSV reads labelled examples from CSV with a header row. Columns, by
// header name (case-insensitive): "text" (required), "label" (negative,
// neutral, positive or as [ParseLabel] reads them), "score" (a gold
// continuous value) and "lang"; every row needs a label or a score. lang is
// the Lang of rows without a lang cell.
func ReadCSV(r io.Reader, lang string) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("sentiment: csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	ti, ok := col["text"]
	if !ok {
		return nil, errors.New(`sentiment: csv has no "text" column`)
	}
	li, hasLabel := col["label"]
	si, hasScore := col["score"]
	gi, hasLang := col["lang"]
	if !hasLabel && !hasScore {
		return nil, errors.New(`sentiment: csv has neither a "label" nor a "score" column`)
	}
	cell := func(rec []string, i int) string {
		if i < len(rec) {
			return rec[i]
		}
		return ""
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("sentiment: csv: %w", err)
		}
		ex := Example{Text: cell(rec, ti), Lang: lang}
		if hasLang && strings.TrimSpace(cell(rec, gi)) != "" {
			ex.Lang = strings.TrimSpace(cell(rec, gi))
		}
		if hasLabel {
			if ex.Label, err = ParseLabel(cell(rec, li)); err != nil {
				return nil, fmt.Errorf("sentiment: csv line %d: %w", line, err)
			}
		}
		if hasScore && strings.TrimSpace(cell(rec, si)) != "" {
			v, err := strconv.ParseFloat(strings.TrimSpace(cell(rec, si)), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("sentiment: csv line %d: score %q is not a number", line, cell(rec, si))
			}
			ex.Value, ex.HasValue = v, true
		}
		if ex.Label == NotScored && !ex.HasValue {
			return nil, fmt.Errorf("sentiment: csv line %d: no label and no score", line)
		}
		if !utf8.ValidString(ex.Text) {
			ex.Text = strings.ToValidUTF8(ex.Text, "\uFFFD")
		}
		out = append(out, ex)
	}
	return out, nil
}

// calBinCount is the number of equal-width confidence bins of the expected
// calibration error.
const calBinCount = 10

// calBins accumulates predictions for the expected calibration error.
type calBins struct {
	n       [calBinCount]int
	conf    [calBinCount]float64
	correct [calBinCount]int
}

func (c *calBins) add(conf float64, correct bool) {
	if math.IsNaN(conf) {
		return
	}
	i := min(max(int(conf*calBinCount), 0), calBinCount-1)
	c.n[i]++
	c.conf[i] += conf
	if correct {
		c.correct[i]++
	}
}

// ece is Σ over bins of (bin size / total) × |accuracy − mean confidence|.
func (c *calBins) ece() float64 {
	total := 0
	for _, n := range c.n {
		total += n
	}
	if total == 0 {
		return 0
	}
	var e float64
	for i, n := range c.n {
		if n > 0 {
			e += math.Abs(float64(c.correct[i])-c.conf[i]) / float64(total)
		}
	}
	return e
}
