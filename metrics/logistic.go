package metrics

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// Logistic regression hyper-parameters, fixed so that utility scores are
// comparable across runs; they match scikit-learn's
// LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000) on one-hot
// categoricals and standardised numerics.
const (
	// logisticC is the inverse L2 penalty strength: the objective is
	// C·Σᵢ loss(i) + ½‖w‖², the intercepts unpenalised.
	logisticC = 1.0
	// logisticMaxIter caps the L-BFGS iterations.
	logisticMaxIter = 1000
	// logisticGradTol stops L-BFGS when the infinity norm of the gradient
	// of the per-row objective falls below it.
	logisticGradTol = 1e-7
)

// design is a feature matrix for logistic regression: numeric columns
// standardised with the training mean and (population) standard deviation,
// missing values set to 0 (the training mean), and categorical columns
// one-hot encoded over the levels seen in training (a missing value is a
// level of its own; a level unseen in training sets no indicator). The
// one-hot part is stored sparsely as the active indicator of each column.
type design struct {
	n, nNum, nCat int
	width         int       // nNum + number of indicators
	num           []float64 // n × nNum, row-major
	cat           []int32   // n × nCat, row-major: indicator index in [nNum, width), or -1
}

// designCoder turns the encoded columns of one table into a design, with
// the standardisation and indicator layout learnt on the training table.
type designCoder struct {
	mean, sd []float64 // per numeric column
	levels   [][]int32 // per categorical column: code+1 → indicator (−1: unseen)
	width    int
	numCols  []int // indices into the mixedCol slice
	catCols  []int
}

// newDesignCoder learns the coding from table k of cols, over its rows
// where keep is true.
func newDesignCoder(cols []mixedCol, k int, keep []bool) *designCoder {
	dc := &designCoder{}
	for j, c := range cols {
		if !c.cat {
			dc.numCols = append(dc.numCols, j)
			var s, s2, n float64
			for i, v := range c.num[k] {
				if keep[i] && !math.IsNaN(v) {
					s += v
					n++
				}
			}
			m := 0.0
			if n > 0 {
				m = s / n
			}
			for i, v := range c.num[k] {
				if keep[i] && !math.IsNaN(v) {
					s2 += (v - m) * (v - m)
				}
			}
			sd := 1.0
			if n > 0 && s2 > 0 {
				sd = math.Sqrt(s2 / n)
			}
			dc.mean, dc.sd = append(dc.mean, m), append(dc.sd, sd)
		} else {
			dc.catCols = append(dc.catCols, j)
		}
	}
	dc.width = len(dc.numCols)
	for _, j := range dc.catCols {
		c := cols[j]
		lv := make([]int32, c.levels+1)
		for i := range lv {
			lv[i] = -1
		}
		for i, code := range c.codes[k] {
			if keep[i] && lv[code+1] < 0 {
				lv[code+1] = 0 // seen; numbered below in code order
			}
		}
		for i := range lv {
			if lv[i] == 0 {
				lv[i] = int32(dc.width)
				dc.width++
			}
		}
		dc.levels = append(dc.levels, lv)
	}
	return dc
}

// code builds the design of table k of cols over the given rows.
func (dc *designCoder) code(cols []mixedCol, k int, rows []int) *design {
	d := &design{n: len(rows), nNum: len(dc.numCols), nCat: len(dc.catCols), width: dc.width}
	d.num = make([]float64, d.n*d.nNum)
	d.cat = make([]int32, d.n*d.nCat)
	for r, i := range rows {
		for a, j := range dc.numCols {
			v := cols[j].num[k][i]
			if !math.IsNaN(v) {
				d.num[r*d.nNum+a] = (v - dc.mean[a]) / dc.sd[a]
			}
		}
		for a, j := range dc.catCols {
			d.cat[r*d.nCat+a] = dc.levels[a][cols[j].codes[k][i]+1]
		}
	}
	return d
}

// logistic is a fitted logistic regression: one weight vector (binary) or
// one per class (multinomial), each [intercept, weights by design index].
type logistic struct {
	classes int
	w       [][]float64
}

