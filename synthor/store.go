package synthor

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// store holds the records of one level column by column: for each variable
// its cell, its fine cell (numeric variables) and its value (NaN when
// missing). Records are only appended; removal marks them deleted.
type store struct {
	vars    []*macro.Var
	index   map[string]int // variable name → position in vars
	fine    []*macro.Var
	shares  [][]float64    // numeric: target shares of the fine cells
	fbounds [][][2]float64 // numeric: bounds of the fine cells
	fpoint  [][]bool       // numeric: whether a fine cell is a point
	num     []numInfo
	kinds   []table.Kind
	fineOn  bool // sampling=fine
	cells   [][]int32
	fcells  [][]int32
	nums    [][]float64
	deleted []bool
	live    int
}

// numInfo is how a numeric variable's values are drawn: inside its exact
// domain [lo, hi] (the observed range, or the outer edges of targets), to
// dec decimals (−1: full precision), and for an integer or datetime
// variable on the grid lo + k·step that its values share (step > 1: a
// column of whole minutes, or of multiples of 100; 0 or 1: every integer).
type numInfo struct {
	lo, hi float64
	dec    int
	step   float64
}

// newStore returns an empty store for the level's variables; numeric values
// are also counted in the sub-bins of the level's fine marginals.
func newStore(l *Level, num map[string]numInfo, sampling string) *store {
	s := &store{vars: l.Vars, fine: make([]*macro.Var, len(l.Vars)), kinds: make([]table.Kind, len(l.Vars)),
		cells: make([][]int32, len(l.Vars)), fcells: make([][]int32, len(l.Vars)), nums: make([][]float64, len(l.Vars)),
		index: make(map[string]int, len(l.Vars)), num: make([]numInfo, len(l.Vars)), shares: make([][]float64, len(l.Vars)),
		fbounds: make([][][2]float64, len(l.Vars)), fpoint: make([][]bool, len(l.Vars)),
		fineOn: sampling != SamplingUniform}
	for i, v := range l.Vars {
		s.index[v.Name] = i
		s.kinds[i] = v.Kind
		if v.Numeric() {
			s.fine[i] = v.Fine(l.Targets.Fine)
			if fm := l.Targets.FineMarginals[v.Name]; fm != nil && fm.Vars[0].Levels() == s.fine[i].Levels() {
				s.fine[i] = fm.Vars[0] // the targets' sub-bins (quantile ones)
			}
			info, ok := num[v.Name]
			if !ok {
				info = numInfo{lo: v.Bins.Min(), hi: v.Bins.Max(), dec: -1}
			}
			s.num[i] = info
			if fm := l.Targets.FineMarginals[v.Name]; fm != nil && len(fm.Counts) == s.fine[i].Size() {
				s.shares[i] = fm.Shares()
				fb := s.fine[i].Bins
				for c := range fb.Len() {
					a, z := fb.Bounds(c)
					s.fbounds[i] = append(s.fbounds[i], [2]float64{a, z})
					s.fpoint[i] = append(s.fpoint[i], fb.IsPoint(c))
				}
			}
		}
	}
	return s
}

func (s *store) len() int { return len(s.deleted) }

// drawer is how one variable of a proposal is drawn: a fixed cell
// (categories, missing), or a number inside [lo, hi], by the target's fine
// shape when cands is set (candidate fine cells, their running weights and
// the part of each inside the range).
type drawer struct {
	cell   int32
	lo, hi float64
	cands  []int
	cum    []float64
	ranges [][2]float64
	points []float64 // a discrete variable: the values inside the range
}

// prepare returns the drawers of a proposal's repaired values, computed
// once per proposal.
func (s *store) prepare(vals []Value) []drawer {
	out := make([]drawer, len(s.vars))
	for i := range s.vars {
		out[i] = s.drawerOf(i, vals[i])
	}
	return out
}

// drawerOf returns the drawer of variable i for a repaired value.
func (s *store) drawerOf(i int, val Value) drawer {
	v := s.vars[i]
	switch {
	case val.Missing:
		return drawer{cell: int32(v.MissingCell())}
	case !v.Numeric():
		return drawer{cell: int32(v.CategoryCell(val.Category))}
	}
	return s.numDrawer(i, val.Range[0], val.Range[1])
}

