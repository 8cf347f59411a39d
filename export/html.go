package export

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// htmlTemplates holds the three parts of the page: head (before the first
// item), card (one per item) and foot (on Close).
const htmlTemplates = `
{{define "head"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="{{.Generator}}">
<title>{{.Title}}</title>
<style>
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1b1b1b; background: #f4f4f2; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
.desc p, .method p { margin: .4rem 0; white-space: pre-line; }
.gen { color: #555; font-size: .9rem; }
.card { background: #fff; border: 1px solid #d8d8d4; border-radius: 8px; padding: 1rem 1.2rem; margin: 1rem 0; box-shadow: 0 1px 2px rgba(0,0,0,.05); }
.card.deleted { border-left: 5px solid #b3261e; }
.card.edited { border-left: 5px solid #b26b00; }
.pos { float: right; color: #888; font-size: .85rem; }
blockquote { margin: 0 0 .6rem; font-size: 1.1rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.now { white-space: pre-wrap; overflow-wrap: anywhere; color: #555; border-left: 3px solid #ddd; padding-left: .6rem; }
.cite { font-size: .95rem; }
.meta, .ids { color: #555; font-size: .85rem; margin: .3rem 0 0; }
.ids { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .75rem; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; padding: .05rem .45rem; border-radius: 4px; margin-left: .3rem; }
.badge.live { background: #e3f1e4; color: #1e5f24; }
.badge.edited { background: #fff0d6; color: #7a4a00; }
.badge.deleted { background: #fbe2e0; color: #8c1d18; }
.note { background: #f7f7cf; padding: .4rem .6rem; border-radius: 4px; margin: .5rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: #0b57a4; overflow-wrap: anywhere; }
footer { margin-top: 2rem; border-top: 1px solid #ccc; padding-top: .8rem; }
footer h2 { font-size: 1.1rem; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .card { box-shadow: none; border-color: #999; break-inside: avoid; page-break-inside: avoid; }
  a { color: #000; text-decoration: none; }
  footer { break-before: auto; }
}
</style>
</head>
<body>
<main>
<header>
<h1>{{.Title}}</h1>
{{- if .Event}}
<p class="gen">Event: <bdi>{{.Event}}</bdi></p>
{{- end}}
{{- if .Description}}
<div class="desc">{{range .Description}}<p>{{.}}</p>{{end}}</div>
{{- end}}
<p class="gen">Generated {{.Generated}}{{if .Generator}} by {{.Generator}}{{end}}. Times are {{.Zone}}{{if ne .Zone "UTC"}} with UTC in parentheses{{end}}.</p>
</header>
{{end}}

{{define "card"}}<article class="card {{.Status}}" id="q{{.Pos}}">
<span class="pos">#{{.Pos}}</span>
<blockquote dir="auto"{{if .Lang}} lang="{{.Lang}}"{{end}}>{{if .Text}}{{.Text}}{{else}}<em>[no text]</em>{{end}}</blockquote>
{{- if .CurrentText}}
<p class="now" dir="auto"><strong>Now reads:</strong> {{.CurrentText}}</p>
{{- end}}
<p class="cite">— {{if .AuthorURL}}<a href="{{.AuthorURL}}" rel="noopener noreferrer nofollow"><bdi>{{.AuthorName}}</bdi></a>{{else}}<bdi>{{.AuthorName}}</bdi>{{end}}{{if .Handle}} <bdi>{{.Handle}}</bdi>{{end}}, {{.Platform}}, <time datetime="{{.CreatedISO}}">{{.When}}</time>
<span class="badge {{.Status}}">{{.StatusLabel}}</span></p>
{{- range .Context}}
<p class="meta">{{.Verb}} {{if .URL}}<a href="{{.URL}}" rel="noopener noreferrer nofollow">{{.Label}}</a>{{else}}{{.Label}}{{end}}</p>
{{- end}}
<p class="meta">{{.Likes}} likes · {{.Reposts}} reposts · {{.Replies}} replies · {{.Quotes}} quotes (at capture){{if .Sentiment}} · sentiment {{.Sentiment}}{{end}}{{if .Lang}} · {{.Lang}}{{end}}</p>
{{- if .Permalink}}
<p class="meta"><a href="{{.Permalink}}" rel="noopener noreferrer nofollow">{{.Permalink}}</a></p>
{{- end}}
{{- if .Note}}
<p class="note" dir="auto">{{.Note}}</p>
{{- end}}
{{- if .Tags}}
<p class="meta">Tags: {{.Tags}}</p>
{{- end}}
<p class="ids">{{.PostID}} · collected {{.Collected}}{{if .StatusAt}} · {{.Status}} {{.StatusAt}}{{end}}{{if .Added}} · added {{.Added}}{{end}} · sha256 {{.Hash}}</p>
</article>
{{end}}

{{define "foot"}}<footer>
<p class="gen">{{.Count}} {{if eq .Count 1}}quote{{else}}quotes{{end}}.</p>
{{- if .Method}}
<h2>Method</h2>
<div class="method">{{range .Method}}<p>{{.}}</p>{{end}}</div>
{{- end}}
</footer>
</main>
</body>
</html>
{{end}}`

type htmlHead struct {
	Title, Event, Generated, Generator, Zone string
	Description                              []string
}

type htmlRef struct{ Verb, Label, URL string }

type htmlCard struct {
	Pos                                      int
	Text, CurrentText, Lang                  string
	AuthorName, AuthorURL, Handle, Platform  string
	CreatedISO, When                         string
	Status, StatusLabel                      string
	Context                                  []htmlRef
	Likes, Reposts, Replies, Quotes          int64
	Sentiment                                string
	Permalink, Note, Tags                    string
	PostID, Collected, StatusAt, Added, Hash string
}

