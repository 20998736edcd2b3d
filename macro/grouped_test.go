package macro

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

// groupedDoc is the grouped file of LoadTargets' doc comment and the
// README: 1,000 households of 1–3 persons, 1,900 persons.
const groupedDoc = `groups:
  key: household_id
  index: person_id
  group_size: num_persons
  size: 1000
  variables:
    - {name: num_persons, kind: integer, bins: {points: [1, 2, 3]}}
  marginals:
    - {vars: [num_persons], counts: [300, 500, 200]}
  composition:
    member: age
    cuts: [18]
    cells:
      - {members: [0, 1], count: 300}
      - {members: [0, 2], count: 350}
      - {members: [1, 1], count: 150}
      - {members: [1, 2], count: 200}
members:
  size: 1900
  variables:
    - {name: age, kind: integer, bins: {edges: [0, 18, 65, 100]}}
  marginals:
    - {vars: [age], counts: [350, 1200, 350]}
`

func TestParseGroupedTargets(t *testing.T) {
	tg, err := ParseTargets([]byte(groupedDoc))
	if err != nil {
		t.Fatal(err)
	}
	g := tg.Grouping
	if g == nil || tg.Members == nil || g.Key != "household_id" || g.Index != "person_id" || g.GroupSize != "num_persons" {
		t.Fatalf("grouping %+v", g)
	}
	// 1·300 + 2·500 + 3·200 = 1900 members for 1000 households.
	if got := tg.MembersPerGroup(); math.Abs(got-1.9) > 1e-12 {
		t.Fatalf("members per group %v, want 1.9", got)
	}
	if got := g.Composition.MeanMembers(); math.Abs(got-1.9) > 1e-12 {
		t.Fatalf("composition mean %v, want 1.9", got)
	}
	if tg.Size != 1000 || tg.Members.Size != 1900 || tg.SharesOnly || tg.Members.SharesOnly {
		t.Fatalf("sizes %v / %v", tg.Size, tg.Members.Size)
	}
	keys := tg.Keys()
	if !keys["num_persons"] || !keys["age"] || len(keys) != 2 {
		t.Fatalf("keys %v", keys)
	}
	if len(tg.Levels()) != 2 || tg.Levels()[1] != tg.Members {
		t.Fatal("levels")
	}
	if g.Composition.Key() != "composition(age:18)" || g.Composition.Band(17.9) != 0 || g.Composition.Band(18) != 1 {
		t.Fatalf("composition key %q", g.Composition.Key())
	}
	// The shares form scales to the groups' size.
	sh := strings.NewReplacer("count: 300}", "share: 0.3}", "count: 350}", "share: 0.35}", "count: 150}", "share: 0.15}", "count: 200}", "share: 0.2}").Replace(groupedDoc)
	tg2, err := ParseTargets([]byte(sh))
	if err != nil {
		t.Fatal(err)
	}
	if c := tg2.Grouping.Composition; math.Abs(c.Total-1000) > 1e-9 || math.Abs(c.Cells[1].Count-350) > 1e-9 {
		t.Fatalf("shares: total %v, cell 2 %v", c.Total, c.Cells[1].Count)
	}
}

