// Package spike finds bursts ("spikes") in post-volume time series: the
// timeline of posts per bucket that Aftershock shows for an outage, where
// spikes are marked with their start, peak, end and factor over the
// baseline.
//
// # Method
//
// [Detect] runs two detectors of the same kind, a burst detector and a
// slow one, each a robust z-score with hysteresis on variance-stabilised
// counts with a Downdetector-style seasonal baseline once there is history:
//
//  1. Score the posts in a trailing Smooth window (default 30 minutes, six
//     5-minute buckets) after the Anscombe transform y = 2·√(x + 3/8), under
//     which Poisson counts have standard deviation ≈ 1 at any level
//     (Anscombe, Biometrika 35, 1948).
//  2. Baseline: the median of y over the trailing Window (default 24 h) of
//     buckets that were not inside a spike, and as scale the median absolute
//     deviation × 1.4826, floored at 1, the Poisson noise (Hampel 1974;
//     Rousseeuw & Croux, JASA 88, 1993). With at least SeasonMin (3) weeks
//     of history the same hour-of-week in up to SeasonMax (4) earlier weeks,
//     ± SeasonWidth (30 minutes), gives a second median and MAD, and the
//     larger baseline and scale of the two are used: a burst must stand out
//     against both the recent level and the usual level at this hour of the
//     week, as Downdetector compares reports with "the typical volume for
//     that time of day". A daily peak is then not a spike; a burst at an
//     hour that is quiet every week is. Spike.Seasonal is set only when the
//     hour-of-week baseline or scale was the larger one, that is when it
//     changed the test (weeks of empty history before a short timeline do
//     not).
//  3. A spike opens at bucket t when z ≥ High (6), the Smooth window holds
//     at least MinCount (5) posts and at least MinFactor (5) times its
//     baseline, at least MinHistory (1 h) of series lies before t, and the
//     last spike ended more than Cooldown (12 h) ago. It stays open while
//     z ≥ Low (1.5), tolerating Gap (15 minutes) below; while open the
//     baseline is frozen (its buckets are kept out of the history). A spike
//     that lasts MaxDuration (24 h) is closed and its level becomes the new
//     baseline.
//  4. The slow detector is steps 1–3 on posts per SlowSmooth (2 h) against
//     a SlowWindow (72 h) baseline, opening at z ≥ SlowHigh (4) with at
//     least SlowMinCount (10) posts and SlowMinFactor (5) times the
//     baseline. It finds rises over hours on sparse series (a post an hour
//     becoming dozens) that never make a 30-minute burst. Its Start is
//     backdated at most one SlowSmooth and its End is brought back by one
//     SlowSmooth less a bucket (the trailing sum stays high that long after
//     the posts calm down).
//  5. A detection from either detector is a spike. The burst detector's
//     spikes are kept as they are; a slow spike detected inside one is
//     dropped, and one that overlaps one is cut back to the buckets before
//     (or after) it, so a burst keeps its own Start and End.
//
// Detection is causal: whether bucket t opens a spike depends only on
// buckets ≤ t, so the detector can mark a spike while an incident is still
// running. The detection of a spike is Spike.Detected, the bucket where it
// first fired; there is one detection per spike. Start is then backdated
// over the preceding buckets with z ≥ Low (at most one Window), Peak is the
// highest bucket and End the last with z ≥ Low; for a spike still running
// at the end of the series they are provisional and Ongoing is set.
// Baseline is the expected count per bucket when it fired, and Factor is
// PeakCount / max(Baseline, 1).
//
// Cost: the trailing window is kept sorted (binary-search insert and delete)
// and the MAD is read from it by merging the deviations leftwards and
// rightwards of the median, O(Window) without a sort; the hour-of-week
// samples slide the same way. Four weeks and a 12-hour window of 5-minute
// buckets (8,208, what a timeline asks for) take about 8.5 ms for both
// detectors, against 115 ms for the burst detector alone when it sorted the
// window for every bucket.
//
// [ZScore] is the plain comparison: trailing 24 h mean and population
// standard deviation, a bucket is anomalous at z ≥ 3, and each run of
// anomalous buckets is one spike detected at its first bucket.
//
// Invariants: Detect and ZScore never panic and return only finite numbers;
// spikes are in time order, do not overlap, and their indices lie in the
// series with StartIndex ≤ DetectedIndex ≤ EndIndex and the peak between
// Start and End. Counts that are NaN, negative or infinite read as 0 (or,
// for +Inf, as 10¹²); an empty or constant series, or one with Step ≤ 0,
// has no spikes. Detect knows nothing before the series' Start: no spike
// opens in its first MinHistory, so an incident timeline should begin
// before the incident ([FromTimesRange]); [FromTimes] starts at the first
// post.
//
// # Evaluation on NAB realTweets
//
// [Evaluate] runs both detectors on the six company-mention series of the
// Numenta Anomaly Benchmark (Lavin & Ahmad 2015; 5-minute tweet counts,
// 2015-02-26 … 2015-04-22, 19 labelled windows of about 1.5 days each). A
// detection inside a window finds it; one outside every window is a false
// alarm; lead is window start → first detection inside (NAB centres its
// windows on the labelled anomaly, so half a window is "on time").
//
// The defaults were chosen on all six series, by the rule "most windows
// found at ≤ 1 false alarm per series-week, then fewest false alarms", over
// a grid of 576 option sets (Cooldown 6/12 h, High 5/6, SlowSmooth 2/3/6 h,
// SlowWindow 24/72 h, SlowHigh 3–6, SlowMinFactor 2/3/5, SlowMinCount
// 10/20, and the slow detector off). So the honest figure is the
// leave-one-series-out one: for each series, the rule applied to the other
// five picks the options, which are then scored on the held-out series.
// Figures (windows found, false alarms per series-week, median lead):
//
//	                                  Detect                 ZScore
//	cross-validated, 576-set grid     14/19 (74%)  0.93/wk   19/19 (100%)  26.5/wk
//	cross-validated, NABGrid (24)     15/19 (79%)  0.91/wk
//	in-sample (defaults)              16/19 (84%)  0.99/wk
//	median lead (in-sample)           16h30m                  3h35m
//	burst detector alone, old         13/19 (68%)  1.19/wk
//	defaults (High 5, Cooldown 6h)
//
// The first row is the headline: 14 of 19 windows (74%) at 0.93 false
// alarms per series-week out of sample, short of the goal of ≥ 80%. The
// in-sample 84% at 0.99/wk meets it, but only just (47 false alarms in
// 47.3 series-weeks) and by choosing on the same data. The cross-validated
// row of [Report] uses [NABGrid], 24 sets around the defaults; it is
// slightly optimistic because SlowSmooth and SlowWindow are fixed at the
// values the full search chose on all six series. The folds agree on
// High 6, Cooldown 12 h and SlowSmooth 2 h; SlowHigh (4 or 5) and
// SlowMinFactor (3 or 5) vary with the held-out series. By series
// (in-sample): AAPL 4/4 with 17 false alarms, CRM 2/3 with 0, CVS 3/3 with
// 7, IBM 1/2 with 5, KO 3/3 with 12, PFE 3/4 with 6. The slow detector
// brings PFE from 0 to 3 windows; the longer Cooldown and higher High cut
// the false alarms of AAPL and KO.
//
// The z-score still finds more windows (all 19), but it fires about 26
// times a week, so that any window of 1.5 days is hit by chance; Detect
// raises about 27 times fewer false alarms. Compared at the same
// false-alarm budget — the z-score at the lowest threshold that raises no
// more false alarms than Detect, which is z ≥ 14 (Report.MatchedZ) — the
// z-score finds 12 of 19 windows (63 %) at 0.99 a week, Detect 16 (84 %).
// What stands in the way of more:
// most of AAPL's and KO's false alarms are real bursts (10–100× the
// baseline) that NAB did not label, so fewer false alarms there means
// missing labelled bursts of the same size. The three windows missed
// in-sample are gentle: CRM's of 03-25 is a rise over a day to 6–8× the
// day before (36 posts an hour), IBM's of 03-22 hours at about 4× with one
// hour at 10×, PFE's of 04-07 a few hours at 3–5×; detecting them with
// these detectors means firing on ordinary days too. Keeping earlier spikes in the hour-of-week
// samples (so that a burst recurring every week becomes expected) cost one
// IBM window.
//
// On real incidents: for the Metro-North derailment (CrisisLexT26,
// 2013-12-01, crash ≈ 12:20 UTC, first collected tweet 12:51) the first
// spike starts at 13:00 and is detected at 13:05 UTC. For the hourly
// counts of "dogs" (X counts API, 2021-10-16 … 23; no documented event) the
// burst of Sunday 2021-10-17 from 13:00 UTC is detected in the hour it
// starts, with MinFactor 1.3 (the defaults are for 5-minute counts of a
// topic, and find nothing in hourly counts of a broad keyword).
package spike
