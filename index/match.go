package index

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"github.com/aftershock/aftershock/post"
)

// Match reports whether the query matches p as the index would match it:
// the same analysers (exact tokens, English and German stems by the post's
// language), phrases, prefixes and field filters. Live collectors use it
// to keep, from a source that cannot filter (a firehose), the posts an
// event asks for. A blank query matches every post.
func (q *ParsedQuery) Match(p *post.Post) bool {
	if q == nil || q.root == nil {
		return true
	}
	d := docFields(Doc{Post: *p})
	m := &matcher{f: &d, neutral: analyze(neutralAnalyzer, p.Text)}
	if d.stemEN {
		m.english = analyze(en.AnalyzerName, p.Text)
	}
	if d.stemDE {
		m.german = analyze(de.AnalyzerName, p.Text)
	}
	return m.match(q.root)
}

type matcher struct {
	f                        *fields
	neutral, english, german []string
}

func (m *matcher) match(n node) bool {
	switch n := n.(type) {
	case andNode:
		for _, c := range n {
			if !m.match(c) {
				return false
			}
		}
		return true
	case orNode:
		for _, c := range n {
			if m.match(c) {
				return true
			}
		}
		return false
	case notNode:
		return !m.match(n.x)
	case wordNode:
		toks := analyze(neutralAnalyzer, string(n))
		if len(toks) != 1 {
			return containsSeq(m.neutral, toks)
		}
		if slices.Contains(m.neutral, toks[0]) {
			return true
		}
		if t := analyze(en.AnalyzerName, string(n)); len(t) == 1 && slices.Contains(m.english, t[0]) {
			return true
		}
		if t := analyze(de.AnalyzerName, string(n)); len(t) == 1 && slices.Contains(m.german, t[0]) {
			return true
		}
		return false
	case prefixNode:
		return slices.ContainsFunc(m.neutral, func(t string) bool { return strings.HasPrefix(t, string(n)) })
	case phraseNode:
		return containsSeq(m.neutral, analyze(neutralAnalyzer, string(n)))
	case fieldNode:
		v := normField(n.field, n.value)
		f := m.f
		switch n.field {
		case "from":
			return f.author == v
		case "source":
			return f.source == v
		case "lang":
			return f.lang == v
		case "#":
			return slices.Contains(f.hashtags, v)
		case "@":
			return slices.Contains(f.mentions, v)
		case "domain":
			return slices.Contains(parentDomains(f.domains), v)
		case "sentiment":
			return f.sentiment == v
		case "has":
			return (v == "links" && len(f.domains) > 0) || (v == "media" && f.media)
		}
	}
	return false
}

// containsSeq reports whether seq occurs in toks, in order and adjacent.
func containsSeq(toks, seq []string) bool {
	if len(seq) == 0 {
		return false
	}
	for i := 0; i+len(seq) <= len(toks); i++ {
		if slices.Equal(toks[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}
