package mastodon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	xhtml "golang.org/x/net/html"

	"github.com/aftershock/aftershock/collector"
	"github.com/aftershock/aftershock/post"
)

// maxDepth bounds how deeply boosts and quotes nest before the decoder stops
// following them (Mastodon itself nests at most two levels).
const maxDepth = 4

// DecodeStatuses reads Mastodon REST API v1 Status JSON: a single status, an
// array of statuses (a timeline page), a context response
// {ancestors, descendants}, a search response {accounts, hashtags, statuses},
// or JSON Lines of any of these. A boost yields the boost and the boosted
// status; a quote (Mastodon 4.4+) yields the quoting and the quoted status.
func DecodeStatuses(r io.Reader) iter.Seq[collector.Item] {
	return collector.DecodeRecords(r, "mastodon", StatusRecords())
}

// StatusRecords returns the per-record decoder of [DecodeStatuses]. It keeps
// no state across records: replies resolve within one record only.
func StatusRecords() collector.RecordFunc {
	return func(line int, data []byte, yield func(collector.Item) bool) bool {
		return decodeStatusRecord(data, line, yield)
	}
}

// status is the part of a Mastodon Status entity the decoder reads.
type status struct {
	ID                 flexString `json:"id"`
	URI                string     `json:"uri"`
	URL                string     `json:"url"`
	CreatedAt          string     `json:"created_at"`
	EditedAt           string     `json:"edited_at"`
	Language           string     `json:"language"`
	SpoilerText        string     `json:"spoiler_text"`
	Content            string     `json:"content"`
	InReplyToID        flexString `json:"in_reply_to_id"`
	InReplyToAccountID flexString `json:"in_reply_to_account_id"`
	Account            account    `json:"account"`
	RepliesCount       int64      `json:"replies_count"`
	ReblogsCount       int64      `json:"reblogs_count"`
	FavouritesCount    int64      `json:"favourites_count"`
	QuotesCount        int64      `json:"quotes_count"`
	Tags               []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"tags"`
	Mentions []struct {
		ID       flexString `json:"id"`
		Username string     `json:"username"`
		Acct     string     `json:"acct"`
		URL      string     `json:"url"`
	} `json:"mentions"`
	MediaAttachments []struct {
		URL       string `json:"url"`
		RemoteURL string `json:"remote_url"`
	} `json:"media_attachments"`
	Card *struct {
		URL string `json:"url"`
	} `json:"card"`
}

type account struct {
	ID          flexString `json:"id"`
	Username    string     `json:"username"`
	Acct        string     `json:"acct"`
	DisplayName string     `json:"display_name"`
	URL         string     `json:"url"`
	URI         string     `json:"uri"`
}

// parsed is one status of a record with the statuses nested in it.
type parsed struct {
	s      status
	data   []byte // the status's own JSON object
	line   int
	err    error   // why the object could not be read as a status
	reblog *parsed // the boosted status
	quoted *parsed // the quoted status (quote.quoted_status)
	// quotedID is the instance-local id of a quoted status that is not
	// embedded (a "shallow" quote).
	quotedID string
}

// decodeStatusRecord yields the items of one JSON record. It returns false
// when the consumer stopped.
func decodeStatusRecord(data []byte, line int, yield func(collector.Item) bool) bool {
	fail := func(format string, args ...any) bool {
		return yield(collector.Item{Line: line, Err: fmt.Errorf("mastodon: "+format, args...)})
	}
	ms, ok := members(data, line)
	if !ok {
		return fail("record is not a JSON object")
	}
	var all []*parsed
	var lists []*part // the status arrays of a wrapper response
	switch {
	case lookup(ms, "ancestors") != nil || lookup(ms, "descendants") != nil:
		lists = []*part{lookup(ms, "ancestors"), lookup(ms, "descendants")}
	case lookup(ms, "statuses") != nil || lookup(ms, "accounts") != nil || lookup(ms, "hashtags") != nil:
		// A search response; one for accounts or hashtags only holds no post.
		lists = []*part{lookup(ms, "statuses")}
	case lookup(ms, "uri") != nil || lookup(ms, "id") != nil || lookup(ms, "content") != nil || lookup(ms, "created_at") != nil:
		all = []*parsed{parseStatus(data, line, 0)}
	case lookup(ms, "error") != nil:
		var e struct {
			Error string `json:"error"`
		}
		_ = unmarshal(data, &e)
		return fail("API error response: %q", e.Error)
	default:
		return fail("record is neither a status nor a timeline, context or search response")
	}
	for _, l := range lists {
		if l == nil || isNull(l.data) {
			continue
		}
		es, ok := elements(l.data, l.line)
		if !ok {
			if !fail("%q is not an array of statuses", l.key) {
				return false
			}
			continue
		}
		for _, e := range es {
			all = append(all, parseStatus(e.data, e.line, 0))
		}
	}

	res := &resolver{uris: map[string]string{}, local: map[string]string{}}
	for _, p := range all {
		res.add(p)
	}
	for _, p := range all {
		if !emit(p, res, yield) {
			return false
		}
	}
	return true
}

// parseStatus reads one status object and, up to maxDepth, the statuses it
// embeds.
func parseStatus(data []byte, line, depth int) *parsed {
	p := &parsed{data: data, line: line}
	ms, ok := members(data, line)
	if !ok {
		p.err = errors.New("status is not a JSON object")
		return p
	}
	if err := unmarshal(data, &p.s); err != nil {
		p.err = fmt.Errorf("status: %w", err)
		return p
	}
	if depth >= maxDepth {
		return p
	}
	if rb := lookup(ms, "reblog"); rb != nil && !isNull(rb.data) {
		p.reblog = parseStatus(rb.data, rb.line, depth+1)
	}
	if q := lookup(ms, "quote"); q != nil && !isNull(q.data) {
		qms, ok := members(q.data, q.line)
		if !ok {
			return p
		}
		switch {
		case lookup(qms, "quoted_status") != nil:
			// Mastodon 4.4+: {"state":…, "quoted_status": Status|null}.
			if qs := lookup(qms, "quoted_status"); !isNull(qs.data) {
				p.quoted = parseStatus(qs.data, qs.line, depth+1)
			}
		case lookup(qms, "quoted_status_id") != nil:
			// A shallow quote, as nested quotes carry it.
			var sq struct {
				ID flexString `json:"quoted_status_id"`
			}
			_ = unmarshal(q.data, &sq)
			p.quotedID = string(sq.ID)
		case lookup(qms, "uri") != nil:
			// Older forks (Fedibird) embed the quoted Status itself.
			p.quoted = parseStatus(q.data, q.line, depth+1)
		}
	}
	return p
}

// resolver maps the instance-local ids a status refers to (in_reply_to_id,
// quoted_status_id) to status URIs, from what one record tells.
type resolver struct {
	uris  map[string]string // status id → uri, for the statuses of the record
	local map[string]string // account id → username, for accounts local to the serving instance
	// base is "https://host" of the serving instance, set once a local status
	// of the record shows that the instance builds its status URIs as
	// base/users/<username>/statuses/<id> (Mastodon and GoToSocial do).
	base string
}

func (r *resolver) add(p *parsed) {
	if p == nil || p.err != nil {
		return
	}
	s := &p.s
	if id := string(s.ID); id != "" && s.URI != "" {
		if _, ok := r.uris[id]; !ok {
			r.uris[id] = s.URI
		}
	}
	a := &s.Account
	if isLocalAcct(a.Acct) && a.ID != "" && a.Username != "" {
		r.local[string(a.ID)] = a.Username
		suffix := "/users/" + a.Username
		if r.base == "" && strings.HasSuffix(a.URI, suffix) && s.URI == a.URI+"/statuses/"+string(s.ID) {
			r.base = strings.TrimSuffix(a.URI, suffix)
		}
	}
	for _, m := range s.Mentions {
		if isLocalAcct(m.Acct) && m.ID != "" && m.Username != "" {
			r.local[string(m.ID)] = m.Username
		}
	}
	r.add(p.reblog)
	r.add(p.quoted)
}

// uri returns the URI of the status with instance-local id, written by the
// account with instance-local accountID (if known), or "".
func (r *resolver) uri(id, accountID string) string {
	if id == "" {
		return ""
	}
	if u := r.uris[id]; u != "" {
		return u
	}
	if r.base == "" || accountID == "" || !isPlainID(id) {
		return ""
	}
	if name := r.local[accountID]; name != "" {
		return r.base + "/users/" + name + "/statuses/" + id
	}
	return ""
}

// isLocalAcct reports whether acct names an account of the serving instance.
func isLocalAcct(acct string) bool {
	acct = strings.TrimPrefix(acct, "@")
	return acct != "" && !strings.Contains(acct, "@")
}

// isPlainID reports whether id consists of letters and digits only, so it
// can be placed in a URI path.
func isPlainID(id string) bool {
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return id != ""
}

// emit yields the post of p and then the posts embedded in it.
func emit(p *parsed, res *resolver, yield func(collector.Item) bool) bool {
	po, err := buildStatus(p, res)
	item := collector.Item{Line: p.line, Post: po}
	if err != nil {
		item = collector.Item{Line: p.line, Err: fmt.Errorf("mastodon: %w", err)}
	}
	if !yield(item) {
		return false
	}
	for _, sub := range []*parsed{p.reblog, p.quoted} {
		if sub != nil && !emit(sub, res, yield) {
			return false
		}
	}
	return true
}

// buildStatus turns a parsed status into a post. It returns an error when
// the status lacks what a post needs.
func buildStatus(p *parsed, res *resolver) (*post.Post, error) {
	if p.err != nil {
		return nil, p.err
	}
	po := statusPost(p, res)
	s := &p.s
	if s.URI == "" {
		if s.ID != "" {
			return nil, fmt.Errorf("status %s has no uri", s.ID)
		}
		return nil, errors.New("status has no uri")
	}
	if po.CreatedAt.IsZero() {
		if s.CreatedAt == "" {
			return nil, fmt.Errorf("status %s has no created_at", s.URI)
		}
		return nil, fmt.Errorf("status %s: bad created_at %q", s.URI, s.CreatedAt)
	}
	po.Normalize()
	if err := po.Validate(); err != nil {
		return nil, fmt.Errorf("status %s: %w", s.URI, err)
	}
	return po, nil
}

// statusPost maps the fields of p onto a post without checking them.
func statusPost(p *parsed, res *resolver) *post.Post {
	s := &p.s
	po := &post.Post{
		ID:       post.MakeID(post.Mastodon, s.URI),
		Source:   post.Mastodon,
		NativeID: s.URI,
		URL:      s.URL,
		Author:   accountAuthor(&s.Account),
		Text:     statusText(s.SpoilerText, s.Content),
		Lang:     s.Language,
		Metrics: post.Metrics{
			Likes:   s.FavouritesCount,
			Reposts: s.ReblogsCount,
			Replies: s.RepliesCount,
			Quotes:  s.QuotesCount,
		},
		Raw: bytes.Clone(p.data),
	}
	if po.URL == "" {
		po.URL = s.URI
	}
	po.CreatedAt, _ = parseTime(s.CreatedAt)
	if t, ok := parseTime(s.EditedAt); ok {
		po.EditedAt = t
		po.Revision = t.UnixNano()
	}
	if u := res.uri(string(s.InReplyToID), string(s.InReplyToAccountID)); u != "" {
		po.ReplyTo = post.MakeID(post.Mastodon, u)
	}

	skip := map[string]bool{}
	for _, t := range s.Tags {
		po.Hashtags = append(po.Hashtags, strings.TrimPrefix(t.Name, "#"))
		skip[t.URL] = true
	}
	for _, m := range s.Mentions {
		po.Mentions = append(po.Mentions, fullHandle(m.Acct, m.URL, ""))
		skip[m.URL] = true
	}
	po.Links = contentLinks(s.Content, skip)
	if s.Card != nil && isWebLink(s.Card.URL) {
		po.Links = append(po.Links, s.Card.URL)
	}
	for _, m := range s.MediaAttachments {
		if m.URL != "" {
			po.Media = append(po.Media, m.URL)
		} else if m.RemoteURL != "" {
			po.Media = append(po.Media, m.RemoteURL)
		}
	}

	if p.reblog != nil && p.reblog.err == nil {
		orig := statusPost(p.reblog, res)
		if orig.NativeID != "" {
			po.RepostOf = orig.ID
		}
		po.Text = orig.Text
		if po.Lang == "" {
			po.Lang = orig.Lang
		}
		po.Hashtags = append(po.Hashtags, orig.Hashtags...)
		po.Mentions = append(po.Mentions, orig.Mentions...)
		po.Links = append(po.Links, orig.Links...)
		po.Media = append(po.Media, orig.Media...)
	}
	if p.quoted != nil && p.quoted.err == nil && p.quoted.s.URI != "" {
		po.QuoteOf = post.MakeID(post.Mastodon, p.quoted.s.URI)
	} else if u := res.uri(p.quotedID, ""); u != "" {
		po.QuoteOf = post.MakeID(post.Mastodon, u)
	}
	// Normalize compacts the lists in place: give the post its own.
	po.Hashtags = slices.Clone(po.Hashtags)
	po.Mentions = slices.Clone(po.Mentions)
	po.Links = slices.Clone(po.Links)
	po.Media = slices.Clone(po.Media)
	return po
}

// accountAuthor maps a Mastodon Account onto an author.
func accountAuthor(a *account) post.Author {
	id := a.URI
	if id == "" {
		id = a.URL
	}
	return post.Author{
		ID:     id,
		Handle: fullHandle(a.Acct, a.URL, a.URI),
		Name:   a.DisplayName,
		URL:    a.URL,
	}
}

// statusText is the plain text of a status: its content warning, if any,
// then its HTML content as text.
func statusText(spoiler, content string) string {
	text := post.HTMLToText(content)
	if spoiler = strings.TrimSpace(spoiler); spoiler != "" {
		text = "CW: " + spoiler + "\n\n" + text
	}
	return text
}

// contentLinks returns the targets of the <a> elements of HTML content that
// are not mentions or hashtags: not classed "mention" or "hashtag", not in
// skip (the mention and tag URLs the payload lists), and not showing a text
// that starts with '@' or '#' (servers that do not class their links).
func contentLinks(content string, skip map[string]bool) []string {
	if !strings.Contains(content, "<") {
		return nil
	}
	var links []string
	z := xhtml.NewTokenizer(strings.NewReader(content))
	href := "" // the link of the <a> being read, until its text shows what it is
	var text strings.Builder
	flush := func() {
		t := strings.TrimSpace(text.String())
		if href != "" && !strings.HasPrefix(t, "@") && !strings.HasPrefix(t, "#") {
			links = append(links, href)
		}
		href = ""
		text.Reset()
	}
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			flush()
			return links
		case xhtml.TextToken:
			if href != "" && text.Len() < 8 {
				text.Write(z.Text())
			}
		case xhtml.EndTagToken:
			if name, _ := z.TagName(); string(name) == "a" {
				flush()
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" {
				continue
			}
			flush()
			var h, class string
			for more := hasAttr; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "href":
					h = string(v)
				case "class":
					class = string(v)
				}
			}
			classes := strings.Fields(class)
			if skip[h] || !isWebLink(h) || slices.Contains(classes, "mention") || slices.Contains(classes, "hashtag") {
				continue
			}
			href = h
		}
	}
}
