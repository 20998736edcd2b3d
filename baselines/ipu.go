package baselines

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// LabelIPU describes the ipu baseline.
const LabelIPU = "ipu: weights a seed sample's households to household and person controls together " +
	"(iterative proportional updating, Ye et al. 2009), integerises the weights and expands; copies seed households"

// The integerisations of IPU weights.
const (
	IntegeriseTRS    = "trs"
	IntegeriseBucket = "bucket"
)

// IPUConfig configures IPU. The zero value works: 1000 sweeps at most,
// tolerance 1e-6, trs integerisation.
type IPUConfig struct {
	// Iterations bounds the sweeps over the controls; 0 means 1000.
	Iterations int
	// Uniform skips the weighting: every seed household weighs the same,
	// so the output is the seed sample expanded as it is (the reference a
	// weighting must beat). The param iterations=0 sets it.
	Uniform bool
	// Tolerance stops the sweeps once the mean relative control error is
	// below it; 0 means 1e-6.
	Tolerance float64
	// Integerise is IntegeriseTRS (default) or IntegeriseBucket.
	Integerise string
}

// DefaultIPUConfig returns the defaults spelled out.
func DefaultIPUConfig() IPUConfig {
	return IPUConfig{Iterations: 1000, Tolerance: 1e-6, Integerise: IntegeriseTRS}
}

// Validate reports the first bad setting, naming its key.
func (c IPUConfig) Validate() error {
	switch {
	case c.Iterations < 0:
		return fmt.Errorf("ipu: iterations %d is negative", c.Iterations)
	case c.Tolerance < 0 || math.IsNaN(c.Tolerance):
		return fmt.Errorf("ipu: tolerance %g must be >= 0", c.Tolerance)
	case c.Integerise != "" && c.Integerise != IntegeriseTRS && c.Integerise != IntegeriseBucket:
		return fmt.Errorf("ipu: integerise %q: valid: %s, %s", c.Integerise, IntegeriseTRS, IntegeriseBucket)
	}
	return nil
}

// IPU is the population synthesis baseline of the field (the method
// PopulationSim is built on): a seed sample of households of persons (a
// PUMS-like grouped table) is weighted so that the weighted households meet
// household-level and person-level controls together, the weights are
// made whole numbers, and every seed household is copied that many times.
//
// FitSample builds one control per cell of every table of grouped targets
// (macro.Targets with Members): a household-level cell counts the
// households in it, a person-level cell the persons, a composition cell
// the households with those members per band. Totals are the targets'
// shares times N households (N the groups' size, or the seed's households
// when the targets give only shares) and, for persons, times N·r, r the
// members per group. Weights start at N/n for the n seed households and
// are updated by iterative proportional updating (ipu). Sample(n) scales
// them to n households and integerises them: trs (truncate, replicate,
// sample: floor(w) copies of each household, the remaining ones by
// systematic sampling on the fractional parts; Lovelace and Ballas 2013)
// or bucket (cumulative rounding: household i gets round(C_i) −
// round(C_{i−1}) copies, C_i the cumulative weight). The output keeps the
// seed's columns, with fresh household keys 1..n. It holds real seed
// households verbatim (CopiesRecords); persons of a household stay
// together, so every record is as plausible as the seed's.
type IPU struct {
	cfg    IPUConfig
	seed   *table.Table
	groups [][2]int
	key    int
	fit    ipuFit
	scale  float64 // N, the households the weights sum to
}

// NewIPU returns an unfitted IPU.
func NewIPU(c IPUConfig) (*IPU, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	d := DefaultIPUConfig()
	if c.Iterations == 0 {
		c.Iterations = d.Iterations
	}
	if c.Tolerance == 0 {
		c.Tolerance = d.Tolerance
	}
	if c.Integerise == "" {
		c.Integerise = d.Integerise
	}
	return &IPU{cfg: c}, nil
}

// Name returns "ipu".
func (*IPU) Name() string { return "ipu" }

