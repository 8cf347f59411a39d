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
// choices were made by cross-validation (below). The English sparse weights
// are learned from review and editorial snippets and from English posts
// written for this project (below).
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
//     positive, else neutral; the German SB-10k training tweets as scored
//     by the German rule layer, dense features only (weight 1: the dense
//     features mean the same in both languages, and tweets teach where
//     neutral lies in posts); and the 7,200 English posts of
//     testdata/posts_en (weight 2), labelled negative, neutral or positive.
//     No English post set with labels exists in the shared data, so these
//     were written for this project: by language-model helper sessions,
//     600 per topic and style (technology, companies, entertainment,
//     sports, news, everyday life; short replies, long opinions, plans,
//     the fediverse, outages and recoveries, fandoms), told to invent every
//     post, to copy or paraphrase no published data set and to read no file
//     on the machine. One labelling rule was applied afterwards to all of
//     them: a question whether a service is down, from someone it fails for
//     ("Is Figma down? Files won't open"), is a trouble report and negative,
//     as TestOutageVocabulary has it (23 posts had been labelled neutral).
//     Written by one kind of writer, they are easier than real posts:
//     held-out macro-F1 0.864 in cross-validation against 0.533 on TweetEval.
//   - German: the 1,839 SB-10k training tweets.
//
// Selection of settings: every setting was chosen by 5-fold cross-validation
// on the training sets only (`go test ./sentiment -run TestSelect -train
// -select`); the validation sets were read only for the final report. The
// criterion is the mean held-out macro-F1 over the training sources (English:
// movie, NYT, SB-10k training tweets and the written posts, weighing the
// same; German: SB-10k training tweets). Stage 1 chose the hashed features
// (all, lexicon words, none) and, for English, the source weights (movie
// 0.25/0.5/1, tweets 0/1/2, written posts 0.5/1/2/4) and the name rule
// (0.3 or off); stage 2 the optimiser (epochs 4/8/16, step 0.05/0.1/0.2,
// L2 1e-4/1e-3/1e-2 on hashed and 1e-6/1e-3 on dense weights); stage 3
// keeps the name rule only if it beats leaving it out by more than one
// standard error of the paired fold differences (+0.0014 ± 0.0009: kept).
// The common-word rule is not a candidate (see above). Chosen: English all
// features, 16 epochs, step 0.05, L2 1e-3 and 1e-6 (CV criterion 0.657:
// movie 0.548, NYT 0.558, tweets 0.660, written posts 0.864);
// German lexicon words, 8 epochs, step 0.1, L2 1e-2 and 1e-6 (CV macro-F1
// 0.686). A-priori, not tuned: the ±0.5 neutral band of the English ratings
// (half a step of VADER's rating scale), 5 folds, the grids themselves.
//
// Never trained or tuned on: TweetEval validation, SB-10k validation, VADER's
// Amazon snippets; these are for evaluation only, measured after the
// selection. The English model of version 3 was measured twice: before the
// labelling rule above (TweetEval 0.537, Amazon r 0.565) and after it.
//
// Figures (TestEvaluationFloors asserts floors slightly below them):
//
//	set                                   ours    VADER (govader)  ours, en@2
//	TweetEval validation, macro-F1        0.533   0.561            0.481
//	SB-10k validation (German), macro-F1  0.671   0.429            0.671
//	VADER Amazon snippets, Pearson r      0.573   0.590            0.588
//
// The English model does not beat plain VADER on English posts: trained on
// reviews, editorials and posts written for the project, it over-predicts
// negative on real tweets (precision 0.35 on TweetEval's negatives, which
// are 16 % of it, against VADER's 0.46); a set of real labelled English
// posts to train on is what it lacks. The written posts lifted TweetEval
// from 0.481 (en@2) to 0.533 and cost 0.015 of Pearson r on Amazon reviews.
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
