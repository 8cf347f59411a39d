package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/event"
	"github.com/aftershock/aftershock/post"
)

// Collection is a named, ordered set of quoted posts.
type Collection struct {
	Slug        string
	Name        string
	Description string
	Event       string // the event's slug, "" if none
	Created     time.Time
	Updated     time.Time
	Items       int // number of items (read only)
}

// CollectionItem is one quoted post: the reporter's annotations and the
// snapshot of the post as it was when it was added, which later edits or
// deletions never change.
type CollectionItem struct {
	PostID   string
	Position int // 1-based
	Note     string
	Tags     []string
	AddedBy  string
	AddedAt  time.Time
	// Snapshot is the post as quoted, Raw included; ContentHash is the
	// SHA-256 (hex) of Snapshot.Raw.
	Snapshot    post.Post
	ContentHash string
	// Current is the archive's copy now, and whether the archive still has
	// it (read only; Items fills them).
	Current    Stored
	HasCurrent bool
}

// Errors of collections.
var (
	ErrNoCollection     = errors.New("no such collection")
	ErrCollectionExists = errors.New("a collection with this slug exists")
	ErrNotInCollection  = errors.New("post is not in the collection")
	ErrBadSlug          = errors.New("invalid slug: use lower-case letters, digits and '-', starting with a letter or digit, at most 64")
)

// CreateCollection stores a new, empty collection.
func (s *Store) CreateCollection(ctx context.Context, c Collection) error {
	if !event.ValidSlug(c.Slug) {
		return fmt.Errorf("%w: %q", ErrBadSlug, c.Slug)
	}
	if strings.TrimSpace(c.Name) == "" {
		c.Name = c.Slug
	}
	now := fmtTime(s.now())
	_, err := s.db.ExecContext(ctx, `INSERT INTO collections (slug, name, description, event, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, c.Slug, strings.TrimSpace(c.Name), c.Description, c.Event, now, now)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return fmt.Errorf("%w: %s", ErrCollectionExists, c.Slug)
	}
	if err != nil {
		return fmt.Errorf("create collection %s: %w", c.Slug, err)
	}
	return nil
}

// UpdateCollection changes a collection's name, description and event.
func (s *Store) UpdateCollection(ctx context.Context, c Collection) error {
	res, err := s.db.ExecContext(ctx, `UPDATE collections SET name = ?, description = ?, event = ?, updated_at = ? WHERE slug = ?`,
		c.Name, c.Description, c.Event, fmtTime(s.now()), c.Slug)
	if err != nil {
		return fmt.Errorf("update collection %s: %w", c.Slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNoCollection, c.Slug)
	}
	return nil
}

// DeleteCollection removes a collection and its items (not the posts).
func (s *Store) DeleteCollection(ctx context.Context, slug string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM collections WHERE slug = ?`, slug)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %s", ErrNoCollection, slug)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM collection_items WHERE collection = ?`, slug)
		return err
	})
}

const collectionColumns = `c.slug, c.name, c.description, c.event, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM collection_items i WHERE i.collection = c.slug)`

func scanCollection(r scanner) (Collection, error) {
	var (
		c            Collection
		created, upd string
	)
	err := r.Scan(&c.Slug, &c.Name, &c.Description, &c.Event, &created, &upd, &c.Items)
	c.Created, c.Updated = parseTime(created), parseTime(upd)
	return c, err
}

