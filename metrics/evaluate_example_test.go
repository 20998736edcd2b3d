package metrics_test

import (
	"context"
	"fmt"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/metrics"
)

// ExampleEvaluate scores a synthetic table (here a second sample of the
// same network) with the sdmetrics group, beside what the holdout scores in
// its place: the reference.
func ExampleEvaluate() {
	req := metrics.Request{
		Input: metrics.Input{
			Real:    datasets.EcommerceBN(500, 1),
			Synth:   datasets.EcommerceBN(500, 2),
			Holdout: datasets.EcommerceBN(500, 3),
			Seed:    1,
		},
		Groups: []string{"sdmetrics"},
		Label:  datasets.Derive,
	}
	scores, err := metrics.Evaluate(context.Background(), req)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range scores {
		if s.Name == metrics.NameSDMetricsQuality {
			fmt.Printf("%s %.3f, reference %.3f (%s)\n", s.Name, s.Value, s.Reference, s.ReferenceKind)
		}
	}
	// Output:
	// sdmetrics_quality 0.925, reference 0.930 (holdout)
}
