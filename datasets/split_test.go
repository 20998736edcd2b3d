package datasets

import (
	"math"
	"slices"
	"testing"

	"github.com/synthor/synthor/table"
)

// numbered returns an ungrouped table with column id = 0..n-1.
func numbered(n int) *table.Table {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i)
	}
	return table.MustNew(table.NewInteger("id", ids, nil))
}

func TestSplit(t *testing.T) {
	tb := numbered(1000)
	train, hold, err := Split(tb, 0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if train.NumRows() != 800 || hold.NumRows() != 200 {
		t.Fatalf("train %d, holdout %d rows, want 800 and 200", train.NumRows(), hold.NumRows())
	}
	// A partition of the rows, each part in the table's order.
	all := append(slices.Clone(train.Col("id").Ints), hold.Col("id").Ints...)
	if !slices.IsSorted(train.Col("id").Ints) || !slices.IsSorted(hold.Col("id").Ints) {
		t.Error("split does not keep row order")
	}
	slices.Sort(all)
	if !slices.Equal(all, tb.Col("id").Ints) {
		t.Error("train and holdout are not a partition of the rows")
	}
	// Same seed, same split; another seed, another split.
	_, again, _ := Split(tb, 0.2, 7)
	if !slices.Equal(again.Col("id").Ints, hold.Col("id").Ints) {
		t.Error("same seed gave a different holdout")
	}
	_, other, _ := Split(tb, 0.2, 8)
	if slices.Equal(other.Col("id").Ints, hold.Col("id").Ints) {
		t.Error("seeds 7 and 8 gave the same holdout")
	}
	for _, bad := range []float64{-0.1, 1, math.NaN()} {
		if _, _, err := Split(tb, bad, 1); err == nil {
			t.Errorf("holdout %v accepted", bad)
		}
	}
}

// TestSplitGroups: a household is wholly in one part.
func TestSplitGroups(t *testing.T) {
	tb := Population(500, 3)
	train, hold, err := Split(tb, 0.3, 11)
	if err != nil {
		t.Fatal(err)
	}
	gt, _ := train.Groups()
	gh, _ := hold.Groups()
	if len(gt) != 350 || len(gh) != 150 {
		t.Fatalf("%d and %d households, want 350 and 150", len(gt), len(gh))
	}
	if train.NumRows()+hold.NumRows() != tb.NumRows() {
		t.Fatal("rows lost")
	}
	inTrain := map[string]bool{}
	key := train.Col(tb.GroupKey)
	for i := range train.NumRows() {
		inTrain[key.String(i)] = true
	}
	hk := hold.Col(tb.GroupKey)
	for i := range hold.NumRows() {
		if inTrain[hk.String(i)] {
			t.Fatalf("household %s is in both parts", hk.String(i))
		}
	}
}

// TestSample: n records, in order, deterministic, and each record drawn
// with probability n/N (checked over many seeds: 3 of 10 records, 4000
// draws, so each share has standard deviation sqrt(0.3*0.7/4000) = 0.0072;
// the bound is 5 of them).
func TestSample(t *testing.T) {
	tb := numbered(10)
	counts := make([]int, 10)
	const draws = 4000
	for seed := range uint64(draws) {
		s, err := Sample(tb, 3, seed)
		if err != nil {
			t.Fatal(err)
		}
		ids := s.Col("id").Ints
		if len(ids) != 3 || !slices.IsSorted(ids) {
			t.Fatalf("seed %d: sample %v", seed, ids)
		}
		for _, id := range ids {
			counts[id]++
		}
	}
	for i, c := range counts {
		if share := float64(c) / draws; math.Abs(share-0.3) > 5*0.0072 {
			t.Errorf("record %d drawn with share %.3f, want 0.3", i, share)
		}
	}
	a, _ := Sample(tb, 4, 9)
	b, _ := Sample(tb, 4, 9)
	if !a.Equal(b) {
		t.Error("same seed gave different samples")
	}
	if all, _ := Sample(tb, 20, 1); all.NumRows() != 10 {
		t.Errorf("n above the record count gave %d rows", all.NumRows())
	}
	g, err := Sample(Population(50, 1), 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	if gs, _ := g.Groups(); len(gs) != 5 {
		t.Errorf("grouped sample has %d households, want 5", len(gs))
	}
}
