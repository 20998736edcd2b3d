package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// ScoreFormats are the formats of WriteScores and WriteComparison.
var ScoreFormats = []string{"table", "markdown", "json", "csv"}

// WriteScores renders one list of scores (synthor eval with one synthetic
// file) in format: a row per score in the table and Markdown formats
// (value with SigValue significant digits; the reference column only when
// some score has one, the targeted column only when some score knows it), {"metrics": [...]} in JSON, and the columns of
// ScoreCSVHeader in CSV.
func WriteScores(w io.Writer, format string, scores []metrics.Score) error {
	switch format {
	case "json":
		if scores == nil {
			scores = []metrics.Score{}
		}
		return writeJSON(w, struct {
			Metrics []metrics.Score `json:"metrics"`
		}{scores})
	case "csv":
		return writeCSV(w, ScoreCSVHeader, func(emit func([]string) error) error {
			for _, s := range scores {
				if err := emit(ScoreCSVRow(s)); err != nil {
					return err
				}
			}
			return nil
		})
	case "table", "markdown":
		header, rows := scoreRows(scores)
		return RenderGrid(w, format == "markdown", header, rows)
	}
	return unknownFormat(format, ScoreFormats)
}

// scoreRows returns the cells of the table and Markdown formats.
func scoreRows(scores []metrics.Score) (header []string, rows [][]string) {
	targeted := slices.ContainsFunc(scores, func(s metrics.Score) bool { return s.Targeted != nil })
	referenced := slices.ContainsFunc(scores, func(s metrics.Score) bool { return s.ReferenceKind != "" })
	header = []string{"group", "metric", "columns", "value", "better"}
	if referenced {
		header = append(header, "reference")
	}
	if targeted {
		header = append(header, "targeted")
	}
	header = append(header, "note")
	all := scoredColumns(scores)
	for _, s := range scores {
		r := []string{s.Group, s.Name, columnsLabel(s.Columns, all), FormatValue(s.Value), string(s.Better)}
		if referenced {
			ref := "n/a"
			if s.HasReference() {
				ref = FormatValue(s.Reference)
			}
			r = append(r, ref)
		}
		if targeted {
			r = append(r, yesNo(s.Targeted))
		}
		rows = append(rows, append(r, note(s)))
	}
	return header, rows
}

// scoredColumns is the set of columns any score covers.
func scoredColumns(scores []metrics.Score) map[string]bool {
	out := map[string]bool{}
	for _, s := range scores {
		for _, c := range s.Columns {
			out[c] = true
		}
	}
	return out
}

// FormatParams renders a score's params as sorted key=value pairs.
func FormatParams(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, p[k])
	}
	return strings.Join(parts, " ")
}

// note is the reason of an undefined score, else its params.
func note(s metrics.Score) string {
	if s.Reason != "" {
		return s.Reason
	}
	return FormatParams(s.Params)
}

// ScoreCSVHeader are the CSV columns of one score: group, name, columns
// (comma joined), value (shortest round-trip form, empty when undefined),
// better, targeted (true, false or empty), reason, params (key=value, space
// separated), reference (the value unseen real data scores, empty when
// there is none), reference_kind (holdout, fixed or empty) and
// reference_reason.
var ScoreCSVHeader = []string{"group", "name", "columns", "value", "better", "targeted", "reason", "params", "reference", "reference_kind", "reference_reason"}

// ScoreCSVRow is the CSV row of a score under ScoreCSVHeader.
func ScoreCSVRow(s metrics.Score) []string {
	v, t := "", ""
	if s.OK() {
		v = strconv.FormatFloat(s.Value, 'g', -1, 64)
	}
	if s.Targeted != nil {
		t = strconv.FormatBool(*s.Targeted)
	}
	ref := ""
	if s.HasReference() {
		ref = strconv.FormatFloat(s.Reference, 'g', -1, 64)
	}
	return []string{s.Group, s.Name, strings.Join(s.Columns, ","), v, string(s.Better), t, s.Reason, FormatParams(s.Params),
		ref, s.ReferenceKind, s.ReferenceReason}
}

// WriteComparison renders the scores of several synthetic files against
// one real table. Table and Markdown: one row per score and one value
// column per file, labelled by FileLabels, through the report grid (best per
// row marked). JSON: {"comparison": [{"synth": FILE, "metrics": [...]}, ...]};
// CSV: the columns of ScoreCSVHeader after a leading synth column.
func WriteComparison(w io.Writer, format string, files []string, runs [][]metrics.Score) error {
	if len(files) != len(runs) {
		return fmt.Errorf("comparison: %d files but %d score lists", len(files), len(runs))
	}
	switch format {
	case "json":
		type run struct {
			Synth   string          `json:"synth"`
			Metrics []metrics.Score `json:"metrics"`
		}
		out := struct {
			Comparison []run `json:"comparison"`
		}{}
		for i, f := range files {
			out.Comparison = append(out.Comparison, run{Synth: f, Metrics: runs[i]})
		}
		return writeJSON(w, out)
	case "csv":
		return writeCSV(w, append([]string{"synth"}, ScoreCSVHeader...), func(emit func([]string) error) error {
			for i, f := range files {
				for _, s := range runs[i] {
					if err := emit(append([]string{f}, ScoreCSVRow(s)...)); err != nil {
						return err
					}
				}
			}
			return nil
		})
	case "table", "markdown":
		labels := FileLabels(files)
		rs := make([]bench.Result, len(runs))
		for i := range runs {
			rs[i] = bench.Result{ID: strconv.Itoa(i), Dataset: "eval", Method: bench.MethodRef{Name: labels[i], Label: labels[i]},
				Status: bench.StatusOK, Metrics: runs[i]}
		}
		d := Build(rs).Datasets[0]
		header, rows := metricGrid(d, style{markdown: format == "markdown"})
		return RenderGrid(w, format == "markdown", header, rows)
	}
	return unknownFormat(format, ScoreFormats)
}

func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
