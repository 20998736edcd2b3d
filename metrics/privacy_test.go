package metrics

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

func numCat(x []float64, c []string) *table.Table {
	dict := []string{}
	codes := make([]int32, len(c))
	for i, v := range c {
		k := -1
		for j, d := range dict {
			if d == v {
				k = j
			}
		}
		if k < 0 {
			dict = append(dict, v)
			k = len(dict) - 1
		}
		codes[i] = int32(k)
	}
	return table.MustNew(table.NewFloat("x", x), table.NewCategorical("c", dict, codes))
}

// TestDCRHand checks DCR and NNDR on distances computed by hand: training
// rows (0,a), (10,b), (5,a), so the range of x is 10 and d = (|Δx|/10 +
// [c differs]) / 2.
func TestDCRHand(t *testing.T) {
	train := numCat([]float64{0, 10, 5}, []string{"a", "b", "a"})
	synth := numCat([]float64{5, 0, 20, math.NaN(), 2.5}, []string{"b", "a", "c", "a", "a"})
	// (5,b): 0.75, 0.25, 0.5 → DCR 0.25, NNDR 0.25/0.5.
	// (0,a): an exact copy → 0, 0.
	// (20,c): every term 1 → DCR 1, NNDR 1.
	// (NaN,a): x missing counts 1: 0.5, 1, 0.5 → DCR 0.5, NNDR 1.
	// (2.5,a): 0.125, 0.875, 0.125 → DCR 0.125, NNDR 1.
	wantDCR := []float64{0.25, 0, 1, 0.5, 0.125}
	wantNNDR := []float64{0.5, 0, 1, 1, 1}
	r, err := DCR(context.Background(), synth, train)
	if err != nil {
		t.Fatal(err)
	}
	for i := range wantDCR {
		if math.Abs(r.DCR[i]-wantDCR[i]) > 1e-12 || math.Abs(r.NNDR[i]-wantNNDR[i]) > 1e-12 {
			t.Errorf("row %d: DCR %v NNDR %v, want %v %v", i, r.DCR[i], r.NNDR[i], wantDCR[i], wantNNDR[i])
		}
	}
}

// TestDCRShareHand: training x ∈ {0, 8}, holdout {2, 16}, range 8.
func TestDCRShareHand(t *testing.T) {
	num := func(v ...float64) *table.Table { return table.MustNew(table.NewFloat("x", v)) }
	train, hold := num(0, 8), num(2, 16)
	// 0.5: 1/16 vs 3/16 → train; 3: 3/8 vs 1/8 → holdout; 5: 3/8 vs 3/8
	// → ½; 12: 4/8 vs 4/8 → ½; 8: 0 vs 6/8 → train. Share (1+0+½+½+1)/5.
	synth := num(0.5, 3, 5, 12, 8)
	got, err := DCRShare(context.Background(), synth, train, hold, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got != 0.6 {
		t.Errorf("DCR share %v, want 0.6", got)
	}
}

// naiveNearest is a direct implementation of Gower distance and the two
// nearest neighbours, for checking the pruned search.
func naiveNearest(synth, train *table.Table) (d1, d2 []float64) {
	p := float64(train.NumCols())
	for i := 0; i < synth.NumRows(); i++ {
		b1, b2 := math.Inf(1), math.Inf(1)
		for j := 0; j < train.NumRows(); j++ {
			var d float64
			for _, c := range train.Cols {
				s := synth.Col(c.Name)
				if c.Kind == table.Categorical {
					if s.String(i) != c.String(j) {
						d++
					}
					continue
				}
				lo, hi := math.Inf(1), math.Inf(-1)
				for _, v := range c.Values() {
					lo, hi = min(lo, v), max(hi, v)
				}
				a, b := s.Float(i), c.Float(j)
				switch {
				case math.IsNaN(a) && math.IsNaN(b):
				case math.IsNaN(a) || math.IsNaN(b):
					d++
				case hi == lo:
					if a != b {
						d++
					}
				default:
					d += min(math.Abs(a-b)/(hi-lo), 1)
				}
			}
			d /= p
			if d < b1 {
				b1, b2 = d, b1
			} else if d < b2 {
				b2 = d
			}
		}
		d1, d2 = append(d1, b1), append(d2, b2)
	}
	return d1, d2
}

func randomMixed(r *rand.Rand, n, bigLevels int) *table.Table {
	var cols []*table.Column
	for k, levels := range []int{3, 5, bigLevels, 2, 4, 7, 3, 2, 6} {
		dict := make([]string, levels)
		for i := range dict {
			dict[i] = string(rune('a'+k)) + strings.Repeat("x", i)
		}
		codes := make([]int32, n)
		for i := range codes {
			codes[i] = int32(r.IntN(levels))
			if r.IntN(20) == 0 {
				codes[i] = table.Missing
			}
		}
		cols = append(cols, table.NewCategorical(string(rune('c'+k)), dict, codes))
	}
	for k := 0; k < 3; k++ {
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Round(r.NormFloat64()*10) / 2
			if r.IntN(20) == 0 {
				v[i] = math.NaN()
			}
		}
		cols = append(cols, table.NewFloat(string(rune('x'+k)), v))
	}
	return table.MustNew(cols...)
}

