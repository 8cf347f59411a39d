package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseQuery(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"aws s3", "aws s3"},
		{"aws OR s3", "aws OR s3"},
		{"outage AND down", "outage down"},
		{"outage && down", "outage down"},
		{"a OR b AND c", "a OR b c"},
		{`s3 OR aws "is down"`, `s3 OR aws "is down"`},
		{"(a b) OR c", "(a b) OR c"},
		{"a (b OR c)", "a b OR c"},
		{"((a))", "a"},
		{"(a OR b) OR c", "a OR b OR c"},
		{"-a", "-a"},
		{"NOT a", "-a"},
		{"-(a b)", "-(a b)"},
		{"-(a OR b)", "-(a OR b)"},
		{`-"is  down"`, `-"is down"`},
		{"--a", "--a"},
		{"a - b", "a - b"},
		{"a -", "a -"},
		{"From:Jack author:@x", "from:Jack from:@x"},
		{`source:"hacker news"`, `source:"hacker news"`},
		{"lang:de domain:example.com", "lang:de domain:example.com"},
		{"#AWS @jeff", "#AWS @jeff"},
		{"# @", "# @"},
		{"Stör*", "stör*"},
		{"us-east-1 10:30 foo:bar", "us-east-1 10:30 foo:bar"},
		{"or and not", "or and not"},
		{`foo"bar baz"`, `foo "bar baz"`},
		{"a\tOR\nb", "a OR b"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			q, err := ParseQuery(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := q.String(); got != c.want {
				t.Errorf("String() = %q, want %q", got, c.want)
			}
			q2, err := ParseQuery(q.String())
			if err != nil || q2.String() != q.String() {
				t.Errorf("reparse of %q: %q, %v", q.String(), q2, err)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in     string
		column int
		msg    string
	}{
		{"(aws s3", 1, "missing ')'"},
		{"aws (s3 OR (gcp)", 5, "missing ')'"},
		{"aws)", 4, "unexpected ')'"},
		{`aws "is down`, 5, "missing closing quote"},
		{`from:"x`, 6, "missing closing quote"},
		{`""`, 1, "empty quotes"},
		{"()", 1, "empty parentheses"},
		{"OR aws", 1, "OR needs a term before it"},
		{"aws OR", 5, "OR needs a term after it"},
		{"aws OR OR s3", 5, "OR needs a term after it"},
		{"(aws OR) s3", 6, "OR needs a term after it"},
		{"aws NOT", 5, "NOT needs a term after it"},
		{"a -OR b", 3, "'-' needs a term after it"},
		{"from:", 1, "from: needs a value"},
		{"über from:@", 6, "from: needs a value"},
		{"lang:de source:", 9, "source: needs a value"},
		{"from:jack*", 1, "no wildcards"},
		{"a*b", 2, "'*' works only at the end"},
		{"s*", 1, "at least 2 letters"},
		{"us-east*", 1, "single word"},
		{"*", 1, "single word"},
		{strings.Repeat("(", 100) + "a" + strings.Repeat(")", 100), 66, "nested too deeply"},
		// Cost bounds: the red team's 10 KB query of 50 phrases of 50 words,
		// a 65th word, a 9th phrase of 8 words, a word split into 17, a
		// 65th field filter.
		{strings.Repeat(`"`+strings.TrimSpace(strings.Repeat("the ", 50))+`" `, 50), 1, "at most 16 words, this one has 50"},
		{strings.Repeat("a ", 65), 129, "at most 64 terms"},
		{strings.Repeat(`"a b c d e f g h" `, 9), 145, "at most 64 terms"},
		{"outage a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q", 8, "this one has 17"},
		{strings.Repeat("from:a ", 65), 449, "at most 64 terms"},
		{strings.Repeat("xy* ", 65), 257, "at most 64 terms"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			_, err := ParseQuery(c.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if se.Column != c.column || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("got column %d %q, want column %d %q", se.Column, se.Msg, c.column, c.msg)
			}
			if !strings.Contains(se.Error(), "column") {
				t.Errorf("Error() = %q", se.Error())
			}
			caret := strings.Split(se.Caret(), "\n")
			if len(caret) != 2 || len([]rune(caret[1])) != c.column {
				t.Errorf("Caret() = %q", se.Caret())
			}
		})
	}
}

