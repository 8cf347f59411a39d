package csvfile

import (
	"fmt"
	"slices"
	"strings"
)

// Mapping names the CSV columns that hold each post field. An empty name means
// the file has no such column. Names match header cells case-insensitively,
// ignoring surrounding spaces and treating ' ', '-' and '_' alike.
type Mapping struct {
	ID         string // required
	Text       string // required
	CreatedAt  string // required
	Author     string // handle
	AuthorName string // display name
	AuthorID   string
	URL        string
	Lang       string
	Source     string // platform of each row
	ReplyTo    string // native id of the post a row answers
	Hashtags   string // hashtags of a row, as a list (see Decode)
	Mentions   string // mentioned handles, as a list
	Links      string // links, as a list
}

// field describes one Mapping field: its key in a mapping spec, where it lives
// and the column names DetectMapping looks for, best first.
type field struct {
	key     string
	get     func(*Mapping) *string
	aliases []string
}

// fields lists the Mapping fields in spec order.
func fields() []field {
	return []field{
		{"id", func(m *Mapping) *string { return &m.ID }, []string{"id", "id_str", "tweet_id", "post_id", "status_id", "twitter_id"}},
		{"text", func(m *Mapping) *string { return &m.Text }, []string{"full_text", "text", "body", "content", "tweet_text", "message"}},
		{"created_at", func(m *Mapping) *string { return &m.CreatedAt }, []string{"created_at", "unix_timestamp", "timestamp_utc", "date", "timestamp", "time", "created", "created_utc", "post_created", "tweet_created", "datetime"}},
		{"author", func(m *Mapping) *string { return &m.Author }, []string{"author", "username", "screen_name", "user", "author.username", "author_handle", "user_screen_name"}},
		{"author_name", func(m *Mapping) *string { return &m.AuthorName }, []string{"name", "author_name", "author.name", "user_name", "author_fullname"}},
		{"author_id", func(m *Mapping) *string { return &m.AuthorID }, []string{"author_id", "user_id", "author.id"}},
		{"url", func(m *Mapping) *string { return &m.URL }, []string{"url", "permalink", "link", "tweet_url"}},
		{"lang", func(m *Mapping) *string { return &m.Lang }, []string{"lang", "language", "language_guess"}},
		{"source", func(m *Mapping) *string { return &m.Source }, []string{"source", "platform"}},
		{"reply_to", func(m *Mapping) *string { return &m.ReplyTo }, []string{"in_reply_to_id", "in_reply_to_status_id", "reply_to", "referenced_tweets.replied_to.id"}},
		{"hashtags", func(m *Mapping) *string { return &m.Hashtags }, []string{"hashtags", "entities.hashtags", "hashtag"}},
		{"mentions", func(m *Mapping) *string { return &m.Mentions }, []string{"mentions", "entities.mentions", "user_mentions"}},
		{"links", func(m *Mapping) *string { return &m.Links }, []string{"links", "urls", "expanded_urls", "entities.urls"}},
	}
}

// guessCreated finds a time column by its name's shape when no name in the
// list matched: "*_created", "created*", "*_date", "*_time" or
// "*_timestamp", leaving out the times of accounts ("user_created_at").
func guessCreated(header []string) string {
	for _, shape := range []func(string) bool{
		func(n string) bool { return strings.HasSuffix(n, "_created") || strings.HasPrefix(n, "created") },
		func(n string) bool {
			return strings.HasSuffix(n, "_date") || strings.HasSuffix(n, "_time") || strings.HasSuffix(n, "_timestamp") || strings.HasSuffix(n, "_datetime")
		},
	} {
		for _, h := range header {
			n := normName(h)
			if !shape(n) || strings.Contains(n, "user") || strings.Contains(n, "author") || strings.Contains(n, "account") || strings.Contains(n, "profile") || strings.Contains(n, "retweeted") || strings.Contains(n, "quoted") {
				continue
			}
			return strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		}
	}
	return ""
}

// normName puts a column name in the form names are compared in.
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return '_'
		}
		return r
	}, s)
}

