package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aftershock/aftershock/collector/status"
	"github.com/aftershock/aftershock/event"
)

// SaveIncidents stores incidents read from origin (a feed URL or file),
// replacing what an earlier read of the same incident said: status feeds
// rewrite an incident in place as it progresses, so the latest read is the
// truth, but updates a later read no longer lists are kept. It returns how
// many incidents were new and how many updates were new.
func (s *Store) SaveIncidents(ctx context.Context, origin string, incs []status.Incident) (newIncidents, newUpdates int, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	countUpdates := func() (n int, err error) {
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM status_updates`).Scan(&n)
		return n, err
	}
	before, err := countUpdates()
	if err != nil {
		return 0, 0, err
	}
	now := fmtTime(s.now())
	for _, in := range incs {
		started := in.Created
		if u, ok := in.FirstUpdate(); ok && (started.IsZero() || u.Time.Before(started)) {
			started = u.Time
		}
		if started.IsZero() {
			return 0, 0, fmt.Errorf("incident %s: no time", in.Key)
		}
		var resolved any
		if r, ok := in.ResolvedAt(); ok {
			resolved = fmtTime(r)
		}
		comps, _ := json.Marshal(nonNil(in.Components))
		res, err := tx.ExecContext(ctx, `INSERT INTO status_incidents (key, origin, page, page_url, name, url, impact,
				components, started_at, resolved_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING`,
			in.Key, origin, in.Page, in.PageURL, in.Name, in.URL, in.Impact, string(comps), fmtTime(started), resolved, now)
		if err != nil {
			return 0, 0, fmt.Errorf("save incident %s: %w", in.Key, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			newIncidents++
		} else if _, err := tx.ExecContext(ctx, `UPDATE status_incidents SET origin = ?, page = ?, page_url = ?, name = ?,
				url = ?, impact = ?, components = ?, started_at = MIN(started_at, ?), resolved_at = ?, read_at = ? WHERE key = ?`,
			origin, in.Page, in.PageURL, in.Name, in.URL, in.Impact, string(comps), fmtTime(started), resolved, now, in.Key); err != nil {
			return 0, 0, fmt.Errorf("save incident %s: %w", in.Key, err)
		}
		for _, u := range in.Updates {
			// One update, two ids: the page's JSON gives the provider's id and
			// an exact time, its Atom feed a derived id and the minute. Keep
			// the JSON's.
			minute := fmtTime(u.Time)[:16]
			if u.Derived() {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM status_updates WHERE incident_key = ? AND state = ?
					AND substr(at, 1, 16) = ? AND id != ? AND id NOT GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-*'`,
					in.Key, string(u.State), minute, u.ID).Scan(&n); err != nil {
					return 0, 0, err
				}
				if n > 0 {
					continue
				}
			} else if _, err := tx.ExecContext(ctx, `DELETE FROM status_updates WHERE incident_key = ? AND state = ?
					AND substr(at, 1, 16) = ? AND id GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z-*'`,
				in.Key, string(u.State), minute); err != nil {
				return 0, 0, err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO status_updates (incident_key, id, at, state, body) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (incident_key, id) DO UPDATE SET at = excluded.at, state = excluded.state, body = excluded.body`,
				in.Key, u.ID, fmtTime(u.Time), string(u.State), u.Body)
			if err != nil {
				return 0, 0, fmt.Errorf("save incident %s update %s: %w", in.Key, u.ID, err)
			}
		}
	}
	after, err := countUpdates()
	if err != nil {
		return 0, 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, err
	}
	return newIncidents, after - before, nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// StatusIncidents returns the incidents whose span (first update to
// resolution, open-ended while unresolved) overlaps [from, to), each with
// its updates oldest first, the earliest incident first.
func (s *Store) StatusIncidents(ctx context.Context, from, to time.Time) ([]event.Incident, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, origin, page, page_url, name, url, impact, components, started_at, resolved_at
		FROM status_incidents WHERE started_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)
		ORDER BY started_at, key`, fmtTime(to), fmtTime(from))
	if err != nil {
		return nil, fmt.Errorf("status incidents: %w", err)
	}
	var out []event.Incident
	for rows.Next() {
		var (
			in             event.Incident
			comps, started string
			resolved       sql.NullString
		)
		if err := rows.Scan(&in.Key, &in.Origin, &in.Page, &in.PageURL, &in.Name, &in.URL, &in.Impact, &comps, &started, &resolved); err != nil {
			rows.Close()
			return nil, err
		}
		if comps != "[]" {
			if err := json.Unmarshal([]byte(comps), &in.Components); err != nil {
				rows.Close()
				return nil, fmt.Errorf("incident %s: bad components: %w", in.Key, err)
			}
		}
		in.Created, in.Resolved = parseTime(started), parseNullTime(resolved)
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Updates, err = s.statusUpdates(ctx, out[i].Key); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) statusUpdates(ctx context.Context, key string) ([]status.Update, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, state, body FROM status_updates WHERE incident_key = ? ORDER BY at, id`, key)
	if err != nil {
		return nil, fmt.Errorf("status updates of %s: %w", key, err)
	}
	defer rows.Close()
	var out []status.Update
	for rows.Next() {
		var (
			u  status.Update
			at string
		)
		if err := rows.Scan(&u.ID, &at, &u.State, &u.Body); err != nil {
			return nil, err
		}
		u.Time = parseTime(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// StatusUpdateCount is the number of stored status updates (a cheap way to
// notice that a feed brought news).
func (s *Store) StatusUpdateCount(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM status_updates`).Scan(&n)
	return n, err
}