// Collection returns one collection.
func (s *Store) Collection(ctx context.Context, slug string) (Collection, error) {
	c, err := scanCollection(s.db.QueryRowContext(ctx, `SELECT `+collectionColumns+` FROM collections c WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("%w: %s", ErrNoCollection, slug)
	}
	return c, err
}

// Collections returns every collection, the most recently changed first.
func (s *Store) Collections(ctx context.Context) ([]Collection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+collectionColumns+` FROM collections c ORDER BY c.updated_at DESC, c.slug`)
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	defer rows.Close()
	var out []Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddResult says what AddItems did with each id.
type AddResult struct {
	Added   []string // new items, in the order given
	Already []string // in the collection before: left as they were
	Missing []string // not in the archive: skipped
}

// AddItems appends the posts with the given ids to the collection, each
// with a snapshot of the post as the archive has it now, the note and tags
// given, and by. Unknown ids and ids already in the collection are
// reported in the result and skipped; the rest is added in one
// transaction.
func (s *Store) AddItems(ctx context.Context, slug string, ids []string, note string, tags []string, by string) (AddResult, error) {
	var r AddResult
	if _, err := s.Collection(ctx, slug); err != nil {
		return r, err
	}
	if tags == nil {
		tags = []string{}
	}
	tagsJSON, _ := json.Marshal(tags)
	now := fmtTime(s.now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var last int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM collection_items WHERE collection = ?`, slug).Scan(&last); err != nil {
			return err
		}
		for _, id := range ids {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_items WHERE collection = ? AND post_id = ?`, slug, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				r.Already = append(r.Already, id)
				continue
			}
			p, err := scanPost(tx.QueryRowContext(ctx, "SELECT "+postColumns+", raw FROM posts WHERE id = ?", id), s.codec.unpack)
			if errors.Is(err, sql.ErrNoRows) {
				r.Missing = append(r.Missing, id)
				continue
			}
			if err != nil {
				return fmt.Errorf("post %s: %w", id, err)
			}
			raw := p.Raw
			snap := p.Post
			snap.Raw = nil
			snapJSON, err := json.Marshal(snap)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(raw)
			last++
			if _, err := tx.ExecContext(ctx, `INSERT INTO collection_items (collection, post_id, position, note, tags, added_by, added_at,
				snapshot, raw, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				slug, id, last, note, string(tagsJSON), by, now, string(snapJSON), s.codec.pack(raw), hex.EncodeToString(sum[:])); err != nil {
				return fmt.Errorf("add %s: %w", id, err)
			}
			r.Added = append(r.Added, id)
		}
		if len(r.Added) > 0 {
			_, err := tx.ExecContext(ctx, `UPDATE collections SET updated_at = ? WHERE slug = ?`, now, slug)
			return err
		}
		return nil
	})
	return r, err
}

// RestoreItem adds an item with a given snapshot (a case file being
// imported on another machine), keeping its note, tags, author and time.
// An item already in the collection is left as it is.
func (s *Store) RestoreItem(ctx context.Context, slug string, it CollectionItem) error {
	tags := it.Tags
	if tags == nil {
		tags = []string{}
	}
	tagsJSON, _ := json.Marshal(tags)
	raw := it.Snapshot.Raw
	snap := it.Snapshot
	snap.Raw = nil
	snapJSON, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	if h := hex.EncodeToString(sum[:]); it.ContentHash != "" && h != it.ContentHash {
		return fmt.Errorf("item %s: the raw payload's hash %s is not the recorded %s", it.PostID, h, it.ContentHash)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var last int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM collection_items WHERE collection = ?`, slug).Scan(&last); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO collection_items (collection, post_id, position, note, tags, added_by, added_at,
			snapshot, raw, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (collection, post_id) DO NOTHING`,
			slug, it.PostID, last+1, it.Note, string(tagsJSON), it.AddedBy, fmtTime(it.AddedAt), string(snapJSON),
			s.codec.pack(raw), hex.EncodeToString(sum[:]))
		return err
	})
}

// RemoveItems takes posts out of a collection (the posts stay in the
// archive); ErrNotInCollection names the first id that was not in it.
func (s *Store) RemoveItems(ctx context.Context, slug string, ids []string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `DELETE FROM collection_items WHERE collection = ? AND post_id = ?`, slug, id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("%w: %s", ErrNotInCollection, id)
			}
		}
		return renumber(ctx, tx, slug, "", 0, fmtTime(s.now()))
	})
}

