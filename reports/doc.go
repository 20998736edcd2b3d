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
// WriteMarkdown through tablewriter, with headers shown as given and a fixed
// number of decimals per metric row; WriteCSV and WriteJSON with full
// precision; WriteHTML, one self-contained page with inline SVG plots drawn
// by gonum.org/v1/plot from the cells' traces and scores (plots.go) and,
// when Run.Real holds a dataset's real table, from the cells' synthetic
// files: marginals and heat maps of the targeted joints (dataplots.go); and
// the paper's published numbers beside ours (paper.go). Compare is the regression gate:
// the metrics whose seed mean got worse than a baseline's beyond a tolerance
// of K standard errors and a relative share. WriteScores and
// WriteComparison are synthor eval's renderings of one or several score
// lists through the same grid. Every renderer writes to memory first and
// returns the first write error; WriteDir writes report.md and report.html
// atomically.
package reports
