package metrics_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// sameScore reports whether a and b are the same score, value for value
// (NaN equal to NaN).
func sameScore(a, b metrics.Score) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	return a.Name == b.Name && a.Group == b.Group && strings.Join(a.Columns, ",") == strings.Join(b.Columns, ",") &&
		eq(a.Value, b.Value) && a.Reason == b.Reason && eq(a.Reference, b.Reference) &&
		a.ReferenceKind == b.ReferenceKind && a.ReferenceReason == b.ReferenceReason
}

func ecommerceRequest(groups ...string) metrics.Request {
	return metrics.Request{
		Input: metrics.Input{Real: datasets.EcommerceBN(400, 1), Synth: datasets.EcommerceBN(400, 2),
			Holdout: datasets.EcommerceBN(300, 3), Target: datasets.LabelDiscountPropensity, Seed: 7},
		Groups: groups,
		Label:  datasets.Derive,
	}
}

// TestEvaluateGroupsKeepTheirColumns: adding the utility group, whose
// derived label is a column of its own, changes no fidelity or sdmetrics
// score (it used to add the label to every group's table).
func TestEvaluateGroupsKeepTheirColumns(t *testing.T) {
	ctx := context.Background()
	base, err := metrics.Evaluate(ctx, ecommerceRequest("fidelity", "sdmetrics"))
	if err != nil {
		t.Fatal(err)
	}
	with, err := metrics.Evaluate(ctx, ecommerceRequest("fidelity", "sdmetrics", "utility"))
	if err != nil {
		t.Fatal(err)
	}
	var rest []metrics.Score
	utility := 0
	for _, s := range with {
		if s.Group == "utility" {
			utility++
			continue
		}
		rest = append(rest, s)
	}
	if utility == 0 {
		t.Fatal("no utility score")
	}
	if len(rest) != len(base) {
		t.Fatalf("%d fidelity and sdmetrics scores with utility, %d without", len(rest), len(base))
	}
	for i := range base {
		if !sameScore(base[i], rest[i]) {
			t.Errorf("score %d differs:\n without utility %+v\n with utility    %+v", i, base[i], rest[i])
		}
		for _, c := range base[i].Columns {
			if c == datasets.LabelDiscountPropensity {
				t.Errorf("%s %s covers the derived label", base[i].Group, base[i].Name)
			}
		}
	}
}

// TestEvaluateReferences: with a holdout every score carries a reference;
// scored against the holdout itself, each computed reference is the score
// (the reference run is the same computation), the fixed ones are what
// their construction says.
func TestEvaluateReferences(t *testing.T) {
	req := ecommerceRequest("fidelity", "sdmetrics", "privacy", "utility")
	req.Synth = req.Holdout
	scores, err := metrics.Evaluate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scores {
		switch {
		case s.ReferenceKind == "":
			t.Errorf("%s %s %v: no reference (%s)", s.Group, s.Name, s.Columns, s.ReferenceReason)
		case s.Name == metrics.NameDCRShare:
			if s.ReferenceKind != metrics.ReferenceFixed || s.Reference != 0.5 {
				t.Errorf("dcr_share reference %v (%s), want fixed 0.5", s.Reference, s.ReferenceKind)
			}
		case strings.HasPrefix(s.Name, "trtr_"):
			if s.ReferenceKind != metrics.ReferenceFixed || !sameValue(s.Reference, s.Value) {
				t.Errorf("%s: reference %v (%s), want its own value %v", s.Name, s.Reference, s.ReferenceKind, s.Value)
			}
		case s.Group == "utility":
			if s.ReferenceKind != metrics.ReferenceHoldout || !strings.Contains(s.ReferenceReason, "holdout records") {
				t.Errorf("%s: reference kind %q reason %q", s.Name, s.ReferenceKind, s.ReferenceReason)
			}
		default:
			if s.ReferenceKind != metrics.ReferenceHoldout || !sameValue(s.Reference, s.Value) {
				t.Errorf("%s %s %v: reference %v (%s, %s), want the score %v", s.Group, s.Name, s.Columns, s.Reference, s.ReferenceKind, s.ReferenceReason, s.Value)
			}
		}
	}
	// With NoReference, or without a holdout, no reference (dcr_share's
	// fixed one aside, which comes with the holdout it needs).
	req.NoReference = true
	scores, err = metrics.Evaluate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scores {
		if s.ReferenceKind == metrics.ReferenceHoldout {
			t.Errorf("%s %s: a holdout reference with NoReference", s.Group, s.Name)
		}
	}
	req.Holdout = nil
	scores, err = metrics.Evaluate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scores {
		if s.ReferenceKind != "" || s.ReferenceReason != "" {
			t.Errorf("%s %s: reference %q %q without a holdout", s.Group, s.Name, s.ReferenceKind, s.ReferenceReason)
		}
	}
}

