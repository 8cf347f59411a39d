package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; the schema version (PRAGMA user_version)
// is the number applied. Never edit one that has shipped: append a new one.
var migrations = []string{
	// 1: posts, versions, deletions, import runs.
	`
CREATE TABLE posts (
	id            TEXT PRIMARY KEY,
	source        TEXT NOT NULL,
	native_id     TEXT NOT NULL,
	seq           INTEGER NOT NULL,
	url           TEXT NOT NULL DEFAULT '',
	author_id     TEXT NOT NULL DEFAULT '',
	author_handle TEXT NOT NULL DEFAULT '',
	author_name   TEXT NOT NULL DEFAULT '',
	author_url    TEXT NOT NULL DEFAULT '',
	text          TEXT NOT NULL,
	lang          TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	collected_at  TEXT NOT NULL,
	edited_at     TEXT,
	revision      INTEGER NOT NULL DEFAULT 0,
	reply_to      TEXT NOT NULL DEFAULT '',
	quote_of      TEXT NOT NULL DEFAULT '',
	repost_of     TEXT NOT NULL DEFAULT '',
	likes         INTEGER NOT NULL DEFAULT 0,
	reposts       INTEGER NOT NULL DEFAULT 0,
	replies       INTEGER NOT NULL DEFAULT 0,
	quotes        INTEGER NOT NULL DEFAULT 0,
	hashtags      TEXT NOT NULL DEFAULT '[]',
	mentions      TEXT NOT NULL DEFAULT '[]',
	links         TEXT NOT NULL DEFAULT '[]',
	media         TEXT NOT NULL DEFAULT '[]',
	deleted_at    TEXT,
	first_seen_at TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	raw           BLOB NOT NULL
);
CREATE UNIQUE INDEX posts_seq ON posts(seq);
CREATE INDEX posts_created ON posts(created_at);
CREATE TABLE post_versions (
	post_id   TEXT NOT NULL REFERENCES posts(id),
	revision  INTEGER NOT NULL,
	edited_at TEXT,
	text      TEXT NOT NULL,
	url       TEXT NOT NULL DEFAULT '',
	seen_at   TEXT NOT NULL,
	raw       BLOB NOT NULL
);
CREATE INDEX post_versions_post ON post_versions(post_id, revision);
CREATE TABLE deletions (
	post_id    TEXT PRIMARY KEY,
	deleted_at TEXT NOT NULL,
	seen_at    TEXT NOT NULL
);
CREATE TABLE import_runs (
	id           INTEGER PRIMARY KEY,
	started_at   TEXT NOT NULL,
	finished_at  TEXT,
	inputs       TEXT NOT NULL,
	read         INTEGER NOT NULL DEFAULT 0,
	new          INTEGER NOT NULL DEFAULT 0,
	updated      INTEGER NOT NULL DEFAULT 0,
	unchanged    INTEGER NOT NULL DEFAULT 0,
	deleted      INTEGER NOT NULL DEFAULT 0,
	errors       INTEGER NOT NULL DEFAULT 0,
	first_errors TEXT NOT NULL DEFAULT '[]'
);
`,
	// 2: sentiment, scored once before the store write (see sentiment/).
	`
ALTER TABLE posts ADD COLUMN sentiment_label TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN sentiment REAL NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN sentiment_confidence REAL NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN sentiment_model TEXT NOT NULL DEFAULT '';
CREATE INDEX posts_sentiment ON posts(sentiment_label);
`,
	// 3: events, and the status-page incidents that become their markers.
	`
CREATE TABLE events (
	slug         TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	query        TEXT NOT NULL DEFAULT '',
	sources      TEXT NOT NULL DEFAULT '[]',
	langs        TEXT NOT NULL DEFAULT '[]',
	window_from  TEXT NOT NULL,
	window_to    TEXT,
	tz           TEXT NOT NULL DEFAULT '',
	services     TEXT NOT NULL DEFAULT '[]',
	status_feeds TEXT NOT NULL DEFAULT '[]',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE TABLE status_incidents (
	key         TEXT PRIMARY KEY,
	origin      TEXT NOT NULL,
	page        TEXT NOT NULL DEFAULT '',
	page_url    TEXT NOT NULL DEFAULT '',
	name        TEXT NOT NULL DEFAULT '',
	url         TEXT NOT NULL DEFAULT '',
	impact      TEXT NOT NULL DEFAULT '',
	components  TEXT NOT NULL DEFAULT '[]',
	started_at  TEXT NOT NULL,
	resolved_at TEXT,
	read_at     TEXT NOT NULL
);
CREATE INDEX status_incidents_started ON status_incidents(started_at);
CREATE TABLE status_updates (
	incident_key TEXT NOT NULL REFERENCES status_incidents(key) ON DELETE CASCADE,
	id           TEXT NOT NULL,
	at           TEXT NOT NULL,
	state        TEXT NOT NULL,
	body         TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (incident_key, id)
);
`,
	// 4: quote collections, each item with a snapshot of the post as quoted.
	`
CREATE TABLE collections (
	slug        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	event       TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE TABLE collection_items (
	collection   TEXT NOT NULL,
	post_id      TEXT NOT NULL,
	position     INTEGER NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	tags         TEXT NOT NULL DEFAULT '[]',
	added_by     TEXT NOT NULL DEFAULT '',
	added_at     TEXT NOT NULL,
	snapshot     TEXT NOT NULL,
	raw          BLOB,
	content_hash TEXT NOT NULL,
	PRIMARY KEY (collection, post_id)
);
CREATE INDEX collection_items_order ON collection_items(collection, position);
`,
	// 5: live sources: their cursors (written with the posts they cover),
	// their coverage, and the sources an event collects from.
	`
CREATE TABLE cursors (
	source     TEXT PRIMARY KEY,
	cursor     TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE coverage (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL,
	state      TEXT NOT NULL,
	detail     TEXT NOT NULL DEFAULT '',
	started_at TEXT NOT NULL,
	ended_at   TEXT
);
CREATE INDEX coverage_source ON coverage(source, started_at);
ALTER TABLE events ADD COLUMN collect TEXT NOT NULL DEFAULT '[]';
`,
	// 6: API tokens: only a SHA-256 of each is kept; revoked ones stay,
	// for the record, and free their name.
	`
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL,
	hash         BLOB NOT NULL UNIQUE,
	prefix       TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	revoked_at   TEXT
);
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
`,
	// 7: posts the indexer had to leave out, at the version (seq) it
	// could not index, and why.
	`
CREATE TABLE index_skips (
	post_id TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL,
	reason  TEXT NOT NULL,
	at      TEXT NOT NULL
);
`,
}

// SchemaVersion returns the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

func migrate(ctx context.Context, db *sql.DB) error {
	// Each migration reads the schema version inside its own transaction,
	// which the store begins IMMEDIATE (it takes the write lock first): two
	// processes opening a new archive at once take turns, and the second
	// finds the first's migrations applied instead of applying them again
	// ("table posts already exists").
	for {
		done, err := migrateOne(ctx, db)
		if err != nil || done {
			return err
		}
	}
}

// migrateOne applies the next migration, if any, and reports whether the
// schema was already up to date.
func migrateOne(ctx context.Context, db *sql.DB) (done bool, err error) {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return false, fmt.Errorf("archive schema version %d is newer than this program's %d: upgrade aftershock", v, len(migrations))
	}
	if v == len(migrations) {
		return true, nil // the common case, without taking the write lock
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if v >= len(migrations) {
		return v == len(migrations), nil // another process did it meanwhile
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	return false, nil
}
