package datasets

import (
	"context"
	"fmt"
	"sync"

	"github.com/synthor/synthor/rules"
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

// populationColumns are the columns CheckPopulation reads.
var populationColumns = []string{"household_id", "num_persons", "housing_tenure", "householder_type",
	"num_vehicles", "age", "race", "education", "employment", "income"}

// populationRules is the shipped rule file, parsed once.
var populationRules = sync.OnceValue(func() *rules.Set { return rules.MustPaper("population.rules") })

// CheckPopulation applies PopulationRules, written in the rule language as
// rules/paper/population.rules, to a population table (the columns of
// Population; person_id is not needed). Households are the rows sharing a
// household_id value, in any row order; household-level values are read from
// each household's first row. Numeric columns may be integer, float or text
// holding numbers; categorical ones are compared by their strings against
// PopulationModel's categories. A missing value violates the rule about its
// column (age-range, person-categories, income or household-values). It
// fails only when a column is absent.
func CheckPopulation(t *table.Table) (PopulationCheck, error) {
	for _, name := range populationColumns {
		if t.Col(name) == nil {
			return PopulationCheck{}, fmt.Errorf("population check: missing column %q", name)
		}
	}
	rep, err := populationRules().Check(context.Background(), t, "household_id")
	if err != nil {
		return PopulationCheck{}, fmt.Errorf("population check: %w", err)
	}
	res := PopulationCheck{Households: rep.Groups, Persons: rep.Rows, BadHouseholds: rep.BadGroups,
		BadPersons: rep.BadRows, Rules: make([]RuleCount, len(PopulationRules))}
	for i, r := range PopulationRules {
		res.Rules[i] = RuleCount{PopulationRule: r, Violations: rep.Violations(r.Name)}
	}
	return res, nil
}
