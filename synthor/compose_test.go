package synthor

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/synthor/synthor/table"
)

// plantedHouseholds returns n households with a planted composition:
// a share childShare of them hold exactly one child (age 1-12, education
// "School") and 1-3 adults, the others 2-4 adults (age 25-60, education
// "Degree" or "None"); every household's members share one of three
// regions. tenure is Owned for households with a child (then 3 in 4) and
// Rented otherwise (3 in 4), so the composition depends on a household
// variable too.
func plantedHouseholds(n int, childShare float64, seed uint64) *table.Table {
	r := rand.New(rand.NewPCG(seed, 7))
	var hid, size, age []int64
	var tenure, region, edu []int32
	for h := range n {
		child := r.Float64() < childShare
		adults := 2 + r.IntN(3)
		if child {
			adults = 1 + r.IntN(3)
		}
		k := adults
		if child {
			k++
		}
		owned := r.Float64() < 0.25
		if child {
			owned = !owned
		}
		ten := int32(1)
		if owned {
			ten = 0
		}
		reg := int32(r.IntN(3))
		for j := range k {
			hid = append(hid, int64(h+1))
			size = append(size, int64(k))
			tenure = append(tenure, ten)
			region = append(region, reg)
			if child && j == k-1 {
				age = append(age, int64(1+r.IntN(12)))
				edu = append(edu, 0)
				continue
			}
			age = append(age, int64(25+r.IntN(36)))
			edu = append(edu, int32(1+r.IntN(2)))
		}
	}
	group := func(c *table.Column) *table.Column { c.Group = true; return c }
	t := table.MustNew(
		table.NewInteger("hid", hid, nil),
		group(table.NewInteger("size", size, nil)),
		group(table.NewCategorical("tenure", []string{"Owned", "Rented"}, tenure)),
		table.NewInteger("age", age, nil),
		table.NewCategorical("region", []string{"North", "South", "West"}, region),
		table.NewCategorical("education", []string{"School", "Degree", "None"}, edu),
	)
	t.GroupKey = "hid"
	return t
}

// householdStats counts the output's households by children, and those
// whose members do not share one region, and the members whose education
// disagrees with their age (School exactly under 18).
func householdStats(t *testing.T, out *table.Table) (byChildren map[int]int, mixedRegion, badEdu int) {
	t.Helper()
	groups, err := out.Groups()
	if err != nil {
		t.Fatal(err)
	}
	age, reg, edu := out.Col("age"), out.Col("region"), out.Col("education")
	byChildren = map[int]int{}
	for _, g := range groups {
		kids := 0
		for i := g[0]; i < g[1]; i++ {
			if age.Ints[i] < 18 {
				kids++
			}
			if (age.Ints[i] < 18) != (edu.Dict[edu.Codes[i]] == "School") {
				badEdu++
			}
			if reg.Codes[i] != reg.Codes[g[0]] {
				mixedRegion++
				break
			}
		}
		byChildren[kids]++
	}
	return byChildren, mixedRegion, badEdu
}

// A planted composition (no household with more than one child, 40% with
// exactly one, one region per household) is kept; with the derived
// variables off, members are independent draws and it is not, which shows
// the check can fail.
func TestPlantedCompositionKept(t *testing.T) {
	const n, share = 1500, 0.4
	ref := plantedHouseholds(n, share, 1)
	for _, tc := range []struct {
		mode string
		kept bool
	}{{CompositionAuto, true}, {CompositionNone, false}} {
		cfg := DefaultConfig
		cfg.Composition = tc.mode
		_, out := fitSample(t, cfg, nil, ref, n, 2)
		by, mixed, badEdu := householdStats(t, out)
		// Binomial sampling noise of the share with one child: sd ≈ 0.013.
		one := float64(by[1]) / n
		kept := by[0]+by[1] == n && math.Abs(one-share) < 0.04 && mixed == 0 && badEdu == 0
		t.Logf("composition=%q: households by children %v, one-child share %.3f, mixed regions %d, education off age %d",
			tc.mode, by, one, mixed, badEdu)
		if kept != tc.kept {
			t.Errorf("composition=%q: planted composition kept = %v, want %v", tc.mode, kept, tc.kept)
		}
	}
}

