package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// SampleFitter is the capability of methods that start from a seed sample
// of micro-records (households of persons: a PUMS-like sample) and control
// totals (grouped targets), as population synthesis does: ipu weights the
// seed's households to the controls.
type SampleFitter interface {
	FitSample(ctx context.Context, sample *table.Table, targets *macro.Targets) error
}

// SamplePrior is the capability of a target-fitted method that takes a
// sample of micro-records as its prior (LLMSynthor with prior=sample: the
// loop aligns the targets, the sample supplies whole records). FitSample
// calls it before FitTargets. No method of this build implements it yet.
type SamplePrior interface {
	SetSamplePrior(sample *table.Table) error
}

var _ SampleFitter = (*baselines.IPU)(nil)

// NeedsSample reports whether method m is fitted to a seed sample and
// controls only (a SampleFitter that refuses a table alone: ipu).
func NeedsSample(m Method) bool {
	s, err := m.New(Options{})
	if err != nil {
		return false
	}
	_, ok := s.(SampleFitter)
	return ok
}

// FitSample fits s to a seed sample and control totals and says how the
// sample was used: a SampleFitter takes both; a TargetFitter fits the
// controls, taking the sample as its prior when it can (SamplePrior) and
// otherwise only its schema (descriptions, domains, key column); any
// other method is fitted to the sample alone and never sees the controls.
func FitSample(ctx context.Context, s Synthesizer, sample *table.Table, targets *macro.Targets) (string, error) {
	if sf, ok := s.(SampleFitter); ok {
		return "fitted to the seed sample and the controls", sf.FitSample(ctx, sample, targets)
	}
	if tf, ok := s.(TargetFitter); ok {
		note := "fitted to the controls; the seed sample gave only its schema (this method takes no sample prior)"
		if sp, ok := s.(SamplePrior); ok {
			if err := sp.SetSamplePrior(sample); err != nil {
				return "", err
			}
			note = "fitted to the controls with the seed sample as its prior"
		}
		return note, tf.FitTargets(ctx, sample.Schema(), targets)
	}
	return "fitted to the seed sample alone (it cannot take controls)", s.Fit(ctx, sample)
}

// GroupSample makes a seed sample read from a file (a table with no group
// key) the grouped table grouped targets describe: the targets' key column
// becomes its group key and the targets' group-level variables its
// group-level columns. A missing key column or a group-level column that
// varies within a household is an error naming it.
func GroupSample(sample *table.Table, targets *macro.Targets) error {
	g := targets.Grouping
	if g == nil || targets.Members == nil {
		return fmt.Errorf("the targets are flat: a seed sample goes with grouped targets (groups: and members:)")
	}
	if sample.Col(g.Key) == nil {
		return fmt.Errorf("the seed sample has no column %q, the targets' group key (columns: %s)", g.Key, strings.Join(sample.Names(), ", "))
	}
	sample.GroupKey = g.Key
	groups, err := sample.Groups()
	if err != nil {
		return err
	}
	for _, v := range targets.Space.Vars {
		c := sample.Col(v.Name)
		if c == nil {
			return fmt.Errorf("the seed sample has no column %q, a group-level variable of the targets", v.Name)
		}
		for _, r := range groups {
			for i := r[0] + 1; i < r[1]; i++ {
				if c.String(i) != c.String(r[0]) {
					return fmt.Errorf("column %q varies within household %s (rows %d and %d): the targets make it group-level", v.Name, sample.Col(g.Key).String(r[0]), r[0]+1, i+1)
				}
			}
		}
		c.Group = true
	}
	return nil
}

// ControlsConfig says which aggregates of a whole dataset are the control
// totals of a seed-sample run (DatasetConfig.Sample): macro.ControlSpec as
// config keys.
type ControlsConfig struct {
	// Groups and Members name the household-level and person-level
	// variables; each gets a marginal.
	Groups  []string `mapstructure:"groups" json:"groups,omitempty"`
	Members []string `mapstructure:"members" json:"members,omitempty"`
	// Joints are variable groups of one level each ([[a, b], [c, d]]).
	Joints [][]string `mapstructure:"joints" json:"joints,omitempty"`
	// Composition, when its member is set, adds households by members per
	// band of a person variable (member: age, cuts: [18, 65]).
	Composition macro.CompositionSpec `mapstructure:"composition" json:"composition,omitzero"`
	// Bins is the number of quantile bins of a numeric variable (default
	// 6).
	Bins int `mapstructure:"bins" json:"bins,omitempty"`
}

