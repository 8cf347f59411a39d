// Package bluesky imports Bluesky posts from Jetstream v1 event files
// ([DecodeJetstream]): JSON Lines of the events
// wss://jetstream*.bsky.network/subscribe sends, as a recorder writes them;
// [JetstreamRecords] is its per-record decoder for the importer — and from
// AppView responses ([DecodeAppView]) and repository exports
// ([DecodeRepo]), see below. Every post has source [post.Bluesky].
//
// Only commit events of collection app.bsky.feed.post become items:
// operation create or update → a post, delete → a deletion notice (Ref with
// At = time_us). Identity events are not yielded but remembered (see
// Author.Handle). Everything else — likes, reposts, follows, blocks, profile
// and other lexicons, account events, unknown kinds — is skipped silently.
//
// Fields of a post:
//   - NativeID = at://<did>/app.bsky.feed.post/<rkey>; URL =
//     https://bsky.app/profile/<did>/post/<rkey> (the DID form, which
//     survives handle changes).
//   - Author.ID = did, Author.URL = https://bsky.app/profile/<did>.
//     Author.Handle is empty unless an identity event carrying a handle for
//     that DID came earlier in the same decode pass (a per-pass did → handle
//     map of at most 50,000 DIDs, emptied when full; a later identity event
//     without a handle, or with "handle.invalid", forgets it). Author.Name
//     is never known.
//   - Text = record.text (plain, full); Lang = the first of record.langs.
//   - CreatedAt = record.createdAt, set by the client; when it is missing or
//     unparsable the event time (time_us) is used instead.
//   - Revision = 0 for a create and time_us for an update, so an update
//     supersedes the create, and the same post read from the AppView (which
//     cannot tell its version: Revision 0) is the same version, whose
//     counts and handle merge with it in the store; EditedAt = time_us for
//     an update, zero for a create.
//   - ReplyTo = reply.parent.uri; QuoteOf = the post URI of an
//     app.bsky.embed.record (record.uri) or app.bsky.embed.recordWithMedia
//     (record.record.uri) embed. Relations are set only for URIs of
//     app.bsky.feed.post records (not feed generators, lists, …).
//   - Hashtags = facet #tag features and record.tags; Mentions = the DIDs of
//     facet #mention features (Jetstream carries no handles for them);
//     Links = facet #link URIs and embed.external.uri.
//   - Media = CDN URLs of embedded images
//     (https://cdn.bsky.app/img/feed_fullsize/plain/<did>/<cid>@jpeg) and the
//     HLS playlist of an embedded video
//     (https://video.bsky.app/watch/<did>/<cid>/playlist.m3u8), also inside
//     recordWithMedia.
//   - Metrics stay zero: Jetstream carries no counts. CollectedAt stays zero.
//   - Raw = the whole event line.
//
// Invariants: every yielded post is normalised and passes
// [post.Post.Validate]; a post commit without a usable did, rkey, record or
// time yields an Err item (prefixed "jetstream: ") with the event's line and
// decoding goes on; malformed lines are reported the same way.
//
// # AppView responses
//
// [DecodeAppView] (per record: [AppViewRecords]) reads what the AppView's
// XRPC methods answer, as a client saves them. A record is recognised by
// its top-level keys:
//   - "thread": an object (app.bsky.feed.getPostThread: a
//     threadViewPost with parent and replies) or an array
//     (app.bsky.unspecced.getPostThreadV2: items {uri, depth, value});
//   - "feed": an array of feedViewPost {post, reply?, reason?}
//     (getAuthorFeed, getTimeline, getFeed, getListFeed);
//   - "posts": an array of postView (searchPosts, getPosts);
//   - a single postView ("uri" starting with at:// and "record"), feed item
//     ("post") or threadViewPost ("$type"), as the elements of a saved
//     array are.
//
// Every postView yields a post with the fields a Jetstream create of the
// same record gets (the same NativeID, ID, URL, Author.ID and URL, and
// the same text, times, relations, entities and media, all read from
// record), and besides: Author.Handle = author.handle (unless
// "handle.invalid"), Author.Name = author.displayName, Metrics from
// likeCount, repostCount, replyCount, quoteCount; Revision 0; CreatedAt
// falls back to indexedAt; Raw = the postView. A thread yields its parents
// (oldest first), itself and its replies (depth first); a feed item its
// post, then its reply's parent and root; a quote (embed
// app.bsky.embed.record#view or recordWithMedia#view holding a viewRecord)
// is followed by the quoted post, two levels deep at most. Each post comes
// once per record. A repost reason yields nothing of its own (as
// Jetstream skips app.bsky.feed.repost); notFoundPost, blockedPost and
// quotes of posts not found, blocked or detached, of feed generators or
// lists are skipped without an error. An XRPC error body {error, message}
// and a postView without an at:// post URI or a time are Err items
// ("appview: "). No Expect is announced: searchPosts' hitsTotal counts the
// whole search, not the page. All items of a record carry the record's
// line.
//
// # Repository exports
//
// [DecodeRepo] reads the CAR file com.atproto.sync.getRepo returns (and
// the Bluesky app's "export my data" saves): a CARv1 header naming the
// signed commit, then sections of CID + DAG-CBOR block. The decoder (no
// library: CARv1, the DAG-CBOR subset of the atproto data model, CIDv1)
// checks each block against its sha2-256 CID, keeps the MST nodes, the
// commit and the post and profile records, then walks the Merkle search
// tree from the commit's data root in key order. Every
// app.bsky.feed.post/<rkey> entry yields a post built from its record
// exactly as from a Jetstream create (did from the commit), with
// Author.Name = the displayName of app.bsky.actor.profile/self, Revision
// 0, CreatedAt falling back to the time of the TID record key, Raw = the
// record in atproto JSON form (links as {"$link"}, bytes as {"$bytes"})
// and Line = the 1-based number of the CAR section holding the record.
// Other collections (likes, follows, …) are skipped. A block whose
// content does not match its CID, a section cut short, a tree node or post
// record missing from the file are Err items ("repo: "): the posts that can
// be reached are still yielded. CARv2 files are refused with an error.
//
// # Live source
//
// [Jetstream] (made by [NewJetstream]) is a live.Streamer that follows
// every app.bsky.feed.post commit on a Jetstream v1 server
// (wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post,
// no credentials, so no environment variables). Jetstream cannot filter by
// text: the whole firehose of posts (tens to hundreds a second) arrives and
// Config.Match keeps the posts of interest; deletions are always kept.
// Frames are decoded as [DecodeJetstream] decodes lines (handles are learnt
// from the identity events of the same connection); a frame that does not
// decode is logged with an excerpt and counted in Batch.Skipped.
//
// The cursor is a time_us in decimal: the largest time_us read on the
// connection (never below the cursor it started from). A batch is emitted
// every 200 events or 500 ms after its first, whichever comes first, and its
// cursor covers every event read so far. A connection starts at the stored
// cursor minus a safety margin (5 s by default) because Jetstream's time_us
// is not monotonic around its replay→live cutover (jetstream-legacy#42): the
// replayed duplicates are harmless, the store's upsert is idempotent. An
// empty cursor starts live. Jetstream keeps about 36 h; an older cursor is
// silently clamped, and a first event more than an hour after the cursor is
// logged as a possible gap. There is no documented rate limit; a silent
// connection (no frame for 30 s) is ended with an error wrapping
// os.ErrDeadlineExceeded, and the loop reconnects with backoff.
package bluesky
