package reports

import (
	"math"
	"slices"
	"strconv"
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
	// Variants, when set, makes ours the mean over these variants of the
	// score (Metric.Variant: the utility group's classifiers), seed by
	// seed, as a published mean over several classifiers is.
	Variants []string
	// RealName is the score of ours set beside a published row of the
	// real training data (PaperRow.Real): Name's train-on-real
	// counterpart.
	RealName string
	// Variant, when set, is the one variant of the score that corresponds
	// (Metric.Variant: a query category, a rejection rate's level and
	// rule).
	Variant string
}

// PaperRow is one method of a published table.
type PaperRow struct {
	// Method is the name as published; Ours lists our registry names that
	// run the same method.
	Method string
	Ours   []string
	// Values are the published numbers, one per metric; NaN where the
	// source gives none.
	Values []float64
	// Real marks the published row of the real training data: ours is
	// each metric's RealName score, from the first of our methods whose
	// cells have it (every method's cells train on the same real rows).
	Real bool
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

func pub(method string, ours []string, values ...float64) PaperRow {
	return PaperRow{Method: method, Ours: ours, Values: values}
}

// sdgymClassifiers are ours that stand in for SDGym's four.
var sdgymClassifiers = []string{"logistic", "tree", "forest"}

func utilityCol(label, name, realName string) PaperMetric {
	return PaperMetric{Label: label, Group: "utility", Name: name, Columns: []string{"income"},
		Variants: sdgymClassifiers, RealName: realName}
}

// categoryMRE is a column of the paper's Table 4: the mean relative error of
// one category of policy queries (metrics.Queries).
func categoryMRE(category string) PaperMetric {
	return PaperMetric{Label: category + " MRE", Group: "queries", Name: "query_category_mre", Columns: []string{}, Variant: category}
}

// rejection is the overall rejection rate of one level of the plausibility
// rules (metrics.Plausibility): "group" for households, "record" for
// persons.
func rejection(label, level string) PaperMetric {
	return PaperMetric{Label: label, Group: "plausibility", Name: "rule_rejection_rate", Columns: []string{}, Variant: level + ", all"}
}

// populationProtocol is how LLMSynthor §5.2 measured the population
// numbers and where ours differ.
const populationProtocol = "paper: 2023 ACS PUMS South Carolina, 15,380 family households of 2–5 persons, " +
	"LLMSynthor on GPT-4.1-nano; ours: the controlled population generator (the ACS extract is not obtainable here), " +
	"the run's households and seeds, real = the run's training split. "

// Papers are the tables of ../shared/docs/LLMSYNTHOR.md §5.1 (paper Table
// 1–2, e-commerce) and §5.2 (Table 4 and the rejection rates, population),
// and DATASETS.md (Adult: SDMetrics quality, SDGym utility).
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
			pub("LLMSynthor", []string{"llmsynthor"}, 1.13, 0.002, 0.002, 0.010, 12.762, 0.003, 0.071, 0.134, 0.007),
			pub("TabSyn", nil, 1.196, 0.012, 0.007, 0.045, 114.12, 0.028, 0.083, 0.237, 0.027),
			pub("TVAE", nil, 2.06, 0.008, 0.056, 0.054, 113.194, 0.017, 0.23, 0.245, 0.185),
			pub("CTGAN", nil, 4.429, 0.117, 0.162, 0.080, 138.998, 0.088, 0.133, 0.298, 0.145),
			pub("GReaT", nil, 2.862, 0.016, 0.039, 0.045, 169.866, 0.009, 0.087, 0.382, 0.038),
			pub("IPF", []string{"ipf"}, 5.27, 0.018, 0.026, 0.012, 139.957, 0.035, 0.117, 0.504, 0.113),
			pub("LLM-ICL", []string{"llm-icl"}, 20.61, 0.026, 0.024, 0.441, 279.743, 0.163, 0.437, 0.591, 0.476),
		},
	},
	{
		Dataset: "population",
		Source:  "LLMSynthor (arXiv 2505.14752), population, Table 4: policy-query mean relative error by category",
		Protocol: populationProtocol + "16 policy queries, relative error |synth − real| / |real| averaged per category; " +
			"the definitions the paper leaves open (child < 18, elderly ≥ 65, employed = Employed or Military, " +
			"a household's race = its householder's) are ours: rules/paper/population.queries. " +
			"The paper reports these figures for LLMSynthor only. A stat-planner LLMSynthor uses no LLM.",
		Metrics: []PaperMetric{categoryMRE("Demographics"), categoryMRE("Employment"), categoryMRE("Equity"),
			categoryMRE("Household"), categoryMRE("Mobility"), categoryMRE("Vulnerability")},
		Rows: []PaperRow{
			pub("LLMSynthor", []string{"llmsynthor"}, 0.21, 0.20, 0.25, 0.13, 0.35, 0.37),
		},
	},
	{
		Dataset: "population",
		Source:  "LLMSynthor (arXiv 2505.14752), population, §5.2: rejection rates under the plausibility rules",
		Protocol: populationProtocol + "household: the share of households breaking a household rule or holding a person " +
			"who breaks one; person: the share of persons breaking a person rule; the paper checks 10,000 households per " +
			"method, ours the run's; the employment-age rule is ours (rules/paper/population.rules). " +
			"HMM, CP and NVI are not run here; the paper gives a person rate for LLMSynthor only. " +
			"A stat-planner LLMSynthor uses no LLM.",
		Metrics: []PaperMetric{rejection("household rejection", "group"), rejection("person rejection", "record")},
		Rows: []PaperRow{
			pub("LLMSynthor", []string{"llmsynthor"}, 0.133, 0.063),
			pub("HMM", nil, 0.578, math.NaN()),
			pub("CP", nil, 0.739, math.NaN()),
			pub("NVI", nil, 0.968, math.NaN()),
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
			pub("independent columns", []string{"independent"}, 0.881),
			pub("SDV Gaussian copula", []string{"gaussian-copula"}, 0.814),
			pub("SDV CTGAN (10 epochs)", nil, 0.80),
		},
	},
	{
		Dataset: "adult",
		Source:  "SDGym leaderboard (2020) on Adult, train on synthetic, test on real (DATASETS.md)",
		Protocol: "published: accuracy and F1 averaged over decision tree, AdaBoost, logistic regression and MLP, " +
			"scored on Adult's test split; the real-data row trains on the whole train split. " +
			"Ours: the utility group's logistic regression, decision tree and random forest, averaged seed by seed, " +
			"then mean ± sd over seeds; trained on the run's (possibly subsampled) training rows and scored on its " +
			"holdout of the train split, not the test split; our F1 is the macro F1 over both income classes, " +
			"the published one is Adult's binary F1 (of the >50K class), so ours runs higher; " +
			"the real-data row is our train-on-real (trtr) score. Our bayes-net has k parents per column " +
			"(k = 1 is a Chow-Liu tree; default 2); no privacy noise, unlike PrivBayes.",
		Metrics: []PaperMetric{
			utilityCol("accuracy (mean of classifiers)", "tstr_accuracy", "trtr_accuracy"),
			utilityCol("F1 (mean of classifiers)", "tstr_macro_f1", "trtr_macro_f1"),
		},
		Rows: []PaperRow{
			{Method: "real training data", Values: []float64{0.824, 0.663}, Real: true},
			pub("TVAE", nil, 0.803, 0.619),
			pub("CTGAN", nil, 0.798, 0.602),
			pub("PrivBayes", nil, 0.795, 0.429),
			pub("Gaussian copula", []string{"gaussian-copula"}, 0.780, 0.198),
			pub("Chow-Liu Bayesian network", []string{"bayes-net"}, 0.769, 0.305),
			pub("independent columns", []string{"independent"}, 0.638, 0.151),
			pub("uniform", []string{"uniform"}, 0.495, 0.242),
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

// Diff is ours minus published on metric k; ok is false without a value
// on either side.
func (b Beside) Diff(k int) (float64, bool) {
	if b.Cells[k].N == 0 || math.IsNaN(b.Row.Values[k]) {
		return 0, false
	}
	return b.Cells[k].Mean - b.Row.Values[k], true
}

// PaperBeside pairs each of d's methods with the published rows of the same
// method (by registry name), and a published real-data row with our
// train-on-real scores. A row matches on a metric when our score has the
// same group, name and columns (its params aside), and one of the variants
// where the metric names them.
func PaperBeside(d *Dataset) []Beside {
	var out []Beside
	for pi := range Papers {
		p := &Papers[pi]
		if !sameDataset(p.Dataset, d.Name) {
			continue
		}
		for _, row := range p.Rows {
			if row.Real {
				if b, ok := realBeside(d, p, row); ok {
					out = append(out, b)
				}
				continue
			}
			for i, me := range d.Methods {
				if !containsName(row.Ours, me.Name) {
					continue
				}
				if b, ok := beside(d, i, p, row, me, false); ok {
					out = append(out, b)
				}
			}
		}
	}
	return out
}

// beside sets row beside method i's scores (the RealName ones for real),
// shown as ours; ok is false when i has none of the published metrics.
func beside(d *Dataset, i int, p *Published, row PaperRow, ours *Method, real bool) (Beside, bool) {
	b, has := Beside{Published: p, Row: row, Ours: ours}, false
	for _, pm := range p.Metrics {
		name := pm.Name
		if real {
			name = pm.RealName
		}
		c, dec, tg, ok := oursCell(d, i, pm, name)
		b.Cells = append(b.Cells, c)
		b.Targeted = append(b.Targeted, tg)
		b.Decimals = append(b.Decimals, dec)
		has = has || ok
	}
	return b, has
}

// realBeside sets a published real-data row beside the RealName scores of
// the first of d's methods with a value on each.
func realBeside(d *Dataset, p *Published, row PaperRow) (Beside, bool) {
	for i, me := range d.Methods {
		b, _ := beside(d, i, p, row, &Method{Label: "real training data (trtr, from the " + me.Label + " cells)"}, true)
		if !slices.ContainsFunc(b.Cells, func(c Cell) bool { return c.N == 0 }) {
			return b, true
		}
	}
	return Beside{}, false
}

// oursCell is method i's cell on the score name of pm's group and columns,
// with its decimals and whether it was targeted; over pm.Variants, the
// per-seed mean of the variants' values, on the seeds all of them have.
// ok is false when d lacks the score (or one of its variants).
func oursCell(d *Dataset, i int, pm PaperMetric, name string) (c Cell, dec int, tg *bool, ok bool) {
	variants := pm.Variants
	if len(variants) == 0 {
		variants = []string{""}
	}
	var cells []Cell
	dec = 3
	for _, v := range variants {
		found := false
		for j, mt := range d.Metrics {
			if mt.Group == pm.Group && mt.Name == name && slices.Equal(mt.Columns, pm.Columns) && (v == "" || mt.Variant == v) &&
				(pm.Variant == "" || mt.Variant == pm.Variant) {
				cells, dec, tg, found = append(cells, d.Cells[i][j]), mt.Decimals, mt.Targeted, true
				break
			}
		}
		if !found {
			return Cell{}, dec, nil, false
		}
	}
	if len(pm.Variants) == 0 {
		return cells[0], dec, tg, true
	}
	return meanOverVariants(cells), dec, tg, true
}

// meanOverVariants averages cells of one method seed by seed, keeping the
// seeds every cell has.
func meanOverVariants(cells []Cell) Cell {
	sum, n := map[uint64]float64{}, map[uint64]int{}
	for _, c := range cells {
		for k, s := range c.Seeds {
			sum[s] += c.Values[k]
			n[s]++
		}
	}
	var out Cell
	for _, s := range cells[0].Seeds {
		if n[s] == len(cells) {
			out.Seeds = append(out.Seeds, s)
			out.Values = append(out.Values, sum[s]/float64(len(cells)))
		}
	}
	out.Stat = newStat(out.Values)
	if out.N == 0 {
		out.Reason = "no seed with every classifier's score"
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

// PaperSection is one published table set beside a dataset's scores: each
// of its rows beside our methods that run the same method.
type PaperSection struct {
	Published *Published
	Beside    []Beside
}

// PaperSections groups PaperBeside(d) by published table, in the order of
// Papers; a table none of whose rows meets ours is left out.
func PaperSections(d *Dataset) []PaperSection {
	var out []PaperSection
	for _, b := range PaperBeside(d) {
		if len(out) == 0 || out[len(out)-1].Published != b.Published {
			out = append(out, PaperSection{Published: b.Published})
		}
		out[len(out)-1].Beside = append(out[len(out)-1].Beside, b)
	}
	return out
}

// Table is the published table with ours below it: a row per published
// method ("—" where the source gives no number), then a row per method of
// d with any of its scores (mean ± sd over seeds), and our train-on-real
// row where the table has a real-data row.
func (sec PaperSection) Table(d *Dataset) (header []string, rows [][]string) {
	p := sec.Published
	header = []string{"method"}
	for _, m := range p.Metrics {
		header = append(header, m.Label)
	}
	for _, r := range p.Rows {
		row := []string{"published: " + r.Method}
		for _, v := range r.Values {
			row = append(row, publishedText(v))
		}
		rows = append(rows, row)
	}
	for i, me := range d.Methods {
		row, has := []string{"ours: " + me.Label}, false
		for _, pm := range p.Metrics {
			c, _, _, ok := oursCell(d, i, pm, pm.Name)
			row = append(row, formatCell(c, false, nil))
			has = has || (ok && c.N > 0)
		}
		if has {
			rows = append(rows, row)
		}
	}
	for _, b := range sec.Beside {
		if b.Row.Real {
			row := []string{"ours: " + b.Ours.Label}
			for _, c := range b.Cells {
				row = append(row, formatCell(c, false, nil))
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

// publishedText is a published number as the source prints it, "—" for
// none.
func publishedText(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
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
