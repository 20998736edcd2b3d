package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// FirstScreen is what the HTML report shows first: per dataset the
// headline scores of each method, with their uncertainty and, where known,
// their reference (what unseen real data scores), the methods' ranking,
// and the scores the trade-off picture draws. It is the page's one seam
// to whatever ranks the methods: FirstScreenOf fills it from the model's
// headline summary; a scorecard with confidence intervals, references and
// significance fills the same fields.
type FirstScreen struct {
	// Note says what a value shows ("mean ± sd over the seeds").
	Note     string
	Datasets []ScreenDataset
}

// ScreenDataset is one dataset's scorecard.
type ScreenDataset struct {
	Name string
	// Scores are the columns; Rows the methods, best ranked first.
	Scores []ScreenScore
	Rows   []ScreenRow
	// RankNote says how the methods are ranked and what a tie means.
	RankNote string
	// Critical is the critical difference of mean ranks (Nemenyi) when the
	// ranking has one: the page then draws a critical-difference diagram.
	Critical float64
}

// The roles a score plays in the trade-off picture.
const (
	RoleFidelity  = "fidelity"  // higher is more faithful (SDMetrics quality)
	RoleDetection = "detection" // a classifier's AUC telling synthetic from real
	RolePrivacy   = "privacy"   // membership-attack AUC, DCR share
	RoleCost      = "cost"      // seconds per cell
)

// ScreenScore is a column of a scorecard.
type ScreenScore struct {
	// Name is the metric's name; Label what the column shows.
	Name, Label string
	Better      metrics.Direction
	// Role places the score in the trade-off picture ("" for none).
	Role string
}

// ScreenRow is one method on a scorecard.
type ScreenRow struct {
	Method string
	// Produced says what produced its records (planner, backend, model).
	Produced string
	// Rank is its rank (1 = best; 0 when unranked); methods of one Tie
	// group are not told apart ("" when unknown).
	Rank float64
	Tie  string
	// Flags are warnings on the method ("copies training records").
	Flags  []string
	Values []ScreenValue
}

// ScreenValue is one method on one score over its seeds.
type ScreenValue struct {
	Stat
	// Lo and Hi bound a confidence interval of the mean when CI is set.
	Lo, Hi float64
	CI     bool
	// Ref is what unseen real data scores, when HasRef.
	Ref    float64
	HasRef bool
	Best   bool
	Reason string
}

// Value is row r's value of the score named name (ok false when the
// scorecard has no such score or the row no value).
func (d ScreenDataset) Value(r ScreenRow, name string) (ScreenValue, bool) {
	for k, s := range d.Scores {
		if s.Name == name && k < len(r.Values) {
			return r.Values[k], r.Values[k].N > 0
		}
	}
	return ScreenValue{}, false
}

// ByRole is the first score of d in role among names (in order of
// preference); "" when d has none.
func (d ScreenDataset) ByRole(role string, names ...string) string {
	for _, n := range names {
		for _, s := range d.Scores {
			if s.Name == n && s.Role == role {
				return n
			}
		}
	}
	return ""
}

// copyShare is the exact-match rate from which a method is flagged as
// copying training records.
const copyShare = 0.5

// scoreCaptions are the headline scores' column captions.
var scoreCaptions = map[string]string{
	"sdmetrics_quality": "SDMetrics quality", "column_shapes": "column shapes", "column_pair_trends": "pair trends",
	"c2st_auc": "detection AUC (C2ST)", "tstr_accuracy": "TSTR accuracy", "tstr_trtr_ratio": "TSTR / TRTR",
	"tstr_r2": "TSTR R²", "dcr_share": "DCR share", "exact_match_rate": "exact-match rate",
	"duplicate_rate": "duplicate rate", "rule_rejection_rate": "rejection rate", "membership_auc": "membership AUC",
	"query_category_mre": "query error",
}

// caption is a scorecard column's caption: the score's, with the label
// and variant of a utility score ("TSTR accuracy (income, forest)").
func caption(mt *Metric) string {
	c, ok := scoreCaptions[mt.Name]
	if !ok {
		c = mt.Name
	}
	if mt.Group == "utility" && len(mt.Columns) > 0 {
		c += " (" + strings.Join(mt.Columns, ", ")
		if mt.Variant != "" {
			c += ", " + mt.Variant
		}
		c += ")"
	}
	return c
}