// spec returns the controls as a macro.ControlSpec.
func (c ControlsConfig) spec() macro.ControlSpec {
	s := macro.ControlSpec{Groups: c.Groups, Members: c.Members, Joints: c.Joints, Options: macro.SpaceOptions{Bins: c.Bins}}
	if c.Composition.Member != "" {
		s.Composition = &c.Composition
	}
	return s
}

// validateSample checks the seed-sample keys of a dataset entry at path p.
func (d *DatasetConfig) validateSample(p string) error {
	given := len(d.Controls.Groups)+len(d.Controls.Members)+len(d.Controls.Joints) > 0 || d.Controls.Composition.Member != ""
	switch {
	case d.Sample == 0 && !given:
		return nil
	case math.IsNaN(d.Sample) || d.Sample <= 0 || d.Sample >= 1:
		return fmt.Errorf("%s.sample: the share of households in the seed sample, in (0, 1), got %g (controls: needs it)", p, d.Sample)
	case !given || len(d.Controls.Groups) == 0 || len(d.Controls.Members) == 0:
		return fmt.Errorf("%s.controls: name the household-level (groups) and person-level (members) variables whose aggregates are the controls", p)
	case d.Holdout > 0:
		return fmt.Errorf("%s.holdout: a seed-sample run is scored against the whole dataset; leave holdout out", p)
	case d.Controls.Bins < 0 || d.Controls.Bins == 1:
		return fmt.Errorf("%s.controls.bins: must be at least 2, got %d", p, d.Controls.Bins)
	}
	return nil
}

// loadSampleRun returns the table a cell is scored against and its
// controls: for a seed-sample cell the whole dataset and its control
// totals, else train and none.
func loadSampleRun(s Spec, train *table.Table) (*table.Table, *macro.Targets, error) {
	if s.Controls == "" {
		return train, nil, nil
	}
	tg, err := macro.LoadTargets(s.Controls)
	if err != nil {
		return nil, nil, err
	}
	real, err := LoadTable(s.Real)
	return real, tg, err
}

// prepareSample returns what a seed-sample dataset's cells need: the whole
// dataset t, the seed sample (d.Sample of its households, drawn with
// d.Seed), its controls (d.Controls) as a targets file, and the number of
// households to synthesize (the whole dataset's).
func prepareSample(t *table.Table, d DatasetConfig) (full, seed *table.Table, controls []byte, households int, err error) {
	if t.GroupKey == "" {
		return nil, nil, nil, 0, fmt.Errorf("sample: the dataset is not grouped (a seed sample is of households)")
	}
	tg, err := macro.ControlsFromTable(t, d.Controls.spec())
	if err != nil {
		return nil, nil, nil, 0, err
	}
	if controls, err = tg.MarshalJSON(); err != nil {
		return nil, nil, nil, 0, err
	}
	if seed, err = seedSample(t, d.Sample, d.Seed); err != nil {
		return nil, nil, nil, 0, err
	}
	return t, seed, controls, int(tg.Size), nil
}

// seedSample draws share of t's groups (at least one) without replacement
// with seed, in their order in t.
func seedSample(t *table.Table, share float64, seed uint64) (*table.Table, error) {
	groups, err := t.Groups()
	if err != nil {
		return nil, err
	}
	k := max(1, int(math.Round(share*float64(len(groups)))))
	pick := rand.New(rand.NewPCG(seed, 0x5eedc0de)).Perm(len(groups))[:k]
	slices.Sort(pick)
	var rows []int
	for _, g := range pick {
		for i := groups[g][0]; i < groups[g][1]; i++ {
			rows = append(rows, i)
		}
	}
	return t.Take(rows), nil
}

// TargetedKeys returns the metrics.Input.Targeted keys of targets (both
// levels of grouped ones): each table's columns, sorted and comma-joined.
func TargetedKeys(tg *macro.Targets) map[string]bool {
	out := map[string]bool{}
	for _, l := range tg.Levels() {
		for _, c := range l.Tables() {
			names := c.Names()
			slices.Sort(names)
			out[strings.Join(names, ",")] = true
		}
	}
	return out
}
