// Package reports renders benchmark results.
//
// Data flows one way. Load (or Open) reads one or more run directories'
// results.jsonl files (bench.Result, one cell per line) through
// bench.ReadRuns, the runner's own reader, merging shards and dropping
// repeated cell ids (a cut or bad line, and an empty results file, are
// errors naming them). Build groups the cells into a Model: per
// dataset, rows are methods (config label, planner, backend) and columns are
// metrics (group, name, columns, direction); each cell holds the mean and
// sample standard deviation over the seeds that ended ok, with n, the best
// mean of each column marked, and the reason of cells without a value.
// Methods are ranked per dataset by their mean rank over the metric columns
// (1 = best, ties share the mean of their ranks) and overall by the mean of
// their per-dataset mean ranks, with win counts (columns where a method is
// best).
//
// Each format is one walk over the model: WriteTable (terminal) and
// WriteMarkdown through tablewriter, every number with Sig significant
// digits (format.go); the terminal tables fit DefaultWidth columns, long
// cells wrapped, wide tables split into blocks that repeat their key
// columns, reasons as numbered notes (fit.go); WriteCSV and WriteJSON with
// full precision; WriteHTML, one self-contained page: first the scorecards
// and the trade-off picture from a FirstScreen (firstscreen.go; today filled
// from the headline summary), then per dataset inline SVG plots drawn by
// gonum.org/v1/plot from the cells' traces and scores (plots.go) and, when
// Run.Real holds a dataset's real table (given, or the run's prepared
// training split: LoadPrepared, realdata.go), from the cells' synthetic
// files: each column's real against synthetic distribution for every method
// (distplots.go), pair-association heat maps (pairplots.go) and heat maps of
// the targeted joints (dataplots.go); every score collapsed by group; and
// the paper's published tables beside ours (paper.go). Compare is the regression gate:
// the metrics whose seed mean got worse than a baseline's beyond a tolerance
// of K standard errors and a relative share. WriteScores and
// WriteComparison are synthor eval's renderings of one or several score
// lists through the same grid. Every renderer writes to memory first and
// returns the first write error; WriteDir writes report.md and report.html
// atomically.
package reports
