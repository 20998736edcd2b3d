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
	synthFile  = "synth.csv"
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
	if err := table.WriteFile(filepath.Join(s.Dir, synthFile), out); err != nil {
		return fail("write: %v", err)
	}
	r.Files = append([]string{filepath.Join("cells", s.ID, synthFile)}, r.Files...)
	t2 := time.Now()
	in := metrics.Input{Real: real, Synth: out, Holdout: holdout, Target: s.Target, Seed: s.Seed, Controls: controls}
	if m.Param("overrides") != nil {
		in.Overrides = params.Overrides("overrides")
	}
	if controls != nil {
		in.Targeted = TargetedKeys(controls)
	}
	// The utility group scores a derived label (ecommerce-bn's) computed on
	// every side after generation: the synthesizer never saw it, and the
	// other groups score the columns as they are.
	for _, name := range s.Metrics {
		g, err := metrics.Lookup(name)
		if err != nil {
			return fail("%v", err)
		}
		gin := in
		if name == "utility" {
			for _, t := range []**table.Table{&gin.Real, &gin.Synth, &gin.Holdout} {
				if *t == nil {
					continue
				}
				if *t, err = datasets.Derive(*t, s.Target); err != nil {
					return fail("target %s: %v", s.Target, err)
				}
			}
		}
		scores, err := g.Scores(ctx, gin)
		if err != nil {
			return fail("metrics %s: %v", name, err)
		}
		r.Metrics = append(r.Metrics, scores...)
	}
	r.Timings.EvalS = time.Since(t2).Seconds()
	return r
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
