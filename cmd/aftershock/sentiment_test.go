package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSentimentEval runs "sentiment eval" on a small labelled CSV file
// written here: ours and VADER side by side, with calibration.
func TestSentimentEval(t *testing.T) {
	f := filepath.Join(t.TempDir(), "labelled.csv")
	csv := "text,label,lang\n" +
		"\"The app is down again, nothing loads. Useless!\",negative,en\n" +
		"\"Thanks, everything works again :)\",positive,en\n" +
		"\"The release is scheduled for Tuesday\",neutral,en\n" +
		"\"Läuft wieder, danke!\",positive,de\n"
	if err := os.WriteFile(f, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "", "sentiment", "eval", "--format", "csv", f)
	if code != 0 {
		t.Fatalf("sentiment eval: %d %s", code, errOut)
	}
	for _, want := range []string{": 4 examples", "aftershock-en@", "vader-govader@", "macro-F1", "calibration ECE"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`calibration ECE +0\.\d{3} \(n=4\) +\d\.\d{3} \(n=4\)`).MatchString(out) {
		t.Errorf("calibration row:\n%s", out)
	}
}

// TestStatsUnscored: stats says how many posts stay unscored, and why.
func TestStatsUnscored(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	f := filepath.Join(t.TempDir(), "posts.jsonl")
	// Twitter v1 tweets written for this test: English, German, a short
	// English one, French (no model) and one without letters.
	lines := []string{
		`{"id_str":"1","created_at":"Mon Jan 02 10:00:00 +0000 2023","text":"The site has been down all morning, nothing loads","lang":"en","user":{"id_str":"9","screen_name":"a"}}`,
		`{"id_str":"2","created_at":"Mon Jan 02 10:01:00 +0000 2023","text":"Die Seite geht wieder, danke an das Team","lang":"de","user":{"id_str":"9","screen_name":"a"}}`,
		`{"id_str":"3","created_at":"Mon Jan 02 10:02:00 +0000 2023","text":"@VirginAmerica you suck!","user":{"id_str":"9","screen_name":"a"}}`,
		`{"id_str":"4","created_at":"Mon Jan 02 10:03:00 +0000 2023","text":"Le service est en panne depuis ce matin, je ne peux pas me connecter","user":{"id_str":"9","screen_name":"a"}}`,
		`{"id_str":"5","created_at":"Mon Jan 02 10:04:00 +0000 2023","text":"https://example.com/x","user":{"id_str":"9","screen_name":"a"}}`,
	}
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := cli(t, "", "--data", data, "import", f); code != 0 {
		t.Fatalf("import: %s%s", out, errOut)
	}
	code, out, errOut := cli(t, "", "--data", data, "stats")
	if code != 0 {
		t.Fatalf("stats: %s", errOut)
	}
	if !strings.Contains(out, "unscored        2 posts (1 without a language, 1 in a language without a model)") {
		t.Errorf("stats:\n%s", out)
	}
}
