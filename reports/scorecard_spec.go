package reports

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// HeadlineScore is one column of the scorecard: which value of a cell it
// reads, how it is shown, and whether the ranking and the gate use it.
type HeadlineScore struct {
	// Key names it in configs and flags ("c2st_auc", "seconds").
	Key string `json:"key"`
	// Label is the column header.
	Label  string            `json:"label"`
	Better metrics.Direction `json:"better"`
	// Source says where the value comes from: SourceScore (a score of the
	// cell's list), SourceTarget (the mean TVD over the statistics the
	// synthesizer targeted) or SourceCost (a field of the result row).
	Source string `json:"source"`
	// Name is the score's name (SourceScore) or the cost field.
	Name string `json:"name"`
	// Params, for a score, are the param values it must have
	// (classifier=forest); Prefer those that pick one of several scores of
	// the name when the cell has several (classifier=hgb).
	Params map[string]string `json:"params,omitempty"`
	Prefer map[string]string `json:"prefer,omitempty"`
	// Rank: the ranking uses it. Gate: the gate compares it by default.
	Rank bool `json:"rank"`
	Gate bool `json:"gate"`
	// Unit is shown in the header ("s", "MiB", "USD"), empty for a score.
	Unit string `json:"unit,omitempty"`
	// About says in a few words what it is and, for a choice, which one.
	About string `json:"about"`
}

// Sources of a headline value.
const (
	SourceScore  = "score"
	SourceTarget = "target"
	SourceCost   = "cost"
)

// The cost fields of a result row a headline can read.
const (
	CostSeconds = "seconds"
	CostMemory  = "peak_memory"
	CostTokens  = "llm_tokens"
	CostUSD     = "cost_usd"
)

// headlineScores are the headline scores known by key. A config or flag
// names them; NAME[key=value,...] sets the params a score must have.
var headlineScores = map[string]HeadlineScore{
	"sdmetrics_quality": {Label: "quality", Better: metrics.Higher, Source: SourceScore, Rank: true, Gate: true,
		About: "SDMetrics quality: mean of column shapes and column pair trends"},
	"c2st_auc": {Label: "detection AUC", Better: metrics.Lower, Source: SourceScore, Rank: true, Gate: true,
		Prefer: map[string]string{"classifier": "hgb"},
		About:  "classifier two-sample test: AUC of a detector telling synthetic rows from real (the gradient-boosted one where scored)"},
	"tstr_trtr_ratio": {Label: "TSTR/TRTR", Better: metrics.Higher, Source: SourceScore, Rank: true, Gate: true,
		Params: map[string]string{"classifier": "forest"},
		About:  "accuracy trained on synthetic over accuracy trained on real, both tested on the holdout, with the random forest"},
	"dcr_share": {Label: "DCR share", Better: metrics.Lower, Source: SourceScore, Rank: true, Gate: true,
		About: "share of synthetic rows closer to a training row than to a holdout row (½ ideal)"},
	"membership_auc": {Label: "membership AUC", Better: metrics.Lower, Source: SourceScore, Rank: true, Gate: true,
		About: "AUC of a membership-inference attack telling training rows from holdout rows"},
	"target_error": {Label: "target error", Better: metrics.Lower, Source: SourceTarget, Name: "tvd", Rank: true, Gate: true,
		About: "mean total variation distance over the statistics the synthesizer targeted"},
	"exact_match_rate": {Label: "exact matches", Better: metrics.Lower, Source: SourceScore, Gate: true,
		About: "share of synthetic rows equal to a training row"},
	"column_shapes":      {Label: "column shapes", Better: metrics.Higher, Source: SourceScore, Gate: true, About: "SDMetrics column shapes"},
	"column_pair_trends": {Label: "pair trends", Better: metrics.Higher, Source: SourceScore, Gate: true, About: "SDMetrics column pair trends"},
	"tstr_accuracy": {Label: "TSTR accuracy", Better: metrics.Higher, Source: SourceScore, Gate: true,
		Params: map[string]string{"classifier": "forest"}, About: "accuracy trained on synthetic, tested on the holdout, random forest"},
	CostSeconds: {Label: "seconds", Better: metrics.Lower, Source: SourceCost, Unit: "s",
		About: "wall time of the cell, child process included (machine-dependent: gated only when named)"},
	CostMemory: {Label: "peak memory", Better: metrics.Lower, Source: SourceCost, Unit: "MiB",
		About: "peak resident set of the cell's process (machine-dependent: gated only when named)"},
	CostTokens: {Label: "LLM tokens", Better: metrics.Lower, Source: SourceCost, Gate: true,
		About: "prompt and completion tokens of the cell's LLM calls"},
	CostUSD: {Label: "LLM cost", Better: metrics.Lower, Source: SourceCost, Gate: true, Unit: "USD",
		About: "the cell's LLM cost estimate from the backend's prices"},
}

