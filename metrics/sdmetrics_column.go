package metrics

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"

	"github.com/synthor/synthor/table"
)

// Sides of a column: sdmReal and sdmSynth index the per-side arrays.
const (
	sdmReal  = 0
	sdmSynth = 1
)

var sdmSideName = [2]string{"real", "synthetic"}

// sdmBins is the number of equal-width bins of a continuous column inside a
// contingency table (numpy's histogram_bin_edges default); np.digitize then
// gives labels 1..11, the column maximum and missing values sharing 11.
const sdmBins = 10

// sdmCol is one scored column: its two sides and what the pairs need.
type sdmCol struct {
	name string
	cont bool // numeric or datetime: KSComplement, correlation, binned
	side [2]*table.Column
	rows [2]int

	// k is the number of contingency codes: the union of both sides'
	// categories plus one for missing (discrete), or 11 bin labels
	// (continuous).
	k     int
	codes [2]sdmCodes
	// sp lists the rows off the dominant code when that pays (else nil);
	// count holds the rows per code.
	sp    [2]*sdmSparse
	count [2][]int
	// binErr, when set, says why the continuous column could not be binned
	// (a non-finite value): mixed pairs with it have no score.
	binErr string
	st     [2]sdmStats
}

// sdmStats are the moments of one side of a continuous column.
type sdmStats struct {
	nonNull  int
	min, max float64 // over non-missing values
	hasNull  bool
	single   bool  // one distinct non-missing value
	ilo, ihi int64 // exact range of an integer or datetime side
	// mean and sxx = Σ (x − mean)² over all rows, set when !hasNull.
	mean, sxx float64
}

// constant reports SDMetrics' nunique() == 1: one distinct non-missing value.
func (s *sdmStats) constant() bool { return s.nonNull > 0 && s.single }

// sdmCodes holds contingency codes in the narrowest of three widths.
type sdmCodes struct {
	u8  []uint8
	u16 []uint16
	u32 []uint32
}

func newSDMCodes(n, k int) sdmCodes {
	switch {
	case k <= 1<<8:
		return sdmCodes{u8: make([]uint8, n)}
	case k <= 1<<16:
		return sdmCodes{u16: make([]uint16, n)}
	}
	return sdmCodes{u32: make([]uint32, n)}
}

func (c *sdmCodes) set(i int, v int) {
	switch {
	case c.u8 != nil:
		c.u8[i] = uint8(v)
	case c.u16 != nil:
		c.u16[i] = uint16(v)
	default:
		c.u32[i] = uint32(v)
	}
}

func (c *sdmCodes) at(i int) int {
	switch {
	case c.u8 != nil:
		return int(c.u8[i])
	case c.u16 != nil:
		return int(c.u16[i])
	}
	return int(c.u32[i])
}

// sdmColumns pairs real's scorable columns with synth's by name.
func sdmColumns(real, synth *table.Table) ([]*sdmCol, error) {
	var out []*sdmCol
	for _, rc := range real.Cols {
		if rc.Kind == table.Text {
			continue
		}
		sc := synth.Col(rc.Name)
		if sc == nil {
			return nil, fmt.Errorf("sdmetrics: column %q of the real table is absent from the synthetic table", rc.Name)
		}
		family := func(k table.Kind) string {
			switch k {
			case table.Categorical:
				return "categorical"
			case table.Datetime:
				return "datetime"
			case table.Integer, table.Float:
				return "numeric"
			}
			return k.String()
		}
		if family(rc.Kind) != family(sc.Kind) {
			return nil, fmt.Errorf("sdmetrics: column %q is %s in the real table but %s in the synthetic table", rc.Name, rc.Kind, sc.Kind)
		}
		c := &sdmCol{
			name: rc.Name,
			cont: rc.Kind != table.Categorical,
			side: [2]*table.Column{rc, sc},
			rows: [2]int{rc.Len(), sc.Len()},
		}
		out = append(out, c)
	}
	return out, nil
}

// release drops the codes once every pair is scored.
func (c *sdmCol) release() {
	c.codes = [2]sdmCodes{}
	c.sp = [2]*sdmSparse{}
}

// setCounts records side s's per-code counts.
func (c *sdmCol) setCounts(s int, count []int) { c.count[s] = count }

// countCodes counts side s's codes (len k).
func (c *sdmCol) countCodes(s int) []int {
	count := make([]int, c.k)
	codes := &c.codes[s]
	for i := range c.rows[s] {
		count[codes.at(i)]++
	}
	return count
}

