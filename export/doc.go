// Package export writes the quotes of a collection or an event as files a
// reporter can use: CSV, XLSX, Markdown, plain text, HTML, JSON and JSON
// Lines, each item with what a citation needs (see [Item]).
//
// [NewWriter] returns a streaming [Writer]: items are written as they come
// and nothing per item is kept, so an export of a million posts runs in
// constant memory (XLSX: excelize's StreamWriter buffers 16 MB and then
// spills to a temporary file; see below for hyperlinks). Close ends the
// document and flushes; it never closes the underlying io.Writer. Unknown
// formats ([ParseFormat], [NewWriter]) and zones ([LoadZone]) are refused with
// the valid ones named.
//
// Every format but JSON writes text cleaned: invalid UTF-8, C0 controls
// other than tab, LF and CR, DEL and C1 controls become U+FFFD. The JSON
// formats are the exact record.
//
// # CSV and XLSX columns
//
// position, post_id, source, author_name, author_handle, permalink,
// created_utc (ISO 8601, "2017-02-28T17:52:03Z"), created_local
// ("2017-02-28 09:52 PST" in Meta.Location), lang, text, likes, reposts,
// replies, quotes (engagement at capture), reply_to, quote_of (post ids),
// status (live, edited, deleted), current_text (when edited),
// collected_utc, sentiment_label, sentiment_score (empty when not scored),
// content_hash (SHA-256 hex of the raw payload), note, tags (joined with
// ", "), added_by, added_utc. [Columns] returns them.
//
// CSV: UTF-8 with a byte order mark, RFC 4180 (CR LF between records,
// every non-numeric field quoted, quotes doubled). Line breaks inside texts
// are written as they are (encoding/csv, LibreOffice and Excel read CR LF
// and, in LibreOffice, a lone CR inside a field as LF). Guarantees for
// spreadsheets:
//   - Ids stay text: post ids are "<source>:<native id>" with a source name
//     starting with a letter, which no spreadsheet reads as a number, date or
//     formula ("twitter:1234567890123456789" survives; a bare
//     1234567890123456789 would become 1.23457E+18). An id without such a
//     prefix gets a leading apostrophe. The ="…" trick is not used: it is a
//     formula, and RFC 4180 readers would see ="…" as the value.
//   - Formula injection: a text cell starting with = + - @ tab or CR gets a
//     leading apostrophe (OWASP). Such cells are therefore not byte-identical
//     to the text (an apostrophe more); the JSON export is the exact record.
//     Numeric columns (position, counts, sentiment_score) are numbers this
//     package formats and are not prefixed.
//   - Other text cells are not marked: a post whose whole text is "1/2" or
//     "12345" may be shown as a date or number by a spreadsheet that opens the
//     CSV. The XLSX has no such guessing.
//
// XLSX (excelize): sheet "Quotes" with a bold, frozen header row, every
// string a text cell (inline string with the text number format "@", never a
// formula), long texts wrapped, column widths set, permalinks hyperlinks
// (http and https only, for the first 10,000 rows: excelize keeps links in
// memory and files each one in quadratic time; later permalinks are plain
// text); counts and scores numbers. A cell holds at most 32,767 UTF-16
// units: longer texts are cut with a "[truncated …]" mark. Sheet "About":
// title, description, event, item count, generation time, zone, generator
// and the method note.
//
// # Markdown and text
//
// Per item a block quote (every line quoted, Markdown characters escaped so
// the text renders literally, hard line breaks kept, leading indentation
// dropped), then a citation line:
//
//	— Display Name (@handle), Twitter, 2017-02-28 09:52 PST (17:52 UTC), <https://permalink> — replying to <…>; deleted at source since quoted
//
// then "Now reads: …" for an edited post and the reporter's note. A header
// (title, description, generation time) comes first and the method note
// last. The text format is the same without Markdown: the quote in “ ”.
//
// # HTML
//
// One self-contained page (html/template; inline CSS with a print style
// sheet; no scripts, images, fonts or other external assets; a
// Content-Security-Policy that forbids them): a header, one card per item
// (text with its line breaks, author, handle, time in both zones, platform,
// counts, status badge, replies and quotes, note, permalink with
// rel="noopener noreferrer nofollow"; only http and https URLs become links)
// and the method note at the end.
//
// # JSON and JSON Lines
//
// JSON: {"meta": {title, slug, description, event, zone, generated_at,
// generator, method}, "items": [Item…], "count": n}. JSON Lines: one Item
// per line and nothing else (no meta: the JSON export has it). Field names
// are the json tags of [Item] and are stable. "raw" is the payload byte for
// byte, so content_hash verifies; in JSON Lines a payload with line breaks
// is compacted (whitespace between tokens dropped) to stay on one line. A
// raw payload that is not valid UTF-8 JSON is an error. Strings are not
// HTML-escaped.
package export