// fitLogistic fits an L2-penalised logistic regression of y (class codes
// in [0, k)) on d by L-BFGS (gonum optimize): binomial with one weight
// vector for k = 2, multinomial (softmax) with k vectors otherwise, as
// scikit-learn's lbfgs solver does. The objective, divided by the row
// count for scale, is C·Σᵢ −log p(yᵢ | xᵢ) + ½‖w‖² without the intercepts.
//
// A cancelled ctx stops the optimisation (the objective turns flat) and
// returns ctx's error.
func fitLogistic(ctx context.Context, d *design, y []int32, k int) (*logistic, error) {
	if k < 2 {
		return nil, fmt.Errorf("logistic regression needs two classes, got %d", k)
	}
	m := k
	if k == 2 {
		m = 1
	}
	dim := d.width + 1
	lr := &logistic{classes: k}
	var last []float64
	var lastF float64
	var lastG []float64
	eval := func(x []float64) {
		if last != nil && equalFloats(last, x) {
			return
		}
		last = append(last[:0], x...)
		lastG = make([]float64, len(x))
		if ctx.Err() != nil {
			lastF = 0 // a zero gradient: L-BFGS stops at once
			return
		}
		lastF = lr.objective(d, y, x, m, dim, lastG)
	}
	p := optimize.Problem{
		Func: func(x []float64) float64 { eval(x); return lastF },
		Grad: func(g, x []float64) { eval(x); copy(g, lastG) },
	}
	x0 := make([]float64, m*dim)
	res, err := optimize.Minimize(p, x0, &optimize.Settings{
		GradientThreshold: logisticGradTol,
		MajorIterations:   logisticMaxIter,
	}, &optimize.LBFGS{})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("logistic regression: %w", err)
	}
	// A line search that stops making progress at the optimum is reported
	// as an error by gonum; the location found is still the best one.
	for c := 0; c < m; c++ {
		lr.w = append(lr.w, append([]float64(nil), res.X[c*dim:(c+1)*dim]...))
	}
	return lr, nil
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// objective returns the scaled objective at x and writes its gradient to g.
func (lr *logistic) objective(d *design, y []int32, x []float64, m, dim int, g []float64) float64 {
	z := make([]float64, m)
	r := make([]float64, m)
	var loss float64
	for i := 0; i < d.n; i++ {
		for c := 0; c < m; c++ {
			z[c] = d.dot(i, x[c*dim:(c+1)*dim])
		}
		yi := int(y[i])
		if m == 1 {
			// log(1 + e^z) − y·z, stably.
			zz := z[0]
			loss += softplus(zz)
			if yi == 1 {
				loss -= zz
			}
			r[0] = sigmoid(zz) - float64(yi)
		} else {
			lse := logSumExp(z)
			loss += lse - z[yi]
			for c := range r {
				r[c] = math.Exp(z[c] - lse)
			}
			r[yi]--
		}
		for c := 0; c < m; c++ {
			d.addTo(i, g[c*dim:(c+1)*dim], logisticC*r[c])
		}
	}
	f := logisticC * loss
	for c := 0; c < m; c++ {
		w := x[c*dim : (c+1)*dim]
		gc := g[c*dim : (c+1)*dim]
		for j := 1; j < dim; j++ {
			f += 0.5 * w[j] * w[j]
			gc[j] += w[j]
		}
	}
	scale := 1 / float64(d.n)
	for j := range g {
		g[j] *= scale
	}
	return f * scale
}

// dot returns w[0] + Σ w[1+j]·x_ij over row i of d.
func (d *design) dot(i int, w []float64) float64 {
	s := w[0]
	for a, v := range d.num[i*d.nNum : (i+1)*d.nNum] {
		s += w[1+a] * v
	}
	for _, ix := range d.cat[i*d.nCat : (i+1)*d.nCat] {
		if ix >= 0 {
			s += w[1+ix]
		}
	}
	return s
}

// addTo adds s·(1, x_i) to g.
func (d *design) addTo(i int, g []float64, s float64) {
	g[0] += s
	for a, v := range d.num[i*d.nNum : (i+1)*d.nNum] {
		g[1+a] += s * v
	}
	for _, ix := range d.cat[i*d.nCat : (i+1)*d.nCat] {
		if ix >= 0 {
			g[1+ix] += s
		}
	}
}

// proba returns the class probabilities of row i of d.
func (lr *logistic) proba(d *design, i int) []float64 {
	if lr.classes == 2 {
		p := sigmoid(d.dot(i, lr.w[0]))
		return []float64{1 - p, p}
	}
	z := make([]float64, lr.classes)
	for c := range z {
		z[c] = d.dot(i, lr.w[c])
	}
	lse := logSumExp(z)
	for c := range z {
		z[c] = math.Exp(z[c] - lse)
	}
	return z
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softplus returns log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

func logSumExp(z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}