// prepare computes the column's codes and moments and returns its score.
func (c *sdmCol) prepare() ColumnShape {
	if !c.cont {
		v, reason := c.codeCategories()
		return ColumnShape{Column: c.name, Metric: NameTVComplement, Value: v, Reason: reason}
	}
	for s := range 2 {
		c.st[s] = sdmRange(c.side[s])
	}
	if v, reason, ok := c.prepareInts(); ok {
		return ColumnShape{Column: c.name, Metric: NameKSComplement, Value: v, Reason: reason}
	}
	for s := range 2 {
		c.moments(s)
		c.binSide(s)
	}
	v, reason := sdmKSComplement(c.side[sdmReal], c.side[sdmSynth])
	return ColumnShape{Column: c.name, Metric: NameKSComplement, Value: v, Reason: reason}
}

// moments sets the mean and Σ (x − mean)² of a side without missing
// values (two passes, as numpy).
func (c *sdmCol) moments(s int) {
	col, st := c.side[s], &c.st[s]
	if st.hasNull || c.rows[s] == 0 {
		return
	}
	if col.Kind == table.Float {
		st.mean, st.sxx = sdmMeanSxx(col.Floats)
	} else {
		st.mean, st.sxx = sdmMeanSxx(col.Ints)
	}
}

// prepareInts is prepare for two integer or datetime sides whose joint
// range is small enough to count: one pass per side counts every value
// and labels its bin, and the counts give KSComplement, the mean and
// Σ (x − mean)² exactly. ok is false when the range is too wide.
func (c *sdmCol) prepareInts() (v float64, reason string, ok bool) {
	rc, sc := c.side[sdmReal], c.side[sdmSynth]
	if rc.Kind == table.Float || sc.Kind == table.Float {
		return 0, "", false
	}
	r, st := &c.st[sdmReal], &c.st[sdmSynth]
	if r.nonNull == 0 || st.nonNull == 0 {
		return 0, "", false
	}
	lo, hi := min(r.ilo, st.ilo), max(r.ihi, st.ihi)
	span := uint64(hi) - uint64(lo)
	if span >= uint64(max(2*(c.rows[0]+c.rows[1]), 1<<16)) || span >= 1<<26 {
		return 0, "", false
	}
	var hist [2][]int32
	for s := range 2 {
		hist[s] = make([]int32, span+1)
		c.histSide(s, lo, hist[s])
		st := &c.st[s]
		if !st.hasNull {
			var sum int64
			for j, n := range hist[s] {
				sum += int64(n) * int64(j)
			}
			d := float64(sum) / float64(st.nonNull) // mean − lo
			st.mean = float64(lo) + d
			sxx := 0.0
			for j, n := range hist[s] {
				if n != 0 {
					x := float64(j) - d
					sxx += float64(n) * x * x
				}
			}
			st.sxx = sxx
		}
	}
	n1, n2 := float64(r.nonNull), float64(st.nonNull)
	ks := 0.0
	i, j := 0, 0
	for x := range hist[0] {
		a, b := hist[0][x], hist[1][x]
		if a == 0 && b == 0 {
			continue
		}
		i += int(a)
		j += int(b)
		ks = max(ks, math.Abs(float64(i)/n1-float64(j)/n2))
	}
	return 1 - ks, "", true
}

