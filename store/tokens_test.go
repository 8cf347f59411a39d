package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	secret, tok, err := s.NewToken(ctx, " nightly export ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "ask_") || len(secret) < 40 || tok.Name != "nightly export" || !strings.HasPrefix(secret, tok.Prefix) {
		t.Fatalf("secret %q, token %+v", secret, tok)
	}
	if _, _, err := s.NewToken(ctx, "nightly export"); !errors.Is(err, ErrTokenExists) {
		t.Fatalf("same name twice: %v", err)
	}
	for _, bad := range []string{"", "   ", "a\nb", strings.Repeat("x", 65)} {
		if _, _, err := s.NewToken(ctx, bad); !errors.Is(err, ErrBadTokenName) {
			t.Errorf("name %q: %v", bad, err)
		}
	}
	got, ok, err := s.CheckToken(ctx, secret)
	if err != nil || !ok || got.ID != tok.ID {
		t.Fatalf("check own secret: %+v %v %v", got, ok, err)
	}
	for _, wrong := range []string{"", "ask_", secret[:len(secret)-1], secret + "x", strings.ToUpper(secret)} {
		if _, ok, err := s.CheckToken(ctx, wrong); ok || err != nil {
			t.Errorf("%q accepted (%v)", wrong, err)
		}
	}
	used := time.Date(2026, 11, 27, 1, 2, 3, 0, time.UTC)
	if err := s.TouchToken(ctx, tok.ID, used); err != nil {
		t.Fatal(err)
	}
	other, _, _ := s.NewToken(ctx, "reporter")
	if err := s.RevokeToken(ctx, "nightly export"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.CheckToken(ctx, secret); ok {
		t.Fatal("a revoked token still opens the API")
	}
	if _, ok, _ := s.CheckToken(ctx, other); !ok {
		t.Fatal("revoking one token revoked another")
	}
	if err := s.RevokeToken(ctx, "nightly export"); !errors.Is(err, ErrNoToken) {
		t.Fatalf("revoke twice: %v", err)
	}
	list, err := s.Tokens(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %+v %v", list, err)
	}
	if list[0].Name != "reporter" || !list[0].Active() || list[1].Active() || !list[1].LastUsed.Equal(used) {
		t.Fatalf("list: %+v", list)
	}
	// A revoked token frees its name.
	if _, _, err := s.NewToken(ctx, "nightly export"); err != nil {
		t.Fatalf("reuse a revoked token's name: %v", err)
	}
}
