package macro

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Bins is a binning of a numeric variable: point cells, then interval
// bins. Points (ascending) are values with a cell of their own: the values
// of a discrete variable, or the point masses of a continuous one (0 in a
// capital-gain column); cell i < len(Points) holds exactly Points[i].
// Ascending edges follow: with k+1 edges there are k interval bins, bin i
// covering [Edges[i], Edges[i+1]) and the last bin also its upper edge.
// A value that is not a point falls in the interval bin around it (below
// the first edge: the first bin, above the last: the last bin); with no
// interval bins, in the nearest point's cell. A binning of a constant
// variable has one bin whose two edges are equal. A discrete variable has
// points and no edges.
type Bins struct {
	Points []float64 `json:"points,omitempty" yaml:"points,omitempty"`
	Edges  []float64 `json:"edges,omitempty" yaml:"edges,omitempty"`
	// sub is the number of cells per point after Split (0 means 1): the
	// point's value is in the first, the others stay empty, so that sub-bin
	// j of cell i is cell i·k + j for points and intervals alike.
	sub int
}

// pointCells returns the number of cells the points take.
func (b Bins) pointCells() int { return len(b.Points) * max(1, b.sub) }

// intervals returns the number of interval bins.
func (b Bins) intervals() int {
	if len(b.Edges) < 2 {
		return 0
	}
	return len(b.Edges) - 1
}

// IsPoint reports whether cell i is a point cell.
func (b Bins) IsPoint(i int) bool { return i >= 0 && i < b.pointCells() }

// Min and Max return the smallest and largest value the binning covers.
func (b Bins) Min() float64 {
	lo := math.Inf(1)
	if len(b.Points) > 0 {
		lo = b.Points[0]
	}
	if len(b.Edges) > 0 {
		lo = math.Min(lo, b.Edges[0])
	}
	if math.IsInf(lo, 1) {
		return 0
	}
	return lo
}

// Max returns the largest value the binning covers.
func (b Bins) Max() float64 {
	hi := math.Inf(-1)
	if len(b.Points) > 0 {
		hi = b.Points[len(b.Points)-1]
	}
	if len(b.Edges) > 0 {
		hi = math.Max(hi, b.Edges[len(b.Edges)-1])
	}
	if math.IsInf(hi, -1) {
		return 0
	}
	return hi
}

// PointShare is the default share of a column's non-missing values above
// which a value is a point mass (NumericBins).
const PointShare = 0.02

// DiscreteValues is the default largest number of distinct values of a
// numeric column planned as a discrete variable (NumericBins).
const DiscreteValues = 32

