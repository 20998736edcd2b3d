package reports

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// Scorecard is the headline view of a run: per dataset a handful of scores
// per method, each the mean over the seeds with a t-based confidence
// interval and, where the score has one, its reference (what unseen real
// data scores); the methods ranked on those scores with significance; and
// the methods whose records look copied. Every format shows it first.
type Scorecard struct {
	// Level is the confidence level of the intervals (0.95).
	Level float64 `json:"level"`
	// Scores is the headline set asked for, in column order.
	Scores []HeadlineScore `json:"scores"`
	// Copy is the rule that flags copied records.
	Copy     CopyRule            `json:"copy_rule"`
	Datasets []*ScorecardDataset `json:"datasets"`
	// Ranking ranks the methods over every dataset's blocks.
	Ranking *Ranking `json:"ranking"`
}

// ScorecardDataset is one dataset's scorecard: rows are methods, columns
// the headline scores its cells have.
type ScorecardDataset struct {
	Name    string          `json:"name"`
	Columns []ScoreColumn   `json:"columns"`
	Methods []*ScoredMethod `json:"methods"`
	Ranking *Ranking        `json:"ranking"`
}

// ScoreColumn is a headline score on one dataset, with its reference
// pooled over every cell that has one.
type ScoreColumn struct {
	HeadlineScore
	// Reference is the mean of the cells' references; nil when none has
	// one. ReferenceKind is "fixed" when every one is fixed by
	// construction, else "holdout".
	Reference     *float64 `json:"reference,omitempty"`
	ReferenceKind string   `json:"reference_kind,omitempty"`
	// Decimals is the number of decimals shown.
	Decimals int `json:"decimals"`
}

