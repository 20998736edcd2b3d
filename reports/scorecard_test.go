package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/metrics"
)

// t975df2 is scipy.stats.t.ppf(0.975, 2): the 95 % interval's quantile
// for three values.
const t975df2 = 4.302652729749464

func quality(v float64) metrics.Score {
	return metrics.Score{Name: "sdmetrics_quality", Group: "sdmetrics", Columns: []string{}, Value: v, Better: metrics.Higher}
}

func withRef(s metrics.Score, ref float64, kind string) metrics.Score {
	s.Reference, s.ReferenceKind = ref, kind
	return s
}

func c2st(v float64, classifier string) metrics.Score {
	return metrics.Score{Name: "c2st_auc", Group: "fidelity", Columns: []string{"x", "y"}, Value: v, Better: metrics.Lower,
		Params: map[string]any{"classifier": classifier}}
}

func privacy(name string, v float64) metrics.Score {
	return metrics.Score{Name: name, Group: "privacy", Columns: []string{"x", "y"}, Value: v, Better: metrics.Lower}
}

func TestScorecardEstimates(t *testing.T) {
	rs := []bench.Result{
		result("a1", "d", "a", 2, withRef(quality(0.92), 0.97, "holdout"), c2st(0.60, "forest"), c2st(0.70, "hgb")),
		result("a2", "d", "a", 1, withRef(quality(0.90), 0.95, "holdout"), c2st(0.62, "forest"), c2st(0.74, "hgb")),
		result("a3", "d", "a", 3, withRef(quality(0.94), 0.96, "holdout"), c2st(0.58, "forest"), c2st(0.72, "hgb")),
		result("b1", "d", "b", 1, quality(0.5)),
	}
	rs[0].Timings.TotalS, rs[1].Timings.TotalS, rs[2].Timings.TotalS = 1, 2, 3
	rs[0].PeakRSSBytes = 3 << 20
	sc := NewScorecard(rs, ScorecardOptions{})
	d := sc.Dataset("d")
	keys := []string{}
	for _, c := range d.Columns {
		keys = append(keys, c.Key)
	}
	// No tokens, no privacy, no targets: those columns are left out.
	if want := []string{"sdmetrics_quality", "c2st_auc", "seconds", "peak_memory"}; !slices.Equal(keys, want) {
		t.Fatalf("columns %v, want %v", keys, want)
	}
	a := d.Method("a")
	q := a.Values[d.Column("sdmetrics_quality")]
	// 0.90, 0.92, 0.94 (seed order): mean 0.92, sd 0.02, half-width
	// t975df2 · 0.02 / √3.
	h := t975df2 * 0.02 / math.Sqrt(3)
	if q.N != 3 || !near(q.Mean, 0.92, 1e-12) || !near(q.SD, 0.02, 1e-12) || q.CI == nil ||
		!near(q.CI[0], 0.92-h, 1e-9) || !near(q.CI[1], 0.92+h, 1e-9) || !slices.Equal(q.Seeds, []uint64{1, 2, 3}) || !q.Best {
		t.Errorf("quality %+v (CI %v), want 0.92 ± %g", q, q.CI, h)
	}
	if q.Reference == nil || !near(*q.Reference, 0.96, 1e-12) || q.ReferenceKind != "holdout" {
		t.Errorf("quality reference %v %q, want 0.96 holdout", q.Reference, q.ReferenceKind)
	}
	// The detector: the gradient-boosted one where both were scored.
	if c := a.Values[d.Column("c2st_auc")]; !near(c.Mean, 0.72, 1e-12) || c.Variant != "classifier=hgb" {
		t.Errorf("c2st %+v, want the hgb one (0.72)", c)
	}
	// One value: no interval; the column's reference pools every cell.
	b := d.Method("b")
	if e := b.Values[0]; e.N != 1 || e.CI != nil || e.Reference != nil {
		t.Errorf("b quality %+v", e)
	}
	if c := d.Columns[0]; c.Reference == nil || !near(*c.Reference, 0.96, 1e-12) {
		t.Errorf("pooled reference %v", c.Reference)
	}
	if e := b.Values[d.Column("c2st_auc")]; e.N != 0 || e.Reason != "not scored" {
		t.Errorf("b c2st %+v", e)
	}
	if e := a.Values[d.Column("seconds")]; !near(e.Mean, 2, 1e-12) {
		t.Errorf("seconds %+v", e)
	}
	// Peak memory: only seed 2 measured, 3 MiB.
	if e := a.Values[d.Column("peak_memory")]; e.N != 1 || e.Mean != 3 {
		t.Errorf("peak memory %+v", e)
	}
}

