package datasets

import (
	"strings"
	"testing"
)

// FuzzCheckPopulation feeds CheckPopulation households written as
// "|"-separated person rows of "hid,size,tenure,type,vehicles,age,race,
// education,employment,income" ("NA" = missing). It must never panic, and
// its counts must stay consistent.
func FuzzCheckPopulation(f *testing.F) {
	f.Add("1,2,Owned,Couple,1,40,White,Bachelor,Employed,50000|1,2,Owned,Couple,1,41,Black,Master,Military,48000")
	f.Add("1,3,Rented,Single Female,0,30,Asian,High School,Unemployed,0|1,3,Rented,Single Female,0,3,Asian,Preschool,Under 16,0|2,2,Owned,Couple,7,4.5,Martian,Bachelor,Employed,-3")
	f.Add("NA,NA,NA,NA,NA,NA,NA,NA,NA,NA")
	f.Add("1,1e309,Owned,Couple,NaN,-0,White,Doctorate,Under 16,Inf")
	f.Fuzz(func(t *testing.T, s string) {
		var rows []hand
		for _, line := range strings.Split(s, "|") {
			v := strings.Split(line, ",")
			for len(v) < 10 {
				v = append(v, "")
			}
			rows = append(rows, hand{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]})
		}
		res, err := CheckPopulation(handTable(rows))
		if err != nil {
			t.Fatal(err)
		}
		if res.Persons != len(rows) || res.Households < 1 || res.Households > len(rows) {
			t.Fatalf("%d persons, %d households from %d rows", res.Persons, res.Households, len(rows))
		}
		if res.BadPersons > res.Persons || res.BadHouseholds > res.Households {
			t.Fatalf("bad counts %d/%d, %d/%d", res.BadPersons, res.Persons, res.BadHouseholds, res.Households)
		}
		for _, r := range res.Rules {
			limit := res.Persons
			if r.Household {
				limit = res.Households
			}
			if r.Violations < 0 || r.Violations > limit {
				t.Fatalf("rule %s: %d violations, limit %d", r.Name, r.Violations, limit)
			}
		}
	})
}
