package baselines_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/table"
)

// jsdAgeGenderCategory returns the Jensen–Shannon divergence (base 2, in
// [0, 1]) between the [age group, gender, category] tables of a and b, with
// the paper's age groups (young < 35 <= middle < 55 <= old):
// JSD(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q) (Lin 1991).
func jsdAgeGenderCategory(t *testing.T, a, b *table.Table) float64 {
	t.Helper()
	p, q := ageGenderCategory(t, a), ageGenderCategory(t, b)
	return jsd(p, q)
}

func ageGenderCategory(t *testing.T, tb *table.Table) []float64 {
	t.Helper()
	age, g, c := tb.Col("user_age"), tb.Col("user_gender"), tb.Col("product_category")
	if age == nil || g == nil || c == nil {
		t.Fatal("not an ecommerce-bn table")
	}
	nc := len(c.Dict)
	counts := make([]float64, 3*len(g.Dict)*nc)
	for i := 0; i < tb.NumRows(); i++ {
		if age.IsNull(i) || g.IsNull(i) || c.IsNull(i) {
			continue
		}
		grp := 0
		switch a := age.Float(i); {
		case a >= 55:
			grp = 2
		case a >= 35:
			grp = 1
		}
		counts[(grp*len(g.Dict)+int(g.Codes[i]))*nc+int(c.Codes[i])]++
	}
	return counts
}

func jsd(p, q []float64) float64 {
	var sp, sq float64
	for i := range p {
		sp += p[i]
		sq += q[i]
	}
	var d float64
	for i := range p {
		pi, qi := p[i]/sp, q[i]/sq
		m := (pi + qi) / 2
		if pi > 0 {
			d += 0.5 * pi * math.Log2(pi/m)
		}
		if qi > 0 {
			d += 0.5 * qi * math.Log2(qi/m)
		}
	}
	return d
}

func TestJSDClosedForm(t *testing.T) {
	// Disjoint supports: JSD = 1 bit; identical: 0; [1,0] vs [½,½]:
	// ½(log2(4/3)) + ½(½ log2(2/3) + ½ log2 2) = 0.311278 (closed form).
	tests := []struct {
		p, q []float64
		want float64
	}{
		{[]float64{1, 0}, []float64{0, 1}, 1},
		{[]float64{3, 1}, []float64{6, 2}, 0},
		{[]float64{1, 0}, []float64{1, 1}, 0.5*math.Log2(4.0/3) + 0.25*math.Log2(2.0/3) + 0.25},
	}
	for _, tt := range tests {
		if got := jsd(tt.p, tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("jsd(%v, %v) = %g, want %g", tt.p, tt.q, got, tt.want)
		}
	}
}

// TestDependence checks, on ecommerce-bn (LLMSYNTHOR.md §5.1) with 20,000
// rows, that gaussian-copula, bayes-net and cart reproduce the dependence of
// category on age group and gender that independent misses.
func TestDependence(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-row statistical test")
	}
	ctx := context.Background()
	train := datasets.EcommerceBN(20000, 11)
	fresh := datasets.EcommerceBN(20000, 12)
	floor := jsdAgeGenderCategory(t, train, fresh) // sampling noise between two real samples
	got := map[string]float64{}
	for _, name := range []string{"independent", "gaussian-copula", "bayes-net", "cart"} {
		s, err := methods.New(name, nil, methods.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		out, err := s.Sample(ctx, 20000, 5)
		if err != nil {
			t.Fatal(err)
		}
		got[name] = jsdAgeGenderCategory(t, train, out)
	}
	t.Logf("JSD [age group, gender, category] vs training: real-vs-real %.4f, %v", floor, got)
	ind := got["independent"]
	for _, name := range []string{"gaussian-copula", "bayes-net", "cart"} {
		if got[name] > ind/2 {
			t.Errorf("%s: JSD %.4f is not well below independent's %.4f", name, got[name], ind)
		}
	}
	for _, name := range []string{"bayes-net", "cart"} {
		if got[name] > 5*floor+0.005 {
			t.Errorf("%s: JSD %.4f, real-vs-real %.4f", name, got[name], floor)
		}
	}
}

