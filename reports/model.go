package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// Model is what every format renders: per dataset a grid of methods ×
// metrics with the mean and spread over seeds, and an overall ranking.
type Model struct {
	Datasets []*Dataset `json:"datasets"`
	// Ranking orders the methods by their mean rank across datasets.
	Ranking []Rank `json:"ranking"`
	// full is, for a model cut down by Summary, the model it was cut
	// from: the published tables beside ours are built from its scores.
	full *Model
}

// Dataset is the grid of one dataset.
type Dataset struct {
	Name    string    `json:"name"`
	Methods []*Method `json:"methods"`
	Metrics []*Metric `json:"metrics"`
	// Cells[i][j] is method i on metric j.
	Cells [][]Cell `json:"cells"`
	// Ranking orders this dataset's methods by mean rank over its metrics.
	Ranking []Rank `json:"ranking"`
}

// Method is a row: one label of a run's config.
type Method struct {
	Label       string `json:"label"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Planner     string `json:"planner,omitempty"`
	Backend     string `json:"backend,omitempty"`
	Model       string `json:"model,omitempty"`
	// Seeds counts the cells; OK those that ended ok.
	Seeds int `json:"seeds"`
	OK    int `json:"ok"`
	// Failures are the cells that did not end ok.
	Failures []Failure `json:"failures,omitempty"`
	// TotalS, Tokens and CostUSD are over the ok cells.
	TotalS  Stat `json:"total_s"`
	Tokens  Stat `json:"tokens"`
	CostUSD Stat `json:"cost_usd"`
	// LLM sums the accounting of the method's cells; nil when no LLM ran.
	LLM *LLMTotals `json:"llm,omitempty"`
}

// LLMTotals sums llm.Accounting over cells.
type LLMTotals struct {
	Calls            int     `json:"calls"`
	Retries          int     `json:"retries"`
	CacheHits        int     `json:"cache_hits"`
	Errors           int     `json:"errors"`
	ParseFailures    int     `json:"parse_failures"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	CostUSD          float64 `json:"cost_usd"`
	// LatencyP50MS is the largest per-cell median latency.
	LatencyP50MS float64 `json:"latency_p50_ms"`
}

// Failure is a cell that did not end ok.
type Failure struct {
	Seed   uint64       `json:"seed"`
	Status bench.Status `json:"status"`
	Reason string       `json:"reason"`
	ID     string       `json:"id"`
}

// Metric is a column: one score (group, name, columns).
type Metric struct {
	Group   string   `json:"group"`
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	// Label names the columns for display: "all columns" for a score over
	// every column of the dataset.
	Label    string            `json:"label"`
	Better   metrics.Direction `json:"better"`
	Targeted *bool             `json:"targeted,omitempty"`
	// Decimals is the number of decimals shown for the column.
	Decimals int `json:"decimals"`
	// Variant tells apart scores of one name over the same columns (the
	// classifier of a utility score, the rule of a rejection rate, the
	// query of a query error): the values of their identifying params.
	Variant string `json:"variant,omitempty"`
}

// Key identifies a metric across runs.
func (m *Metric) Key() string { return scoreKey(m.Group, m.Name, m.Columns, m.Variant) }

func scoreKey(group, name string, cols []string, variant string) string {
	return group + "\x00" + name + "\x00" + strings.Join(cols, ",") + "\x00" + variant
}

// variantParams are, per metric group, the params that identify a score
// among those of the same name and columns, in the order they are shown.
var variantParams = map[string][]string{
	"utility":       {"classifier"},
	"utility_truth": {"classifier"},
	"plausibility":  {"level", "rule"},
	"queries":       {"query", "category"},
}

// scoreVariant returns the values of s's identifying params, joined.
func scoreVariant(s metrics.Score) string {
	var parts []string
	for _, k := range variantParams[s.Group] {
		if v, ok := s.Params[k]; ok {
			parts = append(parts, fmt.Sprint(v))
		}
	}
	return strings.Join(parts, ", ")
}

// Cell is one method on one metric over its seeds.
type Cell struct {
	Stat
	// Best marks the best mean of the column (ties all marked).
	Best bool `json:"best,omitempty"`
	// Reason says why there is no value: the score's reason, or that every
	// cell failed.
	Reason string `json:"reason,omitempty"`
	// Values are the per-seed values, in seed order.
	Values []float64 `json:"values,omitempty"`
	Seeds  []uint64  `json:"seeds,omitempty"`
}

