package metrics

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/synthor/synthor/cart"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

func loadAdult(tb testing.TB, split string) *table.Table {
	tb.Helper()
	d, err := datasets.Lookup("adult")
	if err != nil {
		tb.Fatal(err)
	}
	t, err := d.Load(split)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// shuffledColumns returns t with each column permuted on its own (seeded):
// the marginals of t without its dependences, a synthetic table that copies
// no record on purpose.
func shuffledColumns(t *table.Table, seed uint64) *table.Table {
	r := rand.New(rand.NewPCG(seed, 7))
	cols := make([]*table.Column, len(t.Cols))
	for j, c := range t.Cols {
		cols[j] = c.Take(r.Perm(t.NumRows()))
	}
	return table.MustNew(cols...)
}

// TestUtilityAdult trains on Adult's train split and tests on its test
// split (TRTR); the mean accuracy of the three classifiers must be within
// 0.03 of SDGym's real-data row (0.824). Adult-scale: skipped under -short
// and the race detector.
func TestUtilityAdult(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("Adult-scale test")
	}
	train, test := loadAdult(t, "train"), loadAdult(t, "test")
	s, err := Utility(context.Background(), Input{Real: train, Synth: train, Holdout: test, Target: "income"})
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	var n int
	for _, sc := range s {
		if sc.Name == NameTRTRAccuracy || sc.Name == NameTRTRAUC || sc.Name == NameTRTRMacroF1 {
			t.Logf("%s %s %.4f", sc.Params["classifier"], sc.Name, sc.Value)
		}
		if sc.Name == NameTRTRAccuracy {
			sum += sc.Value
			n++
		}
	}
	if n != 3 {
		t.Fatalf("%d trtr_accuracy scores", n)
	}
	mean := sum / 3
	t.Logf("mean TRTR accuracy %.4f (SDGym real row 0.824)", mean)
	if math.Abs(mean-0.824) > 0.03 {
		t.Errorf("mean TRTR accuracy %.4f, not within 0.03 of 0.824", mean)
	}
}

// BenchmarkDCRAdult: DCR and NNDR of 32,561 synthetic rows (Adult's train
// split, columns shuffled apart) against the 32,561 training rows, 15
// mixed columns.
func BenchmarkDCRAdult(b *testing.B) {
	train := loadAdult(b, "train")
	synth := shuffledColumns(train, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := DCR(context.Background(), synth, train); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrivacyAdult: the whole privacy group (DCR, NNDR, DCR share
// against Adult's test split, exact matches, duplicates).
func BenchmarkPrivacyAdult(b *testing.B) {
	train, hold := loadAdult(b, "train"), loadAdult(b, "test")
	synth := shuffledColumns(train, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Privacy(context.Background(), Input{Real: train, Synth: synth, Holdout: hold}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForestAdult: the utility group's random forest (100 trees) on
// Adult's train split, 14 features, target income.
func BenchmarkForestAdult(b *testing.B) {
	train := loadAdult(b, "train")
	X, err := cart.FromTable(train, "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
		"occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country")
	if err != nil {
		b.Fatal(err)
	}
	inc := train.Col("income")
	y := cart.Classes(inc.Codes, len(inc.Dict))
	b.ResetTimer()
	for b.Loop() {
		if _, err := cart.FitForest(X, y, utilityForest); err != nil {
			b.Fatal(err)
		}
	}
}
