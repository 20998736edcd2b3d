package metrics

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/synthor/synthor/table"
)

// sdmPair scores one column pair: CorrelationSimilarity for two continuous
// columns, ContingencySimilarity otherwise. filter applies the sdmetrics
// pair convention.
func sdmPair(a, b *sdmCol, filter bool) PairTrend {
	p := PairTrend{
		Columns:              [2]string{a.name, b.name},
		Value:                math.NaN(),
		RealCorrelation:      math.NaN(),
		SyntheticCorrelation: math.NaN(),
		RealAssociation:      math.NaN(),
	}
	if a.cont && b.cont {
		p.Metric = NameCorrelationSimilarity
		sdmCorrelationPair(&p, a, b, filter)
	} else {
		p.Metric = NameContingencySimilarity
		sdmContingencyPair(&p, a, b, filter)
	}
	return p
}

// sdmCorrelationPair computes CorrelationSimilarity
//
//	1 − |r_R − r_S| / 2
//
// r the Pearson correlation of each side over the rows where both values
// are present. As SDMetrics: a column with one distinct value on either
// side makes the pair undefined (ConstantInputError), fewer than two
// complete rows too (scipy's ValueError), and under the sdmetrics filter a
// pair whose real |r| is not above 0.5 is skipped before the synthetic side
// is looked at.
//
// Reference: sdmetrics.column_pairs.CorrelationSimilarity; Pearson (1895).
func sdmCorrelationPair(p *PairTrend, a, b *sdmCol, filter bool) {
	for s := range 2 {
		var names []string
		if a.st[s].constant() {
			names = append(names, a.name)
		}
		if b.st[s].constant() {
			names = append(names, b.name)
		}
		switch len(names) {
		case 1:
			p.Reason = fmt.Sprintf("the %s data in column '%s' contains a constant value; correlation is undefined for constant data (SDMetrics ConstantInputError)", sdmSideName[s], names[0])
			return
		case 2:
			p.Reason = fmt.Sprintf("the %s data in columns '%s, %s' contains a constant value; correlation is undefined for constant data (SDMetrics ConstantInputError)", sdmSideName[s], names[0], names[1])
			return
		}
	}
	var r [2]float64
	for s := range 2 {
		n, v := sdmPearsonSide(a, b, s)
		if n < 2 {
			p.RealCorrelation = math.NaN()
			p.Reason = fmt.Sprintf("fewer than 2 rows of the %s data have both values; x and y must have length at least 2 (SDMetrics ValueError)", sdmSideName[s])
			return
		}
		r[s] = v
		if s == sdmReal {
			p.RealCorrelation = v
			if filter && !(math.Abs(v) > sdmCorrelationThreshold) {
				p.Reason = fmt.Sprintf("skipped by the sdmetrics pair filter: real |pearson r| = %.4g is not above %g", math.Abs(v), sdmCorrelationThreshold)
				if math.IsNaN(v) {
					p.Reason = fmt.Sprintf("skipped by the sdmetrics pair filter: the real pearson r is undefined (a column is constant on the complete rows), so not above %g", sdmCorrelationThreshold)
				}
				return
			}
		} else {
			p.SyntheticCorrelation = v
		}
	}
	for s := range 2 {
		if math.IsNaN(r[s]) {
			p.Reason = fmt.Sprintf("correlation is undefined: a column is constant on the rows of the %s data where both are present", sdmSideName[s])
			return
		}
	}
	p.Value = 1 - math.Abs(r[sdmReal]-r[sdmSynth])/2
	p.Counted = true
}

// sdmPearsonSide returns the number of complete rows of side s and the
// Pearson r over them (NaN when a column is constant there), clipped to
// [−1, 1] as scipy.stats.pearsonr does.
func sdmPearsonSide(a, b *sdmCol, s int) (int, float64) {
	ca, cb := a.side[s], b.side[s]
	sa, sb := &a.st[s], &b.st[s]
	if !sa.hasNull && !sb.hasNull {
		n := a.rows[s]
		if n < 2 {
			return n, math.NaN()
		}
		var sxy float64
		switch {
		case ca.Kind == table.Float && cb.Kind == table.Float:
			sxy = sdmSxy(ca.Floats, cb.Floats, sa.mean, sb.mean)
		case ca.Kind == table.Float:
			sxy = sdmSxy(ca.Floats, cb.Ints, sa.mean, sb.mean)
		case cb.Kind == table.Float:
			sxy = sdmSxy(ca.Ints, cb.Floats, sa.mean, sb.mean)
		default:
			var ok bool
			if sxy, ok = sdmSxyInt(ca.Ints, cb.Ints, sa, sb); !ok {
				sxy = sdmSxy(ca.Ints, cb.Ints, sa.mean, sb.mean)
			}
		}
		return n, sdmR(sxy, sa.sxx, sb.sxx)
	}
	return sdmPearsonMasked(ca, cb)
}

