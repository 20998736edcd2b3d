package reports

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TerminalWidth is the widest line a terminal scorecard table is split to
// fit.
const TerminalWidth = DefaultWidth

// WriteScorecard writes the scorecard for a terminal (markdown false) or
// as Markdown: per dataset a table of methods × headline scores, split
// into tables that fit TerminalWidth columns in a terminal, with the
// reference row, the ranking's verdict, the ties, the copied-records flags
// and the reasons of missing values as notes; then the ranking over every
// dataset when there are several.
func WriteScorecard(w io.Writer, sc *Scorecard, markdown bool) error {
	ew := &errWriter{w: w}
	s := style{markdown: markdown}
	if !markdown {
		s.width = TerminalWidth
	}
	writeScorecard(ew, sc, s)
	return ew.err
}

func writeScorecard(ew *errWriter, sc *Scorecard, s style) {
	if sc == nil {
		return
	}
	for k, d := range sc.Datasets {
		if k > 0 {
			ew.printf("\n")
		}
		s.title(ew, 1, "Scorecard "+d.Name)
		scorecardDataset(ew, sc, d, s)
	}
	if len(sc.Datasets) > 1 && len(sc.Ranking.Methods) > 0 {
		ew.printf("\n")
		s.title(ew, 1, fmt.Sprintf("Ranking over the %d datasets (scorecard scores)", len(sc.Datasets)))
		grid(ew, s, []string{"rank", "method", "mean rank", "wins", "datasets"}, overallRows(sc.Ranking))
		if !s.markdown {
			ew.printf("\n")
		}
		for _, n := range rankingNotes(sc.Ranking) {
			noteLine(ew, s, n)
		}
	}
}

func noteLine(ew *errWriter, s style, text string) {
	if s.markdown {
		ew.printf("- %s\n", text)
		return
	}
	ew.printf("%s", wrapIndent(text, "  ", "    ", s.noteWidth()))
}

