package datasets

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

const popHouseholds = 20_000

func TestPopulationValid(t *testing.T) {
	tb := Population(popHouseholds, 3)
	res, err := CheckPopulation(tb)
	if err != nil {
		t.Fatal(err)
	}
	if res.Households != popHouseholds || res.Persons != tb.NumRows() {
		t.Errorf("checked %d households, %d persons; want %d, %d", res.Households, res.Persons, popHouseholds, tb.NumRows())
	}
	if res.BadHouseholds != 0 || res.BadPersons != 0 {
		t.Errorf("%d bad households, %d bad persons, want 0: %+v", res.BadHouseholds, res.BadPersons, res.Rules)
	}
	if tb.GroupKey != "household_id" {
		t.Errorf("GroupKey = %q", tb.GroupKey)
	}
	groups, err := tb.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != popHouseholds {
		t.Errorf("%d contiguous groups, want %d", len(groups), popHouseholds)
	}
	for _, name := range []string{"num_persons", "housing_tenure", "householder_type", "num_vehicles"} {
		if !col(t, tb, name).Group {
			t.Errorf("%s: Field.Group not set", name)
		}
	}
	for _, name := range []string{"household_id", "person_id", "age", "race", "education", "employment", "income"} {
		if col(t, tb, name).Group {
			t.Errorf("%s: Field.Group set on a person-level column", name)
		}
	}
}

// person is one row of a population table, read back by the tests.
type person struct {
	hid, size, vehicles, pid, age, income int
	tenure, htype, race, edu, emp         string
}

func readPersons(t *testing.T, tb *table.Table) []person {
	t.Helper()
	num := func(name string, i int) int { return int(col(t, tb, name).Float(i)) }
	str := func(name string, i int) string { return col(t, tb, name).String(i) }
	out := make([]person, tb.NumRows())
	for i := range out {
		out[i] = person{
			hid: num("household_id", i), size: num("num_persons", i), vehicles: num("num_vehicles", i),
			pid: num("person_id", i), age: num("age", i), income: num("income", i),
			tenure: str("housing_tenure", i), htype: str("householder_type", i), race: str("race", i),
			edu: str("education", i), emp: str("employment", i),
		}
	}
	return out
}

