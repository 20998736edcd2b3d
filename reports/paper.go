package reports

import (
	"strings"
)

// Published numbers set beside ours.

// PaperMetric is one column of a published table and the score of ours it
// corresponds to.
type PaperMetric struct {
	Label   string
	Group   string
	Name    string
	Columns []string
}

// PaperRow is one method of a published table.
type PaperRow struct {
	// Method is the name as published; Ours lists our registry names that
	// run the same method.
	Method string
	Ours   []string
	Values []float64
}

// Published is a published table for one dataset.
type Published struct {
	Dataset string
	Source  string
	// Protocol says how the published numbers were obtained and where ours
	// differ.
	Protocol string
	Metrics  []PaperMetric
	Rows     []PaperRow
}

func col(label, group, name string, cols ...string) PaperMetric {
	return PaperMetric{Label: label, Group: group, Name: name, Columns: cols}
}

// Papers are the tables of ../shared/docs/LLMSYNTHOR.md §5.1 (paper Table
// 1–2, e-commerce) and DATASETS.md (Adult).
var Papers = []Published{
	{
		Dataset: "ecommerce-bn",
		Source:  "LLMSynthor (arXiv 2505.14752), e-commerce, Tables 1–2",
		Protocol: "paper: GPT-4.1-nano, 2,000 records, mean of at least 3 runs, against a 2,000-record reference; " +
			"ours: the run's rows and seeds; JSD of numeric columns over quantile bins (the paper does not give its binning). " +
			"A stat-planner LLMSynthor uses no LLM.",
		Metrics: []PaperMetric{
			col("age W", "fidelity", "wasserstein", "user_age"),
			col("gender TVD", "fidelity", "tvd", "user_gender"),
			col("tier TVD", "fidelity", "tvd", "user_location_tier"),
			col("category TVD", "fidelity", "tvd", "product_category"),
			col("price W", "fidelity", "wasserstein", "price"),
			col("payment TVD", "fidelity", "tvd", "payment_method"),
			col("JSD [A,G,C]", "fidelity", "jsd", "user_age", "user_gender", "product_category"),
			col("JSD [C,X]", "fidelity", "jsd", "product_category", "price"),
			col("JSD [L,M]", "fidelity", "jsd", "user_location_tier", "payment_method"),
		},
		Rows: []PaperRow{
			{"LLMSynthor", []string{"llmsynthor"}, []float64{1.13, 0.002, 0.002, 0.010, 12.762, 0.003, 0.071, 0.134, 0.007}},
			{"TabSyn", nil, []float64{1.196, 0.012, 0.007, 0.045, 114.12, 0.028, 0.083, 0.237, 0.027}},
			{"TVAE", nil, []float64{2.06, 0.008, 0.056, 0.054, 113.194, 0.017, 0.23, 0.245, 0.185}},
			{"CTGAN", nil, []float64{4.429, 0.117, 0.162, 0.080, 138.998, 0.088, 0.133, 0.298, 0.145}},
			{"GReaT", nil, []float64{2.862, 0.016, 0.039, 0.045, 169.866, 0.009, 0.087, 0.382, 0.038}},
			{"IPF", []string{"ipf"}, []float64{5.27, 0.018, 0.026, 0.012, 139.957, 0.035, 0.117, 0.504, 0.113}},
			{"LLM-ICL", []string{"llm-icl"}, []float64{20.61, 0.026, 0.024, 0.441, 279.743, 0.163, 0.437, 0.591, 0.476}},
		},
	},
	{
		Dataset: "adult",
		Source:  "SDMetrics 0.29 QualityReport on Adult, measured 2026-11-24 (DATASETS.md)",
		Protocol: "published: real = the train split, SDMetrics' default pair thresholds (13 of 105 pairs); " +
			"ours match when the sdmetrics group ran with --pair-filter sdmetrics on the train split; " +
			"SDV's Gaussian copula is another implementation than ours.",
		Metrics: []PaperMetric{col("SDMetrics quality", "sdmetrics", "sdmetrics_quality")},
		Rows: []PaperRow{
			{"independent columns", []string{"independent"}, []float64{0.881}},
			{"SDV Gaussian copula", []string{"gaussian-copula"}, []float64{0.814}},
			{"SDV CTGAN (10 epochs)", nil, []float64{0.80}},
		},
	},
}

// Beside is one published row next to one of our methods.
type Beside struct {
	Published *Published
	Row       PaperRow
	// Ours is the method of ours; Cells[k] its cell on Metrics[k] (N = 0
	// when it has none).
	Ours  *Method
	Cells []Cell
	// Targeted[k] says whether our score on Metrics[k] was a target (nil
	// when unknown).
	Targeted []*bool
	// Decimals per metric.
	Decimals []int
}

// Diff is ours minus published on metric k; ok is false without a value.
func (b Beside) Diff(k int) (float64, bool) {
	if b.Cells[k].N == 0 {
		return 0, false
	}
	return b.Cells[k].Mean - b.Row.Values[k], true
}

// PaperBeside pairs each of d's methods with the published rows of the same
// method (by registry name). A row matches on a metric when our score has
// the same group, name and columns (its params aside).
func PaperBeside(d *Dataset) []Beside {
	var out []Beside
	for pi := range Papers {
		p := &Papers[pi]
		if !sameDataset(p.Dataset, d.Name) {
			continue
		}
		for _, row := range p.Rows {
			for i, me := range d.Methods {
				if !containsName(row.Ours, me.Name) {
					continue
				}
				b := Beside{Published: p, Row: row, Ours: me}
				for _, pm := range p.Metrics {
					c, dec := Cell{}, 3
					var tg *bool
					for j, mt := range d.Metrics {
						if mt.Group == pm.Group && mt.Name == pm.Name && strings.Join(mt.Columns, ",") == strings.Join(pm.Columns, ",") {
							c, dec, tg = d.Cells[i][j], mt.Decimals, mt.Targeted
							break
						}
					}
					b.Cells = append(b.Cells, c)
					b.Targeted = append(b.Targeted, tg)
					b.Decimals = append(b.Decimals, dec)
				}
				out = append(out, b)
			}
		}
	}
	return out
}

// sameDataset matches a catalog name with its variants ("adult",
// "adult:train").
func sameDataset(pub, ours string) bool {
	return ours == pub || strings.HasPrefix(ours, pub+":") || strings.HasPrefix(ours, pub+"-train")
}

func containsName(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}

// OursLabel names our side of a comparison with what produced it.
func OursLabel(me *Method) string {
	parts := []string{me.Label}
	if me.Planner != "" {
		parts = append(parts, "planner "+me.Planner)
	}
	if me.Backend != "" {
		parts = append(parts, "backend "+me.Backend)
	} else if me.Planner == "stat" {
		parts = append(parts, "no LLM")
	}
	if me.Model != "" {
		parts = append(parts, me.Model)
	}
	return strings.Join(parts, ", ")
}