// TestParseCostBounds: queries at the bounds parse.
func TestParseCostBounds(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("a ", MaxTerms),
		strings.Repeat(`"a b c d e f g h" `, MaxTerms/8),
		`"` + strings.Repeat("w ", MaxPhraseWords) + `"`,
		"a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p",
		strings.Repeat("! ", 10), // words with no term still count one each
	} {
		if _, err := ParseQuery(in); err != nil {
			t.Errorf("%.40q: %v", in, err)
		}
	}
	if _, err := ParseQuery(strings.Repeat("! ", MaxTerms+1)); err == nil {
		t.Error("65 punctuation words parse")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		`s3 OR aws "is down"`, "(a OR b) -c", "from:jack #aws @bob domain:x.com lang:de source:twitter",
		"NOT (a b)", `source:"a b"`, "stör*", "((", `"`, "a OR", "-", "--x", "über\u00a0alles", "\xff\xfe",
		strings.Repeat(`"the the the" `, 30), strings.Repeat("a-b-c ", 30), strings.Repeat("xy* ", 70),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %v is not a *SyntaxError", s, err)
			}
			if se.Pos < 0 || se.Pos > len(s) || se.Column < 1 {
				t.Fatalf("%q: bad position %+v", s, se)
			}
			return
		}
		_ = compile(q.root)
		canon := q.String()
		q2, err := ParseQuery(canon)
		if err != nil {
			t.Fatalf("%q: canonical form %q does not parse: %v", s, canon, err)
		}
		if q2.String() != canon {
			t.Fatalf("%q: canonical form %q reparses as %q", s, canon, q2.String())
		}
	})
}

func TestTerms(t *testing.T) {
	q, err := ParseQuery(`aws OR s3 "is down" -coffee outage* #AWS from:alice NOT (x y)`)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(q.Terms(), "|")
	if got != "aws|s3|is down|outage|#AWS" {
		t.Errorf("terms %q", got)
	}
	if (*ParsedQuery)(nil).Terms() != nil {
		t.Error("nil query has terms")
	}
}

// TestSearchDeadline: a search of phrases of common words (1.7 s here,
// 69 s for the red team's query on 145k posts) stops at its context's
// deadline, or when its context is cancelled (the client left), well
// within 0.5 s of it, with the context's error.
func TestSearchDeadline(t *testing.T) {
	ix := openMem(t)
	docs := make([]Doc, 5000)
	for i := range docs {
		docs[i] = doc(fmt.Sprintf("twitter:%d", i), "en", strings.Repeat("the cat and the dog saw the the ", 4)+fmt.Sprint(i), t0.Add(time.Duration(i)*time.Second))
	}
	apply(t, ix, docs...)
	phrase := `"` + strings.TrimSpace(strings.Repeat("the ", MaxPhraseWords)) + `" `
	text := strings.Repeat(phrase, MaxTerms/MaxPhraseWords)
	for _, q := range []Query{
		{Text: text},
		{Text: text, Sort: Newest},
		{Text: text, Facets: true, Histogram: time.Hour},
		{Text: "cat -" + phrase},
	} {
		for _, want := range []error{context.DeadlineExceeded, context.Canceled} {
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			if want == context.Canceled {
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(50*time.Millisecond, cancel)
			}
			start := time.Now()
			_, err := ix.Search(ctx, q)
			took := time.Since(start)
			cancel()
			if !errors.Is(err, want) {
				t.Errorf("%.30q sort %v: err %v, want %v", q.Text, q.Sort, err, want)
			}
			if took > 500*time.Millisecond {
				t.Errorf("%.30q sort %v: stopped after %v", q.Text, q.Sort, took)
			}
			t.Logf("%.30q sort %v facets %v: %v after %v", q.Text, q.Sort, q.Facets, err, took)
		}
	}
	// Without a deadline the same phrases find nothing, and a phrase that
	// is there is found.
	res, err := ix.Search(context.Background(), Query{Text: `"the cat and the dog" "saw the the the cat"`, Size: -1})
	if err != nil || res.Total != 5000 {
		t.Fatalf("phrases: %v, %v", res, err)
	}
}

// TestPrefixBound: a word* standing for more than MaxPrefixTerms words
// of the index is refused with ErrTooCostly; one within the bound is
// searched.
func TestPrefixBound(t *testing.T) {
	ix := openMem(t)
	docs := make([]Doc, MaxPrefixTerms+1)
	for i := range docs {
		docs[i] = doc(fmt.Sprintf("twitter:%d", i), "en", fmt.Sprintf("zz%05d outage", i), t0.Add(time.Duration(i)*time.Second))
	}
	apply(t, ix, docs...)
	_, err := ix.Search(context.Background(), Query{Text: "outage zz*"})
	if !errors.Is(err, ErrTooCostly) || !strings.Contains(err.Error(), "zz* stands for more than 2000 different words") {
		t.Fatalf("zz*: %v", err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "outage zz01*", Size: -1})
	if err != nil || res.Total != 1000 {
		t.Fatalf("zz01*: %v, %v", res, err)
	}
	res, err = ix.Search(context.Background(), Query{Text: "zz0200*", Size: -1})
	if err != nil || res.Total != 1 {
		t.Fatalf("zz0200*: %v, %v", res, err)
	}
}