// ScoredMethod is a row of a dataset's scorecard.
type ScoredMethod struct {
	Label       string `json:"label"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Planner     string `json:"planner,omitempty"`
	Backend     string `json:"backend,omitempty"`
	Model       string `json:"model,omitempty"`
	// Seeds counts the method's cells, OK those that ended ok.
	Seeds int `json:"seeds"`
	OK    int `json:"ok"`
	// NotOK is the status and reason of the first cell that did not end
	// ok, empty when all did.
	NotOK string `json:"not_ok,omitempty"`
	// Values[j] is the estimate of Columns[j].
	Values []Estimate `json:"values"`
	// Copies is set when the method's records look copied.
	Copies *CopyFlag `json:"copies,omitempty"`
}

// Estimate is a headline score of one method on one dataset over its
// seeds.
type Estimate struct {
	Stat
	// CI is the confidence interval of the mean (Scorecard.Level, Student's
	// t with N−1 degrees of freedom); nil below two values.
	CI *[2]float64 `json:"ci,omitempty"`
	// Values and Seeds are the per-seed values, in seed order.
	Values []float64 `json:"values,omitempty"`
	Seeds  []uint64  `json:"seeds,omitempty"`
	// Reference is the mean of the cells' references, nil when none has
	// one; ReferenceKind as in metrics.Score.
	Reference     *float64 `json:"reference,omitempty"`
	ReferenceKind string   `json:"reference_kind,omitempty"`
	// Variant names the params that tell the score apart from others of
	// its name ("classifier=forest").
	Variant string `json:"variant,omitempty"`
	// Best marks the best mean of the column (ties all marked).
	Best bool `json:"best,omitempty"`
	// Reason says why there is no value.
	Reason string `json:"reason,omitempty"`
}

// HalfWidth is half the interval's width, NaN without one.
func (e Estimate) HalfWidth() float64 {
	if e.CI == nil {
		return math.NaN()
	}
	return (e.CI[1] - e.CI[0]) / 2
}

// ScorecardOptions configure NewScorecard; the zero value takes the
// defaults.
type ScorecardOptions struct {
	// Scores is the headline set; nil means DefaultHeadline.
	Scores []HeadlineScore
	// Level is the intervals' confidence level; 0 means DefaultLevel.
	Level float64
	// Alpha is the ranking tests' level; 0 means DefaultAlpha.
	Alpha float64
	// Copy is the copied-records rule; the zero value means DefaultCopyRule.
	Copy CopyRule
}

func (o ScorecardOptions) withDefaults() ScorecardOptions {
	if o.Scores == nil {
		o.Scores = DefaultHeadline()
	}
	if o.Level == 0 {
		o.Level = DefaultLevel
	}
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if o.Copy == (CopyRule{}) {
		o.Copy = DefaultCopyRule
	}
	return o
}

// NewScorecard builds the scorecard of rs. Datasets and methods keep their
// first appearance's order; a dataset's columns are the headline scores
// some method has a value for, in the order asked.
func NewScorecard(rs []bench.Result, o ScorecardOptions) *Scorecard {
	o = o.withDefaults()
	sc := &Scorecard{Level: o.Level, Scores: o.Scores, Copy: o.Copy}
	byName := map[string]*scoreBuilder{}
	var order []*scoreBuilder
	for i := range rs {
		r := &rs[i]
		b := byName[r.Dataset]
		if b == nil {
			b = &scoreBuilder{d: &ScorecardDataset{Name: r.Dataset}, index: map[string]int{}}
			byName[r.Dataset] = b
			order = append(order, b)
		}
		b.add(r)
	}
	for _, b := range order {
		sc.Datasets = append(sc.Datasets, b.finish(o))
	}
	sc.Ranking = rankOverall(sc.Datasets, o.Alpha)
	return sc
}

// Dataset returns the dataset named name, nil when absent.
func (sc *Scorecard) Dataset(name string) *ScorecardDataset {
	for _, d := range sc.Datasets {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// Column returns the index of the column with key, -1 when absent.
func (d *ScorecardDataset) Column(key string) int {
	return slices.IndexFunc(d.Columns, func(c ScoreColumn) bool { return c.Key == key })
}

// Method returns the row labelled label, nil when absent.
func (d *ScorecardDataset) Method(label string) *ScoredMethod {
	for _, m := range d.Methods {
		if m.Label == label {
			return m
		}
	}
	return nil
}

// scoreBuilder accumulates one dataset's cells by method.
type scoreBuilder struct {
	d     *ScorecardDataset
	index map[string]int
	cells [][]*bench.Result
}

func (b *scoreBuilder) add(r *bench.Result) {
	l := label(r)
	i, ok := b.index[l]
	if !ok {
		i = len(b.d.Methods)
		b.index[l] = i
		b.d.Methods = append(b.d.Methods, &ScoredMethod{Label: l, Name: r.Method.Name, Description: r.Method.Description,
			Planner: r.Method.Planner, Backend: r.Method.Backend, Model: r.Method.Model})
		b.cells = append(b.cells, nil)
	}
	me := b.d.Methods[i]
	me.Seeds++
	switch {
	case r.Status == bench.StatusOK:
		me.OK++
		b.cells[i] = append(b.cells[i], r)
	case me.NotOK == "":
		me.NotOK = string(r.Status) + ": " + r.Reason
	}
}

func (b *scoreBuilder) finish(o ScorecardOptions) *ScorecardDataset {
	d := b.d
	for _, h := range o.Scores {
		col := ScoreColumn{HeadlineScore: h}
		vals := make([]Estimate, len(d.Methods))
		has := false
		for i, me := range d.Methods {
			vals[i] = estimate(h, b.cells[i], o.Level)
			if me.OK == 0 {
				vals[i].Reason = notOKReason(me)
			}
			has = has || vals[i].N > 0
		}
		if !has {
			continue
		}
		col.Reference, col.ReferenceKind = pooledReference(h, b.cells)
		d.Columns = append(d.Columns, col)
		for i := range d.Methods {
			d.Methods[i].Values = append(d.Methods[i].Values, vals[i])
		}
	}
	for j := range d.Columns {
		markBestEstimate(d, j)
		d.Columns[j].Decimals = estimateDecimals(d, j)
	}
	for i, me := range d.Methods {
		me.Copies = o.Copy.check(b.cells[i], o.Level)
	}
	d.Ranking = rankDataset(d, o.Alpha)
	return d
}

func notOKReason(me *ScoredMethod) string {
	return fmt.Sprintf("no cell ended ok (0 of %d; %s)", me.Seeds, me.NotOK)
}

// cellValue is one headline value of one cell.
type cellValue struct {
	v       float64
	ref     float64
	refKind string
	variant string
	reason  string
	ok      bool
}

// estimate gathers h over a method's ok cells.
func estimate(h HeadlineScore, cells []*bench.Result, level float64) Estimate {
	var e Estimate
	type seeded struct {
		seed uint64
		v    float64
	}
	var got []seeded
	var refs []float64
	kinds := map[string]bool{}
	for _, r := range cells {
		cv := extract(h, r)
		if !cv.ok {
			if e.Reason == "" {
				e.Reason = cv.reason
			}
			continue
		}
		got = append(got, seeded{r.Seed, cv.v})
		if cv.variant != "" {
			e.Variant = cv.variant
		}
		if cv.refKind != "" {
			refs = append(refs, cv.ref)
			kinds[cv.refKind] = true
		}
	}
	if len(got) == 0 {
		if e.Reason == "" {
			e.Reason = "not scored"
		}
		return e
	}
	e.Reason = ""
	slices.SortStableFunc(got, func(a, b seeded) int { return cmp.Compare(a.seed, b.seed) })
	for _, g := range got {
		e.Values = append(e.Values, g.v)
		e.Seeds = append(e.Seeds, g.seed)
	}
	e.Stat = newStat(e.Values)
	if lo, hi, ok := MeanCI(e.Stat, level); ok {
		e.CI = &[2]float64{lo, hi}
	}
	if len(refs) == len(got) {
		m := newStat(refs).Mean
		e.Reference, e.ReferenceKind = &m, refKind(kinds)
	}
	return e
}

func refKind(kinds map[string]bool) string {
	if len(kinds) == 1 && kinds[metrics.ReferenceFixed] {
		return metrics.ReferenceFixed
	}
	return metrics.ReferenceHoldout
}

// pooledReference is the mean reference of h over every ok cell that has
// one.
func pooledReference(h HeadlineScore, cells [][]*bench.Result) (*float64, string) {
	var refs []float64
	kinds := map[string]bool{}
	for _, cs := range cells {
		for _, r := range cs {
			if cv := extract(h, r); cv.ok && cv.refKind != "" {
				refs = append(refs, cv.ref)
				kinds[cv.refKind] = true
			}
		}
	}
	if len(refs) == 0 {
		return nil, ""
	}
	m := newStat(refs).Mean
	return &m, refKind(kinds)
}

// extract reads h from one ok cell.
func extract(h HeadlineScore, r *bench.Result) cellValue {
	switch h.Source {
	case SourceCost:
		return costValue(h.Name, r)
	case SourceTarget:
		return targetValue(h.Name, r)
	}
	s, ok := pickScore(h, r.Metrics)
	if !ok {
		return cellValue{reason: "not scored"}
	}
	cv := cellValue{variant: scoreVariantOf(h, s), reason: s.Reason, ok: s.OK(), v: s.Value}
	if s.HasReference() {
		cv.ref, cv.refKind = s.Reference, s.ReferenceKind
	}
	return cv
}

// pickScore returns the score named h.Name whose params hold h.Params,
// the one that also holds h.Prefer when there are several.
func pickScore(h HeadlineScore, ss []metrics.Score) (metrics.Score, bool) {
	var found metrics.Score
	ok := false
	for _, s := range ss {
		if s.Name != h.Name || !paramsHold(s.Params, h.Params) {
			continue
		}
		if len(h.Prefer) > 0 && paramsHold(s.Params, h.Prefer) {
			return s, true
		}
		if !ok {
			found, ok = s, true
		}
	}
	return found, ok
}

func paramsHold(have map[string]any, want map[string]string) bool {
	for k, v := range want {
		got, ok := have[k]
		if !ok || fmt.Sprint(got) != v {
			return false
		}
	}
	return true
}

// scoreVariantOf names the values of the params h selects on.
func scoreVariantOf(h HeadlineScore, s metrics.Score) string {
	keys := slices.Sorted(maps.Keys(h.Params))
	for k := range h.Prefer {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	var parts []string
	for _, k := range keys {
		if v, ok := s.Params[k]; ok {
			parts = append(parts, k+"="+fmt.Sprint(v))
		}
	}
	return strings.Join(parts, ",")
}

// targetValue is the mean of the cell's scores named name over the
// statistics the synthesizer targeted; its reference the mean of theirs
// when every one has one.
func targetValue(name string, r *bench.Result) cellValue {
	var vals, refs []float64
	kinds := map[string]bool{}
	flagged := false
	for _, s := range r.Metrics {
		if s.Name != name || s.Targeted == nil {
			continue
		}
		flagged = true
		if !*s.Targeted || !s.OK() {
			continue
		}
		vals = append(vals, s.Value)
		if s.HasReference() {
			refs = append(refs, s.Reference)
			kinds[s.ReferenceKind] = true
		}
	}
	switch {
	case !flagged:
		return cellValue{reason: "no targets"}
	case len(vals) == 0:
		return cellValue{reason: "no targeted " + name + " with a value"}
	}
	cv := cellValue{v: newStat(vals).Mean, ok: true, variant: fmt.Sprintf("%d targeted statistics", len(vals))}
	if len(refs) == len(vals) {
		cv.ref, cv.refKind = newStat(refs).Mean, refKind(kinds)
	}
	return cv
}

// costValue reads a cost field of the result row.
func costValue(name string, r *bench.Result) cellValue {
	switch name {
	case CostSeconds:
		return cellValue{v: r.Timings.TotalS, ok: true}
	case CostMemory:
		if r.PeakRSSBytes <= 0 {
			return cellValue{reason: "not measured"}
		}
		return cellValue{v: float64(r.PeakRSSBytes) / (1 << 20), ok: true}
	case CostTokens, CostUSD:
		if r.LLM == nil {
			return cellValue{reason: "no LLM call"}
		}
		if name == CostUSD {
			return cellValue{v: r.LLM.CostUSD, ok: true}
		}
		return cellValue{v: float64(r.LLM.PromptTokens + r.LLM.CompletionTokens), ok: true}
	}
	return cellValue{reason: "unknown cost " + name}
}

func markBestEstimate(d *ScorecardDataset, j int) {
	dir := d.Columns[j].Better
	best, found := 0.0, false
	for _, me := range d.Methods {
		if e := me.Values[j]; e.N > 0 && (!found || better(dir, e.Mean, best)) {
			best, found = e.Mean, true
		}
	}
	for _, me := range d.Methods {
		if e := &me.Values[j]; found && e.N > 0 && e.Mean == best && len(d.Methods) > 1 {
			e.Best = true
		}
	}
}

// estimateDecimals fixes a column's decimals: Sig significant digits
// of its smallest non-zero mean, at most maxDecimals.
func estimateDecimals(d *ScorecardDataset, j int) int {
	out := 0
	for _, me := range d.Methods {
		e := me.Values[j]
		if e.N == 0 || e.Mean == 0 || math.IsNaN(e.Mean) || math.IsInf(e.Mean, 0) {
			continue
		}
		out = max(out, Sig-1-int(math.Floor(math.Log10(math.Abs(e.Mean)))))
	}
	return min(out, maxDecimals)
}
