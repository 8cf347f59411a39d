package sentiment

import (
	"math"

	"github.com/jonreiter/govader"
)

// VADERModel is the Model string of the [VADER] baseline: govader at the
// module version this package is built with.
const VADERModel = "vader-govader@v0.0.0-20250429093935-f6505c8d03cc"

// VADER is plain VADER (github.com/jonreiter/govader, a port of Hutto &
// Gilbert's vaderSentiment) behind the [Analyzer] interface, as the baseline
// that evaluations print beside [Scorer]. It scores every text as English,
// whatever lang says, as VADER does; Label comes from Compound with VADER's
// ±0.05 rule ([LabelOf]) and Confidence is |Compound|.
//
// It is a baseline, not a production scorer: it is several times slower than
// Scorer and knows no German. Safe for concurrent use.
type VADER struct {
	sia *govader.SentimentIntensityAnalyzer
}

// NewVADER loads govader's lexicon (about 20 ms).
func NewVADER() *VADER {
	return &VADER{sia: govader.NewSentimentIntensityAnalyzer()}
}

// Score implements [Analyzer]. Empty or blank text and text that govader
// cannot handle are NotScored.
func (v *VADER) Score(text, lang string) (sc Score) {
	text = clip(text)
	if isBlank(text) {
		return Score{}
	}
	defer func() {
		if recover() != nil {
			sc = Score{}
		}
	}()
	c := v.sia.PolarityScores(text).Compound
	if math.IsNaN(c) {
		return Score{}
	}
	return Score{Compound: c, Label: LabelOf(c), Confidence: math.Abs(c), Model: VADERModel}
}
