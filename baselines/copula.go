package baselines

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/synthor/synthor/table"
)

const labelCopula = "gaussian-copula: empirical marginals joined by a Gaussian copula fitted on normal scores (categories as frequency-ordered intervals)"

// GaussianCopula models each column by its empirical marginal and the
// dependence between columns by a Gaussian copula (Sklar 1959; Nelsen, An
// Introduction to Copulas, 2006), as SDV's GaussianCopula does.
//
// Every column is mapped to (0, 1): missing values take the interval
// [0, m) where m is the missing share; the rest of the interval is split
// among the non-missing values. Numbers get u = m + (1−m)·(rank − ½)/k with
// mid-ranks for ties (k non-missing values). Categories (and distinct
// strings of a text column) are ordered by decreasing frequency, ties by
// code (or string), and each takes an interval as wide as its share; a row
// gets the midpoint of its category's interval. Normal scores z = Φ⁻¹(u)
// give the correlation matrix R (Pearson on z; a constant column is
// uncorrelated; R is shrunk toward the identity until it is positive
// definite). Sampling draws z ~ N(0, R) through the Cholesky factor,
// u = Φ(z), and inverts each column's map: numbers through the empirical
// quantile function with linear interpolation (inside the observed range;
// integer and datetime columns rounded), categories by their interval.
type GaussianCopula struct {
	tp   *template
	cols []copulaCol
	chol *mat.TriDense // lower Cholesky factor of R
}

type copulaCol struct {
	missing float64
	sorted  []float64 // numeric: observed values, ascending
	order   []int32   // categorical: codes by decreasing frequency
	strs    []string  // text: distinct strings by decreasing frequency
	cum     []float64 // categorical/text: cumulative shares along order/strs
	empty   bool
}

var _ Synthesizer = (*GaussianCopula)(nil)

// NewGaussianCopula returns an unfitted GaussianCopula.
func NewGaussianCopula() *GaussianCopula { return &GaussianCopula{} }

// Name returns "gaussian-copula".
func (*GaussianCopula) Name() string { return "gaussian-copula" }

// Label says what the method is.
func (*GaussianCopula) Label() string { return labelCopula }

// Fit computes the marginals and the copula correlation. Grouped tables are
// refused.
func (s *GaussianCopula) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	n, p := train.NumRows(), train.NumCols()
	s.tp = newTemplate(train)
	s.cols = make([]copulaCol, p)
	z := make([][]float64, p) // normal scores, column-major
	for j, c := range train.Cols {
		z[j] = make([]float64, n)
		s.cols[j] = fitCopulaCol(c, z[j])
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	R := mat.NewSymDense(p, nil)
	mean := make([]float64, p)
	sd := make([]float64, p)
	for j := range z {
		var m float64
		for _, v := range z[j] {
			m += v
		}
		if n > 0 {
			m /= float64(n)
		}
		var ss float64
		for _, v := range z[j] {
			ss += (v - m) * (v - m)
		}
		mean[j], sd[j] = m, math.Sqrt(ss)
	}
	for a := 0; a < p; a++ {
		R.SetSym(a, a, 1)
		for b := a + 1; b < p; b++ {
			if sd[a] < 1e-12 || sd[b] < 1e-12 {
				continue
			}
			var sab float64
			za, zb := z[a], z[b]
			for i := range za {
				sab += (za[i] - mean[a]) * (zb[i] - mean[b])
			}
			R.SetSym(a, b, sab/(sd[a]*sd[b]))
		}
	}
	var chol mat.Cholesky
	for lambda := 0.0; ; lambda = max(2*lambda, 1e-6) {
		if lambda >= 1 {
			lambda = 1
		}
		S := mat.NewSymDense(p, nil)
		for a := 0; a < p; a++ {
			for b := a; b < p; b++ {
				v := (1 - lambda) * R.At(a, b)
				if a == b {
					v = 1
				}
				S.SetSym(a, b, v)
			}
		}
		if chol.Factorize(S) {
			break
		}
		if lambda == 1 {
			return fmt.Errorf("%s: fit: correlation matrix is not positive definite", s.Name())
		}
	}
	s.chol = mat.NewTriDense(p, mat.Lower, nil)
	chol.LTo(s.chol)
	return nil
}

