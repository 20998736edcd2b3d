package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/table"
)

// Spec is what a child process needs to run one cell; the runner writes
// it to DIR/cells/ID/cell.json.
type Spec struct {
	ID      string    `json:"id"`
	Index   int       `json:"index"`
	Dataset string    `json:"dataset"`
	Method  MethodRef `json:"method"`
	Seed    uint64    `json:"seed"`
	// Rows is the number of records (groups) to synthesize.
	Rows int `json:"rows"`
	// Train and Holdout are prepared tables (LoadTable), absolute paths.
	Train   string `json:"train"`
	Holdout string `json:"holdout,omitempty"`
	// Real and Controls, for a seed-sample dataset, are the whole dataset
	// (scored against) and its control totals; Train is the seed sample.
	Real     string   `json:"real,omitempty"`
	Controls string   `json:"controls,omitempty"`
	Target   string   `json:"target,omitempty"`
	Metrics  []string `json:"metrics"`
	// LLM is the backend of a method that calls one.
	LLM *llm.Config `json:"llm,omitempty"`
	// Dir is the cell's output directory (absolute).
	Dir string `json:"dir"`
	// MemoryBytes caps the child's address space (0: none).
	MemoryBytes int64    `json:"memory_bytes,omitempty"`
	Versions    Versions `json:"versions"`
	DataHash    string   `json:"data_hash"`
	ConfigHash  string   `json:"config_hash"`
}

// cellID hashes what a cell's result depends on: the data bytes, the
// method with its params and backend, the seed, the rows, the metric
// groups and the versions.
func cellID(s Spec) string {
	key := struct {
		Data     string
		Method   string
		Params   map[string]any
		Backend  string
		Model    string
		BaseURL  string
		Seed     uint64
		Rows     int
		Metrics  []string
		Versions Versions
	}{s.DataHash, s.Method.Name, s.Method.Params, s.Method.Backend, s.Method.Model, "", s.Seed, s.Rows, s.Metrics, s.Versions}
	if s.LLM != nil {
		key.BaseURL = s.LLM.BaseURL
	}
	b, _ := json.Marshal(key) // map keys are sorted
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// Files a cell writes under its directory.
const (
	specFile   = "cell.json"
	resultFile = "result.json"
	synthFile  = "synth" + DataExt
	traceFile  = "trace.jsonl"
	stderrFile = "stderr.log"
)

// RunCell runs the cell described by the spec file (in a child process,
// the hidden cell command) and writes its result to result.json beside it.
// A method that fails is a result with status failed; the error returned
// is one the result could not be written for.
func RunCell(ctx context.Context, specPath string) error {
	b, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // params keep their digits (seeds above 2^53)
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("%s: %w", specPath, err)
	}
	if s.MemoryBytes > 0 {
		if err := limitMemory(s.MemoryBytes); err != nil {
			return err
		}
	}
	r := runSpec(ctx, s)
	return writeJSON(filepath.Join(s.Dir, resultFile), r)
}

