package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// ErrNothingCompared is the gate's error when the run and its baseline
// have no (dataset, method, score) in common, or no comparison could be
// tested: a gate that compares nothing does not pass.
var ErrNothingCompared = errors.New("the gate compared nothing")

// GateOptions configure Gate. The zero value compares the scorecard's
// gated scores at α = DefaultAlpha with no minimum effect.
type GateOptions struct {
	// Alpha is the family-wise false-alarm rate over all comparisons; 0
	// means DefaultAlpha.
	Alpha float64
	// Scores are the headline scores compared; nil means those of
	// DefaultHeadline with Gate set (cost in seconds and memory is
	// machine-dependent and compared only when named).
	Scores []HeadlineScore
	// All compares every score of every cell (each metric of each column
	// set) instead of Scores.
	All bool
	// MinEffect is, by score key (a headline key, or a metric name with
	// All), the smallest worsening that counts.
	MinEffect map[string]Effect
}

// Effect is a minimum worsening: absolute, or a share of the baseline
// mean when Relative.
type Effect struct {
	Value    float64 `json:"value"`
	Relative bool    `json:"relative,omitempty"`
}

// Of returns the absolute worsening e allows against a baseline mean.
func (e Effect) Of(base float64) float64 {
	if e.Relative {
		return e.Value * math.Abs(base)
	}
	return e.Value
}

// String renders e as ParseEffect reads it.
func (e Effect) String() string {
	if e.Relative {
		return strconv.FormatFloat(e.Value*100, 'g', -1, 64) + "%"
	}
	return strconv.FormatFloat(e.Value, 'g', -1, 64)
}

// ParseEffect reads "KEY=VALUE" (absolute) or "KEY=VALUE%" (a share of the
// baseline mean); VALUE is a non-negative number.
func ParseEffect(s string) (string, Effect, error) {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" || v == "" {
		return "", Effect{}, fmt.Errorf("min effect %q is not SCORE=VALUE or SCORE=VALUE%%", s)
	}
	var e Effect
	if t, rel := strings.CutSuffix(v, "%"); rel {
		v, e.Relative = t, true
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return "", Effect{}, fmt.Errorf("min effect %q: %q is not a non-negative number", s, v)
	}
	if e.Relative {
		x /= 100
	}
	e.Value = x
	return k, e, nil
}

// Comparison is one score of one method on one dataset, baseline against
// new: a one-sided Welch's t test of "the new seed mean is worse by more
// than MinEffect".
type Comparison struct {
	Dataset string `json:"dataset"`
	Method  string `json:"method"`
	// Score is the score's key; Label names it for display.
	Score  string            `json:"score"`
	Label  string            `json:"label"`
	Better metrics.Direction `json:"better"`
	Base   Stat              `json:"base"`
	New    Stat              `json:"new"`
	// Worse is how much worse the new mean is (negative: better).
	Worse float64 `json:"worse"`
	// MinEffect is the absolute worsening that must be exceeded.
	MinEffect float64 `json:"min_effect"`
	// T, DF and P are the test's statistic, degrees of freedom and
	// one-sided p-value (T infinite, DF absent without spread on either
	// side: P 0 when the worsening exceeds MinEffect, else 1).
	T  float64 `json:"t"`
	DF float64 `json:"df"`
	P  float64 `json:"p"`
	// Level is the level Holm tests P at (α / (m − j) for the j-th
	// smallest of m p-values); Allowed the largest worsening that level
	// lets pass: MinEffect + t_{1−Level, DF} · SE.
	Level   float64 `json:"level"`
	Allowed float64 `json:"allowed"`
	// NoSpread: neither side's values vary (a deterministic score), so
	// the comparison is exact, not a test: it regresses when the new
	// value is worse by more than MinEffect, and it is not one of Holm's m.
	NoSpread bool `json:"no_spread,omitempty"`
	// Regressed: Holm rejects "not worse" for this comparison (or, with
	// NoSpread, the exact worsening exceeds MinEffect), or (with Note) the
	// method lost ok cells or the score lost its value.
	Regressed bool   `json:"regressed"`
	Note      string `json:"note,omitempty"`
	// Copies is set when the method's records look copied now and did not
	// in the baseline (the scorecard's copy rule): it says so, and the
	// comparison of the score that says so decides whether that regressed.
	Copies string `json:"copies,omitempty"`
}