func TestPopulationShares(t *testing.T) {
	ps := readPersons(t, Population(popHouseholds, 5))
	var households [][]person
	for i, p := range ps {
		if i == 0 || p.hid != ps[i-1].hid {
			households = append(households, nil)
		}
		households[len(households)-1] = append(households[len(households)-1], p)
	}

	hh := newCondShares()
	vehicles := newCondShares()
	tenure := newCondShares()
	sameRace := newCondShares()
	spouseOK := 0
	couples := 0
	for _, h := range households {
		head := h[0]
		if head.pid != 1 {
			t.Fatalf("household %d starts with person %d", head.hid, head.pid)
		}
		hh.add("size", strconv.Itoa(head.size))
		hh.add("type", head.htype)
		hh.add("race", head.race)
		band := "65-90"
		switch {
		case head.age <= 29:
			band = "18-29"
		case head.age <= 44:
			band = "30-44"
		case head.age <= 64:
			band = "45-64"
		}
		hh.add("age band", band)
		total := 0
		for _, p := range h {
			total += p.income
		}
		b := "high"
		switch {
		case total < 40000:
			b = "low"
		case total < 100000:
			b = "mid"
		}
		vehicles.add(b, strconv.Itoa(head.vehicles))
		tenure.add(b, head.tenure)
		for _, p := range h[1:] {
			if head.race != "Combined" {
				sameRace.add("member", strconv.FormatBool(p.race == head.race))
			}
		}
		if head.htype == "Couple" {
			couples++
			if d := h[1].age - head.age; (d >= -5 && d <= 5 || h[1].age == 18) && h[1].age >= 18 {
				spouseOK++
			}
		}
	}
	const floor = 0.01
	checkSharesSE(t, "household", hh, map[string]map[string]float64{
		"size":     {"2": 0.40, "3": 0.25, "4": 0.22, "5": 0.13},
		"type":     {"Couple": 0.62, "Single Male": 0.10, "Single Female": 0.28},
		"race":     {"White": 0.64, "Black": 0.26, "Indian": 0.01, "Asian": 0.03, "Combined": 0.06},
		"age band": {"18-29": 0.12, "30-44": 0.35, "45-64": 0.35, "65-90": 0.18},
	}, floor)
	checkSharesSE(t, "same race as householder", sameRace, map[string]map[string]float64{
		"member": {"true": 0.9, "false": 0.1},
	}, floor)
	veh := func(ps ...float64) map[string]float64 {
		m := map[string]float64{}
		for k, p := range ps {
			if p > 0 {
				m[strconv.Itoa(k)] = p
			}
		}
		return m
	}
	checkSharesSE(t, "vehicles", vehicles, map[string]map[string]float64{
		"low":  veh(0.22, 0.48, 0.22, 0.06, 0.02),
		"mid":  veh(0.05, 0.30, 0.45, 0.14, 0.05, 0.01),
		"high": veh(0.02, 0.13, 0.45, 0.25, 0.10, 0.04, 0.01),
	}, floor)
	checkSharesSE(t, "tenure", tenure, map[string]map[string]float64{
		"low":  {"Owned": 0.45, "Rented": 0.55},
		"mid":  {"Owned": 0.68, "Rented": 0.32},
		"high": {"Owned": 0.85, "Rented": 0.15},
	}, floor)
	if spouseOK != couples {
		t.Errorf("%d of %d couples have a spouse aged outside householder ± 5 (or under 18)", couples-spouseOK, couples)
	}

	edu := newCondShares()
	emp := newCondShares()
	zero := newCondShares()
	logInc := map[string][]float64{}
	for _, p := range ps {
		switch {
		case p.age < 5:
			edu.add("age 0-4", p.edu)
		case p.age < 14:
			edu.add("age 5-13", p.edu)
		case p.age < 18:
			edu.add("age 14-17", p.edu)
		default:
			edu.add("adult", p.edu)
		}
		switch {
		case p.age < 16:
			emp.add("age < 16", p.emp)
		case p.age < 18:
			emp.add("age 16-17", p.emp)
		case p.age >= 65:
			emp.add("age 65+", p.emp)
		default:
			emp.add(p.edu, p.emp)
		}
		if p.emp == "Unemployed" {
			zero.add("unemployed", strconv.FormatBool(p.income == 0))
		}
		if p.emp == "Under 16" && p.income != 0 {
			t.Errorf("household %d person %d: under 16 with income %d", p.hid, p.pid, p.income)
		}
		if p.emp == "Employed" && p.age >= 18 {
			logInc[p.edu] = append(logInc[p.edu], math.Log(float64(p.income)))
		}
	}
	checkSharesSE(t, "education", edu, map[string]map[string]float64{
		"age 0-4":   {"Preschool": 1},
		"age 5-13":  {"Elementary": 1},
		"age 14-17": {"High School": 1},
		"adult":     {"Elementary": 0.05, "High School": 0.50, "Bachelor": 0.28, "Master": 0.12, "Doctorate": 0.05},
	}, floor)
	work := func(e, u, m float64) map[string]float64 {
		out := map[string]float64{"Employed": e, "Unemployed": u}
		if m > 0 {
			out["Military"] = m
		}
		return out
	}
	checkSharesSE(t, "employment", emp, map[string]map[string]float64{
		"age < 16":    {"Under 16": 1},
		"age 16-17":   work(0.30, 0.70, 0),
		"age 65+":     work(0.20, 0.80, 0),
		"Elementary":  work(0.72, 0.25, 0.03),
		"High School": work(0.72, 0.25, 0.03),
		"Bachelor":    work(0.84, 0.14, 0.02),
		"Master":      work(0.90, 0.09, 0.01),
		"Doctorate":   work(0.90, 0.09, 0.01),
	}, floor)
	checkSharesSE(t, "zero income", zero, map[string]map[string]float64{
		"unemployed": {"true": 0.55, "false": 0.45},
	}, floor)
	for e, median := range map[string]float64{"Elementary": 22000, "High School": 34000, "Bachelor": 58000, "Master": 72000, "Doctorate": 90000} {
		t.Run("income "+e, func(t *testing.T) {
			xs := logInc[e]
			slices.Sort(xs)
			got := xs[len(xs)/2]
			// Standard error of a normal sample median: sqrt(pi/2)*sigma/sqrt(n).
			tol := 4 * math.Sqrt(math.Pi/2) * 0.55 / math.Sqrt(float64(len(xs)))
			if math.Abs(got-math.Log(median)) > tol {
				t.Errorf("median income = %.0f over %d persons, want %.0f (log tolerance %.3f)", math.Exp(got), len(xs), median, tol)
			}
		})
	}
}

