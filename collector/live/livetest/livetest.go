// Package livetest holds what the tests of the live sources share:
// following a poller to caught-up, as the loop does, and checking that
// every post of a fake arrived exactly once.
package livetest

import (
	"context"
	"testing"

	"github.com/aftershock/aftershock/collector/live"
	"github.com/aftershock/aftershock/post"
)

// Follow fetches from cursor until a batch has More false (failing after
// limit fetches), validating every post and counting it under key(post) in
// got. It returns the stored cursor after each batch (a batch's "" keeps
// the previous one).
func Follow(t testing.TB, p live.Poller, cursor string, got map[string]int, key func(*post.Post) string, limit int) []string {
	t.Helper()
	var cursors []string
	for i := 0; ; i++ {
		if i == limit {
			t.Fatalf("not caught up after %d fetches", limit)
		}
		b, err := p.Fetch(context.Background(), cursor)
		if err != nil {
			t.Fatalf("fetch %d from %q: %v", i, cursor, err)
		}
		for j := range b.Posts {
			if err := b.Posts[j].Validate(); err != nil {
				t.Fatal(err)
			}
			got[key(&b.Posts[j])]++
		}
		if b.Cursor != "" {
			cursor = b.Cursor
		}
		cursors = append(cursors, cursor)
		if !b.More {
			return cursors
		}
	}
}

// ByID and ByNativeID are the usual keys for Follow.
func ByID(p *post.Post) string       { return p.ID }
func ByNativeID(p *post.Post) string { return p.NativeID }

// CheckOnce fails for every post of got that is not wanted or came more
// than once, and every wanted post that did not come.
func CheckOnce(t testing.TB, got map[string]int, want map[string]bool) {
	t.Helper()
	for id, n := range got {
		if !want[id] {
			t.Errorf("post %s is not expected", id)
		} else if n != 1 {
			t.Errorf("post %s delivered %d times", id, n)
		}
	}
	for id := range want {
		if got[id] == 0 {
			t.Errorf("post %s missing", id)
		}
	}
}
