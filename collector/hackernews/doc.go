// Package hackernews decodes Hacker News posts from the responses of the
// Algolia HN Search API (https://hn.algolia.com/api/v1) and of the official
// Firebase API (https://hacker-news.firebaseio.com/v0) into [post.Post]s with
// source [post.HackerNews].
//
// [DecodeAlgolia] reads, in any mix and in any layout [collector.JSONValues]
// accepts (one document, JSON Lines, top-level arrays), with
// [AlgoliaRecords], which decodes one record of these:
//   - search responses of /search and /search_by_date: {"hits": […], "nbHits", "page", …};
//   - single hits (one element of "hits");
//   - /items/<id> responses: one item with its replies nested in "children";
//     every item of the tree is yielded, parents before their replies;
//   - Firebase items (/v0/item/<id>.json), alone, in arrays or one per line as
//     people dump them: {"by", "id", "type", "time", "title", "url", "text",
//     "score", "descendants", "kids": [ids], "parent", "dead", "deleted"}.
//     They carry no created_at_i, created_at, objectID or author, which is
//     how they differ from Algolia's records; "kids" are ids only, so each
//     item is yielded alone. null (the answer for an id without an item) is
//     skipped.
//
// User objects (Algolia's /users/<name>, Firebase's /v0/user/<name>) and poll
// options ("pollopt") are not posts and are skipped. An error response ({"message": …} without hits, or a search
// response whose hits were cut off with a message, such as the 1,000-hit cap)
// is reported as an error item.
//
// Fields:
//   - NativeID: objectID (hits) or id (items); ID = "hackernews:<id>". An
//     item seen through both APIs is thus one post, with the same address,
//     author, time, text and ReplyTo.
//   - URL: https://news.ycombinator.com/item?id=<id>.
//   - CreatedAt: created_at_i (epoch seconds), else created_at (RFC 3339),
//     else time (Firebase, epoch seconds).
//   - Stories, polls, jobs and Ask/Show HN: Text = title, then a blank line
//     and the story text (story_text or text, HTML turned into text) when
//     there is one. The title is used as Algolia gives it (plain text).
//     Links = the story url, then the links of the story text.
//   - Comments: Text = comment_text (or text), HTML turned into text; Links =
//     the href of each link in it (Hacker News shortens the visible text of
//     long links). ReplyTo = "hackernews:<parent>": the enclosing item inside
//     an /items tree, else parent_id, else parent (Firebase), else story_id
//     (numbers or strings).
//   - Author: Handle = ID = author (Firebase: by), URL
//     https://news.ycombinator.com/user?id=<author>.
//   - Metrics: points (Firebase: score) → Likes, num_comments (Firebase:
//     descendants) → Replies (counts the payload lacks stay zero; /items
//     responses carry no num_comments, Firebase comments no score).
//   - Lang is unknown and left empty; _tags are Algolia's facets, not
//     hashtags, and are not used.
//   - Raw: the hit or item object byte for byte, except that in an /items
//     tree the nested "children" objects are replaced by the list of their
//     ids (as newer hits carry them), so a tree is not stored once per level.
//
// An /items node with neither author nor any text or title (how Algolia shows
// a deleted comment), any record with "deleted": true, and a Firebase item
// with "dead": true (killed by flags or moderators; Hacker News hides it and
// the API gives "[dead]" for its text) is yielded as a Post with what is left
// of it, then a Delete (At zero: the payload does not say when), as
// [collector.Item] prescribes for posts the input says are deleted. What is
// left is the time, the place in the thread and, for a dead item, the author
// and any title; not the placeholder text. So the replies, which still
// follow, hang in the thread. Without a usable time there is only the
// Delete. A dead item vouched back to life later stays deleted in the
// archive. A hit or item without id or time is an error item; decoding goes
// on with the next record.
//
// # Live source
//
// [Poller] is a live.Poller that follows /search_by_date (newest first) for
// a query and a tags filter (default "(story,comment)"), no credentials
// needed. Its cursor "<sec>:<id>,<id>,…" means: ask next for
// created_at_i >= sec, and skip these objectIDs, already delivered, among
// the hits at sec or later. So hits sharing a second are neither lost nor
// delivered again, and the cursor stays 15 minutes behind the newest hit (at
// most half a page of ids), because Algolia indexes some hits minutes late.
// When everything after the cursor fits in one page the batch holds all of
// it; otherwise it holds the oldest page of the backlog (the last page of a
// created_at_i window that bisection keeps under Algolia's 1,000-hit reach)
// and More is set. An empty cursor starts at Config.Since, else 15 minutes
// ago. Algolia allows about 10,000 requests an hour per IP; errors (429,
// 5xx, a "message" in a 200) are returned for the loop to back off.
package hackernews