func sameValue(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// TestEvaluateReferenceSizes: a larger holdout is subsampled to the
// synthetic table's size, a smaller one is used whole and the reason says
// so.
func TestEvaluateReferenceSizes(t *testing.T) {
	for _, c := range []struct {
		name      string
		hold      int
		wantWhole bool
	}{{"larger holdout", 900, false}, {"smaller holdout", 150, true}} {
		t.Run(c.name, func(t *testing.T) {
			req := ecommerceRequest("sdmetrics")
			req.Holdout = datasets.EcommerceBN(c.hold, 3)
			scores, err := metrics.Evaluate(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range scores {
				if !s.HasReference() {
					continue // a pair the filter skips says why instead
				}
				whole := strings.Contains(s.ReferenceReason, "the whole holdout: 150 records, fewer than the synthetic table's 400")
				if s.ReferenceKind != metrics.ReferenceHoldout || whole != c.wantWhole {
					t.Fatalf("%s %v: kind %q reason %q", s.Name, s.Columns, s.ReferenceKind, s.ReferenceReason)
				}
			}
		})
	}
}

// TestEvaluateAlignErrors: a synthetic table without a real column, or with
// it in another kind, is an error naming both tables.
func TestEvaluateAlignErrors(t *testing.T) {
	real := datasets.EcommerceBN(50, 1)
	drop, _ := table.New(real.Cols[1:]...)
	req := metrics.Request{Input: metrics.Input{Real: real, Synth: drop}, Groups: []string{"fidelity"},
		Names: metrics.TableNames{Real: "a.csv", Synth: "b.csv"}}
	_, err := metrics.Evaluate(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "of a.csv is missing from b.csv") {
		t.Errorf("missing column: %v", err)
	}
	req.Groups = []string{"nosuch"}
	if _, err := metrics.Evaluate(context.Background(), req); err == nil || !strings.Contains(err.Error(), "unknown metric group") {
		t.Errorf("unknown group: %v", err)
	}
}

// TestEvaluateAdultDetectionReference: on Adult, the test split in the
// synthetic table's place is detected at AUC 0.5 ± 0.03 (real data is not
// told from real data), while columns shuffled independently are told
// apart.
func TestEvaluateAdultDetectionReference(t *testing.T) {
	if testing.Short() || metrics.RaceEnabled {
		t.Skip("-short or -race: trains a detector on Adult twice (make test runs it in its plain pass)")
	}
	ds, err := datasets.Lookup("adult")
	if err != nil {
		t.Fatal(err)
	}
	train, err := ds.Load("train")
	if err != nil {
		t.Fatal(err)
	}
	test, err := ds.Load("test")
	if err != nil {
		t.Fatal(err)
	}
	synth := shuffleColumns(train, 1)
	req := metrics.Request{Input: metrics.Input{Real: train, Synth: synth, Holdout: test, Seed: 1}, Groups: []string{"fidelity"}}
	scores, err := metrics.Evaluate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range scores {
		if s.Name != metrics.NameC2STAUC || s.Group != "fidelity" {
			continue
		}
		found = true
		t.Logf("c2st_auc %.4f, reference %.4f (%s)", s.Value, s.Reference, s.ReferenceReason)
		if s.ReferenceKind != metrics.ReferenceHoldout || math.Abs(s.Reference-0.5) > 0.03 {
			t.Errorf("reference %v (%s), want 0.5 ± 0.03", s.Reference, s.ReferenceKind)
		}
		if !(s.Value > 0.6) {
			t.Errorf("shuffled columns detected at %v, want above 0.6", s.Value)
		}
	}
	if !found {
		t.Fatal("no c2st_auc score")
	}
}

// shuffleColumns returns t with each column's rows permuted on its own
// (seeded): the marginals kept, every dependence broken.
func shuffleColumns(t *table.Table, seed uint64) *table.Table {
	rng := rand.New(rand.NewPCG(seed, 0))
	cols := make([]*table.Column, len(t.Cols))
	for j := range t.Cols {
		cols[j] = t.Take(rng.Perm(t.NumRows())).Cols[j]
	}
	out, err := table.New(cols...)
	if err != nil {
		panic(err)
	}
	return out
}

// TestEvaluateGroupedReference: for a grouped table (households and their
// persons) the holdout is subsampled by whole records.
func TestEvaluateGroupedReference(t *testing.T) {
	ds, err := datasets.Lookup("population")
	if err != nil {
		t.Fatal(err)
	}
	gen := func(n int, seed uint64) *table.Table {
		tb, err := ds.Generate(n, seed)
		if err != nil {
			t.Fatal(err)
		}
		return tb
	}
	real, synth, hold := gen(60, 1), gen(40, 2), gen(90, 3)
	if hold.GroupKey == "" {
		t.Skip("population is not grouped")
	}
	req := metrics.Request{Input: metrics.Input{Real: real, Synth: synth, Holdout: hold, Seed: 1}, Groups: []string{"sdmetrics", "plausibility"}}
	scores, err := metrics.Evaluate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scores {
		if s.ReferenceKind != metrics.ReferenceHoldout || strings.Contains(s.ReferenceReason, "whole holdout") {
			t.Errorf("%s %s: kind %q reason %q", s.Group, s.Name, s.ReferenceKind, s.ReferenceReason)
		}
	}
}
