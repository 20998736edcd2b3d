package metrics

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/synthor/synthor/table"
)

// The SDMetrics pair conventions, the values of QualityConfig.PairFilter and
// Input.PairFilter.
const (
	// PairFilterSDMetrics is the default of SDMetrics 0.27 and later: a
	// column pair counts towards Column Pair Trends only where the real
	// table's |Pearson r| > 0.5 (two continuous columns) or Cramér's V > 0.3
	// (any other pair); the others are reported as skipped.
	PairFilterSDMetrics = "sdmetrics"
	// PairFilterAll counts every pair that has a score (SDMetrics before 0.27).
	PairFilterAll = "all"
)

// The thresholds of PairFilterSDMetrics (SDMetrics' QualityReport
// defaults real_correlation_threshold and real_association_threshold).
const (
	sdmCorrelationThreshold = 0.5
	sdmAssociationThreshold = 0.3
)

// The score names of the SDMetrics report, as they appear in Score.Name.
const (
	NameKSComplement          = "ks_complement"
	NameTVComplement          = "tv_complement"
	NameCorrelationSimilarity = "correlation_similarity"
	NameContingencySimilarity = "contingency_similarity"
	NameColumnShapes          = "column_shapes"
	NameColumnPairTrends      = "column_pair_trends"
	NameSDMetricsQuality      = "sdmetrics_quality"
)

// sdmGroup is the Score.Group of every score of the report.
const sdmGroup = "sdmetrics"

// QualityConfig configures NewQualityReport. The zero value is the SDMetrics
// default report.
type QualityConfig struct {
	// PairFilter is the pair convention: PairFilterSDMetrics ("sdmetrics",
	// also when empty) or PairFilterAll ("all").
	PairFilter string
	// Workers is the number of goroutines that score columns and pairs
	// (0: runtime.GOMAXPROCS). The result does not depend on it.
	Workers int
}

// DefaultQualityConfig is the SDMetrics default report on every core.
var DefaultQualityConfig = QualityConfig{PairFilter: PairFilterSDMetrics}

// Validate reports a bad pair_filter or a negative workers count.
func (c QualityConfig) Validate() error {
	switch c.PairFilter {
	case "", PairFilterSDMetrics, PairFilterAll:
	default:
		return fmt.Errorf("sdmetrics: pair_filter %q is not valid (valid: %s, %s)", c.PairFilter, PairFilterSDMetrics, PairFilterAll)
	}
	if c.Workers < 0 {
		return fmt.Errorf("sdmetrics: workers %d is negative", c.Workers)
	}
	return nil
}

func (c QualityConfig) filter() string {
	if c.PairFilter == "" {
		return PairFilterSDMetrics
	}
	return c.PairFilter
}

// QualityReport is the SDMetrics single-table quality report of a synthetic
// table against a real one: the Column Shapes and Column Pair Trends
// properties and their mean. Every value is in [0, 1], higher is better, NaN
// when undefined (with a Reason).
//
// Overall = mean(Column Shapes, Column Pair Trends), NaN properties left out.
// Column Shapes = mean of the column scores, NaN left out. Column Pair Trends
// = mean of the counted pair scores.
//
// Reference: SDMetrics QualityReport (sdmetrics.reports.single_table), see
// https://docs.sdv.dev/sdmetrics/reports/quality-report; this
// implementation reproduces SDMetrics 0.29 to within 1e-9, including its
// quirks (testdata/sdmetrics/README.md), except that it never subsamples.
type QualityReport struct {
	// PairFilter is the pair convention used: "sdmetrics" or "all".
	PairFilter string
	// Score is the overall score.
	Score float64
	// ScoreReason says why Score is NaN.
	ScoreReason string
	// ColumnShapes is the Column Shapes property.
	ColumnShapes float64
	// ColumnShapesReason says why ColumnShapes is NaN.
	ColumnShapesReason string
	// ColumnPairTrends is the Column Pair Trends property.
	ColumnPairTrends float64
	// ColumnPairTrendsReason says why ColumnPairTrends is NaN.
	ColumnPairTrendsReason string
	// Columns holds one entry per scored column, in the real table's order
	// (text columns are not scored).
	Columns []ColumnShape
	// Pairs holds one entry per pair of scored columns, in the order of
	// itertools.combinations over Columns.
	Pairs []PairTrend
}

