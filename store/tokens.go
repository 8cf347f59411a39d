package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// API tokens let scripts call the web app's API. The archive keeps only
// a SHA-256 of each token and its first characters (to tell them apart in a
// list); the token itself is shown once, when it is made. A revoked token
// stays in the table with the time it was revoked.

// Token is one API token, without its secret.
type Token struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Prefix   string    `json:"prefix"` // the token's first characters
	Created  time.Time `json:"created_at"`
	LastUsed time.Time `json:"last_used_at,omitzero"`
	Revoked  time.Time `json:"revoked_at,omitzero"`
}

// Active reports whether the token still opens the API.
func (t Token) Active() bool { return t.Revoked.IsZero() }

// Errors of API tokens.
var (
	ErrTokenExists  = errors.New("an active API token has this name")
	ErrNoToken      = errors.New("no active API token of this name")
	ErrBadTokenName = errors.New("invalid token name: 1 to 64 characters, no control characters")
)

// tokenPrefix starts every token, so that a leaked one is recognisable
// (secret scanners, logs).
const tokenPrefix = "ask_"

// NewToken makes an API token called name and returns its secret, which
// is not stored and cannot be shown again.
func (s *Store) NewToken(ctx context.Context, name string) (string, Token, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 || strings.IndexFunc(name, isControl) >= 0 {
		return "", Token{}, ErrBadTokenName
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	t := Token{Name: name, Prefix: secret[:len(tokenPrefix)+6], Created: s.now()}
	h := sha256.Sum256([]byte(secret))
	res, err := s.db.ExecContext(ctx, `INSERT INTO api_tokens (name, hash, prefix, created_at) VALUES (?, ?, ?, ?)`,
		t.Name, h[:], t.Prefix, fmtTime(t.Created))
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return "", Token{}, fmt.Errorf("%w: %s", ErrTokenExists, name)
	}
	if err != nil {
		return "", Token{}, fmt.Errorf("new API token %s: %w", name, err)
	}
	t.ID, _ = res.LastInsertId()
	return secret, t, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// Tokens lists every API token, active ones first, newest first.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func scanToken(row interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var created string
	var used, revoked sql.NullString
	if err := row.Scan(&t.ID, &t.Name, &t.Prefix, &created, &used, &revoked); err != nil {
		return Token{}, fmt.Errorf("read API token: %w", err)
	}
	t.Created, t.LastUsed, t.Revoked = parseTime(created), parseNullTime(used), parseNullTime(revoked)
	return t, nil
}

// RevokeToken revokes the active token called name at once: the next
// request with it is refused. ErrNoToken if there is none.
func (s *Store) RevokeToken(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`,
		fmtTime(s.now()), strings.TrimSpace(name))
	if err != nil {
		return fmt.Errorf("revoke API token %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %s", ErrNoToken, name)
	}
	return nil
}

// CheckToken returns the active token whose secret this is; ok is false
// for any other string.
func (s *Store) CheckToken(ctx context.Context, secret string) (Token, bool, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return Token{}, false, nil
	}
	h := sha256.Sum256([]byte(secret))
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT id, name, prefix, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE hash = ? AND revoked_at IS NULL`, h[:]))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, false, nil
	}
	if err != nil {
		return Token{}, false, err
	}
	return t, true, nil
}

// TouchToken records that the token was used at t.
func (s *Store) TouchToken(ctx context.Context, id int64, t time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, fmtTime(t), id); err != nil {
		return fmt.Errorf("API token %d: record use: %w", id, err)
	}
	return nil
}
