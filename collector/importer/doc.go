// Package importer reads files of collected posts into the archive. Each
// command-line input is standard input, a file, a folder or a zip file; a
// folder or zip is read file by file (sources.go): an X archive, as its
// folder or the zip X sends, gives only its files of posts, with the owner
// from account.js, the long posts' full texts from note-tweet.js and the
// counts its manifest announces; a Mastodon export gives outbox.json with
// the owner from actor.json. Each file is decompressed (gzip, zstd, UTF-16)
// and its layout told from its first bytes: CSV, an X archive's JavaScript,
// a Bluesky repository (CAR), or JSON. JSON is read record by record, and
// every record's format is told from that whole record (records.go), so a
// file may mix formats line by line and no distinctive key can fall outside
// a detection window. The posts and deletions are written in batches.
//
// Invariants:
//   - A record that cannot be read is reported as "file:line: reason" and
//     skipped; the import goes on with the next record and the next file.
//   - Every input gets a FileSummary: its formats, records, posts,
//     deletions, errors, what was assumed or taken from elsewhere, and what
//     it announces of itself (collector.Expect), so that a file read only in
//     part is reported, never passed over in silence.
//   - Nothing is written for a record twice in one run; writing is idempotent
//     in the store, so a rerun after a crash only completes what was missing.
//   - Memory stays bounded whatever the input: one record of any layout is at
//     most Options.MaxRecordBytes (64 MiB) and a longer one is reported and
//     read past; every post is held to post.Limits before it is stored.
//   - Decoding never panics; a decoder panic would be a bug, and is turned into
//     an error for that file rather than a crash of the whole import.
package importer
