package datasets

import (
	"testing"

	"github.com/synthor/synthor/table"
)

// TestEcommerceLabels checks the derived labels on rows computed by hand.
func TestEcommerceLabels(t *testing.T) {
	p := &Ecommerce
	code := func(dict []string, v string) int32 {
		for i, d := range dict {
			if d == v {
				return int32(i)
			}
		}
		t.Fatalf("no %q", v)
		return 0
	}
	rows := []struct {
		age            float64
		tier, cat, pay string
		price          float64
		disc, ltv      string
	}{
		// z = 0, S = 0.5 + 0.3 = 0.8 → Mid; l = √800·0.85/1·1.3 = 31.26 → High.
		{35, "Developing", "Electronics", "Cash on Delivery", 800, "Mid", "High"},
		// z = 1, S = −tanh 1 + 0.01·225/100 = −0.739 → Mid;
		// l = √600·1.2/(log 16 + 1)·1.1 = 8.49 → Low.
		{20, "Developed", "Apparel", "Online Payment", 600, "Mid", "Low"},
		// z = −0.125, S = 0.124 + 0.1225 + 0.8 = 1.047 → High;
		// l = √50·0.85/(log 36 + 1)·0.9 = 1.18 → Low.
		{70, "Developing", "Food & Beverages", "Cash on Delivery", 50, "High", "Low"},
		// l = √900·1.2/(log 6 + 1)·1.4 = 18.08 → Mid; S = −tanh(1.4) + 0.0025 → Mid.
		{40, "Developed", "Furniture & Appliances", "Online Payment", 900, "Mid", "Mid"},
	}
	n := len(rows)
	age, price := make([]float64, n), make([]float64, n)
	tier, cat, pay, gender := make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
	for i, r := range rows {
		age[i], price[i] = r.age, r.price
		tier[i], cat[i], pay[i] = code(p.Tiers, r.tier), code(p.Categories, r.cat), code(p.Payments, r.pay)
	}
	tb := table.MustNew(table.NewFloat("user_age", age), table.NewCategorical("user_gender", p.Genders, gender),
		table.NewCategorical("user_location_tier", p.Tiers, tier), table.NewCategorical("product_category", p.Categories, cat),
		table.NewFloat("price", price), table.NewCategorical("payment_method", p.Payments, pay))
	out, err := EcommerceLabels(tb)
	if err != nil {
		t.Fatal(err)
	}
	if tb.NumCols() != 6 || out.NumCols() != 8 {
		t.Fatalf("columns %d → %d", tb.NumCols(), out.NumCols())
	}
	d, l := out.Col(LabelDiscountPropensity), out.Col(LabelLifetimeValueBand)
	for i, r := range rows {
		if d.String(i) != r.disc || l.String(i) != r.ltv {
			t.Errorf("row %d: %s, %s; want %s, %s", i, d.String(i), l.String(i), r.disc, r.ltv)
		}
	}
	if _, err := EcommerceLabels(tb.Take([]int{0}).Head(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := EcommerceLabels(table.MustNew(table.NewFloat("user_age", []float64{1}))); err == nil {
		t.Error("no error for a table without the inputs")
	}
}

func TestDeriveIdentify(t *testing.T) {
	g := EcommerceBN(50, 1)
	d := Identify(g)
	if d == nil || d.Name != "ecommerce-bn" {
		t.Fatalf("Identify = %v", d)
	}
	if DefaultTarget(d) != LabelDiscountPropensity {
		t.Errorf("default target %q", DefaultTarget(d))
	}
	out, err := Derive(g, LabelLifetimeValueBand)
	if err != nil || out.Col(LabelLifetimeValueBand) == nil {
		t.Fatalf("Derive: %v", err)
	}
	if Identify(out) == nil {
		t.Error("a labelled table is not identified")
	}
	if same, _ := Derive(g, "price"); same != g {
		t.Error("Derive changed a table for a plain target")
	}
}
