package table

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// csvColumn returns a one-column CSV with header "x" and the given cells.
func csvColumn(cells ...string) string {
	var sb strings.Builder
	sb.WriteString("x,id\n")
	for i, c := range cells {
		fmt.Fprintf(&sb, "%s,%d\n", c, i)
	}
	return sb.String()
}

func seq(prefix string, n, distinct int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i%distinct)
	}
	return out
}

func TestInference(t *testing.T) {
	day := func(s string) int64 {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UnixNano()
	}
	tests := []struct {
		name   string
		cells  []string
		kind   Kind
		dict   []string // categorical
		ints   []int64  // integer, datetime
		floats []float64
		layout string
		nulls  int
	}{
		{name: "integers", cells: []string{"1", "-2", "30"}, kind: Integer, ints: []int64{1, -2, 30}},
		{name: "integers with missing", cells: []string{"1", "", "NA", "3", "NaN", "null"}, kind: Integer, ints: []int64{1, 0, 0, 3, 0, 0}, nulls: 4},
		{name: "non-canonical integers stay integers", cells: []string{"007", "+5", "-0"}, kind: Integer, ints: []int64{7, 5, 0}},
		{name: "integer then float", cells: []string{"1", "2.5"}, kind: Float, floats: []float64{1, 2.5}},
		{name: "exponent", cells: []string{"1e6", "-3"}, kind: Float, floats: []float64{1e6, -3}},
		{name: "beyond int64 is categorical, kept exactly", cells: []string{"12345678901234567890", "1.5"}, kind: Categorical, dict: []string{"12345678901234567890", "1.5"}},
		{name: "missing first", cells: []string{"", "", "4.5"}, kind: Float, floats: []float64{math.NaN(), math.NaN(), 4.5}, nulls: 2},
		{name: "float then text keeps the text", cells: []string{"1.50", "abc", "2"}, kind: Categorical, dict: []string{"1.50", "abc", "2"}},
		{name: "integer then text keeps leading zeros", cells: []string{"007", "", "abc", "7"}, kind: Categorical, dict: []string{"007", "abc", "7"}, nulls: 1},
		{name: "integer, float, text", cells: []string{"1234567", "0.5", "x", "-0"}, kind: Categorical, dict: []string{"1234567", "0.5", "x", "-0"}},
		{name: "large integers as float then text", cells: []string{"9007199254740993", "0.5", "x"}, kind: Categorical, dict: []string{"9007199254740993", "0.5", "x"}},
		{name: "dates", cells: []string{"2020-01-02", "", "1999-12-31"}, kind: Datetime, layout: dateLayout, ints: []int64{day("2020-01-02T00:00:00Z"), 0, day("1999-12-31T00:00:00Z")}, nulls: 1},
		{name: "timestamps", cells: []string{"2020-01-02T03:04:05Z", "2020-01-02T03:04:05.5+01:00"}, kind: Datetime, layout: time.RFC3339Nano, ints: []int64{day("2020-01-02T03:04:05Z"), day("2020-01-02T02:04:05.5Z")}},
		{name: "dates then timestamps", cells: []string{"2020-01-02", "2020-01-02T03:04:05Z"}, kind: Datetime, layout: time.RFC3339Nano, ints: []int64{day("2020-01-02T00:00:00Z"), day("2020-01-02T03:04:05Z")}},
		{name: "missing between kept texts", cells: []string{"007", "", "1.50", "NA", "1e6", "1000000", "x"}, kind: Categorical, dict: []string{"007", "1.50", "1e6", "1000000", "x"}, nulls: 2},
		{name: "dates, missing, timestamps, text", cells: []string{"2020-01-02", "", "2020-01-02T03:04:05Z", "x"}, kind: Categorical, dict: []string{"2020-01-02", "2020-01-02T03:04:05Z", "x"}, nulls: 1},
		{name: "dates then text keeps the text", cells: []string{"2020-01-02", "2020-01-02T03:04:05+02:00", "soon"}, kind: Categorical, dict: []string{"2020-01-02", "2020-01-02T03:04:05+02:00", "soon"}},
		{name: "out of range date is a category", cells: []string{"1066-10-14"}, kind: Categorical, dict: []string{"1066-10-14"}},
		{name: "booleans", cells: []string{"true", "false", "true"}, kind: Categorical, dict: []string{"true", "false"}},
		{name: "all missing", cells: []string{"", "NA"}, kind: Categorical, dict: []string{}, nulls: 2},
		{name: "first appearance order", cells: []string{"b", "a", "c", "a"}, kind: Categorical, dict: []string{"b", "a", "c"}},
		{name: "spaces are kept", cells: []string{" 1", "2"}, kind: Categorical, dict: []string{" 1", "2"}},
		{name: "20 distinct in 20 rows", cells: seq("v", 20, 20), kind: Categorical, dict: seq("v", 20, 20)},
		{name: "21 distinct in 21 rows", cells: seq("v", 21, 21), kind: Text},
		{name: "500 distinct in 10000 rows", cells: seq("v", 10000, 500), kind: Categorical, dict: seq("v", 500, 500)},
		{name: "501 distinct in 10000 rows", cells: seq("v", 10000, 501), kind: Text},
		{name: "10000 distinct in 10000 rows", cells: seq("v", 10000, 10000), kind: Text},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ReadCSV(strings.NewReader(csvColumn(tc.cells...)), ReadOptions{Name: "x.csv"})
			if err != nil {
				t.Fatal(err)
			}
			c := tb.Col("x")
			if c.Kind != tc.kind {
				t.Fatalf("kind %s, want %s", c.Kind, tc.kind)
			}
			if c.Len() != len(tc.cells) {
				t.Fatalf("%d rows, want %d", c.Len(), len(tc.cells))
			}
			if c.NullCount() != tc.nulls {
				t.Errorf("%d missing, want %d", c.NullCount(), tc.nulls)
			}
			switch tc.kind {
			case Categorical:
				if !slices.Equal(c.Dict, tc.dict) || c.Dict == nil {
					t.Errorf("dict %q, want %q", c.Dict, tc.dict)
				}
				for i, s := range tc.cells {
					if got := c.String(i); got != s && !(c.IsNull(i) && (s == "" || s == "NA")) {
						t.Errorf("row %d: %q, want %q", i, got, s)
					}
				}
			case Integer, Datetime:
				if !slices.Equal(c.Ints, tc.ints) {
					t.Errorf("ints %v, want %v", c.Ints, tc.ints)
				}
				if c.Layout != tc.layout {
					t.Errorf("layout %q, want %q", c.Layout, tc.layout)
				}
			case Float:
				if len(c.Floats) != len(tc.floats) {
					t.Fatalf("floats %v, want %v", c.Floats, tc.floats)
				}
				for i, v := range tc.floats {
					if math.Float64bits(c.Floats[i]) != math.Float64bits(v) && !(math.IsNaN(v) && math.IsNaN(c.Floats[i])) {
						t.Errorf("row %d: %v, want %v", i, c.Floats[i], v)
					}
				}
			case Text:
				for i, s := range tc.cells {
					if c.Strs[i] != s {
						t.Errorf("row %d: %q, want %q", i, c.Strs[i], s)
					}
				}
			}
			if id := tb.Col("id"); id.Kind != Integer {
				t.Errorf("id column is %s", id.Kind)
			}
		})
	}
}

