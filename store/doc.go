// Package store is Aftershock's archive, the system of record: an ordinary
// SQLite file (archive.db, opened through the pure-Go modernc.org/sqlite
// driver in WAL mode) that holds every post with its raw payload, the older
// versions of edited posts, deletions, and the import runs that brought them.
//
// Invariants:
//   - A post is keyed by its id "<source>:<native id>"; writing the same post
//     again is idempotent: only newer content, engagement counts or filled-in
//     metadata change the row.
//   - Text is never lost: when a post changes, the text and payload it had are
//     kept in post_versions first. An older revision that arrives late goes
//     there too, without replacing the current one.
//   - Deletion is a flag with a time (deleted_at), never a dropped row. A
//     deletion that arrives before its post is kept in deletions and applied
//     when the post comes.
//   - Every change that the index must see gives the post a new, strictly
//     greater seq. SQLite runs one write transaction at a time (each is begun
//     IMMEDIATE), so seq order is commit order, across processes too: a reader
//     that has seen seq n has seen every change up to n.
//   - Raw payloads are kept byte for byte; from 128 bytes on they are stored
//     zstd-compressed (a third of the size for X/Twitter JSON) and
//     decompressed on read, so callers only ever see the payload itself.
//   - A write that fails on a full disk writes nothing of its batch and
//     returns an error wrapping ErrDiskFull; what was committed before is
//     intact, and the same batch can be written again once there is space.
//   - API tokens are kept as SHA-256 hashes only; revoked ones stay, marked.
//   - Times are stored as UTC text "2006-01-02T15:04:05.000Z" so they sort and
//     read well in the sqlite3 shell.
//
// The schema is documented in schema.md beside this file.
package store
