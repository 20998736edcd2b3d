package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultLevel is the confidence level of the scorecard's intervals.
const DefaultLevel = 0.95

// DefaultAlpha is the family-wise false-alarm rate of the gate and the
// significance level of the ranking's tests.
const DefaultAlpha = 0.05

// MeanCI returns the two-sided confidence interval at level for the mean
// of s's N values, from Student's t with N−1 degrees of freedom:
//
//	mean ± t_{(1+level)/2, N−1} · sd / √N
//
// ok is false below two values (no spread to estimate). With a handful of
// seeds the t quantile is much wider than the normal one (4.30 for three
// values at 95 %, against 1.96).
func MeanCI(s Stat, level float64) (lo, hi float64, ok bool) {
	if s.N < 2 || math.IsNaN(s.SD) {
		return math.NaN(), math.NaN(), false
	}
	h := tQuantile(s.N-1, (1+level)/2) * s.SD / math.Sqrt(float64(s.N))
	return s.Mean - h, s.Mean + h, true
}

// tQuantiles caches Student's t quantiles by (df, p): a report asks for
// the same few for thousands of cells.
var tQuantiles sync.Map

type tKey struct {
	df int
	p  float64
}

func tQuantile(df int, p float64) float64 {
	k := tKey{df, p}
	if q, ok := tQuantiles.Load(k); ok {
		return q.(float64)
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
	tQuantiles.Store(k, q)
	return q
}

// Welch is Welch's unequal-variances t statistic of the difference of two
// means, with the Welch–Satterthwaite degrees of freedom:
//
//	t  = (m₁ − m₂) / √(v₁/n₁ + v₂/n₂)
//	df = (v₁/n₁ + v₂/n₂)² / ((v₁/n₁)²/(n₁−1) + (v₂/n₂)²/(n₂−1))
//
// as scipy.stats.ttest_ind(a, b, equal_var=False). Reference: B. L.
// Welch (1947), "The generalization of Student's problem when several
// different population variances are involved", Biometrika 34.
type Welch struct {
	T  float64 `json:"t"`
	DF float64 `json:"df"`
	// SE is the standard error of the difference, √(v₁/n₁ + v₂/n₂).
	SE float64 `json:"se"`
}

// ErrTooFewValues is returned by WelchT when a side has fewer than two
// values: no variance to estimate.
var ErrTooFewValues = errors.New("fewer than two values on a side")

// WelchT returns Welch's t of a's mean minus b's. When both sides have
// no spread, T is 0 for equal means and ±Inf otherwise (a deterministic
// change), DF is NaN and SE 0.
func WelchT(a, b Stat) (Welch, error) {
	if a.N < 2 || b.N < 2 {
		return Welch{}, ErrTooFewValues
	}
	va, vb := sq(a.SD)/float64(a.N), sq(b.SD)/float64(b.N)
	se := math.Sqrt(va + vb)
	d := a.Mean - b.Mean
	if se == 0 {
		t := 0.0
		if d != 0 {
			t = math.Copysign(math.Inf(1), d)
		}
		return Welch{T: t, DF: math.NaN()}, nil
	}
	df := sq(va+vb) / (sq(va)/float64(a.N-1) + sq(vb)/float64(b.N-1))
	return Welch{T: d / se, DF: df, SE: se}, nil
}

// Upper is the one-sided p-value P(T ≥ t) under the null of equal means
// (scipy's alternative="greater"): 0 for +Inf, 1 for a zero t without
// spread.
func (w Welch) Upper() float64 {
	switch {
	case math.IsInf(w.T, 1):
		return 0
	case math.IsInf(w.T, -1) || math.IsNaN(w.DF):
		return 1
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: w.DF}.Survival(w.T)
}

// Critical is the t quantile a one-sided test at level alpha needs:
// t_{1−alpha, DF}; 0 when there is no spread.
func (w Welch) Critical(alpha float64) float64 {
	if math.IsNaN(w.DF) {
		return 0
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: w.DF}.Quantile(1 - alpha)
}

// Holm returns Holm's step-down adjusted p-values of ps, in ps's order:
//
//	p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j))
//
// over the p-values sorted ascending. Rejecting every hypothesis whose
// adjusted p-value is at most α keeps the probability of any false
// rejection among the m at most α, whatever their dependence. Reference:
// S. Holm (1979), "A simple sequentially rejective multiple test
// procedure", Scand. J. Statist. 6; as statsmodels' multipletests(method
// ="holm").
func Holm(ps []float64) []float64 {
	m := len(ps)
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(ps[a], ps[b]) })
	out := make([]float64, m)
	run := 0.0
	for j, i := range idx {
		run = max(run, min(1, float64(m-j)*ps[i]))
		out[i] = run
	}
	return out
}

