// Package importer reads files of collected posts into the archive: it opens
// each input (a file or standard input), undoes gzip or zstd compression and
// UTF-16 encoding, tells the format from the content (or takes the one it is
// told), decodes it with the matching decoder from the source packages, and
// writes the posts and deletions in batches.
//
// Invariants:
//   - A record that cannot be read is reported as "file:line: reason" and
//     skipped; the import goes on with the next record and the next file.
//   - Nothing is written for a record twice in one run; writing is idempotent
//     in the store, so a rerun after a crash only completes what was missing.
//   - Decoding never panics; a decoder panic would be a bug, and is turned into
//     an error for that file rather than a crash of the whole import.
package importer
