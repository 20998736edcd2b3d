package reports

import "io"

// WriteSummary writes what synthor run prints: the scorecard first (every
// dataset's headline scores with intervals and references, the ranking
// with significance, the copied-records flags), then, per dataset, only
// what the scorecard does not show: the cells that did not end ok and the
// published numbers beside ours. report.md holds every score. Tables fit
// width columns (0: whole).
func WriteSummary(w io.Writer, m *Model, width int) error {
	ew := &errWriter{w: w}
	s := style{width: max(width, 0)}
	writeScorecard(ew, m.Scorecard, s)
	for _, d := range m.Datasets {
		f := failureRows(d)
		if len(f) == 0 && len(PaperSections(d)) == 0 {
			continue
		}
		ew.printf("\n")
		s.title(ew, 1, "Dataset "+d.Name)
		if len(f) > 0 {
			s.title(ew, 2, "Cells that did not end ok")
			s.grid(ew, textGrid{header: []string{"method", "seed", "status", "reason"}, rows: f, key: 1, wrap: map[int]bool{3: true}})
		}
		textPaper(ew, d, s)
	}
	return ew.err
}
