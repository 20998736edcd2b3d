package baselines

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"

	"github.com/synthor/synthor/table"
)

// ErrNotFitted is returned (wrapped) by Sample before a successful Fit.
var ErrNotFitted = errors.New("not fitted")

// ErrGrouped is returned (wrapped) by Fit of a method that does not model
// grouped tables.
var ErrGrouped = errors.New("grouped tables are not supported")

// streamSample is the PCG stream constant of Sample draws; methods mix in
// their own constant so that two methods with one seed draw different
// streams.
const streamSample = 0x73796e74686f72 // "synthor"

func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, streamSample^stream))
}

// checkSample validates the arguments of Sample.
func checkSample(name string, fitted bool, n int) error {
	if !fitted {
		return fmt.Errorf("%s: sample: %w", name, ErrNotFitted)
	}
	if n < 0 {
		return fmt.Errorf("%s: sample: negative number of rows %d", name, n)
	}
	return nil
}

// checkTrain validates a training table: it must have columns and rows,
// columns that keep the table contract, and, unless the method models
// groups, no group key.
func checkTrain(name string, train *table.Table, groups bool) error {
	if train == nil || train.NumCols() == 0 {
		return fmt.Errorf("%s: fit: training table has no columns", name)
	}
	if train.GroupKey != "" && !groups {
		return fmt.Errorf("%s: fit: group key %q: %w (use bootstrap, independent or external)", name, train.GroupKey, ErrGrouped)
	}
	if _, err := table.New(train.Cols...); err != nil {
		return fmt.Errorf("%s: fit: %w", name, err)
	}
	if train.NumRows() == 0 {
		return fmt.Errorf("%s: fit: training table has no rows", name)
	}
	for _, c := range train.Cols {
		if err := checkColumn(c); err != nil {
			return fmt.Errorf("%s: fit: column %q: %w", name, c.Name, err)
		}
	}
	return nil
}

// template is the empty shape of a training table: fields, dictionaries
// and group key; outputs are built from it so that they keep the schema.
type template struct {
	cols     []*table.Column // no data: Field and Dict only
	groupKey string
}

func newTemplate(t *table.Table) *template {
	tp := &template{groupKey: t.GroupKey}
	for _, c := range t.Cols {
		tp.cols = append(tp.cols, &table.Column{Field: c.Field, Dict: slices.Clone(c.Dict)})
	}
	return tp
}

// builder fills the columns of an output table of n rows.
type builder struct {
	cols []*table.Column
	tp   *template
}

func (tp *template) builder(n int) *builder {
	b := &builder{tp: tp, cols: make([]*table.Column, len(tp.cols))}
	for j, c := range tp.cols {
		out := &table.Column{Field: c.Field, Dict: slices.Clone(c.Dict)}
		switch c.Kind {
		case table.Categorical:
			out.Codes = make([]int32, n)
		case table.Integer, table.Datetime:
			out.Ints = make([]int64, n)
		case table.Float:
			out.Floats = make([]float64, n)
		case table.Text:
			out.Strs = make([]string, n)
		}
		b.cols[j] = out
	}
	return b
}

func (b *builder) null(j, i int) {
	c := b.cols[j]
	if c.Nulls == nil {
		c.Nulls = make([]bool, c.Len())
	}
	c.Nulls[i] = true
	switch c.Kind {
	case table.Categorical:
		c.Codes[i] = table.Missing
	case table.Float:
		c.Floats[i] = math.NaN()
	case table.Integer, table.Datetime:
		c.Ints[i] = 0
	case table.Text:
		c.Strs[i] = ""
	}
}

// num stores a number in a numeric column, rounding to the nearest integer
// for integer and datetime columns.
func (b *builder) num(j, i int, v float64) {
	c := b.cols[j]
	if math.IsNaN(v) {
		b.null(j, i)
		return
	}
	switch c.Kind {
	case table.Float:
		c.Floats[i] = v
	case table.Integer, table.Datetime:
		c.Ints[i] = int64(math.Round(v))
	}
}