// Label says what the method is and, once fitted, how well the weights
// met the controls.
func (s *IPU) Label() string {
	if s.seed == nil {
		return LabelIPU
	}
	l := fmt.Sprintf("%s (%d sweeps, mean relative control error %.2g, largest %.2g", LabelIPU, s.fit.Sweeps, s.fit.Delta, s.fit.MaxError)
	if s.cfg.Uniform {
		l = fmt.Sprintf("%s (iterations=0: no weighting, the seed expanded as it is; mean relative control error %.2g", LabelIPU, s.fit.Delta)
	}
	if n := len(s.fit.Unsupported); n > 0 {
		l += fmt.Sprintf("; %d controls no seed household meets: %s", n, strings.Join(s.fit.Unsupported[:min(n, 3)], "; "))
	}
	return l + ")"
}

// ErrNeedsControls is returned by IPU.Fit: IPU weights a seed sample to
// controls, and a table alone gives neither.
var ErrNeedsControls = errors.New("ipu needs a seed sample and household and person controls (synth --targets T --sample S, or a run config dataset with sample: and controls:)")

// Fit checks the table and refuses it: see ErrNeedsControls.
func (s *IPU) Fit(_ context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, true); err != nil {
		return err
	}
	return fmt.Errorf("ipu: fit: %w", ErrNeedsControls)
}

// Weights returns the fitted weights of the seed's households (summing to
// the targets' households), nil before FitSample.
func (s *IPU) Weights() []float64 { return s.fit.Weights }

// FitSample weights the seed sample's households to the grouped targets.
// The seed must be a grouped table holding every target variable (group
// level variables constant within a household); an error names what is
// missing.
func (s *IPU) FitSample(ctx context.Context, sample *table.Table, tg *macro.Targets) error {
	if tg == nil || tg.Members == nil || tg.Grouping == nil {
		return errors.New("ipu: fit: the targets are flat; ipu needs grouped targets (groups: and members:)")
	}
	if err := checkTrain(s.Name(), sample, true); err != nil {
		return err
	}
	if sample.GroupKey == "" {
		return fmt.Errorf("ipu: fit: the seed sample has no group key (want %q)", tg.Grouping.Key)
	}
	groups, err := sample.Groups()
	if err != nil {
		return fmt.Errorf("ipu: fit: %w", err)
	}
	ctl, err := ipuControls(sample, groups, tg)
	if err != nil {
		return fmt.Errorf("ipu: fit: %w", err)
	}
	scale := tg.Size
	if tg.SharesOnly {
		scale = float64(len(groups))
	}
	for i := range ctl {
		ctl[i].target *= scale
	}
	w0 := make([]float64, len(groups))
	for i := range w0 {
		w0[i] = scale / float64(len(groups))
	}
	sweeps := s.cfg.Iterations
	if s.cfg.Uniform {
		sweeps = 0
	}
	fit, err := ipu(ctx, ctl, w0, sweeps, s.cfg.Tolerance)
	if err != nil {
		return err
	}
	s.seed, s.groups, s.fit, s.scale = copyTable(sample), groups, fit, scale
	s.key = -1
	for j, c := range s.seed.Cols {
		if c.Name == sample.GroupKey {
			s.key = j
		}
	}
	return nil
}

// Sample returns n households: the seed's, each copied as many times as
// its integerised weight scaled to n.
func (s *IPU) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.seed != nil, n); err != nil {
		return nil, err
	}
	counts := make([]int, len(s.groups))
	if s.cfg.Integerise == IntegeriseBucket {
		counts = bucketRound(s.fit.Weights, n)
	} else {
		for _, i := range integerise(s.fit.Weights, n, newRand(seed, 0x697075)) {
			counts[i]++
		}
	}
	var rows []int
	var sizes []int
	for g, k := range counts {
		r := s.groups[g]
		for range k {
			for i := r[0]; i < r[1]; i++ {
				rows = append(rows, i)
			}
			sizes = append(sizes, r[1]-r[0])
		}
	}
	out := s.seed.Take(rows)
	b := &builder{cols: out.Cols, tp: &template{groupKey: out.GroupKey}}
	b.cols[s.key] = cloneColumn(b.cols[s.key])
	setGroupKey(b, s.key, sizes)
	t, err := b.table()
	if err != nil {
		return nil, err
	}
	return t, ctx.Err()
}

