package spike

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
)

// TestEvaluateNAB holds Detect to what the package doc claims. The goal in
// the issue (≥ 80% of windows at ≤ 1 false alarm per series-week, and more
// windows than the z-score) is not met; see the package doc.
func TestEvaluateNAB(t *testing.T) {
	r, err := Evaluate(testdata.Path(t, "volume"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + buf.String())
	for _, name := range []string{"AAPL", "CRM", "CVS", "IBM", "KO", "PFE", "overall", "held out", "tuned on"} {
		if !strings.Contains(buf.String(), name) {
			t.Errorf("table lacks %q", name)
		}
	}
	if len(r.Series) != 6 || r.Overall.Ours.Windows != 19 || r.Overall.ZScore.Windows != 19 {
		t.Fatalf("series %d, windows %d", len(r.Series), r.Overall.Ours.Windows)
	}
	o, z := r.Overall.Ours, r.Overall.ZScore
	if o.FalsePerWeek() > 1.5 || o.FalsePerWeek()*10 > z.FalsePerWeek() {
		t.Errorf("false alarms per week: ours %.2f, z-score %.2f", o.FalsePerWeek(), z.FalsePerWeek())
	}
	if o.Share() < 0.65 {
		t.Errorf("windows found: ours %.0f%%", 100*o.Share())
	}
	if h := r.HeldOut.Ours; h.Share() < 0.4 || h.FalsePerWeek() > 1.5 {
		t.Errorf("held out: %.0f%% at %.2f/week", 100*h.Share(), h.FalsePerWeek())
	}
	if o.Found > z.Found {
		t.Logf("ours found more windows than the z-score")
	} else {
		t.Logf("the z-score found %d windows, ours %d (at %.1f× fewer false alarms)", z.Found, o.Found, z.FalsePerWeek()/o.FalsePerWeek())
	}
}

func FuzzParseNAB(f *testing.F) {
	f.Add([]byte("timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,100\n2015-02-26 21:57:53,3\n"))
	f.Add([]byte("timestamp,value\n2015-02-26 21:42:53,1\n"))
	f.Add([]byte("timestamp,value\n2015-02-26 21:42:53,1\n2015-02-26 21:42:53,1\n"))
	f.Add([]byte("timestamp,value\n2015-02-26 21:42:53,1\n2099-02-26 21:42:54,1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseNAB(bytes.NewReader(b))
		if err != nil {
			return
		}
		if s.Step <= 0 || s.Len() == 0 || s.Len() > maxNABBuckets {
			t.Fatalf("step %s len %d", s.Step, s.Len())
		}
		if s.Len() <= 5000 { // Detect costs about 20 µs a bucket
			checkSpikes(t, s, Detect(s, Options{}))
		}
	})
}
