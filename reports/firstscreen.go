package reports

import (
	"fmt"
	"strings"

	"github.com/synthor/synthor/metrics"
)

// FirstScreen is what the HTML report shows first: per dataset the
// headline scores of each method, with their uncertainty and, where known,
// their reference (what unseen real data scores), the methods' ranking
// with significance, and the scores the trade-off picture draws.
// FirstScreenOf fills it from the model's Scorecard.
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
	// ranking has one: the page then draws a critical-difference diagram
	// of Ranking.
	Critical float64
	Ranking  *Ranking
	// Notes are the lines under the scorecard: the ranking's verdict, the
	// copied-records flags, variants and missing values.
	Notes []string
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

// scoreRoles are the roles of the headline scores that have one.
var scoreRoles = map[string]string{
	"sdmetrics_quality": RoleFidelity, "c2st_auc": RoleDetection,
	"membership_auc": RolePrivacy, "dcr_share": RolePrivacy, CostSeconds: RoleCost,
}

// FirstScreenOf is the first screen of the model's Scorecard: each headline
// score as the seed mean with its t interval and reference, the methods in
// rank order with the groups the Nemenyi test cannot tell apart, and the
// methods whose records look copied flagged.
func FirstScreenOf(m *Model) FirstScreen {
	sc := m.Scorecard
	out := FirstScreen{Note: "seed mean with its 95% t interval [low, high] over the seeds that ended ok; ref: what unseen real data scores"}
	if sc == nil {
		return out
	}
	if sc.Level > 0 {
		out.Note = fmt.Sprintf("seed mean with its %g%% t interval [low, high] over the seeds that ended ok; ref: what unseen real data scores", 100*sc.Level)
	}
	for _, d := range sc.Datasets {
		out.Datasets = append(out.Datasets, screenDataset(d))
	}
	return out
}

// screenDataset is one dataset's scorecard as the first screen shows it.
func screenDataset(d *ScorecardDataset) ScreenDataset {
	sd := ScreenDataset{Name: d.Name, Ranking: d.Ranking, Notes: datasetNotes(d)}
	for _, c := range d.Columns {
		label := c.Label
		if c.Unit != "" {
			label += " (" + c.Unit + ")"
		}
		sd.Scores = append(sd.Scores, ScreenScore{Name: c.Key, Label: label, Better: c.Better, Role: scoreRoles[c.Key]})
	}
	rk := d.Ranking
	letters := cliqueLetters(rk)
	sd.RankNote = "ranked on the scorecard's quality scores (cost aside)"
	if rk != nil && rk.Significant {
		sd.Critical = rk.CD
		sd.RankNote += fmt.Sprintf("; methods sharing a letter are not significantly apart (Friedman, then Nemenyi at α = %g)", rk.Alpha)
	} else if rk != nil && rk.Friedman != nil {
		sd.RankNote += fmt.Sprintf("; the Friedman test finds no difference at α = %g: every method tied", rk.Alpha)
	}
	for _, me := range rankOrder(d) {
		row := ScreenRow{Method: me.Label, Produced: me.Description, Tie: letters[me.Label]}
		if rk != nil {
			for _, r := range rk.Methods {
				if r.Label == me.Label {
					row.Rank = r.MeanRank
				}
			}
		}
		if me.Copies != nil {
			row.Flags = append(row.Flags, me.Copies.Note())
		}
		if me.OK == 0 {
			row.Flags = append(row.Flags, "no cell ended ok: "+notOKReason(me))
		}
		for j, e := range me.Values {
			v := ScreenValue{Stat: e.Stat, Best: e.Best && len(d.Methods) > 1, Reason: e.Reason}
			if e.CI != nil {
				v.Lo, v.Hi, v.CI = e.CI[0], e.CI[1], true
			}
			ref := e.Reference
			if ref == nil {
				ref = d.Columns[j].Reference
			}
			if ref != nil {
				v.Ref, v.HasRef = *ref, true
			}
			row.Values = append(row.Values, v)
		}
		sd.Rows = append(sd.Rows, row)
	}
	return sd
}

// cliqueLetters names the ranking's groups of methods not significantly
// apart a, b, c, ... and gives each method the letters of its groups.
func cliqueLetters(rk *Ranking) map[string]string {
	out := map[string]string{}
	if rk == nil || !rk.Significant {
		return out
	}
	for k, c := range rk.Cliques {
		l := string(rune('a' + k%26))
		for _, label := range c {
			out[label] = strings.TrimSpace(out[label] + " " + l)
		}
	}
	return out
}