// TestDCRPrunedSearch checks the packed, pruned search against the naive
// one, with more than 255 levels in one column (the lossy lanes) and
// without.
func TestDCRPrunedSearch(t *testing.T) {
	for _, big := range []int{4, 300} {
		r := rand.New(rand.NewPCG(uint64(big), 2))
		train, synth := randomMixed(r, 150, big), randomMixed(r, 60, big)
		res, err := DCR(context.Background(), synth, train)
		if err != nil {
			t.Fatal(err)
		}
		d1, d2 := naiveNearest(synth, train)
		for i := range d1 {
			nndr := 0.0
			if d1[i] > 0 {
				nndr = d1[i] / d2[i]
			}
			if math.Abs(res.DCR[i]-d1[i]) > 1e-12 || math.Abs(res.NNDR[i]-nndr) > 1e-12 {
				t.Errorf("levels %d row %d: DCR %v NNDR %v, naive %v %v", big, i, res.DCR[i], res.NNDR[i], d1[i], nndr)
			}
		}
	}
}

func TestPrivacyCounts(t *testing.T) {
	train := numCat([]float64{1, 2, 3}, []string{"a", "b", "c"})
	// (1,a) twice, an exact copy; (2,a) and (math.NaN(),b) once each.
	synth := numCat([]float64{1, 1, 2, math.NaN()}, []string{"a", "a", "a", "b"})
	s, err := Privacy(context.Background(), Input{Real: train, Synth: synth})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{NameExactMatchRate: 0.5, NameDistinctShare: 0.75, NameDuplicateRate: 0.5}
	for _, sc := range s {
		if w, ok := want[sc.Name]; ok && sc.Value != w {
			t.Errorf("%s = %v, want %v", sc.Name, sc.Value, w)
		}
		needsHoldout := sc.Name == NameDCRShare || sc.Name == NameMembershipAUC || sc.Name == NameMembershipTPR
		if needsHoldout && (sc.OK() || !strings.Contains(sc.Reason, "holdout")) {
			t.Errorf("%s without a holdout: %v %q", sc.Name, sc.Value, sc.Reason)
		}
		if !needsHoldout && !sc.OK() {
			t.Errorf("%s undefined: %s", sc.Name, sc.Reason)
		}
	}
	if len(s) != 9 {
		t.Errorf("%d scores, want 9", len(s))
	}
	empty := synth.Head(0)
	s, err = Privacy(context.Background(), Input{Real: train, Synth: empty})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range s {
		if sc.OK() || sc.Reason == "" {
			t.Errorf("empty synthetic table: %s = %v, reason %q", sc.Name, sc.Value, sc.Reason)
		}
	}
}

// TestDCRShareEcommerce: a bootstrap copy of the training rows sits far
// closer to them than to a holdout; a fresh sample of the generator does
// not.
func TestDCRShareEcommerce(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 600
	}
	train := datasets.EcommerceBN(n, 1)
	hold := datasets.EcommerceBN(n, 2)
	fresh := datasets.EcommerceBN(n, 3)
	r := rand.New(rand.NewPCG(4, 4))
	idx := make([]int, n)
	for i := range idx {
		idx[i] = r.IntN(n)
	}
	boot := train.Take(idx)
	ctx := context.Background()
	b, err := DCRShare(ctx, boot, train, hold, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := DCRShare(ctx, fresh, train, hold, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("DCR share: bootstrap %.3f, fresh %.3f (%d rows)", b, f, n)
	if b < 0.9 {
		t.Errorf("bootstrap DCR share %.3f, want > 0.9", b)
	}
	if math.Abs(f-0.5) > 0.05 {
		t.Errorf("fresh-sample DCR share %.3f, want 0.5 ± 0.05", f)
	}
}

func TestQuantileSorted(t *testing.T) {
	// numpy.quantile([1, 2, 3, 4, 10], [0.05, 0.5, 0.9]) = 1.2, 3, 7.6
	v := []float64{1, 2, 3, 4, 10}
	for q, want := range map[float64]float64{0.05: 1.2, 0.5: 3, 0.9: 7.6} {
		if got := quantileSorted(v, q); math.Abs(got-want) > 1e-12 {
			t.Errorf("q%v = %v, want %v", q, got, want)
		}
	}
}