// GateResult is the gate's verdict and everything it rests on.
type GateResult struct {
	Alpha float64 `json:"alpha"`
	// Scope is "scorecard" or "all"; Scores the keys compared.
	Scope  string   `json:"scope"`
	Scores []string `json:"scores"`
	// MinEffect are the minimum effects asked for, by key.
	MinEffect map[string]Effect `json:"min_effect,omitempty"`
	// Datasets and Methods are those compared.
	Datasets []string `json:"datasets"`
	Methods  []string `json:"methods"`
	// Comparisons are the comparisons made: Holm runs over those with
	// spread (Tests of them); those without are exact.
	Comparisons []Comparison `json:"comparisons"`
	Tests       int          `json:"tests"`
	// Lost are the methods with a smaller share of ok cells than the
	// baseline's, the scores that lost their value, and the (dataset,
	// method) pairs of the baseline missing from the new run when the two
	// share others: regressions without a test.
	Lost []Comparison `json:"lost,omitempty"`
	// NotCompared says what could not be compared and why.
	NotCompared []string `json:"not_compared,omitempty"`
	// Warnings are notes on the comparison (data that differ).
	Warnings []string `json:"warnings,omitempty"`
}

// Regressions are the comparisons that regressed, tested or lost.
func (g *GateResult) Regressions() []Comparison {
	var out []Comparison
	for _, c := range g.Comparisons {
		if c.Regressed {
			out = append(out, c)
		}
	}
	return append(out, g.Lost...)
}

// Passed reports whether nothing regressed and something was compared.
func (g *GateResult) Passed() bool {
	return len(g.Comparisons) > 0 && len(g.Regressions()) == 0
}

// gated is one side's values of one score of one method, keyed for
// matching.
type gated struct {
	dataset, method, key, label, variant string
	better                               metrics.Direction
	stat                                 Stat
	reason                               string
	ok, seeds                            int
}

// Gate compares cur with base: every gated score of every (dataset,
// method label) present in both, with a one-sided Welch's t test per
// score and Holm–Bonferroni over all of them at opts.Alpha (a score
// without spread on either side is compared exactly, outside Holm's
// family). A method with a smaller share of ok cells than before, a score
// that lost its value, or a (dataset, method) of the baseline missing from
// the new run regresses without a test. A method that copies records now
// and did not before regresses when the score that says so is
// significantly worse (tested in the same family). It returns
// ErrNothingCompared (with the result, for its lists) when the runs have
// nothing in common or nothing could be compared.
func Gate(cur, base []bench.Result, opts GateOptions) (*GateResult, error) {
	if opts.Alpha == 0 {
		opts.Alpha = DefaultAlpha
	}
	g := &GateResult{Alpha: opts.Alpha, Scope: "scorecard", MinEffect: opts.MinEffect}
	var cs, bs []gated
	var csc, bsc *Scorecard
	if opts.All {
		g.Scope = "all"
		cm, bm := Build(cur), Build(base)
		cs, bs, csc, bsc = allScores(cm), allScores(bm), cm.Scorecard, bm.Scorecard
	} else {
		scores := opts.Scores
		if scores == nil {
			for _, h := range DefaultHeadline() {
				if h.Gate {
					scores = append(scores, h)
				}
			}
		}
		for _, h := range scores {
			g.Scores = append(g.Scores, h.Key)
		}
		o := ScorecardOptions{Scores: scores}
		csc, bsc = NewScorecard(cur, o), NewScorecard(base, o)
		cs, bs = headlineScoresOf(csc), headlineScoresOf(bsc)
	}
	g.match(cs, bs, opts)
	g.copying(csc, bsc, cur, base, opts)
	g.keepComparedScores()
	g.holm()
	g.Warnings = append(g.Warnings, dataWarnings(cur, base)...)
	if len(g.Comparisons) == 0 && len(g.Lost) == 0 {
		return g, fmt.Errorf("%w: %s", ErrNothingCompared, g.nothingWhy())
	}
	return g, nil
}

