package index

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SyntaxError reports malformed query text. Pos is the byte offset of the
// offending spot in Query, Column its 1-based position in characters.
type SyntaxError struct {
	Query  string
	Pos    int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("query: %s (at column %d)", e.Msg, e.Column)
}

// Caret returns the query and, below it, a caret under the offending
// character, for a terminal or a <pre> block.
func (e *SyntaxError) Caret() string {
	return e.Query + "\n" + strings.Repeat(" ", e.Column-1) + "^"
}

func syntaxErr(src string, pos int, format string, args ...any) *SyntaxError {
	pos = min(max(pos, 0), len(src))
	return &SyntaxError{
		Query:  src,
		Pos:    pos,
		Column: utf8.RuneCountInString(src[:pos]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}

// maxDepth bounds nesting of parentheses and negations.
const maxDepth = 64

// Bounds of a query's cost. A search's time grows with the words it looks
// for, and a phrase's with its words times the posts holding them all: 50
// phrases of 40 common words each ran for 69 s on a 145k-post archive.
// ParseQuery refuses a query over MaxTerms or MaxPhraseWords with a
// *SyntaxError at the word that goes over; a search refuses a word* over
// MaxPrefixTerms with ErrTooCostly.
const (
	// MaxTerms is how many terms a query may have in all: each word, each
	// word of a phrase, each field filter and each word* counts one.
	MaxTerms = 64
	// MaxPhraseWords is how many words one phrase may have (a word the
	// analyser splits, such as us-east-1, is a phrase of its parts).
	MaxPhraseWords = 16
	// MaxPrefixTerms is how many different words of the index one word*
	// may stand for.
	MaxPrefixTerms = 2000
)

// ErrTooCostly means a search would cost too much; its message says why
// and what to change. A search past its context's deadline fails with the
// context's error instead.
var ErrTooCostly = errors.New("query too costly")

// ParsedQuery is a parsed search expression. Its String method returns a
// canonical form that parses to the same query.
type ParsedQuery struct {
	root node // nil for blank input: everything matches
}

// String returns the query in canonical form.
func (q *ParsedQuery) String() string {
	if q == nil || q.root == nil {
		return ""
	}
	return q.root.String()
}

// MatchesAll reports whether the query is blank, so that only filters apply.
func (q *ParsedQuery) MatchesAll() bool { return q == nil || q.root == nil }

// ParseQuery parses the query language described in the package
// documentation. Malformed input yields a *SyntaxError.
func ParseQuery(s string) (*ParsedQuery, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	root, err := p.parseAnd(0)
	if err != nil {
		return nil, err
	}
	return &ParsedQuery{root: root}, nil
}

// Terms returns what a match shows in a post's text, for highlighting: the
// words, prefixes (without '*'), phrases and hashtags (with '#') the query
// looks for, not those it excludes, each once, in the order typed.
func (q *ParsedQuery) Terms() []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case andNode:
			for _, c := range n {
				walk(c)
			}
		case orNode:
			for _, c := range n {
				walk(c)
			}
		case wordNode:
			add(string(n))
		case prefixNode:
			add(string(n))
		case phraseNode:
			add(string(n))
		case fieldNode:
			if n.field == "#" {
				add("#" + n.value)
			}
		}
	}
	if q != nil && q.root != nil {
		walk(q.root)
	}
	return out
}

// --- syntax tree ---

type node interface{ String() string }

type (
	andNode    []node
	orNode     []node
	notNode    struct{ x node }
	wordNode   string // a bare word, as typed
	prefixNode string // a word before '*', as its single neutral token
	phraseNode string // quoted text, white space collapsed
	fieldNode  struct {
		field string // canonical field name: from, source, lang, domain, #, @
		value string // as typed, without '#', '@' or quotes
	}
)

func (n andNode) String() string {
	parts := make([]string, len(n))
	for i, c := range n {
		parts[i] = c.String()
	}
	return strings.Join(parts, " ")
}

func (n orNode) String() string {
	parts := make([]string, len(n))
	for i, c := range n {
		if _, ok := c.(andNode); ok {
			parts[i] = "(" + c.String() + ")"
		} else {
			parts[i] = c.String()
		}
	}
	return strings.Join(parts, " OR ")
}

func (n notNode) String() string {
	switch n.x.(type) {
	case andNode, orNode:
		return "-(" + n.x.String() + ")"
	}
	return "-" + n.x.String()
}

func (n wordNode) String() string   { return string(n) }
func (n prefixNode) String() string { return string(n) + "*" }
func (n phraseNode) String() string { return `"` + string(n) + `"` }

