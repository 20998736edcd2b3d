package baselines

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/synthor/synthor/table"
)

const LabelCopula = "gaussian-copula: empirical marginals joined by a Gaussian copula on normal scores (categories as one latent dimension per non-baseline level)"

// copulaMaxLevels is the most levels a categorical column may have to get
// one latent dimension per level; wider columns (and text) get one
// frequency-ordered dimension.
const copulaMaxLevels = 50

// GaussianCopula models each column by its empirical marginal and the
// dependence between columns by a Gaussian copula (Sklar 1959; Nelsen, An
// Introduction to Copulas, 2006) over latent dimensions:
//
//   - A numeric column is one dimension. Missing values take the interval
//     [0, m) of (0, 1), m the missing share; a present value gets
//     u = m + (1−m)·(rank − ½)/k with mid-ranks for ties (k present values).
//   - A categorical column with L levels (missing counts as a level when it
//     occurs), 2 <= L <= 50, is L−1 dimensions, one per level but the most
//     frequent (the baseline): the level's indicator, whose share is p, maps
//     to u = (1−p)/2 when off and 1 − p/2 when on. This one-hot encoding
//     lets the copula carry non-monotone dependence (a category favoured by
//     the young and the old) that a single ordering of categories cannot.
//   - A text column, or a categorical one with more than 50 levels, is one
//     dimension: values ordered by decreasing frequency (ties by code or
//     string), each taking an interval as wide as its share, a row getting
//     its interval's midpoint (SDV's frequency encoding).
//
// Normal scores z = Φ⁻¹(u) give the correlation matrix R: Pearson on z, a
// constant dimension uncorrelated, a one-hot dimension's correlations scaled
// by sqrt(p(1−p))/φ(τ) to the latent (biserial) scale, entries clamped to
// ±0.995, and R replaced, when it is not positive definite, by a nearby
// correlation matrix that is (eigenvalues clipped at 1e-3, unit diagonal). Sampling draws z ~ N(0, R) through the Cholesky
// factor and maps back: numbers through u = Φ(z) and the empirical quantile
// function with linear interpolation (inside the observed range; integer and
// datetime columns rounded), frequency-ordered values by their interval,
// and a one-hot column to the level l maximising z_l − τ_l + c_l, or the
// baseline when none is positive, where τ_l = Φ⁻¹(1 − p_l) and the offsets
// c_l are calibrated at fit time on 16,384 fixed draws so that the level
// shares match the observed ones (to within one percentage point). Grouped
// tables are refused.
type GaussianCopula struct {
	tp   *template
	cols []copulaCol
	dims int
	chol *mat.TriDense // lower Cholesky factor of R
}

type copulaMode uint8

const (
	copulaEmpty   copulaMode = iota // no present value, or one level: constant
	copulaNumeric                   // one dimension, empirical quantiles
	copulaOrdinal                   // one dimension, frequency-ordered values
	copulaOneHot                    // L−1 dimensions
)

type copulaCol struct {
	mode    copulaMode
	dim     int     // first latent dimension
	missing float64 // numeric, ordinal: share of missing values
	sorted  []float64
	order   []int32   // ordinal categorical: codes by decreasing frequency
	strs    []string  // ordinal text: strings by decreasing frequency
	cum     []float64 // ordinal: cumulative shares along order or strs
	levels  []int32   // one-hot (and a constant column): codes, Missing for the missing level; levels[0] is the baseline
	tau     []float64 // one-hot: per level (index 0 unused)
	off     []float64 // one-hot: calibrated offsets (index 0 unused)
}

// NewGaussianCopula returns an unfitted GaussianCopula.
func NewGaussianCopula() *GaussianCopula { return &GaussianCopula{} }

// Name returns "gaussian-copula".
func (*GaussianCopula) Name() string { return "gaussian-copula" }

// Label says what the method is.
func (*GaussianCopula) Label() string { return LabelCopula }