// keepComparedScores cuts Scores down to the keys compared and notes the
// others.
func (g *GateResult) keepComparedScores() {
	if g.Scope != "scorecard" {
		return
	}
	var kept, absent []string
	for _, k := range g.Scores {
		if slices.ContainsFunc(g.Comparisons, func(c Comparison) bool { return c.Score == k }) ||
			slices.ContainsFunc(g.Lost, func(c Comparison) bool { return c.Score == k }) {
			kept = append(kept, k)
		} else {
			absent = append(absent, k)
		}
	}
	g.Scores = kept
	if len(absent) > 0 {
		g.NotCompared = append(g.NotCompared, "without values on both sides: "+strings.Join(absent, ", "))
	}
}

func (g *GateResult) nothingWhy() string {
	if len(g.Datasets) == 0 {
		return "no (dataset, method) of the run is in the baseline"
	}
	return "no score could be tested (see what was not compared)"
}

// headlineScoresOf lists a scorecard's estimates.
func headlineScoresOf(sc *Scorecard) []gated {
	var out []gated
	for _, d := range sc.Datasets {
		for _, me := range d.Methods {
			for j, c := range d.Columns {
				e := me.Values[j]
				label := c.Label
				if c.Unit != "" {
					label += " (" + c.Unit + ")"
				}
				out = append(out, gated{dataset: d.Name, method: me.Label, key: c.Key, label: label, variant: e.Variant,
					better: c.Better, stat: e.Stat, reason: e.Reason, ok: me.OK, seeds: me.Seeds})
			}
		}
	}
	return out
}

// allScores lists every cell of a model.
func allScores(m *Model) []gated {
	var out []gated
	for _, d := range m.Datasets {
		for i, me := range d.Methods {
			for j, mt := range d.Metrics {
				c := d.Cells[i][j]
				label := mt.Group + "/" + mt.Name
				if mt.Label != "" {
					label += " [" + mt.Label + "]"
				}
				out = append(out, gated{dataset: d.Name, method: me.Label, key: mt.Key(), label: label,
					better: mt.Better, stat: c.Stat, reason: c.Reason, ok: me.OK, seeds: me.Seeds})
			}
		}
	}
	return out
}

// match pairs the new side's scores with the baseline's and tests each.
func (g *GateResult) match(cs, bs []gated, opts GateOptions) {
	pairOf := func(x gated) string { return x.dataset + "/" + x.method }
	index := map[string]int{}
	newPairs, basePairs := map[string]bool{}, map[string]bool{}
	for i, c := range cs {
		index[pairOf(c)+"\x00"+c.key] = i
		newPairs[pairOf(c)] = true
	}
	var baseOnly, newOnly []string
	lost, uneven := map[string]bool{}, map[string]bool{}
	for _, b := range bs {
		pair := pairOf(b)
		basePairs[pair] = true
		if !newPairs[pair] {
			addOnce(&baseOnly, pair)
			continue
		}
		addOnce(&g.Datasets, b.dataset)
		addOnce(&g.Methods, b.method)
		i, ok := index[pair+"\x00"+b.key]
		if !ok {
			if b.stat.N > 0 {
				g.NotCompared = append(g.NotCompared, pair+" "+b.label+": not scored in the new run")
			}
			continue
		}
		c := cs[i]
		if (c.seeds > 2*b.seeds || b.seeds > 2*c.seeds) && !uneven[pair] {
			uneven[pair] = true
			g.Warnings = append(g.Warnings, fmt.Sprintf("%s: %d seeds against the baseline's %d: the side with fewer seeds "+
				"sets how small a change the gate can see", pair, c.seeds, b.seeds))
		}
		if c.ok*b.seeds < b.ok*c.seeds && !lost[pair] { // a smaller share ended ok
			lost[pair] = true
			g.Lost = append(g.Lost, Comparison{Dataset: b.dataset, Method: b.method, Regressed: true,
				Note: fmt.Sprintf("%d of %d cells ok, was %d of %d", c.ok, c.seeds, b.ok, b.seeds)})
		}
		g.compare(b, c, opts)
	}
	for _, c := range cs {
		if !basePairs[pairOf(c)] {
			addOnce(&newOnly, pairOf(c))
		}
	}
	switch {
	case len(baseOnly) > 0 && len(g.Datasets) > 0:
		for _, pair := range baseOnly {
			d, m, _ := strings.Cut(pair, "/")
			g.Lost = append(g.Lost, Comparison{Dataset: d, Method: m, Regressed: true,
				Note: "in the baseline, missing from the new run"})
		}
	case len(baseOnly) > 0:
		g.NotCompared = append(g.NotCompared, "only in the baseline: "+strings.Join(baseOnly, ", "))
	}
	if len(newOnly) > 0 {
		g.NotCompared = append(g.NotCompared, "only in the new run: "+strings.Join(newOnly, ", "))
	}
}

