package metrics

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// The fidelity group's metric names, as they appear in Score.Name.
const (
	NameTVD          = "tvd"
	NameKS           = "ks"
	NameWasserstein  = "wasserstein"
	NameJSD          = "jsd"
	NameHellinger    = "hellinger"
	NameSRMSE        = "srmse"
	NamePearsonDiff  = "pearson_diff"
	NameSpearmanDiff = "spearman_diff"
	NameCramersVDiff = "cramers_v_diff"
	NameC2STGap      = "c2st_gap"
	NameC2STAUC      = "c2st_auc"
)

// fidelityGroup is the group name of the fidelity scores.
const fidelityGroup = "fidelity"

// summaryNames are the SDMetrics summary rows the fidelity group includes,
// taken from SDMetrics so that there is one implementation of them.
var summaryNames = []string{NameKSComplement, NameTVComplement, NameColumnShapes, NameColumnPairTrends}

// Fidelity computes the fidelity group: the per-column and per-joint
// distribution scores of Distributions, the classifier two-sample test of
// C2ST (unless Input.C2STRows is negative) and the SDMetrics summary scores
// ks_complement, tv_complement, column_shapes and column_pair_trends, taken
// from SDMetrics and relabelled with the group "fidelity".
func Fidelity(ctx context.Context, in Input) ([]Score, error) {
	// Room for the C2ST and summary scores, so that the list (1.9 million
	// scores on 1,000 columns) is not copied to append them.
	extra := 2 + len(summaryNames)
	if in.Real != nil {
		extra += in.Real.NumCols()
	}
	// The classifier test runs beside the distribution scores: each
	// phase leaves a core idle at its barriers, which the other fills.
	// Its scores follow the distributions' as before.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type c2stOut struct {
		scores []Score
		err    error
	}
	c2st := make(chan c2stOut, 1)
	if in.C2STRows >= 0 {
		go func() {
			c, err := C2STScores(ctx, in)
			c2st <- c2stOut{c, err}
		}()
	} else {
		c2st <- c2stOut{}
	}
	scores, err := distributions(ctx, in, extra)
	if err != nil {
		cancel()
		<-c2st
		return nil, err
	}
	c := <-c2st
	if c.err != nil {
		return nil, c.err
	}
	scores = append(scores, c.scores...)
	// Only the column and property scores are kept: the pair scores of
	// the report are not built.
	rep, err := NewQualityReport(ctx, in.Real, in.Synth, QualityConfig{PairFilter: in.PairFilter})
	var sd []Score
	if err == nil {
		sd = append(rep.columnScores(), rep.propertyScores()...)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// The summary is one part of the group: report why it is missing
		// and keep the rest.
		for _, n := range summaryNames {
			u := Undefined(n, fidelityGroup, nil, Higher, "sdmetrics summary: "+err.Error())
			if in.Targeted != nil {
				u.Targeted = new(bool)
			}
			scores = append(scores, u)
		}
		return scores, nil
	}
	for _, s := range sd {
		if slices.Contains(summaryNames, s.Name) {
			s.Group = fidelityGroup
			if in.Targeted != nil {
				// Column scores cover the column's marginal; the
				// properties average over the whole table.
				t := len(s.Columns) == 1 && in.Targeted[key(s.Columns)]
				s.Targeted = &t
			}
			scores = append(scores, s)
		}
	}
	return scores, nil
}

// Distributions computes the fidelity scores that compare distributions,
// without the classifier test or the summary scores:
//
//   - per column: tvd (categorical), ks and wasserstein (numeric, on raw
//     values), jsd and hellinger (every column, on its frequency table);
//   - per joint (all pairs of columns unless Input.Joints names groups):
//     jsd, tvd and srmse of the contingency table; for two numeric columns
//     pearson_diff and spearman_diff, |r_real − r_synth|; for two
//     categorical columns cramers_v_diff, |V_real − V_synth|.
//
// Frequency and contingency tables come from macro: numeric columns are cut
// into Input.Bins quantile bins of the real data (macro.DefaultBins when 0),
// categories are the union of both sides, and missing is a cell of its own
// (so a column that goes missing in the synthetic data is penalised). For
// the raw-value scores (ks, wasserstein) missing values are dropped on each
// side, and for the correlations rows with a missing value in either column
// are dropped. Datetime columns are compared as Unix nanoseconds (so their
// wasserstein is in nanoseconds). Text columns and the group key are not
// scored.
//
// A score that cannot be computed is Undefined with a reason: a column
// absent from the synthetic table or of another kind there, a side with no
// values, a constant column in a correlation. An Input.Joints group naming
// a column the real table lacks is an error. Work is spread over
// GOMAXPROCS goroutines, one task per column and per joint; the output order
// (columns in the real table's order, then joints) does not depend on it.
func Distributions(ctx context.Context, in Input) ([]Score, error) {
	return distributions(ctx, in, 0)
}

