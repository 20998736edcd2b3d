package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"

	"github.com/synthor/synthor/metrics"
)

// synthLabel names a synthetic file in a comparison: its base name without
// extension.
func synthLabel(path string) string {
	b := filepath.Base(path)
	for _, ext := range []string{".gz", ".csv", ".jsonl", ".ndjson", ".parquet"} {
		b = strings.TrimSuffix(b, ext)
	}
	return b
}

// scoreKey identifies a score across runs: group, name and columns.
func scoreKey(s metrics.Score) string {
	return s.Group + "\x00" + s.Name + "\x00" + strings.Join(s.Columns, ",")
}

// writeComparison renders the scores of several synthetic files against one
// real table: one row per score, one value column per file. JSON gives
// {"comparison": [{"synth": FILE, "metrics": [...]}, ...]}; CSV the
// single-file columns with a leading synth column.
func writeComparison(w io.Writer, format string, files []string, runs [][]metrics.Score) error {
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
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(append([]string{"synth"}, csvHeader...))
		for i, f := range files {
			for _, s := range runs[i] {
				_ = cw.Write(append([]string{f}, csvRow(s)...))
			}
		}
		cw.Flush()
		return cw.Error()
	}
	header := []string{"group", "metric", "columns", "better"}
	for _, f := range files {
		header = append(header, synthLabel(f))
	}
	var rows [][]string
	index := map[string]int{}
	for r, scores := range runs {
		for _, s := range scores {
			k := scoreKey(s)
			i, ok := index[k]
			if !ok {
				i = len(rows)
				index[k] = i
				row := []string{s.Group, s.Name, strings.Join(s.Columns, ", "), string(s.Better)}
				for range files {
					row = append(row, "")
				}
				rows = append(rows, row)
			}
			v := formatValue(s)
			if !s.OK() {
				v = "n/a"
			}
			rows[i][4+r] = v
		}
	}
	opts := []tablewriter.Option{}
	if format == "markdown" {
		opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
	} else if format != "table" {
		return fmt.Errorf("unknown format %q", format)
	}
	t := tablewriter.NewTable(w, opts...)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}