// TestBayesNetRecoversParents fits bayes-net on ecommerce-bn samples of
// 20,000 rows and checks that the learned network holds every edge of the
// true network p(A) p(G) p(L) p(C|A,G) p(X|C) p(M|L), in one direction or
// the other, in at least 4 of 5 seeds.
func TestBayesNetRecoversParents(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000-row statistical test")
	}
	truth := [][2]string{
		{"user_age", "product_category"},
		{"user_gender", "product_category"},
		{"product_category", "price"},
		{"user_location_tier", "payment_method"},
	}
	ok := 0
	for seed := uint64(1); seed <= 5; seed++ {
		bn, err := baselines.NewBayesNet(baselines.BayesNetConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if err := bn.Fit(context.Background(), datasets.EcommerceBN(20000, seed)); err != nil {
			t.Fatal(err)
		}
		all := true
		for _, e := range truth {
			if !slices.Contains(bn.Structure[e[1]], e[0]) && !slices.Contains(bn.Structure[e[0]], e[1]) {
				all = false
				t.Logf("seed %d: edge %s - %s missing from %v", seed, e[0], e[1], bn.Structure)
			}
		}
		if all {
			ok++
		}
	}
	if ok < 4 {
		t.Errorf("true edges recovered in %d of 5 seeds, want >= 4", ok)
	}
}

// TestIPFMatchesTargets checks that ipf's marginals and joints match the
// targets within sampling error: integerised sampling keeps every cell
// within a few standard errors sqrt(p(1−p)/n) of its target share.
func TestIPFMatchesTargets(t *testing.T) {
	ctx := context.Background()
	train := datasets.EcommerceBN(5000, 3)
	joints := [][]string{{"user_age", "user_gender", "product_category"}, {"product_category", "price"}, {"user_location_tier", "payment_method"}}
	space, err := macro.NewSpace(train, macro.DefaultBins)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := macro.TargetsFromTable(train, space, joints)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"fit-targets", "fit-table"} {
		t.Run(path, func(t *testing.T) {
			s, err := baselines.NewIPF(baselines.IPFConfig{Joints: joints})
			if err != nil {
				t.Fatal(err)
			}
			if path == "fit-targets" {
				err = s.FitTargets(ctx, nil, tg)
			} else {
				err = s.Fit(ctx, train)
			}
			if err != nil {
				t.Fatal(err)
			}
			n := 2000
			out, err := s.Sample(ctx, n, 9)
			if err != nil {
				t.Fatal(err)
			}
			if !s.Converged {
				t.Errorf("raking did not converge: max error %g", s.MaxError)
			}
			e, err := space.Encode(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, target := range tg.Tables() {
				got := macro.NewContingency(target.Vars...)
				if err := got.Add(e, 0, e.N); err != nil {
					t.Fatal(err)
				}
				want, have := target.Shares(), got.Shares()
				for c := range want {
					se := math.Sqrt(want[c] * (1 - want[c]) / float64(n))
					if d := math.Abs(have[c] - want[c]); d > 4*se+1.0/float64(n) {
						t.Errorf("[%s] cell %v: share %.4f, target %.4f (4 s.e. = %.4f)", target.Key(), target.Labels(c), have[c], want[c], 4*se)
					}
				}
			}
		})
	}
}