// ColumnShape is the score of one column.
type ColumnShape struct {
	Column string
	// Metric is NameKSComplement (numeric and datetime columns) or
	// NameTVComplement (categorical columns).
	Metric string
	// Value is in [0, 1]; NaN when undefined, with Reason.
	Value  float64
	Reason string
}

// PairTrend is the score of one column pair.
type PairTrend struct {
	Columns [2]string
	// Metric is NameCorrelationSimilarity (two numeric or datetime columns)
	// or NameContingencySimilarity (any other pair).
	Metric string
	// Value is in [0, 1]; NaN when undefined or skipped, with Reason.
	Value float64
	// Counted reports whether Value entered Column Pair Trends.
	Counted bool
	// RealCorrelation and SyntheticCorrelation are the Pearson correlations
	// of a correlation pair (NaN when not computed).
	RealCorrelation, SyntheticCorrelation float64
	// RealAssociation is the real table's Cramér's V of a contingency pair
	// under PairFilterSDMetrics (NaN when not computed or undefined).
	RealAssociation float64
	Reason          string
}

// SDMetrics computes the SDMetrics-compatible quality report of in.Synth
// against in.Real with the pair convention in.PairFilter ("sdmetrics" when
// empty, or "all"), and returns it as scores: one ks_complement or
// tv_complement per column, one correlation_similarity or
// contingency_similarity per pair, then column_shapes, column_pair_trends
// and sdmetrics_quality. See QualityReport.
func SDMetrics(ctx context.Context, in Input) ([]Score, error) {
	r, err := NewQualityReport(ctx, in.Real, in.Synth, QualityConfig{PairFilter: in.PairFilter})
	if err != nil {
		return nil, err
	}
	return r.Scores(), nil
}

// How the report flows (sdmetrics*.go):
//
//  1. sdmColumns pairs each non-text column of real with synth's column of
//     the same name: integer, float and datetime columns are continuous,
//     categorical ones discrete.
//  2. Per column, in parallel (prepare): a discrete column maps both sides
//     onto the union of their categories as byte (or wider) codes, missing
//     a code of its own, and gets TVComplement from the code counts. A
//     continuous column gets its range, its 10-bin labels on each side
//     (each side's own edges, as the report does), its mean and Σ (x − x̄)²,
//     and KSComplement: integer and datetime columns whose joint range is
//     small are counted into one array per side (no sort), others are
//     radix-sorted.
//  3. sdmPlanLists picks the column sides whose rows off the most frequent
//     code are worth listing (that code holds 40 % of the rows or more and
//     the pairs counted through the list save more than it costs); they
//     are listed in parallel.
//  4. Per pair, in parallel: two continuous columns get Pearson correlations
//     (an exact integer sum for integer columns); any other pair a
//     contingency table per side, counted with interleaved tables over the
//     shorter row list (the dominant code's cells follow from the margins)
//     or over every row. Under the sdmetrics filter the real side decides
//     first and the synthetic side is skipped for pairs below threshold.
//  5. aggregate: the two property means and their mean.
//
// Unlike SDMetrics, which draws 50,000 rows without a seed for each
// contingency pair of a larger table, every row is used, so the numbers are
// reproducible and exact at any size; up to 50,000 rows they equal
// SDMetrics'.

