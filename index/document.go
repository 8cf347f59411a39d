package index

import (
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"
)

// docBuilder builds Bleve documents field by field, the same fields the
// mapping declares, without Bleve walking a map by reflection for every
// post (pprof: a fifth of indexing time) and with the creation time's doc
// values stored uncompressed: sorting and histograms read them for every
// hit, and decompressing them was most of the time of a time-sorted search.
type docBuilder struct {
	neutral, english, german, kw analysis.Analyzer
}

func newDocBuilder() (*docBuilder, error) {
	m := analysers()
	b := &docBuilder{
		neutral: m.AnalyzerNamed(neutralAnalyzer),
		english: m.AnalyzerNamed(en.AnalyzerName),
		german:  m.AnalyzerNamed(de.AnalyzerName),
		kw:      m.AnalyzerNamed(keyword.Name),
	}
	if b.neutral == nil || b.english == nil || b.german == nil || b.kw == nil {
		return nil, fmt.Errorf("index: an analyser is missing from the mapping")
	}
	return b, nil
}

const (
	optText    = bindex.IndexField | bindex.IncludeTermVectors // positions, for phrases
	optStem    = bindex.IndexField
	optKeyword = bindex.IndexField | bindex.SkipFreqNorm
	// The fields read per hit (t, tl, fv): one uncompressed doc-values
	// chunk per document, as Bleve's geo fields have. Both flags: zapx's
	// merge reads SkipDVCompression as one document per chunk, so the flag
	// alone loses creation times when segments merge
	// (TestCreatedSurvivesMerges).
	optDocValue = bindex.IndexField | bindex.DocValues | bindex.SkipDVCompression | bindex.SkipDVChunking
)

// document returns the Bleve document of f.
func (b *docBuilder) document(f *fields, sig string) (*document.Document, error) {
	d := document.NewDocument(f.id)
	text := []byte(f.text)
	d.AddField(document.NewTextFieldCustom(fText, nil, text, optText, b.neutral))
	if f.stemEN {
		d.AddField(document.NewTextFieldCustom(fTextEN, nil, text, optStem, b.english))
	}
	if f.stemDE {
		d.AddField(document.NewTextFieldCustom(fTextDE, nil, text, optStem, b.german))
	}
	keyword := func(name, value string, opts bindex.FieldIndexingOptions, pos []uint64) {
		d.AddField(document.NewTextFieldCustom(name, pos, []byte(value), opts, b.kw))
	}
	list := func(name string, values []string, opts bindex.FieldIndexingOptions) {
		for i, v := range values {
			keyword(name, v, opts, []uint64{uint64(i)})
		}
	}
	if f.source != "" {
		keyword(fSource, f.source, optKeyword, nil)
	}
	if f.lang != "" {
		keyword(fLang, f.lang, optKeyword, nil)
	}
	if f.author != "" {
		keyword(fAuthor, f.author, optKeyword, nil)
	}
	list(fHashtag, f.hashtags, optKeyword)
	list(fMention, f.mentions, optKeyword)
	list(fDomain, f.domains, optKeyword)
	list(fDomainAny, parentDomains(f.domains), optKeyword)
	if len(f.domains) > 0 {
		keyword(fHas, "links", optKeyword, nil)
	}
	if f.media {
		keyword(fHas, "media", optKeyword, nil)
	}
	if ft := facetTerms(f); len(ft) > 0 {
		d.AddField(document.NewTextFieldCustom(fFacets, nil, ft, optDocValue|bindex.SkipFreqNorm, facetAnalyzer{}))
	}
	d.AddField(document.NewBooleanFieldWithIndexingOptions(fDeleted, nil, f.deleted, bindex.IndexField))
	if f.sentiment != "" {
		keyword(fSentiment, f.sentiment, optKeyword, nil)
		d.AddField(document.NewNumericFieldWithIndexingOptions(fSentimentScore, nil, f.score, bindex.IndexField|bindex.DocValues))
	}
	d.AddField(document.NewNumericFieldWithIndexingOptions(fEngagement, nil, float64(f.engagement), bindex.IndexField|bindex.DocValues))
	// The timeline's value, one uncompressed doc-values chunk per document
	// like the creation time, read for every hit of a timeline. (Scorch
	// writes doc values only for indexed fields; with the score to two
	// decimals the field has a few thousand distinct terms.)
	tl := f.source + "\x1f" + f.sentiment + "\x1f"
	if f.sentiment != "" {
		tl += strconv.FormatFloat(f.score, 'f', 2, 64)
	}
	d.AddField(document.NewTextFieldCustom(fTimeline, nil, []byte(tl), optDocValue|bindex.SkipFreqNorm, b.kw))
	created, err := document.NewDateTimeFieldWithIndexingOptions(fCreated, nil, f.created, time.RFC3339, bindex.IndexField)
	if err != nil {
		return nil, err
	}
	d.AddField(created)
	if !f.created.IsZero() {
		d.AddField(document.NewTextFieldCustom(fTime, nil, []byte(timeTerm(f.created)), optDocValue|bindex.SkipFreqNorm, nil))
	}
	d.AddField(document.NewTextFieldCustom(fSig, nil, []byte(sig), bindex.StoreField, b.kw))
	return d, nil
}