// Fit computes the marginals, the copula correlation and the offsets.
func (s *GaussianCopula) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	n := train.NumRows()
	s.chol = nil // unfitted until this fit succeeds
	s.tp = newTemplate(train)
	s.cols = make([]copulaCol, train.NumCols())
	var z [][]float64 // normal scores, one slice per dimension
	for j, c := range train.Cols {
		s.cols[j].dim = len(z)
		z = fitCopulaCol(&s.cols[j], c, z)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	p := len(z)
	s.dims = p
	mean := make([]float64, p)
	sd := make([]float64, p)
	for d := range z {
		var m float64
		for _, v := range z[d] {
			m += v
		}
		if n > 0 {
			m /= float64(n)
		}
		var ss float64
		for i, v := range z[d] {
			z[d][i] = v - m
			ss += (v - m) * (v - m)
		}
		mean[d], sd[d] = m, math.Sqrt(ss)
	}
	// A one-hot dimension's correlations are point-biserial ones; scaling by
	// sqrt(p(1−p))/φ(τ) turns them into the latent (biserial) correlation
	// of a Gaussian thresholded at τ (Pearson 1909), which the sampler's
	// thresholding then attenuates back.
	scale := make([]float64, p)
	for d := range scale {
		scale[d] = 1
	}
	for _, cc := range s.cols {
		if cc.mode != copulaOneHot {
			continue
		}
		for l := 1; l < len(cc.levels); l++ {
			q := 1 - distuv.UnitNormal.CDF(cc.tau[l])
			scale[cc.dim+l-1] = math.Sqrt(q*(1-q)) / distuv.UnitNormal.Prob(cc.tau[l])
		}
	}
	R := mat.NewSymDense(max(p, 1), nil)
	for a := 0; a < p; a++ {
		R.SetSym(a, a, 1)
		if sd[a] < 1e-12 {
			continue
		}
		for b := a + 1; b < p; b++ {
			if sd[b] < 1e-12 {
				continue
			}
			var sab float64
			za, zb := z[a], z[b]
			for i := range za {
				sab += za[i] * zb[i]
			}
			r := sab / (sd[a] * sd[b]) * scale[a] * scale[b]
			R.SetSym(a, b, max(-0.995, min(0.995, r)))
		}
		if a%8 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	if p == 0 {
		R.SetSym(0, 0, 1)
	}
	size := max(p, 1)
	chol, err := nearestCorrelation(R, size)
	if err != nil {
		return fmt.Errorf("%s: fit: %w", s.Name(), err)
	}
	s.chol = mat.NewTriDense(size, mat.Lower, nil)
	chol.LTo(s.chol)
	var zs [][]float64 // calibration draws, made once for all columns
	for j := range s.cols {
		if s.cols[j].mode == copulaOneHot {
			if zs == nil {
				zs = s.calibrationDraws()
			}
			s.cols[j].calibrate(zs)
		}
	}
	return ctx.Err()
}

// fitCopulaCol fits one column and appends the normal scores of its
// dimensions to z.
func fitCopulaCol(cc *copulaCol, c *table.Column, z [][]float64) [][]float64 {
	n := c.Len()
	nulls := c.NullCount()
	if n > 0 {
		cc.missing = float64(nulls) / float64(n)
	}
	k := n - nulls
	if k == 0 {
		cc.mode = copulaEmpty
		cc.levels = []int32{table.Missing}
		return z
	}
	u := make([]float64, n)
	switch {
	case c.Kind.Numeric():
		cc.mode = copulaNumeric
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
		counts := make([]int, len(c.Dict)+1) // the last is missing
		for _, code := range c.Codes {
			if code >= 0 {
				counts[code]++
			} else {
				counts[len(c.Dict)]++
			}
		}
		var levels []int32
		for code, cnt := range counts {
			if cnt > 0 {
				if code == len(c.Dict) {
					levels = append(levels, table.Missing)
				} else {
					levels = append(levels, int32(code))
				}
			}
		}
		countOf := func(code int32) int {
			if code < 0 {
				return counts[len(c.Dict)]
			}
			return counts[code]
		}
		slices.SortStableFunc(levels, func(a, b int32) int { return cmp.Compare(countOf(b), countOf(a)) })
		if len(levels) == 1 {
			cc.mode = copulaEmpty
			cc.levels = levels
			return z
		}
		if len(levels) <= copulaMaxLevels {
			cc.mode = copulaOneHot
			cc.levels = levels
			cc.tau = make([]float64, len(levels))
			cc.off = make([]float64, len(levels))
			for l := 1; l < len(levels); l++ {
				p := float64(countOf(levels[l])) / float64(n)
				cc.tau[l] = distuv.UnitNormal.Quantile(1 - p)
				zOff := distuv.UnitNormal.Quantile((1 - p) / 2)
				zOn := distuv.UnitNormal.Quantile(1 - p/2)
				d := make([]float64, n)
				for i, code := range c.Codes {
					if code == levels[l] {
						d[i] = zOn
					} else {
						d[i] = zOff
					}
				}
				z = append(z, d)
			}
			return z
		}
		cc.mode = copulaOrdinal
		for _, code := range levels {
			if code >= 0 {
				cc.order = append(cc.order, code)
			}
		}
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
		cc.mode = copulaOrdinal
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
	d := make([]float64, n)
	for i := range u {
		if c.IsNull(i) {
			u[i] = cc.missing / 2 // the missing block's midpoint
		}
		d[i] = distuv.UnitNormal.Quantile(u[i])
	}
	return append(z, d)
}

// calibrationDraws returns 16,384 fixed draws of z ~ N(0, R).
func (s *GaussianCopula) calibrationDraws() [][]float64 {
	const draws = 16384
	tri := s.chol.RawTriangular()
	r := rand.New(rand.NewPCG(0, 0x63616c69))
	p := s.dims
	zs := make([][]float64, draws)
	e := make([]float64, p)
	for k := range zs {
		for i := range e {
			e[i] = r.NormFloat64()
		}
		zs[k] = make([]float64, p)
		for d := 0; d < p; d++ {
			var v float64
			for q, l := range tri.Data[d*tri.Stride : d*tri.Stride+d+1] {
				v += l * e[q]
			}
			zs[k][d] = v
		}
	}
	return zs
}

// calibrate sets a one-hot column's offsets so that, on the fixed draws zs
// of the copula, each level's share matches the observed one: damped
// updates c_l += ½ log(p_l / p̂_l) until every share is within 0.002, 100
// rounds at most (a column of many rare levels may stop near 0.006).
func (cc *copulaCol) calibrate(zs [][]float64) {
	L := len(cc.levels)
	draws := float64(len(zs))
	lo, hi := cc.dim, cc.dim+L-1
	want := make([]float64, L)
	for l := 1; l < L; l++ {
		want[l] = 1 - distuv.UnitNormal.CDF(cc.tau[l])
	}
	want[0] = 1
	for l := 1; l < L; l++ {
		want[0] -= want[l]
	}
	got := make([]float64, L)
	for round := 0; round < 100; round++ {
		clear(got)
		for _, zk := range zs {
			got[cc.pick(zk[lo:hi])]++
		}
		worst := 0.0
		for l := 1; l < L; l++ {
			g := max(got[l], 0.5) / draws
			worst = max(worst, math.Abs(g-want[l]))
			cc.off[l] += 0.5 * math.Log(want[l]/g)
		}
		if worst < 0.002 {
			break
		}
	}
}

// pick returns the level index chosen by the latent values zk of a one-hot
// column's dimensions.
func (cc *copulaCol) pick(zk []float64) int {
	best, bestS := 0, 0.0
	for l := 1; l < len(cc.levels); l++ {
		if s := zk[l-1] - cc.tau[l] + cc.off[l]; s > bestS {
			best, bestS = l, s
		}
	}
	return best
}

// Sample draws n rows.
func (s *GaussianCopula) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.chol != nil, n); err != nil {
		return nil, err
	}
	r := newRand(seed, 0x636f7075)
	p := s.dims
	b := s.tp.builder(n)
	e := make([]float64, p)
	z := make([]float64, p)
	L := s.chol.RawTriangular()
	for i := 0; i < n; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for d := range e {
			e[d] = r.NormFloat64()
		}
		for d := 0; d < p; d++ {
			var v float64
			for k, l := range L.Data[d*L.Stride : d*L.Stride+d+1] {
				v += l * e[k]
			}
			z[d] = v
		}
		for j := range s.cols {
			s.cols[j].set(b, j, i, z)
		}
	}
	return b.table()
}