// DetectMapping guesses the mapping from a header row. It returns the columns
// it found even when it also returns an error, which it does when the id, text
// or created_at column is missing; the error names what is missing, the names
// it looked for and the header.
func DetectMapping(header []string) (Mapping, error) {
	byName := make(map[string]string, len(header))
	for _, h := range header {
		if n := normName(h); n != "" {
			if _, dup := byName[n]; !dup {
				byName[n] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			}
		}
	}
	var m Mapping
	for _, f := range fields() {
		for _, a := range f.aliases {
			if col, ok := byName[a]; ok {
				*f.get(&m) = col
				break
			}
		}
	}
	if m.CreatedAt == "" {
		m.CreatedAt = guessCreated(header)
	}
	if missing := missingRequired(m); len(missing) > 0 {
		return m, fmt.Errorf("csv: %s; the header has: %s%s", missingMsg(missing), quoteList(header), hint(missing))
	}
	return m, nil
}

// missingRequired lists the keys of the required fields m leaves empty.
func missingRequired(m Mapping) []string {
	var out []string
	for _, f := range fields()[:3] {
		if *f.get(&m) == "" {
			out = append(out, f.key)
		}
	}
	return out
}

// missingMsg says which required columns were not found and what was
// looked for.
func missingMsg(keys []string) string {
	var tried []string
	for _, f := range fields() {
		if slices.Contains(keys, f.key) {
			tried = append(tried, f.key+": "+strings.Join(f.aliases, ", "))
		}
	}
	return fmt.Sprintf("no %s column (looked for %s)", strings.Join(keys, ", "), strings.Join(tried, "; "))
}

// hint tells how to name the missing columns.
func hint(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	return fmt.Sprintf("; name the columns with a mapping such as %q", exampleSpec(keys))
}

func exampleSpec(keys []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=<column>"
	}
	return strings.Join(parts, ",")
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", strings.TrimSpace(strings.TrimPrefix(x, "\ufeff")))
	}
	return strings.Join(q, ", ")
}

// ParseMapping reads a mapping from a spec of comma-separated key=column
// pairs, e.g. "id=Tweet ID,text=Tweet Text,created_at=Timestamp". Keys are id,
// text, created_at, author, author_name, author_id, url, lang, source,
// reply_to, hashtags, mentions and links; fields not named stay empty. An empty spec is the empty mapping.
func ParseMapping(spec string) (Mapping, error) {
	var m Mapping
	if strings.TrimSpace(spec) == "" {
		return m, nil
	}
	fs := fields()
	keys := make([]string, len(fs))
	for i, f := range fs {
		keys[i] = f.key
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(spec, ",") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return Mapping{}, fmt.Errorf("csv mapping %q: %q is not key=column", spec, strings.TrimSpace(part))
		}
		i := -1
		for j, f := range fs {
			if f.key == k {
				i = j
			}
		}
		if i < 0 {
			return Mapping{}, fmt.Errorf("csv mapping %q: unknown key %q (keys: %s)", spec, k, strings.Join(keys, ", "))
		}
		if seen[k] {
			return Mapping{}, fmt.Errorf("csv mapping %q: key %q given twice", spec, k)
		}
		seen[k] = true
		*fs[i].get(&m) = v
	}
	return m, nil
}

// Merge returns m with every field that over names replaced by over's.
func (m Mapping) Merge(over Mapping) Mapping {
	for _, f := range fields() {
		if v := *f.get(&over); v != "" {
			*f.get(&m) = v
		}
	}
	return m
}

// columns are the header indexes of the mapped fields, -1 for none.
type columns struct {
	id, text, created, author, authorName, authorID, url, lang, source, replyTo, hashtags, mentions, links int
}

// resolve finds the columns of m in header; every column m names must exist
// and the required ones must be named.
func resolve(header []string, m Mapping) (columns, error) {
	idx := make(map[string]int, len(header))
	for i, h := range header {
		if n := normName(h); n != "" {
			if _, dup := idx[n]; !dup {
				idx[n] = i
			}
		}
	}
	var c columns
	ptrs := []*int{&c.id, &c.text, &c.created, &c.author, &c.authorName, &c.authorID, &c.url, &c.lang, &c.source, &c.replyTo, &c.hashtags, &c.mentions, &c.links}
	var errs, missing []string
	for i, f := range fields() {
		*ptrs[i] = -1
		name := *f.get(&m)
		if name == "" {
			if i < 3 {
				missing = append(missing, f.key)
			}
			continue
		}
		j, ok := idx[normName(name)]
		if !ok {
			errs = append(errs, fmt.Sprintf("column %q (%s) is not in the header", name, f.key))
			continue
		}
		*ptrs[i] = j
	}
	if len(missing) > 0 {
		errs = append([]string{missingMsg(missing)}, errs...)
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("csv: %s; the header has: %s%s", strings.Join(errs, "; "), quoteList(header), hint(missing))
	}
	return c, nil
}
