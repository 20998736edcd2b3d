package metrics

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

// synthesizer is what fitSample needs of a baseline.
type synthesizer interface {
	Fit(ctx context.Context, train *table.Table) error
	Sample(ctx context.Context, n int, seed uint64) (*table.Table, error)
}

// fitSample fits a baseline on train and samples n rows.
func fitSample(t testing.TB, s synthesizer, train *table.Table, n int, seed uint64) *table.Table {
	t.Helper()
	ctx := context.Background()
	if err := s.Fit(ctx, train); err != nil {
		t.Fatal(err)
	}
	out, err := s.Sample(ctx, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMembershipAnchors checks the attack on Adult (training split members,
// test split non-members and reference) against what each synthesizer is
// known to leak: bootstrap copies of the training rows, three times the
// training size, copy 95% of the members (AUC near 1); independent columns
// and uniform values copy nothing (AUC near ½).
func TestMembershipAnchors(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("Adult-scale attack: skipped under -short and -race")
	}
	train, err := datasets.Adult("train")
	if err != nil {
		t.Fatal(err)
	}
	hold, err := datasets.Adult("test")
	if err != nil {
		t.Fatal(err)
	}
	n := train.NumRows()
	for _, c := range []struct {
		name   string
		synth  *table.Table
		lo, hi float64
	}{
		{"bootstrap 3n", fitSample(t, baselines.NewBootstrap(), train, 3*n, 1), 0.9, 1},
		{"independent", fitSample(t, baselines.NewIndependent(), train, n, 1), 0.45, 0.55},
		{"uniform", fitSample(t, baselines.NewUniform(), train, n, 1), 0.45, 0.55},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := MembershipAttack(context.Background(), c.synth, train, hold, MembershipConfig{Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("AUC %.4f, TPR at FPR %.2f %.4f (%d members, %d non-members, %d reference rows)", r.AUC, r.FPR, r.TPR, r.Members, r.NonMembers, r.Reference)
			if r.AUC < c.lo || r.AUC > c.hi {
				t.Errorf("AUC %.4f, want in [%g, %g]", r.AUC, c.lo, c.hi)
			}
			if r.Members != hold.NumRows()/2 || r.NonMembers != r.Members || r.Reference != hold.NumRows()-r.Members {
				t.Errorf("candidates %d + %d, reference %d", r.Members, r.NonMembers, r.Reference)
			}
		})
	}
}

// BenchmarkMembershipAdult measures the attack at Adult size: 8,140
// members of the training split, 8,140 non-members and 8,141 reference rows
// of the test split, against 32,561 synthetic rows (97,683 for bootstrap);
// cpu-s/op is the process's CPU time per run.
func BenchmarkMembershipAdult(b *testing.B) {
	train, err := datasets.Adult("train")
	if err != nil {
		b.Fatal(err)
	}
	hold, err := datasets.Adult("test")
	if err != nil {
		b.Fatal(err)
	}
	n := train.NumRows()
	for _, c := range []struct {
		name  string
		synth *table.Table
	}{
		{"bootstrap-3n", fitSample(b, baselines.NewBootstrap(), train, 3*n, 1)},
		{"independent", fitSample(b, baselines.NewIndependent(), train, n, 1)},
		{"uniform", fitSample(b, baselines.NewUniform(), train, n, 1)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var r MembershipResult
			cpu := sdmProcessCPU()
			for b.Loop() {
				var err error
				if r, err = MembershipAttack(context.Background(), c.synth, train, hold, MembershipConfig{Seed: 3}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(r.AUC, "auc")
			b.ReportMetric((sdmProcessCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// naiveGower is the Gower distance of row i of a and row j of b over the
// columns of a, numeric ranges from table rt (gower.go), computed directly.
func naiveGower(a *table.Table, i int, b *table.Table, j int, rt *table.Table) float64 {
	var d float64
	for _, c := range a.Cols {
		o := b.Col(c.Name)
		if c.Kind == table.Categorical {
			if c.IsNull(i) != o.IsNull(j) || (!c.IsNull(i) && c.String(i) != o.String(j)) {
				d++
			}
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range rt.Col(c.Name).Values() {
			if !math.IsNaN(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		x, y := c.Float(i), o.Float(j)
		switch {
		case math.IsNaN(x) && math.IsNaN(y):
		case math.IsNaN(x) || math.IsNaN(y):
			d++
		case hi > lo:
			d += min(math.Abs(x-y)/(hi-lo), 1)
		case x != y:
			d++
		}
	}
	return d / float64(a.NumCols())
}

// FuzzMembershipScores checks the attack's scores, through the pruned
// nearest-neighbour search on subsets of rows, against direct distances.
func FuzzMembershipScores(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{9, 8, 7}, []byte{4, 4, 0xff, 1}, uint8(5), uint8(3), uint8(9))
	f.Add([]byte{0xff, 0, 0xff, 0}, []byte{0, 0, 0, 0}, []byte{1}, uint8(4), uint8(4), uint8(2))
	f.Fuzz(func(t *testing.T, a, b, c []byte, nt, ns, nh uint8) {
		train, synth, hold := fuzzTable(a, 1+int(nt%12)), fuzzTable(b, 1+int(ns%12)), fuzzTable(c, 2+int(nh%20))
		cfg := MembershipConfig{Seed: uint64(nt)}.withDefaults()
		members, nonMembers, ref := membershipDraw(train.NumRows(), hold.NumRows(), cfg)
		if len(members) != len(nonMembers) || len(nonMembers)+len(ref) != hold.NumRows() || len(ref) < len(nonMembers) {
			t.Fatalf("draw: %d members, %d non-members, %d reference", len(members), len(nonMembers), len(ref))
		}
		for _, i := range nonMembers {
			if slices.Contains(ref, i) {
				t.Fatalf("holdout row %d is both a candidate and a reference row", i)
			}
		}
		s, err := membershipScores(context.Background(), encodeTables(nil, train, synth, hold), members, nonMembers, ref)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		for _, cand := range []struct {
			tb  *table.Table
			idx []int
		}{{train, members}, {hold, nonMembers}} {
			for _, i := range cand.idx {
				dS, dR := math.Inf(1), math.Inf(1)
				for j := range synth.NumRows() {
					dS = min(dS, naiveGower(cand.tb, i, synth, j, train))
				}
				for _, j := range ref {
					dR = min(dR, naiveGower(cand.tb, i, hold, j, train))
				}
				want := math.Log(dR+membershipEps) - math.Log(dS+membershipEps)
				if math.Abs(s[k]-want) > 1e-9 {
					t.Fatalf("candidate %d: score %v, direct %v", k, s[k], want)
				}
				k++
			}
		}
	})
}

func TestMembershipAttackInput(t *testing.T) {
	ctx := context.Background()
	real, hold, synth := mixed(300, 1, 0), mixed(200, 2, 0), mixed(300, 3, 0)
	a, err := MembershipAttack(ctx, synth, real, hold, MembershipConfig{Seed: 5, Candidates: 50, FPR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := MembershipAttack(ctx, synth, real, hold, MembershipConfig{Seed: 5, Candidates: 50, FPR: 0.1})
	if a != b {
		t.Errorf("same seed, different results: %+v, %+v", a, b)
	}
	if a.Members != 50 || a.NonMembers != 50 || a.Reference != 150 || a.FPR != 0.1 {
		t.Errorf("sizes %+v, want 50 + 50 candidates and 150 reference rows", a)
	}
	for _, c := range []struct {
		cfg MembershipConfig
		key string
	}{{MembershipConfig{Candidates: -1}, "candidates"}, {MembershipConfig{FPR: 1}, "fpr"}, {MembershipConfig{FPR: math.NaN()}, "fpr"}} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.key) {
			t.Errorf("%+v: error %v, want one naming %q", c.cfg, err, c.key)
		}
	}
	if _, err := MembershipAttack(ctx, synth, real, hold.Head(1), MembershipConfig{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("one holdout row: error %v", err)
	}
	text := table.MustNew(table.NewText("t", []string{"a", "b"}, nil))
	if _, err := MembershipAttack(ctx, text, text, text, MembershipConfig{}); err == nil || !strings.Contains(err.Error(), "no column") {
		t.Errorf("no comparable column: error %v", err)
	}
}

// TestPrivacyMembership checks the privacy group's membership scores: with
// a holdout, values with their fixed references and params; without, null
// values with the reason; a bad FPR is an error.
func TestPrivacyMembership(t *testing.T) {
	ctx := context.Background()
	real, hold := mixed(300, 1, 0), mixed(200, 2, 0)
	// The synthetic table copies the training rows: the attack finds them.
	for _, c := range []struct {
		name    string
		in      Input
		defined bool
		fpr     float64
	}{
		{"copies", Input{Real: real, Synth: real, Holdout: hold, Seed: 2}, true, 0.01},
		{"fpr 0.1", Input{Real: real, Synth: real, Holdout: hold, Seed: 2, MembershipFPR: 0.1}, true, 0.1},
		{"no holdout", Input{Real: real, Synth: real, Seed: 2}, false, 0.01},
	} {
		t.Run(c.name, func(t *testing.T) {
			scores, err := Privacy(ctx, c.in)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Score{}
			for _, s := range scores {
				got[s.Name] = s
			}
			auc, tpr := got[NameMembershipAUC], got[NameMembershipTPR]
			for _, s := range []Score{auc, tpr} {
				wantKind := ReferenceFixed
				if !c.defined {
					wantKind = "" // no holdout, no reference
				}
				if s.Group != "privacy" || s.ReferenceKind != wantKind || s.Better != Lower {
					t.Errorf("%s: group %q, reference kind %q, better %q", s.Name, s.Group, s.ReferenceKind, s.Better)
				}
				if s.Params["attack"] != MembershipAttackName || s.Params["fpr"] != c.fpr {
					t.Errorf("%s: params %v", s.Name, s.Params)
				}
				if s.OK() != c.defined || (!c.defined && !strings.Contains(s.Reason, "holdout")) {
					t.Errorf("%s = %v, reason %q", s.Name, s.Value, s.Reason)
				}
			}
			if c.defined && (auc.Reference != 0.5 || tpr.Reference != c.fpr) {
				t.Errorf("references %v, %v; want 0.5 and %v", auc.Reference, tpr.Reference, c.fpr)
			}
			if c.defined && (auc.Value < 0.9 || tpr.Value < 0.5) {
				t.Errorf("copied training rows: AUC %v, TPR %v; want near 1", auc.Value, tpr.Value)
			}
		})
	}
	if _, err := Privacy(ctx, Input{Real: real, Synth: real, Holdout: hold, MembershipFPR: 2}); err == nil || !strings.Contains(err.Error(), "fpr") {
		t.Errorf("fpr 2: error %v", err)
	}
}
