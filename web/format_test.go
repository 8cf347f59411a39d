package web

import "testing"

// TestNouns checks that a count of one takes the singular: the cards read "1 reply", not "1 replies".
func TestNouns(t *testing.T) {
	for _, c := range []struct {
		n    any
		want string
	}{
		{1, "1 reply"},
		{int64(1), "1 reply"},
		{0, "0 replies"},
		{2, "2 replies"},
		{1234, "1,234 replies"},
	} {
		if got := nouns(c.n, "reply", "replies"); got != c.want {
			t.Errorf("nouns(%v) = %q, want %q", c.n, got, c.want)
		}
	}
}