type htmlFoot struct {
	Count  int
	Method []string
}

// htmlWriter writes one self-contained page: no scripts, no external assets.
type htmlWriter struct {
	bw   *bufio.Writer
	tmpl *template.Template
	meta Meta
	n    int
	err  error
}

func newHTMLWriter(w io.Writer, meta Meta) (*htmlWriter, error) {
	tmpl, err := template.New("page").Parse(htmlTemplates)
	if err != nil {
		return nil, fmt.Errorf("export html: template: %w", err)
	}
	h := &htmlWriter{bw: bufio.NewWriterSize(w, 64<<10), tmpl: tmpl, meta: meta}
	head := htmlHead{
		Title:       cmp(oneLine(meta.Title), "Quotes"),
		Event:       oneLine(meta.Event),
		Generated:   whenDisplay(meta.GeneratedAt, meta.Location),
		Generator:   oneLine(meta.Generator),
		Zone:        zoneName(meta.Location),
		Description: paragraphs(meta.Description),
	}
	if head.Event == head.Title {
		head.Event = ""
	}
	if err := tmpl.ExecuteTemplate(h.bw, "head", head); err != nil {
		return nil, fmt.Errorf("export html: %w", err)
	}
	return h, nil
}

func (h *htmlWriter) Write(it Item) error {
	if h.err != nil {
		return h.err
	}
	c := htmlCard{
		Pos:        it.Position,
		Text:       strings.TrimSpace(normalizeNewlines(cleanText(it.Text))),
		Lang:       oneLine(it.Lang),
		AuthorName: oneLine(it.AuthorName),
		Handle:     handleDisplay(it.Source, it.AuthorHandle),
		Platform:   platformName(it.Source),
		CreatedISO: isoUTC(it.CreatedAt),
		When:       whenDisplay(it.CreatedAt, h.meta.Location),
		Status:     string(Live),
		Likes:      it.Likes, Reposts: it.Reposts, Replies: it.Replies, Quotes: it.Quotes,
		Note:      strings.TrimSpace(normalizeNewlines(cleanText(it.Note))),
		Tags:      oneLine(strings.Join(it.Tags, ", ")),
		PostID:    oneLine(it.PostID),
		Collected: cmp(local(it.CollectedAt, h.meta.Location), "unknown"),
		StatusAt:  local(it.StatusAt, h.meta.Location),
		Hash:      cmp(oneLine(it.ContentHash), "none"),
	}
	if c.AuthorName == "" || c.AuthorName == strings.TrimPrefix(oneLine(it.AuthorHandle), "@") {
		c.AuthorName, c.Handle = cmp(c.Handle, "unknown author"), ""
	}
	if safeURL(it.AuthorURL) {
		c.AuthorURL = it.AuthorURL
	}
	if safeURL(it.Permalink) {
		c.Permalink = it.Permalink
	}
	switch it.Status {
	case Edited, Deleted:
		c.Status = string(it.Status)
		c.StatusLabel = statusPhrase(it.Status)
	default:
		c.StatusLabel = "live"
	}
	if it.Status == Edited {
		c.CurrentText = strings.TrimSpace(normalizeNewlines(cleanText(it.CurrentText)))
	}
	if !it.AddedAt.IsZero() || it.AddedBy != "" {
		c.Added = strings.TrimSpace(local(it.AddedAt, h.meta.Location) + " by " + cmp(oneLine(it.AddedBy), "unknown"))
	}
	if it.ReplyTo != "" || it.ReplyToURL != "" {
		c.Context = append(c.Context, htmlRef{"Replying to", cmp(oneLine(it.ReplyTo), it.ReplyToURL), urlIfSafe(it.ReplyToURL)})
	}
	if it.QuoteOf != "" || it.QuoteOfURL != "" {
		c.Context = append(c.Context, htmlRef{"Quoting", cmp(oneLine(it.QuoteOf), it.QuoteOfURL), urlIfSafe(it.QuoteOfURL)})
	}
	if formatScore(&it) != "" {
		// On the page, two decimals: the exact score is in the CSV and JSON.
		c.Sentiment = strings.TrimSpace(oneLine(it.SentimentLabel) + " " + fmt.Sprintf("%+.2f", it.SentimentScore))
		if m := oneLine(it.SentimentModel); m != "" {
			c.Sentiment += " (" + m + ")"
		}
	}
	if err := h.tmpl.ExecuteTemplate(h.bw, "card", c); err != nil {
		h.err = fmt.Errorf("export html: item %s: %w", it.PostID, err)
		return h.err
	}
	h.n++
	if err := writeErr(h.bw); err != nil {
		h.err = fmt.Errorf("export html: %w", err)
		return h.err
	}
	return nil
}

func (h *htmlWriter) Close() error {
	if h.err != nil {
		return h.err
	}
	if err := h.tmpl.ExecuteTemplate(h.bw, "foot", htmlFoot{Count: h.n, Method: paragraphs(h.meta.Method)}); err != nil {
		h.err = fmt.Errorf("export html: %w", err)
		return h.err
	}
	if err := h.bw.Flush(); err != nil {
		h.err = fmt.Errorf("export html: %w", err)
		return h.err
	}
	h.err = ErrClosed
	return nil
}

func urlIfSafe(u string) string {
	if safeURL(u) {
		return u
	}
	return ""
}

// paragraphs splits cleaned text at blank lines.
func paragraphs(s string) []string {
	var ps []string
	for _, p := range strings.Split(normalizeNewlines(cleanText(s)), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}
