// Package bench runs experiments: a config names datasets, methods and
// seeds; the runner expands them into cells (dataset × method × seed),
// runs each cell, scores it and appends one Result per cell to
// results.jsonl. Reports are rendered from those rows and never run a cell.
package bench