func sdmR(sxy, sxx, syy float64) float64 {
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return max(-1, min(1, sxy/(math.Sqrt(sxx)*math.Sqrt(syy))))
}

// sdmSxy returns Σ (x − mx)(y − my).
func sdmSxy[X, Y sdmNumber](x []X, y []Y, mx, my float64) float64 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += (float64(x[i]) - mx) * (float64(y[i]) - my)
		s1 += (float64(x[i+1]) - mx) * (float64(y[i+1]) - my)
		s2 += (float64(x[i+2]) - mx) * (float64(y[i+2]) - my)
		s3 += (float64(x[i+3]) - mx) * (float64(y[i+3]) - my)
	}
	for ; i < len(x); i++ {
		s0 += (float64(x[i]) - mx) * (float64(y[i]) - my)
	}
	return (s0 + s1) + (s2 + s3)
}

// sdmSxyInt returns Σ (x − mx)(y − my) for integer columns through the
// exact integer sum Σ (x − x0)(y − y0), x0 and y0 the rounded means:
//
//	Σ (x − mx)(y − my) = Σ (x − x0)(y − y0) − n (mx − x0)(my − y0)
//
// ok is false when that sum could overflow.
func sdmSxyInt(x, y []int64, sx, sy *sdmStats) (float64, bool) {
	y = y[:len(x)]
	x0, y0 := int64(math.Round(sx.mean)), int64(math.Round(sy.mean))
	dx := max(uint64(sx.ihi-x0), uint64(x0-sx.ilo))
	dy := max(uint64(sy.ihi-y0), uint64(y0-sy.ilo))
	if sx.ihi-x0 < 0 || x0-sx.ilo < 0 || sy.ihi-y0 < 0 || y0-sy.ilo < 0 ||
		bits.Len64(dx)+bits.Len64(dy)+bits.Len64(uint64(len(x))) > 62 {
		return 0, false
	}
	var s0, s1, s2, s3 int64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += (x[i] - x0) * (y[i] - y0)
		s1 += (x[i+1] - x0) * (y[i+1] - y0)
		s2 += (x[i+2] - x0) * (y[i+2] - y0)
		s3 += (x[i+3] - x0) * (y[i+3] - y0)
	}
	for ; i < len(x); i++ {
		s0 += (x[i] - x0) * (y[i] - y0)
	}
	n := float64(len(x))
	return float64(s0+s1+s2+s3) - n*(sx.mean-float64(x0))*(sy.mean-float64(y0)), true
}

// sdmPearsonMasked is Pearson over the rows where both columns have a
// value, in two passes; a column constant on those rows gives NaN.
func sdmPearsonMasked(ca, cb *table.Column) (int, float64) {
	n := ca.Len()
	ok := func(i int) bool { return !sdmMissing(ca, i) && !sdmMissing(cb, i) }
	cnt := 0
	var sx, sy float64
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		if !ok(i) {
			continue
		}
		x, y := ca.Float(i), cb.Float(i)
		cnt++
		sx += x
		sy += y
		xlo, xhi = min(xlo, x), max(xhi, x)
		ylo, yhi = min(ylo, y), max(yhi, y)
	}
	if cnt < 2 {
		return cnt, math.NaN()
	}
	if xlo == xhi || ylo == yhi {
		return cnt, math.NaN()
	}
	mx, my := sx/float64(cnt), sy/float64(cnt)
	var sxy, sxx, syy float64
	for i := 0; i < n; i++ {
		if !ok(i) {
			continue
		}
		dx, dy := ca.Float(i)-mx, cb.Float(i)-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return cnt, sdmR(sxy, sxx, syy)
}

// sdmDenseCells bounds the cells of a contingency table counted in a flat
// array; larger tables (two high-cardinality columns) are counted sparsely.
const sdmDenseCells = 1 << 22