// distributions is Distributions returning a list with room for extra
// more scores.
func distributions(ctx context.Context, in Input, extra int) ([]Score, error) {
	if in.Real == nil || in.Synth == nil {
		return nil, fmt.Errorf("fidelity: real and synthetic tables are required")
	}
	d, err := newDist(in)
	if err != nil {
		return nil, err
	}
	tasks, total, err := d.tasks(in.Joints)
	if err != nil {
		return nil, err
	}
	// Phase 1: per-column work (sorting, ranks) that pairs reuse.
	if err := parallel(ctx, len(d.cols), func(_, i int) { d.prepare(i) }); err != nil {
		return nil, err
	}
	// Phase 2: one task per column, per row of the all-pairs triangle or
	// per joint, each writing its scores at its own offset of one slice;
	// a worker's frequency tables are reused from pair to pair, so memory
	// holds the scores and one pair's tables per worker.
	scores := make([]Score, total, total+extra)
	scratch := make([]distScratch, min(runtime.GOMAXPROCS(0), max(len(tasks), 1)))
	if err := parallel(ctx, len(tasks), func(w, i int) { d.run(tasks[i], &scratch[w], scores) }); err != nil {
		return nil, err
	}
	return scores, nil
}

// parallel runs f(w, 0..n-1) on GOMAXPROCS goroutines, w the worker's
// index in [0, GOMAXPROCS); it stops handing out work when ctx is done and
// returns ctx's error.
func parallel(ctx context.Context, n int, f func(w, i int)) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(w, i)
			}
		}()
	}
	var err error
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	return err
}

// distCol is one scored column: its variable in the space (nil when it
// cannot be compared) and, for numeric columns, the per-side values.
type distCol struct {
	name    string
	kind    table.Kind
	v       *macro.Var
	problem string // why the column cannot be compared, if it cannot

	real, synth  []float64 // numeric: values, NaN where missing
	rankR, rankS []float64 // numeric without missing: average ranks
	// Centred values and ranks of a side without missing values, for the
	// correlations of every pair (see centred); nil otherwise.
	cenR, cenS, cenRankR, cenRankS *centred
	ks, w                          Score // numeric: filled by prepare
	realNull, synNull              bool
}

// dist holds the shared state of one Distributions call.
type dist struct {
	in      Input
	bins    int
	bparams map[string]any // {"bins": bins}, shared by the scores
	cols    []*distCol
	byName  map[string]*distCol
	space   *macro.Space
	er, es  *macro.Encoded
}

func newDist(in Input) (*dist, error) {
	d := &dist{in: in, bins: in.Bins, byName: map[string]*distCol{}}
	if d.bins <= 0 {
		d.bins = macro.DefaultBins
	}
	d.bparams = map[string]any{"bins": d.bins}
	var rc, sc []*table.Column
	for _, c := range in.Real.Cols {
		if c.Kind == table.Text || c.Name == in.Real.GroupKey {
			continue
		}
		dc := &distCol{name: c.Name, kind: c.Kind}
		s := in.Synth.Col(c.Name)
		switch {
		case s == nil:
			dc.problem = "column absent from the synthetic table"
		case s.Kind.Numeric() != c.Kind.Numeric() || (s.Kind == table.Text) != (c.Kind == table.Text):
			dc.problem = fmt.Sprintf("column is %s in the real table and %s in the synthetic table", c.Kind, s.Kind)
		default:
			rc = append(rc, c)
			sc = append(sc, s)
		}
		d.cols = append(d.cols, dc)
		d.byName[c.Name] = dc
	}
	rt, err := table.New(rc...)
	if err != nil {
		return nil, fmt.Errorf("fidelity: real table: %w", err)
	}
	st, err := table.New(sc...)
	if err != nil {
		return nil, fmt.Errorf("fidelity: synthetic table: %w", err)
	}
	if d.space, err = macro.NewSpace(rt, d.bins, st); err != nil {
		return nil, fmt.Errorf("fidelity: %w", err)
	}
	var errR, errS error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); d.er, errR = d.space.Encode(rt) }()
	go func() { defer wg.Done(); d.es, errS = d.space.Encode(st) }()
	wg.Wait()
	if errR != nil {
		return nil, fmt.Errorf("fidelity: real table: %w", errR)
	}
	if errS != nil {
		return nil, fmt.Errorf("fidelity: synthetic table: %w", errS)
	}
	for _, dc := range d.cols {
		if dc.problem == "" {
			dc.v = d.space.Var(dc.name)
		}
	}
	return d, nil
}

