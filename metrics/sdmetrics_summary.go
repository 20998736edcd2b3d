package metrics

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
)

// sdmWorst is how many of the lowest column and pair scores the summary
// lists.
const sdmWorst = 5

// WriteQualitySummary renders the SDMetrics report held in scores (the
// rows SDMetrics returns; other groups' rows are ignored) as plain text:
// the overall score, the two property scores with how many columns and
// pairs have a score, then the five lowest column scores and the five
// lowest pair scores, lowest first (ties in report order). Undefined
// properties print "n/a" with their reason. It returns an error when
// scores hold no sdmetrics_quality row, or the first write error.
func WriteQualitySummary(w io.Writer, scores []Score) error {
	var overall, shapes, trends *Score
	var cols, pairs []Score
	nCols, nPairs := 0, 0
	for i := range scores {
		s := &scores[i]
		if s.Group != sdmGroup {
			continue
		}
		switch s.Name {
		case NameSDMetricsQuality:
			overall = s
		case NameColumnShapes:
			shapes = s
		case NameColumnPairTrends:
			trends = s
		case NameKSComplement, NameTVComplement:
			nCols++
			if s.OK() {
				cols = append(cols, *s)
			}
		case NameCorrelationSimilarity, NameContingencySimilarity:
			nPairs++
			if s.OK() {
				pairs = append(pairs, *s)
			}
		}
	}
	if overall == nil {
		return errors.New("sdmetrics summary: no sdmetrics_quality score to summarize")
	}
	filter, _ := overall.Params["pair_filter"].(string)
	if filter == "" {
		filter = PairFilterSDMetrics
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "SDMetrics quality report (pair filter: %s)\n", filter)
	fmt.Fprintf(tw, "overall score\t%s\n", sdmFormat(overall))
	fmt.Fprintf(tw, "column shapes\t%s\t%s\n", sdmFormat(shapes), fmt.Sprintf("%d of %d columns scored", len(cols), nCols))
	pairNote := fmt.Sprintf("%d of %d pairs counted", len(pairs), nPairs)
	if filter == PairFilterSDMetrics {
		pairNote += " (real |pearson r| > 0.5 or cramér's v > 0.3)"
	}
	fmt.Fprintf(tw, "column pair trends\t%s\t%s\n", sdmFormat(trends), pairNote)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("sdmetrics summary: %w", err)
	}
	for _, list := range []struct {
		title, head string
		rows        []Score
	}{
		{"lowest column scores", "COLUMN", cols},
		{"lowest pair scores", "COLUMNS", pairs},
	} {
		slices.SortStableFunc(list.rows, func(a, b Score) int {
			switch {
			case a.Value < b.Value:
				return -1
			case a.Value > b.Value:
				return 1
			}
			return 0
		})
		fmt.Fprintf(tw, "\n%s\n", list.title)
		if len(list.rows) == 0 {
			fmt.Fprintf(tw, "  (none)\n")
		} else {
			fmt.Fprintf(tw, "  SCORE\tMETRIC\t%s\n", list.head)
		}
		for _, s := range list.rows[:min(sdmWorst, len(list.rows))] {
			fmt.Fprintf(tw, "  %.4f\t%s\t%s\n", s.Value, s.Name, strings.Join(s.Columns, ", "))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("sdmetrics summary: %w", err)
		}
	}
	return nil
}

// sdmFormat prints a property or overall score: four decimals, or n/a with
// the reason.
func sdmFormat(s *Score) string {
	switch {
	case s == nil:
		return "n/a (absent)"
	case math.IsNaN(s.Value) || math.IsInf(s.Value, 0):
		return "n/a (" + s.Reason + ")"
	}
	return fmt.Sprintf("%.4f", s.Value)
}