// histSide counts side s's values into hist (index value − lo) and sets
// its bin codes, as binSide.
func (c *sdmCol) histSide(s int, lo int64, hist []int32) {
	c.k = sdmBins + 1
	col, st := c.side[s], &c.st[s]
	e := sdmEdges(st.min, st.max, st.nonNull)
	inv := 0.0
	if step := e[1] - e[0]; step > 0 {
		inv = 1 / step
	}
	out := make([]uint8, c.rows[s])
	c.codes[s] = sdmCodes{u8: out}
	ints, nulls := col.Ints, col.Nulls
	if len(hist) <= 1<<18 {
		lut := make([]uint8, len(hist))
		for j := range lut {
			lut[j] = uint8(sdmLabel(&e, float64(lo+int64(j)), inv))
		}
		if nulls == nil && len(ints) >= 1<<14 && 4*len(hist) <= len(ints) {
			// Four tables, one per row modulo 4: a dominant value (zero
			// capital gain) does not chain dependent increments.
			m := len(hist)
			h4 := make([]int32, 3*m)
			h1, h2, h3 := h4[:m], h4[m:2*m], h4[2*m:]
			out = out[:len(ints)]
			i := 0
			for ; i+4 <= len(ints); i += 4 {
				q := ints[i : i+4 : i+4]
				d0, d1, d2, d3 := q[0]-lo, q[1]-lo, q[2]-lo, q[3]-lo
				hist[d0]++
				h1[d1]++
				h2[d2]++
				h3[d3]++
				o := out[i : i+4 : i+4]
				o[0], o[1], o[2], o[3] = lut[d0], lut[d1], lut[d2], lut[d3]
			}
			for ; i < len(ints); i++ {
				d := ints[i] - lo
				hist[d]++
				out[i] = lut[d]
			}
			for j := range hist {
				hist[j] += h1[j] + h2[j] + h3[j]
			}
		} else if nulls == nil {
			out = out[:len(ints)]
			for i, v := range ints {
				d := v - lo
				hist[d]++
				out[i] = lut[d]
			}
		} else {
			for i, v := range ints {
				if nulls[i] {
					out[i] = sdmBins
					continue
				}
				d := v - lo
				hist[d]++
				out[i] = lut[d]
			}
		}
		count := make([]int, c.k)
		for d, h := range hist {
			count[lut[d]] += int(h)
		}
		count[sdmBins] += c.rows[s] - st.nonNull
		c.setCounts(s, count)
		return
	}
	for i, v := range ints {
		if nulls != nil && nulls[i] {
			out[i] = sdmBins
			continue
		}
		hist[v-lo]++
		out[i] = uint8(sdmLabel(&e, float64(v), inv))
	}
	c.setCounts(s, c.countCodes(s))
}

// sdmMissing reports whether row i of a continuous column is missing.
func sdmMissing(col *table.Column, i int) bool {
	if col.Nulls != nil && col.Nulls[i] {
		return true
	}
	return col.Kind == table.Float && math.IsNaN(col.Floats[i])
}

// sdmRange computes the count and range of a side's non-missing values.
func sdmRange(col *table.Column) sdmStats {
	st := sdmStats{min: math.Inf(1), max: math.Inf(-1)}
	switch col.Kind {
	case table.Float:
		for i, v := range col.Floats {
			if math.IsNaN(v) || (col.Nulls != nil && col.Nulls[i]) {
				st.hasNull = true
				continue
			}
			st.nonNull++
			st.min = min(st.min, v)
			st.max = max(st.max, v)
		}
		st.single = st.nonNull > 0 && st.min == st.max
	default:
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		if col.Nulls == nil {
			lo, hi = sdmMinMax(col.Ints)
			st.nonNull = len(col.Ints)
		} else {
			for i, v := range col.Ints {
				if col.Nulls[i] {
					st.hasNull = true
					continue
				}
				st.nonNull++
				lo = min(lo, v)
				hi = max(hi, v)
			}
		}
		if st.nonNull > 0 {
			st.min, st.max = float64(lo), float64(hi)
			st.single = lo == hi
			st.ilo, st.ihi = lo, hi
		}
	}
	return st
}

// sdmMinMax returns the extremes of x (MaxInt64, MinInt64 when empty),
// with four independent pairs of accumulators.
func sdmMinMax(x []int64) (lo, hi int64) {
	l0, l1, l2, l3 := int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64), int64(math.MaxInt64)
	h0, h1, h2, h3 := int64(math.MinInt64), int64(math.MinInt64), int64(math.MinInt64), int64(math.MinInt64)
	i := 0
	for ; i+4 <= len(x); i += 4 {
		q := x[i : i+4 : i+4]
		l0, h0 = min(l0, q[0]), max(h0, q[0])
		l1, h1 = min(l1, q[1]), max(h1, q[1])
		l2, h2 = min(l2, q[2]), max(h2, q[2])
		l3, h3 = min(l3, q[3]), max(h3, q[3])
	}
	for ; i < len(x); i++ {
		l0, h0 = min(l0, x[i]), max(h0, x[i])
	}
	return min(l0, l1, l2, l3), max(h0, h1, h2, h3)
}

// sdmNumber is the storage of a continuous column.
type sdmNumber interface{ ~int64 | ~float64 }

// sdmMeanSxx returns the mean and Σ (x − mean)² of x (no missing values).
func sdmMeanSxx[X sdmNumber](x []X) (mean, sxx float64) {
	mean = sdmSum(x) / float64(len(x))
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1 := float64(x[i])-mean, float64(x[i+1])-mean
		d2, d3 := float64(x[i+2])-mean, float64(x[i+3])-mean
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := float64(x[i]) - mean
		s0 += d * d
	}
	return mean, (s0 + s1) + (s2 + s3)
}

