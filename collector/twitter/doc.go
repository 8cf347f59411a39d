// Package twitter decodes X/Twitter post files into [post.Post]s with source
// [post.Twitter] ("twitter"). It reads three formats, one decoder each:
//
//   - [DecodeV1]: API v1.1 tweets, decoded with go-twitter's twitter.Tweet —
//     JSON Lines (stream output, twarc 1 files), a JSON array (timelines), a
//     single tweet, a search response {"statuses":[…],"search_metadata":{…}}
//     or a premium/enterprise search response {"results":[…],"next":…,
//     "requestParameters":{…}}. Stream deletion notices
//     {"delete":{"status":{…}}} become Delete items; other stream control
//     messages (limit, warning, disconnect, scrub_geo, …) are skipped. Its
//     per-record decoder is [V1Records].
//   - [DecodeTwarc2]: twarc2 output — raw API v2 response pages, one per line
//     ({data, includes, meta, errors, __twarc}; data is an array, or one tweet
//     on filtered-stream lines), and `twarc2 flatten` output (one tweet per
//     line with author and referenced tweets merged in). Its per-record
//     decoder is [Twarc2Records].
//   - [DecodeArchive] / [DecodeArchiveFor] / [DecodeArchiveWith]: the files
//     of posts of an X "Download your archive" export ([ArchivePostFile]):
//     data/tweets.js (tweet.js, tweets-partN.js), community-tweet.js and
//     deleted-tweets.js, `window.YTD.tweets.part0 = [{"tweet":{…}}, …];` or
//     the same array as plain JSON, numbers as strings; and a legacy
//     (Grailbird) archive's data/js/tweets/YYYY_MM.js,
//     `Grailbird.data.tweets_2011_09 = [{…}, …]`. The owner comes from
//     account.js or user_details.js ([ReadArchiveAccount]), the full text of
//     long posts from note-tweet.js ([ArchiveNotes]). Other files of an
//     archive (like.js, …) yield one Err item saying what they hold.
//
// How fields are derived:
//
//   - NativeID is the tweet id (id_str; v2 id). Edited tweets (v2
//     edit_history_tweet_ids, archive edit_info editTweetIds; original first)
//     are keyed by the original id: NativeID is the chain's first id,
//     Revision this version's position in it, EditedAt its created_at when
//     Revision > 0; URL is the version's own permalink.
//   - Text is the full text, HTML entities decoded: v1.1
//     extended_tweet.full_text, else full_text, else text; v2 note_tweet.text,
//     else text; archive full_text. A retweet's text is the original's full
//     text (v1.1 retweeted_status; v2 the retweeted tweet from includes.tweets
//     or the same page's data) with RepostOf set; when the original is absent
//     the retweet's own "RT @…" text stays. Archive retweets only have the
//     "RT @…" text and get no RepostOf (a legacy archive's have
//     retweeted_status, and are read as v1.1 retweets). t.co links in the
//     text are kept.
//   - A v1.1 copy whose text the API truncated (truncated:true and no full
//     text, as compat-mode responses are) gets Revision -1, so any full copy
//     of the same tweet supersedes it in the archive.
//   - Embedded tweets are posts too: after a v1.1 tweet come its
//     retweeted_status and quoted_status (after a legacy archive's retweet
//     its retweeted_status); after a v2
//     page's data come the tweets of includes.tweets that are not in data;
//     after a flattened tweet come the referenced tweets merged into it (and
//     those merged into them), each once per input, or again when a later
//     copy has the author an earlier one lacked. A flattened file and the
//     same tweets as raw pages thus give the same posts.
//   - A long post of an X archive: tweets.js cuts its text ("…"); the note of
//     note-tweet.js with the nearest createdAt (within 5 s) whose text begins
//     with the cut text (leading @mentions, links and "…" set aside) gives
//     the full text (after the reply's @mentions) and its hashtags and links.
//     Raw is then {"tweet":{…},"noteTweet":{…}}, which decodes to the same post.
//   - A deleted tweet of deleted-tweets.js is a Post followed by a Delete
//     item for the same id with At = deleted_at.
//   - ReplyTo, QuoteOf, RepostOf are "twitter:<id>" (v1.1
//     in_reply_to_status_id_str, quoted_status_id_str, retweeted_status; v2
//     referenced_tweets replied_to/quoted/retweeted). A v2 reference to an
//     edited version points at the chain's original when includes carry its
//     edit history.
//   - Author: v1.1 user (id_str, screen_name, name, https://twitter.com/<screen_name>);
//     v2 includes.users by author_id or the flattened author (id, username,
//     name, https://x.com/<username>), only the id when the user is missing;
//     archives carry no user: the owner given to DecodeArchiveFor (account.js:
//     accountId, username, accountDisplayName), else none; legacy archives'
//     tweets have their user (https://x.com/<screen_name>).
//   - URL: v1.1 https://twitter.com/<screen_name>/status/<id>; v2 and
//     archives https://x.com/<username>/status/<id>; without a handle
//     https://twitter.com/i/web/status/<id> (v1.1) or https://x.com/i/web/status/<id>.
//   - CreatedAt from created_at (v1.1 and archives in time.RubyDate, legacy
//     archives "2006-01-02 15:04:05 -0700", v2 RFC 3339), UTC. CollectedAt only from twarc's __twarc.retrieved_at.
//   - Lang from lang; X's pseudo-codes und, zxx, qam, qct, qht, qme, qst
//     (no language, or only mentions/hashtags/cashtags/media/short text) become "".
//   - Metrics: likes, reposts, replies, quotes from favorite_count,
//     retweet_count, reply_count, quote_count (v2 public_metrics; archives
//     have only likes and reposts).
//   - Hashtags, Mentions (screen names), Links (v2 unwound_url, else
//     expanded_url; v1.1 and archives expanded_url, since go-twitter never
//     decodes "unwound") and Media (media_url_https; v2 includes.media url or
//     preview_image_url by attachments.media_keys) come from the entities —
//     v1.1 extended_tweet's when present, extended_entities for media. A
//     retweet has its own entities and the original's. Links to attached media
//     (pic.twitter.com) and a truncated text's "read more" link to the tweet
//     itself (twitter.com/i/web/status/<own id>) are left out.
//
// Not posts, yielding nothing: stream control messages, v2 page errors[]
// about missing resources (withheld or deleted tweets and users), empty
// pages, counts-endpoint buckets, the notes of note-tweet.js (they complete
// posts of tweets.js). A referenced tweet known only by its id (a v2
// reference without includes, a flattened reference not merged in) is not a
// post: it only gives the relation.
//
// Counts: a twarc2 page whose meta has result_count yields an Expect item
// (Field "meta.result_count") after its posts; the live sources ignore it.
// No other input of these formats announces a count of its own posts.
//
// Invariants: every Item has exactly one of Post, Delete, Err, Expect and the line
// where its record starts (all posts of one page or search response share
// that page's line); every Post is normalised and passes Validate, has a
// decimal tweet id, and keeps its own JSON object (the tweet, not the page)
// verbatim in Raw; errors start with the format name ("twitter v1.1: ",
// "twarc2: ", "twitter archive: ") and decoding goes on after them. No
// decoder panics on any input.
//
// # Live source
//
// [Search] follows an X API v2 recent search (GET /2/tweets/search/recent,
// the last 7 days) as a [live.Poller], built by [NewSearch] from a [Config]
// (query, page size 10–100, bearer token; the caller reads the token from
// AFTERSHOCK_X_BEARER_TOKEN — without one Fetch fails at once with
// live.ErrAuth, as 401/403 do). Each request asks sort_order=recency and the
// tweet.fields, expansions, user.fields and media.fields of PROTOCOLS.md
// §1.1; each page is decoded by [DecodeTwarc2] like a twarc2 line, so its
// includes give authors, retweeted originals (also yielded as posts) and
// media. Posts get CollectedAt = fetch time.
//
// The cursor is the gapless chain state as JSON, {"hwm", "chain_newest",
// "chain_low", "next_token"} (empty fields left out; "" = nothing yet, so the
// first chain reads the whole 7-day window, billed per post). hwm is the
// newest id fully ingested. A chain asks since_id=hwm and follows next_token
// (newest first) to exhaustion; page 1's newest id becomes chain_newest, the
// lowest id stored so far chain_low, and the page's next_token is saved:
// every batch carries that state, so the loop stores it with the page's
// posts, and More is true while the chain has a next_token. After the last
// page hwm = chain_newest and the chain fields are cleared. A restart mid-
// chain resumes the saved token (it replays the same page); if the API
// refuses it (400) the chain is finished by id, since_id=hwm&until_id=
// chain_low, chain_low moving down page by page (tokens are then not kept).
// Posts arriving during a chain have ids above chain_newest and come with
// the next chain. Ids are strings ordered by length, then bytewise. An empty
// page outside a chain ({"meta":{"result_count":0}}) means caught up and
// leaves the state as it was. Partial errors inside a 200 ("errors":[…],
// resources the page could not include) are logged and counted in Skipped
// with the tweets that did not decode; the rest of the page stands. Rate
// limits (450 requests / 15 min per app) come back as 429 with
// x-rate-limit-reset, which live.Get turns into an *live.HTTPError with
// RetryAfter; Fetch returns it and the loop waits. Deleted tweets are never
// signalled by search.
//
// [Streamer] follows the filtered stream (GET /2/tweets/search/stream,
// PROTOCOLS.md §1.4) as a [live.Streamer], built by [NewStreamer] from a
// [StreamConfig] (query, tag, bearer token from AFTERSHOCK_X_BEARER_TOKEN;
// without one Stream fails at once with live.ErrAuth, as 401/403 do). Its
// Name is "x:stream <tag>". Each Stream first makes the app's rules hold one
// rule with the query, tagged with the tag (POST …/stream/rules add; rules
// with that tag and another value are deleted; a rule with the same value
// under another tag is used as it is); [Streamer.CheckRule] validates the
// query with dry_run=true. It then connects with the fields of [Search],
// and only then back-fills: a stream cannot replay, so Stream runs the
// recent search from the stored cursor to caught-up and emits those pages
// with their cursors. The cursor is therefore a [Search] cursor ("" = the
// whole 7-day window). Then each line is a tweet with its includes (decoded
// by [DecodeTwarc2]), a bare CRLF keep-alive, or an error frame: tweets whose
// matching_rules name neither the tag nor the rule's id are left out; the
// rest are emitted in batches of up to 100 with an empty cursor, so they
// never move the search cursor's hwm. On reconnect the back-fill from the
// stored hwm covers everything since, including what the stream already
// gave (duplicates, which the store's upsert absorbs). A line that does not
// parse is logged and counted in Skipped. Stream returns an error when
// nothing, not even a keep-alive, arrives for [StallTimeout] (20 s), when
// the connection drops, and on an error frame such as X's
// operational-disconnect. A refused connection is an *live.HTTPError whose
// RetryAfter follows X's reconnect schedule, counted per Streamer and reset
// by a connection that opens: HTTP errors 5 s doubling to 320 s, 429 (too
// many connections: one per app) 1 min doubling to 16 min, or the
// response's Retry-After or exhausted rate-limit reset if later. The loop
// waits that long; errors without a status get its own backoff. The stream
// uses a copy of the given client without Timeout; rules and back-fill
// requests time out after 60 s.
package twitter
