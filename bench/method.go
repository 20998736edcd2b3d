package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

// Synthesizer is what every method of the registry builds.
type Synthesizer = baselines.Synthesizer

// TargetFitter is the capability of macro-only methods (LLMSynthor, ipf):
// fitting to target aggregates instead of a table. schema, when not nil,
// supplies descriptions and domains.
type TargetFitter interface {
	FitTargets(ctx context.Context, schema *table.Schema, targets *macro.Targets) error
}

// Summarizer is implemented by methods that summarize their last Sample
// (LLMSynthor: iterations, stop reason, groups, repairs).
type Summarizer interface {
	Result() *synthor.Result
}

var (
	_ TargetFitter = (*synthor.Synthesizer)(nil)
	_ TargetFitter = (*baselines.IPF)(nil)
	_ Summarizer   = (*synthor.Synthesizer)(nil)
	_ Synthesizer  = (*synthor.Synthesizer)(nil)
)

// Param documents one setting of a method.
type Param struct {
	Key     string `json:"key"`
	Default string `json:"default,omitempty"`
	Doc     string `json:"doc,omitempty"`
}

// Options configure a method built by New.
type Options struct {
	// Params are the method's settings by key as strings (from a config
	// file, --set or SYNTHOR_* variables). An unknown key is an error
	// naming it and listing the valid ones.
	Params map[string]string
	// Client is the LLM of methods that use one (llm-icl, llmsynthor with
	// planner=llm); the others ignore it.
	Client llm.Client
	// Trace, when set, receives LLMSynthor's iteration trace (JSON lines).
	Trace io.Writer
}

// Method is one entry of the registry.
type Method struct {
	Name string `json:"name"`
	// Label is a one-line description for reports.
	Label  string  `json:"label"`
	Params []Param `json:"params,omitempty"`
	// MacroOnly: the method needs only aggregates and implements
	// TargetFitter.
	MacroOnly bool `json:"macro_only,omitempty"`
	// Groups: the method models grouped tables.
	Groups bool `json:"groups,omitempty"`
	// CopiesRecords: the output holds real training records verbatim.
	CopiesRecords bool `json:"copies_records,omitempty"`
	// LLM reports whether the method calls an LLM with these params
	// (llm-icl always; llmsynthor with planner=llm).
	LLM func(params map[string]string) bool `json:"-"`
	// Traces: the method writes an iteration trace to Options.Trace.
	Traces bool `json:"traces,omitempty"`
	// Hidden methods (test hooks) are left out of Names and Methods.
	Hidden bool `json:"-"`

	build func(o Options) (Synthesizer, error)
}

// UsesLLM reports whether the method calls an LLM with params.
func (m Method) UsesLLM(params map[string]string) bool { return m.LLM != nil && m.LLM(params) }

// Keys returns the method's param keys in declared order.
func (m Method) Keys() []string {
	out := make([]string, len(m.Params))
	for i, p := range m.Params {
		out[i] = p.Key
	}
	return out
}

// CheckParams reports the first key of params the method does not declare,
// naming it and listing the valid keys.
func (m Method) CheckParams(params map[string]string) error {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(m.Keys(), k) {
			return fmt.Errorf("%s: unknown param %q (valid: %s)", m.Name, k, validList(m.Keys()))
		}
	}
	return nil
}

// New builds the method with opts; an unknown param key or a bad value is
// an error naming the key.
func (m Method) New(opts Options) (Synthesizer, error) {
	if err := m.CheckParams(opts.Params); err != nil {
		return nil, err
	}
	return m.build(opts)
}

func validList(keys []string) string {
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}

// registry holds every method by name: LLMSynthor and the baselines.
var registry = map[string]*Method{}

func init() {
	register(llmsynthorMethod())
	for _, b := range baselines.Methods() {
		register(baselineMethod(b))
	}
}

func register(m *Method) {
	if _, dup := registry[m.Name]; dup {
		panic("bench: method registered twice: " + m.Name)
	}
	registry[m.Name] = m
}

// Names returns the registered method names, sorted.
func Names() []string {
	var out []string
	for n, m := range registry {
		if !m.Hidden {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Methods returns the registered methods, sorted by name.
func Methods() []Method {
	var out []Method
	for _, n := range Names() {
		out = append(out, *registry[n])
	}
	return out
}

// Lookup returns the named method, or an error listing the valid names.
func Lookup(name string) (Method, error) {
	if m, ok := registry[name]; ok {
		return *m, nil
	}
	return Method{}, fmt.Errorf("unknown method %q (valid: %s)", name, strings.Join(Names(), ", "))
}

// New builds the named method with opts.
func New(name string, opts Options) (Synthesizer, error) {
	m, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	return m.New(opts)
}

func baselineMethod(b baselines.Method) *Method {
	m := &Method{Name: b.Name, Label: b.Label, MacroOnly: b.MacroOnly, Groups: b.Groups, CopiesRecords: b.CopiesRecords}
	for _, p := range b.Params {
		m.Params = append(m.Params, Param{Key: p.Key, Default: p.Default, Doc: p.Doc})
	}
	if b.Name == "llm-icl" {
		m.LLM = func(map[string]string) bool { return true }
	}
	name := b.Name
	m.build = func(o Options) (Synthesizer, error) {
		if m.UsesLLM(o.Params) && o.Client == nil {
			return nil, fmt.Errorf("%s: needs an LLM backend (an llm: section or llm.* keys)", name)
		}
		return baselines.New(name, baselines.Options{Params: o.Params, Client: o.Client})
	}
	return m
}