// numDrawer prepares the draw of numeric variable i inside [lo, hi].
func (s *store) numDrawer(i int, lo, hi float64) drawer {
	info := s.num[i]
	// A range that is an interval cell's own (the stat planner's sub-bin,
	// a guidance line copied) names that cell: the point masses inside it
	// have cells of their own and are not drawn from it.
	namesCell := s.intervalCell(i, lo, hi)
	lo, hi = math.Max(lo, info.lo), math.Min(hi, info.hi)
	if lo > hi { // outside the exact domain (inside its rounded edges)
		if hi < info.lo {
			lo, hi = info.lo, info.lo
		} else {
			lo, hi = info.hi, info.hi
		}
	}
	dr := drawer{cell: -1, lo: lo, hi: hi}
	b := s.vars[i].Bins
	if len(b.Points) > 0 && b.Len() == len(b.Points) { // discrete
		for _, p := range b.Points {
			if p >= lo && p <= hi {
				dr.points = append(dr.points, p)
			}
		}
		if len(dr.points) == 0 {
			dr.points = []float64{b.Points[b.Index((lo+hi)/2)]}
		}
	}
	if !s.fineOn || s.shares[i] == nil {
		return dr
	}
	sh := s.shares[i]
	total := 0.0
	for c, bz := range s.fbounds[i] {
		if sh[c] <= 0 {
			continue
		}
		a, z := bz[0], bz[1]
		w := 0.0
		ra, rz := math.Max(a, lo), math.Min(z, hi)
		switch {
		case s.fpoint[i][c]:
			if a >= lo && a <= hi && !namesCell {
				w = sh[c]
			}
		case rz > ra:
			w = sh[c] * (rz - ra) / (z - a)
		case lo == hi && lo >= a && lo <= z:
			w = sh[c]
		}
		if w <= 0 {
			continue
		}
		if rz == z && c < len(s.fbounds[i])-1 && rz > ra {
			rz = math.Nextafter(z, math.Inf(-1)) // the upper edge belongs to the next cell
		}
		total += w
		dr.cands = append(dr.cands, c)
		dr.cum = append(dr.cum, total)
		dr.ranges = append(dr.ranges, [2]float64{ra, math.Max(ra, rz)})
	}
	if total <= 0 {
		dr.cands, dr.cum, dr.ranges = nil, nil, nil
	}
	return dr
}

// intervalCell reports whether [lo, hi] are the bounds of an interval
// (not point) cell of variable i's main or fine binning.
func (s *store) intervalCell(i int, lo, hi float64) bool {
	for _, b := range []macro.Bins{s.vars[i].Bins, s.fine[i].Bins} {
		for c := b.Len() - 1; c >= 0 && !b.IsPoint(c); c-- {
			if a, z := b.Bounds(c); a == lo && z == hi {
				return true
			}
		}
	}
	return false
}

// draw draws the number of a numeric drawer.
func (s *store) draw(i int, dr *drawer, rng *rand.Rand) float64 {
	b := s.vars[i].Bins
	info := s.num[i]
	var x float64
	switch {
	case dr.cands != nil:
		k := drawCum(dr.cum, rng)
		r := dr.ranges[k]
		if s.fpoint[i][dr.cands[k]] {
			return r[0] // a real value: exact, never rounded
		}
		x = drawOnGrid(s.kinds[i], r[0], r[1], info, rng)
		// An integer drawn inside an interval that equals a point mass
		// would land in the point's cell (and leave the interval's
		// deficit where it was): draw among the others.
		if len(b.Points) > 0 && b.IsPoint(b.Index(x)) {
			x = drawOffPoints(s.kinds[i], r[0], r[1], info, b.Points, x, rng)
		}
	case dr.points != nil:
		return dr.points[rng.IntN(len(dr.points))]
	default:
		x = drawOnGrid(s.kinds[i], dr.lo, dr.hi, info, rng)
	}
	if d := info.dec; d >= 0 && s.kinds[i] == table.Float {
		p := math.Pow(10, float64(d))
		x = math.Round(x*p) / p
	}
	return math.Min(math.Max(x, info.lo), info.hi)
}

