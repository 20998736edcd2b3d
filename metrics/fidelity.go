package metrics

import (
	"context"
	"errors"
)

// Fidelity computes the fidelity group. (Being built.)
func Fidelity(ctx context.Context, in Input) ([]Score, error) {
	return nil, errors.New("fidelity metrics: not built yet")
}