// wrapIndent is wrapText for lines indented by first (the first line)
// and rest (the others), every line within width columns, ending in a
// newline; width 0 leaves text on one line.
func wrapIndent(text, first, rest string, width int) string {
	w := 0
	if width > 0 {
		w = max(width-max(displayWidth(first), displayWidth(rest)), 10)
	}
	lines := strings.Split(wrapText(strings.Join(strings.Fields(text), " "), w), "\n")
	for i := range lines {
		if i == 0 {
			lines[i] = first + lines[i]
		} else {
			lines[i] = rest + lines[i]
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

func scorecardDataset(ew *errWriter, sc *Scorecard, d *ScorecardDataset, s style) {
	if len(d.Columns) == 0 {
		for _, n := range datasetNotes(d) {
			noteLine(ew, s, n)
		}
		return
	}
	intro := fmt.Sprintf("Mean ± half-width of the %s%% confidence interval over the seeds that ended ok (Student's t, n−1 df); ↑ higher is better, ↓ lower; best marked; reference: unseen real rows (holdout) or the value by construction (fixed).",
		strconv.FormatFloat(sc.Level*100, 'g', -1, 64))
	if s.markdown {
		ew.printf("%s\n\n", intro)
	} else {
		ew.printf("%s\n", wrapIndent(intro, "", "", s.noteWidth()))
	}
	limit := s.width
	if s.markdown {
		limit = 0
	}
	first := true
	for _, cols := range columnGroups(d) {
		header, rows := scorecardGrid(d, s, cols)
		for _, part := range splitColumns(header, rows, 2, limit) {
			if !first && !s.markdown {
				ew.printf("\n")
			}
			first = false
			grid(ew, s, part.header, part.rows)
		}
	}
	if !s.markdown {
		ew.printf("\n")
	}
	for _, n := range datasetNotes(d) {
		noteLine(ew, s, n)
	}
}

// columnGroups splits d's columns into the scores and the costs, each
// shown in a table of its own.
func columnGroups(d *ScorecardDataset) [][]int {
	var scores, costs []int
	for j, c := range d.Columns {
		if c.Source == SourceCost {
			costs = append(costs, j)
		} else {
			scores = append(scores, j)
		}
	}
	var out [][]int
	for _, g := range [][]int{scores, costs} {
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// scorecardGrid is the rank, the method and a column per headline score
// of cols; a reference row first when one of them has one.
func scorecardGrid(d *ScorecardDataset, s style, cols []int) ([]string, [][]string) {
	header := []string{"rank", "method"}
	for _, j := range cols {
		c := d.Columns[j]
		h := c.Label
		if c.Unit != "" {
			h += " (" + c.Unit + ")"
		}
		header = append(header, h+" "+Arrow(c.Better))
	}
	var rows [][]string
	if ref := referenceRow(d, cols); ref != nil {
		rows = append(rows, ref)
	}
	for _, me := range rankOrder(d) {
		row := []string{rankCell(d.Ranking, me.Label), me.Label}
		for _, j := range cols {
			e := me.Values[j]
			v := estimateText(e, d.Columns[j].Decimals)
			if e.Best {
				v = s.best(v)
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	return header, rows
}

func referenceRow(d *ScorecardDataset, cols []int) []string {
	row := []string{"", "reference"}
	has := false
	for _, j := range cols {
		c := d.Columns[j]
		if c.Reference == nil {
			row = append(row, "—")
			continue
		}
		has = true
		row = append(row, fixed(*c.Reference, c.Decimals)+" "+c.ReferenceKind)
	}
	if !has {
		return nil
	}
	return row
}

// rankOrder lists d's methods ranked first (best first), then the others
// in their order.
func rankOrder(d *ScorecardDataset) []*ScoredMethod {
	var out []*ScoredMethod
	for _, r := range d.Ranking.Methods {
		out = append(out, d.Method(r.Label))
	}
	for _, me := range d.Methods {
		if !d.Ranking.has(me.Label) {
			out = append(out, me)
		}
	}
	return out
}

func (rk *Ranking) has(label string) bool {
	for _, m := range rk.Methods {
		if m.Label == label {
			return true
		}
	}
	return false
}

// rankCell is a method's place, with "=" when it is tied with another.
func rankCell(rk *Ranking, label string) string {
	for i, m := range rk.Methods {
		if m.Label == label {
			p := strconv.Itoa(i + 1)
			if len(m.TiedWith) > 0 {
				p += "="
			}
			return p
		}
	}
	return "—"
}

// estimateText renders "mean ± half-width", the mean alone for one value,
// "—" without one (its reason goes to the notes).
func estimateText(e Estimate, dec int) string {
	switch {
	case e.N == 0:
		return "—"
	case e.CI == nil:
		return fixed(e.Mean, dec)
	}
	return fixed(e.Mean, dec) + " ± " + fixed(e.HalfWidth(), dec)
}

// datasetNotes are the lines under a dataset's scorecard: the ranking's
// verdict and ties, the copied-records flags, the variants, and why
// values are missing.
func datasetNotes(d *ScorecardDataset) []string {
	out := rankingNotes(d.Ranking)
	for _, me := range d.Methods {
		if me.Planner != "" && me.Description != "" {
			out = append(out, me.Label+": "+me.Description)
		}
	}
	for _, me := range d.Methods {
		if me.Copies != nil {
			out = append(out, "WARNING "+me.Label+" "+me.Copies.Note())
		}
	}
	for j, c := range d.Columns {
		var variants []string
		for _, me := range d.Methods {
			if v := me.Values[j].Variant; v != "" && !slices.Contains(variants, v) {
				variants = append(variants, v)
			}
		}
		if len(variants) > 0 {
			out = append(out, c.Label+": "+strings.Join(variants, "; "))
		}
	}
	for _, me := range d.Methods {
		if me.OK == 0 {
			out = append(out, "no value for "+me.Label+": "+notOKReason(me))
			continue
		}
		var missing []string
		for j, e := range me.Values {
			if e.N == 0 {
				missing = append(missing, d.Columns[j].Label+" ("+e.Reason+")")
			}
		}
		if len(missing) > 0 {
			out = append(out, "no value for "+me.Label+": "+strings.Join(missing, ", "))
		}
	}
	return out
}

// rankingNotes say what the ranking rests on and which methods are tied.
func rankingNotes(rk *Ranking) []string {
	if rk == nil || len(rk.Methods) == 0 {
		if rk != nil && rk.Reason != "" {
			return []string{"not ranked: " + rk.Reason}
		}
		return nil
	}
	var out []string
	head := fmt.Sprintf("ranked on %s over %d blocks (dataset × seed)", strings.Join(rk.Scores, ", "), rk.Blocks)
	if rk.Dropped > 0 {
		head += fmt.Sprintf(", %d left out for a missing value", rk.Dropped)
	}
	switch {
	case rk.Friedman == nil || rk.Reason != "":
		head += ": " + rk.Reason
	case rk.Significant:
		head += fmt.Sprintf(": Friedman p %s (Iman–Davenport F), Nemenyi critical difference %.2f at α = %g; = marks a method tied with another",
			pEq(rk.Friedman.PF), rk.CD, rk.Alpha)
	default:
		head += fmt.Sprintf(": Friedman p %s (Iman–Davenport F) > α = %g: no difference shown, every method tied", pEq(rk.Friedman.PF), rk.Alpha)
	}
	out = append(out, head)
	if rk.Significant {
		for _, c := range rk.Cliques {
			out = append(out, "not significantly different: "+strings.Join(c, ", "))
		}
	}
	for _, u := range rk.Unranked {
		out = append(out, "not ranked: "+u.Label+" ("+u.Reason+")")
	}
	return out
}

// pEq is p as a relation for a sentence: "= p" as pText writes it, or
// "< 1e-16".
func pEq(p float64) string {
	t := pText(p)
	if strings.HasPrefix(t, "<") {
		return t
	}
	return "= " + t
}

// pText renders a p-value with 2 significant digits, "< 1e-16" below
// that (an exact 0 is not a probability to print).
func pText(p float64) string {
	if p < 1e-16 {
		return "< 1e-16"
	}
	if p < 1e-4 {
		return strconv.FormatFloat(p, 'e', 1, 64)
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

func overallRows(rk *Ranking) [][]string {
	var rows [][]string
	for _, m := range rk.Methods {
		rows = append(rows, []string{rankCell(rk, m.Label), m.Label, fixed(m.MeanRank, 2), strconv.Itoa(m.Wins), strconv.Itoa(m.Datasets)})
	}
	return rows
}

// gridPart is one of the tables a wide grid is split into.
type gridPart struct {
	header []string
	rows   [][]string
}

// splitColumns splits a grid into tables that keep its first keep columns
// and fit limit characters per line (box lines: 3 per column and 1), as
// many other columns in each as fit; limit 0 keeps one table.
func splitColumns(header []string, rows [][]string, keep, limit int) []gridPart {
	width := func(j int) int {
		w := utf8.RuneCountInString(header[j])
		for _, r := range rows {
			w = max(w, utf8.RuneCountInString(r[j]))
		}
		return w + 3
	}
	if limit == 0 || len(header) <= keep {
		return []gridPart{{header, rows}}
	}
	base := 1
	for j := range keep {
		base += width(j)
	}
	var parts []gridPart
	var cols []int
	used := base
	flush := func() {
		if len(cols) == 0 {
			return
		}
		p := gridPart{header: append([]string(nil), header[:keep]...)}
		for _, j := range cols {
			p.header = append(p.header, header[j])
		}
		for _, r := range rows {
			row := append([]string(nil), r[:keep]...)
			for _, j := range cols {
				row = append(row, r[j])
			}
			p.rows = append(p.rows, row)
		}
		parts = append(parts, p)
		cols, used = nil, base
	}
	for j := keep; j < len(header); j++ {
		if w := width(j); used+w > limit && len(cols) > 0 {
			flush()
		}
		cols = append(cols, j)
		used += width(j)
	}
	flush()
	return parts
}

// scorecardCSV emits the scorecard's rows under CSVHeader.
func scorecardCSV(sc *Scorecard, emit func([]string) error) error {
	if sc == nil {
		return nil
	}
	for _, d := range sc.Datasets {
		for _, me := range d.Methods {
			for j, c := range d.Columns {
				e := me.Values[j]
				lo, hi := minMax(e.Values)
				var cl, ch, ref string
				if e.CI != nil {
					cl, ch = num(true, e.CI[0]), num(true, e.CI[1])
				}
				if e.Reference != nil {
					ref = num(true, *e.Reference)
				}
				row := []string{"scorecard", d.Name, me.Label, me.Name, me.Planner, me.Backend, c.Source, c.Key, e.Variant,
					string(c.Better), "", strconv.Itoa(e.N), num(e.N > 0, e.Mean), num(e.N > 1, e.SD), num(e.N > 0, lo), num(e.N > 0, hi),
					strconv.FormatBool(e.Best), e.Reason, cl, ch, ref, e.ReferenceKind}
				if err := emit(row); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// noteWidth is the width notes wrap to: the style's (0, under --wide and
// in Markdown: one line).
func (s style) noteWidth() int {
	if s.markdown {
		return 0
	}
	return s.width
}
