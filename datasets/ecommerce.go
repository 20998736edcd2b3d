package datasets

import (
	"fmt"

	"github.com/synthor/synthor/table"
)

// EcommerceParams are the parameters of the ecommerce-bn Bayesian network
// p(A) p(G) p(L) p(C|A,G) p(X|C) p(M|L) of LLMSynthor §5.1 (Tang et al.,
// arXiv 2505.14752). Category slices are in the order of the matching
// label slice (Genders, Tiers, Categories, Payments).
type EcommerceParams struct {
	// AgeWeights are the mixture weights as printed in the paper (0.5,
	// 0.45, 0.15). They sum to 1.10; the generator divides them by their
	// sum (AgeMixture gives the normalised weights 0.4545, 0.4091, 0.1364).
	AgeWeights [3]float64
	// AgeMeans and AgeSDs are the means and standard deviations of the
	// three normal components, in years.
	AgeMeans, AgeSDs [3]float64
	// AgeMin and AgeMax bound every age component (each component is
	// truncated to [AgeMin, AgeMax] separately), in years: 18 and 90.
	AgeMin, AgeMax float64
	// MiddleFrom and OldFrom split ages into groups: young < MiddleFrom <=
	// middle < OldFrom <= old (35 and 55 years).
	MiddleFrom, OldFrom float64
	// Genders and GenderProbs: Male 0.45, Female 0.55.
	Genders     []string
	GenderProbs []float64
	// Tiers and TierProbs: Developed 0.4, Developing 0.6.
	Tiers     []string
	TierProbs []float64
	// Categories are the product categories.
	Categories []string
	// CategoryProbs[g][s] is p(C | age group g, gender s): g indexes
	// AgeGroups, s indexes Genders.
	CategoryProbs [3][2][]float64
	// AgeGroups name the age groups: young, middle, old.
	AgeGroups [3]string
	// PriceMeans and PriceSDs are the mean and standard deviation of the
	// normal price of each category before truncation to [PriceMin,
	// PriceMax], in currency units.
	PriceMeans, PriceSDs []float64
	// PriceMin and PriceMax bound every price: 0 and 2000.
	PriceMin, PriceMax float64
	// Payments are the payment methods.
	Payments []string
	// PaymentProbs[l] is p(M | tier l).
	PaymentProbs [2][]float64
}

// Ecommerce holds the exact parameters of the ecommerce-bn generator, as
// printed in LLMSynthor §5.1. Treat it as read-only.
var Ecommerce = EcommerceParams{
	AgeWeights:  [3]float64{0.5, 0.45, 0.15},
	AgeMeans:    [3]float64{24, 38, 55},
	AgeSDs:      [3]float64{6, 15, 10},
	AgeMin:      18,
	AgeMax:      90,
	MiddleFrom:  35,
	OldFrom:     55,
	Genders:     []string{"Male", "Female"},
	GenderProbs: []float64{0.45, 0.55},
	Tiers:       []string{"Developed", "Developing"},
	TierProbs:   []float64{0.4, 0.6},
	Categories:  []string{"Electronics", "Apparel", "Food & Beverages", "Furniture & Appliances"},
	AgeGroups:   [3]string{"young", "middle", "old"},
	CategoryProbs: [3][2][]float64{
		{{0.50, 0.25, 0.05, 0.20}, {0.20, 0.50, 0.05, 0.25}},
		{{0.20, 0.10, 0.50, 0.20}, {0.10, 0.20, 0.55, 0.15}},
		{{0.10, 0.10, 0.65, 0.15}, {0.10, 0.10, 0.60, 0.20}},
	},
	PriceMeans:   []float64{800, 100, 100, 200},
	PriceSDs:     []float64{1000, 500, 400, 500},
	PriceMin:     0,
	PriceMax:     2000,
	Payments:     []string{"Online Payment", "Cash on Delivery"},
	PaymentProbs: [2][]float64{{0.70, 0.30}, {0.40, 0.60}},
}

// AgeMixture returns the normalised age mixture weights: AgeWeights divided
// by their sum.
func (p *EcommerceParams) AgeMixture() [3]float64 {
	s := p.AgeWeights[0] + p.AgeWeights[1] + p.AgeWeights[2]
	return [3]float64{p.AgeWeights[0] / s, p.AgeWeights[1] / s, p.AgeWeights[2] / s}
}

// AgeGroup returns the index into AgeGroups of an age in years: 0 (young)
// below MiddleFrom, 1 (middle) below OldFrom, else 2 (old).
func (p *EcommerceParams) AgeGroup(age float64) int {
	switch {
	case age < p.MiddleFrom:
		return 0
	case age < p.OldFrom:
		return 1
	}
	return 2
}

// AgeMean returns the analytic mean of the age distribution, in years:
// sum_k w_k * m_k over the normalised weights w_k, with m_k the mean of
// component k truncated to [AgeMin, AgeMax] (see PriceMean for the formula).
func (p *EcommerceParams) AgeMean() float64 {
	w := p.AgeMixture()
	m := 0.0
	for k := range w {
		m += w[k] * p.ageComponent(k).mean()
	}
	return m
}

// PriceMean returns the analytic mean price of category c (an index into
// Categories) under its truncated normal: mu + sigma*(phi(a)-phi(b)) /
// (Phi(b)-Phi(a)), a = (PriceMin-mu)/sigma, b = (PriceMax-mu)/sigma, with
// phi and Phi the standard normal density and distribution function.
func (p *EcommerceParams) PriceMean(c int) float64 {
	return p.price(c).mean()
}

