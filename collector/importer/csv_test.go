package importer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCSVOptions: the CSV options reach the decoder (the platform, the
// layout, the zone of naive times) and what it assumed reaches the input's
// summary.
func TestCSVOptions(t *testing.T) {
	in := filepath.Join("..", "csvfile", "testdata", "airline_sentiment_resaved.csv")
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	ctx := context.Background()

	s := openStore(t)
	sum, err := Import(ctx, s, []string{in}, Options{CSVSource: "twitter"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts.New != 4 || sum.Errors != 0 || len(sum.Files) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	notes := strings.Join(sum.Files[0].Notes, "\n")
	for _, want := range []string{`dates read as M/D/YYYY (month first), as "2/24/2015 11:35" on line 2 shows`,
		`times without a zone (such as "2/24/2015 11:35" on line 2) read as UTC; --tz names their zone`} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	p, err := s.Get(ctx, "twitter:570306133677760513")
	if err != nil || !p.CreatedAt.Equal(time.Date(2015, 2, 24, 11, 35, 0, 0, time.UTC)) {
		t.Errorf("post %+v, %v", p, err)
	}

	s = openStore(t)
	sum, err = Import(ctx, s, []string{in}, Options{CSVSource: "twitter", CSVLocation: la})
	if err != nil || sum.Counts.New != 4 || !strings.Contains(strings.Join(sum.Files[0].Notes, "\n"), "read as America/Los_Angeles") {
		t.Fatalf("with a zone: %+v, %v", sum, err)
	}
	if p, err := s.Get(ctx, "twitter:570306133677760513"); err != nil || !p.CreatedAt.Equal(time.Date(2015, 2, 24, 19, 35, 0, 0, time.UTC)) {
		t.Errorf("with a zone: post %+v, %v", p, err)
	}

	// Day first, as named: 24 is no month.
	s = openStore(t)
	sum, err = Import(ctx, s, []string{in}, Options{CSVSource: "twitter", CSVTimeLayout: "D/M/YYYY"})
	if err != nil || sum.Counts.New != 0 || sum.Errors != 4 || !strings.Contains(sum.Errs[0], `"2/24/2015 11:35" is not a date (read as D/M/YYYY (day first)`) {
		t.Errorf("day first: %+v, %v", sum, err)
	}
}
