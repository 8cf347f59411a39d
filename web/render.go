package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html static/*
var assets embed.FS

// pageNames are the templates a handler may render; parseTemplates fails
// if one is missing, so a typo is caught at start, not on a request.
var pageNames = []string{"home", "search", "events", "event", "event_form", "collections", "collection", "share_event",
	"share_collection", "status", "login", "tokens", "error"}

// parseTemplates parses each page together with the layout.
func parseTemplates() (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(assets, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		body, err := fs.ReadFile(assets, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: page %s: %w", name, err)
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err == nil {
			_, err = t.Parse(string(body))
		}
		if err != nil {
			return nil, fmt.Errorf("web: page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// page is what the layout needs besides the page's own data.
type page struct {
	Title   string
	Nav     string // which menu entry is current
	CSRF    string
	Demo    bool
	Auth    bool // a password is set: show "log out"
	Share   bool // a read-only share page: no navigation, no controls
	Zone    string
	Data    any
	Version string
}

// render writes page name with data, or fails with a 500 if the template
// does (the page is rendered to a buffer first, so a failure never leaves
// half a page).
func (s *Server) render(c *gin.Context, status int, name string, data any) {
	t := s.pages[name]
	if t == nil {
		s.log.Error("no such template", "name", name)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	p := page{Title: titleOf(data), Nav: name, CSRF: s.csrfToken(c), Demo: s.cfg.Demo, Auth: s.needAuth, Data: data}
	if strings.HasPrefix(name, "share_") {
		p.Share = true
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("template", "name", name, "err", err)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// titled is data that names its page.
type titled interface{ PageTitle() string }

func titleOf(data any) string {
	if t, ok := data.(titled); ok {
		return t.PageTitle()
	}
	if e, ok := data.(errorView); ok {
		return e.Title
	}
	return ""
}

// PageTitle implements titled.
func (v loginView) PageTitle() string { return "Log in" }

var funcs = template.FuncMap{
	"datetime": func(t time.Time, loc *time.Location) string {
		if t.IsZero() {
			return ""
		}
		if loc == nil {
			loc = time.UTC
		}
		return t.In(loc).Format("2006-01-02 15:04 MST")
	},
	"utc":      func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"count":    count,
	"platform": platform,
	"svg":      func(b []byte) template.HTML { return template.HTML(b) }, // our own renderer's output, text escaped there
	"add":      func(a, b int) int { return a + b },
	"query": func(pairs ...string) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] != "" {
				v.Set(pairs[i], pairs[i+1])
			}
		}
		return template.URL(v.Encode())
	},
	"pathEscape": url.PathEscape,
	"list":       func(xs ...string) []string { return xs },
	"dur":        shortDuration,
	"nouns":      nouns,
	"score":      func(f float64) string { return fmt.Sprintf("%+.2f", f) },
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// thousands writes n with thin separators: 1,234,567.
func thousands[T ~int | ~int64 | ~uint64 | ~uint32 | ~int32](n T) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// shortDuration writes 10m0s as "10m", 1h0m0s as "1h", 24h0m0s as "1d".
func shortDuration(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// count writes any integer with thousands separators (for templates).
func count(n any) string {
	switch n := n.(type) {
	case int:
		return thousands(n)
	case int64:
		return thousands(n)
	case uint64:
		return thousands(n)
	case int32:
		return thousands(n)
	case uint32:
		return thousands(n)
	}
	return fmt.Sprint(n)
}

// platform names a source for people.
func platform(source string) string {
	switch source {
	case "twitter":
		return "X/Twitter"
	case "mastodon":
		return "Mastodon"
	case "bluesky":
		return "Bluesky"
	case "hackernews":
		return "Hacker News"
	case "reddit":
		return "Reddit"
	}
	return source
}

// segment is a piece of post text, highlighted or not.
type segment struct {
	Text string
	Mark bool
}

// highlight cuts text into segments, marking where a term matches: a phrase
// anywhere, a word at the start of a word (so "outage" marks "outages").
// Matching ignores case. The text is only ever split, never altered: the
// template escapes every segment.
func highlight(text string, terms []string) []segment {
	if len(terms) == 0 || text == "" {
		return []segment{{Text: text}}
	}
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		// Lower-casing changed byte lengths (rare scripts): no highlighting
		// rather than misplaced marks.
		return []segment{{Text: text}}
	}
	marked := make([]bool, len(text))
	for _, term := range terms {
		t := strings.ToLower(strings.TrimSpace(term))
		if t == "" {
			continue
		}
		for off := 0; off < len(lower); {
			i := strings.Index(lower[off:], t)
			if i < 0 {
				break
			}
			i += off
			if i == 0 || !isWordRune(lastRune(lower[:i])) || strings.HasPrefix(t, "#") {
				end := i + len(t)
				// Extend a word match to the end of the word.
				for end < len(lower) {
					r, n := utf8.DecodeRuneInString(lower[end:])
					if !isWordRune(r) {
						break
					}
					end += n
				}
				for k := i; k < end; k++ {
					marked[k] = true
				}
			}
			off = i + len(t)
		}
	}
	var out []segment
	start := 0
	for i := 1; i <= len(text); i++ {
		if i == len(text) || marked[i] != marked[start] {
			out = append(out, segment{Text: text[start:i], Mark: marked[start]})
			start = i
		}
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// staticFile serves the embedded stylesheet and icons, cached for a day.
func (s *Server) staticFile(c *gin.Context) {
	name := path.Clean("/" + c.Param("file"))
	b, err := fs.ReadFile(assets, "static"+name)
	if err != nil {
		s.fail(c, errNotFound)
		return
	}
	ctype := "application/octet-stream"
	switch path.Ext(name) {
	case ".css":
		ctype = "text/css; charset=utf-8"
	case ".svg":
		ctype = "image/svg+xml"
	}
	c.Header("Cache-Control", "public, max-age=86400")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, ctype, b)
}

// nouns writes n with its noun, singular for exactly one: "1 reply", "2 replies".
func nouns(n any, one, many string) string {
	c := count(n)
	if c == "1" {
		return c + " " + one
	}
	return c + " " + many
}
