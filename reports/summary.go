package reports

import (
	"slices"
	"strings"
)

// Headline names the whole-table scores a summary shows, in order: the
// SDMetrics quality and its two properties, the classifier two-sample
// test, utility with the random forest, and the privacy scores. A
// dataset shows those its cells have.
var Headline = []string{
	"sdmetrics_quality", "column_shapes", "column_pair_trends", "c2st_auc",
	"tstr_accuracy", "tstr_trtr_ratio", "tstr_r2",
	"dcr_share", "exact_match_rate", "duplicate_rate",
	"rule_rejection_rate", "query_category_mre",
}

// headlineVariant is the variant a headline score is shown in, where a
// score comes in several (one per classifier, per rule).
var headlineVariant = map[string]string{"utility": "forest", "plausibility": "all"}

// Summary returns the model cut down to the Headline scores of each
// dataset, for a one-screen view (the printout of synthor run); the ranking
// and the published tables beside ours stay the full model's.
func Summary(m *Model) *Model {
	out := &Model{Ranking: m.Ranking, full: m}
	for _, d := range m.Datasets {
		var keep []int
		for _, name := range Headline {
			for j, mt := range d.Metrics {
				if mt.Name == name && headlineScore(mt) {
					keep = append(keep, j)
					break // one row a name (fidelity repeats SDMetrics' properties)
				}
			}
		}
		s := &Dataset{Name: d.Name, Methods: d.Methods, Ranking: d.Ranking, Cells: make([][]Cell, len(d.Cells))}
		for _, j := range keep {
			s.Metrics = append(s.Metrics, d.Metrics[j])
		}
		for i, row := range d.Cells {
			for _, j := range keep {
				s.Cells[i] = append(s.Cells[i], row[j])
			}
		}
		out.Datasets = append(out.Datasets, s)
	}
	return out
}

// headlineScore reports whether mt is a whole-table score (over no column
// or several: a C2ST over every column of the data, derived labels aside)
// in the variant a summary shows.
func headlineScore(mt *Metric) bool {
	if len(mt.Columns) == 1 && mt.Group != "utility" {
		return false
	}
	want, ok := headlineVariant[mt.Group]
	if !ok {
		return mt.Variant == ""
	}
	return mt.Variant == want || slices.Contains(splitVariant(mt.Variant), want)
}

func splitVariant(v string) []string { return strings.Split(v, ", ") }