func (n fieldNode) String() string {
	switch n.field {
	case "#", "@":
		return n.field + n.value
	}
	v := n.value
	if v == "" || strings.ContainsAny(v, `()"`) || strings.ContainsFunc(v, unicode.IsSpace) {
		v = `"` + v + `"`
	}
	return n.field + ":" + v
}

// fieldNames maps the names users type to canonical names.
var fieldNames = map[string]string{
	"from":      "from",
	"author":    "from",
	"source":    "source",
	"lang":      "lang",
	"domain":    "domain",
	"sentiment": "sentiment",
	"has":       "has",
}

// --- lexer ---

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tField // field with a quoted value: text is the field name, val the value
	tLParen
	tRParen
	tOR
	tNOT
	tMinus
)

type token struct {
	kind tokKind
	pos  int
	text string
	val  string
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case isSpace(r):
			i += w
		case r == '(':
			toks = append(toks, token{kind: tLParen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, pos: i})
			i++
		case r == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, syntaxErr(s, i, "missing closing quote")
			}
			text := strings.Join(strings.FieldsFunc(s[i+1:i+1+end], isSpace), " ")
			if text == "" {
				return nil, syntaxErr(s, i, "empty quotes")
			}
			toks = append(toks, token{kind: tPhrase, pos: i, text: text})
			i += end + 2
		case r == '-' && i+1 < len(s) && startsTerm(s[i+1:]):
			toks = append(toks, token{kind: tMinus, pos: i})
			i++
		default:
			start := i
			for i < len(s) {
				r, w := utf8.DecodeRuneInString(s[i:])
				if isSpace(r) || r == '(' || r == ')' || r == '"' {
					break
				}
				i += w
			}
			word := s[start:i]
			switch word {
			case "OR":
				toks = append(toks, token{kind: tOR, pos: start})
				continue
			case "NOT":
				toks = append(toks, token{kind: tNOT, pos: start})
				continue
			case "AND", "&&":
				// Juxtaposition already means AND: the operator is read and dropped.
				continue
			}
			// field:"quoted value"
			if name, ok := strings.CutSuffix(word, ":"); ok && i < len(s) && s[i] == '"' {
				if f, known := fieldNames[strings.ToLower(name)]; known {
					end := strings.IndexByte(s[i+1:], '"')
					if end < 0 {
						return nil, syntaxErr(s, i, "missing closing quote")
					}
					val := strings.Join(strings.FieldsFunc(s[i+1:i+1+end], isSpace), " ")
					toks = append(toks, token{kind: tField, pos: start, text: f, val: val})
					i += end + 2
					continue
				}
			}
			toks = append(toks, token{kind: tWord, pos: start, text: word})
		}
	}
	return toks, nil
}

// startsTerm reports whether s (the text after a '-') begins a term, making
// the '-' a negation rather than a lone dash.
func startsTerm(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return !isSpace(r) && r != ')'
}

// --- parser ---
//
//	query := and EOF
//	and   := or { ["AND" | "&&"] or } (juxtaposition also means AND)
//	or    := unary { "OR" unary } (OR binds tighter than AND, as in Google)
//	unary := ("-" | "NOT") unary | "(" and ")" | phrase | field | word

type parser struct {
	src   string
	toks  []token
	i     int
	terms int // terms so far, against MaxTerms
}

// count adds the n terms of the leaf at pos, refusing a phrase over
// MaxPhraseWords and a query over MaxTerms.
func (p *parser) count(pos, n int, phrase bool) error {
	if phrase && n > MaxPhraseWords {
		return syntaxErr(p.src, pos, "a phrase may have at most %d words, this one has %d", MaxPhraseWords, n)
	}
	p.terms += max(n, 1)
	if p.terms > MaxTerms {
		return syntaxErr(p.src, pos, "a query may have at most %d terms (each word of a phrase counts)", MaxTerms)
	}
	return nil
}

func (p *parser) peek() (token, bool) {
	if p.i >= len(p.toks) {
		return token{pos: len(p.src)}, false
	}
	return p.toks[p.i], true
}

func (p *parser) parseAnd(depth int) (node, error) {
	var items andNode
	for {
		t, ok := p.peek()
		if !ok {
			break
		}
		if t.kind == tRParen {
			if depth == 0 {
				return nil, syntaxErr(p.src, t.pos, "unexpected ')' without matching '('")
			}
			break
		}
		if t.kind == tOR {
			return nil, syntaxErr(p.src, t.pos, "OR needs a term before it")
		}
		n, err := p.parseOr(depth)
		if err != nil {
			return nil, err
		}
		if a, ok := n.(andNode); ok {
			items = append(items, a...)
		} else {
			items = append(items, n)
		}
	}
	switch len(items) {
	case 0:
		return nil, nil
	case 1:
		return items[0], nil
	}
	return items, nil
}