// copying marks the methods that copy records now and did not before (the
// scorecard's CopyRule: an exact-match rate or a membership AUC beyond its
// reference by more than its margin). A flag alone is not a regression: a
// method near the rule's line crosses it with the seeds. The comparison of
// the score that raised it decides, tested with the others; it is added to
// the family when the gated scores do not include it.
func (g *GateResult) copying(cur, base *Scorecard, cr, br []bench.Result, opts GateOptions) {
	for _, bd := range base.Datasets {
		cd := cur.Dataset(bd.Name)
		if cd == nil {
			continue
		}
		for _, bm := range bd.Methods {
			cm := cd.Method(bm.Label)
			if cm == nil || cm.Copies == nil || bm.Copies != nil {
				continue
			}
			i := g.comparisonOf(bd.Name, bm.Label, cm.Copies.Score)
			if i < 0 {
				i = g.compareScore(bd.Name, bm.Label, cm.Copies.Score, cr, br, opts)
			}
			if i < 0 {
				g.Warnings = append(g.Warnings, fmt.Sprintf("%s/%s %s; not compared: the baseline has no %s to compare with",
					bd.Name, bm.Label, cm.Copies.Note(), cm.Copies.Score))
				continue
			}
			g.Comparisons[i].Copies = cm.Copies.Note()
		}
	}
}

// comparisonOf is the index of the comparison of score name (a metric
// name) for a dataset and method, −1 when there is none.
func (g *GateResult) comparisonOf(dataset, method, name string) int {
	return slices.IndexFunc(g.Comparisons, func(c Comparison) bool {
		return c.Dataset == dataset && c.Method == method && metricName(c.Score) == name
	})
}

// metricName is the metric name of a gate key: a headline key, or a
// model key (group, name, columns) with --gate-all.
func metricName(key string) string {
	if parts := strings.SplitN(key, "\x00", 3); len(parts) == 3 {
		return parts[1]
	}
	return key
}

// compareScore compares one score (a metric name, over the whole table)
// of a dataset and method from the two runs' ok cells, adding it to the
// comparisons; it returns its index, −1 when it could not be compared.
func (g *GateResult) compareScore(dataset, method, name string, cr, br []bench.Result, opts GateOptions) int {
	h := HeadlineScore{Key: name, Name: name, Label: name, Source: SourceScore, Better: metrics.Lower}
	if k, ok := headlineScores[name]; ok {
		h.Label, h.Better = k.Label, k.Better
	}
	side := func(rs []bench.Result) gated {
		var cells []*bench.Result
		for i := range rs {
			if rs[i].Dataset == dataset && label(&rs[i]) == method && rs[i].Status == bench.StatusOK {
				cells = append(cells, &rs[i])
			}
		}
		e := estimate(h, cells, DefaultLevel)
		return gated{dataset: dataset, method: method, key: name, label: h.Label, variant: e.Variant, better: h.Better,
			stat: e.Stat, reason: e.Reason, ok: len(cells), seeds: len(cells)}
	}
	n := len(g.Comparisons)
	g.compare(side(br), side(cr), GateOptions{MinEffect: opts.MinEffect})
	if len(g.Comparisons) == n {
		return -1
	}
	addOnce(&g.Scores, name)
	return n
}

func addOnce(xs *[]string, x string) {
	if !slices.Contains(*xs, x) {
		*xs = append(*xs, x)
	}
}

