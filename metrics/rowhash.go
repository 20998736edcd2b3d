package metrics

import "math"

// Exact row equality by hashing: each row of a table of encoded columns is
// hashed over its categorical codes and the bits of its numeric values (all
// NaNs alike); rows of equal hash are then compared value by value, so a
// hash collision never makes two different rows equal.

// rowHash returns the hash of row i of table k.
func rowHash(cols []mixedCol, k, i int) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for j := range cols {
		var v uint64
		if cols[j].cat {
			v = uint64(uint32(cols[j].codes[k][i]))
		} else {
			x := cols[j].num[k][i]
			if x != x {
				v = 0x7ff8000000000001
			} else {
				if x == 0 {
					x = 0 // -0 as +0
				}
				v = math.Float64bits(x)
			}
		}
		h = mix64(h ^ v)
	}
	return h
}

// mix64 is the splitmix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// sameRow reports whether row i of table a equals row j of table b.
func sameRow(cols []mixedCol, a, i, b, j int) bool {
	for c := range cols {
		if cols[c].cat {
			if cols[c].codes[a][i] != cols[c].codes[b][j] {
				return false
			}
			continue
		}
		x, y := cols[c].num[a][i], cols[c].num[b][j]
		if x != y && (x == x || y == y) {
			return false
		}
	}
	return true
}

// rowIndex maps row hashes of table k to the rows holding them.
func rowIndex(cols []mixedCol, k int) map[uint64][]int32 {
	n := cols[0].len(k)
	idx := make(map[uint64][]int32, n)
	for i := 0; i < n; i++ {
		h := rowHash(cols, k, i)
		idx[h] = append(idx[h], int32(i))
	}
	return idx
}

// matches reports, for each row of table q, whether table r holds an equal
// row.
func matches(cols []mixedCol, q, r int) []bool {
	idx := rowIndex(cols, r)
	out := make([]bool, cols[0].len(q))
	for i := range out {
		for _, j := range idx[rowHash(cols, q, i)] {
			if sameRow(cols, q, i, r, int(j)) {
				out[i] = true
				break
			}
		}
	}
	return out
}

// duplicates returns the number of distinct rows of table k and the number
// of rows whose value occurs more than once.
func duplicates(cols []mixedCol, k int) (distinct, dup int) {
	idx := rowIndex(cols, k)
	for _, rows := range idx {
		// Split the rows of one hash into classes of equal rows.
		used := make([]bool, len(rows))
		for a := range rows {
			if used[a] {
				continue
			}
			used[a] = true
			size := 1
			for b := a + 1; b < len(rows); b++ {
				if !used[b] && sameRow(cols, k, int(rows[a]), k, int(rows[b])) {
					used[b] = true
					size++
				}
			}
			distinct++
			if size > 1 {
				dup += size
			}
		}
	}
	return distinct, dup
}
