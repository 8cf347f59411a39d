// Package bluesky imports Bluesky posts from Jetstream v1 event files
// ([DecodeJetstream]): JSON Lines of the events
// wss://jetstream*.bsky.network/subscribe sends, as a recorder writes them.
// Every post has source [post.Bluesky].
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
//     map; a later identity event without a handle, or with
//     "handle.invalid", forgets it). Author.Name is never known.
//   - Text = record.text (plain, full); Lang = the first of record.langs.
//   - CreatedAt = record.createdAt, set by the client; when it is missing or
//     unparsable the event time (time_us) is used instead.
//   - Revision = time_us, so an update supersedes the create; EditedAt =
//     time_us for an update, zero for a create.
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
package bluesky