// The derived variables' definitions, by hand.
func TestDerivedVariables(t *testing.T) {
	ref := plantedHouseholds(400, 0.5, 3)
	groups, err := ref.Groups()
	if err != nil {
		t.Fatal(err)
	}
	member := func(f table.Field) bool { return !f.Group && f.Name != "hid" }
	cols, d := deriveGroupVars(ref, groups, member, CompositionAuto)
	if d == nil || d.Composition != compositionVar || d.Member != "age" || len(cols) != 2 {
		t.Fatalf("derived %+v, %d columns; want the composition of age and region_shared", d, len(cols))
	}
	// region is shared by every household (share 1 against Σ p^n ≈ 0.1):
	// derived; education never is (children's School differs from adults').
	if d.Shared["region_shared"] != "region" || len(d.Shared) != 1 {
		t.Errorf("shared %v, want region_shared only", d.Shared)
	}
	for _, tc := range []struct {
		counts []int
		label  string
	}{
		{[]int{1, 2, 0}, "age<18: 1, age 18-64: 2, age>=65: 0"},
		{[]int{0, 0, 3}, "age<18: 0, age 18-64: 0, age>=65: 3"},
	} {
		if got := d.label(tc.counts); got != tc.label {
			t.Errorf("label(%v) = %q, want %q", tc.counts, got, tc.label)
		}
		if back, ok := d.counts(tc.label); !ok || len(back) != 3 || back[0] != tc.counts[0] || back[1] != tc.counts[1] || back[2] != tc.counts[2] {
			t.Errorf("counts(%q) = %v, %v", tc.label, back, ok)
		}
	}
	if _, ok := d.counts("age<18: 1, age 18-64: x, age>=65: 0"); ok {
		t.Error("a malformed composition parsed")
	}
	for _, tc := range []struct {
		x    float64
		band int
	}{{0, 0}, {17, 0}, {18, 1}, {64, 1}, {65, 2}, {99, 2}} {
		if b := d.band(tc.x); b != tc.band {
			t.Errorf("band(%g) = %d, want %d", tc.x, b, tc.band)
		}
	}
	if cols, d := deriveGroupVars(ref, groups, member, CompositionNone); cols != nil || d != nil {
		t.Error("composition=none derived variables")
	}
}

func TestClipBand(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		in     [2]float64
		lo, hi float64
		want   [2]float64
	}{
		{[2]float64{10, 29}, math.Inf(-1), 18, [2]float64{10, 17}},
		{[2]float64{18, 29}, math.Inf(-1), 18, [2]float64{17, 17}},
		{[2]float64{60, 70}, 65, inf, [2]float64{65, 70}},
		{[2]float64{20, 30}, 18, 65, [2]float64{20, 30}},
	} {
		got := clipBand(Range(tc.in[0], tc.in[1]), table.Integer, tc.lo, tc.hi)
		if *got.Range != tc.want {
			t.Errorf("clipBand(%v, [%g, %g)) = %v, want %v", tc.in, tc.lo, tc.hi, *got.Range, tc.want)
		}
	}
}

// A derived value a planner gets wrong does not reject the proposal: it is
// recomputed from the members drawn.
func TestDerivedRecountedFromMembers(t *testing.T) {
	ref := plantedHouseholds(300, 0.5, 4)
	s, err := New(DefaultConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(context.Background(), ref); err != nil {
		t.Fatal(err)
	}
	r := s.newRun(1, 1)
	r.recVal.d = newDeficits(r.st.Records)
	r.memVal.d = newDeficits(r.st.Members)
	p := Proposal{Num: 1, Values: map[string]Value{"tenure": Cat("Owned"), compositionVar: Cat("three children"),
		"region_shared": Cat("West")}, Members: []Proposal{
		{Values: map[string]Value{"age": Range(40, 40), "region": Cat("North"), "education": Cat("Degree")}},
		{Values: map[string]Value{"age": Range(5, 5), "region": Cat("South"), "education": Cat("School")}},
	}}
	vals, members, ok := r.repair(p, Repairs{})
	if !ok {
		t.Fatal("proposal rejected")
	}
	r.draw(vals, members, 1)
	// No planted household mixes regions, so "mixed" is no category of
	// region_shared: such a household counts in its missing cell.
	for name, want := range map[string]string{compositionVar: "age<18: 1, age 18-64: 1, age>=65: 0", "region_shared": "missing"} {
		i := varIndex(r.st.Records.Vars, name)
		if got := r.st.Records.Vars[i].Label(int(r.recS.cells[i][0])); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