// MoveItem puts a post at a 1-based position (clamped to the list), the
// others keeping their order.
func (s *Store) MoveItem(ctx context.Context, slug, id string, pos int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM collection_items WHERE collection = ? AND post_id = ?`, slug, id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: %s", ErrNotInCollection, id)
		}
		return renumber(ctx, tx, slug, id, pos, fmtTime(s.now()))
	})
}

// renumber gives the items positions 1…n in their current order, with
// moving (if not "") placed at pos, and marks the collection changed at now.
func renumber(ctx context.Context, tx *sql.Tx, slug, moving string, pos int, now string) error {
	rows, err := tx.QueryContext(ctx, `SELECT post_id FROM collection_items WHERE collection = ? ORDER BY position, post_id`, slug)
	if err != nil {
		return err
	}
	var order []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if id != moving {
			order = append(order, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if moving != "" {
		pos = min(max(pos, 1), len(order)+1)
		order = append(order[:pos-1], append([]string{moving}, order[pos-1:]...)...)
	}
	for i, id := range order {
		if _, err := tx.ExecContext(ctx, `UPDATE collection_items SET position = ? WHERE collection = ? AND post_id = ?`, i+1, slug, id); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE collections SET updated_at = ? WHERE slug = ?`, now, slug)
	return err
}

// AnnotateItem sets an item's note and/or tags (nil leaves one as it is).
func (s *Store) AnnotateItem(ctx context.Context, slug, id string, note *string, tags []string) error {
	q, args := `UPDATE collection_items SET `, []any{}
	var sets []string
	if note != nil {
		sets, args = append(sets, "note = ?"), append(args, *note)
	}
	if tags != nil {
		b, _ := json.Marshal(tags)
		sets, args = append(sets, "tags = ?"), append(args, string(b))
	}
	if len(sets) == 0 {
		return nil
	}
	res, err := s.db.ExecContext(ctx, q+strings.Join(sets, ", ")+` WHERE collection = ? AND post_id = ?`, append(args, slug, id)...)
	if err != nil {
		return fmt.Errorf("annotate %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNotInCollection, id)
	}
	return nil
}

// Items returns a collection's items in order, each with its snapshot
// (raw payload included) and the archive's current copy of the post.
func (s *Store) Items(ctx context.Context, slug string) ([]CollectionItem, error) {
	if _, err := s.Collection(ctx, slug); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT post_id, position, note, tags, added_by, added_at, snapshot, raw, content_hash
		FROM collection_items WHERE collection = ? ORDER BY position, post_id`, slug)
	if err != nil {
		return nil, fmt.Errorf("items of %s: %w", slug, err)
	}
	var out []CollectionItem
	for rows.Next() {
		var (
			it                CollectionItem
			tags, added, snap string
			raw               []byte
		)
		if err := rows.Scan(&it.PostID, &it.Position, &it.Note, &tags, &it.AddedBy, &added, &snap, &raw, &it.ContentHash); err != nil {
			rows.Close()
			return nil, err
		}
		it.AddedAt = parseTime(added)
		if err := decodeLists([]listColumn{{tags, &it.Tags}}); err != nil {
			rows.Close()
			return nil, fmt.Errorf("item %s: %w", it.PostID, err)
		}
		if err := json.Unmarshal([]byte(snap), &it.Snapshot); err != nil {
			rows.Close()
			return nil, fmt.Errorf("item %s: bad snapshot: %w", it.PostID, err)
		}
		if it.Snapshot.Raw, err = s.codec.unpack(raw); err != nil {
			rows.Close()
			return nil, fmt.Errorf("item %s: %w", it.PostID, err)
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]string, len(out))
	for i, it := range out {
		ids[i] = it.PostID
	}
	cur, err := s.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Stored, len(cur))
	for _, p := range cur {
		byID[p.ID] = p
	}
	for i := range out {
		out[i].Current, out[i].HasCurrent = byID[out[i].PostID]
	}
	return out, nil
}

// inTx runs fn in a write transaction.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