// sdmContingencyPair computes ContingencySimilarity
//
//	1 − ½ Σ_(u,v) |R_uv/n_R − S_uv/n_S|
//
// over the value combinations of either side, missing values kept as a
// value of their own and a continuous column replaced by its bin labels
// (each side binned on its own range, see sdmEdges). Under the sdmetrics
// filter the pair counts only when the real table's Cramér's V
//
//	V = sqrt(χ² / (n · (min(r, c) − 1)))
//
// (χ² without continuity correction over the r×c table of observed
// combinations) is above 0.3; V is undefined (NaN, not counted) when a
// column has a single value.
//
// Reference: sdmetrics.column_pairs.ContingencySimilarity; Cramér (1946),
// "Mathematical Methods of Statistics", p. 282; equals
// scipy.stats.contingency.association(method="cramer").
func sdmContingencyPair(p *PairTrend, a, b *sdmCol, filter bool) {
	for _, c := range [2]*sdmCol{a, b} {
		if c.binErr != "" {
			p.Reason = c.binErr
			return
		}
	}
	for s := range 2 {
		if a.rows[s] == 0 {
			p.Reason = fmt.Sprintf("the %s table has no rows", sdmSideName[s])
			return
		}
	}
	if a.k*b.k > sdmDenseCells {
		sdmSparseContingency(p, a, b, filter)
		return
	}
	cells := a.k * b.k
	ways := 1
	if cells <= 1<<12 && a.rows[sdmReal] >= 1<<12 {
		ways = 4
	}
	count := func(s int) []int32 {
		pa, pb := a.sp[s], b.sp[s]
		switch {
		case pa != nil && (pb == nil || len(pa.rows) <= len(pb.rows)):
			return sdmCountSparse(&a.codes[s], &b.codes[s], a.k, b.k, pa, true, b.count[s])
		case pb != nil:
			return sdmCountSparse(&a.codes[s], &b.codes[s], a.k, b.k, pb, false, a.count[s])
		}
		return sdmCountPair(&a.codes[s], &b.codes[s], b.k, make([]int32, cells*ways), ways)
	}
	real := count(sdmReal)
	if filter {
		p.RealAssociation = sdmCramersV(real, a.k, b.k, a.rows[sdmReal])
		if !(p.RealAssociation > sdmAssociationThreshold) {
			p.Reason = fmt.Sprintf("skipped by the sdmetrics pair filter: real cramér's v = %.4g is not above %g", p.RealAssociation, sdmAssociationThreshold)
			if math.IsNaN(p.RealAssociation) {
				p.Reason = fmt.Sprintf("skipped by the sdmetrics pair filter: the real cramér's v is undefined (a column has a single value), so not above %g", sdmAssociationThreshold)
			}
			return
		}
	}
	synth := count(sdmSynth)
	nr, ns := float64(a.rows[sdmReal]), float64(a.rows[sdmSynth])
	tv := 0.0
	for i, r := range real {
		if s := synth[i]; r != 0 || s != 0 {
			tv += math.Abs(float64(r)/nr - float64(s)/ns)
		}
	}
	p.Value = 1 - tv/2
	p.Counted = true
}

// sdmCountPair counts the code combinations (a_i, b_i) into buf (ways
// interleaved tables of len(buf)/ways cells, folded into the first) and
// returns the first table. Several tables break the dependency between
// consecutive increments of one cell.
func sdmCountPair(a, b *sdmCodes, kb int, buf []int32, ways int) []int32 {
	switch {
	case a.u8 != nil && b.u8 != nil:
		sdmCount(a.u8, b.u8, kb, buf, ways)
	case a.u8 != nil && b.u16 != nil:
		sdmCount(a.u8, b.u16, kb, buf, ways)
	case a.u8 != nil:
		sdmCount(a.u8, b.u32, kb, buf, ways)
	case a.u16 != nil && b.u8 != nil:
		sdmCount(a.u16, b.u8, kb, buf, ways)
	case a.u16 != nil && b.u16 != nil:
		sdmCount(a.u16, b.u16, kb, buf, ways)
	case a.u16 != nil:
		sdmCount(a.u16, b.u32, kb, buf, ways)
	case b.u8 != nil:
		sdmCount(a.u32, b.u8, kb, buf, ways)
	case b.u16 != nil:
		sdmCount(a.u32, b.u16, kb, buf, ways)
	default:
		sdmCount(a.u32, b.u32, kb, buf, ways)
	}
	cells := len(buf) / ways
	out := buf[:cells]
	for w := 1; w < ways; w++ {
		for i, v := range buf[w*cells : (w+1)*cells] {
			out[i] += v
		}
	}
	return out
}

type sdmCode interface{ ~uint8 | ~uint16 | ~uint32 }