func TestScorecardParamsAndTargets(t *testing.T) {
	yes, no := true, false
	tvd := func(v float64, targeted *bool, cols ...string) metrics.Score {
		return metrics.Score{Name: "tvd", Group: "fidelity", Columns: cols, Value: v, Better: metrics.Lower, Targeted: targeted}
	}
	ratio := func(v float64, clf string) metrics.Score {
		return metrics.Score{Name: "tstr_trtr_ratio", Group: "utility", Columns: []string{"y"}, Value: v, Better: metrics.Higher,
			Params: map[string]any{"classifier": clf}}
	}
	r := result("a", "d", "a", 1, tvd(0.1, &yes, "x"), tvd(0.3, &yes, "x", "y"), tvd(0.9, &no, "y"),
		ratio(0.5, "logistic"), ratio(0.8, "forest"))
	r.LLM = &llm.Accounting{PromptTokens: 100, CompletionTokens: 20, CostUSD: 0.01}
	hs, err := ParseHeadline([]string{"target_error", "tstr_trtr_ratio", "tstr_trtr_ratio[classifier=logistic]"})
	if err == nil {
		t.Fatalf("a repeated key parsed: %v", hs)
	}
	hs, err = ParseHeadline([]string{"target_error", "tstr_trtr_ratio[classifier=logistic]", "llm_tokens", "cost_usd"})
	if err != nil {
		t.Fatal(err)
	}
	d := NewScorecard([]bench.Result{r}, ScorecardOptions{Scores: hs}).Datasets[0]
	got := d.Methods[0].Values
	// Targeted: 0.1 and 0.3 (the untargeted 0.9 left out).
	want := []float64{0.2, 0.5, 120, 0.01}
	for j, w := range want {
		if !near(got[j].Mean, w, 1e-12) {
			t.Errorf("%s = %+v, want %g", d.Columns[j].Key, got[j], w)
		}
	}
	if hs[1].String() != "tstr_trtr_ratio[classifier=logistic]" || hs[0].String() != "target_error" {
		t.Errorf("strings %q %q", hs[1], hs[0])
	}
	// The default set still asks for the forest.
	if DefaultHeadline()[2].Params["classifier"] != "forest" {
		t.Error("parsing changed the default params")
	}
	for _, bad := range []string{"nope", "seconds[x=1]", "tstr_trtr_ratio[classifier]", "tstr_trtr_ratio[classifier=forest"} {
		if _, err := ParseHeadline([]string{bad}); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if _, err := ParseHeadline([]string{" ", ""}); err == nil {
		t.Error("an empty set parsed")
	}
}

func TestCopyFlag(t *testing.T) {
	cells := func(label string, exact, member float64) []bench.Result {
		var out []bench.Result
		for s := uint64(1); s <= 3; s++ {
			ss := []metrics.Score{quality(0.9), privacy("exact_match_rate", exact)}
			if member >= 0 {
				ss = append(ss, withRef(privacy("membership_auc", member), 0.5, "fixed"))
			}
			out = append(out, result(label+string(rune('0'+s)), "d", label, s, ss...))
		}
		return out
	}
	var rs []bench.Result
	rs = append(rs, cells("copy", 1, -1)...)      // bootstrap: every row a training row
	rs = append(rs, cells("cart", 0.02, -1)...)   // a few matches: not a copy
	rs = append(rs, cells("leaky", 0, 0.75)...)   // the attack tells members apart
	rs = append(rs, cells("fine", 0.01, 0.55)...) // within both margins
	d := NewScorecard(rs, ScorecardOptions{}).Datasets[0]
	for label, want := range map[string]string{"copy": "exact_match_rate", "cart": "", "leaky": "membership_auc", "fine": ""} {
		f := d.Method(label).Copies
		switch {
		case want == "" && f != nil:
			t.Errorf("%s flagged: %+v", label, *f)
		case want != "" && (f == nil || f.Score != want):
			t.Errorf("%s: flag %+v, want %s", label, f, want)
		}
	}
	if f := d.Method("leaky").Copies; f != nil && (f.Reference != 0.5 || f.ReferenceKind != "fixed") {
		t.Errorf("leaky reference %+v", *f)
	}
	var buf bytes.Buffer
	if err := WriteScorecard(&buf, &Scorecard{Level: 0.95, Datasets: []*ScorecardDataset{d}, Ranking: &Ranking{}}, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "WARNING copy copies records: exact-match rate 1.000") {
		t.Errorf("no warning for the copy:\n%s", buf.String())
	}
}

func TestScorecardFirstInEveryFormat(t *testing.T) {
	run, err := Open(testRun)
	if err != nil {
		t.Fatal(err)
	}
	m := Build(run.Results)
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, f, run, m); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		first := map[string]string{"table": "Scorecard ecommerce-bn", "markdown": "## Scorecard ecommerce-bn", "csv": "table,",
			"json": "{\n  \"scorecard\""}[f]
		switch f {
		case "html":
			top, sc, ds := strings.Index(out, `<section class="top">`), strings.Index(out, `<section id="scorecard">`), strings.Index(out, `id="ds-`)
			if top < 0 || sc < top || ds < sc || !strings.Contains(out[sc:ds], "Scorecard: ecommerce-bn") {
				t.Errorf("html: first screen %d, scorecard %d, first dataset %d", top, sc, ds)
			}
		case "csv":
			lines := strings.Split(out, "\n")
			if !strings.HasPrefix(lines[0], first) || !strings.HasPrefix(lines[1], "scorecard,") {
				t.Errorf("csv starts %q", lines[:2])
			}
		default:
			if !strings.HasPrefix(out, first) {
				t.Errorf("%s starts %q", f, out[:min(len(out), 60)])
			}
		}
	}
	var back struct {
		Scorecard Scorecard `json:"scorecard"`
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, m); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back.Scorecard.Datasets) != 1 {
		t.Fatalf("json round trip: %v", err)
	}
}

