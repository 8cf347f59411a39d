package index

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/aftershock/aftershock/post"
)

// mappingVersion changes whenever the mapping or what Apply writes changes.
// Open rebuilds an index written with another version (see Open).
const mappingVersion = 8

// MappingVersion is the layout version of the indexes this program writes.
const MappingVersion = mappingVersion

// Field names in the Bleve index.
const (
	fText      = "text"       // every post: neutral analyser (exact tokens, phrases, prefixes)
	fTextEN    = "text_en"    // English rules: lang "en", and untagged posts
	fTextDE    = "text_de"    // German rules: lang "de", and untagged posts
	fSource    = "source"     // keyword
	fLang      = "lang"       // keyword: primary language subtag ("de" for "de-AT")
	fAuthor    = "author"     // keyword: handle without '@', lower case
	fHashtag   = "hashtag"    // keyword: without '#', lower case
	fMention   = "mention"    // keyword: without '@', lower case
	fDomain    = "domain"     // keyword: link host without "www." (facets)
	fDomainAny = "domain_any" // keyword: the host and its parent domains (domain: filter)
	fDeleted   = "deleted"    // boolean
	fHas       = "has"        // keyword: "links", "media" when the post has them
	fSig       = "sig"        // stored only: Signature, read by Signatures
	fCreated   = "created"    // datetime: range filters (Bleve indexes 16 terms per value)
	// fTime is the creation time once more, as the one full-precision term
	// of its nanoseconds (Bleve's numeric prefix coding, which sorts as a
	// string), with doc values: sorting, histograms and timelines read one
	// short doc value per hit instead of the 16 terms of the datetime field.
	fTime = "t"

	fSentiment      = "sentiment"       // keyword: negative, neutral, positive (absent when not scored)
	fSentimentScore = "sentiment_score" // number with doc values: the compound score in [-1, 1]
	fEngagement     = "engagement"      // number with doc values: likes + reposts + replies + quotes
	// fTimeline is "source\x1flabel\x1fscore" (score to two decimals): all
	// a timeline needs besides the creation time, in one doc value per post.
	fTimeline = "tl"
	// fFacets holds every facet value of a post, code byte + value (see
	// facets.go), with doc values: the one field facets are counted from.
	fFacets = "fv"
)

const neutralAnalyzer = "aftershock_neutral"

// Internal (non-document) keys.
var (
	keyLastSeq = []byte("aftershock/last_seq")
	keyVersion = []byte("aftershock/mapping_version")
	keySpan    = []byte("aftershock/time_span") // "oldest,newest" creation times, Unix ns
)

// Doc is what gets indexed: a post and whether it has been deleted at its
// source. Deleted posts stay searchable; Query.ExcludeDeleted hides them.
type Doc struct {
	Post    post.Post
	Deleted bool
}

// newMapping returns the index mapping: one static document mapping, no _all
// field, nothing stored but the signature, doc values only where sorting,
// facets or the histogram need them.
func newMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(neutralAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		panic(err) // static configuration
	}
	im.DefaultAnalyzer = neutralAnalyzer
	im.DefaultField = fText
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	text := func(analyzer string, positions bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = positions
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false // facets read fFacets
		f.SkipFreqNorm = true
		return f
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	dm.AddFieldMappingsAt(fText, text(neutralAnalyzer, true))
	dm.AddFieldMappingsAt(fTextEN, text(en.AnalyzerName, false))
	dm.AddFieldMappingsAt(fTextDE, text(de.AnalyzerName, false))
	dm.AddFieldMappingsAt(fSource, kw())
	dm.AddFieldMappingsAt(fLang, kw())
	dm.AddFieldMappingsAt(fAuthor, kw())
	dm.AddFieldMappingsAt(fHashtag, kw())
	dm.AddFieldMappingsAt(fMention, kw())
	dm.AddFieldMappingsAt(fDomain, kw())
	dm.AddFieldMappingsAt(fDomainAny, kw())
	dm.AddFieldMappingsAt(fHas, kw())
	// The fields read per hit from their doc values (tl, fv, t): one
	// keyword term each, not stored.
	dv := bleve.NewKeywordFieldMapping()
	dv.Index, dv.Store, dv.IncludeInAll, dv.DocValues = true, false, false, true
	dm.AddFieldMappingsAt(fTimeline, dv)
	dm.AddFieldMappingsAt(fFacets, dv)
	dm.AddFieldMappingsAt(fSentiment, kw())
	score := bleve.NewNumericFieldMapping()
	score.Store, score.IncludeInAll, score.DocValues = false, false, true
	dm.AddFieldMappingsAt(fSentimentScore, score)
	engagement := bleve.NewNumericFieldMapping()
	engagement.Store, engagement.IncludeInAll, engagement.DocValues = false, false, true
	dm.AddFieldMappingsAt(fEngagement, engagement)

	del := bleve.NewBooleanFieldMapping()
	del.Store, del.IncludeInAll, del.DocValues = false, false, false
	dm.AddFieldMappingsAt(fDeleted, del)

	created := bleve.NewDateTimeFieldMapping()
	created.Store, created.IncludeInAll, created.DocValues = false, false, false
	dm.AddFieldMappingsAt(fCreated, created)
	dm.AddFieldMappingsAt(fTime, dv)

	sig := bleve.NewTextFieldMapping()
	sig.Analyzer = keyword.Name
	sig.Index, sig.Store, sig.IncludeInAll, sig.DocValues = false, true, false, false
	sig.IncludeTermVectors = false
	dm.AddFieldMappingsAt(fSig, sig)

	im.DefaultMapping = dm
	return im
}

// analysers gives the query compiler the same analysers the index uses.
var analysers = sync.OnceValue(func() *mapping.IndexMappingImpl { return newMapping() })

