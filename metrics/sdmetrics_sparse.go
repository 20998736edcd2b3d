package metrics

import (
	"encoding/binary"
	"math/bits"
)

// sdmSparse lists the rows of one side of a column whose code is not the
// most frequent one. A contingency table then needs increments only for
// those rows: the dominant code's cells follow from the other column's
// margins. Skewed columns (a zero capital gain, one native country, one
// race) leave a few percent of the rows to count.
type sdmSparse struct {
	dom   int     // the most frequent code
	rows  []int32 // rows whose code is not dom, ascending
	codes []uint8 // codes of those rows (when codes fit a byte)
	count []int   // rows per code, len k
}

// Costs in ns per row on amd64, for deciding which row lists to build: an
// increment over every row, an increment through a list, scanning codes for
// a list and writing one listed row.
const (
	sdmCostPlain  = 0.55
	sdmCostListed = 1.0
	sdmCostScan   = 0.2
	sdmCostWrite  = 1.2
)

// listLen returns the length of side s's would-be row list, or −1 when
// the side is too small or its dominant code too rare for one.
func (c *sdmCol) listLen(s int) int {
	n := c.rows[s]
	if n < 1<<10 || c.count[s] == nil || c.binErr != "" {
		return -1
	}
	top := 0
	for _, k := range c.count[s] {
		top = max(top, k)
	}
	if rest := n - top; float64(rest) <= 0.6*float64(n) {
		return rest
	}
	return -1
}

// sdmPlanLists returns, per column and side, whether to build its row list:
// each contingency pair counted on a side is assigned the shorter candidate
// list of its two columns, and a list is built when what its pairs save
// over plain counting exceeds what building it costs.
func sdmPlanLists(cols []*sdmCol, sides []int) [][2]bool {
	plan := make([][2]bool, len(cols))
	for _, s := range sides {
		length := make([]int, len(cols))
		for i, c := range cols {
			length[i] = c.listLen(s)
		}
		saving := make([]float64, len(cols))
		for i := range cols {
			for j := i + 1; j < len(cols); j++ {
				if cols[i].cont && cols[j].cont {
					continue
				}
				best := i
				if length[i] < 0 || (length[j] >= 0 && length[j] < length[i]) {
					best = j
				}
				if length[best] < 0 {
					continue
				}
				saving[best] += sdmCostPlain*float64(cols[best].rows[s]) - sdmCostListed*float64(length[best])
			}
		}
		for i, c := range cols {
			build := sdmCostScan*float64(c.rows[s]) + sdmCostWrite*float64(length[i])
			plan[i][s] = length[i] >= 0 && saving[i] > build
		}
	}
	return plan
}

// newSDMSparse builds the list of rows off the most frequent code.
func newSDMSparse(codes *sdmCodes, count []int, n int) *sdmSparse {
	dom := 0
	for c, k := range count {
		if k > count[dom] {
			dom = c
		}
	}
	rest := n - count[dom]
	sp := &sdmSparse{dom: dom, rows: make([]int32, rest+1), count: count}
	switch {
	case codes.u8 != nil:
		sp.codes = make([]uint8, rest+1)
		sdmListRows8(sp.rows, sp.codes, codes.u8, uint8(dom))
		sp.codes = sp.codes[:rest]
	case codes.u16 != nil:
		sdmListRows(sp.rows, codes.u16, uint16(dom))
	default:
		sdmListRows(sp.rows, codes.u32, uint32(dom))
	}
	sp.rows = sp.rows[:rest]
	return sp
}

// sdmListRows writes the rows whose code is not dom into rows (one spare
// slot at the end), without a branch per row.
func sdmListRows[C sdmCode](rows []int32, codes []C, dom C) {
	w := 0
	for i, c := range codes {
		rows[w] = int32(i)
		w += sdmB2I(c != dom)
	}
}

// sdmListRows8 is sdmListRows for byte codes, also gathering the listed
// rows' codes into out. It tests 8 codes at a time (SWAR): a 64-row block
// becomes a bit mask of the rows off dom, whose set bits are then listed.
func sdmListRows8(rows []int32, out, codes []uint8, dom uint8) {
	const lo7, hi1 = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	bcast := uint64(dom) * 0x0101010101010101
	w := 0
	n := len(codes) &^ 63
	for base := 0; base < n; base += 64 {
		blk := codes[base : base+64 : base+64]
		var mask uint64
		for k := 0; k < 8; k++ {
			x := binary.LittleEndian.Uint64(blk[8*k:]) ^ bcast
			// High bit of each byte set iff the byte is not zero.
			f := (((x & lo7) + lo7) | x) & hi1
			mask |= ((f >> 7) * 0x0102040810204080 >> 56) << (8 * k)
		}
		for mask != 0 {
			j := bits.TrailingZeros64(mask)
			rows[w] = int32(base + j)
			out[w] = blk[j&63]
			w++
			mask &= mask - 1
		}
	}
	for i := n; i < len(codes); i++ {
		c := codes[i]
		rows[w] = int32(i)
		out[w] = c
		w += sdmB2I(c != dom)
	}
}

