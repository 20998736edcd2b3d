package metrics

import "math/bits"

// sdmOneHot is one side of a column as bitsets: bit i of words[t] is set
// when row i has code occ[t]. The last occupied code has no bitset: its
// cells follow from the margins. A pair of columns with few codes is
// counted as popcount(A_u & B_v) over 64 rows at a time instead of one
// increment per row.
type sdmOneHot struct {
	occ   []int      // occupied codes; the last one has no bitset
	words [][]uint64 // len(occ)−1 bitsets of ⌈n/64⌉ words
	count []int      // rows per code, len k
	n     int
}

// sdmOneHotMax is the largest number of occupied codes kept as bitsets.
const sdmOneHotMax = 64

// sdmBitsBelow is the largest (a−1)(b−1) product of occupied codes for
// which a pair side is counted with bitsets rather than increments: one
// AND and popcount per 64 rows and cell costs about 0.6 of one increment
// per row on amd64.
const sdmBitsBelow = 44

// newSDMOneHot builds the bitsets of codes with the given per-code counts,
// or returns nil when too many codes are occupied.
func newSDMOneHot(codes *sdmCodes, count []int, n int) *sdmOneHot {
	var occ []int
	for c, k := range count {
		if k > 0 {
			occ = append(occ, c)
		}
	}
	if len(occ) > sdmOneHotMax || len(occ) == 0 || codes.u8 == nil {
		return nil
	}
	oh := &sdmOneHot{occ: occ, count: count, n: n}
	nw := (n + 63) / 64
	oh.words = make([][]uint64, len(occ)-1)
	backing := make([]uint64, nw*(len(occ)-1))
	for t := range oh.words {
		oh.words[t] = backing[t*nw : (t+1)*nw]
	}
	// Four scratch words per code, one per row modulo 4, so that runs of
	// one code do not chain dependent read-modify-writes.
	var l0, l1, l2, l3 [256]uint64
	src := codes.u8
	last := occ[:len(occ)-1]
	for w := 0; w < nw; w++ {
		lo := w * 64
		hi := min(lo+64, n)
		blk := src[lo:hi]
		if len(blk) == 64 {
			for i := 0; i < 64; i += 4 {
				q := blk[i : i+4 : i+4]
				l0[q[0]] |= 1 << uint(i)
				l1[q[1]] |= 2 << uint(i)
				l2[q[2]] |= 4 << uint(i)
				l3[q[3]] |= 8 << uint(i)
			}
		} else {
			for i, c := range blk {
				l0[c] |= 1 << uint(i)
			}
		}
		for t, c := range last {
			oh.words[t][w] = l0[c] | l1[c] | l2[c] | l3[c]
		}
		for _, c := range occ {
			l0[c], l1[c], l2[c], l3[c] = 0, 0, 0, 0
		}
	}
	return oh
}

// sdmCountBits fills the ka×kb table cnt (zeroed) from two sides' bitsets.
func sdmCountBits(a, b *sdmOneHot, kb int, cnt []int32) {
	const block = 512 // words per block: both sides' bitsets stay in L1/L2
	nw := 0
	if len(a.words) > 0 {
		nw = len(a.words[0])
	} else if len(b.words) > 0 {
		nw = len(b.words[0])
	}
	for w0 := 0; w0 < nw; w0 += block {
		w1 := min(w0+block, nw)
		for ti, wa := range a.words {
			wa := wa[w0:w1]
			row := a.occ[ti] * kb
			tj := 0
			for ; tj+4 <= len(b.words); tj += 4 {
				b0 := b.words[tj][w0:w1][:len(wa)]
				b1 := b.words[tj+1][w0:w1][:len(wa)]
				b2 := b.words[tj+2][w0:w1][:len(wa)]
				b3 := b.words[tj+3][w0:w1][:len(wa)]
				var s0, s1, s2, s3 int
				for k, x := range wa {
					s0 += bits.OnesCount64(x & b0[k])
					s1 += bits.OnesCount64(x & b1[k])
					s2 += bits.OnesCount64(x & b2[k])
					s3 += bits.OnesCount64(x & b3[k])
				}
				cnt[row+b.occ[tj]] += int32(s0)
				cnt[row+b.occ[tj+1]] += int32(s1)
				cnt[row+b.occ[tj+2]] += int32(s2)
				cnt[row+b.occ[tj+3]] += int32(s3)
			}
			for ; tj < len(b.words); tj++ {
				wb := b.words[tj][w0:w1][:len(wa)]
				s0 := 0
				for k, x := range wa {
					s0 += bits.OnesCount64(x & wb[k])
				}
				cnt[row+b.occ[tj]] += int32(s0)
			}
		}
	}
	// The cells of the last occupied code of either side, from the margins.
	ra, rb := a.occ[len(a.occ)-1], b.occ[len(b.occ)-1]
	for _, j := range b.occ[:len(b.occ)-1] {
		s := b.count[j]
		for _, i := range a.occ[:len(a.occ)-1] {
			s -= int(cnt[i*kb+j])
		}
		cnt[ra*kb+j] = int32(s)
	}
	for _, i := range a.occ[:len(a.occ)-1] {
		s := a.count[i]
		for _, j := range b.occ[:len(b.occ)-1] {
			s -= int(cnt[i*kb+j])
		}
		cnt[i*kb+rb] = int32(s)
	}
	total := 0
	for _, v := range cnt {
		total += int(v)
	}
	cnt[ra*kb+rb] = int32(a.n - total)
}