func TestPopulationDeterministic(t *testing.T) {
	a := dump(Population(300, 1))
	if !bytes.Equal(a, dump(Population(300, 1))) {
		t.Error("same seed gave different tables")
	}
	if bytes.Equal(a, dump(Population(300, 2))) {
		t.Error("seeds 1 and 2 gave the same table")
	}
}

// hand is a hand-made person row for CheckPopulation tests.
type hand struct {
	hid, size              string
	tenure, htype          string
	vehicles, age          string
	race, edu, emp, income string
}

// handTable builds a population table of text columns from rows, so that any
// value, valid or not, can be written.
func handTable(rows []hand) *table.Table {
	get := []func(h hand) string{
		func(h hand) string { return h.hid }, func(h hand) string { return h.size },
		func(h hand) string { return h.tenure }, func(h hand) string { return h.htype },
		func(h hand) string { return h.vehicles }, func(h hand) string { return h.age },
		func(h hand) string { return h.race }, func(h hand) string { return h.edu },
		func(h hand) string { return h.emp }, func(h hand) string { return h.income },
	}
	var cols []*table.Column
	for k, name := range populationColumns {
		v := make([]string, len(rows))
		nulls := make([]bool, len(rows))
		for i, r := range rows {
			v[i] = get[k](r)
			nulls[i] = v[i] == "NA"
			if nulls[i] {
				v[i] = ""
			}
		}
		cols = append(cols, table.NewText(name, v, nulls))
	}
	return table.MustNew(cols...)
}

// goodHousehold is a valid Couple household of 3 with id.
func goodHousehold(id string) []hand {
	return []hand{
		{id, "3", "Owned", "Couple", "2", "40", "White", "Bachelor", "Employed", "55000"},
		{id, "3", "Owned", "Couple", "2", "38", "White", "Master", "Employed", "70000"},
		{id, "3", "Owned", "Couple", "2", "4", "White", "Preschool", "Under 16", "0"},
	}
}

func TestCheckPopulationFindsViolations(t *testing.T) {
	tests := []struct {
		name   string
		rule   string
		mutate func(h []hand) []hand
	}{
		{"age above 99", "age-range", func(h []hand) []hand { h[2].age = "120"; return h }},
		{"negative age", "age-range", func(h []hand) []hand { h[2].age = "-1"; return h }},
		{"fractional age", "age-range", func(h []hand) []hand { h[2].age = "4.5"; return h }},
		{"missing age", "age-range", func(h []hand) []hand { h[2].age = "NA"; return h }},
		{"unknown race", "person-categories", func(h []hand) []hand { h[1].race = "Martian"; return h }},
		{"missing education", "person-categories", func(h []hand) []hand { h[1].edu = "NA"; return h }},
		{"unknown employment", "person-categories", func(h []hand) []hand { h[1].emp = "Retired"; return h }},
		{"child of 4 in elementary", "preschool", func(h []hand) []hand { h[2].edu = "Elementary"; return h }},
		{"teen with a bachelor", "school-education", func(h []hand) []hand {
			h[2].age, h[2].edu, h[2].emp = "17", "Bachelor", "Employed"
			return h
		}},
		{"negative income", "income", func(h []hand) []hand { h[0].income = "-5"; return h }},
		{"missing income", "income", func(h []hand) []hand { h[0].income = "NA"; return h }},
		{"employed at 15", "under-16", func(h []hand) []hand {
			h[2].age, h[2].edu, h[2].emp = "15", "High School", "Employed"
			return h
		}},
		{"under 16 at 30", "under-16", func(h []hand) []hand { h[1].age, h[1].emp = "30", "Under 16"; return h }},
		{"seven vehicles", "household-values", func(h []hand) []hand {
			for i := range h {
				h[i].vehicles = "7"
			}
			return h
		}},
		{"unknown tenure", "household-values", func(h []hand) []hand {
			for i := range h {
				h[i].tenure = "Squatted"
			}
			return h
		}},
		{"too few members", "person-count", func(h []hand) []hand { return h[:2] }},
		{"too many members", "person-count", func(h []hand) []hand { return append(h, h[2]) }},
		{"couple with one adult", "couple-adults", func(h []hand) []hand {
			h[1].age, h[1].edu, h[1].emp, h[1].income = "10", "Elementary", "Under 16", "0"
			return h
		}},
		{"tenure differs between members", "household-constant", func(h []hand) []hand { h[2].tenure = "Rented"; return h }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := append(goodHousehold("1"), tt.mutate(goodHousehold("2"))...)
			rows = append(rows, goodHousehold("3")...)
			res, err := CheckPopulation(handTable(rows))
			if err != nil {
				t.Fatal(err)
			}
			if res.Households != 3 {
				t.Errorf("Households = %d, want 3", res.Households)
			}
			if res.BadHouseholds != 1 {
				t.Errorf("BadHouseholds = %d, want 1", res.BadHouseholds)
			}
			for _, r := range res.Rules {
				want := 0
				if r.Name == tt.rule {
					want = 1
				}
				if r.Violations != want {
					t.Errorf("rule %s: %d violations, want %d", r.Name, r.Violations, want)
				}
			}
			wantPersons := 0
			if !slices.ContainsFunc(PopulationRules, func(r PopulationRule) bool { return r.Name == tt.rule && r.Household }) {
				wantPersons = 1
			}
			if res.BadPersons != wantPersons {
				t.Errorf("BadPersons = %d, want %d", res.BadPersons, wantPersons)
			}
		})
	}
}

