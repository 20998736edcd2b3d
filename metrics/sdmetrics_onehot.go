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
	slot := make([]int, len(count)) // code -> bitset index, −1 for none
	for i := range slot {
		slot[i] = -1
	}
	for t := range oh.words {
		oh.words[t] = backing[t*nw : (t+1)*nw]
		slot[occ[t]] = t
	}
	var local [256]uint64
	src := codes.u8
	for w := 0; w < nw; w++ {
		lo := w * 64
		hi := min(lo+64, n)
		for i, c := range src[lo:hi] {
			local[c] |= 1 << uint(i)
		}
		for t, c := range occ {
			if t < len(oh.words) {
				oh.words[t][w] = local[c]
			}
			local[c] = 0
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
			for tj, wb := range b.words {
				wb := wb[w0:w1]
				wb = wb[:len(wa)]
				s0, s1 := 0, 0
				k := 0
				for ; k+2 <= len(wa); k += 2 {
					s0 += bits.OnesCount64(wa[k] & wb[k])
					s1 += bits.OnesCount64(wa[k+1] & wb[k+1])
				}
				if k < len(wa) {
					s0 += bits.OnesCount64(wa[k] & wb[k])
				}
				cnt[row+b.occ[tj]] += int32(s0 + s1)
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
