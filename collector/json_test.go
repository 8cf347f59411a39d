package collector

import (
	"strings"
	"testing"
)

func TestJSONValues(t *testing.T) {
	type rec struct {
		line int
		data string
		err  bool
	}
	tests := []struct {
		name string
		in   string
		want []rec
	}{
		{"lines", "{\"a\":1}\n\n{\"b\":2}\r\n", []rec{{1, `{"a":1}`, false}, {3, `{"b":2}`, false}}},
		{"bad line goes on", "{\"a\":1}\n{\"b\":\n{\"c\":3}", []rec{{1, `{"a":1}`, false}, {2, "", true}, {3, `{"c":3}`, false}}},
		{"array on one line", `[{"a":1},{"b":2}]`, []rec{{1, `{"a":1}`, false}, {1, `{"b":2}`, false}}},
		{"pretty array", "[\n  {\n    \"a\": 1\n  },\n  {\"b\": 2}\n]\n", []rec{{2, "{\n    \"a\": 1\n  }", false}, {5, `{"b": 2}`, false}}},
		{"pretty object", "\n{\n \"x\": [1,2]\n}\n", []rec{{2, "{\n \"x\": [1,2]\n}", false}}},
		{"truncated document", "[\n{\"a\":1},\n{\"b\":", []rec{{2, `{"a":1}`, false}, {3, "", true}}},
		{"syntax error in document", "{\n\"a\": 1,\n\"b\": x}\n", []rec{{3, "", true}}},
		{"empty", "  \n\n", nil},
		{"garbage", "hello\nworld", []rec{{1, "", true}}},
		{"latin-1 line", "{\"a\":\"gr\xfc\xdf\"}\n{\"b\":2}", []rec{{1, "", true}, {2, `{"b":2}`, false}}},
		{"latin-1 document", "[\n{\"a\":\"\xe4\"},\n{\"b\":2}\n]", []rec{{2, "", true}, {3, `{"b":2}`, false}}},
		{"stray delimiter", "{\n\"a\":1\n}\n]", []rec{{1, "{\n\"a\":1\n}", false}, {4, "", true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []rec
			for r := range JSONValues(strings.NewReader(tt.in)) {
				got = append(got, rec{r.Line, string(r.Data), r.Err != nil})
				if (r.Err == nil) == (r.Data == nil) {
					t.Errorf("record %+v: exactly one of Data and Err must be set", r)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("record %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func FuzzJSONValues(f *testing.F) {
	for _, s := range []string{"{\"a\":1}\n{\"b\":2}", "[\n{\"a\":1}\n]", "{\n", "[1,2,[3]]", "\"x\"\n]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for r := range JSONValues(strings.NewReader(string(in))) {
			if (r.Err == nil) == (r.Data == nil) {
				t.Fatalf("record %+v: exactly one of Data and Err must be set", r)
			}
			if r.Line < 1 {
				t.Fatalf("line %d < 1", r.Line)
			}
		}
	})
}
