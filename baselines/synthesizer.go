package baselines

import (
	"context"

	"github.com/synthor/synthor/table"
)

// Synthesizer learns from a training table and samples synthetic tables
// with the same schema. Implementations must not keep or mutate the training
// table after Fit returns (they may keep what they learned from it), must
// draw all randomness from seed, and must give byte-identical output for the
// same training table, n and seed.
type Synthesizer interface {
	Name() string
	Fit(ctx context.Context, train *table.Table) error
	Sample(ctx context.Context, n int, seed uint64) (*table.Table, error)
}