// sdmSum sums x in float64 with blocked partial sums (close to numpy's
// pairwise summation).
func sdmSum[X sdmNumber](x []X) float64 {
	const block = 128
	total := 0.0
	for lo := 0; lo < len(x); lo += block {
		hi := min(lo+block, len(x))
		var s0, s1, s2, s3 float64
		i := lo
		for ; i+4 <= hi; i += 4 {
			s0 += float64(x[i])
			s1 += float64(x[i+1])
			s2 += float64(x[i+2])
			s3 += float64(x[i+3])
		}
		for ; i < hi; i++ {
			s0 += float64(x[i])
		}
		total += (s0 + s1) + (s2 + s3)
	}
	return total
}

// sdmEdges returns the 11 bin edges numpy 1.24's histogram_bin_edges gives
// for non-missing values in [lo, hi] (n of them):
//
//	edge_i = i·((hi − lo)/10) + lo, i = 0..9;  edge_10 = hi
//
// with lo − 0.5 and hi + 0.5 for a constant column and [0, 1] for an
// empty one.
func sdmEdges(lo, hi float64, n int) [sdmBins + 1]float64 {
	if n == 0 {
		lo, hi = 0, 1
	} else if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	var e [sdmBins + 1]float64
	delta := hi - lo
	step := delta / sdmBins
	for i := range sdmBins {
		if step == 0 {
			e[i] = float64(i)/sdmBins*delta + lo
		} else {
			e[i] = float64(i)*step + lo
		}
	}
	e[sdmBins] = hi
	return e
}

// sdmLabel returns np.digitize's label minus one: the number of edges ≤ v,
// less one, in 0..10 (v is within [edge_0, edge_10]). inv is 1/step.
func sdmLabel(e *[sdmBins + 1]float64, v, inv float64) int {
	g := int((v - e[0]) * inv)
	g = max(0, min(g+1, sdmBins+1))
	for g > 0 && e[g-1] > v {
		g--
	}
	for g < sdmBins+1 && e[g] <= v {
		g++
	}
	return max(g-1, 0)
}

// binSide sets the side's contingency codes: the bin label of each value
// with edges from this side's own range (as SDMetrics' report does), 10 for
// the maximum and for missing values.
func (c *sdmCol) binSide(s int) {
	c.k = sdmBins + 1
	col, st := c.side[s], &c.st[s]
	n := c.rows[s]
	if st.nonNull > 0 && (math.IsInf(st.min, 0) || math.IsInf(st.max, 0)) {
		c.binErr = fmt.Sprintf("the %s column %q cannot be binned: autodetected range of [%s, %s] is not finite (SDMetrics ValueError)",
			sdmSideName[s], c.name, sdmPy(st.min), sdmPy(st.max))
		c.codes[s] = sdmCodes{u8: make([]uint8, n)}
		return
	}
	defer func() { c.setCounts(s, c.countCodes(s)) }()
	e := sdmEdges(st.min, st.max, st.nonNull)
	inv := 0.0
	if step := e[1] - e[0]; step > 0 {
		inv = 1 / step
	}
	out := make([]uint8, n)
	c.codes[s] = sdmCodes{u8: out}
	if col.Kind == table.Float {
		for i, v := range col.Floats {
			if math.IsNaN(v) || (col.Nulls != nil && col.Nulls[i]) {
				out[i] = sdmBins
				continue
			}
			out[i] = uint8(sdmLabel(&e, v, inv))
		}
		return
	}
	// Integers and datetimes: a lookup table over a small range.
	lo, hi := st.ilo, st.ihi
	if st.nonNull > 0 && hi-lo >= 0 && hi-lo < 1<<16 {
		lut := make([]uint8, hi-lo+1)
		for j := range lut {
			lut[j] = uint8(sdmLabel(&e, float64(lo+int64(j)), inv))
		}
		for i, v := range col.Ints {
			if col.Nulls != nil && col.Nulls[i] {
				out[i] = sdmBins
				continue
			}
			out[i] = lut[v-lo]
		}
		return
	}
	for i, v := range col.Ints {
		if col.Nulls != nil && col.Nulls[i] {
			out[i] = sdmBins
			continue
		}
		out[i] = uint8(sdmLabel(&e, float64(v), inv))
	}
}

