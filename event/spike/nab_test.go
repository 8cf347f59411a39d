package spike

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
)

// TestEvaluateNAB holds Detect to what the package doc claims: in-sample
// (defaults chosen on all six series) 16 of 19 windows at ≤ 1 false alarm
// per series-week, cross-validated 15 of 19. The z-score still finds more
// windows (all 19), at about 27 times the false alarms.
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
	for _, name := range []string{"AAPL", "CRM", "CVS", "IBM", "KO", "PFE", "overall", "first half", "second half", "cross-validated", "without PFE"} {
		if !strings.Contains(buf.String(), name) {
			t.Errorf("table lacks %q", name)
		}
	}
	if len(r.Series) != 6 || r.Overall.Ours.Windows != 19 || r.Overall.ZScore.Windows != 19 || len(r.Folds) != 6 {
		t.Fatalf("series %d, windows %d, folds %d", len(r.Series), r.Overall.Ours.Windows, len(r.Folds))
	}
	o, z, cv := r.Overall.Ours, r.Overall.ZScore, r.CrossValidated.Ours
	if o.Found < 16 || o.FalsePerWeek() > 1 {
		t.Errorf("in-sample: %d/19 at %.2f/week, want ≥ 16 at ≤ 1", o.Found, o.FalsePerWeek())
	}
	if cv.Windows != 19 || cv.Found < 15 || cv.FalsePerWeek() > 1 {
		t.Errorf("cross-validated: %d/%d at %.2f/week, want ≥ 15 at ≤ 1", cv.Found, cv.Windows, cv.FalsePerWeek())
	}
	if o.FalsePerWeek()*20 > z.FalsePerWeek() {
		t.Errorf("false alarms per week: ours %.2f, z-score %.2f", o.FalsePerWeek(), z.FalsePerWeek())
	}
	// At the same false-alarm budget ours finds more windows than the
	// z-score does.
	if m := r.MatchedZ; r.MatchedZThreshold == 0 || m.FalsePerWeek() > o.FalsePerWeek() || m.Found >= o.Found {
		t.Errorf("z-score at z ≥ %g: %d windows at %.2f/week; ours %d at %.2f", r.MatchedZThreshold, m.Found, m.FalsePerWeek(), o.Found, o.FalsePerWeek())
	}
	// PFE's slow rises were all missed by the burst detector alone.
	if pfe := r.Series[5]; pfe.Name != "PFE" || pfe.Ours.Found < 3 {
		t.Errorf("%s: %d windows", pfe.Name, pfe.Ours.Found)
	}
	if burst := scoreAll(t, Options{SlowSmooth: -1}); burst.Found >= o.Found {
		t.Errorf("the burst detector alone finds %d windows, with the slow one %d", burst.Found, o.Found)
	}
	if o.Found > z.Found {
		t.Logf("ours found more windows than the z-score")
	} else {
		t.Logf("the z-score found %d windows, ours %d (at %.1f× fewer false alarms)", z.Found, o.Found, z.FalsePerWeek()/o.FalsePerWeek())
	}
}

// scoreAll runs Detect with o on the six NAB series and pools the scores.
func scoreAll(t *testing.T, o Options) Score {
	t.Helper()
	dir := testdata.Path(t, "volume")
	wins, err := readWindows(filepath.Join(dir, "nab_realTweets_windows.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tot Score
	for _, name := range append(nabTuned(), nabHeld()...) {
		s, err := ReadNAB(filepath.Join(dir, "nab_realTweets_Twitter_volume_"+name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		tot = tot.add(scoreSpikes(s, wins["realTweets/Twitter_volume_"+name+".csv"], Detect(s, o)))
	}
	return tot
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
		if s.Len() <= 5000 { // Detect costs about 1.3 µs a bucket
			checkSpikes(t, s, Detect(s, Options{}))
		}
	})
}
