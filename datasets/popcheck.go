package datasets

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/synthor/synthor/table"
)

// PopulationRule is one plausibility rule of a population table
// (LLMSynthor §5.2, plus the rules marked [ours]).
type PopulationRule struct {
	// Name is a short key ("age-range").
	Name string
	// Household reports whether the rule is about a whole household;
	// otherwise it is checked per person.
	Household bool
	// Description states the rule in one line.
	Description string
}

// PopulationRules lists the rules CheckPopulation applies, in the order of
// PopulationCheck.Rules. A person violates a person rule on its own row; a
// household violates a household rule as a whole, and is also rejected when
// any member violates a person rule.
var PopulationRules = []PopulationRule{
	{"age-range", false, "age is a whole number in [0, 99]"},
	{"person-categories", false, "race, education and employment are valid categories"},
	{"preschool", false, "a person under 5 has education Preschool"},
	{"school-education", false, "a person under 18 has at most High School education"},
	{"income", false, "income is present and >= 0"},
	{"under-16", false, "employment is Under 16 exactly when age < 16 [ours]"},
	{"household-values", true, "num_persons is 2-5, num_vehicles is 0-6, tenure and householder type are valid categories"},
	{"person-count", true, "the household has num_persons members"},
	{"couple-adults", true, "a Couple household has at least 2 members aged 18 or more"},
	{"household-constant", true, "household-level values are the same on every member's row [ours]"},
}

// RuleCount is the number of violations of one rule: persons for a person
// rule, households for a household rule.
type RuleCount struct {
	PopulationRule
	Violations int
}

// PopulationCheck is the result of CheckPopulation.
type PopulationCheck struct {
	// Households and Persons count the households (distinct household_id)
	// and rows checked.
	Households, Persons int
	// BadHouseholds counts households violating a household rule or having
	// a member that violates a person rule; BadPersons counts persons
	// violating a person rule.
	BadHouseholds, BadPersons int
	// Rules holds one count per rule, in PopulationRules order.
	Rules []RuleCount
}

// HouseholdRejection returns BadHouseholds / Households, in [0, 1]; 0 for
// an empty table.
func (c PopulationCheck) HouseholdRejection() float64 {
	if c.Households == 0 {
		return 0
	}
	return float64(c.BadHouseholds) / float64(c.Households)
}

// PersonRejection returns BadPersons / Persons, in [0, 1]; 0 for an empty
// table.
func (c PopulationCheck) PersonRejection() float64 {
	if c.Persons == 0 {
		return 0
	}
	return float64(c.BadPersons) / float64(c.Persons)
}

// Violations returns the count of the named rule, or -1 for an unknown
// name.
func (c PopulationCheck) Violations(rule string) int {
	for _, r := range c.Rules {
		if r.Name == rule {
			return r.Violations
		}
	}
	return -1
}

// rule indexes into PopulationRules.
const (
	ruleAge = iota
	ruleCategories
	rulePreschool
	ruleSchool
	ruleIncome
	ruleUnder16
	ruleHouseholdValues
	rulePersonCount
	ruleCouple
	ruleConstant
)

// populationColumns are the columns CheckPopulation reads.
var populationColumns = []string{"household_id", "num_persons", "housing_tenure", "householder_type",
	"num_vehicles", "age", "race", "education", "employment", "income"}

