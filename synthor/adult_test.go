package synthor

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// adultPath is the copy of the Adult training split the project ships
// (gzip -9 -n of the shared data/adult/adult_train.csv): the acceptance
// test runs in a fresh clone too.
const adultPath = "../datasets/data/adult_train.csv.gz"

// readAdult returns the Adult training split ("?" read as missing).
func readAdult(tb testing.TB) *table.Table {
	tb.Helper()
	t, err := table.ReadFile(adultPath, table.ReadOptions{NullValues: []string{"", "?"}})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// TestAdultAcceptance is the acceptance test of real-table synthesis:
// Adult (32,561 rows), defaults, seed 1, scored by this project's
// SDMetrics report (checked against SDMetrics itself in metrics) and C2ST.
func TestAdultAcceptance(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("-short or -race: make test runs it in its plain pass")
	}
	ref := readAdult(t)
	s, out := fitSample(t, DefaultConfig, nil, ref, ref.NumRows(), 1)
	t.Logf("deps %v, columns %v", s.Result().Deps, s.Result().Columns)
	ctx := context.Background()
	for _, filter := range []string{metrics.PairFilterSDMetrics, metrics.PairFilterAll} {
		scores, err := metrics.SDMetrics(ctx, metrics.Input{Real: ref, Synth: out, PairFilter: filter})
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range scores {
			switch sc.Name {
			case metrics.NameSDMetricsQuality, metrics.NameColumnShapes, metrics.NameColumnPairTrends:
				t.Logf("%s %s = %.4f", filter, sc.Name, sc.Value)
				if sc.Name == metrics.NameSDMetricsQuality && !(sc.Value >= 0.95) {
					t.Errorf("pair filter %s: quality %.4f, want >= 0.95", filter, sc.Value)
				}
			case metrics.NameKSComplement, metrics.NameTVComplement:
				if filter == metrics.PairFilterAll && !(sc.Value >= 0.95) {
					t.Errorf("%s of %s = %.4f, want >= 0.95", sc.Name, strings.Join(sc.Columns, ","), sc.Value)
				}
			}
		}
	}
	c2st, err := metrics.C2STScores(ctx, metrics.Input{Real: ref, Synth: out, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range c2st {
		if sc.Name == metrics.NameC2STAUC {
			t.Logf("c2st_auc = %.4f", sc.Value)
			if !(sc.Value <= 0.90) {
				t.Errorf("c2st_auc %.4f, want <= 0.90", sc.Value)
			}
		}
	}
	for _, rc := range ref.Cols {
		sc := out.Col(rc.Name)
		if sc == nil {
			t.Fatalf("column %s missing from the output", rc.Name)
		}
		rm := float64(rc.NullCount()) / float64(rc.Len())
		sm := float64(sc.NullCount()) / float64(sc.Len())
		if math.Abs(rm-sm) > 0.01 {
			t.Errorf("%s: missing share %.4f, real %.4f", rc.Name, sm, rm)
		}
		if rc.Kind.Numeric() {
			lo, hi := minMax(rc.Values())
			slo, shi := minMax(sc.Values())
			if slo < lo || shi > hi {
				t.Errorf("%s: synthetic range [%g, %g] leaves the real [%g, %g]", rc.Name, slo, shi, lo, hi)
			}
		}
	}
}

// TestAdultPaperProfile logs the figures of profile=paper on Adult beside
// the defaults' (BENCHMARKS.md): an ablation, not a check.
func TestAdultPaperProfile(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("-short or -race")
	}
	ref := readAdult(t)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"defaults", DefaultConfig}, {"paper", PaperConfig}} {
		s, out := fitSample(t, c.cfg, nil, ref, ref.NumRows(), 1)
		line := c.name + ":"
		for _, filter := range []string{metrics.PairFilterSDMetrics, metrics.PairFilterAll} {
			scores, err := metrics.SDMetrics(ctx, metrics.Input{Real: ref, Synth: out, PairFilter: filter})
			if err != nil {
				t.Fatal(err)
			}
			worst := 1.0
			for _, sc := range scores {
				if sc.Name == metrics.NameSDMetricsQuality {
					line += fmt.Sprintf(" quality(%s) %.3f", filter, sc.Value)
				}
				if (sc.Name == metrics.NameKSComplement || sc.Name == metrics.NameTVComplement) && sc.Value < worst {
					worst = sc.Value
				}
			}
			if filter == metrics.PairFilterAll {
				line += fmt.Sprintf(" worst column shape %.3f", worst)
			}
		}
		c2st, err := metrics.C2STScores(ctx, metrics.Input{Real: ref, Synth: out, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range c2st {
			if sc.Name == metrics.NameC2STAUC {
				line += fmt.Sprintf(" c2st_auc %.3f", sc.Value)
			}
		}
		t.Logf("%s (groups: %d)", line, len(s.Result().Deps))
	}
}

func minMax(xs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}
