package metrics

import (
	"context"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Gower distance (Gower 1971, "A general coefficient of similarity and some
// of its properties", Biometrics 27(4)) between rows x and y over p mixed
// columns:
//
//	d(x, y) = (1/p) Σⱼ dⱼ(xⱼ, yⱼ)
//
// with dⱼ = [xⱼ ≠ yⱼ] for a categorical column (a missing value is a
// category of its own) and dⱼ = min(|xⱼ − yⱼ| / Rⱼ, 1) for a numeric one,
// Rⱼ the range (max − min) of column j in the training table (a constant
// column: 0 for equal values, 1 otherwise); a numeric pair with one missing
// value counts 1, two missing values 0. d is in [0, 1].
//
// The nearest-neighbour search holds no distance matrix; memory is linear in
// the rows. The categorical codes of a row are packed one byte per column
// into 64-bit words (its signature), so that the number of categorical
// mismatches of two rows is a few XORs and popcounts. Rows of either side
// that share a signature are grouped (Adult's 32,561 training rows have
// 9,647 signatures). For each group of query rows, the mismatch count to
// every reference group is computed once and the reference groups are
// bucketed by it; each query row then visits the buckets in increasing
// mismatch order and stops at the first whose count reaches its current
// k-th best distance (a lower bound for every row left). Within a group the
// numeric terms are added one by one and the sum abandoned as soon as it
// reaches that bound. Columns with more than 255 categories share a byte
// lane by code modulo 255 (the packed count is then a lower bound) and are
// checked exactly for the rows visited. Query groups are split among
// GOMAXPROCS goroutines.

// Byte-lane masks for counting the non-zero bytes of a word.
const (
	lanesLow7 = 0x7f7f7f7f7f7f7f7f
	lanesHigh = 0x8080808080808080
)

// gowerSpace is the column layout and numeric scaling shared by the rows
// compared.
type gowerSpace struct {
	p       int // number of columns
	words   int // packed words per row
	lossy   bool
	numCols []int // indices into the mixedCol slice
	catCols []int
	lo      []float64 // numeric: training minimum
	inv     []float64 // numeric: 1 / range (a huge factor for a constant column)
}

// gowerRows are rows encoded in a gowerSpace, ordered and grouped by
// signature.
type gowerRows struct {
	n     int
	order []int32   // encoded row r is input row order[r] (position in idx when given)
	start []int32   // group g holds encoded rows start[g]..start[g+1]-1
	sig   []uint64  // groups × words packed categorical bytes
	num   []float64 // n × len(numCols) scaled values, NaN missing
	codes []int32   // n × len(catCols) exact codes, only when lossy
}

// groups returns the number of signature groups.
func (g *gowerRows) groups() int { return len(g.start) - 1 }

// rows encodes rows idx of table k (all rows when idx is nil).
func (s *gowerSpace) rows(cols []mixedCol, k int, idx []int) *gowerRows {
	n := len(idx)
	if idx == nil {
		n = cols[0].len(k)
	}
	row := func(r int) int {
		if idx == nil {
			return r
		}
		return idx[r]
	}
	W, q, nc := s.words, len(s.numCols), len(s.catCols)
	words := make([]uint64, n*W)
	for r := 0; r < n; r++ {
		i := row(r)
		for a, j := range s.catCols {
			var b uint64
			if c := cols[j].codes[k][i]; c >= 0 {
				b = uint64(c%255) + 1
			}
			words[r*W+a/8] |= b << (8 * (a % 8))
		}
	}
	perm := make([]int32, n)
	for r := range perm {
		perm[r] = int32(r)
	}
	slices.SortStableFunc(perm, func(a, b int32) int {
		return slices.Compare(words[int(a)*W:int(a+1)*W], words[int(b)*W:int(b+1)*W])
	})
	g := &gowerRows{n: n, order: make([]int32, n), num: make([]float64, n*q)}
	if s.lossy {
		g.codes = make([]int32, n*nc)
	}
	for r, p := range perm {
		i := row(int(p))
		g.order[r] = p
		w := words[int(p)*W : int(p+1)*W]
		if r == 0 || !slices.Equal(w, g.sig[len(g.sig)-W:]) {
			g.start = append(g.start, int32(r))
			g.sig = append(g.sig, w...)
		}
		for a, j := range s.numCols {
			g.num[r*q+a] = (cols[j].num[k][i] - s.lo[a]) * s.inv[a]
		}
		if s.lossy {
			for a, j := range s.catCols {
				g.codes[r*nc+a] = cols[j].codes[k][i]
			}
		}
	}
	if n > 0 && len(g.start) == 0 {
		g.start = append(g.start, 0) // no categorical column: one group
	}
	g.start = append(g.start, int32(n))
	return g
}

// len returns the number of rows of table k.
func (c *mixedCol) len(k int) int {
	if c.cat {
		return len(c.codes[k])
	}
	return len(c.num[k])
}

// nearest returns, for each query row (in input order: the order of idx
// when the query was encoded from a subset), the Gower distance
// to its nearest reference row and, when two is set, to its second nearest
// (+Inf when the reference has fewer rows). Rows with skip[i] set (by input
// index) are left at 0.
func (s *gowerSpace) nearest(ctx context.Context, query, ref *gowerRows, two bool, skip []bool) (d1, d2 []float64, err error) {
	d1 = make([]float64, query.n)
	if two {
		d2 = make([]float64, query.n)
	}
	del := s.deletions(ref)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Go(func() {
			sc := newScratch(s, ref)
			for {
				g := int(next.Add(1)) - 1
				if g >= query.groups() || ctx.Err() != nil {
					return
				}
				qw := query.sig[g*s.words : (g+1)*s.words]
				sc.near(s, qw, ref, del)
				sc.bucketed = false
				for r := int(query.start[g]); r < int(query.start[g+1]); r++ {
					i := query.order[r]
					if skip != nil && skip[i] {
						continue
					}
					b1, b2 := s.search(query, r, qw, ref, sc, two)
					d1[i] = b1 / float64(s.p)
					if two {
						d2[i] = b2 / float64(s.p)
					}
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return d1, d2, nil
}

// mismatches returns the number of differing byte lanes of two signatures.
func mismatches(a, b []uint64) int {
	mm := 0
	b = b[:len(a)]
	for t, x := range a {
		if x ^= b[t]; x != 0 {
			mm += lanes(x)
		}
	}
	return mm
}

// lanes returns the number of non-zero bytes of x.
func lanes(x uint64) int {
	return bits.OnesCount64((((x & lanesLow7) + lanesLow7) | x) & lanesHigh)
}

// deletions indexes the reference groups by each signature with one lane
// cleared: a query signature with the same lane cleared finds every group
// within one mismatch of it. Nil without categorical columns.
func (s *gowerSpace) deletions(ref *gowerRows) map[uint64][]int32 {
	nc, W := len(s.catCols), s.words
	if nc == 0 {
		return nil
	}
	del := make(map[uint64][]int32, ref.groups()*nc)
	for g := 0; g < ref.groups(); g++ {
		sig := ref.sig[g*W : (g+1)*W]
		for a := 0; a < nc; a++ {
			k := deletionKey(sig, a)
			del[k] = append(del[k], int32(g))
		}
	}
	return del
}

// deletionKey hashes sig with lane a cleared, and a.
func deletionKey(sig []uint64, a int) uint64 {
	h := mix64(uint64(a) + 1)
	for t, w := range sig {
		if t == a/8 {
			w &^= 0xff << (8 * (a % 8))
		}
		h = mix64(h ^ w)
	}
	return h
}

// scratch is one worker's view of the reference groups for the current
// query signature: those within one mismatch, found through the deletion
// index, and, built only when a row needs them, all the others bucketed by
// mismatch count.
type scratch struct {
	stamp    []int32 // per reference group: last query group that saw it, +1
	cur      int32
	near0    []int32 // groups with no mismatch
	near1    []int32 // groups with one mismatch
	bucketed bool
	mm       []uint8 // per reference group: packed mismatches
	sorted   []int32 // groups with two or more mismatches, by count
	first    []int32 // count m ≥ 2 holds sorted[first[m]:first[m+1]]
}

func newScratch(s *gowerSpace, ref *gowerRows) *scratch {
	return &scratch{stamp: make([]int32, ref.groups()), mm: make([]uint8, ref.groups()), first: make([]int32, len(s.catCols)+2)}
}

// near collects the reference groups within one mismatch of qw; without
// categorical columns, the one group.
func (sc *scratch) near(s *gowerSpace, qw []uint64, ref *gowerRows, del map[uint64][]int32) {
	sc.near0, sc.near1 = sc.near0[:0], sc.near1[:0]
	if del == nil {
		for g := 0; g < ref.groups(); g++ {
			sc.near0 = append(sc.near0, int32(g))
		}
		return
	}
	sc.cur++
	W := s.words
	for a := range s.catCols {
		for _, g := range del[deletionKey(qw, a)] {
			if sc.stamp[g] == sc.cur {
				continue
			}
			sc.stamp[g] = sc.cur
			switch mismatches(qw, ref.sig[int(g)*W:int(g+1)*W]) { // a hash collision gives more
			case 0:
				sc.near0 = append(sc.near0, g)
			case 1:
				sc.near1 = append(sc.near1, g)
			}
		}
	}
}

// bucket counting-sorts the reference groups with two or more packed
// mismatches to qw by that count.
func (sc *scratch) bucket(s *gowerSpace, qw []uint64, ref *gowerRows) {
	W := s.words
	clear(sc.first)
	sc.sorted = sc.sorted[:0]
	mm := sc.mm
	if W == 2 {
		// Up to 16 categorical columns (Adult's 9): two words, unrolled.
		q0, q1 := qw[0], qw[1]
		sig := ref.sig[:2*len(mm)]
		for g := range mm {
			mm[g] = uint8(lanes(q0^sig[2*g]) + lanes(q1^sig[2*g+1]))
		}
	} else {
		for g := range mm {
			mm[g] = uint8(mismatches(qw, ref.sig[g*W:(g+1)*W]))
		}
	}
	for _, m := range mm {
		if m >= 2 {
			sc.first[m+1]++
		}
	}
	for m := 1; m < len(sc.first); m++ {
		sc.first[m] += sc.first[m-1]
	}
	sc.sorted = slices.Grow(sc.sorted, int(sc.first[len(sc.first)-1]))[:sc.first[len(sc.first)-1]]
	pos := slices.Clone(sc.first)
	for g, m := range mm {
		if m >= 2 {
			sc.sorted[pos[m]] = int32(g)
			pos[m]++
		}
	}
	sc.bucketed = true
}

// best holds the two smallest unscaled distances found so far.
type best struct {
	d1, d2 float64
	two    bool
}

// bound is the distance a row must beat to change the result.
func (b *best) bound() float64 {
	if b.two {
		return b.d2
	}
	return b.d1
}

// search returns the two smallest unscaled distances (sums of the column
// terms) from encoded query row r (signature qw) to the reference rows: the
// groups within one mismatch first, then, if the bound still exceeds 2, the
// buckets of two or more mismatches in increasing order, stopping at the
// first count that reaches the bound. The second is +Inf unless two is set.
func (s *gowerSpace) search(query *gowerRows, r int, qw []uint64, ref *gowerRows, sc *scratch, two bool) (float64, float64) {
	b := best{d1: math.Inf(1), d2: math.Inf(1), two: two}
	s.scan(query, r, ref, sc.near0, 0, &b)
	if len(s.catCols) == 0 {
		return b.d1, b.d2
	}
	s.scan(query, r, ref, sc.near1, 1, &b)
	if b.bound() <= 2 {
		return b.d1, b.d2
	}
	if !sc.bucketed {
		sc.bucket(s, qw, ref)
	}
	for m := 2; m+1 < len(sc.first); m++ {
		if float64(m) >= b.bound() {
			break
		}
		s.scan(query, r, ref, sc.sorted[sc.first[m]:sc.first[m+1]], m, &b)
	}
	return b.d1, b.d2
}

// scan updates b with the rows of the given reference groups, all at m
// packed mismatches from query row r.
func (s *gowerSpace) scan(query *gowerRows, r int, ref *gowerRows, groups []int32, m int, b *best) {
	q, nc := len(s.numCols), len(s.catCols)
	qn := query.num[r*q : (r+1)*q : (r+1)*q]
	bound := b.bound()
	for _, g := range groups {
		if bound == 0 {
			return
		}
		for j := int(ref.start[g]); j < int(ref.start[g+1]); j++ {
			d := float64(m)
			if s.lossy {
				d = 0
				for a, c := range query.codes[r*nc : (r+1)*nc] {
					if c != ref.codes[j*nc+a] {
						d++
					}
				}
				if d >= bound {
					continue
				}
			}
			rn := ref.num[j*q : (j+1)*q : (j+1)*q]
			for t, a := range qn {
				x := math.Abs(a - rn[t])
				if x > 1 {
					x = 1
				} else if x != x { // a missing value
					x = 1
					if a != a && rn[t] != rn[t] {
						x = 0
					}
				}
				d += x
				if d >= bound {
					break
				}
			}
			if d >= bound {
				continue
			}
			if d < b.d1 {
				b.d1, b.d2 = d, b.d1
			} else {
				b.d2 = d
			}
			bound = b.bound()
			if bound == 0 {
				return
			}
		}
	}
}

// newGowerSpace lays out cols, with numeric ranges from table k.
func newGowerSpace(cols []mixedCol, k int) *gowerSpace {
	s := &gowerSpace{p: len(cols)}
	for j, c := range cols {
		if c.cat {
			s.catCols = append(s.catCols, j)
			if c.levels > 255 {
				s.lossy = true
			}
			continue
		}
		s.numCols = append(s.numCols, j)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range c.num[k] {
			if !math.IsNaN(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		inv := 1e300 // constant (or empty) column: any difference counts 1
		if hi > lo {
			inv = 1 / (hi - lo)
		}
		if math.IsInf(lo, 0) {
			lo = 0
		}
		s.lo, s.inv = append(s.lo, lo), append(s.inv, inv)
	}
	s.words = (len(s.catCols) + 7) / 8
	return s
}
