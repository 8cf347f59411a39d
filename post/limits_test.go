package post

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func bigPost() Post {
	return Post{ID: "twitter:1", Source: "twitter", NativeID: "1", CreatedAt: time.Unix(1, 0).UTC(),
		Text: strings.Repeat("é", 100), Author: Author{Name: strings.Repeat("n", 50)},
		Hashtags: []string{"a", strings.Repeat("h", 40), "b", "c", "d", "e"}, Raw: []byte(`{"id":1}`)}
}

func TestLimit(t *testing.T) {
	p := bigPost()
	cut, err := p.Limit(Limits{Text: 51, Field: 32, Entries: 5, Raw: 64})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"text cut from 200 to 51 bytes",
		"author.name cut from 50 to 32 bytes",
		"hashtags cut from 6 to 5 entries",
		"hashtags: 1 entries over 32 bytes dropped",
	}
	if !slices.Equal(cut, want) {
		t.Errorf("cut = %q, want %q", cut, want)
	}
	if len(p.Text) != 50 || !utf8.ValidString(p.Text) {
		t.Errorf("text is %d bytes, valid UTF-8 %v; want 50 bytes (25 é, cut at a rune boundary)", len(p.Text), utf8.ValidString(p.Text))
	}
	if len(p.Author.Name) != 32 {
		t.Errorf("author name %d bytes, want 32", len(p.Author.Name))
	}
	if !slices.Equal(p.Hashtags, []string{"a", "b", "c", "d"}) {
		t.Errorf("hashtags = %q", p.Hashtags)
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
	// Within the limits: nothing cut.
	q := bigPost()
	if cut, err := q.Limit(Limits{}); err != nil || cut != nil {
		t.Errorf("default limits: cut %q, err %v", cut, err)
	}
}

func TestLimitSkips(t *testing.T) {
	for _, c := range []struct {
		mod   func(*Post)
		field string
	}{
		{func(p *Post) { p.Raw = make([]byte, 65) }, "raw"},
		{func(p *Post) { p.NativeID = strings.Repeat("9", 33); p.ID = MakeID(p.Source, p.NativeID) }, "id"},
	} {
		p := bigPost()
		c.mod(&p)
		text := p.Text
		_, err := p.Limit(Limits{Text: 51, Field: 32, Raw: 64})
		var tl *TooLargeError
		if !errors.As(err, &tl) || tl.Field != c.field {
			t.Errorf("%s: err = %v, want a TooLargeError for %s", c.field, err, c.field)
		}
		if p.Text != text {
			t.Errorf("%s: a skipped post was changed", c.field)
		}
	}
}

// TestLimitDefaults: a post with a 32 MiB text (issue 16: it took the indexer
// to 5.8 GB) is cut to MaxTextBytes; 100,000 hashtags to MaxListEntries.
func TestLimitDefaults(t *testing.T) {
	p := bigPost()
	p.Text = strings.Repeat("word ", 32<<20/5)
	p.Hashtags = make([]string, 100000)
	for i := range p.Hashtags {
		p.Hashtags[i] = fmt.Sprint("t", i)
	}
	cut, err := p.Limit(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Text) != MaxTextBytes || len(p.Hashtags) != MaxListEntries || len(cut) != 2 {
		t.Errorf("text %d bytes, %d hashtags, cut %q", len(p.Text), len(p.Hashtags), cut)
	}
}

func FuzzLimit(f *testing.F) {
	f.Add("héllo wörld", "name", 5, 3)
	f.Add(strings.Repeat("\xff", 10), "\xe2\x80", 1, 1)
	f.Fuzz(func(t *testing.T, text, name string, n, field int) {
		p := bigPost()
		p.Text, p.Author.Name = text, name
		l := Limits{Text: n, Field: field, Entries: 2, Raw: 1 << 10}
		if _, err := p.Limit(l); err != nil {
			return
		}
		l = l.withDefaults()
		if len(p.Text) > l.Text || len(p.Author.Name) > l.Field || len(p.Hashtags) > 2 {
			t.Errorf("over the limits: text %d, name %d, hashtags %d", len(p.Text), len(p.Author.Name), len(p.Hashtags))
		}
		if utf8.ValidString(text) && !utf8.ValidString(p.Text) {
			t.Errorf("valid text %q cut to invalid %q", text, p.Text)
		}
	})
}