// NewQualityReport scores synth against real. Columns are matched by name
// and taken in real's order; real's kinds decide the metric (integer, float
// and datetime columns are continuous, categorical ones discrete, text
// columns are left out). It returns an error when cfg is invalid, a table is
// nil or over 2³¹−1 rows, or a column of real is absent from synth or of
// another family there;
// statistical trouble (empty or constant columns) gives NaN values with
// reasons instead. Neither table is modified.
func NewQualityReport(ctx context.Context, real, synth *table.Table, cfg QualityConfig) (*QualityReport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if real == nil || synth == nil {
		return nil, fmt.Errorf("sdmetrics: real and synthetic tables are required")
	}
	for _, t := range []*table.Table{real, synth} {
		if t.NumRows() > math.MaxInt32 {
			return nil, fmt.Errorf("sdmetrics: %d rows: tables over %d rows are not supported", t.NumRows(), math.MaxInt32)
		}
	}
	cols, err := sdmColumns(real, synth)
	if err != nil {
		return nil, err
	}
	workers := cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rep := &QualityReport{PairFilter: cfg.filter()}
	filter := rep.PairFilter == PairFilterSDMetrics

	// Step 1: per column, codes for the contingency tables, moments for the
	// correlations, and the column score.
	// Continuous columns (the slower ones) go first so that no worker is
	// left with one at the end.
	rep.Columns = make([]ColumnShape, len(cols))
	order := make([]int, 0, len(cols))
	for _, cont := range []bool{true, false} {
		for i, c := range cols {
			if c.cont == cont {
				order = append(order, i)
			}
		}
	}
	if err := sdmParallel(ctx, workers, len(cols), func(i int) {
		rep.Columns[order[i]] = cols[order[i]].prepare()
	}); err != nil {
		return nil, err
	}

	// Step 2: the row lists worth building; under the sdmetrics filter only
	// the real side's, as few pairs reach the synthetic side.
	sides := []int{sdmReal, sdmSynth}
	if filter {
		sides = sides[:1]
	}
	type listJob struct{ col, side int }
	var lists []listJob
	for i, p := range sdmPlanLists(cols, sides) {
		for s, ok := range p {
			if ok {
				lists = append(lists, listJob{i, s})
			}
		}
	}
	if err := sdmParallel(ctx, workers, len(lists), func(i int) {
		c, s := cols[lists[i].col], lists[i].side
		c.sp[s] = newSDMSparse(&c.codes[s], c.count[s], c.rows[s])
	}); err != nil {
		return nil, err
	}

	// Step 3: every pair, pulled by the workers one at a time, the most
	// rows to count first.
	type job struct{ a, b, slot, cost int }
	var jobs []job
	for a := range cols {
		for b := a + 1; b < len(cols); b++ {
			jobs = append(jobs, job{a, b, len(jobs), sdmPairCost(cols[a], cols[b])})
		}
	}
	slices.SortStableFunc(jobs, func(x, y job) int { return y.cost - x.cost })
	rep.Pairs = make([]PairTrend, len(jobs))
	if err := sdmParallel(ctx, workers, len(jobs), func(i int) {
		j := jobs[i]
		rep.Pairs[j.slot] = sdmPair(cols[j.a], cols[j.b], filter)
	}); err != nil {
		return nil, err
	}
	for _, c := range cols {
		c.release()
	}
	rep.aggregate()
	return rep, nil
}

// sdmPairCost estimates the rows a pair's scoring visits, for scheduling.
func sdmPairCost(a, b *sdmCol) int {
	cost := 0
	for s := range 2 {
		n := a.rows[s]
		if pa := a.sp[s]; pa != nil {
			n = min(n, len(pa.rows))
		}
		if pb := b.sp[s]; pb != nil {
			n = min(n, len(pb.rows))
		}
		cost += n
	}
	return cost
}

