package table

import (
	"slices"
	"strings"
	"testing"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id": 1, "name": "a", "score": 1.5, "ok": true, "code": "007"}

{"id": 2, "score": null, "ok": false, "code": "12", "extra": "NA"}
{"name": "b", "id": 3, "score": 2, "ok": true, "code": "5"}
`
	tb, err := ReadJSONL(strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"id", "name", "score", "ok", "code", "extra"}; !slices.Equal(tb.Names(), want) {
		t.Fatalf("columns %q, want %q", tb.Names(), want)
	}
	tests := []struct {
		col  string
		kind Kind
		want []string // "<nil>" = missing
	}{
		{"id", Integer, []string{"1", "2", "3"}},
		{"name", Categorical, []string{"a", "<nil>", "b"}},
		{"score", Float, []string{"1.5", "<nil>", "2"}},
		{"ok", Categorical, []string{"true", "false", "true"}},
		{"code", Categorical, []string{"007", "12", "5"}}, // JSON strings never make a column numeric
		{"extra", Categorical, []string{"<nil>", "<nil>", "<nil>"}},
	}
	for _, tc := range tests {
		t.Run(tc.col, func(t *testing.T) {
			c := tb.Col(tc.col)
			if c.Kind != tc.kind {
				t.Errorf("kind %s, want %s", c.Kind, tc.kind)
			}
			for i, w := range tc.want {
				got := c.String(i)
				if c.IsNull(i) {
					got = "<nil>"
				}
				if got != w {
					t.Errorf("row %d: %q, want %q", i, got, w)
				}
			}
		})
	}
}

func TestReadJSONLErrors(t *testing.T) {
	tests := []struct {
		name, in string
		opts     ReadOptions
		want     string
	}{
		{"empty", "\n  \n", ReadOptions{}, "read x.jsonl: empty file"},
		{"not an object", "{\"a\":1}\n[1,2]\n", ReadOptions{}, "read x.jsonl: line 2: not a JSON object"},
		{"syntax", "{\"a\":1}\n{\"a\":}\n", ReadOptions{}, "read x.jsonl: line 2: invalid JSON at byte 6: want a value, found '}'"},
		{"malformed number", "{\"a\":01}\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON at byte 7: want ',' or '}', found '1'"},
		{"bad exponent", "{\"a\":1e+}\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON at byte 6: malformed number"},
		{"missing colon", "{\"a\" 1}\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON at byte 6: want ':', found '1'"},
		{"trailing comma", "{\"a\":1,}\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON at byte 8: want a string key, found '}'"},
		{"unterminated string", "{\"a\":\"xy}\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON at byte 6: unterminated string"},
		{"control character", "{\"a\":\"x\ty\"}\n", ReadOptions{}, `read x.jsonl: line 1: invalid JSON at byte 6: control character '\t' in string`},
		{"bad escape", "{\"a\":\"\\q\"}\n", ReadOptions{}, `read x.jsonl: line 1: invalid JSON at byte 6: invalid character 'q' in string escape code`},
		{"bad literal", "{\"a\":nul}\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON at byte 6: want a value, found 'n'"},
		{"truncated", "{\"a\":1}\n{\"a\":1", ReadOptions{}, "read x.jsonl: line 2: invalid JSON: unexpected end of line"},
		{"trailing data", "{\"a\":1} 2\n", ReadOptions{}, "read x.jsonl: line 1: invalid JSON: data after the object"},
		{"nested", "{\"a\":1}\n\n{\"a\":{\"b\":2}}\n", ReadOptions{}, `read x.jsonl: line 3, column "a": nested arrays and objects are not supported`},
		{"duplicate key", "{\"a\":1,\"a\":2}\n", ReadOptions{}, `read x.jsonl: line 1, column "a": key appears twice in the object`},
		{"empty key", "{\"\":1}\n", ReadOptions{}, `read x.jsonl: line 1: column 1 has no name`},
		{"schema", "{\"a\":1}\n{\"a\":\"x\"}\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "a", Kind: Integer}}}}, `read x.jsonl: line 2, column "a": "x" is not an integer (schema says integer)`},
		{"schema names an absent key", "{\"a\":1}\n", ReadOptions{Schema: &Schema{Source: "s.yaml", Fields: []Field{{Name: "b", Kind: Integer}}}}, `schema s.yaml: field "b" is not a column of x.jsonl`},
		{"group not contiguous", "{\"h\":1}\n{\"h\":2}\n\n{\"h\":1}\n", ReadOptions{GroupKey: "h"}, `read x.jsonl: line 4, column "h": group "1" continues after another group; rows of a group must be contiguous`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Name = "x.jsonl"
			_, err := ReadJSONL(strings.NewReader(tc.in), tc.opts)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err, tc.want)
			}
		})
	}
}

func TestReadJSONLLongLine(t *testing.T) {
	long := strings.Repeat("x", 200000)
	tb, err := ReadJSONL(strings.NewReader(`{"a":"`+long+`"}`+"\n"+`{"a":"y"}`), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := tb.Col("a"); c.String(0) != long || c.String(1) != "y" {
		t.Errorf("long line not read whole: %d bytes", len(c.String(0)))
	}
}

func TestAppendJSONString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{`q"b\`, `"q\"b\\"`},
		{"\n\r\t\x01", `"\n\r\t\u0001"`},
		{"<&>", `"<&>"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
		{"ünï\u2028", `"ünï\u2028"`},
	}
	for _, tc := range tests {
		if got := string(appendJSONString(nil, tc.in)); got != tc.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