func TestGroupedTargetsErrors(t *testing.T) {
	r := func(old, new string) string {
		if !strings.Contains(groupedDoc, old) {
			t.Fatalf("the file lacks %q", old)
		}
		return strings.Replace(groupedDoc, old, new, 1)
	}
	cases := []struct{ name, body, want string }{
		{"members only", "members:\n  variables: [{name: a, kind: categorical, categories: [x]}]\n  marginals: [{vars: [a], counts: [1]}]\n",
			"members: given without groups:"},
		{"top-level variables", "variables: [{name: a, kind: categorical, categories: [x]}]\n" + groupedDoc,
			"not at the top level"},
		{"bad value in members", r("counts: [350, 1200, 350]", "counts: [350, -2, 350]"),
			"members: marginal 1 [age]: counts: value 2 of 3 is -2"},
		{"counts off size in groups", r("counts: [300, 500, 200]", "counts: [300, 500, 100]"),
			"groups: marginal 1 [num_persons]: counts sum to 900, not size 1000"},
		{"key on members", r("members:\n  size: 1900", "members:\n  key: x\n  size: 1900"),
			"line 19: members.key: unknown key (valid: size, variables, marginals, joints)"},
		{"variable on both levels", r("    - {name: age, kind: integer, bins: {edges: [0, 18, 65, 100]}}", "    - {name: age, kind: integer, bins: {edges: [0, 18, 65, 100]}}\n    - {name: num_persons, kind: categorical, categories: [x]}\n  joints:\n    - {vars: [num_persons, age], shares: [0.184, 0.632, 0.184]}"),
			`variable "num_persons" is on both levels`},
		{"group size unknown", r("group_size: num_persons", "group_size: nope"),
			`groups: group_size "nope": is not a variable of the groups: level`},
		{"group size on members", r("group_size: num_persons", "group_size: age"),
			`group_size "age": is a member-level variable`},
		{"group size with edges", r("bins: {points: [1, 2, 3]}", "bins: {edges: [1, 2, 3, 4]}"),
			"give its bins as points"},
		{"cut inside a bin", r("cuts: [18]", "cuts: [20]"),
			"groups: composition: cuts: cut 20 falls inside bin [18, 65) of age"},
		{"cuts descend", r("cuts: [18]", "cuts: [65, 18]"),
			"cut 2 (18) is not above cut 1 (65)"},
		{"wrong band count", r("{members: [0, 2], count: 350}", "{members: [0, 2, 0], count: 350}"),
			"composition: cell 2 of 4: 3 member counts, expected 2"},
		{"empty group", r("{members: [0, 2], count: 350}", "{members: [0, 0], count: 350}"),
			"cell 2 of 4: a group has at least one member"},
		{"repeated cell", r("{members: [1, 1], count: 150}", "{members: [0, 1], count: 150}"),
			"cell 3 of 4: members [0 1] repeat cell 1"},
		{"NaN count", r("count: 150}", "count: .nan}"),
			"cell 3 of 4: value is NaN"},
		{"count and share mixed", r("count: 150}", "share: 0.15}"),
			"cell 3 of 4: give every cell a count, or every cell a share"},
		{"composition off size", r("count: 150}", "count: 50}"),
			"cells: counts sum to 900, not the groups' size 1000"},
		{"member not numeric", r("member: age", "member: nope"),
			`member "nope" is not a variable of the members: level`},
		// 150 groups of 3 members move to 2 members: sizes disagree.
		{"composition against group size", r("{members: [1, 2], count: 200}", "{members: [1, 1], count: 200}"),
			"cell 4 of 4: members [1 1] repeat cell 3"},
		{"composition against group size marginal", r("counts: [300, 500, 200]", "counts: [300, 400, 300]"),
			"groups: composition disagrees with num_persons: groups of 2 has share 0.5 in the composition and 0.4 in the marginal"},
		{"composition band against member marginal", r("counts: [350, 1200, 350]", "counts: [550, 1000, 350]"),
			"groups: composition disagrees with the marginal of age: band 1 of 2 has share 0.1842 in the composition and 0.2895 in the marginal"},
		{"group size missing from composition", r("{members: [1, 2], count: 200}", "{members: [2, 2], count: 200}"),
			"num_persons: cell 4 has 4 members, which num_persons has no cell for"},
		{"members per group disagree", strings.Replace(r("  size: 1900", "  size: 2500"), "counts: [350, 1200, 350]", "shares: [0.184, 0.632, 0.184]", 1),
			"groups: the sizes of members: and groups: gives 2.5 members per group but group_size num_persons gives 1.9"},
		{"no way to know the members per group", "groups:\n  variables: [{name: t, kind: categorical, categories: [a, b]}]\n  marginals: [{vars: [t], shares: [0.5, 0.5]}]\n" +
			"members:\n  variables: [{name: s, kind: categorical, categories: [m, f]}]\n  marginals: [{vars: [s], shares: [0.5, 0.5]}]\n",
			"the number of members per group is not stated"},
		{"key is a variable", r("key: household_id", "key: num_persons"),
			`groups: key "num_persons" is also a variable`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTargets([]byte(c.body))
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
		})
	}
}

// householdTable is three hand-counted households: (30, 10), (70) and
// (40, 41, 5), with their tenure and size.
func householdTable() *table.Table {
	t := table.MustNew(
		table.NewInteger("hh", []int64{7, 7, 8, 9, 9, 9}, nil),
		table.NewInteger("size", []int64{2, 2, 1, 3, 3, 3}, nil),
		table.NewCategorical("tenure", []string{"own", "rent"}, []int32{0, 0, 1, 0, 0, 0}),
		table.NewInteger("pid", []int64{1, 2, 1, 1, 2, 3}, nil),
		table.NewInteger("age", []int64{30, 10, 70, 40, 41, 5}, nil),
		table.NewCategorical("sex", []string{"f", "m"}, []int32{0, 1, 0, 1, 0, 1}),
	)
	t.GroupKey = "hh"
	return t
}

