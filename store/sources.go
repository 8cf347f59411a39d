package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/aftershock/aftershock/event"
)

// States of a live source in its coverage record.
const (
	StateConnected   = "connected"    // fetching, with a backlog
	StateCaughtUp    = "caught_up"    // up to date with the source
	StateRateLimited = "rate_limited" // waiting for the source's rate limit
	StateDown        = "down"         // failing (network, 5xx): retrying with backoff
	StateAuth        = "auth"         // credentials missing or refused: stopped
	StateDiskFull    = "disk_full"    // our disk is full: paused, retrying; the cursor waits
	StateStopped     = "stopped"      // not running (collector ended)
)

// Covered reports whether a state means posts were being collected.
func Covered(state string) bool { return state == StateConnected || state == StateCaughtUp }

// SourceCursor returns a source's stored cursor, "" if it has none.
func (s *Store) SourceCursor(ctx context.Context, source string) (string, error) {
	var c string
	err := s.db.QueryRowContext(ctx, `SELECT cursor FROM cursors WHERE source = ?`, source).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("cursor of %s: %w", source, err)
	}
	return c, nil
}

// SetState records that source is in state from now on (with a detail such
// as an error); the same state again only updates the detail.
func (s *Store) SetState(ctx context.Context, source, state, detail string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now := fmtTime(s.now())
		var id int64
		var cur string
		err := tx.QueryRowContext(ctx, `SELECT id, state FROM coverage WHERE source = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1`, source).Scan(&id, &cur)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case cur == state:
			_, err := tx.ExecContext(ctx, `UPDATE coverage SET detail = ? WHERE id = ?`, detail, id)
			return err
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE coverage SET ended_at = ? WHERE id = ?`, now, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO coverage (source, state, detail, started_at) VALUES (?, ?, ?, ?)`, source, state, detail, now)
		return err
	})
}

// Span is a stretch of time a source spent in one state.
type Span struct {
	Source string    `json:"source"`
	State  string    `json:"state"`
	Detail string    `json:"detail,omitempty"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to,omitzero"` // zero: still in it
}

// Coverage returns the spans of every source that overlap [from, to),
// oldest first.
func (s *Store) Coverage(ctx context.Context, from, to time.Time) ([]Span, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, state, detail, started_at, ended_at FROM coverage
		WHERE started_at < ? AND (ended_at IS NULL OR ended_at > ?) ORDER BY started_at, id`, fmtTime(to), fmtTime(from))
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	defer rows.Close()
	var out []Span
	for rows.Next() {
		var (
			sp    Span
			start string
			end   sql.NullString
		)
		if err := rows.Scan(&sp.Source, &sp.State, &sp.Detail, &start, &end); err != nil {
			return nil, err
		}
		sp.From, sp.To = parseTime(start), parseNullTime(end)
		out = append(out, sp)
	}
	return out, rows.Err()
}

// SourceStatus is a live source as `aftershock sources` lists it.
type SourceStatus struct {
	Source   string    `json:"source"`
	State    string    `json:"state"`
	Detail   string    `json:"detail,omitempty"`
	Since    time.Time `json:"since"`
	Cursor   string    `json:"cursor,omitempty"`
	CursorAt time.Time `json:"cursor_updated,omitzero"` // the last batch stored
}

// Sources returns every source that has a state or a cursor.
func (s *Store) Sources(ctx context.Context) ([]SourceStatus, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT n.source, COALESCE(c.state, ''), COALESCE(c.detail, ''), COALESCE(c.started_at, ''),
			COALESCE(k.cursor, ''), COALESCE(k.updated_at, '')
		FROM (SELECT source FROM coverage UNION SELECT source FROM cursors) n
		LEFT JOIN coverage c ON c.id = (SELECT id FROM coverage WHERE source = n.source ORDER BY id DESC LIMIT 1)
		LEFT JOIN cursors k ON k.source = n.source
		ORDER BY n.source`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []SourceStatus
	for rows.Next() {
		var (
			st         SourceStatus
			since, upd string
		)
		if err := rows.Scan(&st.Source, &st.State, &st.Detail, &since, &st.Cursor, &upd); err != nil {
			return nil, err
		}
		if since != "" {
			st.Since = parseTime(since)
		}
		if upd != "" {
			st.CursorAt = parseTime(upd)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// CollectorGaps returns the stretches inside [from, to) when a live source
// was not collecting (any state but connected and caught up), clipped to
// the window; an open stretch ends now.
func (s *Store) CollectorGaps(ctx context.Context, from, to time.Time) ([]event.Gap, error) {
	spans, err := s.Coverage(ctx, from, to)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out []event.Gap
	for _, sp := range spans {
		if Covered(sp.State) {
			continue
		}
		end := sp.To
		if end.IsZero() {
			end = now
		}
		g := event.Gap{Source: sp.Source, State: sp.State, Detail: sp.Detail, From: sp.From, To: end}
		if g.From.Before(from) {
			g.From = from
		}
		if g.To.After(to) {
			g.To = to
		}
		if g.To.After(g.From) {
			out = append(out, g)
		}
	}
	return out, nil
}