// ipuControls returns one control per cell of every target table, totals
// as shares of one household (persons: of r members per household), the
// household-level ones first.
func ipuControls(sample *table.Table, groups [][2]int, tg *macro.Targets) ([]control, error) {
	first := make([]int, len(groups))
	of := make([]int32, sample.NumRows()) // household of each row
	for g, r := range groups {
		first[g] = r[0]
		for i := r[0]; i < r[1]; i++ {
			of[i] = int32(g)
		}
	}
	hh, err := tg.Space.Encode(sample.Take(first))
	if err != nil {
		return nil, fmt.Errorf("seed sample: %w", err)
	}
	mem, err := tg.Members.Space.Encode(sample)
	if err != nil {
		return nil, fmt.Errorf("seed sample: %w", err)
	}
	var out []control
	for _, c := range tg.Tables() {
		out = append(out, tableControls(c, hh, nil, 1)...)
	}
	if comp := tg.Grouping.Composition; comp != nil {
		cc, err := compositionControls(comp, sample, groups)
		if err != nil {
			return nil, err
		}
		out = append(out, cc...)
	}
	r := tg.MembersPerGroup()
	for _, c := range tg.Members.Tables() {
		out = append(out, tableControls(c, mem, of, r)...)
	}
	return out, nil
}

// tableControls returns the controls of table c: cell k's total is its
// share times r; each row of e adds 1 to its cell, for household of[row]
// (the row itself when of is nil).
func tableControls(c *macro.Contingency, e *macro.Encoded, of []int32, r float64) []control {
	cols := make([][]int32, len(c.Vars))
	for j, v := range c.Vars {
		cols[j] = e.Col(v.Name)
	}
	byCell := map[int]map[int32]float64{}
	cells := make([]int, len(cols))
	for i := range e.N {
		for j := range cols {
			cells[j] = int(cols[j][i])
		}
		k := c.Cell(cells...)
		h := int32(i)
		if of != nil {
			h = of[i]
		}
		if byCell[k] == nil {
			byCell[k] = map[int32]float64{}
		}
		byCell[k][h]++
	}
	shares := c.Shares()
	var out []control
	for k, sh := range shares {
		if sh == 0 && byCell[k] == nil {
			continue
		}
		ctl := control{name: c.Key() + "=" + strings.Join(c.Labels(k), ","), target: sh * r}
		ctl.hh, ctl.a = sortedContribs(byCell[k])
		out = append(out, ctl)
	}
	return out
}

// compositionControls returns one control per composition cell (and a
// zero total for compositions the seed has and the targets do not).
func compositionControls(comp *macro.Composition, sample *table.Table, groups [][2]int) ([]control, error) {
	col := sample.Col(comp.Member)
	if col == nil || !col.Kind.Numeric() {
		return nil, fmt.Errorf("seed sample: composition member %q is not a numeric column", comp.Member)
	}
	idx := map[string]int{}
	var out []control
	for _, cell := range comp.Cells {
		k := fmt.Sprint(cell.Members)
		idx[k] = len(out)
		out = append(out, control{name: comp.Key() + "=" + k, target: cell.Count / comp.Total})
	}
	members := make([]int, comp.Bands())
	for g, r := range groups {
		clear(members)
		for i := r[0]; i < r[1]; i++ {
			if !col.IsNull(i) {
				members[comp.Band(col.Float(i))]++
			}
		}
		k := fmt.Sprint(members)
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, control{name: comp.Key() + "=" + k})
		}
		out[j].hh = append(out[j].hh, int32(g))
		out[j].a = append(out[j].a, 1)
	}
	return out, nil
}

// sortedContribs returns the households of m in ascending order with their
// contributions.
func sortedContribs(m map[int32]float64) ([]int32, []float64) {
	hh := make([]int32, 0, len(m))
	for h := range m {
		hh = append(hh, h)
	}
	slices.Sort(hh)
	a := make([]float64, len(hh))
	for i, h := range hh {
		a[i] = m[h]
	}
	return hh, a
}