// copyCell copies row r of training column src into row i of column j.
func (b *builder) copyCell(j, i int, src *table.Column, r int) {
	if src.IsNull(r) {
		b.null(j, i)
		return
	}
	c := b.cols[j]
	switch c.Kind {
	case table.Categorical:
		c.Codes[i] = src.Codes[r]
	case table.Integer, table.Datetime:
		c.Ints[i] = src.Ints[r]
	case table.Float:
		c.Floats[i] = src.Floats[r]
	case table.Text:
		c.Strs[i] = src.Strs[r]
	}
}

func (b *builder) table() (*table.Table, error) {
	for _, c := range b.cols {
		if c.Nulls != nil && !slices.Contains(c.Nulls, true) {
			c.Nulls = nil
		}
	}
	t, err := table.New(b.cols...)
	if err != nil {
		return nil, err
	}
	t.GroupKey = b.tp.groupKey
	return t, nil
}

// marginal is the fitted distribution of one column on its own: the share
// of missing values, and either category weights (categorical), the sorted
// observed values (numeric), or the observed strings (text).
type marginal struct {
	kind    table.Kind
	missing float64   // share of missing values, in [0, 1]
	cum     []float64 // categorical: cumulative category shares over non-missing values
	sorted  []float64 // numeric: observed non-missing values, ascending
	strs    []string  // text: observed non-missing strings, in row order
}

func newMarginal(c *table.Column) *marginal {
	n := c.Len()
	m := &marginal{kind: c.Kind}
	if n > 0 {
		m.missing = float64(c.NullCount()) / float64(n)
	}
	switch {
	case c.Kind == table.Categorical:
		counts := make([]float64, len(c.Dict))
		for _, k := range c.Codes {
			if k >= 0 {
				counts[k]++
			}
		}
		m.cum = cumulative(counts)
	case c.Kind.Numeric():
		m.sorted = c.Values()
		sort.Float64s(m.sorted)
	case c.Kind == table.Text:
		for i, s := range c.Strs {
			if !c.IsNull(i) {
				m.strs = append(m.strs, s)
			}
		}
	}
	return m
}

// empty reports whether the column had no non-missing value.
func (m *marginal) empty() bool {
	switch {
	case m.kind == table.Categorical:
		return len(m.cum) == 0 || m.cum[len(m.cum)-1] == 0
	case m.kind.Numeric():
		return len(m.sorted) == 0
	}
	return len(m.strs) == 0
}

// draw fills row i of output column j with a draw from the marginal.
func (m *marginal) draw(b *builder, j, i int, r *rand.Rand) {
	if m.empty() || (m.missing > 0 && r.Float64() < m.missing) {
		b.null(j, i)
		return
	}
	m.drawValue(b, j, i, r.Float64())
}

// drawValue fills row i of column j with the non-missing value at quantile
// u in [0, 1).
func (m *marginal) drawValue(b *builder, j, i int, u float64) {
	c := b.cols[j]
	switch {
	case m.kind == table.Categorical:
		c.Codes[i] = int32(searchCum(m.cum, u))
	case m.kind.Numeric():
		b.num(j, i, quantile(m.sorted, u))
	default:
		c.Strs[i] = m.strs[min(int(u*float64(len(m.strs))), len(m.strs)-1)]
	}
}

// quantile returns the empirical quantile of sorted values at u in [0, 1]
// with linear interpolation between order statistics (Hyndman and Fan type
// 7): the result lies in [sorted[0], sorted[len-1]].
func quantile(sorted []float64, u float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	pos := u * float64(len(sorted)-1)
	k := int(pos)
	if k >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(k)
	return sorted[k] + f*(sorted[k+1]-sorted[k])
}

