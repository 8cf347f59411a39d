package index

import (
	"errors"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"aws s3", "aws s3"},
		{"aws OR s3", "aws OR s3"},
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

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		`s3 OR aws "is down"`, "(a OR b) -c", "from:jack #aws @bob domain:x.com lang:de source:twitter",
		"NOT (a b)", `source:"a b"`, "stör*", "((", `"`, "a OR", "-", "--x", "über\u00a0alles", "\xff\xfe",
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
