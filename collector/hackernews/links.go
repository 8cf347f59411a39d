package hackernews

import (
	"strings"

	xhtml "golang.org/x/net/html"
)

// hrefs returns the http(s) targets of the links in an HTML fragment, in
// order.
func hrefs(s string) []string {
	if !strings.Contains(s, "<a") && !strings.Contains(s, "<A") {
		return nil
	}
	var out []string
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return out
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "a" {
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) != "href" {
					continue
				}
				u := strings.TrimSpace(string(v))
				if l := strings.ToLower(u); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
					out = append(out, u)
				}
			}
		}
	}
}