// CheckPopulation applies PopulationRules to a population table (the
// columns of Population; person_id is not needed). Households are the rows
// sharing a household_id value, in any row order; household-level values are
// read from each household's first row. Numeric columns may be integer,
// float or text holding numbers; categorical ones are compared by their
// strings against PopulationModel's categories. A missing value violates the
// rule about its column (age-range, person-categories, income or
// household-values). It fails only when a column is absent.
func CheckPopulation(t *table.Table) (PopulationCheck, error) {
	cols := make(map[string]*table.Column, len(populationColumns))
	for _, name := range populationColumns {
		c := t.Col(name)
		if c == nil {
			return PopulationCheck{}, fmt.Errorf("population check: missing column %q", name)
		}
		cols[name] = c
	}
	p := &PopulationModel
	res := PopulationCheck{Persons: t.NumRows(), Rules: make([]RuleCount, len(PopulationRules))}
	for i, r := range PopulationRules {
		res.Rules[i].PopulationRule = r
	}

	// Group rows by household_id, in order of first appearance.
	key := cols["household_id"]
	index := map[string]int{}
	var members [][]int
	for i := 0; i < t.NumRows(); i++ {
		k := key.String(i)
		if key.IsNull(i) {
			k = "\x00missing"
		}
		g, ok := index[k]
		if !ok {
			g = len(members)
			index[k] = g
			members = append(members, nil)
		}
		members[g] = append(members[g], i)
	}
	res.Households = len(members)

	age, race, edu, emp, inc := cols["age"], cols["race"], cols["education"], cols["employment"], cols["income"]
	groupCols := []*table.Column{cols["num_persons"], cols["housing_tenure"], cols["householder_type"], cols["num_vehicles"]}
	for _, rows := range members {
		var hbad [numRules]bool
		personBad := false
		adults := 0
		for _, i := range rows {
			var bad [numRules]bool
			a, aok := number(age, i)
			aok = aok && a >= 0 && a <= 99 && a == math.Trunc(a)
			bad[ruleAge] = !aok
			if aok && a >= 18 {
				adults++
			}
			e := category(edu, i)
			m := category(emp, i)
			bad[ruleCategories] = !slices.Contains(p.Races, category(race, i)) ||
				!slices.Contains(p.Educations, e) || !slices.Contains(p.Employments, m)
			if aok {
				bad[rulePreschool] = a < 5 && e != p.Educations[preschool]
				bad[ruleSchool] = a < 18 && slices.Contains(p.Educations, e) && slices.Index(p.Educations, e) > highSchool
				bad[ruleUnder16] = slices.Contains(p.Employments, m) && (a < 16) != (m == p.Employments[under16])
			}
			x, ok := number(inc, i)
			bad[ruleIncome] = !ok || x < 0
			hit := false
			for r, b := range bad {
				if b {
					res.Rules[r].Violations++
					hit = true
				}
			}
			if hit {
				res.BadPersons++
				personBad = true
			}
		}

		first := rows[0]
		size, sok := number(cols["num_persons"], first)
		veh, vok := number(cols["num_vehicles"], first)
		hbad[ruleHouseholdValues] = !sok || size != math.Trunc(size) || size < 2 || size > 5 ||
			!vok || veh != math.Trunc(veh) || veh < 0 || veh > 6 ||
			!slices.Contains(p.Tenures, category(cols["housing_tenure"], first)) ||
			!slices.Contains(p.HouseholderTypes, category(cols["householder_type"], first))
		hbad[rulePersonCount] = !sok || float64(len(rows)) != size
		hbad[ruleCouple] = category(cols["householder_type"], first) == p.HouseholderTypes[couple] && adults < 2
		for _, c := range groupCols {
			for _, i := range rows[1:] {
				if c.IsNull(i) != c.IsNull(first) || c.String(i) != c.String(first) {
					hbad[ruleConstant] = true
				}
			}
		}
		hit := personBad
		for r, b := range hbad {
			if b {
				res.Rules[r].Violations++
				hit = true
			}
		}
		if hit {
			res.BadHouseholds++
		}
	}
	return res, nil
}

// numRules is the number of rules.
const numRules = ruleConstant + 1

// number reads row i of a column as a number: numeric kinds directly,
// categorical and text by parsing their string. ok is false when missing or
// not a number.
func number(c *table.Column, i int) (float64, bool) {
	if c.IsNull(i) {
		return 0, false
	}
	if c.Kind.Numeric() {
		x := c.Float(i)
		return x, !math.IsNaN(x)
	}
	x, err := strconv.ParseFloat(c.String(i), 64)
	return x, err == nil && !math.IsNaN(x)
}

// category reads row i as a string, "" when missing.
func category(c *table.Column, i int) string {
	if c.IsNull(i) {
		return ""
	}
	return c.String(i)
}
