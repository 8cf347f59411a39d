package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aftershock/aftershock/event"
)

const eventColumns = `slug, name, description, query, sources, langs, window_from, window_to, tz,
	services, status_feeds, collect, created_at, updated_at`

// CreateEvent stores a new event; event.ErrExists if the slug is taken.
// The caller validates e first (event.Event.Validate).
func (s *Store) CreateEvent(ctx context.Context, e event.Event) error {
	now := fmtTime(s.now())
	lists, err := eventLists(e)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Slug, e.Name, e.Description, e.Query, lists[0], lists[1], fmtTime(e.From), nullTime(e.To), e.TZ,
		lists[2], lists[3], lists[4], now, now)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return fmt.Errorf("%w: %s", event.ErrExists, e.Slug)
	}
	if err != nil {
		return fmt.Errorf("create event %s: %w", e.Slug, err)
	}
	return nil
}

// UpdateEvent replaces the stored event with e's slug; event.ErrNotFound if
// there is none.
func (s *Store) UpdateEvent(ctx context.Context, e event.Event) error {
	lists, err := eventLists(e)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE events SET name = ?, description = ?, query = ?, sources = ?, langs = ?,
		window_from = ?, window_to = ?, tz = ?, services = ?, status_feeds = ?, collect = ?, updated_at = ? WHERE slug = ?`,
		e.Name, e.Description, e.Query, lists[0], lists[1], fmtTime(e.From), nullTime(e.To), e.TZ,
		lists[2], lists[3], lists[4], fmtTime(s.now()), e.Slug)
	if err != nil {
		return fmt.Errorf("update event %s: %w", e.Slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", event.ErrNotFound, e.Slug)
	}
	return nil
}

// DeleteEvent removes an event (not its posts); event.ErrNotFound if there
// is none.
func (s *Store) DeleteEvent(ctx context.Context, slug string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM events WHERE slug = ?`, slug)
	if err != nil {
		return fmt.Errorf("delete event %s: %w", slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", event.ErrNotFound, slug)
	}
	return nil
}

// Event returns one event; event.ErrNotFound if there is none.
func (s *Store) Event(ctx context.Context, slug string) (event.Event, error) {
	e, err := scanEvent(s.db.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("%w: %s", event.ErrNotFound, slug)
	}
	return e, err
}

// Events returns every event, the most recent window first.
func (s *Store) Events(ctx context.Context) ([]event.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY window_from DESC, slug`)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []event.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func eventLists(e event.Event) ([5]string, error) {
	var out [5]string
	for i, l := range [][]string{e.Sources, e.Langs, e.Services, e.StatusFeeds, e.Collect} {
		if l == nil {
			l = []string{}
		}
		b, err := json.Marshal(l)
		if err != nil {
			return out, err
		}
		out[i] = string(b)
	}
	return out, nil
}

func scanEvent(r scanner) (event.Event, error) {
	var (
		e                    event.Event
		from, created, upd   string
		to                   sql.NullString
		src, lang, svc, feed string
		collect              string
	)
	if err := r.Scan(&e.Slug, &e.Name, &e.Description, &e.Query, &src, &lang, &from, &to, &e.TZ,
		&svc, &feed, &collect, &created, &upd); err != nil {
		return e, err
	}
	e.From, e.To, e.Created, e.Updated = parseTime(from), parseNullTime(to), parseTime(created), parseTime(upd)
	if err := decodeLists([]listColumn{{src, &e.Sources}, {lang, &e.Langs}, {svc, &e.Services}, {feed, &e.StatusFeeds}, {collect, &e.Collect}}); err != nil {
		return e, fmt.Errorf("event %s: %w", e.Slug, err)
	}
	return e, nil
}
