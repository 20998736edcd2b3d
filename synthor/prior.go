package synthor

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/synthor/synthor/table"
)

// PriorKind is the prior setting (Config.Prior).
type PriorKind string

// The priors.
const (
	// PriorNone draws every value from the proposal: the paper's loop
	// with the stat planner is the ablation, unchanged.
	PriorNone PriorKind = "none"
	// PriorModel takes whole records from a model fitted to the training
	// table (ModelPrior).
	PriorModel PriorKind = "model"
	// PriorSample takes whole records from a given sample (SamplePrior).
	PriorSample PriorKind = "sample"
)

func (k PriorKind) valid() bool { return k == PriorNone || k == PriorModel || k == PriorSample }

// Prior supplies the records the loop adds when Config.Prior is not
// "none". Proposals name cells (a category, a numeric range, missing);
// the prior gives whole records whose values hold in those cells, so that
// the variables a proposal leaves open, and the relations between them
// (arithmetic ones between numeric columns included), are a real-looking
// record's. The loop picks among the prior's records those that fill the
// cells its targets still lack (donors.go).
//
// Implementations must draw any randomness from the seed given and must
// not change the tables they are given.
type Prior interface {
	// Kind is the prior's setting: PriorModel or PriorSample.
	Kind() PriorKind
	// Describe names the prior in labels ("a cart prior").
	Describe() string
	// Fit prepares the prior; train is the training table, or nil when
	// the synthesizer is fitted to targets (FitTargets).
	Fit(ctx context.Context, train *table.Table) error
	// Donors returns the records a run of n records (groups, for a
	// grouped table) draws from, made with seed, and whether one record
	// may be drawn more than once.
	Donors(ctx context.Context, n int, seed uint64) (donors *table.Table, reuse bool, err error)
}

// Generator is a model of micro-records: what a ModelPrior fits to the
// training table and samples its donors from (the registry passes the
// sequential CART baseline, synthpop's method). Sample must be safe to
// call from several goroutines at once.
type Generator interface {
	Name() string
	Fit(ctx context.Context, train *table.Table) error
	Sample(ctx context.Context, n int, seed uint64) (*table.Table, error)
}

// DefaultPool is the donor records a ModelPrior draws per output record.
const DefaultPool = 4

// ModelPrior is the "model" prior: Model is fitted to the training table
// and, for a run of n records, samples Pool·n donor records with the
// run's seed; each is used at most once. A column that another column
// determines in the training table (a state its postal code, a latitude
// its airport) is redrawn in the model's records from the training values
// that the determinant's category holds (passive.go). A sampled record equal to a
// training record on every column but text ones (what the privacy
// metrics' exact_match_rate counts) is left out of the pool: the loop only
// chooses among the model's records, and would otherwise keep the copies
// the model makes (sequential CART copies whole records from small leaves)
// at least as often as the model does. synthpop's sdc(rm.replicated.uniques)
// drops the copies of unique records; this drops every copy.
type ModelPrior struct {
	Model Generator
	// Pool is the donor records per output record (0: DefaultPool).
	Pool int

	cols    []string  // the columns compared
	train   []uint64  // sorted hashes of the training rows
	passive []passive // columns another column determines (passive.go)
}

var _ Prior = (*ModelPrior)(nil)

// PriorMinLeaf is the leaf size the model prior's cart model is built
// with by default (methods' prior_min_leaf): the fewest training rows a
// leaf holds. On Adult (seed 1, as many rows as the training split) leaves
// of at least 5, 20 and 50 rows give membership-attack AUCs of 0.589,
// 0.550 and 0.528 and detection AUCs of 0.528, 0.530 and 0.541 (cart
// itself, leaves of 5: 0.597 and 0.507): at 50 the prior tells members
// apart little better than chance while its records stay hard to tell
// from real ones.
const PriorMinLeaf = 50

// PriorMaxLevels is the most categories a column may have for the model
// prior's cart model to model it (methods' prior_max_levels; cart's own:
// 100). A column beyond cart's 100 (superstore's 531 cities and 631
// postal codes, flights' 222 airports) is otherwise drawn from its
// marginal, and the columns it determines are redrawn from it, so their
// relations with the rest are lost: on seed 1 of the real-prior tables,
// 1,000 instead of 100 takes superstore's SDMetrics quality from 0.911 to
// 0.931 and detection from 0.66 to 0.53, flights' from 0.953 to 0.981 and
// 0.86 to 0.51 (its DCR share 0.508 to 0.524, membership AUC 0.505 to
// 0.542).
const PriorMaxLevels = 1000

// NewModelPrior returns the model prior of g.
func NewModelPrior(g Generator) *ModelPrior { return &ModelPrior{Model: g} }

// Kind returns PriorModel.
func (*ModelPrior) Kind() PriorKind { return PriorModel }

// Describe returns "a NAME prior".
func (p *ModelPrior) Describe() string { return "a " + p.Model.Name() + " prior" }

// ErrPriorNeedsData is returned by a model prior fitted to targets alone.
var ErrPriorNeedsData = errors.New("prior model: the model is fitted to micro-data (a training table), not to targets")

