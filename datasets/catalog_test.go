package datasets

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/internal/need"
	"github.com/synthor/synthor/table"
)

func TestCatalog(t *testing.T) {
	names := Names()
	if want := []string{"adult", "cps1988", "credit-g", "ecommerce-bn", "eusilc", "flights", "income", "mobility",
		"population", "superstore"}; !slices.Equal(names, want) {
		t.Fatalf("Names() = %v, want %v", names, want)
	}
	for _, d := range Catalog() {
		t.Run(d.Name, func(t *testing.T) {
			if d.Domain == "" || d.Description == "" || d.Licence == "" || d.Provenance == "" {
				t.Errorf("missing metadata: %+v", d)
			}
			if (d.Generate == nil) == (d.Load == nil) {
				t.Fatalf("want exactly one of Generate and Load")
			}
			if d.Grouped != (d.GroupKey != "") {
				t.Errorf("Grouped %v with GroupKey %q", d.Grouped, d.GroupKey)
			}
			var tb *table.Table
			var err error
			if d.Source != nil && !d.Fetched() {
				need.Skip(t, "datasets", "%s is not fetched (synthor datasets fetch %s)", d.Name, d.Name)
			}
			if d.Rows > 1_000_000 {
				t.Skipf("%s has %d rows: loaded once, by TestFetchedShapes", d.Name, d.Rows)
			}
			if d.Real() {
				if d.DefaultRows != 0 || len(d.Splits) == 0 {
					t.Errorf("real dataset: DefaultRows %d, Splits %v", d.DefaultRows, d.Splits)
				}
				tb, err = d.Load("")
			} else {
				if d.DefaultRows <= 0 || d.Splits != nil {
					t.Errorf("generator: DefaultRows %d, Splits %v", d.DefaultRows, d.Splits)
				}
				if _, err := d.Generate(-1, 1); !errors.Is(err, ErrNegativeRows) {
					t.Errorf("Generate(-1) err = %v, want ErrNegativeRows", err)
				}
				tb, err = d.Generate(300, 1)
			}
			if err != nil {
				t.Fatal(err)
			}
			if tb.GroupKey != d.GroupKey {
				t.Errorf("table GroupKey %q, catalog %q", tb.GroupKey, d.GroupKey)
			}
			if d.Target != "" && tb.Col(d.Target) == nil {
				t.Errorf("target %q is not a column", d.Target)
			}
			if !d.Real() {
				groups, err := tb.Groups()
				if err != nil {
					t.Fatal(err)
				}
				if len(groups) != 300 {
					t.Errorf("Generate(300) gave %d records", len(groups))
				}
			}
			checkFields(t, tb)
		})
	}
}

// checkFields asserts the field metadata promised by the package: a
// description everywhere, categories equal to the dictionary (generated
// tables) or a prefix of it, and numeric values inside [Min, Max].
func checkFields(t *testing.T, tb *table.Table) {
	t.Helper()
	if err := tb.Schema().Validate(); err != nil {
		t.Error(err)
	}
	for _, c := range tb.Cols {
		if c.Description == "" || strings.Contains(c.Description, "\n") {
			t.Errorf("%s: description %q is not one line", c.Name, c.Description)
		}
		switch {
		case c.Kind == table.Categorical:
			if len(c.Categories) == 0 || !slices.Equal(c.Dict[:len(c.Categories)], c.Categories) {
				t.Errorf("%s: categories %v, dictionary %v", c.Name, c.Categories, c.Dict)
			}
		case c.Kind.Numeric():
			if c.Min == nil {
				t.Errorf("%s: no Min", c.Name)
				continue
			}
			for i, v := range c.Values() {
				if v < *c.Min || (c.Max != nil && v > *c.Max) {
					t.Fatalf("%s: row %d value %g outside [%g, %v]", c.Name, i, v, *c.Min, c.Max)
				}
			}
		}
	}
}

func TestLookup(t *testing.T) {
	d, err := Lookup("ecommerce-bn")
	if err != nil || d.Name != "ecommerce-bn" {
		t.Fatalf("Lookup(ecommerce-bn) = %v, %v", d, err)
	}
	_, err = Lookup("ecommerce")
	if !errors.Is(err, ErrUnknown) {
		t.Fatalf("err = %v, want ErrUnknown", err)
	}
	if want := `unknown dataset "ecommerce" (valid: adult, cps1988, credit-g, ecommerce-bn, eusilc, flights, income, mobility, population, superstore)`; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestCatalogReturnsCopies(t *testing.T) {
	a, _ := Lookup("adult")
	a.Name = "changed"
	a.Splits[0] = "changed"
	b, _ := Lookup("adult")
	if b.Name != "adult" {
		t.Error("modifying a Lookup result changed the catalog")
	}
	if b.Splits[0] != "train" {
		t.Error("modifying a Lookup result's Splits changed the catalog")
	}
}

// TestProbabilitiesSumToOne checks every probability vector of the
// generators' parameters.
func TestProbabilitiesSumToOne(t *testing.T) {
	vecs := map[string][]float64{
		"ecommerce gender": Ecommerce.GenderProbs, "ecommerce tier": Ecommerce.TierProbs,
		"population size": PopulationModel.SizeProbs, "population type": PopulationModel.HouseholderTypeProbs,
		"population race": PopulationModel.RaceProbs, "population householder age": PopulationModel.HouseholderAgeProbs,
		"population adult education":   PopulationModel.AdultEducationProbs,
		"population teen employment":   PopulationModel.TeenEmploymentProbs,
		"population senior employment": PopulationModel.SeniorEmploymentProbs,
		"mobility time bin":            MobilityModel.TimeBinProbs,
	}
	w := Ecommerce.AgeMixture()
	vecs["ecommerce age mixture"] = w[:]
	for g, byGender := range Ecommerce.CategoryProbs {
		for s, v := range byGender {
			vecs[fmt.Sprintf("ecommerce category %d/%d", g, s)] = v
		}
	}
	for l, v := range Ecommerce.PaymentProbs {
		vecs[fmt.Sprintf("ecommerce payment %d", l)] = v
	}
	for e, v := range PopulationModel.EmploymentProbs {
		vecs[fmt.Sprintf("population employment %d", e)] = v
	}
	for b, v := range PopulationModel.VehicleProbs {
		vecs[fmt.Sprintf("population vehicles %d", b)] = v
	}
	for b, v := range MobilityModel.ActivityProbs {
		vecs[fmt.Sprintf("mobility activity %d", b)] = v
	}
	for name, v := range vecs {
		s := 0.0
		for _, p := range v {
			if p < 0 || p > 1 {
				t.Errorf("%s: probability %g", name, p)
			}
			s += p
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("%s: probabilities sum to %.15g", name, s)
		}
	}
}
