package macro

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Bins is a binning of a numeric variable by ascending edges: with k+1
// edges there are k bins, bin i covering [Edges[i], Edges[i+1]) and the last
// bin also its upper edge. Values below the first edge fall in bin 0 and
// values above the last edge in bin k−1, so every number has a bin; a
// binning of a constant variable has one bin whose two edges are equal.
type Bins struct {
	Edges []float64 `json:"edges" yaml:"edges"`
}

// QuantileBins returns at most k bins whose edges are the 0, 1/k, …, 1
// quantiles of values (linear interpolation between order statistics, as
// numpy.quantile's default), with repeated edges merged so that heavily tied
// data gives fewer, non-empty bins. NaN values are ignored. With no values it
// returns a single bin [0, 0].
func QuantileBins(values []float64, k int) Bins {
	if k < 1 {
		k = 1
	}
	v := make([]float64, 0, len(values))
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return Bins{Edges: []float64{0, 0}}
	}
	slices.Sort(v)
	edges := make([]float64, 0, k+1)
	for i := 0; i <= k; i++ {
		q := Quantile(v, float64(i)/float64(k))
		if len(edges) == 0 || q > edges[len(edges)-1] {
			edges = append(edges, q)
		}
	}
	if len(edges) == 1 {
		edges = append(edges, edges[0])
	}
	return Bins{Edges: edges}
}

// Quantile returns the p-quantile of sorted (0 <= p <= 1) by linear
// interpolation between the order statistics at positions p·(n−1), the
// default of numpy.quantile ("linear", Hyndman & Fan type 7).
func Quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// FixedBins returns k equal-width bins over [lo, hi].
func FixedBins(lo, hi float64, k int) Bins {
	if k < 1 {
		k = 1
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	edges := make([]float64, k+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(k)
	}
	edges[k] = hi
	return Bins{Edges: edges}
}

// Len returns the number of bins.
func (b Bins) Len() int {
	if len(b.Edges) < 2 {
		return 0
	}
	return len(b.Edges) - 1
}

// Index returns the bin of v (clamped to the first and last bin). It
// returns −1 for NaN.
func (b Bins) Index(v float64) int {
	if math.IsNaN(v) {
		return -1
	}
	n := b.Len()
	if n <= 1 {
		return 0
	}
	// The number of inner edges <= v is the bin; inner edges are Edges[1..n-1].
	lo, hi := 1, n // search in Edges[1:n]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if b.Edges[m] <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// Bounds returns the edges of bin i.
func (b Bins) Bounds(i int) (lo, hi float64) { return b.Edges[i], b.Edges[i+1] }

// Refine returns the binning with bin i split into k equal-width sub-bins.
func (b Bins) Refine(i, k int) Bins {
	lo, hi := b.Bounds(i)
	sub := FixedBins(lo, hi, k).Edges
	edges := make([]float64, 0, len(b.Edges)+k-1)
	edges = append(edges, b.Edges[:i]...)
	edges = append(edges, sub...)
	edges = append(edges, b.Edges[i+2:]...)
	return Bins{Edges: edges}
}

// Split returns the binning with every bin split into k equal-width
// sub-bins: sub-bin j of bin i is bin i·k + j of the result.
func (b Bins) Split(k int) Bins {
	n := b.Len()
	edges := make([]float64, 0, n*k+1)
	for i := 0; i < n; i++ {
		sub := FixedBins(b.Edges[i], b.Edges[i+1], k).Edges
		edges = append(edges, sub[:k]...)
	}
	edges = append(edges, b.Edges[n])
	return Bins{Edges: edges}
}

// Label returns "[lo, hi)" for bin i ("[lo, hi]" for the last), with edges
// printed to 4 significant digits.
func (b Bins) Label(i int) string {
	lo, hi := b.Bounds(i)
	closing := ")"
	if i == b.Len()-1 {
		closing = "]"
	}
	return "[" + fmtEdge(lo) + ", " + fmtEdge(hi) + closing
}

func fmtEdge(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// validate checks that edges ascend and are finite.
func (b Bins) validate() error {
	if len(b.Edges) < 2 {
		return fmt.Errorf("a binning needs at least 2 edges, got %d", len(b.Edges))
	}
	for i, e := range b.Edges {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return fmt.Errorf("edge %d is %v", i+1, e)
		}
		if i > 0 && e < b.Edges[i-1] {
			return fmt.Errorf("edges must ascend: edge %d (%g) is below edge %d (%g)", i+1, e, i, b.Edges[i-1])
		}
		if i > 0 && e == b.Edges[i-1] && len(b.Edges) > 2 {
			return fmt.Errorf("edge %d repeats %g", i+1, e)
		}
	}
	return nil
}