// floats returns the values of a numeric column as float64, NaN where
// missing.
func floats(c *table.Column) []float64 {
	out := make([]float64, c.Len())
	switch {
	case c.Kind == table.Float:
		copy(out, c.Floats)
	case c.Kind == table.Integer || c.Kind == table.Datetime:
		for i, v := range c.Ints {
			out[i] = float64(v)
		}
	}
	for i, null := range c.Nulls {
		if null {
			out[i] = math.NaN()
		}
	}
	return out
}

// prepare computes the per-column values of column i that later tasks
// share: for a comparable numeric column, the values of each side, KS and
// Wasserstein-1 on their sorted copies, and average ranks of a side with no
// missing values (for Spearman).
func (d *dist) prepare(i int) {
	dc := d.cols[i]
	if dc.v == nil || !dc.kind.Numeric() {
		return
	}
	rc, sc := d.in.Real.Col(dc.name), d.in.Synth.Col(dc.name)
	dc.real, dc.synth = floats(rc), floats(sc)
	dc.realNull, dc.synNull = slices.ContainsFunc(dc.real, math.IsNaN), slices.ContainsFunc(dc.synth, math.IsNaN)
	sr, ss := sortedCopy(dc.real), sortedCopy(dc.synth)
	cols := []string{dc.name}
	dc.ks = d.value(NameKS, cols, Lower, nil, func() (float64, error) {
		if err := emptySide(sr, ss); err != nil {
			return math.NaN(), err
		}
		return KSSorted(sr, ss)
	})
	dc.w = d.value(NameWasserstein, cols, Lower, nil, func() (float64, error) {
		if err := emptySide(sr, ss); err != nil {
			return math.NaN(), err
		}
		return WassersteinSorted(sr, ss)
	})
	if !dc.realNull {
		dc.rankR = rankWith(sr, dc.real)
		dc.cenR, dc.cenRankR = newCentred(dc.real), newCentred(dc.rankR)
	}
	if !dc.synNull {
		dc.rankS = rankWith(ss, dc.synth)
		dc.cenS, dc.cenRankS = newCentred(dc.synth), newCentred(dc.rankS)
	}
}

// centred holds a column's deviations from its mean and their sum of
// squares, computed once so that the Pearson correlation of a pair of
// complete columns is one pass: r = Σ dx·dy / √(Σdx² · Σdy²). The sums run
// in pearsonScaled's order, so r is bit for bit what pearson gives.
type centred struct {
	dev []float64
	ss  float64
}

// newCentred returns x's deviations, or nil when pearson would not take
// its plain path on x (fewer than two values, a constant column, sums
// that overflow): such pairs go through pearson itself.
func newCentred(x []float64) *centred {
	if len(x) < 2 {
		return nil
	}
	var sx float64
	for _, v := range x {
		sx += v * 1
	}
	m := sx / float64(len(x))
	c := &centred{dev: make([]float64, len(x))}
	for i, v := range x {
		c.dev[i] = v*1 - m
		c.ss += c.dev[i] * c.dev[i]
	}
	if math.IsInf(c.ss, 0) || math.IsNaN(c.ss) || c.ss == 0 {
		return nil
	}
	return c
}

// correlation is pearson(x, y), through the centred columns when both
// have them.
func correlation(x, y []float64, cx, cy *centred) (float64, error) {
	if cx == nil || cy == nil {
		return pearson(x, y)
	}
	var sxy float64
	for i, d := range cx.dev {
		sxy += d * cy.dev[i]
	}
	if math.IsInf(sxy, 0) || math.IsNaN(cx.ss+cy.ss+sxy) {
		return pearson(x, y)
	}
	return max(-1, min(1, sxy/math.Sqrt(cx.ss*cy.ss))), nil
}