// compare tests one score, or records why it cannot be tested.
func (g *GateResult) compare(b, c gated, opts GateOptions) {
	where := fmt.Sprintf("%s/%s %s", b.dataset, b.method, b.label)
	cmp := Comparison{Dataset: b.dataset, Method: b.method, Score: b.key, Label: b.label, Better: b.better, Base: b.stat, New: c.stat}
	switch {
	case b.stat.N == 0:
		return
	case b.variant != c.variant:
		g.NotCompared = append(g.NotCompared, fmt.Sprintf("%s: scored differently (%s, was %s)", where, c.variant, b.variant))
		return
	case c.stat.N == 0 && c.ok > 0:
		cmp.Regressed, cmp.Note = true, "no value: "+c.reason
		g.Lost = append(g.Lost, cmp)
		return
	case c.stat.N == 0:
		return // the method lost every cell: counted once, above
	case b.stat.N < 2 || c.stat.N < 2:
		g.NotCompared = append(g.NotCompared, fmt.Sprintf("%s: %d and %d values, a t test needs two on each side", where, b.stat.N, c.stat.N))
		return
	}
	name := b.key
	if opts.All {
		name = strings.SplitN(b.key, "\x00", 3)[1]
	}
	cmp.MinEffect = opts.MinEffect[name].Of(b.stat.Mean)
	// Orient so that positive is worse: new − base for lower-is-better.
	worseStat, baseStat := c.stat, b.stat
	if b.better == metrics.Higher {
		worseStat.Mean, baseStat.Mean = -c.stat.Mean, -b.stat.Mean
	}
	cmp.Worse = worseStat.Mean - baseStat.Mean
	baseStat.Mean += cmp.MinEffect
	w, _ := WelchT(worseStat, baseStat)
	cmp.T, cmp.DF, cmp.P = w.T, w.DF, w.Upper()
	g.Comparisons = append(g.Comparisons, cmp)
}

// holm applies Holm–Bonferroni over the comparisons with spread: each
// gets its step's level and the worsening it allowed, and those Holm
// rejects regress. A comparison without spread on either side is exact:
// it regresses when the worsening exceeds its minimum effect, and it is
// not counted in Holm's m (it cannot be a false alarm of noise).
func (g *GateResult) holm() {
	var idx []int
	for i := range g.Comparisons {
		c := &g.Comparisons[i]
		if c.NoSpread = math.IsNaN(c.DF) || math.IsInf(c.DF, 0); c.NoSpread {
			c.Regressed, c.Allowed = c.Worse > c.MinEffect, c.MinEffect
			continue
		}
		idx = append(idx, i)
	}
	m := len(idx)
	g.Tests = m
	ps := make([]float64, m)
	for j, i := range idx {
		ps[j] = g.Comparisons[i].P
	}
	adj := Holm(ps)
	order := make([]int, m)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(ps[a], ps[b]) })
	for step, j := range order {
		c := &g.Comparisons[idx[j]]
		c.Level = HolmThreshold(g.Alpha, m, step)
		c.Regressed = adj[j] <= g.Alpha
		c.Allowed = c.MinEffect
		if se := welchSE(c.Base, c.New); se > 0 {
			c.Allowed += Welch{DF: c.DF}.Critical(c.Level) * se
		}
	}
}

func welchSE(a, b Stat) float64 {
	if a.N < 2 || b.N < 2 {
		return 0
	}
	return math.Sqrt(sq(a.SD)/float64(a.N) + sq(b.SD)/float64(b.N))
}

func sq(x float64) float64 { return x * x }

// dataWarnings notes datasets whose data differ between the runs (their
// data hashes): their scores compare different data.
func dataWarnings(cur, base []bench.Result) []string {
	hashes := func(rs []bench.Result) map[string]string {
		out := map[string]string{}
		for _, r := range rs {
			if r.DataHash != "" {
				out[r.Dataset] = r.DataHash
			}
		}
		return out
	}
	ch, bh := hashes(cur), hashes(base)
	var out []string
	for _, d := range slices.Sorted(maps.Keys(bh)) {
		if c, ok := ch[d]; ok && c != bh[d] {
			out = append(out, fmt.Sprintf("dataset %s: the data differ from the baseline's (data hash %.12s, was %.12s)", d, c, bh[d]))
		}
	}
	return out
}

// MarshalJSON writes a T or DF that is not finite (a change without spread
// on either side) as null: JSON has no infinity.
func (c Comparison) MarshalJSON() ([]byte, error) {
	type plain Comparison
	out := struct {
		plain
		T  *float64 `json:"t"`
		DF *float64 `json:"df"`
	}{plain: plain(c)}
	if !math.IsInf(c.T, 0) && !math.IsNaN(c.T) {
		out.T = &c.T
	}
	if !math.IsInf(c.DF, 0) && !math.IsNaN(c.DF) {
		out.DF = &c.DF
	}
	return json.Marshal(out)
}
