package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// ControlsConfig says which aggregates of a whole dataset are the control
// totals of a seed-sample run (DatasetConfig.Sample): macro.ControlSpec as
// config keys.
type ControlsConfig struct {
	// Groups and Members name the household-level and person-level
	// variables; each gets a marginal.
	Groups  []string `yaml:"groups" json:"groups,omitempty"`
	Members []string `yaml:"members" json:"members,omitempty"`
	// Joints are variable groups of one level each ([[a, b], [c, d]]).
	Joints settings.Joints `yaml:"joints" json:"joints,omitempty"`
	// Composition, when its member is set, adds households by members per
	// band of a person variable (member: age, cuts: [18, 65]).
	Composition macro.CompositionSpec `yaml:"composition" json:"composition,omitzero"`
	// Bins is the number of quantile bins of a numeric variable (default
	// 6).
	Bins int `yaml:"bins" json:"bins,omitempty"`
}

// spec returns the controls as a macro.ControlSpec.
func (c ControlsConfig) spec() macro.ControlSpec {
	s := macro.ControlSpec{Groups: c.Groups, Members: c.Members, Joints: [][]string(c.Joints), Options: macro.SpaceOptions{Bins: c.Bins}}
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
		return bad(p+".sample", "the share of households in the seed sample, in (0, 1), got %g (controls: needs it)", d.Sample)
	case !given || len(d.Controls.Groups) == 0 || len(d.Controls.Members) == 0:
		return bad(p+".controls", "name the household-level (groups) and person-level (members) variables whose aggregates are the controls")
	case d.Holdout > 0:
		return bad(p+".holdout", "a seed-sample run is scored against the whole dataset; leave holdout out")
	case d.Controls.Bins < 0 || d.Controls.Bins == 1:
		return bad(p+".controls.bins", "must be at least 2, got %d", d.Controls.Bins)
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
	if seed, err = seedSample(t, d.Sample, d.seed()); err != nil {
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