// emptySide names the side of a numeric column with no values.
func emptySide(real, synth []float64) error {
	switch {
	case len(real) == 0:
		return reasonError{"the real column has no values (missing in every row)", ErrEmpty}
	case len(synth) == 0:
		return reasonError{"the synthetic column has no values (missing in every row)", ErrEmpty}
	}
	return nil
}

// key returns the Targeted key of a column list: sorted and comma-joined.
func key(cols []string) string {
	s := slices.Clone(cols)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// value builds a score from f, or an Undefined score with f's error as the
// reason, and marks it targeted when Input.Targeted is set.
func (d *dist) value(name string, cols []string, better Direction, params map[string]any, f func() (float64, error)) Score {
	v, err := f()
	if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
		err = fmt.Errorf("not finite: the values overflow float64 arithmetic")
	}
	var s Score
	if err != nil {
		s = Undefined(name, fidelityGroup, cols, better, err.Error())
	} else {
		s = Score{Name: name, Group: fidelityGroup, Columns: cols, Value: v, Better: better}
	}
	s.Params = params
	d.target(&s)
	return s
}

// target sets s.Targeted when a target set is known.
func (d *dist) target(s *Score) {
	if d.in.Targeted != nil {
		t := d.in.Targeted[key(s.Columns)]
		s.Targeted = &t
	}
}

// undefined returns an Undefined score marked as targeted or not.
func (d *dist) undefined(name string, cols []string, better Direction, reason string) Score {
	s := Undefined(name, fidelityGroup, cols, better, reason)
	d.target(&s)
	return s
}

// distTask is one unit of Distributions' work: a column (col), the pairs
// (row, j) for every j > row of the all-pairs triangle (row ≥ 0), or an
// explicit joint (group). Its scores go to out[off:].
type distTask struct {
	col   *distCol
	row   int
	group []*distCol
	off   int
}

// tasks lists the work of Distributions: one task per column, then one per
// row of the all-pairs triangle (no Input.Joints) or per joint, with the
// offset of each task's first score and the number of scores in all. The
// pairs themselves are not listed: a row task walks them.
func (d *dist) tasks(joints [][]string) ([]distTask, int, error) {
	var out []distTask
	off := 0
	for _, dc := range d.cols {
		out = append(out, distTask{col: dc, row: -1, off: off})
		off += columnScores(dc)
	}
	if joints == nil {
		// Suffix counts of numeric columns give each row's score count.
		numericAfter := make([]int, len(d.cols)+1)
		for i := len(d.cols) - 1; i >= 0; i-- {
			numericAfter[i] = numericAfter[i+1]
			if d.cols[i].kind.Numeric() {
				numericAfter[i]++
			}
		}
		for i, dc := range d.cols {
			rest := len(d.cols) - 1 - i
			if rest == 0 {
				continue
			}
			out = append(out, distTask{row: i, off: off})
			off += 3 * rest
			if dc.kind.Numeric() {
				off += 2 * numericAfter[i+1]
			} else {
				off += rest - numericAfter[i+1]
			}
		}
		return out, off, nil
	}
	for _, g := range joints {
		if len(g) < 2 {
			return nil, 0, fmt.Errorf("fidelity: joint [%s]: a joint needs at least two columns", strings.Join(g, ", "))
		}
		group := make([]*distCol, len(g))
		for k, name := range g {
			dc := d.byName[name]
			if dc == nil {
				return nil, 0, fmt.Errorf("fidelity: joint [%s]: column %q is not a scored column of the real table", strings.Join(g, ", "), name)
			}
			if slices.Contains(group[:k], dc) {
				return nil, 0, fmt.Errorf("fidelity: joint [%s]: column %q appears twice", strings.Join(g, ", "), name)
			}
			group[k] = dc
		}
		out = append(out, distTask{group: group, row: -1, off: off})
		off += len(jointNames(group))
	}
	return out, off, nil
}

// run does task t, writing its scores into out.
func (d *dist) run(t distTask, sc *distScratch, out []Score) {
	switch {
	case t.col != nil:
		d.column(t.col, out[t.off:])
	case t.row >= 0:
		off := t.off
		a := d.cols[t.row]
		for _, b := range d.cols[t.row+1:] {
			off += d.joint([]*distCol{a, b}, sc, out[off:])
		}
	default:
		d.joint(t.group, sc, out[t.off:])
	}
}

