package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aftershock/aftershock/sentiment"
	"github.com/aftershock/aftershock/store"
)

// runSentiment is "aftershock sentiment eval FILE": our model beside VADER
// on a labelled file: accuracy, macro-F1, per-class figures, confusion,
// Pearson r where the file has scores, and the expected calibration error
// of the confidences.
func runSentiment(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "eval" {
		return fmt.Errorf("%w: aftershock sentiment eval [flags] FILE", errUsage)
	}
	fs := newFlags(e, "sentiment eval", "[flags] FILE\n\nPrints our model and VADER side by side, with the calibration of their confidences (ECE).\nFormats: tweeteval (one text per line, labels 0/1/2 in --labels or the *_labels* file beside it),\nvader (id<TAB>mean rating<TAB>text), csv (header with text and label and/or score, optional lang)")
	format := fs.String("format", "tweeteval", "tweeteval, vader or csv")
	labels := fs.String("labels", "", "tweeteval: the labels file (default: FILE with 'text' replaced by 'labels')")
	lang := fs.String("lang", "", "language of the examples (en, de); empty detects each")
	files, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("%w: name one file", errUsage)
	}
	var examples []sentiment.Example
	switch *format {
	case "tweeteval":
		examples, err = sentiment.ReadTweetEval(files[0], *labels, *lang)
	case "vader":
		l := *lang
		if l == "" {
			l = "en"
		}
		examples, err = sentiment.ReadVADERGroundTruth(files[0], l)
	case "csv":
		var f *os.File
		if f, err = os.Open(files[0]); err == nil {
			examples, err = sentiment.ReadCSV(f, *lang)
			f.Close()
		}
	default:
		return fmt.Errorf("%w: --format must be tweeteval, vader or csv", errUsage)
	}
	if err != nil {
		return err
	}
	ours, err := sentiment.New()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d examples\n\n", files[0], len(examples))
	return sentiment.WriteReports(e.stdout, sentiment.Evaluate(ours, examples), sentiment.Evaluate(sentiment.NewVADER(), examples))
}

// runRescore recomputes language and sentiment for the whole archive after a
// model change; the index follows by sequence number.
func runRescore(ctx context.Context, e *env, args []string) error {
	a, err := openNoArgs(ctx, e, "rescore", args)
	if err != nil {
		return err
	}
	defer a.Close()
	scorer, err := sentiment.New()
	if err != nil {
		return err
	}
	start := time.Now()
	var batch []store.Rescored
	seen, changed := 0, 0
	flush := func() error {
		n, err := a.Store.SetSentiments(ctx, batch)
		changed += n
		batch = batch[:0]
		return err
	}
	err = a.Store.Scan(ctx, func(p store.Stored) error {
		seen++
		q := p.Post
		scorer.Enrich(&q)
		batch = append(batch, store.Rescored{ID: p.ID, Lang: q.Lang, Sentiment: q.Sentiment})
		if len(batch) == 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rescored %s posts in %s: %s changed\n", thousands(int64(seen)), time.Since(start).Round(time.Millisecond), thousands(int64(changed)))
	if a.Index == nil {
		fmt.Fprintf(e.stdout, "index: %v\n", a.IndexErr)
		return nil
	}
	n, err := a.CatchUp(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "index: %s posts updated\n", thousands(n))
	return nil
}
