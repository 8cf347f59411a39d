package status

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"

	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftershock/aftershock/post"
	"golang.org/x/net/html/charset"
)

// xmlText is an Atom text construct or an RSS element's text.
type xmlText struct {
	Type  string `xml:"type,attr"`
	Text  string `xml:",chardata"`
	Inner string `xml:",innerxml"`
}

// html returns the content as HTML (Atom type="text" is escaped first).
func (t xmlText) html() string {
	switch strings.ToLower(t.Type) {
	case "xhtml":
		return t.Inner
	case "text", "text/plain":
		return xmlEscape(t.Text)
	}
	return t.Text
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

type xmlLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Text string `xml:",chardata"`
}

// rawEntry is one Atom <entry> or RSS <item>, as written.
type rawEntry struct {
	id, guid, title string
	links           []xmlLink
	published       string // published, pubDate, issued, dc:date, created
	updated         string // updated, modified
	html            []string
}

func (e *rawEntry) link() string {
	for _, l := range e.links {
		if strings.TrimSpace(l.Text) != "" {
			return strings.TrimSpace(l.Text)
		}
	}
	for _, l := range e.links {
		if l.Href != "" && (l.Rel == "" || l.Rel == "alternate") {
			return strings.TrimSpace(l.Href)
		}
	}
	return ""
}

const (
	nsMediaRSS = "http://search.yahoo.com/mrss/"
)

// decodeEntry reads the children of an <entry> or <item> whose start tag
// was just read.
func decodeEntry(d *xml.Decoder) (rawEntry, error) {
	var e rawEntry
	var pub, upd []string
	for {
		tok, err := d.Token()
		if err != nil {
			return e, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			e.published = firstOf(pub...)
			e.updated = firstOf(upd...)
			return e, nil
		case xml.StartElement:
			var txt xmlText
			switch t.Name.Local {
			case "link":
				var l xmlLink
				err = d.DecodeElement(&l, &t)
				e.links = append(e.links, l)
			case "title", "id", "guid", "published", "pubDate", "issued", "date", "created", "updated", "modified":
				err = d.DecodeElement(&txt, &t)
				v := strings.TrimSpace(txt.Text)
				switch t.Name.Local {
				case "title":
					if e.title == "" {
						e.title = strings.TrimSpace(post.HTMLToText(txt.html()))
					}
				case "id":
					e.id = firstOf(e.id, v)
				case "guid":
					e.guid = firstOf(e.guid, v)
				case "updated", "modified":
					upd = append(upd, v)
				default:
					pub = append(pub, v)
				}
			case "content", "encoded", "description", "summary":
				if t.Name.Space == nsMediaRSS {
					err = d.Skip()
					break
				}
				err = d.DecodeElement(&txt, &t)
				if h := strings.TrimSpace(txt.html()); h != "" {
					e.html = append(e.html, h)
				}
			default:
				err = d.Skip()
			}
			if err != nil {
				return e, err
			}
		}
	}
}

// feedInfo is what the channel or feed element says about the page.
type feedInfo struct {
	title string
	links []xmlLink
}

// parseXML reads an Atom, RSS 2.0 or RSS 1.0 document entry by entry.
func parseXML(data []byte, p *report, origin string, utf16 bool) []Incident {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return in, nil // already transcoded by Parse
		}
		return charset.NewReaderLabel(label, in)
	}
	var (
		root    string
		info    feedInfo
		entries []rawEntry
		entErr  []error // parallel to entries
		stack   []string
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				p.notFeed("malformed XML: %v", err)
				return nil
			}
			p.whole("malformed XML after entry %d, rest ignored: %v", len(entries), err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root == "" {
				switch t.Name.Local {
				case "feed", "rss", "RDF":
					root = t.Name.Local
				default:
					p.notFeed("XML document with root element <%s>", t.Name.Local)
					return nil
				}
				stack = append(stack, t.Name.Local)
				continue
			}
			parent := stack[len(stack)-1]
			atTop := parent == "feed" || parent == "channel"
			switch {
			case t.Name.Local == "entry" || t.Name.Local == "item":
				e, err := decodeEntry(d)
				entries = append(entries, e)
				entErr = append(entErr, err)
				if err != nil {
					p.whole("malformed XML in entry %d, rest ignored: %v", len(entries), err)
					goto done
				}
			case atTop && t.Name.Local == "title" && info.title == "":
				var txt xmlText
				if err := d.DecodeElement(&txt, &t); err == nil {
					info.title = strings.TrimSpace(post.HTMLToText(txt.html()))
				}
			case atTop && t.Name.Local == "link":
				var l xmlLink
				if err := d.DecodeElement(&l, &t); err == nil {
					info.links = append(info.links, l)
				}
			default:
				stack = append(stack, t.Name.Local)
			}
		case xml.EndElement:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
		}
	}
