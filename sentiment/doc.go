// Package sentiment scores the sentiment of posts in English and German and
// tells the language of posts that carry no (or a wrong) language tag. It is
// a library of pure functions: scoring does no I/O, keeps no state between
// calls and never panics.
//
// # Use
//
//	s, err := sentiment.New() // once; safe for concurrent use
//	lang, detected := sentiment.GuessLanguage(p.Text, p.Lang)
//	sc := s.Score(p.Text, lang) // or s.Analyze(p.Text, p.Lang) for both
//	// sc.Compound in [-1, 1], sc.Label, sc.Confidence, sc.Model "aftershock-en@4"
//
// [Scorer.Enrich] does this for the importer and the live collectors.
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
// so it is left out to keep the reported figures honest. A lexicon word
// that is capitalised inside a run of capitalised words (a name: "Super
// Eagles", "Good Morning America") weighs 0.3 in English; cross-validation
// kept that rule (below).
//
// The learned layer is a multinomial logistic regression per language over
// 20 dense features of the rule layer (compound, positive and negative
// sums and maxima, counts, emoji, outage words, punctuation, capitals,
// negations, links, mentions, hashtags, and for German the sum of English
// lexicon words, since German posts mix in English), plus 2^18 hashed sparse
// features. The English model hashes words (marked inside a negation's
// scope), emoji, three-digit numbers and word bigrams within a clause; the
// German model only the words of its lexicon, negators and emoji. Both
// choices were made by cross-validation (below; character 3- to 5-grams of
// words were a candidate for English and lost). The English weights are
// learned from 47,367 real English tweets (SemEval 2013–2016), review and
// editorial snippets and English posts written for this project (below).
//
// Decision rule (both models): Label is the class of highest probability
// (training evens out the classes, each weighing (n / 3n_class)^prior:
// fully for German, prior 1, and half way for English, prior 0.5, as
// cross-validation chose), and Compound is
// P(positive) − P(negative). It is not VADER's ±0.05 rule on Compound; the
// VADER baseline uses that rule ([LabelOf]).
//
// Confidence is a calibrated probability that Label is right: for English
// σ(a·logit(p) + b) of the model's probability p of Label (Platt scaling,
// a = 0.539, b = -0.108), fitted on the out-of-fold predictions of the
// 5-fold cross-validation on the SemEval training tweets; the raw
// probability is overconfident on real tweets (cross-fitted expected
// calibration error 0.103 raw, 0.009 calibrated). The German model's
// probability is kept as it is: Platt scaling did not lower its
// cross-fitted error (0.034 raw, 0.037 calibrated) on the 1,839 SB-10k
// training tweets. [Report].ECE measures calibration on any labelled set.
//
// # Training
//
// One command rebuilds every embedded table from the shared data:
//
//	go test ./sentiment -run 'TestTrain|TestTrainLangID' -train
//
// It is deterministic (fixed order and seeds, no goroutines; the same
// files every time) and takes about two minutes of CPU. It writes
// model_en.bin, model_de.bin and the language detector's langid.bin, which
// hold only numbers we computed, no text of any data set, and logs the
// 5-fold cross-validation of the chosen settings and the calibration.
// Raise modelVersion in train_test.go when the weights change, then run
// "aftershock rescore" on archives.
//
//   - English: the SemEval 2013–2016 English training tweets of the shared
//     data (48,216; weight 1), less the 849 that are near copies of a
//     TweetEval validation tweet (see withoutNearCopies in train_test.go:
//     the data's README removed exact copies only, and 736 of the 2,000
//     validation tweets still had a training tweet with the same or nearly
//     the same words); VADER's movie-review snippets (weight 0.5) and NYT
//     editorial snippets (weight 1), mean human rating ≤ -0.5 negative,
//     ≥ 0.5 positive, else neutral; and the 7,200 English posts of
//     testdata/posts_en (weight 2), labelled negative, neutral or positive.
//     These were written for this project: by language-model helper
//     sessions, 600 per topic and style (technology, companies,
//     entertainment, sports, news, everyday life; short replies, long
//     opinions, plans, the fediverse, outages and recoveries, fandoms),
//     told to invent every post, to copy or paraphrase no published data
//     set and to read no file on the machine. One labelling rule was applied
//     afterwards to all of them: a question whether a service is down, from
//     someone it fails for ("Is Figma down? Files won't open"), is a
//     trouble report and negative, as TestOutageVocabulary has it (23 posts
//     had been labelled neutral). The SB-10k training tweets scored by the
//     German rule layer were a candidate source (dense features only) and
//     were left out by the selection.
//   - German: the 1,839 SB-10k training tweets.
//   - Language detector: character trigrams of the English snippets and
//     SemEval tweets against the German SB-10k training tweets.
//
// Selection of settings: every setting was chosen by 5-fold cross-validation
// on the training sets only (`go test ./sentiment -run TestSelect -train
// -select -v`, which writes nothing). The English criterion is the held-out
// macro-F1, half from the SemEval tweets and half the mean of the movie,
// NYT and written-post sources; the German one the SB-10k training tweets'.
// English stage 1 chose the hashed features (words and bigrams, or those
// and character n-grams) and the source weights (movie 0/0.5, German
// tweets 0/1, written posts 1/2); stage 2 the epochs (4/8), the L2 on
// hashed weights (1e-3/1e-2, and since 1e-2 was the edge of the grid,
// 3e-2 and 1e-1 after it) and the class prior (0.5/1: how far training
// evens out the classes); stage 3 keeps the name rule (lexicon words
// inside a run of capitalised words weigh 0.3) only if it beats leaving it
// out by more than one standard error of the paired fold differences.
// Chosen for English: words and bigrams (character n-grams lost at every
// weighting: SemEval CV macro-F1 0.617–0.621 against 0.628–0.632), movie
// 0.5, German tweets 0, written posts 2; 4 epochs, step 0.1, L2 1e-2 on
// hashed and 1e-6 on dense weights (3e-2 and 1e-1: 0.6310, 0.6284 against
// 0.6313), class prior 0.5; no name rule (+0.0001 ± 0.0005). CV criterion
// 0.631: SemEval tweets 0.633, movie 0.524, NYT 0.549, written posts 0.815
// (the German tweets, not judged: 0.620). German as for model 3: lexicon
// words, 8 epochs, step 0.1, L2 1e-2 and 1e-6 (CV macro-F1 0.686); its
// weights are model 3's, only the file format and the name changed. A-priori,
// not tuned: the ±0.5 neutral band of the English ratings (half a step of
// VADER's rating scale), 5 folds, the grids themselves, the 0.6 cut of
// withoutNearCopies.
//
// Never trained or tuned on: TweetEval validation, SB-10k validation, VADER's
// Amazon snippets; these are for evaluation only, measured after the
// selection. Model 4 was read on them twice. The first time it had been
// trained on all 48,216 SemEval tweets and read 0.743 on TweetEval (Amazon
// r 0.603), far above its cross-validation (0.633 on SemEval): 736 of the
// 2,000 validation tweets had near copies among the training tweets. Those
// were dropped (withoutNearCopies), the selection was rerun on the cleaned
// set (it chose class prior 0.5 and L2 1e-2, where the first run had chosen
// 1 and 3e-2), and the model was retrained and read a second time: the
// figures below. Nothing was tuned on validation figures.
//
// Figures (TestEvaluationFloors asserts floors slightly below them):
//
//	set                                   ours en@4   VADER   ours en@3
//	TweetEval validation, macro-F1        0.643       0.561   0.533
//	  expected calibration error (ECE)    0.014       0.213   -
//	SB-10k validation (German), macro-F1  0.671       0.429   0.671
//	  expected calibration error (ECE)    0.018       0.283   -
//	VADER Amazon snippets, Pearson r      0.598       0.590   0.573
//
// (VADER's confidence is |compound|, not a probability; its ECE only shows
// that.) English is above VADER on all three now, and the real tweets did
// it: per class on TweetEval, negative F1 0.562 (VADER 0.546), neutral
// 0.651 (0.484), positive 0.715 (0.652). Amazon r stays just short of 0.60:
// reviews are not what the tweets teach.
//
// Speed: about 170,000 posts per CPU-second on one core (one goroutine,
// GOMAXPROCS 1, measured as CPU time because the machine ran at ten times
// its cores' load; BenchmarkScore gave 58,000 posts/s of wall time under
// that load), no allocation per call. [New] takes about 17 ms of CPU (35 to
// 65 ms of wall time under the same load; BenchmarkNew). A Scorer holds
// about 7 MB; model_en.bin is 2,277,913 bytes (the hashed weights that are
// not zero, as int16).
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
// 130 MB to the binary). On the 1,153 language-tagged posts of the shared
// test data, with the tag withheld, detection agrees with the tag on 98.2%
// of the English, 95.5% of the German and 84% of the other posts it
// determines (7% are undetermined); most disagreements are wrong tags
// (Mastodon tags posts with the author's default language).
//
// [GuessLanguage], which [Scorer.Analyze] and so [Scorer.Enrich] use, adds
// what is known about the archive: its posts are English or German far more
// often than anything else. Where DetectLanguage leaves a short post
// undetermined ("@VirginAmerica you suck!") or gives it to another
// Latin-script language without being sure ("Is Nimbus down for anyone
// else? Nothing loads in eu-west-2." as Dutch), English or German is chosen
// when their function words, special letters and trigrams (words, and at
// half weight hashtags) favour one of them, with a prior for English; a
// source tag of a third language gives way only on a post without words of
// its own whose hashtags are clearly English or German ("#IchbinHanna RE:
// <link>" tagged fr). A text without letters (emoji only) keeps no language
// but is scored by the English model. Over the 1,785 posts of the shared
// data's post files, with their source tags (TestUndetermined), posts
// without a language went from 105 to 37, posts in a language without a
// model from 131 to 127, and unscored posts from 242 to 163; what stays
// undetermined is mostly links, mentions and hashtags alone, or short text
// in another script. Of the 3,809 demo posts, 26 had no language and 7 were
// read as Dutch; all 33 are now English, as written. The author's other
// posts are not used: Enrich sees one post at a time and keeps no state.
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
