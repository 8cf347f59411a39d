package post

import (
	"html"
	"net/url"
	"strings"

	xhtml "golang.org/x/net/html"
)

// HTMLToText turns post HTML (Mastodon content, Hacker News comments) into
// plain text: paragraphs and <br> become line breaks, links keep their visible
// text, entities are decoded, scripts and styles are dropped.
func HTMLToText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	doc, err := xhtml.Parse(strings.NewReader("<body>" + s + "</body>"))
	if err != nil { // the x/net parser only fails on read errors
		return html.UnescapeString(s)
	}
	var b strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch n.Type {
		case xhtml.TextNode:
			b.WriteString(n.Data)
			return
		case xhtml.ElementNode:
			switch n.Data {
			case "script", "style":
				return
			case "br":
				b.WriteByte('\n')
				return
			case "p", "div", "blockquote", "li", "pre":
				if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n\n") {
					if strings.HasSuffix(b.String(), "\n") {
						b.WriteByte('\n')
					} else {
						b.WriteString("\n\n")
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.TrimSpace(b.String())
}

// UnescapeEntities decodes HTML entities (&amp; &lt; &gt; …) as X/Twitter
// text carries them.
func UnescapeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return html.UnescapeString(s)
}

// Domain returns the lower-case host of a link without a leading "www.", or ""
// if the link does not parse.
func Domain(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	return strings.TrimPrefix(h, "www.")
}
