package rules

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

// people is a grouped table of 3 households (ids 1, 2, 3) written by hand.
func people() *table.Table {
	hid := []int64{1, 1, 1, 2, 2, 3, 3, 3, 3}
	age := []int64{40, 38, 4, 70, 68, 30, 3, 10, 12}
	inc := []float64{50000, 30000, 0, 20000, 10000, 40000, 0, 0, 0}
	edu := []int32{3, 4, 0, 2, 2, 3, 1, 1, 2} // row 6: age 3 in Elementary
	htype := []int32{0, 0, 0, 0, 0, 2, 2, 2, 2}
	t := table.MustNew(
		table.NewInteger("household_id", hid, nil),
		table.NewCategorical("householder_type", []string{"Couple", "Single Male", "Single Female"}, htype),
		table.NewInteger("age", age, nil),
		table.NewCategorical("education", []string{"Preschool", "Elementary", "High School", "Bachelor", "Master"}, edu),
		table.NewFloat("income", inc),
	)
	t.GroupKey = "household_id"
	return t
}

func TestCheckCountsByHand(t *testing.T) {
	src := `
# a child under 5 is in preschool
preschool: when age < 5 then education == "Preschool"
adults: count(age >= 18) >= 2 when householder_type == "Couple"
rich [household]: householder_type != "Single Female"
earners: sum(income) > 0
`
	s, err := Parse("test.rules", src)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Lookup("preschool"); d.Doc != "a child under 5 is in preschool" || d.Group {
		t.Errorf("preschool: doc %q group %v", d.Doc, d.Group)
	}
	rep, err := s.Check(context.Background(), people(), "")
	if err != nil {
		t.Fatal(err)
	}
	// By hand: preschool fails on row 6 only (age 3, Elementary); adults
	// holds for both couples, household 3 is not a couple; rich fails on
	// household 3; earners holds everywhere (household 3 earns 40000).
	want := map[string][2]int{"preschool": {9, 1}, "adults": {3, 0}, "rich": {3, 1}, "earners": {3, 0}}
	for _, r := range rep.Results {
		if w := want[r.Def.Name]; r.Checked != w[0] || r.Violations != w[1] {
			t.Errorf("%s: checked %d violations %d, want %v", r.Def.Name, r.Checked, r.Violations, w)
		}
	}
	if rep.Rows != 9 || rep.Groups != 3 || rep.BadRows != 1 || rep.BadGroups != 1 {
		t.Errorf("report %+v", rep)
	}
	if g := rep.GroupRejection(); math.Abs(g-1.0/3) > 1e-12 {
		t.Errorf("group rejection %g", g)
	}
}

func TestValueByHand(t *testing.T) {
	tests := []struct {
		expr string
		want float64
		ok   bool
	}{
		{"count()", 3, true},
		{"share(count(age < 18) > 0)", 2.0 / 3, true},
		{"median(sum(income))", 40000, true}, // 80000, 30000, 40000
		{"mean(sum(income) / count() where householder_type == \"Couple\")", (80000.0/3 + 15000) / 2, true},
		{"median(mean(age))", 27.333333333333332, true}, // 27.33, 69, 13.75
		{"sum(count(age >= 65))", 2, true},
		{"max(max(age)) - min(min(age))", 67, true},
		{"mean(sum(income) where householder_type == \"Single Male\")", math.NaN(), false},
		{"share(distinct(education) > 2)", 2.0 / 3, true},
		{"count(all(age >= 18))", 1, true},
		{"count(any(education in (\"Master\", \"Bachelor\")))", 2, true},
		{"count(abs(0 - min(age)) < 4)", 1, true},
		{"1 / 0", math.NaN(), false},
	}
	for _, tt := range tests {
		d, err := ParseDef("q", tt.expr)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		v, ok, err := d.Value(context.Background(), people(), "")
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if ok != tt.ok || ok && math.Abs(v-tt.want) > 1e-9 {
			t.Errorf("%s = %v (ok %v), want %v (ok %v)", tt.expr, v, ok, tt.want, tt.ok)
		}
	}
}

func TestValueUngrouped(t *testing.T) {
	tb := people()
	tb.GroupKey = ""
	d, err := ParseDef("q", "mean(age where income > 0)")
	if err != nil {
		t.Fatal(err)
	}
	v, ok, err := d.Value(context.Background(), tb, "")
	if err != nil || !ok || math.Abs(v-(40+38+70+68+30)/5.0) > 1e-12 {
		t.Errorf("got %v %v %v", v, ok, err)
	}
}