// drawOnGrid is drawNumber on the grid info.lo + k·info.step of an integer
// or datetime variable whose values share a step: a grid point inside
// [lo, hi], or the one nearest its midpoint when none is inside.
func drawOnGrid(k table.Kind, lo, hi float64, info numInfo, rng *rand.Rand) float64 {
	st := info.step
	if k == table.Float || st <= 1 {
		return drawNumber(k, lo, hi, rng)
	}
	a, z := math.Ceil((lo-info.lo)/st), math.Floor((hi-info.lo)/st)
	if a > z {
		return info.lo + math.Round(((lo+hi)/2-info.lo)/st)*st
	}
	return info.lo + drawNumber(table.Integer, a, z, rng)*st
}

// drawOffPoints draws uniformly among the grid values inside [lo, hi]
// that are not points (up to 4,096 of them are listed; beyond that, a few
// draws are tried); x, a point, when every value is one.
func drawOffPoints(k table.Kind, lo, hi float64, info numInfo, points []float64, x float64, rng *rand.Rand) float64 {
	st, base := 1.0, 0.0
	if k != table.Float && info.step > 1 {
		st, base = info.step, info.lo
	}
	a, z := math.Ceil((lo-base)/st), math.Floor((hi-base)/st)
	if k == table.Float || z-a >= 4096 {
		for try := 0; try < 8; try++ {
			y := drawOnGrid(k, lo, hi, info, rng)
			if _, hit := slices.BinarySearch(points, y); !hit {
				return y
			}
		}
		return x
	}
	var free []float64
	for u := a; u <= z; u++ {
		if y := base + u*st; !slices.Contains(points, y) {
			free = append(free, y)
		}
	}
	if len(free) == 0 {
		return x
	}
	return free[rng.IntN(len(free))]
}

// gridStep returns the greatest common divisor of the differences between
// the non-missing values of an integer or datetime column and its minimum
// (0 when the column has fewer than two distinct values).
func gridStep(c *table.Column) float64 {
	lo, ok := int64(0), false
	for i, x := range c.Ints {
		if !c.IsNull(i) && (!ok || x < lo) {
			lo, ok = x, true
		}
	}
	var g uint64
	for i, x := range c.Ints {
		if c.IsNull(i) || x == lo {
			continue
		}
		d := uint64(x - lo)
		for d != 0 {
			g, d = d, g%d
		}
		if g == 1 {
			break
		}
	}
	return float64(g)
}

// add draws one record from the prepared drawers and returns its index.
func (s *store) add(drs []drawer, rng *rand.Rand) int {
	for i, v := range s.vars {
		cell, fcell, x := s.drawValue(i, &drs[i], rng)
		s.cells[i] = append(s.cells[i], cell)
		if v.Numeric() {
			s.nums[i] = append(s.nums[i], x)
			s.fcells[i] = append(s.fcells[i], fcell)
		}
	}
	s.deleted = append(s.deleted, false)
	s.live++
	return len(s.deleted) - 1
}

// drawValue draws variable i from its drawer: its cell, and for a numeric
// variable its fine cell and value (NaN: missing).
func (s *store) drawValue(i int, dr *drawer, rng *rand.Rand) (cell, fcell int32, x float64) {
	v := s.vars[i]
	if dr.cell >= 0 {
		if v.Numeric() { // missing
			return dr.cell, int32(s.fine[i].MissingCell()), math.NaN()
		}
		return dr.cell, -1, 0
	}
	x = s.draw(i, dr, rng)
	return int32(v.Bins.Index(x)), int32(s.fine[i].Bins.Index(x)), x
}

// set replaces variable i of record r by a draw from its drawer.
func (s *store) set(i, r int, dr *drawer, rng *rand.Rand) {
	cell, fcell, x := s.drawValue(i, dr, rng)
	s.cells[i][r] = cell
	if s.vars[i].Numeric() {
		s.nums[i][r], s.fcells[i][r] = x, fcell
	}
}