// columnScores is the number of scores of a column.
func columnScores(dc *distCol) int {
	if dc.kind.Numeric() {
		return 4
	}
	return 3
}

// binParams returns {"bins": n} when any of cols is numeric, else nil; the
// map is shared by every score that carries it (scores never change their
// params).
func (d *dist) binParams(cols ...*distCol) map[string]any {
	for _, c := range cols {
		if c.kind.Numeric() {
			return d.bparams
		}
	}
	return nil
}

// column writes the scores of one column into out.
func (d *dist) column(dc *distCol, out []Score) {
	cols := []string{dc.name}
	params := d.binParams(dc)
	names := []string{NameTVD, NameJSD, NameHellinger}
	if dc.kind.Numeric() {
		names = []string{NameKS, NameWasserstein, NameJSD, NameHellinger}
	}
	if dc.v == nil {
		for i, n := range names {
			out[i] = d.undefined(n, cols, Lower, dc.problem)
		}
		return
	}
	cr, cs := d.counts(dc)
	k := 0
	if dc.kind.Numeric() {
		out[0], out[1] = dc.ks, dc.w
		k = 2
	} else {
		out[0] = d.value(NameTVD, cols, Lower, nil, func() (float64, error) { return TVD(cr.Counts, cs.Counts) })
		k = 1
	}
	out[k] = d.value(NameJSD, cols, Lower, params, func() (float64, error) { return JSD(cr.Counts, cs.Counts) })
	out[k+1] = d.value(NameHellinger, cols, Lower, params, func() (float64, error) { return Hellinger(cr.Counts, cs.Counts) })
}

// counts returns the contingency tables of the columns on each side.
func (d *dist) counts(group ...*distCol) (r, s *macro.Contingency) {
	vars := make([]*macro.Var, len(group))
	cr := make([][]int32, len(group))
	cs := make([][]int32, len(group))
	for i, dc := range group {
		vars[i] = dc.v
		cr[i] = d.er.Col(dc.name)
		cs[i] = d.es.Col(dc.name)
	}
	r, s = macro.NewContingency(vars...), macro.NewContingency(vars...)
	r.AddCells(cr, 0, d.er.N, 1)
	s.AddCells(cs, 0, d.es.N, 1)
	return r, s
}

// distScratch holds one worker's frequency tables and shares, reused from
// pair to pair.
type distScratch struct {
	r, s, pr, ps []float64
}

// grow returns b resized to n cells, zeroed.
func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// pairCounts counts the contingency table of two columns on each side
// into the scratch tables (row-major, as macro.Contingency), and returns
// them with the shape's column count.
func (d *dist) pairCounts(a, b *distCol, sc *distScratch) (r, s []float64, cols int) {
	cols = b.v.Size()
	n := a.v.Size() * cols
	sc.r, sc.s = grow(sc.r, n), grow(sc.s, n)
	k := int32(cols)
	ra, rb := d.er.Col(a.name), d.er.Col(b.name)
	for i := range ra {
		sc.r[ra[i]*k+rb[i]]++
	}
	sa, sb := d.es.Col(a.name), d.es.Col(b.name)
	for i := range sa {
		sc.s[sa[i]*k+sb[i]]++
	}
	return sc.r, sc.s, cols
}

// jointNames returns the score names of a joint, in output order.
func jointNames(group []*distCol) []string {
	numeric := len(group) == 2 && group[0].kind.Numeric() && group[1].kind.Numeric()
	categorical := len(group) == 2 && !group[0].kind.Numeric() && !group[1].kind.Numeric()
	switch {
	case numeric:
		return []string{NameJSD, NameTVD, NameSRMSE, NamePearsonDiff, NameSpearmanDiff}
	case categorical:
		return []string{NameJSD, NameTVD, NameSRMSE, NameCramersVDiff}
	}
	return []string{NameJSD, NameTVD, NameSRMSE}
}