// sdmPy formats a float as Python's repr does for the common cases.
func sdmPy(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e16:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// codeCategories maps both sides onto the union of their categories
// (real's first, then those only the synthetic side has; missing is code
// k−1) and returns TVComplement.
//
// TVComplement = 1 − ½ Σ_c |S_c/n_S − R_c/(n_R + 1e-6·u)| over the
// categories c of either side, missing values dropped, where a category
// only the synthetic side has gets R_c = 1e-6 and u counts them
// (sdmetrics.utils.get_frequencies). It is undefined when a side has no
// non-missing value (SDMetrics raises IncomputableMetricError).
func (c *sdmCol) codeCategories() (float64, string) {
	rc, sc := c.side[sdmReal], c.side[sdmSynth]
	index := make(map[string]int, len(rc.Dict))
	realMap := make([]int, len(rc.Dict))
	for i, d := range rc.Dict {
		j, ok := index[d]
		if !ok {
			j = len(index)
			index[d] = j
		}
		realMap[i] = j
	}
	synthMap := make([]int, len(sc.Dict))
	for i, d := range sc.Dict {
		j, ok := index[d]
		if !ok {
			j = len(index)
			index[d] = j
		}
		synthMap[i] = j
	}
	u := len(index)
	c.k = u + 1
	var counts [2][]int
	for s, m := range [2][]int{realMap, synthMap} {
		col := c.side[s]
		codes := newSDMCodes(len(col.Codes), c.k)
		cnt := make([]int, c.k)
		lut := make([]int, len(m)+1) // lut[code+1]; code −1 is missing
		lut[0] = u
		for i, v := range m {
			lut[i+1] = v
		}
		switch {
		case codes.u8 != nil:
			// Four count tables: runs of one category do not chain
			// dependent increments.
			k := c.k
			cnt4 := make([]int, 4*k)
			src, dst := col.Codes, codes.u8[:len(col.Codes)]
			i := 0
			for ; i+4 <= len(src); i += 4 {
				q := src[i : i+4 : i+4]
				j0, j1, j2, j3 := lut[q[0]+1], lut[q[1]+1], lut[q[2]+1], lut[q[3]+1]
				d := dst[i : i+4 : i+4]
				d[0], d[1], d[2], d[3] = uint8(j0), uint8(j1), uint8(j2), uint8(j3)
				cnt4[j0]++
				cnt4[k+j1]++
				cnt4[2*k+j2]++
				cnt4[3*k+j3]++
			}
			for ; i < len(src); i++ {
				j := lut[src[i]+1]
				dst[i] = uint8(j)
				cnt4[j]++
			}
			for j := range cnt {
				cnt[j] = cnt4[j] + cnt4[k+j] + cnt4[2*k+j] + cnt4[3*k+j]
			}
		default:
			for i, v := range col.Codes {
				j := lut[v+1]
				codes.set(i, j)
				cnt[j]++
			}
		}
		c.codes[s] = codes
		counts[s] = cnt
		c.setCounts(s, cnt)
	}
	nr, ns := 0, 0
	for j := range u {
		nr += counts[sdmReal][j]
		ns += counts[sdmSynth][j]
	}
	if nr == 0 || ns == 0 {
		return math.NaN(), "the column must have 1 or more non-null values on each side (SDMetrics IncomputableMetricError)"
	}
	realTotal := float64(nr)
	for j := range u {
		if counts[sdmReal][j] == 0 && counts[sdmSynth][j] > 0 {
			realTotal += 1e-6
		}
	}
	tv := 0.0
	for j := range u {
		r, s := counts[sdmReal][j], counts[sdmSynth][j]
		if r == 0 && s == 0 {
			continue
		}
		rv := float64(r)
		if r == 0 {
			rv = 1e-6
		}
		tv += math.Abs(float64(s)/float64(ns) - rv/realTotal)
	}
	return 1 - 0.5*tv, ""
}

// sdmKSComplement returns KSComplement = 1 − D, D the two-sample
// Kolmogorov–Smirnov statistic
//
//	D = max_x |F_R(x) − F_S(x)|
//
// over the non-missing values of each side, F the empirical CDFs. As
// SDMetrics does, float values are first rounded to 14 decimals
// (numpy.round: rint(x·1e14)/1e14); integers and datetimes (Unix ns) are
// compared exactly. Undefined (NaN, no error in SDMetrics) when a side has
// no value.
//
// Reference: Massey (1951), "The Kolmogorov-Smirnov test for goodness of
// fit"; scipy.stats.ks_2samp's statistic; sdmetrics KSComplement.
func sdmKSComplement(rc, sc *table.Column) (float64, string) {
	var keys [2][]uint64
	exact := rc.Kind != table.Float && sc.Kind != table.Float
	lo, hi := uint64(math.MaxUint64), uint64(0)
	for s, col := range [2]*table.Column{rc, sc} {
		k := make([]uint64, 0, col.Len())
		switch {
		case exact:
			for i, v := range col.Ints {
				if col.Nulls != nil && col.Nulls[i] {
					continue
				}
				k = append(k, uint64(v)^(1<<63))
			}
		case col.Kind == table.Float:
			for i, v := range col.Floats {
				if math.IsNaN(v) || (col.Nulls != nil && col.Nulls[i]) {
					continue
				}
				k = append(k, sdmFloatKey(sdmRound14(v)))
			}
		default:
			for i, v := range col.Ints {
				if col.Nulls != nil && col.Nulls[i] {
					continue
				}
				k = append(k, sdmFloatKey(float64(v)))
			}
		}
		for _, v := range k {
			lo = min(lo, v)
			hi = max(hi, v)
		}
		keys[s] = k
	}
	for s := range 2 {
		if len(keys[s]) == 0 {
			return math.NaN(), fmt.Sprintf("the %s column has no non-missing value (SDMetrics returns NaN)", sdmSideName[s])
		}
	}
	span := hi - lo
	n1, n2 := len(keys[0]), len(keys[1])
	if span < uint64(max(2*(n1+n2), 1<<16)) && span < 1<<26 {
		return 1 - sdmKSCounts(keys[0], keys[1], lo, int(span)+1), ""
	}
	width := bits.Len64(span)
	for s := range 2 {
		k := keys[s]
		for i := range k {
			k[i] -= lo
		}
		keys[s] = sdmRadixSort(k, make([]uint64, len(k)), width)
	}
	return 1 - sdmKSSorted(keys[0], keys[1]), ""
}

// sdmRound14 is numpy.round(v, 14): rint(v·1e14)/1e14, −0 as +0.
func sdmRound14(v float64) float64 {
	// As numpy, a value above about 1.8e294 overflows to ±inf.
	r := math.RoundToEven(v*1e14) / 1e14
	if r == 0 {
		return 0
	}
	return r
}

// sdmFloatKey maps a float64 (not NaN, −0 folded to +0) to a uint64 in the
// same order.
func sdmFloatKey(v float64) uint64 {
	if v == 0 {
		v = 0
	}
	b := math.Float64bits(v)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// sdmKSCounts is D over keys in [lo, lo+size) by counting.
func sdmKSCounts(a, b []uint64, lo uint64, size int) float64 {
	ca := make([]int32, size)
	cb := make([]int32, size)
	for _, v := range a {
		ca[v-lo]++
	}
	for _, v := range b {
		cb[v-lo]++
	}
	n1, n2 := float64(len(a)), float64(len(b))
	d := 0.0
	i, j := 0, 0
	for x := range size {
		if ca[x] == 0 && cb[x] == 0 {
			continue
		}
		i += int(ca[x])
		j += int(cb[x])
		d = max(d, math.Abs(float64(i)/n1-float64(j)/n2))
	}
	return d
}

// sdmKSSorted is D over two sorted key slices, ties counted together.
func sdmKSSorted(a, b []uint64) float64 {
	n1, n2 := float64(len(a)), float64(len(b))
	d := 0.0
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		v := min(a[i], b[j])
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/n1-float64(j)/n2))
	}
	return d
}

// sdmRadixSort sorts keys below 2^width by least-significant-digit radix
// sort with 11-bit digits, skipping digits every key shares; buf has the
// same length. It returns the sorted slice (keys or buf).
func sdmRadixSort(keys, buf []uint64, width int) []uint64 {
	const digit = 11
	const mask = 1<<digit - 1
	for shift := 0; shift < width; shift += digit {
		var count [1 << digit]int
		for _, k := range keys {
			count[(k>>shift)&mask]++
		}
		if count[(keys[0]>>shift)&mask] == len(keys) {
			continue
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, k := range keys {
			d := (k >> shift) & mask
			buf[count[d]] = k
			count[d]++
		}
		keys, buf = buf, keys
	}
	return keys
}