// Fit fits the model to train.
func (p *ModelPrior) Fit(ctx context.Context, train *table.Table) error {
	if train == nil {
		return ErrPriorNeedsData
	}
	if train.GroupKey != "" {
		return fmt.Errorf("prior model: %s models flat tables and the training table is grouped by %q (use prior=sample with a sample of groups)", p.Model.Name(), train.GroupKey)
	}
	if err := p.Model.Fit(ctx, train); err != nil {
		return fmt.Errorf("prior model: %w", err)
	}
	p.cols = nil
	for _, c := range train.Cols {
		if c.Kind != table.Text {
			p.cols = append(p.cols, c.Name)
		}
	}
	p.train = rowHashes(train, p.cols)
	slices.Sort(p.train)
	p.passive = findPassive(train)
	return nil
}

// poolChunks is the number of parts a model prior's records are sampled in
// (each with its own seed, several at once): a constant, so that the
// records do not depend on the machine's cores.
const poolChunks = 8

// Donors samples Pool·n records from the model, in poolChunks parts at
// once (Model.Sample must be safe for concurrent use).
func (p *ModelPrior) Donors(ctx context.Context, n int, seed uint64) (*table.Table, bool, error) {
	k := p.Pool
	if k <= 0 {
		k = DefaultPool
	}
	total := k * max(1, n)
	parts := make([]*table.Table, poolChunks)
	errs := make([]error, poolChunks)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for c := range poolChunks {
		size := total/poolChunks + btoi(c < total%poolChunks)
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			parts[c], errs[c] = p.Model.Sample(ctx, size, mix(seed^0x7072696f72+uint64(c)))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, false, fmt.Errorf("prior model: %w", err)
	}
	t, err := table.Concat(parts...)
	if err != nil {
		return nil, false, fmt.Errorf("prior model: %w", err)
	}
	t = applyPassive(t, p.passive, rand.New(rand.NewPCG(seed, 0x70617373)))
	var keep []int
	for i, h := range rowHashes(t, p.cols) {
		if _, copied := slices.BinarySearch(p.train, h); !copied {
			keep = append(keep, i)
		}
	}
	if len(keep) < t.NumRows() {
		t = t.Take(keep)
	}
	return t, false, nil
}

// rowHashes returns a hash of every row of t over the named columns (a
// column t lacks counts as missing): categories by their text, numbers by
// their value, missing alike. Two different rows share a hash with
// probability about 2⁻⁶⁴: at worst a model record is left out.
func rowHashes(t *table.Table, cols []string) []uint64 {
	out := make([]uint64, t.NumRows())
	for i := range out {
		out[i] = 0x9e3779b97f4a7c15
	}
	for _, name := range cols {
		c := t.Col(name)
		for i := range out {
			h := fnv.New64a()
			switch {
			case c == nil || c.IsNull(i):
				h.Write([]byte{0})
			case c.Kind == table.Categorical:
				h.Write([]byte{1})
				h.Write([]byte(c.String(i)))
			default:
				x := c.Float(i)
				if x == 0 {
					x = 0 // -0 as +0
				}
				h.Write([]byte{2})
				h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(x)))
			}
			out[i] = mix(out[i] ^ h.Sum64())
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// mix is the splitmix64 finaliser.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// SamplePrior is the "sample" prior: its donors are the records of a
// given sample, flat or grouped (Sample.GroupKey set: a donor is a whole
// group, its members with it), drawn with replacement, as population
// synthesis expands a seed sample of households to a population. The
// sample's columns must include every planned column with the training
// table's (or the targets') categories; a record holding a category the
// targets do not know is never drawn.
type SamplePrior struct {
	Sample *table.Table
}

var _ Prior = (*SamplePrior)(nil)

// NewSamplePrior returns the prior whose donors are the records of sample.
func NewSamplePrior(sample *table.Table) *SamplePrior { return &SamplePrior{Sample: sample} }

// Kind returns PriorSample.
func (*SamplePrior) Kind() PriorKind { return PriorSample }

// Describe returns "a sample prior (N records)" or "(N groups)".
func (p *SamplePrior) Describe() string {
	if p.Sample == nil {
		return "a sample prior"
	}
	if p.Sample.GroupKey != "" {
		if g, err := p.Sample.Groups(); err == nil {
			return fmt.Sprintf("a sample prior (%d groups)", len(g))
		}
	}
	return fmt.Sprintf("a sample prior (%d records)", p.Sample.NumRows())
}

// Fit checks that there is a sample.
func (p *SamplePrior) Fit(context.Context, *table.Table) error {
	if p.Sample == nil || p.Sample.NumRows() == 0 {
		return fmt.Errorf("prior sample: no sample records (give the sample table to synthor.NewSamplePrior)")
	}
	return nil
}

// Donors returns the sample itself, drawn with replacement.
func (p *SamplePrior) Donors(context.Context, int, uint64) (*table.Table, bool, error) {
	return p.Sample, true, nil
}