func TestNullValues(t *testing.T) {
	in := "a,b\n,NA\nx,null\n"
	tests := []struct {
		name  string
		nulls []string
		a, b  []string // String of each row; "<nil>" = missing
	}{
		{"default", nil, []string{"<nil>", "x"}, []string{"<nil>", "<nil>"}},
		{"only empty", []string{""}, []string{"<nil>", "x"}, []string{"NA", "null"}},
		{"custom", []string{"null", "x"}, []string{"", "<nil>"}, []string{"NA", "<nil>"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, err := ReadCSV(strings.NewReader(in), ReadOptions{NullValues: tc.nulls})
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range map[string][]string{"a": tc.a, "b": tc.b} {
				c := tb.Col(name)
				for i, w := range want {
					got := c.String(i)
					if c.IsNull(i) {
						got = "<nil>"
					}
					if got != w {
						t.Errorf("column %s row %d: %q, want %q", name, i, got, w)
					}
				}
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	f0, f100 := 0.0, 100.0
	ageInt := &Schema{Fields: []Field{{Name: "age", Kind: Integer}}}
	tests := []struct {
		name string
		in   string
		opts ReadOptions
		want string
	}{
		{"empty file", "", ReadOptions{}, "read x.csv: empty file"},
		{"only a BOM", "\ufeff", ReadOptions{}, "read x.csv: empty file"},
		{"ragged short", "a,b\n1,2\n3\n", ReadOptions{}, "read x.csv: line 3: 1 field, header has 2"},
		{"ragged long", "a,b\n1,2\n\n3,4,5\n", ReadOptions{}, "read x.csv: line 4: 3 fields, header has 2"},
		{"ragged after multi-line cell", "a,b\n\"x\ny\",2\n3\n", ReadOptions{}, "read x.csv: line 4: 1 field, header has 2"},
		{"bare quote", "a,b\n1,x\"y\n", ReadOptions{}, `read x.csv: line 2: bare " in non-quoted-field`},
		{"unterminated quote", "a,b\n1,\"xy\n", ReadOptions{}, `read x.csv: line 2: extraneous or missing " in quoted-field`},
		{"unnamed column", "a,,c\n1,2,3\n", ReadOptions{}, "read x.csv: line 1: column 2 has no name"},
		{"duplicate column", "a,b,a\n1,2,3\n", ReadOptions{}, `read x.csv: line 1: column "a" appears twice`},
		{"schema integer", "id,age\n1,30\n2,abc\n", ReadOptions{Schema: ageInt}, `read x.csv: line 3, column "age": "abc" is not an integer (schema says integer)`},
		{"schema float", "p\n1.5\nx\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "p", Kind: Float}}}}, `read x.csv: line 3, column "p": "x" is not a number (schema says float)`},
		{"schema datetime", "d\n2020-01-01\n01/02/2020\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "d", Kind: Datetime}}}}, `read x.csv: line 3, column "d": "01/02/2020" is not an RFC 3339 timestamp or a 2006-01-02 date (schema says datetime)`},
		{"schema layout", "d\n01/02/2020\n2020-01-01\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "d", Kind: Datetime, Layout: "01/02/2006"}}}}, `read x.csv: line 3, column "d": "2020-01-01" is not a time in layout "01/02/2006" (schema says datetime)`},
		{"schema categories", "s\nMale\nmale\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "s", Kind: Categorical, Categories: []string{"Male", "Female"}}}}}, `read x.csv: line 3, column "s": "male" is not one of the schema's categories`},
		{"schema range", "p\n10\n100.5\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "p", Kind: Float, Min: &f0, Max: &f100}}}}, `read x.csv: line 3, column "p": 100.5 is outside the schema's range [0, 100]`},
		{"schema min only", "p\n-1\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "p", Kind: Integer, Min: &f0}}}}, `read x.csv: line 2, column "p": -1 is outside the schema's range [0, unbounded]`},
		{"schema names an absent column", "a\n1\n", ReadOptions{Schema: &Schema{Source: "s.yaml", Fields: []Field{{Name: "foo", Kind: Integer}}}}, `schema s.yaml: field "foo" is not a column of x.csv`},
		{"invalid schema", "a\n1\n", ReadOptions{Schema: &Schema{Fields: []Field{{Name: "a"}}}}, `read x.csv: schema: field "a": missing or invalid kind`},
		{"group key absent", "a\n1\n", ReadOptions{GroupKey: "hh"}, `read x.csv: group key "hh" is not a column`},
		{"group not contiguous", "hh,p\n1,a\n1,b\n2,c\n1,d\n", ReadOptions{GroupKey: "hh"}, `read x.csv: line 5, column "hh": group "1" continues after another group; rows of a group must be contiguous`},
		{"group-level column varies", "hh,tenure\n1,own\n1,own\n2,rent\n2,own\n", ReadOptions{Schema: &Schema{GroupKey: "hh", Fields: []Field{{Name: "tenure", Kind: Categorical, Group: true}}}},
			`read x.csv: line 5, column "tenure": group-level value "own" differs from "rent" earlier in group "2"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Name = "x.csv"
			_, err := ReadCSV(strings.NewReader(tc.in), tc.opts)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %q\nwant %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error has more than one line: %q", err)
			}
		})
	}
}

func TestReadCSVName(t *testing.T) {
	_, err := ReadCSV(strings.NewReader(""), ReadOptions{})
	if err == nil || err.Error() != "read csv input: empty file" {
		t.Errorf("error %v, want %q", err, "read csv input: empty file")
	}
}

func TestSchemaOverrides(t *testing.T) {
	in := "id,sex,score,when,note,zip\n1,F,3,2020-01-02,hello,01234\n2,M,4.5,2021-02-03T04:05:06Z,,02134\n3,,,,\"a, b\",00000\n"
	lo, hi := 0.0, 10.0
	s := &Schema{Fields: []Field{
		{Name: "sex", Kind: Categorical, Categories: []string{"M", "F", "X"}, Description: "sex at birth"},
		{Name: "id", Kind: Float},
		{Name: "score", Kind: Float, Min: &lo, Max: &hi},
		{Name: "note", Kind: Text},
		{Name: "zip", Kind: Categorical},
	}}
	tb, err := ReadCSV(strings.NewReader(in), ReadOptions{Schema: s})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, kind Kind, want ...string) {
		t.Helper()
		c := tb.Col(name)
		if c.Kind != kind {
			t.Errorf("%s: kind %s, want %s", name, c.Kind, kind)
		}
		for i, w := range want {
			got := c.String(i)
			if c.IsNull(i) {
				got = "<nil>"
			}
			if got != w {
				t.Errorf("%s row %d: %q, want %q", name, i, got, w)
			}
		}
	}
	check("id", Float, "1", "2", "3")
	check("sex", Categorical, "F", "M", "<nil>")
	check("score", Float, "3", "4.5", "<nil>")
	check("when", Datetime, "2020-01-02T00:00:00Z", "2021-02-03T04:05:06Z", "<nil>")
	check("note", Text, "hello", "<nil>", "a, b")
	check("zip", Categorical, "01234", "02134", "00000")
	if sex := tb.Col("sex"); !slices.Equal(sex.Dict, []string{"M", "F", "X"}) || sex.Description != "sex at birth" {
		t.Errorf("sex: dict %q description %q; want the schema's", sex.Dict, sex.Description)
	}
	if c := tb.Col("sex"); !slices.Equal(c.Codes, []int32{1, 0, Missing}) {
		t.Errorf("sex codes %v", c.Codes)
	}
}

func TestGroupKey(t *testing.T) {
	in := "hh,tenure,age\n7,own,30\n7,own,5\n3,rent,41\n"
	s := &Schema{GroupKey: "hh", Fields: []Field{{Name: "tenure", Kind: Categorical, Group: true}}}
	for _, opts := range []ReadOptions{{Schema: s}, {GroupKey: "hh"}} {
		tb, err := ReadCSV(strings.NewReader(in), opts)
		if err != nil {
			t.Fatal(err)
		}
		if tb.GroupKey != "hh" {
			t.Fatalf("group key %q", tb.GroupKey)
		}
		g, err := tb.Groups()
		if err != nil {
			t.Fatal(err)
		}
		if want := [][2]int{{0, 2}, {2, 3}}; !slices.Equal(g, want) {
			t.Errorf("groups %v, want %v", g, want)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(good, []byte("a\n1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sch := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(sch, []byte("fields:\n  - name: foo\n    kind: integer\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSchema(sch)
	if err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub.csv")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	badGz := filepath.Join(dir, "bad.csv.gz")
	if err := os.WriteFile(badGz, []byte("this is not a gzip file"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyGz := filepath.Join(dir, "empty.csv.gz")
	if err := os.WriteFile(emptyGz, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		opts ReadOptions
		want string
	}{
		{sub, ReadOptions{}, "read " + sub + ": is a directory"},
		{badGz, ReadOptions{}, "read " + badGz + ": gzip: invalid header"},
		{emptyGz, ReadOptions{}, "read " + emptyGz + ": empty file"},
		{filepath.Join(dir, "missing.csv"), ReadOptions{}, "read " + dir + "/missing.csv: no such file or directory"},
		{empty, ReadOptions{}, "read " + empty + ": empty file"},
		{filepath.Join(dir, "x.txt"), ReadOptions{}, "read " + dir + `/x.txt: unknown file type ".txt" (want .csv, .jsonl, .ndjson or .parquet, optionally followed by .gz)`},
		{good, ReadOptions{Schema: s}, "schema " + sch + `: field "foo" is not a column of ` + good},
		{good, ReadOptions{Schema: s, Name: "train"}, "schema " + sch + `: field "foo" is not a column of train`},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.path), func(t *testing.T) {
			_, err := ReadFile(tc.path, tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n got %v\nwant %s", err, tc.want)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.csv"), ReadOptions{}); !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file error %v does not wrap fs.ErrNotExist", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

func TestNonFinite(t *testing.T) {
	inf, ninf := math.Inf(1), math.Inf(-1)
	tests := []struct {
		name   string
		format string // csv or jsonl
		data   string
		schema string
		mode   NonFinite
		err    string
		want   []float64 // column x; NaN = missing
	}{
		{name: "inf", format: "csv", data: "x\n1.5\ninf\n", err: `read in: line 3, column "x": "inf" is not a finite number`},
		{name: "overflow", format: "csv", data: "id,x\n1,2\n2,-1e400\n", err: `read in: line 3, column "x": "-1e400" is not a finite number`},
		{name: "infinity spelled out", format: "csv", data: "x\n-Infinity\n3\n", err: `read in: line 2, column "x": "-Infinity" is not a finite number`},
		{name: "schema float", format: "csv", data: "x\n1\n+Inf\n", schema: "float", err: `read in: line 3, column "x": "+Inf" is not a finite number`},
		{name: "jsonl number", format: "jsonl", data: "{\"x\":1}\n\n{\"x\":1e999}\n", err: `read in: line 3, column "x": "1e999" is not a finite number`},
		{name: "missing", format: "csv", data: "x\n1.5\ninf\n1e400\n-2\n", mode: NonFiniteMissing, want: []float64{1.5, math.NaN(), math.NaN(), -2}},
		{name: "missing jsonl", format: "jsonl", data: "{\"x\":1e400}\n{\"x\":2.5}\n", mode: NonFiniteMissing, want: []float64{math.NaN(), 2.5}},
		{name: "keep", format: "csv", data: "x\n1.5\ninf\n-1e400\n", mode: NonFiniteKeep, want: []float64{1.5, inf, ninf}},
		{name: "NaN is a null value", format: "csv", data: "x\n1.5\nNaN\n", want: []float64{1.5, math.NaN()}},
		{name: "text column", format: "csv", data: "x\ninf\nabc\n1\n", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := ReadOptions{Name: "in", NonFinite: tc.mode}
			if tc.schema != "" {
				opts.Schema = &Schema{Fields: []Field{{Name: "x", Kind: Float}}}
			}
			read := ReadCSV
			if tc.format == "jsonl" {
				read = ReadJSONL
			}
			tb, err := read(strings.NewReader(tc.data), opts)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v\nwant %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := tb.Col("x")
			if tc.want == nil {
				if c.Kind != Categorical {
					t.Fatalf("kind %s, want categorical", c.Kind)
				}
				return
			}
			if c.Kind != Float || len(c.Floats) != len(tc.want) {
				t.Fatalf("kind %s, %d rows", c.Kind, c.Len())
			}
			for i, w := range tc.want {
				if math.IsNaN(w) != c.IsNull(i) || (!math.IsNaN(w) && c.Floats[i] != w) {
					t.Errorf("row %d: %v (missing %v), want %v", i, c.Floats[i], c.IsNull(i), w)
				}
			}
		})
	}
}