// fitCopulaCol fits one column's map to (0, 1) and writes each row's normal
// score into z.
func fitCopulaCol(c *table.Column, z []float64) copulaCol {
	n := c.Len()
	var cc copulaCol
	nulls := c.NullCount()
	if n > 0 {
		cc.missing = float64(nulls) / float64(n)
	}
	k := n - nulls
	cc.empty = k == 0
	u := make([]float64, n)
	mu := cc.missing / 2 // the missing block's midpoint
	switch {
	case c.Kind.Numeric():
		idx := make([]int, 0, k)
		for i := 0; i < n; i++ {
			if !c.IsNull(i) {
				idx = append(idx, i)
			}
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(c.Float(a), c.Float(b)) })
		cc.sorted = make([]float64, k)
		for r, i := range idx {
			cc.sorted[r] = c.Float(i)
		}
		for lo := 0; lo < k; {
			hi := lo + 1
			for hi < k && cc.sorted[hi] == cc.sorted[lo] {
				hi++
			}
			rank := float64(lo+hi+1) / 2 // mid-rank, 1-based
			for r := lo; r < hi; r++ {
				u[idx[r]] = cc.missing + (1-cc.missing)*(rank-0.5)/float64(k)
			}
			lo = hi
		}
	case c.Kind == table.Categorical:
		counts := make([]int, len(c.Dict))
		for _, code := range c.Codes {
			if code >= 0 {
				counts[code]++
			}
		}
		for code, cnt := range counts {
			if cnt > 0 {
				cc.order = append(cc.order, int32(code))
			}
		}
		slices.SortStableFunc(cc.order, func(a, b int32) int { return cmp.Compare(counts[b], counts[a]) })
		mid := make([]float64, len(c.Dict))
		cc.cum = make([]float64, len(cc.order))
		var acc float64
		for i, code := range cc.order {
			w := float64(counts[code]) / float64(k)
			mid[code] = cc.missing + (1-cc.missing)*(acc+w/2)
			acc += w
			cc.cum[i] = acc
		}
		for i, code := range c.Codes {
			if code >= 0 {
				u[i] = mid[code]
			}
		}
	default:
		counts := map[string]int{}
		for i, s := range c.Strs {
			if !c.IsNull(i) {
				counts[s]++
			}
		}
		for s := range counts {
			cc.strs = append(cc.strs, s)
		}
		slices.SortFunc(cc.strs, func(a, b string) int {
			if d := cmp.Compare(counts[b], counts[a]); d != 0 {
				return d
			}
			return cmp.Compare(a, b)
		})
		mid := make(map[string]float64, len(counts))
		cc.cum = make([]float64, len(cc.strs))
		var acc float64
		for i, s := range cc.strs {
			w := float64(counts[s]) / float64(k)
			mid[s] = cc.missing + (1-cc.missing)*(acc+w/2)
			acc += w
			cc.cum[i] = acc
		}
		for i, s := range c.Strs {
			if !c.IsNull(i) {
				u[i] = mid[s]
			}
		}
	}
	for i := range u {
		if c.IsNull(i) {
			u[i] = mu
		}
		z[i] = distuv.UnitNormal.Quantile(u[i])
	}
	return cc
}

// Sample draws n rows.
func (s *GaussianCopula) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.chol != nil, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x636f7075)
	p := len(s.cols)
	b := s.tp.builder(n)
	e := make([]float64, p)
	L := s.chol.RawTriangular()
	for i := 0; i < n; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for j := range e {
			e[j] = r.NormFloat64()
		}
		for j := 0; j < p; j++ {
			var zj float64
			row := L.Data[j*L.Stride : j*L.Stride+j+1]
			for k, l := range row {
				zj += l * e[k]
			}
			s.cols[j].set(b, j, i, distuv.UnitNormal.CDF(zj))
		}
	}
	return b.table()
}

// set writes the value at copula coordinate u into row i of column j.
func (cc *copulaCol) set(b *builder, j, i int, u float64) {
	if cc.empty || u < cc.missing {
		b.null(j, i)
		return
	}
	v := (u - cc.missing) / (1 - cc.missing)
	c := b.cols[j]
	switch {
	case cc.sorted != nil:
		b.num(j, i, quantile(cc.sorted, v))
	case cc.order != nil:
		c.Codes[i] = cc.order[searchCum(cc.cum, v)]
	default:
		c.Strs[i] = cc.strs[searchCum(cc.cum, v)]
	}
}