// DefaultHeadlineKeys is the scorecard's default set: quality, detection,
// utility, privacy (DCR share and membership attack), the targeted
// statistics' error, and cost. A dataset shows those its cells have.
var DefaultHeadlineKeys = []string{
	"sdmetrics_quality", "c2st_auc", "tstr_trtr_ratio", "dcr_share", "membership_auc", "target_error",
	CostSeconds, CostMemory, CostTokens, CostUSD,
}

// HeadlineKeys lists the known keys, sorted.
func HeadlineKeys() []string { return slices.Sorted(maps.Keys(headlineScores)) }

// DefaultHeadline returns the scores of DefaultHeadlineKeys.
func DefaultHeadline() []HeadlineScore {
	hs, err := ParseHeadline(DefaultHeadlineKeys)
	if err != nil {
		panic(err) // the default keys are known
	}
	return hs
}

// ParseHeadline reads a headline set: keys of HeadlineKeys, each optionally
// followed by the params its score must have, as NAME[key=value,...]
// ("tstr_trtr_ratio[classifier=logistic]"). Empty items are skipped;
// an unknown key or a repeated one is an error naming it.
func ParseHeadline(items []string) ([]HeadlineScore, error) {
	var out []HeadlineScore
	seen := map[string]bool{}
	for _, item := range items {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		h, err := parseHeadlineItem(item)
		if err != nil {
			return nil, err
		}
		if seen[h.Key] {
			return nil, fmt.Errorf("scorecard: %q is listed twice", h.Key)
		}
		seen[h.Key] = true
		out = append(out, h)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("scorecard: no score listed (known: %s)", strings.Join(HeadlineKeys(), ", "))
	}
	return out, nil
}

func parseHeadlineItem(item string) (HeadlineScore, error) {
	key, rest, hasParams := strings.Cut(item, "[")
	key = strings.TrimSpace(key)
	h, ok := headlineScores[key]
	if !ok {
		return h, fmt.Errorf("scorecard: unknown score %q (known: %s)", key, strings.Join(HeadlineKeys(), ", "))
	}
	h.Key = key
	if h.Name == "" {
		h.Name = key
	}
	h.Params, h.Prefer = maps.Clone(h.Params), maps.Clone(h.Prefer)
	if !hasParams {
		return h, nil
	}
	body, ok := strings.CutSuffix(strings.TrimSpace(rest), "]")
	if !ok || h.Source != SourceScore {
		return h, fmt.Errorf("scorecard: %q: params go in NAME[key=value,...] and only on a score", item)
	}
	if h.Params == nil {
		h.Params = map[string]string{}
	}
	for _, kv := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return h, fmt.Errorf("scorecard: %q: %q is not key=value", item, kv)
		}
		h.Params[k] = v
		delete(h.Prefer, k)
	}
	return h, nil
}

// String renders h as ParseHeadline reads it.
func (h HeadlineScore) String() string {
	def := headlineScores[h.Key].Params
	if maps.Equal(h.Params, def) {
		return h.Key
	}
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(h.Params)) {
		kv = append(kv, k+"="+h.Params[k])
	}
	return h.Key + "[" + strings.Join(kv, ",") + "]"
}
