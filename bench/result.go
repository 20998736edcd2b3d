package bench

import (
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/synthor"
)

// Status is the outcome of one cell.
type Status string

// The statuses a cell can end with. Every status but StatusOK carries a
// Reason.
const (
	StatusOK      Status = "ok"
	StatusFailed  Status = "failed"
	StatusTimeout Status = "timeout"
	StatusOOM     Status = "oom"
	StatusSkipped Status = "skipped"
)

// MethodRef names the method of a cell as the config gave it.
type MethodRef struct {
	// Name is the registry name ("llmsynthor", "bayes-net", ...).
	Name string `json:"name"`
	// Label is the config's label for this entry (unique within a run);
	// it defaults to Name.
	Label string `json:"label"`
	// Description is the method's one-line description, saying what
	// produced the result ("LLMSynthor loop with the stat planner (no LLM)").
	Description string `json:"description,omitempty"`
	// Planner is LLMSynthor's planner ("stat" or "llm"); empty for others.
	Planner string `json:"planner,omitempty"`
	// Backend names the LLM backend config ("openai-gpt-4.1-nano"); empty
	// when no LLM is used.
	Backend string `json:"backend,omitempty"`
	// Model is the backend's model name.
	Model string `json:"model,omitempty"`
	// Params are the method's settings as given, by key, as JSON values
	// (methods.Values.JSON): numbers, true/false, text, lists.
	Params map[string]any `json:"params,omitempty"`
}

// Timings are the seconds each stage of a cell took.
type Timings struct {
	FitS    float64 `json:"fit_s"`
	SampleS float64 `json:"sample_s"`
	EvalS   float64 `json:"eval_s"`
	// TotalS is the wall time of the cell, child process included.
	TotalS float64 `json:"total_s"`
}

// Versions identify the code and the definitions a result depends on.
type Versions struct {
	Module  string `json:"module"`
	Prompt  string `json:"prompt,omitempty"`
	Metrics string `json:"metrics"`
}

// Result is one row of results.jsonl: one cell (dataset × method × seed).
// Rows are written once, as each cell finishes, and never rewritten;
// reports are built from them without running a cell again.
type Result struct {
	// ID is the cell's deterministic id (hex): a hash of the data bytes, the
	// method and its params, the seed, and the versions.
	ID string `json:"id"`
	// Index is the cell's position in the run's matrix (datasets, then
	// methods, then seeds, in config order): merged and resumed results
	// are listed in this order.
	Index   int       `json:"index"`
	Dataset string    `json:"dataset"`
	Method  MethodRef `json:"method"`
	Seed    uint64    `json:"seed"`
	// Rows is the number of records (groups) synthesized.
	Rows   int    `json:"rows"`
	Status Status `json:"status"`
	// Reason says why Status is not ok.
	Reason string `json:"reason,omitempty"`
	// Metrics is the same list of scores synthor eval --format json prints.
	Metrics []metrics.Score `json:"metrics"`
	Timings Timings         `json:"timings"`
	// PeakRSSBytes is the child process's peak resident set (rusage).
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// LLM is the accounting of every LLM call of the cell; nil when none ran.
	LLM *llm.Accounting `json:"llm,omitempty"`
	// Synthor is LLMSynthor's run summary (iterations, stop reason, groups,
	// repairs); nil for other methods.
	Synthor *synthor.Result `json:"synthor,omitempty"`
	// Warnings are notes on the run that are not failures.
	Warnings []string `json:"warnings,omitempty"`
	Versions Versions `json:"versions"`
	// ConfigHash and DataHash are hex SHA-256 digests of the run's config
	// and of the prepared dataset bytes.
	ConfigHash string `json:"config_hash"`
	DataHash   string `json:"data_hash"`
	// Shard is "I/N" when the run was sharded.
	Shard string `json:"shard,omitempty"`
	// Files are the cell's outputs relative to the run directory
	// ("cells/ID/synth.parquet", "cells/ID/trace.jsonl").
	Files []string `json:"files,omitempty"`
}