// TestMarginals checks the two floors against known truth on ecommerce-bn
// (20,000 rows): independent reproduces every marginal (categorical TVD
// and the two-sample Kolmogorov–Smirnov statistic of numbers within
// sampling error, about 1/sqrt(n)), and uniform spreads categories evenly
// and numbers with the mean (min+max)/2 of a uniform law.
func TestMarginals(t *testing.T) {
	ctx := context.Background()
	train := datasets.EcommerceBN(20000, 21)
	const n = 20000
	fit := func(name string) *table.Table {
		s, err := methods.New(name, nil, methods.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Fit(ctx, train); err != nil {
			t.Fatal(err)
		}
		out, err := s.Sample(ctx, n, 8)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	ind := fit("independent")
	uni := fit("uniform")
	for _, c := range train.Cols {
		switch c.Kind {
		case table.Categorical:
			p, q := shares(c), shares(ind.Col(c.Name))
			var tvd float64
			for k := range p {
				tvd += math.Abs(p[k]-q[k]) / 2
			}
			if tvd > 0.02 {
				t.Errorf("independent: %s: TVD %.4f", c.Name, tvd)
			}
			for k, s := range shares(uni.Col(c.Name)) {
				if math.Abs(s-1/float64(len(c.Dict))) > 0.02 {
					t.Errorf("uniform: %s: share of %q %.3f, want %.3f", c.Name, c.Dict[k], s, 1/float64(len(c.Dict)))
				}
			}
		case table.Float:
			if d := ks(c.Values(), ind.Col(c.Name).Values()); d > 0.025 { // the 1e-5 critical value is 0.0246
				t.Errorf("independent: %s: KS statistic %.4f", c.Name, d)
			}
			v := c.Values()
			lo, hi := slices.Min(v), slices.Max(v)
			var mean float64
			for _, x := range uni.Col(c.Name).Values() {
				mean += x / n
			}
			if se := (hi - lo) / math.Sqrt(12*n); math.Abs(mean-(lo+hi)/2) > 4*se {
				t.Errorf("uniform: %s: mean %.3f, want %.3f ± %.3f", c.Name, mean, (lo+hi)/2, 4*se)
			}
		}
	}
}

func shares(c *table.Column) []float64 {
	out := make([]float64, len(c.Dict))
	for _, k := range c.Codes {
		if k >= 0 {
			out[k]++
		}
	}
	for k := range out {
		out[k] /= float64(len(c.Codes))
	}
	return out
}

// ks returns the two-sample Kolmogorov–Smirnov statistic sup |F_a − F_b|.
func ks(a, b []float64) float64 {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	var d float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		x := min(a[i], b[j])
		for i < len(a) && a[i] == x {
			i++
		}
		for j < len(b) && b[j] == x {
			j++
		}
		d = max(d, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	return d
}

func TestKSClosedForm(t *testing.T) {
	// Disjoint samples: 1; identical: 0; {1,2} vs {2,3}: 0.5.
	tests := []struct {
		a, b []float64
		want float64
	}{
		{[]float64{1, 2}, []float64{3, 4}, 1},
		{[]float64{1, 2, 3}, []float64{3, 2, 1}, 0},
		{[]float64{1, 2}, []float64{2, 3}, 0.5},
	}
	for _, tt := range tests {
		if got := ks(tt.a, tt.b); got != tt.want {
			t.Errorf("ks(%v, %v) = %g, want %g", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestCopulaDeterministicColumns checks the gaussian-copula on columns that
// determine each other (as education and education-num do in Adult), whose
// correlation matrix is singular or, after the biserial scaling,
// indefinite: the dependence must survive the repair. Independent columns
// agree on a quarter of the rows.
func TestCopulaDeterministicColumns(t *testing.T) {
	n := 5000
	levels := []string{"a", "b", "c", "d"}
	a := make([]int32, n)
	x := make([]float64, n)
	for i := range a {
		a[i] = int32((i * 7) % 4)
		x[i] = float64(a[i])*10 + float64(i%10)
	}
	train := table.MustNew(
		table.NewCategorical("a", levels, a),
		table.NewCategorical("b", levels, slices.Clone(a)),
		table.NewFloat("x", x),
	)
	s := baselines.NewGaussianCopula()
	if err := s.Fit(context.Background(), train); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(context.Background(), n, 1)
	if err != nil {
		t.Fatal(err)
	}
	agree := 0
	var sum, cnt [4]float64
	oa, ob, ox := out.Col("a"), out.Col("b"), out.Col("x")
	for i := 0; i < n; i++ {
		if oa.Codes[i] == ob.Codes[i] {
			agree++
		}
		sum[oa.Codes[i]] += ox.Floats[i]
		cnt[oa.Codes[i]]++
	}
	if share := float64(agree) / float64(n); share < 0.7 {
		t.Errorf("a and b agree on %.2f of rows, want >= 0.7 (0.25 if independent)", share)
	}
	// Mean x given a: 4.5 for "a" and 34.5 for "d" in training; equal if
	// independent.
	if d := sum[3]/cnt[3] - sum[0]/cnt[0]; d < 10 {
		t.Errorf("mean x given d minus given a = %.1f, want >= 10 (30 in training, 0 if independent)", d)
	}
}