done:
	if root == "" {
		p.notFeed("no XML element")
		return nil
	}
	var incs []Incident
	b := feedBuilder{p: p, origin: origin, info: info}
	b.init()
	for i, e := range entries {
		if entErr[i] != nil {
			continue // reported above; its fields may be cut short
		}
		if inc, ok := b.entry(i+1, &e); ok {
			incs = append(incs, inc)
		}
	}
	return append(incs, b.awsIncidents()...)
}

// feedBuilder turns raw entries into incidents.
type feedBuilder struct {
	p        *report
	origin   string
	info     feedInfo
	pageURL  string
	pageHost string
	page     string
	aws      []awsItem
}

func (b *feedBuilder) init() {
	for _, l := range b.info.links {
		if t := strings.TrimSpace(l.Text); t != "" {
			b.pageURL = t
			break
		}
	}
	if b.pageURL == "" {
		for _, l := range b.info.links {
			if l.Href != "" && (l.Rel == "" || l.Rel == "alternate") {
				b.pageURL = strings.TrimSpace(l.Href)
				break
			}
		}
	}
	b.pageURL = strings.TrimRight(b.pageURL, "/")
	b.pageHost = hostOf(b.pageURL)
	if b.pageHost == "" {
		b.pageHost = originHost(b.origin)
	}
	b.page = pageName(b.info.title)
	if b.page == "" {
		b.page = b.pageHost
	}
}

// pageName turns "GitHub Status - Incident History" into "GitHub".
func pageName(title string) string {
	name, _, _ := strings.Cut(title, " - ")
	name = strings.TrimSpace(name)
	for _, suf := range []string{" Service Status", " Status", " status"} {
		name = strings.TrimSuffix(name, suf)
	}
	return strings.TrimSpace(name)
}

// entryDates parses an entry's published and updated dates.
func entryDates(e *rawEntry) (pub, upd time.Time, err error) {
	var errs []error
	if e.published != "" {
		if pub, err = parseDate(e.published); err != nil {
			errs = append(errs, err)
		}
	}
	if e.updated != "" {
		if upd, err = parseDate(e.updated); err != nil {
			errs = append(errs, err)
		}
	}
	return pub, upd, errors.Join(errs...)
}