// NumericBins bins a numeric column's values (NaN ignored) the way
// LLMSynthor plans real tables:
//   - discrete: with at most discrete distinct values (discrete > 0), every
//     value is a point cell and there are no interval bins;
//   - point masses: otherwise every value holding at least pointShare of
//     the values (pointShare > 0; at most k such values, largest share
//     first) is a point cell, and the other values get QuantileBins(k);
//     when they are a single value it is a point too.
//
// With discrete <= 0 and pointShare <= 0 it is QuantileBins(values, k).
func NumericBins(values []float64, k, discrete int, pointShare float64) Bins {
	if discrete <= 0 && pointShare <= 0 {
		return QuantileBins(values, k)
	}
	counts := map[float64]int{}
	n := 0
	for _, x := range values {
		if !math.IsNaN(x) {
			counts[x]++
			n++
		}
	}
	if n == 0 {
		return QuantileBins(nil, k)
	}
	distinct := make([]float64, 0, len(counts))
	for x := range counts {
		distinct = append(distinct, x)
	}
	slices.Sort(distinct)
	if discrete > 0 && len(distinct) <= discrete {
		return Bins{Points: distinct}
	}
	var points []float64
	if pointShare > 0 {
		for _, x := range distinct {
			if float64(counts[x]) >= pointShare*float64(n) {
				points = append(points, x)
			}
		}
		if len(points) > k {
			slices.SortStableFunc(points, func(a, b float64) int { return counts[b] - counts[a] })
			points = points[:k]
			slices.Sort(points)
		}
	}
	if len(points) == 0 {
		return QuantileBins(values, k)
	}
	rest := make([]float64, 0, n)
	for _, x := range values {
		if !math.IsNaN(x) && !slices.Contains(points, x) {
			rest = append(rest, x)
		}
	}
	b := Bins{Points: points}
	if len(rest) > 0 {
		q := QuantileBins(rest, k)
		if q.Edges[0] == q.Edges[len(q.Edges)-1] {
			b.Points = append(b.Points, q.Edges[0])
			slices.Sort(b.Points)
		} else {
			b.Edges = q.Edges
		}
	}
	return b
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

// Len returns the number of cells (points and interval bins).
func (b Bins) Len() int { return b.pointCells() + b.intervals() }

// Index returns the cell of v: its point's cell, else its interval bin
// (clamped to the first and last bin), else the nearest point's cell. It
// returns −1 for NaN.
func (b Bins) Index(v float64) int {
	if math.IsNaN(v) {
		return -1
	}
	sub := max(1, b.sub)
	if len(b.Points) > 0 {
		i, found := slices.BinarySearch(b.Points, v)
		if found {
			return i * sub
		}
		if b.intervals() == 0 {
			if i == len(b.Points) || (i > 0 && v-b.Points[i-1] <= b.Points[i]-v) {
				i--
			}
			return i * sub
		}
		return b.pointCells() + b.intervalIndex(v)
	}
	return b.intervalIndex(v)
}

// intervalIndex returns the interval bin of v (clamped).
func (b Bins) intervalIndex(v float64) int {
	n := b.intervals()
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

// Bounds returns the edges of cell i; a point cell's edges are its value.
func (b Bins) Bounds(i int) (lo, hi float64) {
	pc := b.pointCells()
	if i < pc {
		x := b.Points[i/max(1, b.sub)]
		return x, x
	}
	return b.Edges[i-pc], b.Edges[i-pc+1]
}

// Refine returns the binning with interval bin i (a cell index) split into
// k equal-width sub-bins; a point cell is returned unchanged.
func (b Bins) Refine(i, k int) Bins {
	if b.IsPoint(i) {
		return b
	}
	i -= b.pointCells()
	lo, hi := b.Edges[i], b.Edges[i+1]
	sub := FixedBins(lo, hi, k).Edges
	edges := make([]float64, 0, len(b.Edges)+k-1)
	edges = append(edges, b.Edges[:i]...)
	edges = append(edges, sub...)
	edges = append(edges, b.Edges[i+2:]...)
	return Bins{Points: b.Points, Edges: edges, sub: b.sub}
}

// Split returns the binning with every cell split into k sub-bins: interval
// bins into k equal-width bins, and each point into k cells of which the
// first holds the point; sub-bin j of cell i is cell i·k + j of the result.
func (b Bins) Split(k int) Bins {
	n := b.intervals()
	out := Bins{Points: b.Points, sub: max(1, b.sub) * k}
	if n == 0 {
		return out
	}
	edges := make([]float64, 0, n*k+1)
	for i := 0; i < n; i++ {
		sub := FixedBins(b.Edges[i], b.Edges[i+1], k).Edges
		edges = append(edges, sub[:k]...)
	}
	out.Edges = append(edges, b.Edges[n])
	return out
}

// Label returns the value of a point cell, and "[lo, hi)" for an interval
// bin ("[lo, hi]" for the last), with edges printed to 4 significant digits.
func (b Bins) Label(i int) string {
	lo, hi := b.Bounds(i)
	if b.IsPoint(i) {
		return fmtEdge(lo)
	}
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

// validate checks that points and edges ascend and are finite.
func (b Bins) validate() error {
	for i, p := range b.Points {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return fmt.Errorf("point %d is %v", i+1, p)
		}
		if i > 0 && p <= b.Points[i-1] {
			return fmt.Errorf("points must ascend: point %d (%g) is not above point %d (%g)", i+1, p, i, b.Points[i-1])
		}
	}
	if len(b.Points) > 0 && len(b.Edges) == 0 {
		return nil
	}
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

// Rounded returns the binning with its interval edges rounded so that no
// record's exact value becomes an edge shown to a planner: the outer edges
// go to lo and hi when given (and outside the edges), else outward to 2
// significant digits; inner edges are rounded to 3 significant digits
// (repeats merged). Points are kept: each is a value a share of the records
// holds, not one record's value. Significant digits are counted on the
// spread of the edges where that is finer than on the edge itself, so
// values far from zero with a narrow range (datetimes as Unix nanoseconds,
// years, postal codes) keep their bins instead of collapsing into one.
func (b Bins) Rounded(lo, hi *float64) Bins {
	n := len(b.Edges)
	if n < 2 {
		return b
	}
	spread := b.Edges[n-1] - b.Edges[0]
	l, h := roundSpread(b.Edges[0], 2, spread, math.Floor), roundSpread(b.Edges[n-1], 2, spread, math.Ceil)
	if lo != nil && *lo <= b.Edges[0] {
		l = *lo
	}
	if hi != nil && *hi >= b.Edges[n-1] {
		h = *hi
	}
	edges := []float64{l}
	for _, e := range b.Edges[1 : n-1] {
		r := roundSpread(e, 3, spread, math.Round)
		if r > edges[len(edges)-1] && r < h {
			edges = append(edges, r)
		}
	}
	edges = append(edges, h)
	return Bins{Points: b.Points, Edges: edges, sub: b.sub}
}

// roundSpread rounds x to d significant digits, or to d significant digits
// of spread when that unit is finer.
func roundSpread(x float64, d int, spread float64, round func(float64) float64) float64 {
	if x == 0 || !(spread > 0) || math.IsNaN(x) || math.IsInf(x, 0) || math.IsInf(spread, 0) {
		return RoundSig(x, d, round)
	}
	own := math.Ceil(math.Log10(math.Abs(x)))
	if sp := math.Ceil(math.Log10(spread)); sp < own {
		u := math.Pow(10, sp-float64(d)) // the unit of d digits of the spread
		return round(x/u) * u
	}
	return RoundSig(x, d, round)
}

// RoundSig rounds x to d significant digits with the given rounding.
func RoundSig(x float64, d int, round func(float64) float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, float64(d)-math.Ceil(math.Log10(math.Abs(x))))
	return round(x*p) / p
}