func TestControlsFromTable(t *testing.T) {
	spec := ControlSpec{Groups: []string{"size", "tenure"}, Members: []string{"age", "sex"},
		Joints: [][]string{{"age", "sex"}}, Composition: &CompositionSpec{Member: "age", Cuts: []float64{18, 65}},
		Options: SpaceOptions{Bins: 2, Discrete: -1, PointShare: -1}}
	tg, err := ControlsFromTable(householdTable(), spec)
	if err != nil {
		t.Fatal(err)
	}
	g := tg.Grouping
	if g.Key != "hh" || g.Index != "pid" || g.GroupSize != "size" {
		t.Fatalf("grouping %+v", g)
	}
	if tg.Size != 3 || tg.Members.Size != 6 || tg.MembersPerGroup() != 2 {
		t.Fatalf("sizes %v, %v, %v per group", tg.Size, tg.Members.Size, tg.MembersPerGroup())
	}
	// Households by size 1, 2, 3: one each; by tenure: own 2, rent 1.
	if got := tg.Marginal("size").Counts; !slices.Equal(got, []float64{1, 1, 1, 0}) {
		t.Fatalf("size marginal %v", got)
	}
	if got := tg.Marginal("tenure").Counts; !slices.Equal(got, []float64{2, 1, 0}) {
		t.Fatalf("tenure marginal %v", got)
	}
	// Compositions (under 18, 18-64, 65+): (1,1,0), (0,0,1), (1,2,0).
	want := []CompositionCell{{[]int{0, 0, 1}, 1}, {[]int{1, 1, 0}, 1}, {[]int{1, 2, 0}, 1}}
	if c := g.Composition; !slices.EqualFunc(c.Cells, want, func(a, b CompositionCell) bool {
		return slices.Equal(a.Members, b.Members) && a.Count == b.Count
	}) || c.Total != 3 {
		t.Fatalf("composition %+v", c.Cells)
	}
	age := tg.Members.Space.Var("age")
	for _, cut := range []float64{18, 65} {
		if !slices.Contains(age.Bins.Edges, cut) {
			t.Fatalf("age edges %v lack the cut %g", age.Bins.Edges, cut)
		}
	}
	if len(tg.Members.Joints) != 1 || tg.Members.Joints[0].Key() != "age,sex" || len(tg.Joints) != 0 {
		t.Fatal("the joint is not on the member level")
	}
	// The file form reads back as the same targets.
	path := filepath.Join(t.TempDir(), "c.json")
	if err := tg.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadTargets(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range tg.Levels() {
		bl := back.Levels()[i]
		for k, c := range l.Tables() {
			if d := bl.Tables()[k]; c.Key() != d.Key() || !slices.Equal(c.Counts, d.Counts) {
				t.Fatalf("level %d table %s: %v != %v", i, c.Key(), c.Counts, d.Counts)
			}
		}
	}
	if *back.Grouping != *tg.Grouping && back.Grouping.Composition.Key() != tg.Grouping.Composition.Key() {
		t.Fatalf("grouping %+v, want %+v", back.Grouping, tg.Grouping)
	}

	bad := []struct {
		name string
		spec ControlSpec
		want string
	}{
		{"member-level in groups", ControlSpec{Groups: []string{"age"}, Members: []string{"sex"}}, `"age" varies within the group at rows 1-2`},
		{"unknown", ControlSpec{Groups: []string{"size"}, Members: []string{"nope"}}, `members: "nope" is not a column`},
		{"key", ControlSpec{Groups: []string{"hh"}, Members: []string{"sex"}}, `"hh" is the group key or the member index`},
		{"both levels", ControlSpec{Groups: []string{"size"}, Members: []string{"size"}}, `"size" is named on both levels`},
		{"joint across levels", ControlSpec{Groups: []string{"size"}, Members: []string{"sex"}, Joints: [][]string{{"size", "sex"}}}, "joint [size, sex]: its variables are not all on one level"},
		{"categorical member", ControlSpec{Groups: []string{"size"}, Members: []string{"sex"}, Composition: &CompositionSpec{Member: "sex", Cuts: []float64{1}}}, `member "sex" is not a numeric`},
	}
	for _, c := range bad {
		if _, err := ControlsFromTable(householdTable(), c.spec); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// FuzzParseGroupedTargets: a grouped file ParseTargets accepts has levels
// that pass their own checks and agree with each other, and a finite,
// positive number of members per group.
func FuzzParseGroupedTargets(f *testing.F) {
	f.Add([]byte(groupedDoc))
	f.Add([]byte(strings.Replace(groupedDoc, "cuts: [18]", "cuts: [18, 65]", 1)))
	f.Add([]byte("groups:\n  size: 10\n  variables: [{name: t, kind: categorical, categories: [a, b]}]\n  marginals: [{vars: [t], counts: [4, 6]}]\n" +
		"members:\n  size: 25\n  variables: [{name: s, kind: categorical, categories: [m, f]}]\n  joints: [{vars: [s], shares: [0.5, 0.5]}]\n"))
	f.Add([]byte(`{"groups":{"group_size":"n","variables":[{"name":"n","kind":"integer","bins":{"points":[1,2]}}],"marginals":[{"vars":["n"],"shares":[0.5,0.5]}]},"members":{"variables":[{"name":"a","kind":"float","bins":{"edges":[0,1]}}],"marginals":[{"vars":["a"],"counts":[3]}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tg, err := ParseTargets(b)
		if err != nil || tg.Members == nil {
			return
		}
		for _, l := range tg.Levels() {
			for _, c := range l.Tables() {
				for _, x := range c.Counts {
					if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
						t.Fatalf("table %s: count %v", c.Key(), x)
					}
				}
			}
			if err := l.checkAgreement(); err != nil {
				t.Fatalf("accepted, yet: %v", err)
			}
		}
		if err := tg.checkGrouped(); err != nil {
			t.Fatalf("accepted, yet: %v", err)
		}
		if m := tg.MembersPerGroup(); !(m > 0) || math.IsInf(m, 0) {
			t.Fatalf("members per group %v", m)
		}
	})
}