func (b *feedBuilder) entry(n int, e *rawEntry) (Incident, bool) {
	title := firstOf(e.title, e.id, e.guid)
	if it, ok := parseAWSGUID(e.guid); ok {
		it.n, it.title, it.link = n, e.title, e.link()
		it.body = bodyText(e.html)
		pub, upd, err := entryDates(e)
		it.time = latest(pub, upd)
		if it.time.IsZero() {
			it.time = it.epoch // the guid's epoch is the item's own pubDate
		}
		if it.time.IsZero() {
			b.p.entry(n, title, "no date%s", errSuffix(err))
			return Incident{}, false
		}
		b.aws = append(b.aws, it)
		return Incident{}, false
	}
	pub, upd, err := entryDates(e)
	if pub.IsZero() && upd.IsZero() {
		b.p.entry(n, title, "no date%s", errSuffix(err))
		return Incident{}, false
	}
	if err != nil {
		b.p.entry(n, title, "%v (the other date is used)", err)
	}
	inc := Incident{
		Key:     b.key(e),
		Page:    b.page,
		PageURL: b.pageURL,
		Name:    e.title,
		URL:     e.link(),
	}
	for _, h := range e.html {
		if !isHistoryHTML(h) {
			continue
		}
		ups, comps, errs := parseHistory(h)
		for _, err := range errs {
			b.p.entry(n, title, "%v", err)
		}
		if len(ups) == 0 {
			break
		}
		inc.Components = comps
		anchor := latest(pub, upd)
		var newer time.Time
		for j, u := range ups {
			t, err := u.at.resolve(anchor, newer)
			if err != nil {
				b.p.entry(n, title, "update %d: %v", j+1, err)
				continue
			}
			newer = t
			inc.Updates = append(inc.Updates, Update{Time: t, State: NormalizeState(u.label), Body: u.body})
		}
		if len(inc.Updates) == 0 {
			return Incident{}, false
		}
		slices.Reverse(inc.Updates) // oldest first, so same-minute updates keep their order
		inc.finish()
		derivedIDs(inc.Updates)
		return inc, true
	}
	// Generic entry: one incident with one update at its newest date.
	inc.Created = firstTime(pub, upd)
	inc.Updates = []Update{{Time: latest(pub, upd), State: NormalizeState(e.title), Body: bodyText(e.html)}}
	inc.finish()
	derivedIDs(inc.Updates)
	return inc, true
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// bodyText is the plain text of the first non-empty content of an entry.
func bodyText(htmls []string) string {
	for _, h := range htmls {
		if t := strings.TrimSpace(post.HTMLToText(h)); t != "" {
			return t
		}
	}
	return ""
}

var incidentPath = regexp.MustCompile(`/incidents/([A-Za-z0-9_-]+)`)

// key builds an entry's incident key: "<host>/<public code>" when the link
// is a Statuspage incident link (the key its JSON API gives the same
// incident), else from the entry id or guid, else the link, else a hash of
// the title.
func (b *feedBuilder) key(e *rawEntry) string {
	link := e.link()
	if m := incidentPath.FindStringSubmatch(link); m != nil && hostOf(link) != "" {
		return hostOf(link) + "/" + m[1]
	}
	for _, id := range []string{e.id, e.guid, link} {
		if id == "" {
			continue
		}
		if strings.HasPrefix(id, "tag:") { // tag:www.githubstatus.com,2005:Incident/26837586
			rest := strings.TrimPrefix(id, "tag:")
			if auth, spec, ok := strings.Cut(rest, ":"); ok {
				host, _, _ := strings.Cut(auth, ",")
				return host + "/" + spec
			}
		}
		if u, err := url.Parse(id); err == nil && u.Host != "" {
			k := strings.ToLower(u.Host) + u.Path
			if u.RawQuery != "" {
				k += "?" + u.RawQuery
			}
			if u.Fragment != "" {
				k += "#" + u.Fragment
			}
			return k
		}
		return b.hostOr() + "/" + id
	}
	sum := sha256.Sum256([]byte(e.title))
	return b.hostOr() + "/" + hex.EncodeToString(sum[:8])
}

func (b *feedBuilder) hostOr() string {
	if b.pageHost != "" {
		return b.pageHost
	}
	return "feed:" + b.origin
}

// AWS Service Health Dashboard RSS: one item per update, guid
// "https://status.aws.amazon.com/#ec2-eu-west-1_1486575987" (service key and
// the item's own epoch). Items are grouped per service into incidents.

type awsItem struct {
	n           int
	host, frag  string // guid host and fragment
	service     string
	epoch, time time.Time
	title, link string
	body        string
}

var awsGUID = regexp.MustCompile(`^https?://([^/#]*amazon\.com)/?#(([A-Za-z0-9.-]+)_(\d{9,11}))$`)

func parseAWSGUID(guid string) (awsItem, bool) {
	m := awsGUID.FindStringSubmatch(strings.TrimSpace(guid))
	if m == nil {
		return awsItem{}, false
	}
	it := awsItem{host: strings.ToLower(m[1]), frag: m[2], service: m[3]}
	if sec, err := strconv.ParseInt(m[4], 10, 64); err == nil {
		it.epoch = time.Unix(sec, 0).UTC()
	}
	return it, true
}

// awsQuietGap closes an AWS incident that got no update for this long.
const awsQuietGap = 48 * time.Hour

// awsPrefixes are AWS's title prefixes and the impact each implies.
var awsPrefixes = []struct{ prefix, impact string }{
	{"Service is operating normally", "none"},
	{"Informational message", "none"},
	{"Performance issues", "minor"},
	{"Service degradation", "minor"},
	{"Service disruption", "major"},
}

func awsTitle(title string) (name, impact string) {
	name = title
	for _, pr := range awsPrefixes {
		if rest, ok := strings.CutPrefix(title, pr.prefix+":"); ok {
			name, impact = rest, pr.impact
			break
		}
	}
	name = strings.TrimSpace(name)
	for _, tag := range []string{"[RESOLVED]", "[Resolved]"} {
		name = strings.TrimSpace(strings.TrimPrefix(name, tag))
	}
	return name, impact
}

// awsIncidents groups the AWS items: per service, in time order, an incident
// runs from its first item to the first item whose state is resolved
// ("Service is operating normally", "[RESOLVED]"); a later item opens the
// next one, as does an item after a quiet gap of awsQuietGap (the earlier
// incident then stays unresolved: the feed never said it ended).
func (b *feedBuilder) awsIncidents() []Incident {
	if len(b.aws) == 0 {
		return nil
	}
	items := slices.Clone(b.aws)
	slices.SortStableFunc(items, func(a, c awsItem) int { return a.time.Compare(c.time) })
	pageURL := b.pageURL
	if pageURL == "" {
		pageURL = "https://" + items[0].host
	}
	open := map[string]int{} // service → index in out
	var out []Incident
	for _, it := range items {
		st := NormalizeState(it.title)
		if st == Unknown {
			st = Updated
		}
		i, ok := open[it.service]
		if ok {
			last, _ := out[i].LastUpdate()
			if it.time.Sub(last.Time) > awsQuietGap {
				ok = false
			}
		}
		if !ok {
			name, impact := awsTitle(it.title)
			out = append(out, Incident{
				Key:        it.host + "/" + it.frag,
				Page:       "AWS",
				PageURL:    pageURL,
				Name:       name,
				URL:        firstOf(it.link, pageURL),
				Impact:     impact,
				Components: []string{it.service},
				Created:    it.time,
			})
			i = len(out) - 1
			open[it.service] = i
		}
		out[i].Updates = append(out[i].Updates, Update{ID: it.frag, Time: it.time, State: st, Body: it.body})
		if st == Resolved {
			delete(open, it.service)
		}
	}
	for i := range out {
		out[i].finish()
	}
	return out
}

// mergeByKey folds incidents with the same key into the first one, keeping
// every update id once.
func mergeByKey(incs []Incident) []Incident {
	at := map[string]int{}
	var out []Incident
	for _, inc := range incs {
		i, ok := at[inc.Key]
		if !ok {
			at[inc.Key] = len(out)
			out = append(out, inc)
			continue
		}
		dst := &out[i]
		for _, u := range inc.Updates {
			if !slices.ContainsFunc(dst.Updates, func(v Update) bool { return v.ID == u.ID }) {
				dst.Updates = append(dst.Updates, u)
			}
		}
		dst.Components = append(dst.Components, inc.Components...)
		if dst.Resolved.IsZero() {
			dst.Resolved = inc.Resolved
		}
		if !inc.Created.IsZero() && (dst.Created.IsZero() || inc.Created.Before(dst.Created)) {
			dst.Created = inc.Created
		}
		dst.finish()
	}
	return out
}
