package bench

import (
	"fmt"
	"strings"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/synthor"
)

// SummaryNote renders LLMSynthor's run summary in one line: iterations,
// stop reason, groups, repairs, removals and LLM calls.
func SummaryNote(r *synthor.Result) string {
	note := fmt.Sprintf("%d iterations, stop: %s, joints: %s", r.Iterations, r.Stop, FormatJoints(r.Deps))
	if len(r.Untracked) > 0 {
		note += ", without targets: " + FormatJoints(r.Untracked)
	}
	if n := r.Repairs.Total(); n > 0 {
		note += fmt.Sprintf(", %d repairs", n)
	}
	for i, c := range r.Columns {
		if i == 0 {
			note += ", outside the loop:"
		}
		note += fmt.Sprintf(" %s (%s)", c.Name, c.How)
	}
	if r.Removed > 0 {
		note += fmt.Sprintf(", removal step on: %d records removed", r.Removed)
	}
	if r.Swaps > 0 {
		note += fmt.Sprintf(", refinement: %d households swapped", r.Swaps)
	}
	if r.Calls > 0 {
		note += fmt.Sprintf(", %d LLM calls, %d parse failures", r.Calls, r.ParseFailures)
	}
	return note
}

// AccountingNote renders a backend's LLM accounting in one line.
func AccountingNote(model string, a llm.Accounting) string {
	est := ""
	if a.TokensEstimated {
		est = " (estimated)"
	}
	return fmt.Sprintf("LLM %s: %d calls, %d cache hits, %d retries, %d parse failures, tokens %d prompt + %d completion%s, cost $%.4f, latency p50 %.0f ms",
		model, a.Calls, a.CacheHits, a.Retries, a.ParseFailures, a.PromptTokens, a.CompletionTokens, est, a.CostUSD, a.LatencyP50MS)
}

// FormatJoints renders groups as "[a, b] [c, d]", "none" when empty.
func FormatJoints(js [][]string) string {
	if len(js) == 0 {
		return "none"
	}
	parts := make([]string, len(js))
	for i, j := range js {
		parts[i] = "[" + strings.Join(j, ", ") + "]"
	}
	return strings.Join(parts, " ")
}

// OneLine joins the lines of a multi-line message with "; ".
func OneLine(s string) string {
	var parts []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "*")); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