func TestMissingValues(t *testing.T) {
	tb := table.MustNew(
		table.NewInteger("age", []int64{3, 0, 40}, []bool{false, true, false}),
		table.NewText("edu", []string{"Elementary", "Elementary", ""}, []bool{false, false, true}),
		table.NewCategorical("cat", []string{"Elementary", "Bachelor"}, []int32{0, 1, table.Missing}),
	)
	tests := []struct {
		rule string
		bad  int
	}{
		{`when age < 5 then edu == "Preschool"`, 1}, // the missing age is not under 5
		{`age >= 0`, 1}, // a missing age fails
		{`not (age >= 0)`, 2},
		{`edu in ("Elementary")`, 1},
		{`edu not in ("Bachelor")`, 1}, // a missing value is in no list, and not out of one either
		{`missing(edu) or edu != ""`, 0},
		{`isint(age)`, 1},
		{`cat in ("Elementary")`, 2}, // categorical columns take a lookup by code
		{`cat not in ("Elementary")`, 2},
		{`cat in ("Elementary", "Bachelor", "Master")`, 1},
		{`not (cat in ("Bachelor"))`, 1},
	}
	for _, tt := range tests {
		d, err := ParseDef("r", tt.rule)
		if err != nil {
			t.Fatalf("%s: %v", tt.rule, err)
		}
		rep, err := (&Set{Defs: []*Def{d}}).Check(context.Background(), tb, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Results[0].Violations; got != tt.bad {
			t.Errorf("%s: %d violations, want %d", tt.rule, got, tt.bad)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"r1: age <", `f.rules:1:10: rule "r1": expected a value, found end of rule`},
		{"r1: age = 5", `f.rules:1:9: rule "r1": use == to compare`},
		{"ok: age < 5\nr2: when age < 5 education", `f.rules:2:18: rule "r2": expected "then", found column "education"`},
		{"r3: age < 5\n    and educaton == ?", `f.rules:2:21: rule "r3": unexpected character '?'`},
		{"r4: coutn(age)", `f.rules:1:5: rule "r4": unknown function "coutn"`},
		{"r5: 1 < 2 < 3", `f.rules:1:11: rule "r5": comparisons do not chain: use and`},
		{"r6: sum(age, income)", `f.rules:1:5: rule "r6": sum takes one argument`},
		{"r7: \"open", `f.rules:1:5: rule "r7": unterminated string`},
		{"r8 age < 5", `f.rules:1:1: expected "name: expression"`},
		{"a b: x", `f.rules:1:1: bad name "a b"`},
		{"r: x\nr: y", `f.rules:2:1: rule "r": defined twice`},
		{"r9:   ", `f.rules:1:4: rule "r9": empty expression`},
		{"  x > 1", `f.rules:1:1: indented line continues no definition`},
		{"r10: isint(age where age > 1)", `f.rules:1:16: rule "r10": isint takes no where clause`},
	}
	for _, tt := range tests {
		_, err := Parse("f.rules", tt.src)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want prefix %s", tt.src, err, tt.want)
		}
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"r1: educaton == \"Master\"", `f.rules:1:5: rule "r1": no column "educaton" in the table`},
		{"r2: count(sum(age) > 1) > 0", `f.rules:1:11: rule "r2": sum aggregates over members`},
	}
	for _, tt := range tests {
		s, err := Parse("f.rules", tt.src)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Check(context.Background(), people(), "")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want prefix %s", tt.src, err, tt.want)
		}
	}
	d, _ := ParseDef("q", "age > 3")
	if _, _, err := d.Value(context.Background(), people(), ""); err == nil || !strings.Contains(err.Error(), `column "age" is read at table level`) {
		t.Errorf("bare column in a query: %v", err)
	}
	tb := people()
	tb.GroupKey = ""
	d, _ = ParseDef("g", "count() == 2")
	if _, err := (&Set{Defs: []*Def{d}}).Check(context.Background(), tb, ""); err == nil || !strings.Contains(err.Error(), "needs a grouped table") {
		t.Errorf("group rule on an ungrouped table: %v", err)
	}
}

func TestPaperFilesParse(t *testing.T) {
	want := map[string]int{"population.rules": 10, "ecommerce.rules": 3, "population.queries": 16}
	for _, name := range PaperNames() {
		s, err := Paper(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Defs) != want[name] {
			t.Errorf("%s: %d definitions, want %d", name, len(s.Defs), want[name])
		}
		for _, d := range s.Defs {
			if d.Doc == "" {
				t.Errorf("%s: %s has no doc comment", name, d.Name)
			}
		}
	}
	if _, err := Paper("nope"); err == nil {
		t.Error("unknown paper file accepted")
	}
}

func TestCheckCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := Parse("", "r: age >= 0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Check(ctx, people(), ""); err != context.Canceled {
		t.Error("cancelled check returned no error")
	}
}