// HolmThreshold is the level Holm compares the j-th smallest of m
// p-values with (j from 0): α / (m − j).
func HolmThreshold(alpha float64, m, j int) float64 { return alpha / float64(m-j) }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Friedman is the Friedman test of k methods over N blocks (datasets,
// seeds): are their mean ranks further apart than chance would put them?
type Friedman struct {
	N int `json:"n"`
	K int `json:"k"`
	// MeanRanks[j] is method j's mean rank over the blocks (1 = best).
	MeanRanks []float64 `json:"mean_ranks"`
	// ChiSq is Friedman's statistic, corrected for ties as
	// scipy.stats.friedmanchisquare; P its χ²(k−1) upper tail.
	ChiSq float64 `json:"chi_sq"`
	P     float64 `json:"p"`
	// FF is Iman and Davenport's F = (N−1)χ² / (N(k−1) − χ²), on (k−1,
	// (k−1)(N−1)) degrees of freedom, which Demšar (2006) recommends over
	// χ²; PF its upper tail (0 when χ² reaches N(k−1): every block ranks
	// the methods alike).
	FF float64 `json:"ff"`
	PF float64 `json:"pf"`
}

// FriedmanTest ranks x[b] (block b's values, one per method; lower is
// better) within each block, ties sharing their mean rank, and tests
// whether the methods' mean ranks differ:
//
//	χ² = [12 / (N k (k+1)) · Σ_j R_j² − 3N(k+1)] / C,
//	C  = 1 − Σ_b Σ_ties (t³ − t) / (N k (k² − 1))
//
// with R_j method j's rank sum. Reference: M. Friedman (1937), J. Amer.
// Statist. Assoc. 32; J. Demšar (2006), "Statistical comparisons of
// classifiers over multiple data sets", JMLR 7, §3.2.2.
func FriedmanTest(x [][]float64) (Friedman, error) {
	n := len(x)
	if n == 0 {
		return Friedman{}, errors.New("friedman: no block")
	}
	k := len(x[0])
	if k < 2 {
		return Friedman{}, fmt.Errorf("friedman: %d methods, want at least 2", k)
	}
	sums := make([]float64, k)
	ties := 0.0
	for b, row := range x {
		if len(row) != k {
			return Friedman{}, fmt.Errorf("friedman: block %d has %d values, want %d", b, len(row), k)
		}
		r, t := midRanks(row)
		for j := range r {
			sums[j] += r[j]
		}
		ties += t
	}
	f := Friedman{N: n, K: k, MeanRanks: make([]float64, k)}
	var ss float64
	for j, s := range sums {
		f.MeanRanks[j] = s / float64(n)
		ss += s * s
	}
	fn, fk := float64(n), float64(k)
	c := 1 - ties/(fn*fk*(fk*fk-1))
	if c <= 0 {
		// Every block ties every method: no evidence of a difference.
		f.P, f.PF = 1, 1
		return f, nil
	}
	f.ChiSq = (12/(fn*fk*(fk+1))*ss - 3*fn*(fk+1)) / c
	f.ChiSq = max(f.ChiSq, 0)
	f.P = distuv.ChiSquared{K: fk - 1}.Survival(f.ChiSq)
	f.PF = 1
	switch den := fn*(fk-1) - f.ChiSq; {
	case n < 2:
	case den <= 1e-12*fn*fk:
		f.FF, f.PF = math.Inf(1), 0
	default:
		f.FF = (fn - 1) * f.ChiSq / den
		f.PF = distuv.F{D1: fk - 1, D2: (fk - 1) * (fn - 1)}.Survival(f.FF)
	}
	return f, nil
}

// midRanks ranks xs ascending from 1, ties sharing the mean of their
// ranks, and returns Σ (t³ − t) over the tie groups.
func midRanks(xs []float64) ([]float64, float64) {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(xs[a], xs[b]) })
	out := make([]float64, len(xs))
	ties := 0.0
	for lo := 0; lo < len(idx); {
		hi := lo
		for hi+1 < len(idx) && xs[idx[hi+1]] == xs[idx[lo]] {
			hi++
		}
		r := float64(lo+hi)/2 + 1
		for k := lo; k <= hi; k++ {
			out[idx[k]] = r
		}
		t := float64(hi - lo + 1)
		ties += t*t*t - t
		lo = hi + 1
	}
	return out, ties
}