// runSpec fits, samples and scores; failures become the result's reason.
func runSpec(ctx context.Context, s Spec) Result {
	r := Result{ID: s.ID, Index: s.Index, Dataset: s.Dataset, Method: s.Method, Seed: s.Seed, Status: StatusOK,
		Versions: s.Versions, DataHash: s.DataHash, ConfigHash: s.ConfigHash, Metrics: []metrics.Score{}}
	fail := func(format string, a ...any) Result {
		r.Status, r.Reason = StatusFailed, OneLine(fmt.Sprintf(format, a...))
		return r
	}
	train, err := LoadTable(s.Train)
	if err != nil {
		return fail("load: %v", err)
	}
	var holdout *table.Table
	if s.Holdout != "" {
		if holdout, err = LoadTable(s.Holdout); err != nil {
			return fail("load: %v", err)
		}
	}
	real, controls, err := loadSampleRun(s, train)
	if err != nil {
		return fail("load: %v", err)
	}
	m, err := methods.Lookup(s.Method.Name)
	if err != nil {
		return fail("%v", err)
	}
	params, err := m.Values(s.Method.Params)
	if err != nil {
		return fail("%v", err)
	}
	var opts methods.Options
	var backend *llm.Backend
	if m.UsesLLM(params) {
		if s.LLM == nil {
			return fail("%s: no LLM backend", s.Method.Label)
		}
		b, err := llm.Open(*s.LLM)
		if err != nil {
			return fail("llm: %v", err)
		}
		defer b.Close()
		backend, opts.Client = b, b
	}
	var trace bytes.Buffer
	if m.Traces {
		opts.Trace = &trace
	}
	syn, err := m.New(params, opts)
	if err != nil {
		return fail("%v", err)
	}
	r.Method.Description = methods.Describe(m, syn)
	t0 := time.Now()
	if controls != nil {
		var note string
		note, err = methods.FitSample(ctx, syn, train, controls)
		r.Method.Description = methods.Describe(m, syn) + "; " + note
	} else {
		err = syn.Fit(ctx, train)
	}
	r.Timings.FitS = time.Since(t0).Seconds()
	if err != nil {
		return fail("fit: %v", err)
	}
	t1 := time.Now()
	out, err := syn.Sample(ctx, s.Rows, s.Seed)
	r.Timings.SampleS = time.Since(t1).Seconds()
	if backend != nil {
		a := backend.Stats()
		r.LLM = &a
	}
	if sm, ok := syn.(methods.Summarizer); ok {
		r.Synthor = sm.Result()
	}
	if trace.Len() > 0 {
		if werr := writeBytes(filepath.Join(s.Dir, traceFile), trace.Bytes()); werr == nil {
			r.Files = append(r.Files, filepath.Join("cells", s.ID, traceFile))
		}
	}
	if err != nil {
		return fail("sample: %v", err)
	}
	r.Rows = s.Rows
	if err := writeTable(filepath.Join(s.Dir, synthFile), out); err != nil {
		return fail("write: %v", err)
	}
	r.Files = append([]string{filepath.Join("cells", s.ID, synthFile)}, r.Files...)
	t2 := time.Now()
	if controls != nil {
		// A method fitted to the controls alone makes only the controlled
		// variables: the whole dataset is scored on those, and the result
		// says which columns it lacks.
		if lack := lacking(real, out); len(lack) > 0 {
			real = onlyColumns(real, out)
			r.Warnings = append(r.Warnings, fmt.Sprintf("the output lacks %d of the dataset's columns (%s): scored on the others", len(lack), strings.Join(lack, ", ")))
		}
	}
	req, err := s.Request(real, out, holdout, controls)
	if err != nil {
		return fail("metrics: %v", err)
	}
	scores, err := metrics.Evaluate(ctx, req)
	if err != nil {
		return fail("metrics: %v", err)
	}
	r.Metrics = append(r.Metrics, scores...)
	r.Timings.EvalS = time.Since(t2).Seconds()
	return r
}

// lacking returns the columns of a that b lacks.
func lacking(a, b *table.Table) []string {
	var out []string
	for _, c := range a.Cols {
		if b.Col(c.Name) == nil {
			out = append(out, c.Name)
		}
	}
	return out
}

// onlyColumns returns a with only the columns b has (sharing a's data).
func onlyColumns(a, b *table.Table) *table.Table {
	var cols []*table.Column
	for _, c := range a.Cols {
		if b.Col(c.Name) != nil {
			cols = append(cols, c)
		}
	}
	t := table.MustNew(cols...) // a's columns: unique names, equal lengths
	if t.Col(a.GroupKey) != nil {
		t.GroupKey = a.GroupKey
	}
	return t
}

// Request is what the cell scores: the synthetic table against real (the
// training table; for a seed-sample cell the whole dataset, with its
// controls marking the targeted scores) with the holdout, the dataset's
// target (derived labels for the utility group only), the cell's seed and
// the method's what-if overrides. synthor eval given the cell's files and
// flags makes the same request.
func (s Spec) Request(real, synth, holdout *table.Table, controls *macro.Targets) (metrics.Request, error) {
	in := metrics.Input{Real: real, Synth: synth, Holdout: holdout, Target: s.Target, Seed: s.Seed, Controls: controls}
	if m, err := methods.Lookup(s.Method.Name); err == nil && m.Param("overrides") != nil {
		v, err := m.Values(s.Method.Params)
		if err != nil {
			return metrics.Request{}, err
		}
		in.Overrides = v.Overrides("overrides")
	}
	return metrics.Request{
		Input:   in,
		Groups:  s.Metrics,
		Targets: controls,
		Label:   datasets.Derive,
		Names:   metrics.TableNames{Real: "the training table", Synth: "the synthetic table", Holdout: "the holdout table"},
	}, nil
}

// writeTable writes t as Parquet at path, atomically.
func writeTable(path string, t *table.Table) error {
	return table.WriteAtomic(path, func(w io.Writer) error { return table.WriteParquet(w, t) })
}

func writeBytes(path string, b []byte) error {
	return table.WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeBytes(path, append(b, '\n'))
}

// lastLine returns the last non-empty line of b, trimmed.
func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}
