package cart

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzFit grows trees on arbitrary data (infinities, NaN, negative codes,
// ties) and checks that fitting never panics and that every training row's
// class shares are a distribution.
func FuzzFit(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, uint8(2), uint8(1))
	f.Add([]byte{0xff, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1}, uint8(3), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, classes, minLeaf uint8) {
		n := len(data) / 9
		if n == 0 {
			return
		}
		k := int(classes%5) + 1
		v := make([]float64, n)
		codes := make([]int32, n)
		y := make([]int32, n)
		r := make([]float64, n)
		for i := 0; i < n; i++ {
			rec := data[i*9 : i*9+9]
			v[i] = math.Float64frombits(binary.BigEndian.Uint64(rec[:8]))
			codes[i] = int32(rec[8]%7) - 1
			y[i] = int32(rec[8]) % int32(k)
			r[i] = float64(rec[0]) - float64(rec[8])
		}
		X := Features{Numeric("v", v), Categorical("c", codes, 6)}
		opts := Options{MinLeaf: int(minLeaf % 4), MaxBins: 4}
		tree, err := Fit(X, Classes(y, k), opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			var s float64
			for _, p := range tree.PredictProba(X, i) {
				if p < 0 || p > 1 {
					t.Fatalf("share %g", p)
				}
				s += p
			}
			if math.Abs(s-1) > 1e-9 {
				t.Fatalf("row %d: shares sum to %g", i, s)
			}
		}
		if _, err := Fit(X, Values(r), opts); err != nil {
			t.Fatal(err)
		}
	})
}
