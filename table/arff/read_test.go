package arff

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/synthor/synthor/table"
)

// TestReadMixed checks testdata/mixed.arff against the values written in
// it by hand.
func TestReadMixed(t *testing.T) {
	tb, err := ReadFile("testdata/mixed.arff")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tb.Names(), "|"); got != "count|ratio|the colour|note|when" {
		t.Fatalf("columns %s", got)
	}
	if tb.NumRows() != 4 {
		t.Fatalf("%d rows, want 4", tb.NumRows())
	}
	count, ratio, colour, note, when := tb.Cols[0], tb.Cols[1], tb.Cols[2], tb.Cols[3], tb.Cols[4]
	if count.Kind != table.Integer || ratio.Kind != table.Float || colour.Kind != table.Categorical ||
		note.Kind != table.Text || when.Kind != table.Datetime {
		t.Fatalf("kinds %s %s %s %s %s", count.Kind, ratio.Kind, colour.Kind, note.Kind, when.Kind)
	}
	if got := strings.Join(colour.Categories, "|"); got != "red|dark blue|green, light" {
		t.Errorf("categories %q", got)
	}
	type want struct {
		count        any // int64 or nil (missing)
		ratio        any // float64 or nil
		colour, note any // string or nil
		when         any // time or nil
	}
	wants := []want{
		{int64(1), 0.5, "red", "plain", time.Date(2001, 2, 3, 4, 5, 0, 0, time.UTC)},
		{int64(-7), nil, "dark blue", "it's, quoted", nil},
		{nil, 1000.0, "green, light", "?", time.Date(1999, 12, 31, 23, 59, 0, 0, time.UTC)},
		{int64(42), -0.125, nil, "tab\there", time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)},
	}
	for i, w := range wants {
		check(t, count, i, w.count, func() any { return count.Ints[i] })
		check(t, ratio, i, w.ratio, func() any { return ratio.Floats[i] })
		check(t, colour, i, w.colour, func() any { return colour.String(i) })
		check(t, note, i, w.note, func() any { return note.Strs[i] })
		check(t, when, i, w.when, func() any { return time.Unix(0, when.Ints[i]).UTC() })
	}
}

func check(t *testing.T, c *table.Column, i int, want any, got func() any) {
	t.Helper()
	if want == nil {
		if !c.IsNull(i) {
			t.Errorf("%s row %d: %v, want missing", c.Name, i+1, got())
		}
		return
	}
	if c.IsNull(i) {
		t.Errorf("%s row %d: missing, want %v", c.Name, i+1, want)
		return
	}
	g := got()
	if wt, ok := want.(time.Time); ok {
		if !wt.Equal(g.(time.Time)) {
			t.Errorf("%s row %d: %v, want %v", c.Name, i+1, g, want)
		}
		return
	}
	if g != want {
		t.Errorf("%s row %d: %v, want %v", c.Name, i+1, g, want)
	}
}

func TestSparse(t *testing.T) {
	in := "@relation s\n@attribute a numeric\n@attribute b {x, y}\n@attribute c numeric\n@data\n{0 3, 2 'a'}\n{1 y}\n{}\n"
	_, err := Read(strings.NewReader(in), "s.arff")
	if err == nil || !strings.Contains(err.Error(), `line 6, column "c": "a" is not a number`) {
		t.Fatalf("error %v", err)
	}
	in = strings.Replace(in, "'a'", "2.5", 1)
	tb, err := Read(strings.NewReader(in), "s.arff")
	if err != nil {
		t.Fatal(err)
	}
	// Unlisted attributes are 0, or the first nominal value.
	a, b, c := tb.Cols[0], tb.Cols[1], tb.Cols[2]
	if a.Ints[0] != 3 || a.Ints[1] != 0 || b.String(0) != "x" || b.String(1) != "y" || c.Floats[0] != 2.5 || c.Floats[2] != 0 {
		t.Fatalf("a %v b %v c %v", a.Ints, b.Codes, c.Floats)
	}
}

func TestReadErrors(t *testing.T) {
	head := "@relation r\n@attribute n numeric\n@attribute k {a, b}\n@data\n"
	cases := []struct{ name, in, want string }{
		{"empty", "", "empty file"},
		{"no data", "@relation r\n@attribute n numeric\n", "no @data section"},
		{"bad keyword", "@relation r\n@foo\n", `unexpected "@foo"`},
		{"bad type", "@relation r\n@attribute n relational\n@data\n", `line 2, column "n": attribute type "relational"`},
		{"duplicate", "@attribute n numeric\n@attribute n numeric\n", "declared twice"},
		{"not a number", head + "x,a\n", `line 5, column "n": "x" is not a number`},
		{"not declared", head + "1,c\n", `line 5, column "k": "c" is not one of the declared values`},
		{"too few", head + "1\n", "line 5: 1 values, want 2"},
		{"quote", head + "1,'a\n", "line 5: unterminated quote"},
		{"date format", "@attribute d date 'yyyy-QQ'\n", "pattern letter 'Q'"},
		{"bad date", "@attribute d date\n@data\n2001-01-01\n", `line 3, column "d": "2001-01-01" is not a date`},
		{"sparse index", head + "{5 1}\n", "sparse index"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.in), "r.arff")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			var te *table.Error
			if !errors.As(err, &te) || te.File != "r.arff" || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not a one-line *table.Error naming the file", err)
			}
		})
	}
}
