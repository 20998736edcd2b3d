package metrics

import (
	"context"
	"math"
	"testing"

	"github.com/synthor/synthor/table"
)

// fuzzTable builds a small mixed table from bytes: two categorical columns
// (one of 300 levels, so byte lanes are shared), two numeric ones; a byte
// of 0xff is a missing value.
func fuzzTable(b []byte, rows int) *table.Table {
	at := func(i int) byte {
		if len(b) == 0 {
			return 0
		}
		return b[i%len(b)]
	}
	big := make([]string, 300)
	for i := range big {
		big[i] = string(rune('A'+i%26)) + string(rune('a'+i/26))
	}
	c1, c2 := make([]int32, rows), make([]int32, rows)
	x1, x2 := make([]float64, rows), make([]float64, rows)
	for r := 0; r < rows; r++ {
		c1[r] = int32(at(4*r) % 3)
		c2[r] = int32((int(at(4*r+1)) * 37) % 300)
		x1[r] = float64(at(4*r+2) % 16)
		x2[r] = float64(int(at(4*r+3)) - 128)
		if at(4*r) == 0xff {
			c1[r] = table.Missing
		}
		if at(4*r+2) == 0xff {
			x1[r] = math.NaN()
		}
	}
	return table.MustNew(table.NewCategorical("c1", []string{"p", "q", "r"}, c1), table.NewCategorical("c2", big, c2),
		table.NewFloat("x1", x1), table.NewFloat("x2", x2))
}

// FuzzDCR checks the pruned Gower search against the direct one.
func FuzzDCR(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{9, 8, 7}, uint8(5), uint8(3))
	f.Add([]byte{0xff, 0, 0xff, 0}, []byte{0, 0, 0, 0}, uint8(4), uint8(4))
	f.Add([]byte{7}, []byte{7, 0xff}, uint8(1), uint8(2))
	f.Fuzz(func(t *testing.T, a, b []byte, nt, ns uint8) {
		train, synth := fuzzTable(a, 1+int(nt%12)), fuzzTable(b, 1+int(ns%12))
		r, err := DCR(context.Background(), synth, train)
		if err != nil {
			t.Fatal(err)
		}
		d1, d2 := naiveNearest(synth, train)
		for i := range d1 {
			if math.Abs(r.DCR[i]-d1[i]) > 1e-12 {
				t.Fatalf("row %d: DCR %v, direct %v", i, r.DCR[i], d1[i])
			}
			nndr := 1.0
			switch {
			case d1[i] == 0:
				nndr = 0
			case !math.IsInf(d2[i], 1):
				nndr = d1[i] / d2[i]
			}
			if math.Abs(r.NNDR[i]-nndr) > 1e-12 {
				t.Fatalf("row %d: NNDR %v, direct %v", i, r.NNDR[i], nndr)
			}
		}
	})
}
