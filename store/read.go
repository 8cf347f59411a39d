package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aftershock/aftershock/post"
)

// Stored is a post as the archive holds it.
type Stored struct {
	post.Post
	Seq         int64
	DeletedAt   time.Time // zero while the post is live
	FirstSeenAt time.Time
	UpdatedAt   time.Time
}

// Deleted reports whether the post has been deleted at its source.
func (s *Stored) Deleted() bool { return !s.DeletedAt.IsZero() }

const postColumns = `id, source, native_id, seq, url, author_id, author_handle, author_name, author_url,
	text, lang, created_at, collected_at, edited_at, revision, reply_to, quote_of, repost_of,
	likes, reposts, replies, quotes, hashtags, mentions, links, media, deleted_at, first_seen_at, updated_at,
	sentiment_label, sentiment, sentiment_confidence, sentiment_model`

type scanner interface{ Scan(dest ...any) error }

// scanPost reads a row of postColumns; with unpack, the raw column follows
// and is decompressed with it.
func scanPost(r scanner, unpack func([]byte) ([]byte, error)) (Stored, error) {
	var (
		s                                      Stored
		p                                      = &s.Post
		created, collected, firstSeen, updated string
		edited, deleted                        sql.NullString
		hashtags, mentions, links, media       string
	)
	dest := []any{&p.ID, &p.Source, &p.NativeID, &s.Seq, &p.URL, &p.Author.ID, &p.Author.Handle, &p.Author.Name, &p.Author.URL,
		&p.Text, &p.Lang, &created, &collected, &edited, &p.Revision, &p.ReplyTo, &p.QuoteOf, &p.RepostOf,
		&p.Metrics.Likes, &p.Metrics.Reposts, &p.Metrics.Replies, &p.Metrics.Quotes,
		&hashtags, &mentions, &links, &media, &deleted, &firstSeen, &updated,
		&p.Sentiment.Label, &p.Sentiment.Score, &p.Sentiment.Confidence, &p.Sentiment.Model}
	if unpack != nil {
		dest = append(dest, &p.Raw)
	}
	if err := r.Scan(dest...); err != nil {
		return s, err
	}
	if unpack != nil {
		raw, err := unpack(p.Raw)
		if err != nil {
			return s, fmt.Errorf("post %s: %w", p.ID, err)
		}
		p.Raw = raw
	}
	p.CreatedAt, p.CollectedAt, p.EditedAt = parseTime(created), parseTime(collected), parseNullTime(edited)
	s.DeletedAt, s.FirstSeenAt, s.UpdatedAt = parseNullTime(deleted), parseTime(firstSeen), parseTime(updated)
	err := decodeLists([]listColumn{{hashtags, &p.Hashtags}, {mentions, &p.Mentions}, {links, &p.Links}, {media, &p.Media}})
	if err != nil {
		return s, fmt.Errorf("post %s: %w", p.ID, err)
	}
	return s, nil
}

// listColumn is a JSON array column and where its strings go.
type listColumn struct {
	js  string
	dst *[]string
}

// decodeLists decodes list columns; "[]" leaves the destination nil.
func decodeLists(cols []listColumn) error {
	for _, l := range cols {
		if l.js != "[]" {
			if err := json.Unmarshal([]byte(l.js), l.dst); err != nil {
				return fmt.Errorf("bad list column: %w", err)
			}
		}
	}
	return nil
}

// Get returns one post with its raw payload.
func (s *Store) Get(ctx context.Context, id string) (Stored, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+postColumns+", raw FROM posts WHERE id = ?", id)
	p, err := scanPost(row, s.codec.unpack)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("post %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("store: get %s: %w", id, err)
	}
	return p, nil
}

// GetMany returns the posts with the given ids that the archive has, in the
// order of ids, without raw payloads.
func (s *Store) GetMany(ctx context.Context, ids []string) ([]Stored, error) {
	return s.getMany(ctx, ids, false)
}

// GetManyRaw is GetMany with the raw payloads.
func (s *Store) GetManyRaw(ctx context.Context, ids []string) ([]Stored, error) {
	return s.getMany(ctx, ids, true)
}

func (s *Store) getMany(ctx context.Context, ids []string, withRaw bool) ([]Stored, error) {
	cols, unpack := postColumns, (func([]byte) ([]byte, error))(nil)
	if withRaw {
		cols, unpack = postColumns+", raw", s.codec.unpack
	}
	byID := make(map[string]Stored, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := s.db.QueryContext(ctx, "SELECT "+cols+" FROM posts WHERE id IN (?"+strings.Repeat(",?", len(chunk)-1)+")", args...)
		if err != nil {
			return nil, fmt.Errorf("store: get posts: %w", err)
		}
		for rows.Next() {
			p, err := scanPost(rows, unpack)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: get posts: %w", err)
			}
			byID[p.ID] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: get posts: %w", err)
		}
	}
	out := make([]Stored, 0, len(byID))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// Changes returns up to limit posts whose seq is greater than after, in seq
// order, without raw payloads: what the indexer has not seen yet.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]Stored, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+postColumns+" FROM posts WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: changes after %d: %w", after, err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		p, err := scanPost(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("store: changes after %d: %w", after, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: changes after %d: %w", after, err)
	}
	return out, nil
}

// MaxSeq returns the greatest seq in the archive (0 when empty).
func (s *Store) MaxSeq(ctx context.Context) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM posts").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: max seq: %w", err)
	}
	return n, nil
}

// Version is an earlier text of a post.
type Version struct {
	Revision int64
	EditedAt time.Time
	Text     string
	URL      string
	SeenAt   time.Time
	Raw      []byte
}

// Versions returns the earlier versions of a post, oldest revision first.
func (s *Store) Versions(ctx context.Context, id string) ([]Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT revision, edited_at, text, url, seen_at, raw FROM post_versions
		WHERE post_id = ? ORDER BY revision, seen_at`, id)
	if err != nil {
		return nil, fmt.Errorf("store: versions of %s: %w", id, err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		var edited sql.NullString
		var seen string
		if err := rows.Scan(&v.Revision, &edited, &v.Text, &v.URL, &seen, &v.Raw); err != nil {
			return nil, fmt.Errorf("store: versions of %s: %w", id, err)
		}
		var err error
		if v.Raw, err = s.codec.unpack(v.Raw); err != nil {
			return nil, fmt.Errorf("store: versions of %s: %w", id, err)
		}
		v.EditedAt, v.SeenAt = parseNullTime(edited), parseTime(seen)
		out = append(out, v)
	}
	return out, rows.Err()
}

// Permalinks maps the given post ids to their permalinks, for the posts the
// archive has (replies and quotes in exports name what they answer).
func (s *Store) Permalinks(ctx context.Context, ids []string) (map[string]string, error) {
	urls := map[string]string{}
	if len(ids) == 0 {
		return urls, nil
	}
	got, err := s.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range got {
		urls[p.ID] = p.URL
	}
	return urls, nil
}
