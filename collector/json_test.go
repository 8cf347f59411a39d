package collector

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/aftershock/aftershock/internal/testdata"
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
	for _, s := range []string{"{\"a\":1}\n{\"b\":2}", "[\n{\"a\":1}\n]", "{\n", "[1,2,[3]]", "\"x\"\n]",
		"[\n{\"a\": [\"]}\\\"[{\", {\"b\":\n\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]},\n[2]\n]", "[\n123456789012345678901234567890123456789,\n2]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		// A small limit, so that the fuzzer reaches the skipping of long values.
		for r := range JSONValuesLimit(strings.NewReader(string(in)), 32) {
			if (r.Err == nil) == (r.Data == nil) {
				t.Fatalf("record %+v: exactly one of Data and Err must be set", r)
			}
			if len(r.Data) > 33 {
				t.Fatalf("record of %d bytes passed a limit of 32", len(r.Data))
			}
			if r.Line < 1 {
				t.Fatalf("line %d < 1", r.Line)
			}
		}
	})
}

// TestRecordLimit: a value over the per-record limit, in a document or an
// array, is an Err at its line and the values after it are read.
func TestRecordLimit(t *testing.T) {
	big := strings.Repeat("x", 300)
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
		{"element", "[\n{\"a\": 1},\n {\"big\": \"" + big + "\"},\n{\"b\": 2}\n]\n{\"c\": 3}",
			[]rec{{2, `{"a": 1}`, false}, {3, "", true}, {4, `{"b": 2}`, false}, {6, `{"c": 3}`, false}}},
		{"last element", "[\n{\"a\": 1},\n\"" + big + "\"\n]\n",
			[]rec{{2, `{"a": 1}`, false}, {3, "", true}}},
		{"nested, quotes and brackets in strings", "[\n{\"a\": [\"]}\\\"[{\", {\"b\":\n\"" + big + "\"}]},\n[2]\n]",
			[]rec{{2, "", true}, {4, `[2]`, false}}},
		{"top-level value", "{\n\"big\": \"" + big + "\"\n}\n{\"c\": 3}\n",
			[]rec{{1, "", true}, {4, `{"c": 3}`, false}}},
		{"scalar element", "[\n" + strings.Repeat("1", 300) + ",\n2]",
			[]rec{{2, "", true}, {3, `2`, false}}},
		{"truncated after", "[\n\"" + big + "\",\n{\"b\":",
			[]rec{{2, "", true}, {3, "", true}}},
		{"white space", "[\n{\"a\": 1}," + strings.Repeat(" ", 300) + "\n{\"b\": 2}]" + strings.Repeat("\n", 300) + "{\"c\": 3}",
			[]rec{{2, `{"a": 1}`, false}, {3, `{"b": 2}`, false}, {303, `{"c": 3}`, false}}},
		{"white space after [", "[\n" + strings.Repeat(" ", 300) + "{\"b\": 2}" + strings.Repeat(" ", 300) + "\n]",
			[]rec{{2, `{"b": 2}`, false}}},
		{"line", "{\"a\": 1}\n{\"big\": \"" + big + "\"}\n{\"b\": 2}",
			[]rec{{1, `{"a": 1}`, false}, {2, "", true}, {3, `{"b": 2}`, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []rec
			for r := range JSONValuesLimit(strings.NewReader(tt.in), 100) {
				got = append(got, rec{r.Line, string(r.Data), r.Err != nil})
				var tl *TooLongError
				if r.Err != nil && len(got) <= len(tt.want) && r.Line == tt.want[len(got)-1].line && !errors.As(r.Err, &tl) && tt.name != "truncated after" {
					t.Errorf("line %d: err %v, want a TooLongError", r.Line, r.Err)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestRecordLimitMemory: a 64 MiB string in a document (issue 16: a 1 GiB
// one in a .json.gz passed 8 GB) is read past in bounded memory: with a
// 1 MiB limit, less than 8 MiB is allocated in all.
func TestRecordLimitMemory(t *testing.T) {
	g := testdata.Repeat("[\n{\"a\": 1},\n{\"text\": \"", 'a', 64<<20, "\"},\n{\"b\": 2}\n]\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var lines []int
	errs := 0
	for r := range JSONValuesLimit(g, 1<<20) {
		lines = append(lines, r.Line)
		if r.Err != nil {
			errs++
		}
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("reading past a 64 MiB value allocated %d bytes, want < 8 MiB", alloc)
	} else {
		t.Logf("reading past a 64 MiB value with a 1 MiB limit allocated %d bytes", alloc)
	}
	if !slices.Equal(lines, []int{2, 3, 4}) || errs != 1 {
		t.Errorf("records at lines %v with %d errors, want 2, 3 (the error), 4", lines, errs)
	}
}