// aggregate computes the properties and the overall score.
func (r *QualityReport) aggregate() {
	sum, n := 0.0, 0
	for _, c := range r.Columns {
		if !math.IsNaN(c.Value) {
			sum += c.Value
			n++
		}
	}
	r.ColumnShapes = math.NaN()
	switch {
	case len(r.Columns) == 0:
		r.ColumnShapesReason = "no column to score"
	case n == 0:
		r.ColumnShapesReason = "no column has a score"
	default:
		r.ColumnShapes = sum / float64(n)
	}
	sum, n = 0, 0
	for _, p := range r.Pairs {
		if p.Counted {
			sum += p.Value
			n++
		}
	}
	r.ColumnPairTrends = math.NaN()
	switch {
	case len(r.Pairs) == 0:
		r.ColumnPairTrendsReason = "fewer than two columns to pair"
	case n == 0 && r.PairFilter == PairFilterSDMetrics:
		r.ColumnPairTrendsReason = "no pair has a score and passes the sdmetrics pair filter (real |pearson r| > 0.5 or cramér's v > 0.3)"
	case n == 0:
		r.ColumnPairTrendsReason = "no pair has a score"
	default:
		r.ColumnPairTrends = sum / float64(n)
	}
	sum, n = 0, 0
	for _, v := range []float64{r.ColumnShapes, r.ColumnPairTrends} {
		if !math.IsNaN(v) {
			sum += v
			n++
		}
	}
	r.Score = math.NaN()
	if n == 0 {
		r.ScoreReason = "neither column shapes nor column pair trends has a score"
	} else {
		r.Score = sum / float64(n)
	}
}

// PairsCounted returns how many pairs entered Column Pair Trends.
func (r *QualityReport) PairsCounted() int {
	n := 0
	for _, p := range r.Pairs {
		if p.Counted {
			n++
		}
	}
	return n
}

// Scores returns the report as scores of group "sdmetrics": the columns,
// the pairs, then column_shapes, column_pair_trends and sdmetrics_quality.
// Pair and property scores carry the convention in Params["pair_filter"];
// pair scores also carry the correlations or association they computed.
func (r *QualityReport) Scores() []Score {
	out := make([]Score, 0, len(r.Columns)+len(r.Pairs)+3)
	out = append(out, r.columnScores()...)
	for _, p := range r.Pairs {
		params := map[string]any{"pair_filter": r.PairFilter}
		for k, v := range map[string]float64{
			"real_correlation":      p.RealCorrelation,
			"synthetic_correlation": p.SyntheticCorrelation,
			"real_association":      p.RealAssociation,
		} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				params[k] = v
			}
		}
		out = append(out, sdmScore(p.Metric, []string{p.Columns[0], p.Columns[1]}, p.Value, p.Reason, params))
	}
	return append(out, r.propertyScores()...)
}

// columnScores returns the column scores of the report.
func (r *QualityReport) columnScores() []Score {
	out := make([]Score, 0, len(r.Columns))
	for _, c := range r.Columns {
		out = append(out, sdmScore(c.Metric, []string{c.Column}, c.Value, c.Reason, nil))
	}
	return out
}

// propertyScores returns column_shapes, column_pair_trends and
// sdmetrics_quality.
func (r *QualityReport) propertyScores() []Score {
	scored := 0
	for _, c := range r.Columns {
		if !math.IsNaN(c.Value) {
			scored++
		}
	}
	return []Score{
		sdmScore(NameColumnShapes, nil, r.ColumnShapes, r.ColumnShapesReason,
			map[string]any{"pair_filter": r.PairFilter, "columns": len(r.Columns), "columns_scored": scored}),
		sdmScore(NameColumnPairTrends, nil, r.ColumnPairTrends, r.ColumnPairTrendsReason,
			map[string]any{"pair_filter": r.PairFilter, "pairs": len(r.Pairs), "pairs_counted": r.PairsCounted()}),
		sdmScore(NameSDMetricsQuality, nil, r.Score, r.ScoreReason,
			map[string]any{"pair_filter": r.PairFilter}),
	}
}

func sdmScore(name string, cols []string, v float64, reason string, params map[string]any) Score {
	s := Score{Name: name, Group: sdmGroup, Columns: cols, Value: v, Better: Higher, Params: params}
	if math.IsNaN(v) {
		s.Reason = reason
	}
	return s
}

// sdmParallel runs f(0..n-1) on up to workers goroutines, stopping early
// when ctx is done.
func sdmParallel(ctx context.Context, workers, n int, f func(i int)) error {
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n; i++ {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("sdmetrics: %w", err)
			}
			f(i)
		}
		return nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sdmetrics: %w", err)
	}
	return nil
}
