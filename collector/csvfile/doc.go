// Package csvfile imports posts from CSV files with a header row, as other
// tools export them: twarc-csv, 4CAT, Social Feed Manager, CrowdTangle-like
// exports, research data sets such as CrisisLex.
//
// A [Mapping] names the columns that hold each post field. [DetectMapping]
// guesses it from the header (case-insensitively; spaces, '-' and '_' are the
// same), [ParseMapping] reads one from a command-line flag such as
// "id=Tweet ID,text=Tweet Text,created_at=Timestamp", and [Mapping.Merge]
// lets such a flag override the guess. [Decode] reads the rows.
//
// The file: RFC 4180 CSV, UTF-8 (a leading byte order mark is dropped),
// quoted fields may span lines. The delimiter is ',' unless the header line
// holds more ';' or tabs than commas (as spreadsheets in many locales write
// them). The first record is the header.
//
// Fields of each row:
//   - Source: the source column, lower-cased, when it holds a platform name
//     ("x" and "tweet" mean "twitter"); otherwise (no such column, an empty
//     cell, or a value that is not a name, such as twarc's "Twitter for
//     iPhone" client names) the default source given to Decode.
//   - NativeID: the id cell, trimmed; ID = "<source>:<id>".
//   - Text: the text cell, HTML entities decoded (Twitter exports keep
//     &amp;); it is otherwise kept as written: a cell that looks like a
//     spreadsheet formula stays text.
//   - CreatedAt: RFC 3339 (a time without zone is UTC), "2006-01-02 15:04:05",
//     "2006-01-02T15:04:05", Twitter's "Mon Jan 02 15:04:05 -0700 2006", unix
//     seconds or milliseconds (integer or not), or "2006-01-02".
//   - Author: Handle (without '@'), Name and ID from their columns; URL
//     https://x.com/<handle> for Twitter.
//   - URL: the url column; for Twitter without one, https://x.com/<handle>/status/<id>
//     (https://x.com/i/web/status/<id> without a handle).
//   - Lang: the lang cell, trimmed. ReplyTo: "<source>:<reply id>".
//   - Raw: the row as a JSON object {header: cell}, cells verbatim, in column
//     order.
//
// CSV exports carry no entities, counts or edit history: hashtags, mentions,
// links, media and metrics stay empty.
//
// Errors: a header without id, text or created_at column (after the mapping
// is applied), a mapping naming a column the file lacks, and a file without
// source column when no default source is given are reported once, at line
// 1, and nothing is read. A row is reported and skipped when it has a different
// number of fields than the header, is malformed CSV, is not valid UTF-8, has
// no id, no text or no readable time, or has an id in scientific notation
// (8.35971E+17: a spreadsheet turned it into a number and lost its digits).
// Every item's Line is the line where its row starts.
package csvfile
