package metrics

import (
	"encoding/binary"
	"math"
	"testing"
)

// floatsFrom decodes little-endian float64s from b (a trailing partial
// value is dropped); Inf is mapped to NaN, the metrics' missing marker.
func floatsFrom(b []byte) []float64 {
	out := make([]float64, 0, len(b)/8)
	for len(b) >= 8 {
		v := math.Float64frombits(binary.LittleEndian.Uint64(b))
		if math.IsInf(v, 0) || math.Abs(v) > 1e150 {
			v = math.NaN()
		}
		out = append(out, v)
		b = b[8:]
	}
	return out
}

func encode(v ...float64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

// FuzzSamples checks KS and Wasserstein-1 on arbitrary samples: no panic,
// KS in [0, 1], both symmetric and non-negative, 0 against themselves, and
// an error exactly when a side has no values.
func FuzzSamples(f *testing.F) {
	f.Add(encode(1, 2, 2, 3), encode(2, 5))
	f.Add(encode(math.NaN(), 1), encode(1))
	f.Add([]byte{}, encode(3))
	f.Add(encode(-1e10, 1e10, 0), encode(0, 0, 0, 0))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		x, y := floatsFrom(a), floatsFrom(b)
		empty := len(dropNaN(x)) == 0 || len(dropNaN(y)) == 0
		ks, err := KS(x, y)
		if (err != nil) != empty {
			t.Fatalf("KS error %v with empty=%v", err, empty)
		}
		w, werr := Wasserstein(x, y)
		if (werr != nil) != empty {
			t.Fatalf("Wasserstein error %v with empty=%v", werr, empty)
		}
		if empty {
			return
		}
		if ks < 0 || ks > 1 || w < 0 || math.IsNaN(w) {
			t.Fatalf("KS %g, W1 %g out of range", ks, w)
		}
		ks2, _ := KS(y, x)
		w2, _ := Wasserstein(y, x)
		if ks != ks2 || math.Abs(w-w2) > 1e-9*max(1, w) {
			t.Fatalf("not symmetric: KS %g/%g, W1 %g/%g", ks, ks2, w, w2)
		}
		if s, _ := KS(x, x); s != 0 {
			t.Fatalf("KS(x, x) = %g", s)
		}
		if s, _ := Wasserstein(x, x); s != 0 {
			t.Fatalf("W1(x, x) = %g", s)
		}
	})
}

// FuzzFrequencies checks the frequency-table distances on arbitrary count
// vectors: no panic, bounds, symmetry and 0 on identical tables.
func FuzzFrequencies(f *testing.F) {
	f.Add([]byte{1, 2, 3}, []byte{3, 2, 1})
	f.Add([]byte{0, 0}, []byte{1, 0})
	f.Add([]byte{5}, []byte{5, 1})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		p, q := make([]float64, len(a)), make([]float64, len(b))
		for i, v := range a {
			p[i] = float64(v)
		}
		for i, v := range b {
			q[i] = float64(v)
		}
		bounds := map[string]float64{"tvd": 1, "jsd": 1, "hellinger": 1, "srmse": math.Sqrt(2 * float64(len(p)))}
		for name, fn := range map[string]func(p, q []float64) (float64, error){"tvd": TVD, "jsd": JSD, "hellinger": Hellinger, "srmse": SRMSE} {
			v, err := fn(p, q)
			if err != nil {
				if !math.IsNaN(v) {
					t.Fatalf("%s: value %g with error %v", name, v, err)
				}
				continue
			}
			if v < 0 || v > bounds[name]+1e-12 {
				t.Fatalf("%s = %g out of [0, %g]", name, v, bounds[name])
			}
			if name != "srmse" {
				if v2, _ := fn(q, p); math.Abs(v-v2) > 1e-12 {
					t.Fatalf("%s not symmetric: %g vs %g", name, v, v2)
				}
			}
			if v0, _ := fn(p, p); math.Abs(v0) > 1e-12 {
				t.Fatalf("%s(p, p) = %g", name, v0)
			}
		}
		if len(p) >= 4 {
			r := len(p) / 2
			if v, err := CramersV(p[:r*2], r, 2); err == nil && (v < 0 || v > 1+1e-12) {
				t.Fatalf("Cramér's V %g out of [0, 1]", v)
			}
		}
	})
}
