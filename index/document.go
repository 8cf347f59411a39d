package index

import (
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

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

// What the index takes from one post at most. Indexing costs about 190
// times the text's size in memory (a 32 MiB text took 5.8 GB, 3 million
// distinct words more than 4.9 GB), so a post longer than any real one
// (X's longest notes are 25,000 characters) is indexed by its first
// MaxIndexedText bytes, and only the first MaxIndexedValues hashtags,
// mentions and link domains of a post, each of at most MaxIndexedValue
// bytes, are indexed. The store keeps the whole post, and the signature
// covers it all.
const (
	MaxIndexedText   = 128 << 10
	MaxIndexedValues = 1000
	MaxIndexedValue  = 512
)

// cut bounds what f gives the index (see MaxIndexedText); call it after
// the signature is taken.
func (f *fields) cut() {
	if len(f.text) > MaxIndexedText {
		i := MaxIndexedText
		for i > 0 && !utf8.RuneStart(f.text[i]) {
			i--
		}
		f.text = f.text[:i]
	}
	f.author = cutValue(f.author)
	f.hashtags, f.mentions, f.domains = cutList(f.hashtags), cutList(f.mentions), cutList(f.domains)
}

// cutList keeps the first MaxIndexedValues values of at most
// MaxIndexedValue bytes.
func cutList(l []string) []string {
	ok := func(v string) bool { return len(v) <= MaxIndexedValue }
	if len(l) <= MaxIndexedValues && !slices.ContainsFunc(l, func(v string) bool { return !ok(v) }) {
		return l
	}
	var out []string
	for _, v := range l {
		if ok(v) && len(out) < MaxIndexedValues {
			out = append(out, v)
		}
	}
	return out
}

// cutValue drops a keyword value longer than MaxIndexedValue.
func cutValue(v string) string {
	if len(v) > MaxIndexedValue {
		return ""
	}
	return v
}

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
