package methods

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

// Synthesizer is what every method builds. Implementations must not keep
// or mutate the training table after Fit returns (they may keep what they
// learned from it), must draw all randomness from seed, and must give
// byte-identical output for the same training table, n and seed.
type Synthesizer interface {
	Name() string
	Fit(ctx context.Context, train *table.Table) error
	Sample(ctx context.Context, n int, seed uint64) (*table.Table, error)
}

// TargetFitter is the capability of macro-only methods (MacroOnly): fitting
// to target aggregates instead of a table. schema, when not nil, supplies
// descriptions and domains.
type TargetFitter interface {
	FitTargets(ctx context.Context, schema *table.Schema, targets *macro.Targets) error
}

// Summarizer is implemented by methods that summarize their last Sample
// (LLMSynthor: iterations, stop reason, groups, repairs).
type Summarizer interface {
	Result() *synthor.Result
}

// Labeler is implemented by synthesizers that say in one line what they
// are with their settings; Describe falls back to the entry's Label.
type Labeler interface {
	Label() string
}

// Options are what a method is built with besides its params.
type Options struct {
	// Client is the LLM of a method that calls one (UsesLLM); the others
	// ignore it.
	Client llm.Client
	// Trace, when set, receives the iteration trace of a method that
	// writes one (Traces), as JSON lines.
	Trace io.Writer
	// Sample is the sample of records LLMSynthor's prior=sample draws from
	// (flat, or grouped by its GroupKey); the others ignore it.
	Sample *table.Table
}

// Method is one entry of the registry: everything the rest of synthor
// asks of a method.
type Method struct {
	// Name is the registry name used by configs and --method.
	Name string
	// Label is a one-line description for reports.
	Label string
	// Params are the method's settings: keys, types, ranges, defaults.
	Params []Param
	// Memory is the method's peak memory per cell (a row of one column) of
	// the training table and the output, in units of 8 bytes; 0 means 1.
	// Measured as peak RSS over cells (BENCHMARKS.md, "Hostile input and
	// limits") and rounded up.
	Memory float64
	// MemoryWith, when set, is Memory for the values given (a setting
	// that changes what the method holds: LLMSynthor's model prior).
	MemoryWith func(Values) float64
	// MacroOnly: the method needs only aggregates and implements
	// TargetFitter.
	MacroOnly bool
	// Groups: the method models grouped tables (households of persons).
	Groups bool
	// CopiesRecords: the output holds real training records verbatim.
	CopiesRecords bool
	// Traces: the method writes an iteration trace to Options.Trace.
	Traces bool
	// SampleOnly: the method is fitted to a seed sample and control totals
	// only (a SampleFitter that refuses a table alone: ipu).
	SampleOnly bool
	// LLM reports whether the method calls an LLM with these values; nil
	// means never.
	LLM func(Values) bool
	// Build makes the synthesizer from checked values (Decode). It may
	// return an error for a combination of values no single range states.
	Build func(Values, Options) (Synthesizer, error)
	// Hidden methods (test hooks) are left out of Names and All.
	Hidden bool
}

// UsesLLM reports whether the method calls an LLM with v.
func (m *Method) UsesLLM(v Values) bool { return m.LLM != nil && m.LLM(v) }

// MemoryFactor is Memory (MemoryWith(v) when set), 1 when unset.
func (m *Method) MemoryFactor(v Values) float64 {
	f := m.Memory
	if m.MemoryWith != nil {
		f = m.MemoryWith(v)
	}
	return max(f, 1)
}

// Keys returns the param keys in declared order.
func (m *Method) Keys() []string {
	out := make([]string, len(m.Params))
	for i, p := range m.Params {
		out[i] = p.Key
	}
	return out
}

// Param returns the param with key, or nil.
func (m *Method) Param(key string) *Param {
	for i := range m.Params {
		if m.Params[i].Key == key {
			return &m.Params[i]
		}
	}
	return nil
}

// ErrNoClient is wrapped by New for a method that calls an LLM built
// without a client.
var ErrNoClient = errors.New("needs an LLM backend (an llm: section or llm.* keys, e.g. llm.model)")

// New builds the method with v (from Decode or Values) and o.
func (m *Method) New(v Values, o Options) (Synthesizer, error) {
	if v.m != nil && v.m != m {
		return nil, fmt.Errorf("%s: values decoded for %s", m.Name, v.m.Name)
	}
	v.m = m
	if m.UsesLLM(v) && o.Client == nil {
		return nil, fmt.Errorf("%s: %w", m.Name, ErrNoClient)
	}
	return m.Build(v, o)
}

// Describe says what produced s: its own Label when it has one, else the
// entry's.
func Describe(m *Method, s Synthesizer) string {
	if l, ok := s.(Labeler); ok {
		return l.Label()
	}
	return m.Label
}

func validList(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}
