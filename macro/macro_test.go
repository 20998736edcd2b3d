package macro

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

func TestQuantileBins(t *testing.T) {
	// numpy.quantile([1..10], [0, .25, .5, .75, 1]) = 1, 3.25, 5.5, 7.75, 10
	// (linear interpolation at positions p·(n−1)).
	v := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1, math.NaN()}
	got := QuantileBins(v, 4).Edges
	want := []float64{1, 3.25, 5.5, 7.75, 10}
	if !slices.Equal(got, want) {
		t.Fatalf("edges %v, want %v", got, want)
	}
	// Heavy ties merge edges: fewer bins, none empty.
	tied := []float64{0, 0, 0, 0, 0, 0, 0, 0, 1, 2}
	if b := QuantileBins(tied, 4); !slices.Equal(b.Edges, []float64{0, 2}) {
		t.Fatalf("tied edges %v, want [0 2]", b.Edges)
	}
	if b := QuantileBins([]float64{3, 3}, 6); b.Len() != 1 || b.Index(3) != 0 {
		t.Fatalf("constant: %v", b.Edges)
	}
	if b := QuantileBins(nil, 6); b.Len() != 1 {
		t.Fatalf("empty: %v", b.Edges)
	}
}

func TestBinsIndex(t *testing.T) {
	b := Bins{Edges: []float64{0, 10, 20, 30}}
	cases := []struct {
		v    float64
		want int
	}{{-5, 0}, {0, 0}, {9.99, 0}, {10, 1}, {19, 1}, {20, 2}, {30, 2}, {99, 2}, {math.NaN(), -1}}
	for _, c := range cases {
		if got := b.Index(c.v); got != c.want {
			t.Errorf("Index(%v) = %d, want %d", c.v, got, c.want)
		}
	}
	r := b.Refine(1, 4)
	if !slices.Equal(r.Edges, []float64{0, 10, 12.5, 15, 17.5, 20, 30}) {
		t.Fatalf("refine: %v", r.Edges)
	}
	s := b.Split(2)
	if !slices.Equal(s.Edges, []float64{0, 5, 10, 15, 20, 25, 30}) {
		t.Fatalf("split: %v", s.Edges)
	}
	// Sub-bin j of bin i is i·k+j.
	if s.Index(17) != 1*2+1 {
		t.Fatalf("split index %d", s.Index(17))
	}
	if b.Label(0) != "[0, 10)" || b.Label(2) != "[20, 30]" {
		t.Fatalf("labels %q %q", b.Label(0), b.Label(2))
	}
}

func sample(n int, seed uint64) *table.Table {
	r := rand.New(rand.NewPCG(seed, 1))
	g := make([]int32, n)
	c := make([]int32, n)
	x := make([]float64, n)
	for i := range n {
		g[i] = int32(r.IntN(2))
		c[i] = int32(r.IntN(3))
		if r.IntN(20) == 0 {
			c[i] = table.Missing
		}
		x[i] = r.NormFloat64()*10 + float64(c[i])*5
		if r.IntN(30) == 0 {
			x[i] = math.NaN()
		}
	}
	return table.MustNew(
		table.NewCategorical("g", []string{"a", "b"}, g),
		table.NewCategorical("c", []string{"x", "y", "z"}, c),
		table.NewFloat("v", x),
	)
}

func TestIncrementalEqualsRecount(t *testing.T) {
	ref := sample(500, 1)
	s, err := NewSpace(ref, 6)
	if err != nil {
		t.Fatal(err)
	}
	for seed := uint64(0); seed < 20; seed++ {
		data := sample(300, seed+10)
		e, err := s.Encode(data)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 2))
		for _, vars := range [][]string{{"g"}, {"g", "c"}, {"g", "c", "v"}} {
			vs, _ := s.Lookup(vars...)
			inc := NewContingency(vs...)
			for from := 0; from < e.N; {
				to := min(e.N, from+r.IntN(40))
				if err := inc.Add(e, from, to); err != nil {
					t.Fatal(err)
				}
				from = to
			}
			full := NewContingency(vs...)
			// Independent recount: loop over rows with Cell.
			for i := 0; i < e.N; i++ {
				cells := make([]int, len(vs))
				for j, v := range vs {
					cells[j] = int(e.Col(v.Name)[i])
				}
				full.Counts[full.Cell(cells...)]++
				full.Total++
			}
			if !slices.Equal(inc.Counts, full.Counts) || inc.Total != full.Total {
				t.Fatalf("seed %d %v: incremental %v != recount %v", seed, vars, inc.Counts, full.Counts)
			}
		}
	}
}

