package reports

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/table"
)

// Formats are the formats of Write.
var Formats = []string{"table", "markdown", "html", "csv", "json"}

// Write renders run in format; the table format fits DefaultWidth columns.
func Write(w io.Writer, format string, run *Run, m *Model) error {
	return WriteWidth(w, format, run, m, DefaultWidth)
}

// WriteWidth is Write with the table format fitted to width columns (0:
// every table whole, however wide).
func WriteWidth(w io.Writer, format string, run *Run, m *Model, width int) error {
	switch format {
	case "table":
		return WriteTableWidth(w, m, width)
	case "markdown":
		return WriteMarkdown(w, m)
	case "html":
		if run == nil {
			run = &Run{}
		}
		return WriteHTML(w, run, m)
	case "csv":
		return WriteCSV(w, m)
	case "json":
		return WriteJSON(w, m)
	}
	return unknownFormat(format, Formats)
}

// unknownFormat is the error for a format not among valid.
func unknownFormat(format string, valid []string) error {
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(valid, ", "))
}

// WriteDir writes DIR/report.md and DIR/report.html from the results of
// the run in dir (their Files relative to dir), each atomically: a
// failure leaves the previous report in place.
func WriteDir(dir string, rs []bench.Result) error {
	run := &Run{Results: rs, Dirs: make([]string, len(rs))}
	for i := range run.Dirs {
		run.Dirs[i] = dir
	}
	return WriteRun(dir, run)
}

// WriteRun is WriteDir for a Run; report.html draws the data plots of
// each dataset whose real table it has (Real, else the run's prepared
// training data: LoadPrepared).
func WriteRun(dir string, run *Run) error {
	run.LoadPrepared()
	m := Build(run.Results)
	for _, f := range []struct{ name, format string }{{"report.md", "markdown"}, {"report.html", "html"}} {
		err := table.WriteAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return Write(w, f.format, run, m) })
		if err != nil {
			return fmt.Errorf("reports: %w", err)
		}
	}
	return nil
}
