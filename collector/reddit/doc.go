// Package reddit decodes Reddit posts and comments from Reddit API JSON into
// [post.Post]s with source [post.Reddit].
//
// [DecodeListing] reads, in any layout [collector.JSONValues] accepts (one
// document, JSON Lines as collectors save pages, top-level arrays), with one
// [ListingRecords] decoder, which decodes one record of these:
//   - Listings {"kind": "Listing", "data": {"children": [Things], "after", "before"}}
//     of /new, /search, /r/<sub>/comments, /api/info, …;
//   - the array of two Listings of /comments/<id> (the post, then the comment
//     tree, replies nested under each comment's "replies", a Listing or "");
//   - single Things {"kind": "t3"|"t1", "data": {…}};
//   - /api/morechildren answers (api_type=json), which load the comments a
//     "more" stub names: {"json": {"errors": [], "data": {"things": [Things]}}},
//     a flat list of comments linked by parent_id; a non-empty "errors"
//     ([code, message, field] each) is an error item naming them, and the
//     things beside it are still read;
//   - bare submission or comment objects without the Thing envelope, one per
//     line, as Pushshift-style archives hold them (a comment has "body", a
//     submission "title").
//
// Things that are not posts (kind "more", accounts t2, messages t4,
// subreddits t5, awards t6, …) are skipped. A Thing of unknown kind, an API
// error object or a record of another shape is an error item.
//
// Fields:
//   - NativeID: the fullname "name" ("t3_abc", "t1_def"), else kind + "_" + id;
//     ID = "reddit:<fullname>".
//   - URL: https://www.reddit.com + permalink. Without a permalink (comments
//     before 2017, Pushshift dumps) it is built as Reddit routes it:
//     https://www.reddit.com/r/<subreddit>/comments/<link_id without t3_>/_/<id>/
//     for a comment ("_" stands for the title slug, which Reddit ignores and
//     redirects), https://www.reddit.com/r/<subreddit>/comments/<id>/ for a
//     submission; without subreddit the path starts at /comments/.
//   - CreatedAt: created_utc (epoch seconds, a float; a numeric string is
//     accepted too).
//   - t3 (submission): Text = title, then a blank line and selftext when it is
//     not empty, HTML entities decoded in both (Reddit escapes &, < and >
//     unless raw_json=1 was asked). Links = the link target
//     (url_overridden_by_dest, else url) for link posts, when it is not the
//     post's own page or media hosted by Reddit; then the http(s) URLs written
//     in the selftext. Media = the image (post_hint "image"), the video's
//     fallback URL (is_video) or the gallery images, in gallery order.
//     A crosspost's QuoteOf is its crosspost_parent. Replies = num_comments.
//   - t1 (comment): Text = body, entities decoded; ReplyTo = parent_id (a
//     fullname); Links = the http(s) URLs written in the body.
//   - Author: Handle = author, ID = author_fullname, URL
//     https://www.reddit.com/user/<author>; a "[deleted]" author (a deleted
//     account) leaves the author empty. Reddit has no display names.
//   - Likes = score, which is Reddit's net vote count (upvotes minus downvotes,
//     fuzzed by Reddit), not a number of likes.
//   - EditedAt and Revision: "edited" when it is an epoch time (it is false for
//     unedited posts); Revision is that time in unix seconds.
//   - Lang is unknown and left empty; Reddit has no hashtags.
//   - Raw: the Thing's "data" object byte for byte, except that a nested
//     "replies" Listing is replaced by "" (what Reddit sends for no replies):
//     the replies are posts of their own.
//
// Deletions: a comment whose body, or a submission whose selftext, is
// "[deleted]" (removed by its author) or "[removed]" (by moderators or
// Reddit), and a submission with a removed_by_category, is yielded as a Post
// with what is left of it, then a Delete (At zero: the payload does not say
// when). What is left is what Reddit still shows in its place: the time, the
// score, the place in the thread (ReplyTo) and address, and a submission's
// title and link; not the text and not the author. So the replies to a
// deleted comment, which Reddit keeps and which are yielded too, still hang
// in the thread. A deleted one without a usable time is only a Delete. A
// comment whose author alone is "[deleted]" (the account was deleted, the
// comment was not) is an ordinary post without author: in the real
// /comments/n49rw answer and its morechildren answers, 25 comments have
// author and body "[deleted]" and 146 only the author.
//
// Expected counts: the /comments/<id> endpoint answers an array of two
// Listings, the submission and its comment tree; [collector.JSONValues]
// yields them as two records. When a Listing that holds one submission with
// num_comments is followed by a Listing of comments (and "more" stubs) of
// that submission, the decoder yields an [collector.Expect] of num_comments
// + 1 posts (the comments and the submission itself, which the same answer
// holds; Field "num_comments", at the submission's line). num_comments
// counts deleted comments too, which arrive as posts (see above). A thread
// loaded in part (its "more" stubs not expanded) yields fewer posts: the
// /comments/n49rw answer announces 1,412 comments and holds 485. A search
// Listing of submissions announces nothing, since it holds no comments.
package reddit