// cumulative returns the normalised running sums of w (all zero when w sums
// to zero).
func cumulative(w []float64) []float64 {
	cum := make([]float64, len(w))
	var s float64
	for i, x := range w {
		s += x
		cum[i] = s
	}
	if s > 0 {
		for i := range cum {
			cum[i] /= s
		}
	}
	return cum
}

// searchCum returns the first index whose cumulative share exceeds u,
// skipping zero-weight entries.
func searchCum(cum []float64, u float64) int {
	k := sort.Search(len(cum), func(i int) bool { return cum[i] > u })
	if k == len(cum) {
		// u at the top: the last entry with weight.
		k = len(cum) - 1
		for k > 0 && cum[k] == cum[k-1] {
			k--
		}
	}
	return k
}

// groupPlan lists what a grouped table looks like: the row ranges of its
// groups and which columns are group-level.
type groupPlan struct {
	key    int // column index of the group key
	ranges [][2]int
	level  []bool // per column: constant within a group (Field.Group)
}

func newGroupPlan(t *table.Table) (*groupPlan, error) {
	ranges, err := t.Groups()
	if err != nil {
		return nil, err
	}
	p := &groupPlan{ranges: ranges, key: -1, level: make([]bool, t.NumCols())}
	for j, c := range t.Cols {
		if c.Name == t.GroupKey {
			p.key = j
		}
		p.level[j] = c.Group
	}
	return p, nil
}

// setGroupKey writes fresh group keys into column j: group g (0-based) of
// the output gets key g+1, as a number for integer and float keys, as the
// text "g+1" for text and categorical keys (a categorical key gets a new
// dictionary "1".."G"). sizes are the output group sizes in order.
func setGroupKey(b *builder, j int, sizes []int) {
	c := b.cols[j]
	if c.Kind == table.Categorical {
		c.Dict = make([]string, len(sizes))
		for g := range sizes {
			c.Dict[g] = strconv.Itoa(g + 1)
		}
		c.Categories = nil
	}
	i := 0
	for g, s := range sizes {
		for k := 0; k < s; k++ {
			switch c.Kind {
			case table.Categorical:
				c.Codes[i] = int32(g)
			case table.Integer, table.Datetime:
				c.Ints[i] = int64(g + 1)
			case table.Float:
				c.Floats[i] = float64(g + 1)
			case table.Text:
				c.Strs[i] = strconv.Itoa(g + 1)
			}
			i++
		}
	}
	c.Nulls = nil
}

func errEmptyTrain(name string) error {
	return fmt.Errorf("%s: sample: the training table has no rows", name)
}

// copyTable returns a deep copy of t (dictionaries included), so that a
// method keeps nothing that aliases the caller's table. t must have passed
// checkTrain.
func copyTable(t *table.Table) *table.Table {
	cols := make([]*table.Column, len(t.Cols))
	for j, c := range t.Cols {
		cols[j] = cloneColumn(c)
	}
	out, err := table.New(cols...)
	if err != nil {
		panic(err) // checkTrain validated t
	}
	out.GroupKey = t.GroupKey
	return out
}

// checkColumn reports a column whose storage breaks the table contract
// (a code outside the dictionary, a Nulls slice of the wrong length), which
// would otherwise panic deep inside a method.
func checkColumn(c *table.Column) error {
	n := c.Len()
	if c.Nulls != nil && len(c.Nulls) != n {
		return fmt.Errorf("%d null flags for %d rows", len(c.Nulls), n)
	}
	switch c.Kind {
	case table.Categorical:
		for i, k := range c.Codes {
			if k < table.Missing || int(k) >= len(c.Dict) {
				return fmt.Errorf("row %d: code %d outside the %d categories", i+1, k, len(c.Dict))
			}
			if k == table.Missing && !c.IsNull(i) {
				return fmt.Errorf("row %d: missing code on a row not marked missing", i+1)
			}
		}
	case table.Integer, table.Float, table.Datetime, table.Text:
	default:
		return fmt.Errorf("invalid kind %d", c.Kind)
	}
	return nil
}