// set writes the value given by latent vector z into row i of column j.
func (cc *copulaCol) set(b *builder, j, i int, z []float64) {
	c := b.cols[j]
	switch cc.mode {
	case copulaEmpty:
		if cc.levels[0] < 0 {
			b.null(j, i)
		} else {
			c.Codes[i] = cc.levels[0]
		}
		return
	case copulaOneHot:
		code := cc.levels[cc.pick(z[cc.dim:cc.dim+len(cc.levels)-1])]
		if code < 0 {
			b.null(j, i)
		} else {
			c.Codes[i] = code
		}
		return
	}
	u := distuv.UnitNormal.CDF(z[cc.dim])
	if u < cc.missing {
		b.null(j, i)
		return
	}
	v := (u - cc.missing) / (1 - cc.missing)
	switch {
	case cc.mode == copulaNumeric:
		b.num(j, i, quantile(cc.sorted, v))
	case cc.order != nil:
		c.Codes[i] = cc.order[searchCum(cc.cum, v)]
	default:
		c.Strs[i] = cc.strs[searchCum(cc.cum, v)]
	}
}

// nearestCorrelation returns the Cholesky factorisation of R when R is
// positive definite, else of a positive definite correlation matrix near
// it: eigenvalues clipped at 1e-3 (Higham 2002's first projection step),
// the result rescaled to a unit diagonal and, should rounding still defeat
// the factorisation, shrunk toward the identity.
func nearestCorrelation(R *mat.SymDense, size int) (*mat.Cholesky, error) {
	var chol mat.Cholesky
	if chol.Factorize(R) {
		return &chol, nil
	}
	var eig mat.EigenSym
	if !eig.Factorize(R, true) {
		return nil, errors.New("eigen-decomposition of the correlation matrix failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	for i := range vals {
		vals[i] = max(vals[i], 1e-3)
	}
	C := mat.NewSymDense(size, nil)
	for a := 0; a < size; a++ {
		for b := a; b < size; b++ {
			var v float64
			for k, l := range vals {
				v += vecs.At(a, k) * l * vecs.At(b, k)
			}
			C.SetSym(a, b, v)
		}
	}
	d := make([]float64, size)
	for a := range d {
		d[a] = math.Sqrt(C.At(a, a))
	}
	for lambda := 0.0; lambda <= 1; lambda = max(2*lambda, 1e-6) {
		S := mat.NewSymDense(size, nil)
		for a := 0; a < size; a++ {
			S.SetSym(a, a, 1)
			for b := a + 1; b < size; b++ {
				S.SetSym(a, b, (1-lambda)*C.At(a, b)/(d[a]*d[b]))
			}
		}
		if chol.Factorize(S) {
			return &chol, nil
		}
	}
	return nil, errors.New("correlation matrix is not positive definite")
}
