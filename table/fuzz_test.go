package table

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// checkOneLine fails unless err is a single line.
func checkOneLine(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); strings.Contains(msg, "\n") || msg == "" {
		t.Fatalf("error is not one non-empty line: %q", msg)
	}
}

// checkRoundTrip writes tb with write, reads it back with read and tb's
// schema, and fails unless the result equals tb.
func checkRoundTrip(t *testing.T, tb *Table, write func(io.Writer, *Table) error, read func(io.Reader, ReadOptions) (*Table, error)) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, tb); err != nil {
		t.Fatalf("write: %v", err)
	}
	got, err := read(bytes.NewReader(buf.Bytes()), ReadOptions{Schema: tb.Schema(), Name: "written", NonFinite: NonFiniteKeep})
	if err != nil {
		t.Fatalf("reading back %q: %v", buf.Bytes(), err)
	}
	if d := Diff(tb, got); d != "" {
		t.Fatalf("round trip differs: %s\nwritten: %q", d, buf.Bytes())
	}
}

func addAdultSeed(f *testing.F) {
	data, err := os.ReadFile("../../shared/data/adult/adult_test.csv")
	if err == nil && len(data) > 4000 {
		i := bytes.IndexByte(data[4000:], '\n')
		f.Add(data[:4000+i+1])
	}
}

func FuzzReadCSV(f *testing.F) {
	seeds := []string{
		"",
		"a\n",
		"a,b\n1,2\n3,4\n",
		"a,b\n1,2\n3\n",
		"x,id\n007,1\nabc,2\n",
		"x\n1.50\n2\nabc\n",
		"d,t\n2020-01-02,2020-01-02T03:04:05Z\n,2020-01-02T03:04:05.5+01:00\n2021-02-03,\n",
		"s\n\"a,b\"\n\"say \"\"hi\"\"\"\n\"line\r\nbreak\"\n",
		"\ufeffa,b\ntrue,NA\nfalse,NaN\n",
		"n\n1e400\n-0\ninf\n9223372036854775808\n",
		"a,b\n1,x\"y\n",
		"a,,c\n",
		"a,a\n",
		"x\n\"\"\n\"\"\n",
		"v\n1234567\n0.5\nz\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	addAdultSeed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadCSV(bytes.NewReader(data), ReadOptions{Name: "fuzz.csv"})
		if err != nil {
			checkOneLine(t, err)
			return
		}
		checkRoundTrip(t, tb, WriteCSV, ReadCSV)
		// Inference is stable: reading the written file without a schema
		// gives the same kinds.
		var buf bytes.Buffer
		if err := WriteCSV(&buf, tb); err != nil {
			t.Fatal(err)
		}
		again, err := ReadCSV(&buf, ReadOptions{})
		if err != nil {
			t.Fatalf("reading back without a schema: %v", err)
		}
		for j, c := range tb.Cols {
			if k := again.Cols[j].Kind; k != c.Kind && !(c.Kind == Float && k == Integer) {
				t.Fatalf("column %q: %s, then %s when read back", c.Name, c.Kind, k)
			}
		}
	})
}

func FuzzReadJSONL(f *testing.F) {
	seeds := []string{
		"",
		"{}\n",
		`{"a":1,"b":"x"}` + "\n" + `{"b":"y","c":null}`,
		`{"a":1.5}` + "\n\n" + `{"a":"NA"}` + "\n" + `{"a":1e400}`,
		`{"d":"2020-01-02"}` + "\n" + `{"d":"2020-01-02T03:04:05Z"}`,
		`{"s":"line\nbreak \"q\" \u00e9 \ud83d\ude00"}`,
		`{"t":true}` + "\n" + `{"t":false}`,
		`{"a":{"b":1}}`,
		`{"a":1,"a":2}`,
		`[1]`,
		`{"a":1} x`,
		`{"n":-0}` + "\n" + `{"n":12345678901234567890}`,
		`{"code":"007"}` + "\n" + `{"code":"12"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ReadJSONL(bytes.NewReader(data), ReadOptions{Name: "fuzz.jsonl"})
		if err != nil {
			checkOneLine(t, err)
			return
		}
		checkRoundTrip(t, tb, WriteJSONL, ReadJSONL)
		checkRoundTrip(t, tb, WriteCSV, ReadCSV)
	})
}

func FuzzSchema(f *testing.F) {
	seeds := []string{
		"",
		"fields: []\n",
		"group_key: hh\nfields:\n  - {name: hh, kind: integer}\n  - name: sex\n    kind: categorical\n    categories: [M, F]\n    description: sex\n    group: true\n",
		"fields:\n  - {name: p, kind: float, min: 0, max: 1.5}\n  - {name: d, kind: datetime, layout: '2006-01-02'}\n",
		`{"fields":[{"name":"a","kind":"text"},{"name":"b","kind":"int","min":-1}]}`,
		"fields:\n  - {name: a, kind: decimal}\n",
		"fields:\n  - {name: a, kind: float, min: .nan}\n",
		"fields:\n  - {name: a, kind: text, colour: red}\n",
		"fields: [\n",
		"{\"fields\": [}",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSchema(data, "fuzz.yaml")
		if err != nil {
			checkOneLine(t, err)
			return
		}
		// A valid schema survives YAML and JSON encoding unchanged.
		y, err := yaml.Marshal(s)
		if err != nil {
			t.Fatalf("yaml: %v", err)
		}
		fromYAML, err := ParseSchema(y, "fuzz.yaml")
		if err != nil {
			t.Fatalf("reading back %q: %v", y, err)
		}
		if d := diffSchema(s, fromYAML); d != "" {
			t.Fatalf("yaml round trip: %s\n%s", d, y)
		}
		j, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("json: %v", err)
		}
		fromJSON, err := ParseSchema(j, "fuzz.yaml")
		if err != nil {
			t.Fatalf("reading back %s: %v", j, err)
		}
		if d := diffSchema(s, fromJSON); d != "" {
			t.Fatalf("json round trip: %s\n%s", d, j)
		}
	})
}

// diffSchema compares two schemas field by field (nil and empty category
// lists are the same); it returns "" when they match.
func diffSchema(a, b *Schema) string {
	if a.GroupKey != b.GroupKey {
		return "group key " + a.GroupKey + " vs " + b.GroupKey
	}
	if len(a.Fields) != len(b.Fields) {
		return "field count"
	}
	eqBound := func(x, y *float64) bool {
		if x == nil || y == nil {
			return x == y
		}
		return math.Float64bits(*x) == math.Float64bits(*y) || *x == *y
	}
	for i, fa := range a.Fields {
		fb := b.Fields[i]
		if fa.Name != fb.Name || fa.Kind != fb.Kind || fa.Description != fb.Description || fa.Group != fb.Group ||
			fa.Layout != fb.Layout || !slices.Equal(fa.Categories, fb.Categories) || !eqBound(fa.Min, fb.Min) || !eqBound(fa.Max, fb.Max) {
			return "field " + fa.Name
		}
	}
	return ""
}
