package index

import (
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/search/query"
)

// compile turns the syntax tree into a Bleve query. It returns nil when
// nothing in n is searchable (a word of punctuation only, say): such terms
// are left out of AND and OR, and a query made only of them matches nothing.
//
// It emits only term, phrase, prefix, conjunction, disjunction and boolean
// queries, never a match-none query: Bleve's boolean query treats a
// match-none "must" clause as absent, which would turn "nothing -x" into
// "everything but x".
func compile(n node) query.Query {
	switch n := n.(type) {
	case andNode:
		var must, not []query.Query
		for _, c := range n {
			if neg, ok := c.(notNode); ok {
				if q := compile(neg.x); q != nil {
					not = append(not, q)
				}
				continue
			}
			if q := compile(c); q != nil {
				must = append(must, q)
			}
		}
		switch {
		case len(must) == 0 && len(not) == 0:
			return nil
		case len(not) == 0 && len(must) == 1:
			return must[0]
		}
		return query.NewBooleanQuery(must, nil, not)
	case orNode:
		var alts []query.Query
		for _, c := range n {
			if q := compile(c); q != nil {
				alts = append(alts, q)
			}
		}
		switch len(alts) {
		case 0:
			return nil
		case 1:
			return alts[0]
		}
		return query.NewDisjunctionQuery(alts)
	case notNode:
		q := compile(n.x)
		if q == nil {
			return nil
		}
		return query.NewBooleanQuery(nil, nil, []query.Query{q})
	case wordNode:
		return wordQuery(string(n))
	case prefixNode:
		q := query.NewPrefixQuery(string(n))
		q.SetField(fText)
		return q
	case phraseNode:
		return phraseQuery(analyze(neutralAnalyzer, string(n)))
	case fieldNode:
		return termQuery(fieldFor(n.field), normField(n.field, n.value))
	}
	return nil
}

// wordQuery matches a bare word as an exact token in text, or under English
// rules in text_en, or under German rules in text_de. A "word" the neutral
// analyser splits (us-east-1, e-mail) becomes an exact phrase.
func wordQuery(w string) query.Query {
	toks := analyze(neutralAnalyzer, w)
	if len(toks) != 1 {
		return phraseQuery(toks)
	}
	alts := []query.Query{termQuery(fText, toks[0])}
	if t := analyze(en.AnalyzerName, w); len(t) == 1 {
		alts = append(alts, termQuery(fTextEN, t[0]))
	}
	if t := analyze(de.AnalyzerName, w); len(t) == 1 {
		alts = append(alts, termQuery(fTextDE, t[0]))
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return query.NewDisjunctionQuery(alts)
}

// phraseQuery matches terms in sequence in the neutral text field.
func phraseQuery(terms []string) query.Query {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return termQuery(fText, terms[0])
	}
	return query.NewPhraseQuery(terms, fText)
}

func termQuery(field, term string) query.Query {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}

func fieldFor(name string) string {
	switch name {
	case "from":
		return fAuthor
	case "#":
		return fHashtag
	case "@":
		return fMention
	case "domain":
		return fDomainAny
	case "source":
		return fSource
	case "lang":
		return fLang
	case "sentiment":
		return fSentiment
	case "has":
		return fHas
	}
	return name
}
