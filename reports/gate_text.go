package reports

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// GateFormats are the formats of WriteGate.
var GateFormats = []string{"table", "markdown", "json"}

// WriteGate renders the gate's verdict: "table" for a terminal (a line per
// regression, within TerminalWidth), "markdown" for a CI job summary (the
// regressions as a table with how much worse and what was allowed, every
// comparison in a collapsed table), "json" the GateResult with "passed".
// Each says what was compared and how many comparisons were made.
func WriteGate(w io.Writer, g *GateResult, format string) error {
	switch format {
	case "json":
		return writeJSON(w, struct {
			Passed bool `json:"passed"`
			*GateResult
		}{g.Passed(), g})
	case "table", "markdown":
		ew := &errWriter{w: w}
		s := style{markdown: format == "markdown"}
		if !s.markdown {
			s.width = TerminalWidth
		}
		writeGateText(ew, g, s)
		return ew.err
	}
	return unknownFormat(format, GateFormats)
}

func writeGateText(ew *errWriter, g *GateResult, s style) {
	regs := g.Regressions()
	verdict := "passed"
	switch {
	case len(g.Comparisons) == 0 && len(g.Lost) == 0:
		verdict = "error: nothing compared"
	case len(regs) > 0:
		verdict = "failed"
	}
	if s.markdown {
		ew.printf("### Regression gate: %s\n\n%s\n\n", verdict, gateSummary(g))
	} else {
		ew.printf("regression gate: %s\n%s", verdict, wrapIndent(gateSummary(g), "", "", TerminalWidth))
	}
	if len(regs) > 0 {
		if s.markdown {
			ew.printf("#### Regressions (%d)\n\n", len(regs))
			grid(ew, s, gateHeader, gateRows(regs))
		} else {
			ew.printf("\nregressions (%d):\n", len(regs))
			for _, r := range regs {
				ew.printf("%s", wrapIndent(regressionLine(r), "  ", "    ", TerminalWidth))
			}
		}
	}
	gateLists(ew, g, s)
	if s.markdown && len(g.Comparisons) > 0 {
		ew.printf("<details><summary>Every comparison (%d)</summary>\n\n", len(g.Comparisons))
		grid(ew, s, gateHeader, gateRows(g.Comparisons))
		ew.printf("</details>\n")
	}
}

// gateSummary says what was compared, how, and how many comparisons.
func gateSummary(g *GateResult) string {
	what := "the scorecard scores (" + strings.Join(g.Scores, ", ") + ")"
	if g.Scope == "all" {
		what = "every score of every cell"
	}
	eff := "none"
	if len(g.MinEffect) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(g.MinEffect)) {
			parts = append(parts, k+" "+g.MinEffect[k].String())
		}
		eff = strings.Join(parts, ", ")
	}
	exact := ""
	if n := len(g.Comparisons) - g.Tests; n > 0 {
		exact = fmt.Sprintf(" (%d without spread on either side compared exactly)", n)
	}
	return fmt.Sprintf("Compared %s of %d methods (%s) on %d datasets (%s) with the baseline: %d comparisons%s, "+
		"each a one-sided Welch's t test of \"the new seed mean is worse by more than the minimum effect\", "+
		"the family-wise false-alarm rate held at α = %g over all %d tests by Holm–Bonferroni; minimum effects: %s; "+
		"%d regressed, %d lost cells, values or methods.",
		what, len(g.Methods), strings.Join(g.Methods, ", "), len(g.Datasets), strings.Join(g.Datasets, ", "),
		len(g.Comparisons), exact, g.Alpha, g.Tests, eff, countRegressed(g.Comparisons), len(g.Lost))
}

func countRegressed(cs []Comparison) int {
	n := 0
	for _, c := range cs {
		if c.Regressed {
			n++
		}
	}
	return n
}

// gateLists are what was not compared and the warnings.
func gateLists(ew *errWriter, g *GateResult, s style) {
	for _, l := range []struct {
		title string
		items []string
	}{{"Not compared", g.NotCompared}, {"Warnings", g.Warnings}} {
		if len(l.items) == 0 {
			continue
		}
		if s.markdown {
			ew.printf("#### %s\n\n", l.title)
		} else {
			ew.printf("\n%s:\n", strings.ToLower(l.title))
		}
		for _, it := range l.items {
			noteLine(ew, s, it)
		}
		if s.markdown {
			ew.printf("\n")
		}
	}
}

var gateHeader = []string{"dataset", "method", "score", "baseline", "new", "worse by", "allowed", "p", "Holm level", "verdict"}

func gateRows(cs []Comparison) [][]string {
	var rows [][]string
	for _, c := range cs {
		if c.Note != "" && c.Score == "" {
			rows = append(rows, []string{c.Dataset, c.Method, "ok cells", "", "", "", "", "", "", "regressed: " + c.Note})
			continue
		}
		label := c.Label + " " + Arrow(c.Better)
		if c.Note != "" && c.Base.N == 0 {
			rows = append(rows, []string{c.Dataset, c.Method, c.Label, "", "", "", "", "", "", "regressed: " + c.Note})
			continue
		}
		if c.Note != "" {
			rows = append(rows, []string{c.Dataset, c.Method, label, gateStat(c.Base), "—", "", "", "", "", "regressed: " + c.Note})
			continue
		}
		verdict := "ok"
		if c.Regressed {
			verdict = "regressed"
		}
		if c.Copies != "" {
			verdict += "; " + c.Copies
		}
		rows = append(rows, []string{c.Dataset, c.Method, label, gateStat(c.Base), gateStat(c.New), sig3(c.Worse),
			sig3(c.Allowed), pText(c.P), pText(c.Level), verdict})
	}
	return rows
}

// regressionLine is a regression in one sentence.
func regressionLine(c Comparison) string {
	switch {
	case c.Score == "":
		return fmt.Sprintf("%s / %s: %s", c.Dataset, c.Method, c.Note)
	case c.Note != "" && c.Base.N == 0:
		return fmt.Sprintf("%s / %s / %s: %s", c.Dataset, c.Method, c.Label, c.Note)
	case c.Note != "":
		return fmt.Sprintf("%s / %s / %s: %s (was %s)", c.Dataset, c.Method, c.Label, c.Note, gateStat(c.Base))
	}
	test := fmt.Sprintf("p %s ≤ Holm level %s", pEq(c.P), pText(c.Level))
	if c.NoSpread {
		test = "exact: no spread on either side"
	}
	line := fmt.Sprintf("%s / %s / %s %s: %s → %s, worse by %s (allowed %s), %s",
		c.Dataset, c.Method, c.Label, Arrow(c.Better), gateStat(c.Base), gateStat(c.New), sig3(c.Worse), sig3(c.Allowed), test)
	if c.Copies != "" {
		line += "; " + c.Copies
	}
	return line
}

// gateStat is "mean ± sd (n=N)" with 4 significant digits.
func gateStat(s Stat) string {
	return FormatValue(s.Mean) + " ± " + sig3(s.SD) + " (n=" + strconv.Itoa(s.N) + ")"
}

func sig3(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
