package datasets

import (
	"fmt"
	"math"
	"slices"

	"github.com/synthor/synthor/table"
)

// The derived labels of ecommerce-bn (LLMSynthor §5.1), computed from a
// table's columns after generation, for utility tests.
const (
	LabelDiscountPropensity = "discount_propensity"
	LabelLifetimeValueBand  = "lifetime_value_band"
)

// LabelBands are the categories of both derived labels, in display order.
var LabelBands = []string{"Low", "Mid", "High"}

// EcommerceLabels returns t with the columns discount_propensity and
// lifetime_value_band appended (t itself is not modified), computed row by
// row from user_age (A), user_location_tier, product_category (C), price
// (X) and payment_method, as the paper defines them:
//
//	discount_propensity: z = (X − μ_C) / σ_C,
//	  S = −tanh(z) + 0.01·(A − 35)²/100 + 0.5·[cash on delivery] + 0.3·[developing]
//	  High if S > 1, Low if S < −1, else Mid
//	lifetime_value_band: l = √X · w_m / (log(1 + |A − 35|) + 1) · w_c,
//	  w_m = 1.2 online, 0.85 cash; w_c = 1.3 Electronics, 1.1 Apparel,
//	  0.9 Food & Beverages, 1.4 Furniture & Appliances
//	  High if l > 20, Low if l < 10, else Mid
//
// μ_C and σ_C are the normal parameters of the category's price before
// truncation (Ecommerce.PriceMeans, PriceSDs) [ours: the paper does not say
// whether it means those or the truncated moments]; log is natural. A row
// with a missing input, a negative price or an unknown category gets a
// missing label. A column already present is recomputed. It fails, naming
// the column, when t lacks one of the inputs or holds it with another kind.
func EcommerceLabels(t *table.Table) (*table.Table, error) {
	p := &Ecommerce
	need := []struct {
		name    string
		numeric bool
	}{{"user_age", true}, {"user_location_tier", false}, {"product_category", false}, {"price", true}, {"payment_method", false}}
	cols := make([]*table.Column, len(need))
	for k, n := range need {
		c := t.Col(n.name)
		if c == nil {
			return nil, fmt.Errorf("ecommerce labels: no column %q", n.name)
		}
		if c.Kind.Numeric() != n.numeric || c.Kind == table.Text {
			return nil, fmt.Errorf("ecommerce labels: column %q is %s", n.name, c.Kind)
		}
		cols[k] = c
	}
	age, tier, cat, price, pay := cols[0], cols[1], cols[2], cols[3], cols[4]
	wc := []float64{1.3, 1.1, 0.9, 1.4} // in the order of p.Categories
	n := t.NumRows()
	disc := make([]int32, n)
	ltv := make([]int32, n)
	for i := 0; i < n; i++ {
		disc[i], ltv[i] = table.Missing, table.Missing
		a, x := age.Float(i), price.Float(i)
		c := slices.Index(p.Categories, label(cat, i))
		tr, m := label(tier, i), label(pay, i)
		if math.IsNaN(a) || math.IsNaN(x) || x < 0 || c < 0 || tr == "" || m == "" {
			continue
		}
		z := (x - p.PriceMeans[c]) / p.PriceSDs[c]
		s := -math.Tanh(z) + 0.01*(a-35)*(a-35)/100
		if m == "Cash on Delivery" {
			s += 0.5
		}
		if tr == "Developing" {
			s += 0.3
		}
		disc[i] = band(s > 1, s < -1)
		wm := 1.2
		if m == "Cash on Delivery" {
			wm = 0.85
		}
		l := math.Sqrt(x) * wm / (math.Log(1+math.Abs(a-35)) + 1) * wc[c]
		ltv[i] = band(l > 20, l < 10)
	}
	out := make([]*table.Column, 0, len(t.Cols)+2)
	for _, c := range t.Cols {
		if c.Name != LabelDiscountPropensity && c.Name != LabelLifetimeValueBand {
			out = append(out, c)
		}
	}
	d := table.NewCategorical(LabelDiscountPropensity, slices.Clone(LabelBands), disc)
	d.Description = "derived: discount propensity band (LLMSynthor §5.1)"
	l := table.NewCategorical(LabelLifetimeValueBand, slices.Clone(LabelBands), ltv)
	l.Description = "derived: lifetime value band (LLMSynthor §5.1)"
	res, err := table.New(append(out, d, l)...)
	if err != nil {
		return nil, fmt.Errorf("ecommerce labels: %w", err)
	}
	res.GroupKey = t.GroupKey
	return res, nil
}

// label returns the category of row i, "" when missing.
func label(c *table.Column, i int) string {
	if c.Codes[i] < 0 {
		return ""
	}
	return c.Dict[c.Codes[i]]
}

// band codes High (index 2), Low (0) or Mid (1).
func band(high, low bool) int32 {
	switch {
	case high:
		return 2
	case low:
		return 0
	}
	return 1
}

// DefaultTarget returns the label column of d for utility tests: its
// Target, or for ecommerce-bn the derived discount_propensity (see Derive).
func DefaultTarget(d *Dataset) string {
	if d.Target == "" && d.Name == "ecommerce-bn" {
		return LabelDiscountPropensity
	}
	return d.Target
}

// Derive returns t with the derived label target added when target is one
// of ecommerce-bn's derived labels and t lacks it (see EcommerceLabels);
// otherwise t itself.
func Derive(t *table.Table, target string) (*table.Table, error) {
	if (target != LabelDiscountPropensity && target != LabelLifetimeValueBand) || t.Col(target) != nil {
		return t, nil
	}
	return EcommerceLabels(t)
}

// Identify returns the controlled generator of the catalog whose tables
// have the columns of t (by name and kind, in order, derived labels aside),
// or nil when none does.
func Identify(t *table.Table) *Dataset {
	for _, d := range Catalog() {
		if d.Generate == nil {
			continue
		}
		g, err := d.Generate(1, 0)
		if err != nil || !sameLayout(g, t) {
			continue
		}
		return d
	}
	return nil
}

// sameLayout reports whether b has the columns of a, by name and numeric or
// not, in order, ignoring derived label columns of b.
func sameLayout(a, b *table.Table) bool {
	var names []*table.Column
	for _, c := range b.Cols {
		if c.Name != LabelDiscountPropensity && c.Name != LabelLifetimeValueBand {
			names = append(names, c)
		}
	}
	if len(names) != len(a.Cols) {
		return false
	}
	for i, c := range a.Cols {
		if names[i].Name != c.Name || names[i].Kind.Numeric() != c.Kind.Numeric() {
			return false
		}
	}
	return true
}
