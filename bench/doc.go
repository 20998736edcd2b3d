// Package bench runs experiments: a config names datasets, methods and
// seeds; the runner expands them into cells (dataset × method × seed),
// runs each cell, scores it and appends one Result per cell to
// results.jsonl. Reports are rendered from those rows and never run a cell.
//
// # Methods
//
// Methods are found in the one registry, package methods: a config's
// method entries name them, and their params are decoded by the entry
// (methods.Method.Decode) into typed values carried to each cell as JSON
// (MethodRef.Params) and decoded again by the same parser in the child.
//
// # A run
//
//	LoadConfig(file, sets)     one YAML document, --set laid over it (settings.Overlay),
//	                           decoded strictly into typed values; every key checked with
//	                           its path, every error naming the file and line or the --set
//	  └ Config.Validate        defaults, names, methods, params, backends, metric groups, limits
//	Run(ctx, cfg, opts)
//	  ├ checkRunDir            DIR new, empty, or a run of the same experiment (ExperimentHash
//	  │                        in its manifest); no input is a file the run writes
//	  ├ Config.checkMemory     each dataset's preparation estimated against the limit
//	  ├ Config.Prepare         each dataset read, cut, split (holdout) once: DIR/data/*.parquet
//	  ├ tasks                  the matrix in order; cell id = hash(data, method, params,
//	  │                        backend, seed, rows, metric groups, versions); the shard's part;
//	  │                        LLM cells without their API key variable are skipped
//	  ├ shareLimits            a backend's request rate and concurrency split among the
//	  │                        cells that may use it at once
//	  └ workers × runTask      DIR/cells/ID/cell.json → child process (the hidden cell
//	                           command: RunCell) → result.json; the parent kills it at the
//	                           timeout, reads its peak RSS, classifies timeout/oom/crash,
//	                           and appends the row to results.jsonl (one write + fsync)
//
// A child fits, samples (synth.parquet, and LLMSynthor's trace.jsonl) and
// scores the cell with the metric groups of the config through
// metrics.Evaluate (Spec.Request: the holdout gives every score its
// reference; synthor eval makes the same request from the cell's files),
// under a memory limit it sets itself
// (RLIMIT_DATA on Linux). Only the parent writes results.jsonl, so a
// crashing cell cannot corrupt it; a row cut by a killed parent is dropped
// when the run is resumed. With Resume, cells whose id is recorded are not
// run again, so a killed run, resumed, ends with the rows of an
// uninterrupted one; cells recorded as failed, timeout or oom are kept
// (Summary.Kept) unless RetryFailed. ReadRuns (and Merge) joins the results
// files of shards or runs in matrix order, one row per cell id, the ok row
// over a failed one; it is also what reports reads, and refuses a cut or
// bad line (naming it) and a results file with no rows.
package bench