// NemenyiCD is the critical difference of the Nemenyi test: two of k
// methods ranked over N blocks differ at level alpha when their mean
// ranks differ by at least
//
//	CD = q_α √(k(k+1) / (6N)),
//
// with q_α the studentized range quantile for k means and infinite degrees
// of freedom, divided by √2 (Demšar 2006, §3.2.2 and Table 5a: 1.960 for
// k = 2, 2.343 for 3, ..., 3.164 for 10).
func NemenyiCD(k, n int, alpha float64) float64 {
	return nemenyiQ(k, alpha) * math.Sqrt(float64(k*(k+1))/(6*float64(n)))
}

// nemenyiQs caches q_α/√2 by (k, α): each takes a few hundred thousand
// normal CDF evaluations.
var nemenyiQs sync.Map

type nemenyiKey struct {
	k     int
	alpha float64
}

func nemenyiQ(k int, alpha float64) float64 {
	key := nemenyiKey{k, alpha}
	if q, ok := nemenyiQs.Load(key); ok {
		return q.(float64)
	}
	q := studentizedRangeQuantile(1-alpha, k) / math.Sqrt2
	nemenyiQs.Store(key, q)
	return q
}

// studentizedRangeCDF is P(range of k standard normal draws ≤ q):
//
//	k ∫ φ(z) [Φ(z+q) − Φ(z)]^{k−1} dz
//
// by composite Simpson on [−12, 12] (scipy.stats.studentized_range with
// df = ∞).
func studentizedRangeCDF(q float64, k int) float64 {
	if q <= 0 {
		return 0
	}
	const lo, hi, steps = -12.0, 12.0, 2400
	nrm := distuv.UnitNormal
	f := func(z float64) float64 {
		return nrm.Prob(z) * math.Pow(nrm.CDF(z+q)-nrm.CDF(z), float64(k-1))
	}
	h := (hi - lo) / steps
	s := f(lo) + f(hi)
	for i := 1; i < steps; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(lo+float64(i)*h)
	}
	return float64(k) * s * h / 3
}

// studentizedRangeQuantile inverts studentizedRangeCDF by bisection.
func studentizedRangeQuantile(p float64, k int) float64 {
	lo, hi := 0.0, 20.0
	for range 100 {
		mid := (lo + hi) / 2
		if studentizedRangeCDF(mid, k) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// MarshalJSON writes an infinite FF (every block ranks the methods alike)
// as null: JSON has no infinity.
func (f Friedman) MarshalJSON() ([]byte, error) {
	type plain Friedman
	out := struct {
		plain
		FF *float64 `json:"ff"`
	}{plain: plain(f)}
	if !math.IsInf(f.FF, 0) && !math.IsNaN(f.FF) {
		out.FF = &f.FF
	}
	return json.Marshal(out)
}
