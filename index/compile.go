package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
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
		return prefixQuery{prefix: string(n), max: MaxPrefixTerms}
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
	return deadlineQuery{query.NewPhraseQuery(terms, fText)}
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

// prefixQuery is word*: a prefix query on the neutral text field that
// refuses, with ErrTooCostly, a prefix standing for more than max distinct
// words of the index (Bleve would search a disjunction of all of them).
type prefixQuery struct {
	prefix string
	max    int
}

// Searcher implements query.Query.
func (q prefixQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	n, err := countPrefix(r, fText, q.prefix, q.max+1)
	if err != nil {
		return nil, fmt.Errorf("index: words starting with %q: %w", q.prefix, err)
	}
	if n > q.max {
		return nil, fmt.Errorf("%w: %s* stands for more than %d different words: give more letters", ErrTooCostly, q.prefix, q.max)
	}
	p := query.NewPrefixQuery(q.prefix)
	p.SetField(fText)
	return p.Searcher(ctx, r, m, o)
}

// countPrefix counts the distinct terms of field starting with prefix, up
// to limit.
func countPrefix(r bindex.IndexReader, field, prefix string, limit int) (n int, err error) {
	d, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := d.Close(); err == nil {
			err = cerr
		}
	}()
	for n < limit {
		e, err := d.Next()
		if err != nil {
			return n, err
		}
		if e == nil {
			break
		}
		n++
	}
	return n, nil
}

// deadlineQuery runs q with an index reader whose postings lists check the
// search's context as they are read. Bleve's collector checks the context
// only between hits (every 1,024); a phrase search reads the postings of
// every document holding all of its words before it finds one with the
// words in order, so without this a phrase of common words searched for
// tens of seconds after its deadline (or its client) had gone.
type deadlineQuery struct{ q query.Query }

// Searcher implements query.Query.
func (q deadlineQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, o search.SearcherOptions) (search.Searcher, error) {
	if ctx == nil {
		return q.q.Searcher(ctx, r, m, o)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return q.q.Searcher(ctx, ctxReader{IndexReader: r, ctx: ctx}, m, o)
}

// ctxReader is an index reader whose term readers check ctx.
type ctxReader struct {
	bindex.IndexReader
	ctx context.Context
}

// TermFieldReader implements bindex.IndexReader.
func (r ctxReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	tr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	return &ctxTermReader{TermFieldReader: tr, ctx: r.ctx}, nil
}

// checkEvery is how many postings a ctxTermReader reads between checks of
// its context (a check takes a lock; 64 postings take microseconds).
const checkEvery = 64

// ctxTermReader is a postings list that fails with the context's error
// once the context is done.
type ctxTermReader struct {
	bindex.TermFieldReader
	ctx context.Context
	n   uint
}

func (r *ctxTermReader) check() error {
	r.n++
	if r.n%checkEvery == 0 {
		return r.ctx.Err()
	}
	return nil
}

// Next implements bindex.TermFieldReader.
func (r *ctxTermReader) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	return r.TermFieldReader.Next(pre)
}

// Advance implements bindex.TermFieldReader.
func (r *ctxTermReader) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if err := r.check(); err != nil {
		return nil, err
	}
	return r.TermFieldReader.Advance(id, pre)
}