// analyze returns the terms analyser name makes of s.
func analyze(name, s string) []string {
	a := analysers().AnalyzerNamed(name)
	if a == nil {
		return nil
	}
	toks := a.Analyze([]byte(s))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}

// singleToken returns the neutral term for s if the neutral analyser makes
// exactly one token of all of s.
func singleToken(s string) (string, bool) {
	toks := analysers().AnalyzerNamed(neutralAnalyzer).Analyze([]byte(s))
	if len(toks) != 1 || toks[0].Start != 0 || toks[0].End != len(s) {
		return "", false
	}
	return string(toks[0].Term), true
}

// fields is the normalised, index-side view of a Doc. Signature hashes it and
// Apply indexes it, so the two cannot drift apart.
type fields struct {
	id       string
	text     string
	stemEN   bool
	stemDE   bool
	lang     string
	source   string
	author   string
	hashtags []string
	mentions []string
	domains  []string
	deleted  bool
	media    bool      // the post has media
	created  time.Time // UTC, clamped to what Bleve can store; zero if absent
	revision int64
	// sentiment is the label, "" when not scored; score the compound.
	sentiment string
	score     float64
	// engagement is likes + reposts + replies + quotes at the last capture.
	engagement int64
}

func docFields(d Doc) fields {
	p := &d.Post
	f := fields{
		id:       p.ID,
		text:     p.Text,
		lang:     normLang(p.Lang),
		source:   strings.ToLower(strings.TrimSpace(p.Source)),
		author:   normHandle(p.Author.Handle),
		hashtags: normList(p.Hashtags, normTag),
		mentions: normList(p.Mentions, normHandle),
		domains:  normList(p.Links, post.Domain),
		deleted:  d.Deleted,
		media:    len(p.Media) > 0,
		revision: p.Revision,

		engagement: p.Metrics.Likes + p.Metrics.Reposts + p.Metrics.Replies + p.Metrics.Quotes,
	}
	if p.Sentiment.Label != "" {
		f.sentiment, f.score = strings.ToLower(p.Sentiment.Label), p.Sentiment.Score
	}
	switch f.lang {
	case "en":
		f.stemEN = true
	case "de":
		f.stemDE = true
	case "", "und", "mul", "zxx":
		// Untagged: language detection ran before the store write and gave
		// up, which happens mostly on short posts. Both stemmed fields give
		// the best recall; a cross-language stem collision costs little.
		f.stemEN, f.stemDE = true, true
	}
	if c := p.CreatedAt; !c.IsZero() {
		// Bleve stores nanoseconds since 1970 in an int64 (years 1678–2262).
		f.created = c.UTC()
		if c.Before(document.MinTimeRepresentable) {
			f.created = document.MinTimeRepresentable.UTC()
		} else if c.After(document.MaxTimeRepresentable) {
			f.created = document.MaxTimeRepresentable.UTC()
		}
	}
	return f
}

// Signature returns a short stable hash (16 hex digits) of everything the
// index stores about d: text, language, author handle, source, creation time,
// hashtags, mentions, link domains, the deleted flag, the revision, the
// sentiment and the engagement count, in
// their normalised form, plus the mapping version. The store computes it too,
// so a check can compare store and index post by post.
func Signature(d Doc) string {
	f := docFields(d)
	return f.signature()
}

func (f *fields) signature() string {
	h := sha256.New()
	writeInt(h, mappingVersion)
	writeStr(h, f.id)
	writeStr(h, f.text)
	writeStr(h, f.lang)
	writeStr(h, f.source)
	writeStr(h, f.author)
	var created int64
	if !f.created.IsZero() {
		created = f.created.UnixNano()
	}
	writeInt(h, created)
	for _, list := range [][]string{f.hashtags, f.mentions, f.domains} {
		writeInt(h, int64(len(list)))
		for _, s := range list {
			writeStr(h, s)
		}
	}
	if f.media {
		writeInt(h, 1)
	} else {
		writeInt(h, 0)
	}
	if f.deleted {
		writeInt(h, 1)
	} else {
		writeInt(h, 0)
	}
	writeInt(h, f.revision)
	writeStr(h, f.sentiment)
	writeInt(h, int64(math.Float64bits(f.score)))
	writeInt(h, f.engagement)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func writeInt(h hash.Hash, v int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	h.Write(b[:])
}

func writeStr(h hash.Hash, s string) {
	writeInt(h, int64(len(s)))
	h.Write([]byte(s))
}

// normLang returns the primary language subtag in lower case: "de" for
// "de-AT", "en" for "EN_us".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return s
}

// normHandle lower-cases a handle and drops a leading '@'.
func normHandle(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@"))
}

// normTag lower-cases a hashtag and drops a leading '#'.
func normTag(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
}

// normDomain lower-cases a domain and drops "www.", a scheme and a path, so
// "domain:https://www.Example.com/x" means example.com.
func normDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.Contains(s, "://") {
		if d := post.Domain(s); d != "" {
			return d
		}
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(s, "www."), ".")
}

// normList applies norm to each entry and returns them sorted without
// duplicates or empty entries, so order in the payload does not matter.
func normList(xs []string, norm func(string) string) []string {
	var out []string
	for _, x := range xs {
		if v := norm(x); v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// parentDomains returns each domain and its parents with at least two labels:
// status.aws.amazon.com → status.aws.amazon.com, aws.amazon.com, amazon.com.
func parentDomains(domains []string) []string {
	var out []string
	for _, d := range domains {
		out = append(out, d)
		for {
			i := strings.IndexByte(d, '.')
			if i < 0 || !strings.Contains(d[i+1:], ".") {
				break
			}
			d = d[i+1:]
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
