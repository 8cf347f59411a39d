package status

import (
	"strings"

	"github.com/aftershock/aftershock/post"
	xhtml "golang.org/x/net/html"
)

// Statuspage's history.atom / history.rss put an incident's whole update
// history into the entry's HTML, newest first, one paragraph per update:
//
//	<p><small>Oct <var data-var='date'>21</var>, <var data-var='time'>17:39</var> UTC</small><br>
//	<strong>Resolved</strong> - This incident has been resolved.</p>
//
// and sometimes a last paragraph "This incident affected: API and Dashboard.".
// Maintenance entries start with a paragraph "THIS IS A SCHEDULED EVENT …"
// holding no <small>, which is not an update.

// histUpdate is one paragraph of the history, its year not yet known.
type histUpdate struct {
	at    stamp
	label string
	body  string
}

// isHistoryHTML reports whether an entry's HTML looks like a Statuspage
// update history.
func isHistoryHTML(s string) bool {
	return strings.Contains(s, "data-var='date'") || strings.Contains(s, `data-var="date"`) ||
		strings.Contains(s, "data-var=date")
}

// parseHistory reads the update paragraphs of a history entry, newest first
// as the feed has them. Paragraphs whose time cannot be read are returned as
// errors; the others are kept.
func parseHistory(s string) (ups []histUpdate, components []string, errs []error) {
	doc, err := xhtml.Parse(strings.NewReader("<body>" + s + "</body>"))
	if err != nil {
		return nil, nil, []error{err}
	}
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == "p" {
			u, comps, ok, err := historyParagraph(n)
			switch {
			case err != nil:
				errs = append(errs, err)
			case ok:
				ups = append(ups, u)
			default:
				components = append(components, comps...)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return ups, components, errs
}

// historyParagraph reads one <p>. ok is false for a paragraph that is not an
// update; comps is set for a "This incident affected:" paragraph.
func historyParagraph(p *xhtml.Node) (u histUpdate, comps []string, ok bool, err error) {
	small := findElement(p, "small")
	if small == nil {
		text := nodeText(p)
		if rest, found := strings.CutPrefix(text, "This incident affected:"); found {
			comps = splitComponents(rest)
		}
		return u, comps, false, nil
	}
	u.at, err = parseStamp(nodeText(small))
	if err != nil {
		return u, nil, false, err
	}
	small.Parent.RemoveChild(small)
	if strong := findElement(p, "strong"); strong != nil {
		u.label = nodeText(strong)
		strong.Parent.RemoveChild(strong)
	}
	var b strings.Builder
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if err := xhtml.Render(&b, c); err != nil {
			return u, nil, false, err
		}
	}
	body := strings.TrimSpace(post.HTMLToText(b.String()))
	for _, dash := range []string{"-", "–", "—"} {
		if rest, found := strings.CutPrefix(body, dash); found {
			body = strings.TrimSpace(rest)
			break
		}
	}
	u.body = body
	return u, nil, true, nil
}

func findElement(n *xhtml.Node, name string) *xhtml.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == xhtml.ElementNode && c.Data == name {
			return c
		}
		if f := findElement(c, name); f != nil {
			return f
		}
	}
	return nil
}

// nodeText is the text of n with runs of white space collapsed.
func nodeText(n *xhtml.Node) string {
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	s := strings.Join(strings.Fields(b.String()), " ")
	// Text split around inline elements gains a space before punctuation.
	return strings.NewReplacer(" ,", ",", " .", ".").Replace(s)
}

// splitComponents splits "API, Dashboard and AI Gateway." into names.
func splitComponents(s string) []string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "and ")
		if a, b, found := strings.Cut(part, " and "); found {
			out = append(out, strings.TrimSpace(a), strings.TrimSpace(b))
			continue
		}
		out = append(out, part)
	}
	return uniqStrings(out)
}
