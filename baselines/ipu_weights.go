package baselines

import (
	"context"
	"math"
	"slices"
)

// control is one row of the IPU incidence matrix read by column: the
// households that contribute to a control total, how much each
// contributes (1 for a household-level cell it falls in, its number of
// members in the cell for a member-level one), and the total.
type control struct {
	name   string // table and cell, for reports
	target float64
	hh     []int32   // contributing households, ascending
	a      []float64 // their contributions (> 0)
}

// weighted returns Σ_i a_i·w_i over the contributing households.
func (c *control) weighted(w []float64) float64 {
	s := 0.0
	for k, i := range c.hh {
		s += c.a[k] * w[i]
	}
	return s
}

// ipuFit is the outcome of iterative proportional updating.
type ipuFit struct {
	// Weights are the household weights with the smallest Delta seen.
	Weights []float64
	// Sweeps is the number of passes over the controls; Delta the mean
	// relative control error of Weights over the controls the sample
	// supports (Ye et al.'s goodness of fit δ) and MaxError the largest.
	Sweeps          int
	Delta, MaxError float64
	// Unsupported lists the controls with a positive total that no
	// household contributes to: no weighting can meet them.
	Unsupported []string
}

// ipu weights households to the controls by iterative proportional
// updating (Ye, Konduri, Pendyala, Sana and Waddell, "A methodology to
// match distributions of both household and person attributes in the
// generation of synthetic populations", TRB 88th Annual Meeting, 2009):
// starting from w0, each sweep takes the controls in order (the
// household-level ones first) and multiplies the weight of every
// household contributing to control j by T_j / Σ_i a_ij·w_i, so that the
// control is met exactly until a later one moves it. After each sweep
//
//	δ = (1/J) Σ_j |Σ_i a_ij·w_i − T_j| / T_j
//
// over the J controls with a positive total that some household
// contributes to. It stops when δ <= tol, when a sweep improves δ by less
// than tol·δ (a fixed point: the controls contradict each other), or after
// maxSweeps sweeps, and returns the weights of the smallest δ seen, as Ye
// et al. do. A control with total 0 sets its households' weights to 0. A
// control no household contributes to is skipped and listed as
// unsupported. With maxSweeps 0 the weights are w0.
func ipu(ctx context.Context, ctl []control, w0 []float64, maxSweeps int, tol float64) (ipuFit, error) {
	w := slices.Clone(w0)
	out := ipuFit{Weights: slices.Clone(w)}
	var live []*control
	for i := range ctl {
		c := &ctl[i]
		if len(c.hh) == 0 {
			if c.target > 0 {
				out.Unsupported = append(out.Unsupported, c.name)
			}
			continue
		}
		live = append(live, c)
	}
	out.Delta, out.MaxError = fitError(live, w)
	prev := out.Delta
	for sweep := 1; sweep <= maxSweeps && out.Delta > tol; sweep++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		for _, c := range live {
			s := c.weighted(w)
			if s <= 0 {
				continue
			}
			r := c.target / s
			for _, i := range c.hh {
				w[i] *= r
			}
		}
		out.Sweeps = sweep
		d, m := fitError(live, w)
		if d < out.Delta {
			out.Delta, out.MaxError = d, m
			copy(out.Weights, w)
		}
		if math.Abs(prev-d) < tol*d {
			break
		}
		prev = d
	}
	return out, nil
}

// fitError returns δ and the largest relative error over the controls
// with a positive total.
func fitError(ctl []*control, w []float64) (delta, worst float64) {
	n := 0
	for _, c := range ctl {
		if c.target <= 0 {
			continue
		}
		e := math.Abs(c.weighted(w)-c.target) / c.target
		delta += e
		worst = math.Max(worst, e)
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return delta / float64(n), worst
}

// bucketRound returns integer counts summing to n from weights w scaled to
// total n: household i gets round(C_i) − round(C_{i−1}) copies, C_i the
// cumulative scaled weight of households 1..i. Every prefix of the
// households is within half a household of its scaled weight, so each
// household's count is its weight rounded up or down.
func bucketRound(w []float64, n int) []int {
	tot := 0.0
	for _, x := range w {
		tot += x
	}
	out := make([]int, len(w))
	if tot <= 0 {
		return out
	}
	cum, prev := 0.0, 0
	for i, x := range w {
		cum += float64(n) * x / tot
		k := int(math.Round(cum))
		if i == len(w)-1 {
			k = n
		}
		out[i] = max(0, k-prev)
		prev = max(prev, k)
	}
	return out
}