// scoreRoles are the roles of the headline scores that have one.
var scoreRoles = map[string]string{
	"sdmetrics_quality": RoleFidelity, "c2st_auc": RoleDetection,
	"membership_auc": RolePrivacy, "dcr_share": RolePrivacy,
}

// FirstScreenOf is the first screen from the model's headline summary
// (Summary): the seed mean ± sd of each headline score and the seconds per
// cell (with LLM tokens and dollars where an LLM ran), the methods ranked by
// their mean rank over those scores alone, a method flagged when its
// exact-match rate says it copies training records.
func FirstScreenOf(m *Model) FirstScreen {
	out := FirstScreen{Note: "mean ± sample sd over the seeds that ended ok"}
	for _, d := range Summary(m).Datasets {
		out.Datasets = append(out.Datasets, screenDataset(d))
	}
	return out
}

func screenDataset(d *Dataset) ScreenDataset {
	sd := ScreenDataset{Name: d.Name,
		RankNote: "ranked by mean rank over these scores (cost aside); no test of significance"}
	for _, mt := range d.Metrics {
		sd.Scores = append(sd.Scores, ScreenScore{Name: mt.Name, Label: caption(mt), Better: mt.Better, Role: scoreRoles[mt.Name]})
	}
	llm := false
	for _, me := range d.Methods {
		llm = llm || me.Tokens.N > 0
	}
	sd.Scores = append(sd.Scores, ScreenScore{Name: "seconds", Label: "seconds per cell", Better: metrics.Lower, Role: RoleCost})
	if llm {
		sd.Scores = append(sd.Scores, ScreenScore{Name: "tokens", Label: "LLM tokens per cell", Better: metrics.Lower},
			ScreenScore{Name: "cost_usd", Label: "LLM dollars per cell", Better: metrics.Lower})
	}
	rank := map[string]float64{}
	for _, r := range rankDataset(d) {
		rank[r.Label] = r.MeanRank
	}
	var ranked, unranked []ScreenRow
	for i, me := range d.Methods {
		row := ScreenRow{Method: me.Label, Produced: OursLabel(me), Rank: rank[me.Label]}
		for j := range d.Metrics {
			c := d.Cells[i][j]
			row.Values = append(row.Values, ScreenValue{Stat: c.Stat, Best: c.Best && len(d.Methods) > 1, Reason: c.Reason})
			if d.Metrics[j].Name == "exact_match_rate" && c.N > 0 && c.Mean >= copyShare {
				row.Flags = append(row.Flags, fmt.Sprintf("copies training records (exact-match rate %s)", FormatValue(c.Mean)))
			}
		}
		row.Values = append(row.Values, ScreenValue{Stat: me.TotalS})
		if llm {
			row.Values = append(row.Values, ScreenValue{Stat: me.Tokens}, ScreenValue{Stat: me.CostUSD})
		}
		if me.OK == 0 {
			row.Flags = append(row.Flags, "no cell ended ok")
		}
		if row.Rank > 0 {
			ranked = append(ranked, row)
		} else {
			unranked = append(unranked, row)
		}
	}
	sortRows(ranked)
	sd.Rows = append(ranked, unranked...)
	markCostBest(sd)
	return sd
}

// sortRows orders rows by rank, stably.
func sortRows(rows []ScreenRow) {
	slices.SortStableFunc(rows, func(a, b ScreenRow) int { return cmp.Compare(a.Rank, b.Rank) })
}

// markCostBest marks the lowest mean of each cost column.
func markCostBest(sd ScreenDataset) {
	for k, s := range sd.Scores {
		if s.Name != "seconds" && s.Name != "tokens" && s.Name != "cost_usd" {
			continue
		}
		best := math.Inf(1)
		for _, r := range sd.Rows {
			if v := r.Values[k]; v.N > 0 {
				best = min(best, v.Mean)
			}
		}
		for _, r := range sd.Rows {
			if v := &r.Values[k]; v.N > 0 && v.Mean == best && len(sd.Rows) > 1 {
				v.Best = true
			}
		}
	}
}
