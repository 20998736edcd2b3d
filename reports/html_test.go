package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/table"
)

// fixturePlots is the number of SVG elements of the fixture's report: 6
// columns × 3 methods with an ok cell of distribution panels, the real
// pair associations and each method's difference, 3 targeted joints ×
// (target, synthetic, difference), the LLMSynthor trace (joints,
// marginals), the per-column distances and targeted against untargeted.
// (The fixture has no privacy score: no trade-off picture.)
const fixturePlots = 6*3 + 1 + 3 + 3*3 + 2 + 2

// openWithReal opens the fixture run with its reference table.
func openWithReal(t *testing.T) *Run {
	t.Helper()
	run, err := Open(testRun)
	if err != nil {
		t.Fatal(err)
	}
	real, err := table.ReadFile(filepath.Join(testRun, "reference.csv"), table.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	run.Real = map[string]*table.Table{"ecommerce-bn": real}
	return run
}

func TestHTMLSelfContained(t *testing.T) {
	run := openWithReal(t)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, run, Build(run.Results)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.Contains(page, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`) {
		t.Error("no Content-Security-Policy forbidding fetches")
	}
	// Nothing to fetch: no src or href but in-page anchors, no script, no
	// external stylesheet or font.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"[^#"][^"]*"`).FindAllString(page, -1); len(m) > 0 {
		t.Errorf("references %q", m)
	}
	for _, bad := range []string{"<script", "@import", "url(", "<link"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if n := strings.Count(page, "<svg"); n != fixturePlots {
		t.Errorf("%d svg plots, want %d", n, fixturePlots)
	}
	for _, want := range []string{"Published numbers beside ours", "published: LLMSynthor", "ours: llmsynthor-stat",
		"killed after the cell timeout of 30s", "Targeted and untargeted", "LLM accounting",
		"<h2>Scorecard: ecommerce-bn</h2>", "Distributions: real against synthetic", "<h4>price <span",
		"bayes-net (seed 1) · TVD", "Pair associations", "association: |r| or V", "<summary>fidelity (49 scores)</summary>",
		"Targeted joint [product_category, price], llmsynthor-stat (seed 1)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// With a privacy score, the first screen draws the trade-off.
	priv := openWithReal(t)
	withPrivacy(priv)
	var tb bytes.Buffer
	if err := WriteHTML(&tb, priv, Build(priv.Results)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(tb.String(), "<svg"); n != fixturePlots+1 || !strings.Contains(tb.String(), "Trade-off: detection") {
		t.Errorf("with a privacy score: %d svg plots, want %d with the trade-off", n, fixturePlots+1)
	}
	// The same run renders to the same bytes.
	var again bytes.Buffer
	if err := WriteHTML(&again, run, Build(run.Results)); err != nil || again.String() != page {
		t.Error("two renderings differ")
	}
}

func TestLLMAccountingTable(t *testing.T) {
	r := result("l1", "d", "llmsynthor-gpt", 1, score("tvd", 0.1, "lower", "x"))
	r.Method.Planner, r.Method.Backend, r.Method.Model = "llm", "openai-gpt-4.1-nano", "gpt-4.1-nano"
	r.LLM = &llm.Accounting{Calls: 12, Retries: 2, PromptTokens: 3000, CompletionTokens: 456, CostUSD: 0.0123, LatencyP50MS: 640}
	r2 := r
	r2.ID, r2.Seed = "l2", 2
	r2.LLM = &llm.Accounting{Calls: 10, PromptTokens: 1000, CompletionTokens: 44, CostUSD: 0.0077, LatencyP50MS: 700}
	rs := []bench.Result{r, r2}
	m := Build(rs)
	tot := m.Datasets[0].Methods[0].LLM
	// Sums by hand: 22 calls, 4000 + 500 tokens, $0.02; largest p50 700 ms.
	if tot.Calls != 22 || tot.PromptTokens != 4000 || tot.CompletionTokens != 500 || !near(tot.CostUSD, 0.02, 1e-12) || tot.LatencyP50MS != 700 {
		t.Fatalf("totals %+v", tot)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, &Run{Results: rs, Dirs: []string{"", ""}}, m); err != nil {
		t.Fatal(err)
	}
	// The scorecard's tokens per cell: 3456 and 1044, mean 2250, sd
	// 2412/√2 = 1705.6.
	for _, want := range []string{"<td>openai-gpt-4.1-nano</td><td>gpt-4.1-nano</td><td>22</td>", "<td>0.0200</td>",
		`<td>2250<span class="sub">± 1706</span></td>`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	rs := mustLoad(t, testRun)
	if err := WriteDir(dir, rs); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/report.markdown")
	if err != nil || !bytes.Equal(md, want) {
		t.Fatalf("report.md differs from the golden Markdown (%v)", err)
	}
	if st, err := os.Stat(filepath.Join(dir, "report.html")); err != nil || st.Size() == 0 {
		t.Fatalf("report.html: %v", err)
	}
	// A directory that cannot be written leaves nothing half-written.
	if err := WriteDir(filepath.Join(dir, "missing"), rs); err == nil {
		t.Fatal("no error for a missing directory")
	}
}
