package datasets

import (
	"bytes"
	"math"
	"testing"
)

const ecommerceRows = 200_000

func TestEcommerceBNShares(t *testing.T) {
	tb := EcommerceBN(ecommerceRows, 7)
	if tb.NumRows() != ecommerceRows {
		t.Fatalf("rows = %d, want %d", tb.NumRows(), ecommerceRows)
	}
	age := col(t, tb, "user_age")
	gender := col(t, tb, "user_gender")
	tier := col(t, tb, "user_location_tier")
	cat := col(t, tb, "product_category")
	pay := col(t, tb, "payment_method")

	group := func(a float64) string {
		switch {
		case a < 35:
			return "young"
		case a < 55:
			return "middle"
		}
		return "old"
	}
	marg := newCondShares()
	catGiven := newCondShares()
	payGiven := newCondShares()
	for i := 0; i < tb.NumRows(); i++ {
		marg.add("gender", gender.String(i))
		marg.add("tier", tier.String(i))
		catGiven.add(group(age.Floats[i])+" "+gender.String(i), cat.String(i))
		payGiven.add(tier.String(i), pay.String(i))
	}
	const tol = 0.01
	checkShares(t, "marginal", marg, map[string]map[string]float64{
		"gender": {"Male": 0.45, "Female": 0.55},
		"tier":   {"Developed": 0.4, "Developing": 0.6},
	}, tol)
	// LLMSynthor §5.1, columns Electronics, Apparel, Food & Beverages,
	// Furniture & Appliances.
	row := func(e, a, f, fu float64) map[string]float64 {
		return map[string]float64{"Electronics": e, "Apparel": a, "Food & Beverages": f, "Furniture & Appliances": fu}
	}
	checkShares(t, "category", catGiven, map[string]map[string]float64{
		"young Male":    row(.50, .25, .05, .20),
		"young Female":  row(.20, .50, .05, .25),
		"middle Male":   row(.20, .10, .50, .20),
		"middle Female": row(.10, .20, .55, .15),
		"old Male":      row(.10, .10, .65, .15),
		"old Female":    row(.10, .10, .60, .20),
	}, tol)
	checkShares(t, "payment", payGiven, map[string]map[string]float64{
		"Developed":  {"Online Payment": 0.70, "Cash on Delivery": 0.30},
		"Developing": {"Online Payment": 0.40, "Cash on Delivery": 0.60},
	}, tol)
}

// golden holds the values written by testdata/truncnorm.py (SciPy 1.10.1).
type truncGolden struct {
	PriceMean        map[string]float64 `json:"price_mean"`
	AgeComponentMean []float64          `json:"age_component_mean"`
	AgeMixtureMean   float64            `json:"age_mixture_mean"`
}

func TestEcommerceAnalyticMeansMatchSciPy(t *testing.T) {
	var g truncGolden
	readJSON(t, "truncnorm.json", &g)
	for c, name := range Ecommerce.Categories {
		t.Run(name, func(t *testing.T) {
			want, ok := g.PriceMean[name]
			if !ok {
				t.Fatalf("no golden value for %q", name)
			}
			if got := Ecommerce.PriceMean(c); math.Abs(got-want) > 1e-9*want {
				t.Errorf("PriceMean = %.12g, scipy.stats.truncnorm.mean = %.12g", got, want)
			}
		})
	}
	t.Run("age mixture", func(t *testing.T) {
		if got := Ecommerce.AgeMean(); math.Abs(got-g.AgeMixtureMean) > 1e-9*g.AgeMixtureMean {
			t.Errorf("AgeMean = %.12g, scipy = %.12g", got, g.AgeMixtureMean)
		}
	})
	t.Run("normalised weights", func(t *testing.T) {
		w := Ecommerce.AgeMixture()
		for k, want := range []float64{0.5 / 1.1, 0.45 / 1.1, 0.15 / 1.1} {
			if math.Abs(w[k]-want) > 1e-15 {
				t.Errorf("weight %d = %g, want %g", k, w[k], want)
			}
		}
	})
}

func TestEcommerceBNMeans(t *testing.T) {
	tb := EcommerceBN(ecommerceRows, 11)
	cat := col(t, tb, "product_category")
	price := col(t, tb, "price")
	age := col(t, tb, "user_age")
	var g truncGolden
	readJSON(t, "truncnorm.json", &g)

	byCat := map[string][]float64{}
	for i := 0; i < tb.NumRows(); i++ {
		p := price.Floats[i]
		if p < 0 || p > 2000 {
			t.Fatalf("row %d: price %g outside [0, 2000]", i, p)
		}
		byCat[cat.String(i)] = append(byCat[cat.String(i)], p)
	}
	for name, want := range g.PriceMean {
		t.Run(name, func(t *testing.T) {
			xs := byCat[name]
			if len(xs) < 1000 {
				t.Fatalf("only %d rows", len(xs))
			}
			m, sd := meanSD(xs)
			// 4 standard errors: a correct generator fails about once in
			// 16,000 seeds; a wrong mean or truncation (e.g. the untruncated
			// mean, off by > 40) fails always.
			if tol := 4 * sd / math.Sqrt(float64(len(xs))); math.Abs(m-want) > tol {
				t.Errorf("mean price = %.2f over %d rows, analytic truncated mean %.2f ± %.2f", m, len(xs), want, tol)
			}
		})
	}
	t.Run("age", func(t *testing.T) {
		for i, a := range age.Floats {
			if a < 18 || a > 90 {
				t.Fatalf("row %d: age %g outside [18, 90]", i, a)
			}
		}
		m, sd := meanSD(age.Floats)
		if tol := 4 * sd / math.Sqrt(float64(len(age.Floats))); math.Abs(m-g.AgeMixtureMean) > tol {
			t.Errorf("mean age = %.3f, analytic mixture mean %.3f ± %.3f", m, g.AgeMixtureMean, tol)
		}
	})
}

func TestEcommerceBNDeterministic(t *testing.T) {
	a := dump(EcommerceBN(500, 1))
	b := dump(EcommerceBN(500, 1))
	if !bytes.Equal(a, b) {
		t.Error("same seed gave different tables")
	}
	if bytes.Equal(a, dump(EcommerceBN(500, 2))) {
		t.Error("seeds 1 and 2 gave the same table")
	}
	if long := dump(EcommerceBN(1000, 1)); !bytes.HasPrefix(long[bytes.IndexByte(long, '\n'):], a[bytes.IndexByte(a, '\n'):]) {
		t.Error("the first 500 of 1000 records differ from 500 records with the same seed")
	}
}