func (p *parser) parseOr(depth int) (node, error) {
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	items := orNode{}
	add := func(n node) {
		if o, ok := n.(orNode); ok {
			items = append(items, o...)
		} else {
			items = append(items, n)
		}
	}
	add(first)
	for {
		t, ok := p.peek()
		if !ok || t.kind != tOR {
			break
		}
		p.i++
		if n, ok := p.peek(); !ok || n.kind == tRParen || n.kind == tOR {
			return nil, syntaxErr(p.src, t.pos, "OR needs a term after it")
		}
		n, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		add(n)
	}
	if len(items) == 1 {
		return items[0], nil
	}
	return items, nil
}

func (p *parser) parseUnary(depth int) (node, error) {
	if depth > maxDepth {
		t, _ := p.peek()
		return nil, syntaxErr(p.src, t.pos, "query nested too deeply")
	}
	t, _ := p.peek()
	p.i++
	switch t.kind {
	case tMinus, tNOT:
		n, ok := p.peek()
		if !ok || n.kind == tRParen || n.kind == tOR {
			what := "NOT"
			if t.kind == tMinus {
				what = "'-'"
			}
			return nil, syntaxErr(p.src, t.pos, "%s needs a term after it", what)
		}
		x, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case tLParen:
		if n, ok := p.peek(); ok && n.kind == tRParen {
			return nil, syntaxErr(p.src, t.pos, "empty parentheses")
		}
		inner, err := p.parseAnd(depth + 1)
		if err != nil {
			return nil, err
		}
		if n, ok := p.peek(); !ok || n.kind != tRParen {
			return nil, syntaxErr(p.src, t.pos, "missing ')' for this '('")
		}
		p.i++
		return inner, nil
	case tPhrase:
		if err := p.count(t.pos, len(analyze(neutralAnalyzer, t.text)), true); err != nil {
			return nil, err
		}
		return phraseNode(t.text), nil
	case tField:
		if err := p.count(t.pos, 1, false); err != nil {
			return nil, err
		}
		return p.field(t.pos, t.text, t.val)
	case tWord:
		n, err := p.word(t)
		if err != nil {
			return nil, err
		}
		words := 1
		if w, ok := n.(wordNode); ok {
			words = len(analyze(neutralAnalyzer, string(w)))
		}
		if err := p.count(t.pos, words, true); err != nil {
			return nil, err
		}
		return n, nil
	}
	// tRParen and tOR are handled by the callers.
	return nil, syntaxErr(p.src, t.pos, "unexpected %q", p.src[t.pos:min(t.pos+2, len(p.src))])
}

func (p *parser) word(t token) (node, error) {
	w := t.text
	if len(w) > 1 && (w[0] == '#' || w[0] == '@') {
		return p.field(t.pos, w[:1], w[1:])
	}
	if i := strings.IndexByte(w, ':'); i > 0 {
		if f, ok := fieldNames[strings.ToLower(w[:i])]; ok {
			return p.field(t.pos, f, w[i+1:])
		}
	}
	if star := strings.IndexByte(w, '*'); star >= 0 {
		if star != len(w)-1 {
			return nil, syntaxErr(p.src, t.pos+star, "'*' works only at the end of a word")
		}
		tok, ok := singleToken(w[:star])
		if !ok {
			return nil, syntaxErr(p.src, t.pos, "'*' works only after a single word of letters and digits")
		}
		if utf8.RuneCountInString(tok) < 2 {
			return nil, syntaxErr(p.src, t.pos, "give at least 2 letters before '*'")
		}
		return prefixNode(tok), nil
	}
	return wordNode(w), nil
}

func (p *parser) field(pos int, field, value string) (node, error) {
	name := field
	if name != "#" && name != "@" {
		name += ":"
	}
	if value == "" {
		return nil, syntaxErr(p.src, pos, "%s needs a value", name)
	}
	if i := strings.IndexByte(value, '*'); i >= 0 {
		return nil, syntaxErr(p.src, pos, "%s takes no wildcards", name)
	}
	if normField(field, value) == "" {
		return nil, syntaxErr(p.src, pos, "%s needs a value", name)
	}
	return fieldNode{field: field, value: value}, nil
}

// normField returns the index term for a field filter's value.
func normField(field, value string) string {
	switch field {
	case "from", "@":
		return normHandle(value)
	case "#":
		return normTag(value)
	case "lang":
		return normLang(value)
	case "domain":
		return normDomain(value)
	default:
		return strings.ToLower(strings.TrimSpace(value))
	}
}