func TestCheckPopulationGood(t *testing.T) {
	var rows []hand
	for k := 1; k <= 4; k++ {
		rows = append(rows, goodHousehold(fmt.Sprint(k))...)
	}
	res, err := CheckPopulation(handTable(rows))
	if err != nil {
		t.Fatal(err)
	}
	if res.Households != 4 || res.Persons != 12 || res.BadHouseholds != 0 || res.BadPersons != 0 {
		t.Errorf("got %+v, want 4 households, 12 persons, none bad", res)
	}
	if res.HouseholdRejection() != 0 || res.PersonRejection() != 0 {
		t.Errorf("rejection rates %g, %g, want 0", res.HouseholdRejection(), res.PersonRejection())
	}
}

func TestCheckPopulationMissingColumn(t *testing.T) {
	tb := Population(5, 1)
	tb = table.MustNew(slices.DeleteFunc(slices.Clone(tb.Cols), func(c *table.Column) bool { return c.Name == "income" })...)
	_, err := CheckPopulation(tb)
	if err == nil || err.Error() != `population check: missing column "income"` {
		t.Errorf("err = %v, want the missing income column named", err)
	}
}

// TestPopulationCSVRoundTrip checks that a population table written to CSV
// and read back without a schema (kinds inferred) still passes every rule
// and keeps its households.
func TestPopulationCSVRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf, Population(500, 8)); err != nil {
		t.Fatal(err)
	}
	back, err := table.ReadCSV(&buf, table.ReadOptions{GroupKey: "household_id"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := CheckPopulation(back)
	if err != nil {
		t.Fatal(err)
	}
	if res.Households != 500 || res.BadHouseholds != 0 || res.BadPersons != 0 {
		t.Errorf("after a CSV round trip: %+v", res)
	}
}

func TestGenerateZero(t *testing.T) {
	for name, tb := range map[string]*table.Table{
		"ecommerce-bn": EcommerceBN(0, 1), "population": Population(0, 1), "mobility": Mobility(0, 1),
	} {
		if tb.NumRows() != 0 || tb.NumCols() == 0 {
			t.Errorf("%s: %d rows x %d columns, want 0 rows with the schema's columns", name, tb.NumRows(), tb.NumCols())
		}
	}
}

// TestPopulationRulesMatchFile checks that PopulationRules and the shipped
// rule file list the same rules in the same order, at the same level, and
// that the file's category lists are PopulationModel's.
func TestPopulationRulesMatchFile(t *testing.T) {
	s := populationRules()
	if len(s.Defs) != len(PopulationRules) {
		t.Fatalf("%d rules in the file, %d in PopulationRules", len(s.Defs), len(PopulationRules))
	}
	for i, d := range s.Defs {
		r := PopulationRules[i]
		if d.Name != r.Name || d.Group != r.Household || d.Doc != r.Description {
			t.Errorf("rule %d: file %q (group %v, %q), PopulationRules %q (household %v, %q)", i, d.Name, d.Group, d.Doc, r.Name, r.Household, r.Description)
		}
	}
	p := &PopulationModel
	text := s.Lookup("person-categories").Source() + s.Lookup("household-values").Source()
	for _, list := range [][]string{p.Races, p.Educations, p.Employments, p.Tenures, p.HouseholderTypes} {
		q := make([]string, len(list))
		for i, c := range list {
			q[i] = strconv.Quote(c)
		}
		if want := "(" + strings.Join(q, ", ") + ")"; !strings.Contains(text, want) {
			t.Errorf("the rule file lacks the category list %s", want)
		}
	}
}
