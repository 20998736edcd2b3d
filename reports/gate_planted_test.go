package reports

import (
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
)

// The quickstart's runs of testdata/gate/gen.sh: seeds 1-3 (base), seeds
// 4-6 (noise), and seeds 4-6 of one method changed (planted).
const gateFixtures = "testdata/gate/"

// withPlanted is the noise run with label's cells replaced by the planted
// run's.
func withPlanted(t *testing.T, planted, label string) []bench.Result {
	t.Helper()
	var out []bench.Result
	for _, r := range mustLoad(t, gateFixtures+"noise.jsonl") {
		if r.Method.Label != label {
			out = append(out, r)
		}
	}
	p := mustLoad(t, gateFixtures+planted+".jsonl")
	if len(p) != 6 {
		t.Fatalf("%s: %d cells, want 2 datasets × 3 seeds", planted, len(p))
	}
	return append(out, p...)
}

// TestGateQuickstartNoise: the quickstart with seeds 4-6 gated against
// seeds 1-3 passes.
func TestGateQuickstartNoise(t *testing.T) {
	g, err := Gate(mustLoad(t, gateFixtures+"noise.jsonl"), mustLoad(t, gateFixtures+"base.jsonl"), GateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 2 datasets × 8 methods × (quality, detection, TSTR/TRTR, DCR share,
	// membership AUC).
	if !g.Passed() || len(g.Comparisons) != 80 {
		t.Fatalf("passed %v, %d comparisons, regressions %+v", g.Passed(), len(g.Comparisons), g.Regressions())
	}
}

// TestGatePlantedRegressions: each planted change of the quickstart fails
// the gate, on the changed method only, on the scores it should move.
func TestGatePlantedRegressions(t *testing.T) {
	base := mustLoad(t, gateFixtures+"base.jsonl")
	for _, c := range []struct {
		file, label string
		// want are "dataset score" pairs that must regress.
		want []string
	}{
		// LLMSynthor with one dependency group: the pair trends it no
		// longer targets fall apart on Adult (ecommerce-bn, 1,000 training
		// rows, moves less than three seeds can tell).
		{"nojoints", "llmsynthor", []string{"adult sdmetrics_quality", "adult c2st_auc", "adult tstr_trtr_ratio"}},
		// cart with depth-1 trees: Adult's dependencies are lost (on
		// ecommerce-bn a depth-1 tree keeps the main parent of each column).
		{"depth1", "cart", []string{"adult c2st_auc", "adult tstr_trtr_ratio"}},
		// Training rows copied: the membership attack and the DCR share
		// see it (cart was already over the copy rule's line there, so
		// the flag is not new).
		{"copy", "cart", []string{"adult membership_auc", "ecommerce-bn membership_auc", "adult dcr_share"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			g, err := Gate(withPlanted(t, c.file, c.label), base, GateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if g.Passed() {
				t.Fatalf("passed: %d comparisons", len(g.Comparisons))
			}
			var got []string
			for _, r := range g.Regressions() {
				if r.Method != c.label {
					t.Errorf("%s/%s %s regressed too", r.Dataset, r.Method, r.Score)
				}
				got = append(got, r.Dataset+" "+r.Score)
			}
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("%s did not regress; regressions: %s", w, strings.Join(got, "; "))
				}
			}
		})
	}
}