// TestScorecardFitsTerminal checks that every line of the terminal
// scorecard of a wide run fits 100 columns: long labels, every headline
// score, notes.
func TestScorecardFitsTerminal(t *testing.T) {
	var rs []bench.Result
	for _, label := range []string{"llmsynthor-gpt-4.1-nano-long-label", "gaussian-copula", "b"} {
		for s := uint64(1); s <= 3; s++ {
			r := result(label+string(rune('0'+s)), "d", label, s, withRef(quality(0.9+float64(s)/100), 0.97, "holdout"),
				withRef(c2st(0.6, "hgb"), 0.5, "fixed"), privacy("dcr_share", 0.51), withRef(privacy("membership_auc", 0.52), 0.5, "fixed"),
				metrics.Score{Name: "tstr_trtr_ratio", Group: "utility", Columns: []string{"y"}, Value: 0.97, Better: metrics.Higher,
					Params: map[string]any{"classifier": "forest"}})
			r.Timings.TotalS, r.PeakRSSBytes = 123.4, 1<<30
			r.LLM = &llm.Accounting{PromptTokens: 123456, CompletionTokens: 7890, CostUSD: 0.1234}
			rs = append(rs, r)
		}
	}
	var buf bytes.Buffer
	if err := WriteScorecard(&buf, NewScorecard(rs, ScorecardOptions{}), false); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(buf.String(), "\n") {
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("line %d is %d columns: %q", i+1, n, line)
		}
	}
	if !strings.Contains(buf.String(), "membership AUC") || !strings.Contains(buf.String(), "LLM cost (USD)") {
		t.Errorf("a column is missing:\n%s", buf.String())
	}
}
