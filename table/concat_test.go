package table

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestConcat(t *testing.T) {
	a := MustNew(
		NewCategorical("c", []string{"x", "y"}, []int32{0, 1}),
		NewInteger("n", []int64{1, 2}, nil),
		NewFloat("f", []float64{0.5, 1.5}),
	)
	b := MustNew( // other column order, a new category, missing values
		NewFloat("f", []float64{math.NaN()}),
		NewInteger("n", []int64{0}, []bool{true}),
		NewCategorical("c", []string{"z", "x"}, []int32{0}),
	)
	got, err := Concat(a, b, a)
	if err != nil {
		t.Fatal(err)
	}
	want := MustNew(
		NewCategorical("c", []string{"x", "y", "z"}, []int32{0, 1, 2, 0, 1}),
		NewInteger("n", []int64{1, 2, 0, 1, 2}, []bool{false, false, true, false, false}),
		NewFloat("f", []float64{0.5, 1.5, math.NaN(), 0.5, 1.5}),
	)
	if d := Diff(want, got); d != "" {
		t.Error(d)
	}
	if a.Col("c").Dict[0] != "x" || len(a.Col("c").Dict) != 2 {
		t.Error("Concat changed its input")
	}

	tests := []struct {
		name string
		ts   []*Table
		want string
	}{
		{"kind", []*Table{a, MustNew(NewText("c", []string{"x"}, nil), NewInteger("n", []int64{1}, nil), NewFloat("f", []float64{1}))}, `concat: table 2: column "c" is text, table 1 has categorical`},
		{"missing column", []*Table{a, MustNew(NewInteger("n", []int64{1}, nil), NewFloat("f", []float64{1}), NewFloat("g", []float64{1}))}, `concat: table 2: column "c": no such column`},
		{"column count", []*Table{a, MustNew(NewInteger("n", []int64{1}, nil))}, "concat: table 2 has 1 columns, table 1 has 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Concat(tc.ts...)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
	if e, err := Concat(); err != nil || e.NumCols() != 0 {
		t.Errorf("Concat() = %v, %v", e, err)
	}
}

func TestDiff(t *testing.T) {
	base := func() *Table {
		return MustNew(
			NewCategorical("c", []string{"x", "y"}, []int32{0, Missing}),
			NewFloat("f", []float64{0, 1}),
			NewText("s", []string{"a", "b"}, nil),
		)
	}
	tests := []struct {
		name   string
		change func(*Table)
		want   string
	}{
		{"equal", func(*Table) {}, ""},
		{"group key", func(t *Table) { t.GroupKey = "c" }, `group key "" vs "c"`},
		{"dictionary order", func(t *Table) { t.Cols[0].Dict = []string{"y", "x"} }, `column "c": dictionary ["x" "y"] vs ["y" "x"]`},
		{"missing", func(t *Table) { t.Cols[0].Codes[1] = 1; t.Cols[0].Nulls = nil }, `column "c": row 2: missing true vs false`},
		{"negative zero", func(t *Table) { t.Cols[1].Floats[0] = math.Copysign(0, -1) }, `column "f": row 1: "0" vs "-0"`},
		{"text", func(t *Table) { t.Cols[2].Strs[1] = "B" }, `column "s": row 2: "b" vs "B"`},
		{"kind", func(t *Table) { t.Cols[2] = NewCategorical("s", []string{"a", "b"}, []int32{0, 1}) }, `column "s": kind text vs categorical`},
		{"names", func(t *Table) { t.Cols[2].Name = "t" }, `columns ["c" "f" "s"] vs ["c" "f" "t"]`},
		{"rows", func(t *Table) { *t = *t.Head(1) }, "2 rows vs 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := base()
			tc.change(u)
			if got := Diff(base(), u); got != tc.want {
				t.Errorf("Diff = %q, want %q", got, tc.want)
			}
			if base().Equal(u) != (tc.want == "") {
				t.Errorf("Equal disagrees with Diff")
			}
		})
	}
	// Field metadata is not compared.
	u := base()
	u.Cols[1].Description = "other"
	if !base().Equal(u) {
		t.Error("description changes equality")
	}
	if d := Diff(nil, base()); !strings.Contains(d, "nil") {
		t.Errorf("Diff(nil, t) = %q", d)
	}
	if !slices.Equal(base().Names(), []string{"c", "f", "s"}) {
		t.Error("names")
	}
}
