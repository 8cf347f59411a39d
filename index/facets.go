package index

import (
	"cmp"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
)

// Facets are counted by a hitHook from one doc-values field, fFacets, that
// holds every facet value of a post as code byte + value ("sbluesky",
// "len", "hs3outage"): one doc-values read per hit instead of one per facet
// field through Bleve's facet builders, which pprof showed reading six
// compressed chunks and making a string per value and hit.

// The codes of the facets in fFacets.
const (
	codeSource    = 's'
	codeLang      = 'l'
	codeAuthor    = 'a'
	codeHashtag   = 'h'
	codeDomain    = 'd'
	codeSentiment = 'e'
)

// facetFields lists the facets Search computes: their names in Results,
// their codes in fFacets, and how many values each returns.
var facetFields = []struct {
	name string
	code byte
	top  int
}{
	{"source", codeSource, 50},
	{"lang", codeLang, 50},
	{"author", codeAuthor, 10},
	{"hashtag", codeHashtag, 10},
	{"domain", codeDomain, 10},
	{"sentiment", codeSentiment, 5},
}

// facetTerms is the fFacets value of a post: its facet terms separated by
// facetSep, which facetAnalyzer splits on.
func facetTerms(f *fields) []byte {
	var b []byte
	add := func(code byte, v string) {
		if v == "" {
			return
		}
		if len(b) > 0 {
			b = append(b, facetSep)
		}
		b = append(append(b, code), v...)
	}
	add(codeSource, f.source)
	add(codeLang, f.lang)
	add(codeAuthor, f.author)
	for _, h := range f.hashtags {
		add(codeHashtag, h)
	}
	for _, d := range f.domains {
		add(codeDomain, d)
	}
	add(codeSentiment, f.sentiment)
	return b
}

// facetSep separates the terms of facetTerms; keyword values never hold it
// (they are the normalised handles, tags, hosts and labels of a post).
const facetSep = 0

// facetAnalyzer makes one token of each facetSep-separated term.
type facetAnalyzer struct{}

func (facetAnalyzer) Analyze(input []byte) analysis.TokenStream {
	var ts analysis.TokenStream
	start := 0
	for i := 0; i <= len(input); i++ {
		if i < len(input) && input[i] != facetSep {
			continue
		}
		if i > start {
			ts = append(ts, &analysis.Token{Term: input[start:i], Start: start, End: i, Position: len(ts) + 1, Type: analysis.AlphaNumeric})
		}
		start = i + 1
	}
	return ts
}

// newFacets returns the hook that counts the hits' facet values and a
// function that returns, after the search, each facet's most frequent
// values (most hits first, then by value, as Bleve's term facets order
// them); every facet is present, empty when no hit has a value.
func newFacets() (hitHook, func() map[string][]FacetCount) {
	var byCode [256]int8 // code → index in facetFields + 1
	for i, f := range facetFields {
		byCode[f.code] = int8(i + 1)
	}
	counts := make([]map[string]*int, len(facetFields))
	for i := range counts {
		counts[i] = map[string]*int{}
	}
	visit := func(_ string, term []byte) {
		if len(term) < 2 || byCode[term[0]] == 0 {
			return
		}
		m := counts[byCode[term[0]]-1]
		if n := m[string(term[1:])]; n != nil { // no allocation for the lookup
			*n++
			return
		}
		n := 1
		m[string(term[1:])] = &n
	}
	result := func() map[string][]FacetCount {
		out := make(map[string][]FacetCount, len(facetFields))
		for i, f := range facetFields {
			fc := make([]FacetCount, 0, len(counts[i]))
			for v, n := range counts[i] {
				fc = append(fc, FacetCount{Value: v, Count: *n})
			}
			slices.SortFunc(fc, func(a, b FacetCount) int {
				return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
			})
			out[f.name] = fc[:min(len(fc), f.top)]
		}
		return out
	}
	return hitHook{fields: []string{fFacets}, visit: visit}, result
}