func sdmCount[A, B sdmCode](a []A, b []B, kb int, buf []int32, ways int) {
	b = b[:len(a)]
	if ways == 1 {
		for i, x := range a {
			buf[int(x)*kb+int(b[i])]++
		}
		return
	}
	cells := len(buf) / 4
	t0, t1, t2, t3 := buf[:cells], buf[cells:2*cells], buf[2*cells:3*cells], buf[3*cells:4*cells]
	i := 0
	for ; i+4 <= len(a); i += 4 {
		t0[int(a[i])*kb+int(b[i])]++
		t1[int(a[i+1])*kb+int(b[i+1])]++
		t2[int(a[i+2])*kb+int(b[i+2])]++
		t3[int(a[i+3])*kb+int(b[i+3])]++
	}
	for ; i < len(a); i++ {
		t0[int(a[i])*kb+int(b[i])]++
	}
}

// sdmCramersV returns Cramér's V of an ka×kb count table over its
// non-empty rows and columns, NaN when fewer than two of either.
func sdmCramersV(cnt []int32, ka, kb, n int) float64 {
	rows := make([]float64, ka)
	cols := make([]float64, kb)
	for i := range ka {
		for j, v := range cnt[i*kb : (i+1)*kb] {
			rows[i] += float64(v)
			cols[j] += float64(v)
		}
	}
	r, c := 0, 0
	for _, v := range rows {
		if v > 0 {
			r++
		}
	}
	for _, v := range cols {
		if v > 0 {
			c++
		}
	}
	if r < 2 || c < 2 {
		return math.NaN()
	}
	fn := float64(n)
	chi2 := 0.0
	for i := range ka {
		if rows[i] == 0 {
			continue
		}
		for j := range kb {
			if cols[j] == 0 {
				continue
			}
			e := rows[i] * cols[j] / fn
			d := float64(cnt[i*kb+j]) - e
			chi2 += d * d / e
		}
	}
	return math.Sqrt(chi2 / fn / float64(min(r, c)-1))
}

// sdmSparseContingency is sdmContingencyPair for tables too large to
// count densely: the combined codes of each side are sorted and counted in
// runs; χ² = Σ O²/E − n over the observed cells.
func sdmSparseContingency(p *PairTrend, a, b *sdmCol, filter bool) {
	runs := func(s int) (keys []uint64, counts []int) {
		n := a.rows[s]
		k := make([]uint64, n)
		for i := range k {
			k[i] = uint64(a.codes[s].at(i))*uint64(b.k) + uint64(b.codes[s].at(i))
		}
		slices.Sort(k)
		for i := 0; i < n; {
			j := i
			for j < n && k[j] == k[i] {
				j++
			}
			keys = append(keys, k[i])
			counts = append(counts, j-i)
			i = j
		}
		return keys, counts
	}
	rk, rc := runs(sdmReal)
	nr := a.rows[sdmReal]
	if filter {
		rows := map[uint64]float64{}
		cols := map[uint64]float64{}
		for i, k := range rk {
			rows[k/uint64(b.k)] += float64(rc[i])
			cols[k%uint64(b.k)] += float64(rc[i])
		}
		v := math.NaN()
		if len(rows) >= 2 && len(cols) >= 2 {
			fn := float64(nr)
			chi2 := -fn
			for i, k := range rk {
				o := float64(rc[i])
				chi2 += o * o / (rows[k/uint64(b.k)] * cols[k%uint64(b.k)] / fn)
			}
			v = math.Sqrt(max(chi2, 0) / fn / float64(min(len(rows), len(cols))-1))
		}
		p.RealAssociation = v
		if !(v > sdmAssociationThreshold) {
			p.Reason = fmt.Sprintf("skipped by the sdmetrics pair filter: real cramér's v = %.4g is not above %g", v, sdmAssociationThreshold)
			return
		}
	}
	sk, sc := runs(sdmSynth)
	fr, fs := float64(nr), float64(a.rows[sdmSynth])
	tv := 0.0
	i, j := 0, 0
	for i < len(rk) || j < len(sk) {
		switch {
		case j == len(sk) || (i < len(rk) && rk[i] < sk[j]):
			tv += float64(rc[i]) / fr
			i++
		case i == len(rk) || sk[j] < rk[i]:
			tv += float64(sc[j]) / fs
			j++
		default:
			tv += math.Abs(float64(rc[i])/fr - float64(sc[j])/fs)
			i++
			j++
		}
	}
	p.Value = 1 - tv/2
	p.Counted = true
}