// copyFrom appends record r of src, a store of the same variables, and
// returns its index.
func (s *store) copyFrom(src *store, r int) int {
	for i, v := range s.vars {
		s.cells[i] = append(s.cells[i], src.cells[i][r])
		if v.Numeric() {
			s.nums[i] = append(s.nums[i], src.nums[i][r])
			s.fcells[i] = append(s.fcells[i], src.fcells[i][r])
		}
	}
	s.deleted = append(s.deleted, false)
	s.live++
	return len(s.deleted) - 1
}

// drawNumber draws uniformly from [lo, hi]: a float for float columns, an
// integer among those inside the range for integer and datetime columns (the
// rounded midpoint when none is inside).
func drawNumber(k table.Kind, lo, hi float64, rng *rand.Rand) float64 {
	if k == table.Float {
		if hi == lo {
			return lo
		}
		return lo + rng.Float64()*(hi-lo)
	}
	ilo, ihi := math.Ceil(lo), math.Floor(hi)
	if ilo > ihi {
		return math.Round((lo + hi) / 2)
	}
	span := ihi - ilo
	if span < 1<<53 {
		return ilo + float64(rng.Int64N(int64(span)+1))
	}
	return math.Round(lo + rng.Float64()*(hi-lo))
}

// count adds (w = 1) or removes (w = −1) records [from, to) to the synthetic
// tables of l.
func (s *store) count(l *Level, from, to int, w float64) {
	for _, m := range l.Synth.Marginals {
		m.AddCells([][]int32{s.cells[s.index[m.Vars[0].Name]]}, from, to, w)
	}
	for _, j := range l.Synth.Joints {
		cols := make([][]int32, len(j.Vars))
		for k, v := range j.Vars {
			cols[k] = s.cells[s.index[v.Name]]
		}
		j.AddCells(cols, from, to, w)
	}
	for name, f := range l.Synth.FineMarginals {
		f.AddCells([][]int32{s.fcells[s.index[name]]}, from, to, w)
	}
	l.Synth.Size += float64(to-from) * w
}

// column returns variable i as a table column over the live records, with
// each record repeated rep[r] times (rep nil: once).
func (s *store) column(i int, f table.Field, rep []int) *table.Column {
	v := s.vars[i]
	var idx []int
	for r, d := range s.deleted {
		if d {
			continue
		}
		n := 1
		if rep != nil {
			n = rep[r]
		}
		for range n {
			idx = append(idx, r)
		}
	}
	c := &nullable{Column: &table.Column{Field: f}}
	switch {
	case !v.Numeric():
		c.Kind = table.Categorical
		c.Dict = v.Categories
		if len(f.Categories) > 0 {
			c.Dict = f.Categories
		}
		remap := make([]int32, len(v.Categories))
		for k, name := range v.Categories {
			remap[k] = int32(indexOf(c.Dict, name))
			if remap[k] < 0 { // the schema lists fewer categories than the targets
				c.Dict = v.Categories
				for j := range remap {
					remap[j] = int32(j)
				}
				break
			}
		}
		c.Codes = make([]int32, len(idx))
		miss := int32(v.MissingCell())
		for j, r := range idx {
			if k := s.cells[i][r]; k == miss {
				c.Codes[j] = table.Missing
				c.setNull(j, len(idx))
			} else {
				c.Codes[j] = remap[k]
			}
		}
	case f.Kind == table.Float:
		c.Floats = make([]float64, len(idx))
		for j, r := range idx {
			x := s.nums[i][r]
			c.Floats[j] = x
			if math.IsNaN(x) {
				c.setNull(j, len(idx))
			}
		}
	default: // integer, datetime
		c.Ints = make([]int64, len(idx))
		for j, r := range idx {
			x := s.nums[i][r]
			if math.IsNaN(x) {
				c.setNull(j, len(idx))
				continue
			}
			c.Ints[j] = int64(x)
		}
	}
	return c.Column
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// nullable is a column being filled whose Nulls are made on the first
// missing value.
type nullable struct{ *table.Column }

func (c *nullable) setNull(j, n int) {
	if c.Nulls == nil {
		c.Nulls = make([]bool, n)
	}
	c.Nulls[j] = true
}