func (p *EcommerceParams) ageComponent(k int) truncNormal {
	return newTruncNormal(p.AgeMeans[k], p.AgeSDs[k], p.AgeMin, p.AgeMax)
}

func (p *EcommerceParams) price(c int) truncNormal {
	return newTruncNormal(p.PriceMeans[c], p.PriceSDs[c], p.PriceMin, p.PriceMax)
}

// ecommerceStream is the PCG stream constant of the ecommerce-bn generator.
const ecommerceStream = 0x65636f6d6d657263 // "ecommerc"

// EcommerceBN draws n records from the ecommerce-bn network with
// Ecommerce's parameters. Columns, in order: user_age (float, years, 2
// decimals, in [18, 90]), user_gender, user_location_tier,
// product_category, price (float, 2 decimals, in [0, 2000]),
// payment_method.
//
// Each record is drawn in that order from one PCG stream seeded with seed:
// the age component (one uniform draw), the age (inversion of the truncated
// normal, one draw), gender, tier, category given the age group of the
// rounded age and gender, price given category (inversion), payment given
// tier; so the first k records do not depend on n, and the same n and seed
// give an identical table. n < 0 panics (a programmer error; Dataset.Generate
// returns an error instead).
func EcommerceBN(n int, seed uint64) *table.Table {
	if n < 0 {
		panic(fmt.Sprintf("datasets: EcommerceBN with %d records", n))
	}
	p := &Ecommerce
	r := newRand(seed, ecommerceStream)
	w := p.AgeMixture()
	var comps [3]truncNormal
	for k := range comps {
		comps[k] = p.ageComponent(k)
	}
	prices := make([]truncNormal, len(p.Categories))
	for c := range prices {
		prices[c] = p.price(c)
	}
	age := make([]float64, n)
	gender := make([]int32, n)
	tier := make([]int32, n)
	cat := make([]int32, n)
	price := make([]float64, n)
	pay := make([]int32, n)
	for i := 0; i < n; i++ {
		k := pick(r, w[:])
		age[i] = round(comps[k].sample(r), 2)
		g := pick(r, p.GenderProbs)
		l := pick(r, p.TierProbs)
		c := pick(r, p.CategoryProbs[p.AgeGroup(age[i])][g])
		price[i] = round(prices[c].sample(r), 2)
		m := pick(r, p.PaymentProbs[l])
		gender[i], tier[i], cat[i], pay[i] = int32(g), int32(l), int32(c), int32(m)
	}
	cols := []*table.Column{
		table.NewFloat("user_age", age),
		table.NewCategorical("user_gender", p.Genders, gender),
		table.NewCategorical("user_location_tier", p.Tiers, tier),
		table.NewCategorical("product_category", p.Categories, cat),
		table.NewFloat("price", price),
		table.NewCategorical("payment_method", p.Payments, pay),
	}
	applyFields(cols, EcommerceSchema())
	return table.MustNew(cols...)
}

// EcommerceSchema returns the schema of ecommerce-bn tables.
func EcommerceSchema() *table.Schema {
	p := &Ecommerce
	return &table.Schema{Fields: []table.Field{
		{Name: "user_age", Kind: table.Float, Min: ptr(p.AgeMin), Max: ptr(p.AgeMax),
			Description: "age of the buyer in years (mixture of three truncated normals)"},
		{Name: "user_gender", Kind: table.Categorical, Categories: p.Genders,
			Description: "gender of the buyer"},
		{Name: "user_location_tier", Kind: table.Categorical, Categories: p.Tiers,
			Description: "development tier of the buyer's location"},
		{Name: "product_category", Kind: table.Categorical, Categories: p.Categories,
			Description: "category of the product bought; depends on the buyer's age group and gender"},
		{Name: "price", Kind: table.Float, Min: ptr(p.PriceMin), Max: ptr(p.PriceMax),
			Description: "price paid for the product; a truncated normal per product category"},
		{Name: "payment_method", Kind: table.Categorical, Categories: p.Payments,
			Description: "how the buyer paid; depends on the location tier"},
	}}
}

// applyFields copies each schema field onto the column of the same
// position, keeping the column's name and kind.
func applyFields(cols []*table.Column, s *table.Schema) {
	for i, c := range cols {
		f := s.Fields[i]
		if f.Name != c.Name || f.Kind != c.Kind {
			panic(fmt.Sprintf("datasets: schema field %d is %s %q, column is %s %q", i, f.Kind, f.Name, c.Kind, c.Name))
		}
		c.Field = f
	}
}

func ecommerceDataset() *Dataset {
	return &Dataset{
		Name:   "ecommerce-bn",
		Domain: "e-commerce",
		Description: "controlled 6-variable Bayesian network of purchases: buyer age, gender and " +
			"location tier, product category, price, payment method",
		Licence: "generated data, no third-party content; free to use",
		Provenance: "network and parameters from LLMSynthor §5.1 (Tang et al., arXiv 2505.14752); " +
			"the printed age weights 0.5/0.45/0.15 sum to 1.10 and are normalised",
		DefaultRows: 2000,
		Generate:    generator("ecommerce-bn", EcommerceBN),
	}
}
