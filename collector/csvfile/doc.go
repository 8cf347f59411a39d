// Package csvfile imports posts from CSV files with a header row, as other
// tools export them: twarc-csv, 4CAT, Social Feed Manager, an X archive's
// legacy tweets.csv, CrowdTangle-like exports, research data sets such as
// CrisisLex or the Twitter US Airline Sentiment set, and such files re-saved
// by a spreadsheet.
//
// A [Mapping] names the columns that hold each post field. [DetectMapping]
// guesses it from the header (case-insensitively; spaces, '-' and '_' are the
// same; a time column not in its list is guessed by the shape of its name:
// "*_created", "created*", "*_date", "*_time", leaving out account times),
// [ParseMapping] reads one from a command-line flag such as
// "id=Tweet ID,text=Tweet Text,created_at=Timestamp", and [Mapping.Merge]
// lets such a flag override the guess. [Decode] reads the rows, tuned by
// [Options].
//
// The file: RFC 4180 CSV, UTF-8 (a leading byte order mark is dropped),
// quoted fields may span lines. The delimiter is ',' unless the header line
// holds more ';' or tabs than commas (as spreadsheets in many locales write
// them). The first record is the header.
//
// Fields of each row:
//   - Source: Options.Source when set, whatever the file says. Otherwise
//     the source column's cell when it names a platform ("twitter", "x",
//     "mastodon", "bluesky", "reddit", "hackernews", "facebook", … in any
//     case; when the column was named in Options.Columns, any name of
//     lower-case letters, digits, '.', '-', '_'), else Options.DefaultSource.
//     A source column holding something else holds client names (twarc's
//     and 4CAT's "Twitter for iPhone", an X archive's <a href=…>Twitter Web
//     Client</a>, "web"): the first such cell decides the file, and when it
//     names a Twitter client, the rows without a platform are tweets.
//   - NativeID: the id cell, trimmed; ID = "<source>:<id>", so a tweet id
//     gives the same post as the twitter importers give.
//   - Text: the text cell, HTML entities decoded (Twitter exports keep
//     &amp;), and in a twarc-csv file (one with "__twarc.*" columns) the
//     \n it writes for a line break made one again; it is otherwise kept as
//     written: a cell that looks like a spreadsheet formula stays text.
//   - CreatedAt: see Times below.
//   - Author: Handle (without '@'), Name and ID from their columns; a guessed
//     "name" column in a file without handle column holds handles where a
//     cell has no spaces (the Airline Sentiment set). URL
//     https://x.com/<handle> for Twitter.
//   - URL: the url column; for Twitter without one, https://x.com/<handle>/status/<id>
//     (https://x.com/i/web/status/<id> without a handle).
//   - Lang: the lang cell, trimmed. ReplyTo: "<source>:<reply id>".
//   - Hashtags, Mentions, Links: from their columns when the file has them
//     (a JSON list as twarc-csv writes, or values separated by commas,
//     semicolons, '|' or spaces, '#' and '@' dropped; links must be http or
//     https); otherwise taken from the text: #tags holding a letter, @handles
//     (Mastodon's @user@domain kept whole, e-mail addresses left out) and
//     http(s) links less trailing punctuation.
//   - Raw: the row as a JSON object {header: cell}, cells verbatim, in column
//     order.
//
// CSV exports carry no counts, media or edit history: those stay empty.
//
// Times: Options.TimeLayout names the layout (see [ParseTimeLayout]).
// Without it each value is read in whichever of these it is written: ISO
// 8601 / RFC 3339 with or without zone, seconds or fraction ("2015-02-24",
// "2015-02-24 11:35", "2015-02-24T11:35:52.250Z", "2015-02-24 11:35:52
// -0800", "… UTC"), dates with '/', '.' or '-' and a two- or four-digit
// year ("2/24/2015 11:35", "24.02.2015 11:35:52", "2/24/15 11:35 PM"),
// Twitter's "Tue Feb 24 11:35:52 +0000 2015", RFC 1123, "Feb 24, 2015 11:35
// AM", "24-Feb-15", YYYYMMDD and YYYYMMDDhhmmss (years 1900-2099), unix
// seconds or milliseconds, and spreadsheet serial dates (42059.48 is
// 2015-02-24 11:31, a decimal up to 2958465). A time
// written without zone is read in Options.Location (UTC when nil), and
// Options.Note is told so once per file.
//
// The order of day and month in a date such as 3/4/2015 is decided per file
// from its values: a first part over 12 means day first, a second part over
// 12 month first; Options.Note is told which value decided it. Rows whose
// date reads two ways wait, in order, until a value decides, for at most
// 10,000 rows or 32 MiB of cells (so the file is never held whole). When
// the file ends or the look-ahead is full with nothing decided, dates with
// dots are read day first (as they are written nearly everywhere) and other
// dates that read two ways are refused row by row with an error naming
// --time-layout; a deciding value later in the file still decides for the
// rows after it.
//
// Errors: a header without id, text or created_at column (after the mapping
// is applied), a mapping naming a column the file lacks, a source or time
// layout that cannot be used, and a file without source column when no
// source is given are reported once, at line 1, and nothing is read. A row
// is reported and skipped when it has a different number of fields than the
// header, is malformed CSV, is not valid UTF-8, has no id, no text or no
// readable time, has no platform and no default is given, or has an id in
// scientific notation (8.35971E+17: a spreadsheet turned it into a number
// and lost its digits). Every item's Line is the line where its row starts.
package csvfile
