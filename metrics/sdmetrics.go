package metrics

import (
	"context"
	"errors"
	"io"
)

// SDMetrics computes the SDMetrics-compatible quality report. (Being built.)
func SDMetrics(ctx context.Context, in Input) ([]Score, error) {
	return nil, errors.New("sdmetrics report: not built yet")
}

// WriteQualitySummary renders the overall, property and worst five column
// and pair scores of an SDMetrics report. (Being built.)
func WriteQualitySummary(w io.Writer, scores []Score) error {
	return errors.New("sdmetrics summary: not built yet")
}