// joint writes the scores of one group of columns into out and returns
// how many it wrote.
func (d *dist) joint(group []*distCol, sc *distScratch, out []Score) int {
	cols := make([]string, len(group))
	for i, dc := range group {
		cols[i] = dc.name
	}
	names := jointNames(group)
	for _, dc := range group {
		if dc.v == nil {
			for i, n := range names {
				out[i] = d.undefined(n, cols, Lower, fmt.Sprintf("column %q: %s", dc.name, dc.problem))
			}
			return len(names)
		}
	}
	params := d.binParams(group...)
	var rc, scn []float64
	width := 0
	if len(group) == 2 {
		rc, scn, width = d.pairCounts(group[0], group[1], sc)
	} else {
		cr, cs := d.counts(group...)
		rc, scn = cr.Counts, cs.Counts
	}
	if pr, ps, ok := shares(rc, scn, sc); ok {
		out[0] = d.value(NameJSD, cols, Lower, params, func() (float64, error) { return jsdShares(pr, ps), nil })
		out[1] = d.value(NameTVD, cols, Lower, params, func() (float64, error) { return tvdShares(pr, ps), nil })
		out[2] = d.value(NameSRMSE, cols, Lower, params, func() (float64, error) { return srmseShares(pr, ps), nil })
	} else {
		out[0] = d.value(NameJSD, cols, Lower, params, func() (float64, error) { return JSD(rc, scn) })
		out[1] = d.value(NameTVD, cols, Lower, params, func() (float64, error) { return TVD(rc, scn) })
		out[2] = d.value(NameSRMSE, cols, Lower, params, func() (float64, error) { return SRMSE(rc, scn) })
	}
	a, b := group[0], group[len(group)-1]
	switch len(names) {
	case 5:
		out[3] = d.value(NamePearsonDiff, cols, Lower, nil, func() (float64, error) {
			return sides(correlation(a.real, b.real, a.cenR, b.cenR))(correlation(a.synth, b.synth, a.cenS, b.cenS))
		})
		out[4] = d.value(NameSpearmanDiff, cols, Lower, nil, func() (float64, error) { return d.spearmanDiff(a, b) })
	case 4:
		out[3] = d.value(NameCramersVDiff, cols, Lower, nil, func() (float64, error) {
			r := len(rc) / width
			return diff(func(x, _ []float64) (float64, error) { return CramersV(x, r, width) }, rc, nil, scn, nil)
		})
	}
	return len(names)
}

// shares normalises two frequency tables into the scratch shares as
// normalize does; ok is false when a side has no mass (the exported
// functions then give the reason).
func shares(p, q []float64, sc *distScratch) (pr, ps []float64, ok bool) {
	sp, sq := 0.0, 0.0
	for _, v := range p {
		sp += v
	}
	for _, v := range q {
		sq += v
	}
	if !(sp > 0) || !(sq > 0) {
		return nil, nil, false
	}
	sc.pr, sc.ps = grow(sc.pr, len(p)), grow(sc.ps, len(q))
	for i, v := range p {
		sc.pr[i] = v / sp
	}
	for i, v := range q {
		sc.ps[i] = v / sq
	}
	return sc.pr, sc.ps, true
}

// diff returns |f(xr, yr) − f(xs, ys)|, naming the side whose statistic is
// undefined.
func diff(f func(x, y []float64) (float64, error), xr, yr, xs, ys []float64) (float64, error) {
	r, err := f(xr, yr)
	if err != nil {
		return math.NaN(), fmt.Errorf("real: %w", err)
	}
	s, err := f(xs, ys)
	if err != nil {
		return math.NaN(), fmt.Errorf("synthetic: %w", err)
	}
	return math.Abs(r - s), nil
}

// spearmanDiff is |ρ_real − ρ_synth|, from the precomputed ranks where a
// side has no missing values.
func (d *dist) spearmanDiff(a, b *distCol) (float64, error) {
	side := func(x, y, rx, ry []float64, cx, cy *centred) (float64, error) {
		if rx != nil && ry != nil {
			return correlation(rx, ry, cx, cy)
		}
		return spearman(x, y)
	}
	return sides(side(a.real, b.real, a.rankR, b.rankR, a.cenRankR, b.cenRankR))(side(a.synth, b.synth, a.rankS, b.rankS, a.cenRankS, b.cenRankS))
}

// sides returns a function of the synthetic side's statistic giving
// |r − s|, naming the side whose statistic is undefined (as diff).
func sides(r float64, rerr error) func(s float64, serr error) (float64, error) {
	return func(s float64, serr error) (float64, error) {
		if rerr != nil {
			return math.NaN(), fmt.Errorf("real: %w", rerr)
		}
		if serr != nil {
			return math.NaN(), fmt.Errorf("synthetic: %w", serr)
		}
		return math.Abs(r - s), nil
	}
}
