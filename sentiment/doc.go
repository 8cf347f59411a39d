// Package sentiment scores the sentiment of posts in English and German and
// tells the language of posts that carry no (or a wrong) language tag. It is
// a library of pure functions: scoring does no I/O, keeps no state between
// calls and never panics.
//
// # Use
//
//	s, err := sentiment.New() // once; safe for concurrent use
//	lang, detected := sentiment.DetectLanguage(p.Text, p.Lang)
//	sc := s.Score(p.Text, lang) // or s.Analyze(p.Text, p.Lang) for both
//	// sc.Compound in [-1, 1], sc.Label, sc.Confidence, sc.Model "aftershock-en@1"
//
// A language without a model (anything but English and German), a missing
// language and a text with nothing to score give Label NotScored, which is
// the zero Score. [Evaluate] measures any [Analyzer] — the [Scorer] or the
// plain-VADER baseline [VADER] — on examples read by [ReadTweetEval],
// [ReadVADERGroundTruth] or [ReadCSV]; [WriteReports] prints reports side
// by side.
//
// # Models
//
// Both languages have two layers.
//
// The rule layer follows VADER (Hutto & Gilbert 2014) over our own fast
// tokenizer: lexicon valences; negation ("not", "n't", "nicht", "kein", and
// in German also after the word: "gefällt mir nicht"); boosters and
// dampeners ("very", "sehr", "kaum"); ALL CAPS; letter elongation
// ("soooo"); the contrast words "but" and "aber" (what follows weighs 1.5,
// what precedes 0.5); '!' and '?' emphasis; emoji (the valence VADER gives
// their names) and emoticons. Outage vocabulary is added in both languages:
// trouble ("down" in context, "outage", "offline", "503", "keeps crashing",
// "Störung", "Ausfall", "nicht erreichbar") and recovery ("back up", "fixed",
// "working again", "läuft wieder", "geht wieder", "behoben"). Function words
// such as "load", "connect", "work", "geht", "lädt", "Internet" are neutral
// but count as trouble when negated ("won't load", "geht nicht", "kein
// Internet"). German compounds are matched by their head ("Serverausfall"),
// inflected German adjectives by their stem. English common words that
// posts mostly use without judging are toned down ("like" as a comparison,
// "please", party and event names) only when the enCommonWords rule is on;
// it is off in the shipped model: cross-validation preferred it by a hair,
// but its word list may have been written after reading validation errors,
// so it is left out to keep the reported figures honest. A rule that makes
// capitalised words inside names count little exists in the code but is off:
// cross-validation did not show it to help.
//
// The learned layer is a multinomial logistic regression per language over
// 20 dense features of the rule layer (compound, positive and negative
// sums and maxima, counts, emoji, outage words, punctuation, capitals,
// negations, links, mentions, hashtags, and for German the sum of English
// lexicon words, since German posts mix in English), plus 2^18 hashed sparse
// features. The English model hashes words (marked inside a negation's
// scope), emoji, three-digit numbers and word bigrams within a clause; the
// German model only the words of its lexicon, negators and emoji. Both
// choices were made by cross-validation (below). The English sparse weights
// are learned from review and editorial snippets, which cross-validation
// within those sources cannot test on posts; the TweetEval figure below
// shows they do not carry over well.
//
// Decision rule (both models): Label is the class of highest probability
// (training weighs classes equally, a uniform prior), Confidence is that
// probability, and Compound is P(positive) − P(negative). It is not VADER's
// ±0.05 rule on Compound; the VADER baseline uses that rule ([LabelOf]).
//
// # Training
//
// The weights are trained by `go test ./sentiment -run TestTrain -train`
// (deterministic: fixed order and seeds, no goroutines; add -cv to print the
// 5-fold cross-validation of the chosen settings) and embedded: model_en.bin,
// model_de.bin and the language detector's langid.bin hold only numbers we
// computed, no text of any data set. Raise modelVersion in train_test.go
// when they change.
//
//   - English: VADER's movie-review snippets (weight 0.5) and NYT editorial
//     snippets (weight 1), mean human rating ≤ -0.5 negative, ≥ 0.5
//     positive, else neutral, plus the German SB-10k training tweets as
//     scored by the German rule layer, dense features only (weight 2: the
//     dense features mean the same in both languages, and tweets teach where
//     neutral lies in posts).
//   - German: the 1,839 SB-10k training tweets.
//
// Selection of settings: every setting was chosen by 5-fold cross-validation
// on the training sets only (`go test ./sentiment -run TestSelect -train
// -select`); the validation sets were read only for the final report. The
// criterion is the mean held-out macro-F1 over the training sources (English:
// movie, NYT and SB-10k training tweets, weighing the same; German: SB-10k
// training tweets). Stage 1 chose the hashed features (all, lexicon words,
// none) and, for English, the source weights (movie 0.25/0.5/1, tweets
// 0/0.5/1/2) and the two optional English rules; stage 2 the optimiser
// (epochs 4/8/16, step 0.05/0.1/0.2, L2 1e-4/1e-3/1e-2 on hashed and
// 1e-6/1e-3 on dense weights); stage 3 keeps an optional English rule only
// if it beats leaving it out by more than one standard error of the paired
// fold differences (names: +0.0009 ± 0.0010, off; common words: +0.0008 ±
// 0.0006, switched off by hand, see above). Chosen: English all features, 16 epochs, step 0.05, L2 1e-4
// and 1e-6 (CV criterion 0.594: movie 0.552, NYT 0.575, tweets 0.654);
// German lexicon words, 8 epochs, step 0.1, L2 1e-2 and 1e-6 (CV macro-F1
// 0.686). A-priori, not tuned: the ±0.5 neutral band of the English ratings
// (half a step of VADER's rating scale), 5 folds, the grids themselves.
//
// Never trained or tuned on: TweetEval validation, SB-10k validation, VADER's
// Amazon snippets; these are for evaluation only, measured once after the
// selection.
//
// Figures (TestEvaluationFloors asserts floors slightly below them):
//
//	set                                   ours    VADER (govader)
//	TweetEval validation, macro-F1        0.481   0.561
//	SB-10k validation (German), macro-F1  0.671   0.429
//	VADER Amazon snippets, Pearson r      0.588   0.590
//
// The English model does not beat plain VADER on English posts: the
// settings that cross-validation on reviews and editorials prefers (their
// word features) do not carry over to tweets, and no English post set is
// available for training.
//
// Speed: about 280,000 posts/s on one core (BenchmarkScore, measured while
// the machine was busy), no allocation per call; a Scorer holds about 7 MB.
//
// # Language detection
//
// [DetectLanguage] trusts the source's tag unless it is obviously wrong (see
// its doc) and otherwise detects: the script decides for non-Latin text;
// for Latin text, function words of fifteen languages and their special
// letters decide, with English-German character trigrams (a 16 KB table)
// as evidence between the two. Texts with fewer than 12 letters or 3 words
// (URLs, mentions, hashtags and emoji not counted) are undetermined ("").
// It allocates nothing and needs no memory beyond the table (lingua-go,
// measured first, needs 94 MB with only English and German loaded and adds
// 130 MB to the binary). On the 993 language-tagged posts of the shared test
// data, with the tag withheld, detection agrees with the tag on 97.8% of the
// English, 95.5% of the German and 85% of the other posts it determines (8%
// are undetermined); most disagreements are wrong tags (Mastodon tags posts
// with the author's default language).
//
// # Resources and licences
//
//   - VADER lexicon, emoji descriptions, booster and negation lists and
//     constants: github.com/jonreiter/govader (MIT), a port of
//     cjhutto/vaderSentiment (MIT); Hutto & Gilbert, ICWSM 2014. Read from
//     govader at New; not copied.
//   - German lexicon, outage vocabulary in both languages, name and
//     politeness adjustments, function-word lists: written for this package.
//     Nothing from SentiWS or any lexicon derived from it.
//   - Training data (read from ../shared/data at training time, never
//     copied into the repository): VADER movie and NYT snippets
//     (cjhutto/vaderSentiment, MIT); SB-10k training split as published by
//     cardiffnlp/xlm-t (repository Apache-2.0, "restrictions may apply to
//     individual datasets"; SB-10k: Cieliebak et al. 2017).
//   - Evaluation data: TweetEval sentiment validation (cardiffnlp/tweeteval;
//     SemEval-2017 Task 4, Rosenthal et al. 2017), SB-10k validation split,
//     VADER Amazon snippets.
//
// # Invariants
//
//   - Score and DetectLanguage never panic, whatever the input (empty,
//     invalid UTF-8, only URLs or emoji, megabytes long: only the first
//     [MaxTextBytes] are read), and give the same result for the same input.
//   - A NotScored Score is the zero Score; otherwise Compound ∈ [-1, 1],
//     Confidence ∈ [0, 1] and Model is "name@version".
//   - No package-level state: package variables are read-only tables and
//     embedded weights; no init functions. A Scorer is read-only after New
//     (its scratch buffers come from a sync.Pool), so it is safe for
//     concurrent use.
package sentiment
