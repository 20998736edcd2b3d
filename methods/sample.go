package methods

import (
	"context"
	"fmt"
	"strings"

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
// calls it before FitTargets; used says whether the method's settings
// take the sample (LLMSynthor's prior setting is "sample").
type SamplePrior interface {
	SetSamplePrior(sample *table.Table) (used bool, err error)
}

// NeedsSample reports whether method m is fitted to a seed sample and
// controls only (a SampleFitter that refuses a table alone: ipu).
func NeedsSample(m *Method) bool { return m.SampleOnly }

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
			used, err := sp.SetSamplePrior(sample)
			if err != nil {
				return "", err
			}
			if used {
				note = "fitted to the controls with the seed sample as its prior"
			}
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
