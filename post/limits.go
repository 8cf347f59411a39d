package post

import (
	"fmt"
	"unicode/utf8"
)

// Limits bound what one post may carry, so that no single post can exhaust
// the store or the indexer (indexing takes about 190 times a text's size).
// Real posts are tens of KB: an X note is 25,000 characters, a Reddit
// self-post 40,000. The zero value of a field means its default.
type Limits struct {
	Text    int // bytes of Text; longer text is cut (default MaxTextBytes)
	Field   int // bytes of each other string field and list entry; longer is cut, a longer id skips the post (default MaxFieldBytes)
	Entries int // entries of each list (Hashtags, Mentions, Links, Media); the rest are dropped (default MaxListEntries)
	Raw     int // bytes of Raw; a longer payload skips the post, since it cannot be cut and stay verbatim (default MaxRawBytes)
}

// Default per-post limits.
const (
	MaxTextBytes   = 128 << 10
	MaxFieldBytes  = 4 << 10
	MaxListEntries = 512
	MaxRawBytes    = 1 << 20
)

func (l Limits) withDefaults() Limits {
	if l.Text <= 0 {
		l.Text = MaxTextBytes
	}
	if l.Field <= 0 {
		l.Field = MaxFieldBytes
	}
	if l.Entries <= 0 {
		l.Entries = MaxListEntries
	}
	if l.Raw <= 0 {
		l.Raw = MaxRawBytes
	}
	return l
}

// TooLargeError is returned by Limit for a post that must be skipped: its
// raw payload or one of its ids is over the limit.
type TooLargeError struct {
	Field string // "raw", "id", "native_id"
	Bytes int
	Limit int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("post skipped: %s is %d bytes, over the per-post limit of %d", e.Field, e.Bytes, e.Limit)
}

// Limit cuts p to l (zero fields: the defaults) and says what it cut, one
// entry per field ("text cut from 33554432 to 131072 bytes"); nil when p
// was within the limits. Text and strings are cut at a UTF-8 boundary. It
// returns a *TooLargeError, and changes nothing, when p cannot be kept: a
// raw payload or an id over the limit.
func (p *Post) Limit(l Limits) (cut []string, err error) {
	l = l.withDefaults()
	if len(p.Raw) > l.Raw {
		return nil, &TooLargeError{Field: "raw", Bytes: len(p.Raw), Limit: l.Raw}
	}
	for _, f := range []struct {
		name string
		v    string
	}{{"id", p.ID}, {"native_id", p.NativeID}} {
		if len(f.v) > l.Field {
			return nil, &TooLargeError{Field: f.name, Bytes: len(f.v), Limit: l.Field}
		}
	}
	str := func(name string, s *string, n int) {
		if len(*s) > n {
			cut = append(cut, fmt.Sprintf("%s cut from %d to %d bytes", name, len(*s), n))
			*s = cutUTF8(*s, n)
		}
	}
	str("text", &p.Text, l.Text)
	for _, f := range []struct {
		name string
		v    *string
	}{
		{"source", &p.Source}, {"url", &p.URL}, {"lang", &p.Lang},
		{"author.id", &p.Author.ID}, {"author.handle", &p.Author.Handle},
		{"author.name", &p.Author.Name}, {"author.url", &p.Author.URL},
		{"reply_to", &p.ReplyTo}, {"quote_of", &p.QuoteOf}, {"repost_of", &p.RepostOf},
		{"sentiment.label", &p.Sentiment.Label}, {"sentiment.model", &p.Sentiment.Model},
	} {
		str(f.name, f.v, l.Field)
	}
	list := func(name string, xs *[]string) {
		if len(*xs) > l.Entries {
			cut = append(cut, fmt.Sprintf("%s cut from %d to %d entries", name, len(*xs), l.Entries))
			*xs = (*xs)[:l.Entries:l.Entries]
		}
		long := 0
		for _, x := range *xs {
			if len(x) > l.Field {
				long++
			}
		}
		if long == 0 {
			return
		}
		// Entries are names and URLs: one cut short would be a wrong one, so
		// it is dropped.
		kept := make([]string, 0, len(*xs)-long)
		for _, x := range *xs {
			if len(x) <= l.Field {
				kept = append(kept, x)
			}
		}
		cut = append(cut, fmt.Sprintf("%s: %d entries over %d bytes dropped", name, long, l.Field))
		*xs = kept
	}
	list("hashtags", &p.Hashtags)
	list("mentions", &p.Mentions)
	list("links", &p.Links)
	list("media", &p.Media)
	return cut, nil
}

// cutUTF8 returns the longest prefix of s of at most n bytes that does not
// end inside a UTF-8 sequence.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := n; i > n-utf8.UTFMax; i-- {
		if i <= 0 {
			return "" // n is shorter than the first character
		}
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:n]
}
