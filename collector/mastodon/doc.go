// Package mastodon imports Mastodon posts from files: REST API v1 Status
// JSON ([DecodeStatuses]) and ActivityPub outboxes as a Mastodon account
// export writes them ([DecodeOutbox], or [DecodeOutboxFor] with the
// export's actor.json read by [ReadActor]). Every post has source
// [post.Mastodon]. Each format is also a per-record decoder for the
// importer: [StatusRecords], [OutboxRecords], [OutboxRecordsFor].
//
// A JSON object that repeats a key takes the key's last value, as
// JavaScript and encoding/json do; an outbox collection reads every
// orderedItems (Mastodon's export writes the key twice, first with an empty
// list, then with the activities).
//
// # REST API statuses
//
// A record is a Status, an array of them (a timeline page), a context
// response {ancestors, descendants}, a search response {statuses, …}, or a
// JSON Lines stream of these. Fields:
//   - NativeID = uri (the same status seen through two instances is one
//     post); URL = url, else uri.
//   - Text = content as plain text ([post.HTMLToText]), prefixed with
//     "CW: <spoiler_text>\n\n" when the status has a content warning.
//   - Lang = language (nullable); CreatedAt = created_at; EditedAt =
//     edited_at and Revision = its Unix nanoseconds (0 for an unedited status).
//   - Author: ID = account.uri (else account.url), Handle = acct with the
//     host of account.url added for local accounts ("bob@host"), Name =
//     display_name, URL = account.url.
//   - Metrics from favourites_count, reblogs_count, replies_count,
//     quotes_count. Hashtags = tags[].name (the instance's normalised
//     name); Mentions = mentions[].acct, local ones completed with their
//     host like the author handle; Links = targets of <a> in content that are
//     not mentions or hashtags, plus card.url; Media =
//     media_attachments[].url (remote_url when url is empty).
//   - A boost (reblog non-null) is a post of its own (its uri, account,
//     created_at) with RepostOf = the boosted status, the boosted status's
//     text, language and entities; the boosted status is yielded after it as
//     a post too. Likewise a quote (Mastodon 4.4+ quote.quoted_status) sets
//     QuoteOf and the quoted status is yielded after the quoting one.
//     Nesting is followed at most four levels deep.
//   - ReplyTo is set only when it can be resolved, because in_reply_to_id
//     is an id local to the serving instance, not a URI. It resolves (1)
//     through the statuses of the same record (a context or search response
//     holds the thread: its in_reply_to_ids point inside it), else (2) when
//     the replied-to account is local to the serving instance (the status's
//     own account or a mention without "@host") and a local status of the
//     same record shows that the instance builds status URIs as
//     https://host/users/<username>/statuses/<id>, as Mastodon does: the
//     parent URI is then built that way. Otherwise ReplyTo stays empty. A
//     shallow quote (quoted_status_id) resolves through (1) only.
//     Resolution never looks beyond one record (one array element of a
//     timeline page), so results do not depend on record order.
//
// # ActivityPub outbox
//
// A record is an OrderedCollection (or a page of one; an embedded "first"
// page is followed), a single activity or a single object, or JSON Lines of
// them. Items:
//   - Create (or Update) of a Note, Question, Article or Page → a post:
//     NativeID = the object's id, URL = its url (else id), Text = content
//     (or the first contentMap entry) as text, with "CW: <summary>\n\n"
//     when summary is set; Lang = the first contentMap key; CreatedAt =
//     published; EditedAt/Revision = updated (for Update, else the
//     activity's published); Author.ID and URL = attributedTo, Handle =
//     user@host derived from it (https://host/users/name, /@name, /u/name,
//     /accounts/name), Name only when the actor is embedded. Mastodon 4.5
//     ids (https://host/ap/users/<number>) name no user: with
//     [DecodeOutboxFor] the posts of the export's owner take Handle, Name
//     and URL from actor.json; otherwise Handle comes from the post's url
//     (https://host/@name/<id>), and a boost, which has none, gets no
//     handle. ReplyTo =
//     inReplyTo; QuoteOf = quote/quoteUri/_misskey_quote; Hashtags and
//     Mentions from tag[] (Hashtag, Mention); Links as for statuses; Media =
//     attachment[].url, kept verbatim (an export's attachment URLs are paths
//     inside the archive); Metrics from likes/shares/replies totalItems.
//   - Announce → a boost: NativeID = the activity id (which is what the REST
//     API gives as the boost's uri), Author = actor, CreatedAt = published,
//     RepostOf = object. Mastodon gives only the object's URI, so such a boost
//     has empty Text; an embedded object lends its text and is yielded too.
//   - Delete → a deletion notice for its object (At = published); other
//     activities (Like, Follow, Undo, …) are skipped.
//   - Expect: an OrderedCollection (or Collection) at the top of a record
//     that embeds its own items — an export's outbox.json — yields one
//     Expect of its totalItems (Field "totalItems"). Mastodon's
//     BackupService writes there the number of the account's statuses
//     (boosts and direct messages included) and then one Create (or, for a
//     boost, Announce) for each, and each yields at least one post: so a
//     whole file yields at least totalItems posts (older versions wrote
//     statuses_count, which leaves direct messages out: more posts still). A
//     collection whose items are elsewhere (a server's /outbox, or only its
//     first page embedded) announces nothing: its totalItems also counts
//     followers-only statuses that no page shows. Pages never announce.
//
// # Live polling
//
// [Poller] (a [live.Poller]) follows one instance through the REST API: a
// hashtag timeline (/api/v1/timelines/tag/:hashtag), the public timeline
// (/api/v1/timelines/public), either optionally local or remote only, or a
// status search (/api/v2/search?type=statuses, which needs a user token
// with read:search; without one Fetch fails with [live.ErrAuth] at once).
// Statuses are decoded as above, one page element at a time, so live posts
// get the same ids as imported ones (NativeID = uri); CollectedAt is the
// fetch time. A status that does not decode is logged and counted in
// Skipped. The caller reads the token from AFTERSHOCK_MASTODON_TOKEN
// (optional for timelines, unless the instance turned its public preview off)
// and the instance that issued it from AFTERSHOCK_MASTODON_INSTANCE: a token
// is bound to that instance (Config.TokenInstance), and NewPoller and
// NewStreamer refuse to send it anywhere else ([ErrForeignToken]), whatever
// instance an event names.
//
// The cursor is the newest status id delivered (ids compare by length, then
// lexically: [CompareID]). An empty cursor fetches the newest page only (or,
// with Config.Since, starts at the snowflake id of that time): no back-fill
// of the history. Then each fetch asks min_id=<cursor>, which Mastodon
// answers with the statuses immediately above it (newest first, without a
// gap), and the cursor moves to the newest id of the page (or of the page's
// Link rel="prev", which names it); a full page sets More. Search results
// are the newest above min_id, so after a full search page the cursor
// becomes "<floor>,<low>,<top>" and the gap below the page is walked down
// with max_id=<low> before the floor rises to top.
//
// Rate limits (300 requests per 5 minutes by default) come as
// X-RateLimit-Limit/Remaining/Reset (an ISO time); a 429 is returned as the
// [live.HTTPError] of [live.Get], whose RetryAfter honours Retry-After and
// X-RateLimit-Reset, and a page served with Remaining 0 never sets More.
// An error object in a 200 response is an error, not an empty page.
// Deletions are not reported: REST timelines do not say when a status is
// deleted (only the streaming API does: see [Streamer]).
//
// # Live streaming
//
// [Streamer] (a [live.Streamer]) follows a hashtag or public timeline
// (optionally local; public also remote) through the streaming API's
// server-sent events: /api/v1/streaming/hashtag?tag=…, /hashtag/local,
// /public, /public/local, /public/remote, on StreamConfig.StreamURL
// (configuration.urls.streaming of /api/v2/instance; default the instance).
// Since Mastodon 4.2 every stream needs a user token
// (AFTERSHOCK_MASTODON_TOKEN): without one Stream fails with
// [live.ErrAuth] before any request, and a 401/403 wraps it too. Streams
// cannot replay, so each Stream call first connects, then back-fills from
// the cursor with a [Poller] (same Config, same cursor format) until a page
// brings nothing new, emitting each page as a batch, and only then reads
// the events that waited in the connection meanwhile: nothing published
// during a disconnection or the back-fill is lost (what both deliver comes
// twice, which the store's upsert absorbs). Then each event is one batch:
//   - update: the status's posts (decoded as above, Config.Match applied);
//     the cursor moves to the status id unless it is lower (CompareID), so
//     it never goes back. Late remote statuses are never dropped for being
//     below the cursor.
//   - status.update: the edited status, whose edited_at gives it a new
//     Revision, so the store keeps both versions; kept even when Match now
//     rejects it if this streamer delivered it before. The cursor stays.
//   - delete: carries only the instance-local id, while post ids are built
//     from the status URI. The streamer remembers local id → post id for the
//     statuses it delivered (back-fill and stream, across reconnections, the
//     newest 100,000) and emits a [post.Ref] with that post id; a delete of a
//     status it has not seen is logged at debug level and dropped (it cannot
//     be named, and the store would keep a notice nobody can match).
//   - other events (notification, filters_changed, …) are ignored; a status
//     or delete that does not parse is logged and counted in Skipped.
//
// Mastodon writes a ":thump" comment every 15 s; any line resets the idle
// timeout (StreamConfig.IdleTimeout, default 90 s), and a connection silent
// for longer ends with an error so the loop reconnects (and back-fills). A
// server that closes the stream, an HTTP error or a failing back-fill page
// ends Stream with that error (an [live.HTTPError] keeps its RetryAfter).
// The caller's http.Client is used without its Timeout for the stream.
//
// # Invariants
//
// Every yielded post is normalised and passes [post.Post.Validate]; Raw
// holds the post's own JSON object verbatim (for a Create, the wrapped
// object). A record that cannot be read, or a status or object without an
// id/uri or a valid creation time, yields an Err item and decoding goes on.
// CollectedAt is never set: these payloads do not say when they were
// fetched. All items of a record carry the line their own JSON object starts
// on.
package mastodon
