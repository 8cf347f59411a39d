package sentiment

import (
	"fmt"
	"strings"
)

// Label is the class of a [Score]. The zero value is NotScored.
type Label int8

// Labels. NotScored is the zero value: a Score nobody computed says so.
const (
	NotScored Label = iota // the text was not scored (language not supported, nothing to score)
	Negative
	Neutral
	Positive
)

var labelNames = [...]string{NotScored: "not_scored", Negative: "negative", Neutral: "neutral", Positive: "positive"}

// String returns "negative", "neutral", "positive" or "not_scored".
func (l Label) String() string {
	if l < 0 || int(l) >= len(labelNames) {
		return fmt.Sprintf("Label(%d)", int8(l))
	}
	return labelNames[l]
}

// ParseLabel reads a label as String writes it, and also the usual
// abbreviations ("neg", "neu", "pos") and signs ("-1", "0", "1", "-", "+").
// Case and surrounding space do not matter.
func ParseLabel(s string) (Label, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "negative", "neg", "-1", "-":
		return Negative, nil
	case "neutral", "neu", "0", "none":
		return Neutral, nil
	case "positive", "pos", "1", "+1", "+":
		return Positive, nil
	case "not_scored", "notscored", "not scored", "":
		return NotScored, nil
	}
	return NotScored, fmt.Errorf("sentiment: unknown label %q", s)
}

// Score is the sentiment of one text.
type Score struct {
	// Compound is the polarity in [-1, 1]: below zero negative, above
	// positive. It is 0 when Label is NotScored.
	Compound float64
	// Label is the class the model chose (see the package doc for the
	// decision rule of each model).
	Label Label
	// Confidence in [0, 1] is the probability that Label is right,
	// calibrated on held-out training tweets (see the package doc): of
	// posts scored with Confidence 0.8, about 80 % have that label. It is
	// 0 when Label is NotScored.
	Confidence float64
	// Model names the model and its version, "name@version"; empty when
	// Label is NotScored because no model applies.
	Model string
}

// LabelOf turns a compound score into a label with VADER's rule: at least
// 0.05 is positive, at most -0.05 negative, anything between neutral.
func LabelOf(compound float64) Label {
	switch {
	case compound >= 0.05:
		return Positive
	case compound <= -0.05:
		return Negative
	}
	return Neutral
}

// Analyzer is anything that scores texts: [*Scorer] and the [*VADER]
// baseline. Evaluate takes one, so both can be measured the same way.
type Analyzer interface {
	Score(text, lang string) Score
}

var (
	_ Analyzer = (*Scorer)(nil)
	_ Analyzer = (*VADER)(nil)
)
