package reports

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
)

// qualityRun gives each method its quality per seed: vals[label][k] at
// seed k+1 (NaN-free; a negative value means "no cell").
func qualityRun(dataset string, vals map[string][]float64, order []string) []bench.Result {
	var rs []bench.Result
	for _, l := range order {
		for k, v := range vals[l] {
			if v < 0 {
				continue
			}
			rs = append(rs, result(dataset+l+string(rune('a'+k)), dataset, l, uint64(k+1), quality(v)))
		}
	}
	return rs
}

func labels(ms []RankedMethod) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Label)
	}
	return out
}

func TestRankingNemenyi(t *testing.T) {
	// a best, b middle, c worst on every one of 6 seeds: mean ranks 1, 2,
	// 3; χ² = N(k−1) = 12, every block alike, so the Friedman test rejects.
	// CD(k=3, N=6, α=0.05) = 2.3437 · √(12/36) = 1.3531 (SciPy, see
	// stats_golden.json): a–c (2 apart) differ; a–b and b–c (1 apart) tie.
	six := func(v float64) []float64 { return []float64{v, v + 0.001, v - 0.001, v, v + 0.002, v} }
	rs := qualityRun("d", map[string][]float64{"c": six(0.5), "a": six(0.9), "b": six(0.7)}, []string{"c", "a", "b"})
	rk := NewScorecard(rs, ScorecardOptions{}).Datasets[0].Ranking
	if got := labels(rk.Methods); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("order %v", got)
	}
	for i, m := range rk.Methods {
		if !near(m.MeanRank, float64(i+1), 1e-12) {
			t.Errorf("%s mean rank %v, want %d", m.Label, m.MeanRank, i+1)
		}
	}
	if rk.Blocks != 6 || !rk.Significant || !near(rk.CD, 1.353136164445458, 1e-6) {
		t.Fatalf("blocks %d significant %v CD %v", rk.Blocks, rk.Significant, rk.CD)
	}
	want := map[string][]string{"a": {"b"}, "b": {"a", "c"}, "c": {"b"}}
	for _, m := range rk.Methods {
		if !slices.Equal(m.TiedWith, want[m.Label]) {
			t.Errorf("%s tied with %v, want %v", m.Label, m.TiedWith, want[m.Label])
		}
	}
	if len(rk.Cliques) != 2 || !slices.Equal(rk.Cliques[0], []string{"a", "b"}) || !slices.Equal(rk.Cliques[1], []string{"b", "c"}) {
		t.Errorf("cliques %v", rk.Cliques)
	}
	if m := Build(rs).Datasets[0].Ranking; len(m) != 3 || m[0].Label != "a" || m[0].Wins != 1 || m[2].Wins != 0 {
		t.Errorf("model ranking %+v", m)
	}
	// The critical-difference diagram: well-formed SVG with the CD, each
	// method at its mean rank and a bar per clique.
	var buf bytes.Buffer
	if err := WriteCDDiagram(&buf, rk); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&buf)
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("svg: %v", err)
		}
	}
	svg := string(cdSVG(rk))
	for _, want := range []string{"CD = 1.35", ">a (1.00)<", ">b (2.00)<", ">c (3.00)<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("diagram lacks %q", want)
		}
	}
	if n := strings.Count(svg, `stroke-width="4"`); n != 2 {
		t.Errorf("%d clique bars, want 2", n)
	}
}

func TestRankingTiesWithoutEvidence(t *testing.T) {
	// Three seeds that disagree: mean ranks a 2, b 1.67, c 2.33 over 3
	// blocks; the Friedman test does not reject, so every method is tied.
	rs := qualityRun("d", map[string][]float64{
		"a": {0.9, 0.8, 0.7}, "b": {0.8, 0.9, 0.8}, "c": {0.1, 0.95, 0.3},
	}, []string{"a", "b", "c"})
	rk := NewScorecard(rs, ScorecardOptions{}).Datasets[0].Ranking
	if rk.Significant || rk.Friedman == nil || rk.Friedman.PF <= 0.05 {
		t.Fatalf("significant %v %+v", rk.Significant, rk.Friedman)
	}
	if got := labels(rk.Methods); !slices.Equal(got, []string{"b", "a", "c"}) {
		t.Errorf("order %v", got)
	}
	for _, m := range rk.Methods {
		if len(m.TiedWith) != 2 {
			t.Errorf("%s tied with %v, want both others", m.Label, m.TiedWith)
		}
	}
	if len(rk.Cliques) != 1 || len(rk.Cliques[0]) != 3 {
		t.Errorf("cliques %v", rk.Cliques)
	}
}

func TestRankingDropsIncompleteBlocks(t *testing.T) {
	// b has no cell at seed 2: that block is left out; c failed every cell.
	rs := qualityRun("d", map[string][]float64{"a": {0.9, 0.9, 0.9}, "b": {0.5, -1, 0.5}}, []string{"a", "b"})
	rs = append(rs, bench.Result{ID: "c", Dataset: "d", Method: bench.MethodRef{Name: "c", Label: "c"}, Seed: 1,
		Status: bench.StatusFailed, Reason: "boom"})
	rk := NewScorecard(rs, ScorecardOptions{}).Datasets[0].Ranking
	if rk.Blocks != 2 || rk.Dropped != 1 {
		t.Errorf("blocks %d dropped %d, want 2 and 1", rk.Blocks, rk.Dropped)
	}
	if len(rk.Unranked) != 1 || rk.Unranked[0].Label != "c" {
		t.Errorf("unranked %+v", rk.Unranked)
	}
}

func TestRankingOverDatasets(t *testing.T) {
	// d1 and d2 each with 3 seeds; z only on d1 is left out of the overall
	// ranking, which has 6 blocks over a and b.
	v := map[string][]float64{"a": {0.9, 0.91, 0.92}, "b": {0.5, 0.52, 0.51}, "z": {0.1, 0.1, 0.1}}
	rs := append(qualityRun("d1", v, []string{"a", "b", "z"}), qualityRun("d2", v, []string{"b", "a"})...)
	sc := NewScorecard(rs, ScorecardOptions{})
	rk := sc.Ranking
	if rk.Blocks != 6 || !slices.Equal(labels(rk.Methods), []string{"a", "b"}) {
		t.Fatalf("blocks %d methods %v", rk.Blocks, labels(rk.Methods))
	}
	if len(rk.Unranked) != 1 || rk.Unranked[0].Label != "z" || rk.Unranked[0].Reason != "ranked on 1 of 2 datasets" {
		t.Errorf("unranked %+v", rk.Unranked)
	}
	// a best in all 6 blocks: χ² = 6, k = 2, significant; CD(2, 6) =
	// 1.96 · √(6/36) = 0.800 < 1: a and b differ.
	if !rk.Significant || len(rk.Methods[0].TiedWith) != 0 || rk.Methods[0].Wins != 2 || rk.Methods[0].Datasets != 2 {
		t.Errorf("overall %+v", rk)
	}
}
