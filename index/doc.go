// Package index is Aftershock's full-text index of posts, built on Bleve:
// it indexes what the store holds, finds posts with a search language
// reporters know from Twitter and Google, and counts hits per source,
// language, author, hashtag, domain and time bucket. The index is derived
// data: the store is the record, and the index can be rebuilt from it at any
// time.
//
// # Search syntax
//
//	aws s3             both words (AND is implied)
//	aws OR gcp         either word; OR must be written in capitals
//	-s3, NOT s3        leave out posts with the word
//	(aws OR gcp) down  parentheses group
//	"is down"          exactly these words in this order: no stemming, no
//	                   stop words, so "is down" matches neither "down is"
//	                   nor "is not down"
//	outag*             words starting with "outag" (at least 2 letters)
//	from:jack          by this author; author:jack is the same; '@' optional
//	@jack              mentioning this handle
//	#aws               carrying this hashtag (case does not matter)
//	source:mastodon    from this source: twitter, mastodon, bluesky, …
//	lang:de            in this language (de also matches de-AT)
//	domain:amazon.com  linking to amazon.com or any of its subdomains
//	sentiment:negative with this sentiment label (negative, neutral, positive)
//	has:links          with links (has:media: with images or video)
//
// OR binds more tightly than the implied AND, as in Google: `s3 OR aws
// "is down"` means (s3 OR aws) AND "is down". Use parentheses when in doubt.
// A filter can be negated and combined like a word (-source:twitter,
// from:a OR from:b) and can quote its value (source:"my feed"). A word
// before an unknown field name (10:30, foo:bar) is an ordinary word. Case
// never matters, except for the operators OR and NOT.
//
// A bare word matches a post if it matches under any of three rules: the
// exact word; English stemming for English posts (outage finds outages,
// running finds run); German rules for German posts (Ausfall finds
// Ausfälle, Störung finds Störungen, läuft finds laeuft and lauft). A word
// with inner punctuation (us-east-1, e-mail) is matched as an exact phrase.
// Punctuation on its own is ignored.
//
// Malformed queries (unbalanced parentheses or quotes, OR or NOT with
// nothing to join, an empty filter, a misplaced '*') fail with a
// *SyntaxError that gives the column.
//
// # Mapping
//
// One document per post, id = post id. Text is indexed three ways: "text"
// for every post with a language-neutral analyser (Unicode words, lower
// case, no stop words, no stemming, with positions for phrases); "text_en"
// with Bleve's English analyser (possessives, stop words, Porter stemmer)
// for lang "en"; "text_de" with Bleve's German analyser (stop words, German
// normalisation of umlauts and ß, light stemmer) for lang "de". Posts
// without a language (or "und", "mul", "zxx") go into both text_en and
// text_de: language detection runs before the store write, so an untagged
// post is one the detector gave up on, usually a short one, and there
// missing a stem costs more recall than the occasional cross-language stem
// collision costs precision. Posts in other languages are indexed in "text"
// only (exact words and phrases, no stemming).
//
// Keyword fields (exact, lower case): source, lang (primary subtag), author
// (handle without '@'), hashtag (without '#'), mention, domain (link host
// without "www."), domain_any (the host and its parent domains, for the
// domain: filter), sentiment (the label; absent when not scored);
// sentiment_score (number, for score ranges); deleted (boolean); created
// (date and time, for ranges: Bleve indexes 16 terms per value, one per
// precision, so it has no doc values); t (the creation time once more, as
// the single full-precision term of its nanoseconds, which sorts as a
// string, with doc values for sorting, histograms and timelines: one short
// value per hit to read instead of 16); tl (source, label and score in one
// doc value, for timelines); fv (every facet value of the post, as a code
// byte and the value, for facets). There is no _all field and nothing is
// stored except "sig", the document's Signature. Doc values only where
// sorting, facets or timelines need them: the keyword fields have none.
//
// # Paging, facets, histograms
//
// Deep paging uses Bleve's SearchAfter with a sort that always ends in the
// document id, never From+Size: Results.Next is an opaque cursor. Facets,
// histograms and timelines are counted in the same pass as the search, by
// hooks on Bleve's collector that see every hit (hooks.go). Facets count the
// values of one doc-values field, fv, that holds every facet value of a post
// (facets.go), rather than Bleve's term facets, which read a field each. The
// histogram reads the creation time the sort has already read for each hit
// or, without a page, the hit's doc value, and counts into a slice of
// buckets, so its cost does not grow with the number of buckets; at most MaxBuckets
// (20,000: nearly two weeks of one-minute buckets) are returned. Buckets
// align to multiples of their width since 0001-01-01 UTC (as time.Truncate
// does): hours and days on UTC hours and midnights, weeks on Mondays.
//
// A newest- or oldest-first page without facets or histogram is found by
// time windows (window.go): a count-only pass gives the total, then the
// query runs within a window at the page's end — sized from the hit density
// over the index's time span, which the index keeps — doubled until it holds
// the page. Only the hits in the window are sorted, so the cost follows the
// page, not the number of hits; the page is exactly the one a full sort
// gives. Queries sorted by anything but relevance combine text and filters
// in one conjunction, which Bleve walks from its rarest clause.
//
// # Invariants
//
//   - Bleve types never leave this package: callers see Query, Results,
//     Doc and errors only.
//   - One process owns an index: Open locks it and fails with ErrLocked,
//     after about a second, while another process (or another Open) holds
//     it.
//   - Apply writes documents, deletions and the store sequence number they
//     cover in one Bleve batch, so after a crash LastSeq never claims
//     documents the index lacks; the caller resumes from LastSeq. After a
//     batch fails (a full disk) the index is reopened from disk before the
//     next call and LastSeq is set back to the last batch Bleve confirmed:
//     what Bleve keeps of a failed batch cannot be trusted.
//   - Signature(doc) computed by the store equals the "sig" the index holds
//     for the same version of a post, so store and index can be compared.
//   - An index written with another mapping version is rebuilt empty on
//     Open (LastSeq 0), and the caller re-feeds it from the store.
//   - Deleted posts stay searchable; Query.ExcludeDeleted hides them.
//   - A damaged index is reported, never read: Open checks root.bolt page
//     by page and every segment of its newest snapshot against the CRC-32
//     in its footer (Bleve checks neither, and zapx panics on damaged
//     bytes, in goroutines no caller can recover), and fails with an error
//     wrapping ErrDamaged. A read that panics is an error; if the segments
//     it reads then fail their checksums the index marks itself damaged
//     (Damage), empties itself at the next Apply or LastSeq, and is fed
//     again from the store.
//   - No single post can exhaust the indexer: the index takes at most
//     MaxIndexedText bytes of a post's text and MaxIndexedValues values of
//     its lists (the signature covers the whole post), and a document that
//     cannot be indexed fails Apply with a *DocError naming it, so the
//     caller can leave it out.
package index
