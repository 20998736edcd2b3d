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
// (value with Sig significant digits; the reference column only when some
// score has one, the targeted column only when some score knows it; a note
// longer than maxInlineNote a numbered footnote), {"metrics": [...]} in
// JSON, and the columns of ScoreCSVHeader in CSV. The table fits
// DefaultWidth columns.
func WriteScores(w io.Writer, format string, scores []metrics.Score) error {
	return WriteScoresWidth(w, format, scores, DefaultWidth)
}

// WriteScoresWidth is WriteScores with the table format fitted to width
// columns (0: whole, however wide).
func WriteScoresWidth(w io.Writer, format string, scores []metrics.Score, width int) error {
	switch format {
	case "json":
		js := newJSONStream(w)
		js.raw("{\n  \"metrics\": ")
		js.scores(scores, "  ")
		js.raw("\n}\n")
		return js.flush()
	case "csv":
		return streamCSV(w, ScoreCSVHeader, func(emit func([]string) error) error {
			for _, s := range scores {
				if err := emit(ScoreCSVRow(s)); err != nil {
					return err
				}
			}
			return nil
		})
	case "table", "markdown":
		s := style{markdown: format == "markdown", width: max(width, 0)}
		nt := &notes{}
		ew := &errWriter{w: w}
		s.grid(ew, scoreRows(scores, nt))
		s.notesList(ew, nt)
		return ew.err
	}
	return unknownFormat(format, ScoreFormats)
}

// maxInlineNote is the longest note a score row shows in its cell.
const maxInlineNote = 24

// scoreRows returns the table of the table and Markdown formats; long
// notes go to nt.
func scoreRows(scores []metrics.Score, nt *notes) textGrid {
	targeted := slices.ContainsFunc(scores, func(s metrics.Score) bool { return s.Targeted != nil })
	referenced := slices.ContainsFunc(scores, func(s metrics.Score) bool { return s.ReferenceKind != "" })
	header := []string{"group", "metric", "columns", "value", "better"}
	if referenced {
		header = append(header, "reference")
	}
	if targeted {
		header = append(header, "targeted")
	}
	header = append(header, "note")
	all := scoredColumns(scores)
	var rows [][]string
	for _, s := range scores {
		v := FormatValue(s.Value)
		if !s.OK() {
			v = "—"
		}
		r := []string{s.Group, s.Name, columnsLabel(s.Columns, all), v, Arrow(s.Better)}
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
		n := note(s)
		if displayWidth(n) > maxInlineNote {
			n = nt.ref(n)
		}
		rows = append(rows, append(r, n))
	}
	return textGrid{header: header, rows: rows, key: 3, wrap: map[int]bool{2: true}}
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

// FormatParams renders a score's params as sorted key=value pairs, each
// value as fmt's %v writes it.
func FormatParams(p map[string]any) string {
	if len(p) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b []byte
	for i, k := range keys {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(append(b, k...), '=')
		// %v of an int or a string, without fmt (a wide table's CSV has
		// two million scores, most with an int or string param).
		switch v := p[k].(type) {
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case string:
			b = append(b, v...)
		default:
			b = fmt.Appendf(b, "%v", v)
		}
	}
	return string(b)
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
// column per file, labelled by FileLabels, through the report's score
// tables (best per row marked, reasons as numbered notes; the table fits
// DefaultWidth columns). JSON: {"comparison": [{"synth": FILE, "metrics":
// [...]}, ...]}; CSV: the columns of ScoreCSVHeader after a leading synth
// column.
func WriteComparison(w io.Writer, format string, files []string, runs [][]metrics.Score) error {
	return WriteComparisonWidth(w, format, files, runs, DefaultWidth)
}

// WriteComparisonWidth is WriteComparison with the table format fitted to
// width columns (0: whole).
func WriteComparisonWidth(w io.Writer, format string, files []string, runs [][]metrics.Score, width int) error {
	if len(files) != len(runs) {
		return fmt.Errorf("comparison: %d files but %d score lists", len(files), len(runs))
	}
	switch format {
	case "json":
		js := newJSONStream(w)
		js.raw("{\n  \"comparison\": ")
		if len(files) == 0 {
			js.raw("null")
		} else {
			js.raw("[")
		}
		for i, f := range files {
			if i > 0 {
				js.raw(",")
			}
			js.raw("\n    {\n      \"synth\": ")
			js.value(f, "      ")
			js.raw(",\n      \"metrics\": ")
			if runs[i] == nil {
				js.raw("null")
			} else {
				js.scores(runs[i], "      ")
			}
			js.raw("\n    }")
		}
		if len(files) > 0 {
			js.raw("\n  ]")
		}
		js.raw("\n}\n")
		return js.flush()
	case "csv":
		return streamCSV(w, append([]string{"synth"}, ScoreCSVHeader...), func(emit func([]string) error) error {
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
		s := style{markdown: format == "markdown", width: max(width, 0)}
		ew := &errWriter{w: w}
		nt := &notes{}
		for k, g := range scoreGrids(d, s, nt) {
			if g.title != "" {
				if k > 0 {
					s.gap(ew)
				}
				s.title(ew, 3, g.title)
			}
			s.grid(ew, g.textGrid)
		}
		s.notesList(ew, nt)
		return ew.err
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

// writeCSV renders the whole CSV into a buffer first, so that a failure
// leaves nothing written, then writes it to w.
func writeCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	var buf bytes.Buffer
	if err := streamCSV(&buf, header, rows); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// streamCSV writes header and the rows that rows emits to w as they come
// (encoding/csv buffers them), returning the first error.
func streamCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