func TestMissingIsOwnCell(t *testing.T) {
	tb := table.MustNew(table.NewCategorical("c", []string{"x"}, []int32{0, table.Missing, table.Missing}))
	s, _ := NewSpace(tb, 6)
	tg, err := TargetsFromTable(tb, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := tg.Marginal("c")
	if m.Counts[0] != 1 || m.Counts[1] != 2 || m.Vars[0].Label(1) != "missing" {
		t.Fatalf("counts %v", m.Counts)
	}
}

func TestEncodeErrors(t *testing.T) {
	ref := sample(50, 1)
	s, _ := NewSpace(ref, 6)
	other := table.MustNew(
		table.NewCategorical("g", []string{"a", "new"}, []int32{1}),
		table.NewCategorical("c", []string{"x"}, []int32{0}),
		table.NewFloat("v", []float64{1}),
	)
	if _, err := s.Encode(other); err == nil || !strings.Contains(err.Error(), `"new"`) {
		t.Fatalf("unseen category: %v", err)
	}
	// Passing the other table to NewSpace gives the category a cell.
	s2, _ := NewSpace(ref, 6, other)
	if _, err := s2.Encode(other); err != nil {
		t.Fatal(err)
	}
	missing := table.MustNew(table.NewCategorical("g", []string{"a"}, []int32{0}))
	if _, err := s.Encode(missing); err == nil || !strings.Contains(err.Error(), `"c"`) {
		t.Fatalf("absent column: %v", err)
	}
}

func TestGapDeficit(t *testing.T) {
	v := &Var{Name: "g", Kind: table.Categorical, Categories: []string{"a", "b"}}
	tgt, syn := NewContingency(v), NewContingency(v)
	tgt.Counts = []float64{30, 70, 0}
	tgt.Total = 100
	syn.Counts = []float64{5, 5, 0}
	syn.Total = 10
	gap := Gap(tgt, syn)
	if math.Abs(gap[0]-(-0.2)) > 1e-12 || math.Abs(gap[1]-0.2) > 1e-12 {
		t.Fatalf("gap %v", gap)
	}
	d := Deficit(tgt, syn, 20)
	if d[0] != 1 || d[1] != 9 {
		t.Fatalf("deficit %v", d)
	}
	if got := TopPositive([]float64{0.1, -1, 0.3, 0.3, 0}, 2); !slices.Equal(got, []int{2, 3}) {
		t.Fatalf("top %v", got)
	}
	if PositiveMass([]float64{0.1, -1, 0.3}) != 0.4 {
		t.Fatal("mass")
	}
}

func TestOverride(t *testing.T) {
	ref := sample(2000, 3)
	s, _ := NewSpace(ref, 6)
	tg, err := TargetsFromTable(ref, s, [][]string{{"g", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	before := tg.Joints[0].Clone()
	if err := tg.Override("c", "y", 0.5); err != nil {
		t.Fatal(err)
	}
	if got := tg.Marginal("c").Shares()[1]; math.Abs(got-0.5) > 1e-12 {
		t.Fatalf("share %v", got)
	}
	j := tg.Joints[0]
	if got := j.Shares(); math.Abs(got[j.Cell(0, 1)]+got[j.Cell(1, 1)]+got[j.Cell(2, 1)]-0.5) > 1e-12 {
		t.Fatalf("joint share of y %v", got)
	}
	// P(g | c = y) is unchanged.
	p := func(c *Contingency, g int) float64 {
		return c.Counts[c.Cell(g, 1)] / (c.Counts[c.Cell(0, 1)] + c.Counts[c.Cell(1, 1)] + c.Counts[c.Cell(2, 1)])
	}
	if math.Abs(p(before, 0)-p(j, 0)) > 1e-12 {
		t.Fatalf("conditional changed: %v vs %v", p(before, 0), p(j, 0))
	}
	for _, bad := range []struct{ v, c string }{{"c", "nope"}, {"nope", "y"}, {"v", "1"}} {
		if err := tg.Override(bad.v, bad.c, 0.2); err == nil {
			t.Errorf("override %v: no error", bad)
		}
	}
	if err := tg.Override("c", "x", 1.5); err == nil {
		t.Error("share 1.5: no error")
	}
}

func TestTargetsFileRoundTrip(t *testing.T) {
	ref := sample(1000, 4)
	s, _ := NewSpace(ref, 6)
	tg, err := TargetsFromTable(ref, s, [][]string{{"g", "c"}, {"c", "v"}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.json")
	if err := tg.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadTargets(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range tg.Tables() {
		d := back.Tables()[i]
		if c.Key() != d.Key() || !slices.Equal(c.Counts, d.Counts) {
			t.Fatalf("table %s: %v != %v", c.Key(), c.Counts, d.Counts)
		}
	}
	// Fine marginals from aggregates split bins evenly.
	fm := back.FineMarginals["v"]
	if fm == nil || math.Abs(fm.Total-tg.Marginal("v").Total) > 1e-9 {
		t.Fatalf("fine marginal %v", fm)
	}
}

func TestParseTargetsYAML(t *testing.T) {
	y := `
size: 1000
variables:
  - {name: sex, kind: categorical, categories: [M, F]}
  - {name: age, kind: integer, bins: {edges: [0, 18, 65, 99]}}
joints:
  - {vars: [sex, age], shares: [0.1, 0.3, 0.1, 0.1, 0.3, 0.1]}
`
	tg, err := ParseTargets([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	m := tg.Marginal("sex")
	if math.Abs(m.Counts[0]-500) > 1e-9 || math.Abs(m.Counts[1]-500) > 1e-9 {
		t.Fatalf("marginal from joint: %v", m.Counts)
	}
	a := tg.Marginal("age")
	if math.Abs(a.Shares()[1]-0.6) > 1e-12 {
		t.Fatalf("age marginal %v", a.Shares())
	}
	bad := map[string]string{
		"unknown var":  "variables: [{name: a, kind: categorical, categories: [x]}]\nmarginals: [{vars: [b], counts: [1]}]",
		"wrong length": "variables: [{name: a, kind: categorical, categories: [x, y]}]\nmarginals: [{vars: [a], counts: [1, 2, 3, 4]}]",
		"negative":     "variables: [{name: a, kind: categorical, categories: [x]}]\nmarginals: [{vars: [a], counts: [-1]}]",
		"no marginal":  "variables: [{name: a, kind: categorical, categories: [x]}]",
		"bad edges":    "variables: [{name: a, kind: float, bins: {edges: [3, 1]}}]\nmarginals: [{vars: [a], counts: [1]}]",
		"unknown key":  "variables: [{name: a, kind: categorical, categories: [x]}]\nmarginals: [{vars: [a], cnts: [1]}]",
		"bad kind":     "variables: [{name: a, kind: blob}]",
		"both":         "variables: [{name: a, kind: categorical, categories: [x]}]\nmarginals: [{vars: [a], counts: [1], shares: [1]}]",
	}
	for name, y := range bad {
		if _, err := ParseTargets([]byte(y)); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: multi-line error %q", name, err)
		}
	}
	if _, err := LoadTargets(filepath.Join(t.TempDir(), "absent.yaml")); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("absent file: %v", err)
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

func FuzzParseTargets(f *testing.F) {
	f.Add([]byte("variables: [{name: a, kind: categorical, categories: [x, y]}]\nmarginals: [{vars: [a], counts: [1, 2]}]"))
	f.Add([]byte(`{"variables":[{"name":"p","kind":"float","bins":{"edges":[0,1,2]}}],"joints":[{"vars":["p","p"],"shares":[1,0,0,1]}]}`))
	f.Add([]byte("size: -1\nvariables: []"))
	f.Add([]byte("variables: [{name: g, kind: integer, decimals: 0, bins: {points: [0], edges: [100, 5000, 99999]}}]\nmarginals: [{vars: [g], shares: [0.9, 0.05, 0.05, 0]}]"))
	f.Add([]byte("variables: [{name: k, kind: integer, bins: {points: [1, 2, 3]}}]\nmarginals: [{vars: [k], counts: [1, 2, 3]}]"))
	f.Add([]byte("variables: [{name: k, kind: float, bins: {points: [3, 1]}}]\nmarginals: [{vars: [k], counts: [1, 2]}]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tg, err := ParseTargets(b)
		if err != nil {
			return
		}
		for _, c := range tg.Tables() {
			if len(c.Counts) != len(NewContingency(c.Vars...).Counts) {
				t.Fatalf("table %s has %d cells", c.Key(), len(c.Counts))
			}
		}
		for _, v := range tg.Space.Vars {
			if v.Numeric() {
				fm := tg.FineMarginals[v.Name]
				if fm == nil || len(fm.Counts) != v.Fine(tg.Fine).Size() {
					t.Fatalf("variable %s: fine marginal does not match its fine bins", v.Name)
				}
				for c := range v.Levels() {
					lo, hi := v.Bins.Bounds(c)
					if x := (lo + hi) / 2; v.Bins.Index(x) < 0 || v.Bins.Index(x) >= v.Levels() {
						t.Fatalf("variable %s: %g has cell %d of %d", v.Name, x, v.Bins.Index(x), v.Levels())
					}
				}
			}
		}
	})
}

// TestNumericBins checks point masses and discrete variables against
// hand-counted cells.
func TestNumericBins(t *testing.T) {
	// 0 holds 90 %: a point; the rest, 1..10, quantile bins.
	var xs []float64
	for range 90 {
		xs = append(xs, 0)
	}
	for i := 1; i <= 10; i++ {
		xs = append(xs, float64(i))
	}
	b := NumericBins(xs, 2, 0, 0.05)
	if len(b.Points) != 1 || b.Points[0] != 0 || b.Len() != 3 {
		t.Fatalf("bins %+v, want the point 0 and 2 bins", b)
	}
	if b.Index(0) != 0 || b.Index(1) != 1 || b.Index(10) != 2 || b.Label(0) != "0" {
		t.Fatalf("cells of 0, 1, 10: %d %d %d, label %q", b.Index(0), b.Index(1), b.Index(10), b.Label(0))
	}
	// 6 distinct values: discrete, every value a cell, others to the nearest.
	d := NumericBins([]float64{0.25, 0.5, 1.75, 2.5, 3.1, 4.05, 0.5}, 6, 32, 0)
	if d.Len() != 6 || len(d.Edges) != 0 || d.Index(1.75) != 2 || d.Index(1.7) != 2 || d.Index(9) != 5 {
		t.Fatalf("discrete bins %+v: Index(1.75)=%d Index(1.7)=%d", d, d.Index(1.75), d.Index(1.7))
	}
	// Split keeps sub-bin j of cell i at i·k + j.
	f := b.Split(4)
	if f.Len() != 12 || f.Index(0) != 0 || f.Index(10) != 11 || !f.IsPoint(3) || f.IsPoint(4) {
		t.Fatalf("split %+v: Len %d, Index(10) %d", f, f.Len(), f.Index(10))
	}
	if lo, hi := b.Min(), b.Max(); lo != 0 || hi != 10 {
		t.Fatalf("domain [%g, %g], want [0, 10]", lo, hi)
	}
}

// TestStrides: the strides are the row-major ones (3, 4 and 2 categories
// and a missing cell each: a 4 × 5 × 3 table, strides 15, 3, 1), every
// flat index is Σ cell_j · stride_j of its Unravel, and changing the
// copy returned leaves the table's indexing alone.
func TestStrides(t *testing.T) {
	cat := func(name string, n int) *Var {
		v := &Var{Name: name, Kind: table.Categorical}
		for i := range n {
			v.Categories = append(v.Categories, fmt.Sprint(i))
		}
		return v
	}
	c := NewContingency(cat("a", 3), cat("b", 4), cat("c", 2))
	st := c.Strides()
	if !slices.Equal(c.Shape, []int{4, 5, 3}) || !slices.Equal(st, []int{15, 3, 1}) {
		t.Fatalf("shape %v, strides %v; want [4 5 3], [15 3 1]", c.Shape, st)
	}
	for k := range c.Counts {
		sum := 0
		for j, x := range c.Unravel(k) {
			sum += x * st[j]
		}
		if sum != k {
			t.Errorf("cell %d: Σ cell·stride = %d", k, sum)
		}
	}
	st[0] = 0
	if c.Cell(1, 0, 0) != 15 {
		t.Errorf("the returned strides alias the table's")
	}
}
