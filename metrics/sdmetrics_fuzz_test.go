package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/synthor/synthor/table"
)

// sdmFuzzTable builds a table of integer, float, datetime and categorical
// columns from fuzz bytes, four bytes a row; 0xff marks a missing value.
func sdmFuzzTable(data []byte) *table.Table {
	n := len(data) / 4
	ints := make([]int64, n)
	inulls := make([]bool, n)
	fl := make([]float64, n)
	dt := make([]int64, n)
	codes := make([]int32, n)
	for i := range n {
		b := data[4*i : 4*i+4]
		ints[i], inulls[i] = int64(int8(b[0]))*1000, b[0] == 0xff
		fl[i] = float64(int8(b[1])) / 7
		if b[1] == 0xff {
			fl[i] = math.NaN()
		} else if b[1] == 0x80 {
			fl[i] = math.Inf(1)
		}
		dt[i] = int64(b[2]) * 86400e9
		codes[i] = int32(b[3] % 5)
		if b[3] == 0xff {
			codes[i] = table.Missing
		}
	}
	return table.MustNew(
		table.NewInteger("i", ints, inulls),
		table.NewFloat("f", fl),
		table.NewDatetime("d", dt, nil),
		table.NewCategorical("c", []string{"a", "b", "c", "d", "e"}, codes),
	)
}

// FuzzQualityReport: any pair of tables gives scores in [0, 1] or
// undefined with a reason, the same with one or two workers, and never a
// panic.
func FuzzQualityReport(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, []byte{1, 2, 3, 4})
	f.Add([]byte{0xff, 0xff, 0, 0xff, 0xff, 0xff, 0, 0xff}, []byte{5, 5, 5, 5, 5, 5, 5, 5})
	f.Add([]byte{}, []byte{1, 2, 3, 4})
	f.Add([]byte{9, 0x80, 1, 1, 8, 3, 2, 2, 7, 1, 3, 3}, []byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		real, synth := sdmFuzzTable(a), sdmFuzzTable(b)
		var first []byte
		for _, w := range []int{1, 2} {
			for _, filter := range []string{PairFilterAll, PairFilterSDMetrics} {
				rep, err := NewQualityReport(context.Background(), real, synth, QualityConfig{PairFilter: filter, Workers: w})
				if err != nil {
					t.Fatal(err)
				}
				scores := rep.Scores()
				for _, s := range scores {
					if s.OK() && (s.Value < -1e-12 || s.Value > 1+1e-12) {
						t.Fatalf("%s %v = %v outside [0, 1]", s.Name, s.Columns, s.Value)
					}
					if !s.OK() && s.Reason == "" {
						t.Fatalf("%s %v undefined without a reason", s.Name, s.Columns)
					}
				}
				if filter == PairFilterAll {
					js, err := json.Marshal(scores)
					if err != nil {
						t.Fatal(err)
					}
					if first == nil {
						first = js
					} else if !bytes.Equal(js, first) {
						t.Fatal("one and two workers disagree")
					}
				}
			}
		}
	})
}