// Stat is a mean and sample standard deviation over N values.
type Stat struct {
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

func newStat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	s := Stat{N: len(xs), Mean: sum / float64(len(xs))}
	if len(xs) > 1 {
		var ss float64
		for _, x := range xs {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(ss / float64(len(xs)-1))
	}
	return s
}

// Rank is a method's standing.
type Rank struct {
	Label string `json:"label"`
	// MeanRank is the mean of its ranks (1 = best; ties share the mean rank)
	// over the metrics of a dataset, or of its per-dataset mean ranks.
	MeanRank float64 `json:"mean_rank"`
	// Wins counts the metric columns where it is best.
	Wins int `json:"wins"`
	// Datasets counts the datasets it was ranked on.
	Datasets int `json:"datasets"`
}

// Build groups results by dataset, method label and metric. Datasets keep
// their first appearance's order, methods too, metrics the order of their
// first score.
func Build(rs []bench.Result) *Model {
	m := &Model{}
	byName := map[string]*builder{}
	for i := range rs {
		r := &rs[i]
		b := byName[r.Dataset]
		if b == nil {
			b = newBuilder(r.Dataset)
			byName[r.Dataset] = b
			m.Datasets = append(m.Datasets, b.d)
		}
		b.add(r)
	}
	for _, d := range m.Datasets {
		byName[d.Name].finish()
	}
	m.Ranking = overall(m.Datasets)
	return m
}

// builder accumulates one dataset.
type builder struct {
	d       *Dataset
	methods map[string]int
	metrics map[string]int
	// vals[method][metric] collects per-seed values; reasons the first
	// reason of an undefined score.
	vals    []map[int]*Cell
	results [][]*bench.Result
	cols    map[string]bool // every column a score covers
}

func newBuilder(name string) *builder {
	return &builder{d: &Dataset{Name: name}, methods: map[string]int{}, metrics: map[string]int{}, cols: map[string]bool{}}
}

func label(r *bench.Result) string {
	if r.Method.Label != "" {
		return r.Method.Label
	}
	return r.Method.Name
}

func (b *builder) add(r *bench.Result) {
	l := label(r)
	i, ok := b.methods[l]
	if !ok {
		i = len(b.d.Methods)
		b.methods[l] = i
		b.d.Methods = append(b.d.Methods, &Method{Label: l, Name: r.Method.Name, Description: r.Method.Description,
			Planner: r.Method.Planner, Backend: r.Method.Backend, Model: r.Method.Model})
		b.vals = append(b.vals, map[int]*Cell{})
		b.results = append(b.results, nil)
	}
	me := b.d.Methods[i]
	me.Seeds++
	b.results[i] = append(b.results[i], r)
	if r.Status != bench.StatusOK {
		me.Failures = append(me.Failures, Failure{Seed: r.Seed, Status: r.Status, Reason: r.Reason, ID: r.ID})
		return
	}
	me.OK++
	for _, s := range r.Metrics {
		v := scoreVariant(s)
		k := scoreKey(s.Group, s.Name, s.Columns, v)
		j, ok := b.metrics[k]
		if !ok {
			j = len(b.d.Metrics)
			b.metrics[k] = j
			b.d.Metrics = append(b.d.Metrics, &Metric{Group: s.Group, Name: s.Name, Columns: s.Columns, Better: s.Better, Targeted: s.Targeted, Variant: v})
		}
		for _, c := range s.Columns {
			b.cols[c] = true
		}
		c := b.vals[i][j]
		if c == nil {
			c = &Cell{}
			b.vals[i][j] = c
		}
		if s.OK() {
			c.Values = append(c.Values, s.Value)
			c.Seeds = append(c.Seeds, r.Seed)
		} else if c.Reason == "" {
			c.Reason = s.Reason
		}
	}
}

func (b *builder) finish() {
	d := b.d
	d.Cells = make([][]Cell, len(d.Methods))
	for i, me := range d.Methods {
		d.Cells[i] = make([]Cell, len(d.Metrics))
		var times, tokens, cost []float64
		for _, r := range b.results[i] {
			if r.Status != bench.StatusOK {
				continue
			}
			times = append(times, r.Timings.TotalS)
			if r.LLM != nil {
				tokens = append(tokens, float64(r.LLM.PromptTokens+r.LLM.CompletionTokens))
				cost = append(cost, r.LLM.CostUSD)
			}
		}
		for _, r := range b.results[i] {
			if r.LLM == nil {
				continue
			}
			if me.LLM == nil {
				me.LLM = &LLMTotals{}
			}
			a, t := r.LLM, me.LLM
			t.Calls += a.Calls
			t.Retries += a.Retries
			t.CacheHits += a.CacheHits
			t.Errors += a.Errors
			t.ParseFailures += a.ParseFailures
			t.PromptTokens += a.PromptTokens
			t.CompletionTokens += a.CompletionTokens
			t.CostUSD += a.CostUSD
			t.LatencyP50MS = max(t.LatencyP50MS, a.LatencyP50MS)
		}
		me.TotalS, me.Tokens, me.CostUSD = newStat(times), newStat(tokens), newStat(cost)
		slices.SortFunc(me.Failures, func(a, b Failure) int { return cmp.Compare(a.Seed, b.Seed) })
		for j := range d.Metrics {
			c := b.vals[i][j]
			switch {
			case c == nil && me.OK == 0:
				d.Cells[i][j] = Cell{Reason: failureReason(me)}
			case c == nil:
				d.Cells[i][j] = Cell{Reason: "not scored"}
			default:
				sortBySeed(c)
				c.Stat = newStat(c.Values)
				d.Cells[i][j] = *c
			}
		}
	}
	for j, mt := range d.Metrics {
		mt.Label = columnsLabel(mt.Columns, b.cols)
		if mt.Variant != "" {
			mt.Label += " (" + mt.Variant + ")"
		}
		markBest(d, j)
		mt.Decimals = decimals(d, j)
	}
	d.Ranking = rankDataset(d)
}

func sortBySeed(c *Cell) {
	idx := make([]int, len(c.Values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(c.Seeds[a], c.Seeds[b]) })
	v, s := make([]float64, len(idx)), make([]uint64, len(idx))
	for k, i := range idx {
		v[k], s[k] = c.Values[i], c.Seeds[i]
	}
	c.Values, c.Seeds = v, s
}

// failureReason summarises why a method has no ok cell.
func failureReason(me *Method) string {
	if len(me.Failures) == 0 {
		return "no cell"
	}
	return string(me.Failures[0].Status)
}

// columnsLabel names a score's columns: "all columns" when they are every
// column of the dataset (a C2ST over the table), else comma-joined.
func columnsLabel(cols []string, all map[string]bool) string {
	if len(cols) > 2 && len(cols) == len(all) {
		every := true
		for _, c := range cols {
			every = every && all[c]
		}
		if every {
			return "all columns"
		}
	}
	return strings.Join(cols, ", ")
}

// better reports whether a beats b in direction dir.
func better(dir metrics.Direction, a, b float64) bool {
	if dir == metrics.Higher {
		return a > b
	}
	return a < b
}

func markBest(d *Dataset, j int) {
	best, found := 0.0, false
	dir := d.Metrics[j].Better
	for i := range d.Methods {
		c := d.Cells[i][j]
		if c.N > 0 && (!found || better(dir, c.Mean, best)) {
			best, found = c.Mean, true
		}
	}
	if !found {
		return
	}
	for i := range d.Methods {
		if c := &d.Cells[i][j]; c.N > 0 && c.Mean == best {
			c.Best = true
		}
	}
}

// ranks returns the rank of each method with a value on metric j (1 =
// best, ties share their mean rank); methods without one are absent.
func ranks(d *Dataset, j int) map[int]float64 {
	var idx []int
	for i := range d.Methods {
		if d.Cells[i][j].N > 0 {
			idx = append(idx, i)
		}
	}
	dir := d.Metrics[j].Better
	slices.SortStableFunc(idx, func(a, b int) int {
		x, y := d.Cells[a][j].Mean, d.Cells[b][j].Mean
		switch {
		case x == y:
			return 0
		case better(dir, x, y):
			return -1
		}
		return 1
	})
	out := make(map[int]float64, len(idx))
	for lo := 0; lo < len(idx); {
		hi := lo
		for hi+1 < len(idx) && d.Cells[idx[hi+1]][j].Mean == d.Cells[idx[lo]][j].Mean {
			hi++
		}
		r := float64(lo+hi)/2 + 1
		for k := lo; k <= hi; k++ {
			out[idx[k]] = r
		}
		lo = hi + 1
	}
	return out
}

func rankDataset(d *Dataset) []Rank {
	sum := make([]float64, len(d.Methods))
	n := make([]int, len(d.Methods))
	wins := make([]int, len(d.Methods))
	for j := range d.Metrics {
		for i, r := range ranks(d, j) {
			sum[i] += r
			n[i]++
		}
		for i := range d.Methods {
			if d.Cells[i][j].Best {
				wins[i]++
			}
		}
	}
	var out []Rank
	for i, me := range d.Methods {
		if n[i] == 0 {
			continue
		}
		out = append(out, Rank{Label: me.Label, MeanRank: sum[i] / float64(n[i]), Wins: wins[i], Datasets: 1})
	}
	sortRanks(out)
	return out
}

func sortRanks(rs []Rank) {
	slices.SortStableFunc(rs, func(a, b Rank) int {
		if c := cmp.Compare(a.MeanRank, b.MeanRank); c != 0 {
			return c
		}
		return cmp.Compare(b.Wins, a.Wins)
	})
}

// overall averages the per-dataset mean ranks of each label and sums its
// wins.
func overall(ds []*Dataset) []Rank {
	index := map[string]int{}
	var out []Rank
	for _, d := range ds {
		for _, r := range d.Ranking {
			i, ok := index[r.Label]
			if !ok {
				i = len(out)
				index[r.Label] = i
				out = append(out, Rank{Label: r.Label})
			}
			out[i].MeanRank += r.MeanRank
			out[i].Wins += r.Wins
			out[i].Datasets++
		}
	}
	for i := range out {
		out[i].MeanRank /= float64(out[i].Datasets)
	}
	sortRanks(out)
	return out
}

// Dataset returns the dataset named name, nil when absent.
func (m *Model) Dataset(name string) *Dataset {
	for _, d := range m.Datasets {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// cell returns the cell of label on the metric with key, false when absent.
func (d *Dataset) cell(label, key string) (Cell, *Metric, bool) {
	for i, me := range d.Methods {
		if me.Label != label {
			continue
		}
		for j, mt := range d.Metrics {
			if mt.Key() == key {
				return d.Cells[i][j], mt, true
			}
		}
	}
	return Cell{}, nil, false
}