// sdmB2I is 1 for true and 0 for false (compiled to a flag move).
func sdmB2I(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sdmCountListed counts the combinations x[r]·sx + y[r]·sy over the listed
// rows into buf (ways interleaved tables of len(buf)/ways cells, folded
// into the first, which is returned; ways is 1 or 4).
func sdmCountListed[X, Y sdmCode](rows []int32, x []X, y []Y, sx, sy, ways int, buf []int32) []int32 {
	if ways == 1 {
		for _, r := range rows {
			buf[int(x[r])*sx+int(y[r])*sy]++
		}
		return buf
	}
	cells := len(buf) / 4
	t0, t1, t2, t3 := buf[:cells], buf[cells:2*cells], buf[2*cells:3*cells], buf[3*cells:4*cells]
	i := 0
	for ; i+4 <= len(rows); i += 4 {
		q := rows[i : i+4 : i+4]
		r0, r1, r2, r3 := q[0], q[1], q[2], q[3]
		t0[int(x[r0])*sx+int(y[r0])*sy]++
		t1[int(x[r1])*sx+int(y[r1])*sy]++
		t2[int(x[r2])*sx+int(y[r2])*sy]++
		t3[int(x[r3])*sx+int(y[r3])*sy]++
	}
	for ; i < len(rows); i++ {
		r := rows[i]
		t0[int(x[r])*sx+int(y[r])*sy]++
	}
	for w := 1; w < 4; w++ {
		for j, v := range buf[w*cells : (w+1)*cells] {
			t0[j] += v
		}
	}
	return t0
}

// sdmCountGathered is sdmCountListed with the listed column's codes
// already gathered: xs[i] is the code of row rows[i].
func sdmCountGathered[Y sdmCode](rows []int32, xs []uint8, y []Y, sx, sy, ways int, buf []int32) []int32 {
	if ways == 1 {
		for i, r := range rows {
			buf[int(xs[i])*sx+int(y[r])*sy]++
		}
		return buf
	}
	cells := len(buf) / 4
	t0, t1, t2, t3 := buf[:cells], buf[cells:2*cells], buf[2*cells:3*cells], buf[3*cells:4*cells]
	xs = xs[:len(rows)]
	i := 0
	for ; i+4 <= len(rows); i += 4 {
		q := rows[i : i+4 : i+4]
		p := xs[i : i+4 : i+4]
		t0[int(p[0])*sx+int(y[q[0]])*sy]++
		t1[int(p[1])*sx+int(y[q[1]])*sy]++
		t2[int(p[2])*sx+int(y[q[2]])*sy]++
		t3[int(p[3])*sx+int(y[q[3]])*sy]++
	}
	for ; i < len(rows); i++ {
		t0[int(xs[i])*sx+int(y[rows[i]])*sy]++
	}
	for w := 1; w < 4; w++ {
		for j, v := range buf[w*cells : (w+1)*cells] {
			t0[j] += v
		}
	}
	return t0
}

// sdmCountSparse counts the ka×kb table of codes a and b through the row
// list of a (onA) or of b, then fills the listed column's dominant code
// from the other column's per-code counts.
func sdmCountSparse(a, b *sdmCodes, ka, kb int, sp *sdmSparse, onA bool, other []int) []int32 {
	ways := 1
	if ka*kb <= 1<<12 && len(sp.rows) >= 1<<12 {
		ways = 4
	}
	buf := make([]int32, ways*ka*kb)
	var cnt []int32
	if onA {
		cnt = sdmDispatchGathered(sp, a, b, kb, 1, ways, buf)
		d := sp.dom
		for j := range kb {
			s := other[j]
			for i := range ka {
				if i != d {
					s -= int(cnt[i*kb+j])
				}
			}
			cnt[d*kb+j] = int32(s)
		}
		return cnt
	}
	cnt = sdmDispatchGathered(sp, b, a, 1, kb, ways, buf)
	d := sp.dom
	for i := range ka {
		s := other[i]
		for j := range kb {
			if j != d {
				s -= int(cnt[i*kb+j])
			}
		}
		cnt[i*kb+d] = int32(s)
	}
	return cnt
}

// sdmDispatchGathered counts through sp's gathered codes when it has them.
func sdmDispatchGathered(sp *sdmSparse, x, y *sdmCodes, sx, sy, ways int, buf []int32) []int32 {
	if sp.codes == nil {
		return sdmDispatchListed(sp.rows, x, y, sx, sy, ways, buf)
	}
	switch {
	case y.u8 != nil:
		return sdmCountGathered(sp.rows, sp.codes, y.u8, sx, sy, ways, buf)
	case y.u16 != nil:
		return sdmCountGathered(sp.rows, sp.codes, y.u16, sx, sy, ways, buf)
	}
	return sdmCountGathered(sp.rows, sp.codes, y.u32, sx, sy, ways, buf)
}

// sdmDispatchListed calls sdmCountListed with the codes' element types.
func sdmDispatchListed(rows []int32, x, y *sdmCodes, sx, sy, ways int, buf []int32) []int32 {
	switch {
	case x.u8 != nil && y.u8 != nil:
		return sdmCountListed(rows, x.u8, y.u8, sx, sy, ways, buf)
	case x.u8 != nil && y.u16 != nil:
		return sdmCountListed(rows, x.u8, y.u16, sx, sy, ways, buf)
	case x.u8 != nil:
		return sdmCountListed(rows, x.u8, y.u32, sx, sy, ways, buf)
	case x.u16 != nil && y.u8 != nil:
		return sdmCountListed(rows, x.u16, y.u8, sx, sy, ways, buf)
	case x.u16 != nil && y.u16 != nil:
		return sdmCountListed(rows, x.u16, y.u16, sx, sy, ways, buf)
	case x.u16 != nil:
		return sdmCountListed(rows, x.u16, y.u32, sx, sy, ways, buf)
	case y.u8 != nil:
		return sdmCountListed(rows, x.u32, y.u8, sx, sy, ways, buf)
	case y.u16 != nil:
		return sdmCountListed(rows, x.u32, y.u16, sx, sy, ways, buf)
	}
	return sdmCountListed(rows, x.u32, y.u32, sx, sy, ways, buf)
}
