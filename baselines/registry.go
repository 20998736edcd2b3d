package baselines

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/synthor/synthor/llm"
)

// Options configures a method made by New. The zero value works for every
// method but llm-icl (which needs Client) and external (which needs the
// "command" param).
type Options struct {
	// Params are the method's settings by key, as strings (from a config file
	// or --set key=value); Method.Params lists the keys each method takes.
	// An unknown key is an error.
	Params map[string]string
	// Client is the LLM used by llm-icl; the other methods ignore it.
	Client llm.Client
}

// Param documents one setting of a method.
type Param struct {
	Key     string
	Default string
	Doc     string
}

// Method describes a registered synthesizer.
type Method struct {
	Name string
	// Label is a one-line description for reports.
	Label string
	// CopiesRecords is true for methods whose output holds real training
	// records verbatim (bootstrap): reports must say so.
	CopiesRecords bool
	// MacroOnly is true for methods that need only aggregates (ipf): they
	// also implement FitTargets.
	MacroOnly bool
	// Groups is true for methods that model grouped tables.
	Groups bool
	Params []Param
	make   func(p params, o Options) (Synthesizer, error)
}

// Labeler is implemented by every synthesizer of this package: Label says in
// one line what the method is.
type Labeler interface {
	Label() string
}

var registry = []*Method{
	{Name: "bootstrap", Label: labelBootstrap, CopiesRecords: true, Groups: true,
		make: func(params, Options) (Synthesizer, error) { return NewBootstrap(), nil }},
	{Name: "uniform", Label: labelUniform,
		make: func(params, Options) (Synthesizer, error) { return NewUniform(), nil }},
	{Name: "independent", Label: labelIndependent, Groups: true,
		make: func(params, Options) (Synthesizer, error) { return NewIndependent(), nil }},
	{Name: "gaussian-copula", Label: labelCopula,
		make: func(params, Options) (Synthesizer, error) { return NewGaussianCopula(), nil }},
	{Name: "bayes-net", Label: labelBayesNet, Params: bayesNetParams, make: newBayesNetFromParams},
	{Name: "cart", Label: labelCART, Params: cartParams, make: newCARTFromParams},
	{Name: "ipf", Label: labelIPF, MacroOnly: true, Params: ipfParams, make: newIPFFromParams},
	{Name: "ipu", Label: labelIPU, CopiesRecords: true, Groups: true, Params: ipuParams, make: newIPUFromParams},
	{Name: "llm-icl", Label: labelICL, Params: iclParams, make: newICLFromParams},
	{Name: "external", Label: labelExternal, Groups: true, Params: externalParams, make: newExternalFromParams},
}

// Names returns the registered method names in sorted order.
func Names() []string {
	out := make([]string, len(registry))
	for i, m := range registry {
		out[i] = m.Name
	}
	slices.Sort(out)
	return out
}

// Methods returns the descriptions of the registered methods, sorted by name.
func Methods() []Method {
	out := make([]Method, len(registry))
	for i, m := range registry {
		out[i] = *m
	}
	slices.SortFunc(out, func(a, b Method) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Lookup returns the description of the named method.
func Lookup(name string) (Method, error) {
	for _, m := range registry {
		if m.Name == name {
			return *m, nil
		}
	}
	return Method{}, fmt.Errorf("unknown method %q (valid: %s)", name, strings.Join(Names(), ", "))
}

// New returns the named synthesizer configured by opts. An unknown name, an
// unknown param key or a bad param value is an error naming it.
func New(name string, opts Options) (Synthesizer, error) {
	m, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	p := params{method: name, values: opts.Params}
	for k := range opts.Params {
		if !slices.ContainsFunc(m.Params, func(q Param) bool { return q.Key == k }) {
			var keys []string
			for _, q := range m.Params {
				keys = append(keys, q.Key)
			}
			valid := "none"
			if len(keys) > 0 {
				valid = strings.Join(keys, ", ")
			}
			return nil, fmt.Errorf("%s: unknown param %q (valid: %s)", name, k, valid)
		}
	}
	return m.make(p, opts)
}

// params reads typed settings from Options.Params; errors name the method
// and the key.
type params struct {
	method string
	values map[string]string
}

func (p params) str(key, def string) string {
	if v, ok := p.values[key]; ok {
		return v
	}
	return def
}

func (p params) int(key string, def, lo int) (int, error) {
	v, ok := p.values[key]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("%s: param %q: %q is not an integer", p.method, key, v)
	}
	if n < lo {
		return 0, fmt.Errorf("%s: param %q: %d is below %d", p.method, key, n, lo)
	}
	return n, nil
}

func (p params) float(key string, def float64) (float64, error) {
	v, ok := p.values[key]
	if !ok {
		return def, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, fmt.Errorf("%s: param %q: %q is not a number", p.method, key, v)
	}
	return f, nil
}

func (p params) duration(key string, def time.Duration) (time.Duration, error) {
	v, ok := p.values[key]
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("%s: param %q: %q is not a duration (e.g. 90s, 5m)", p.method, key, v)
	}
	return d, nil
}

// joints parses "a,b,c;d,e" into [[a b c] [d e]].
func (p params) joints(key string) ([][]string, error) {
	v := strings.TrimSpace(p.values[key])
	if v == "" {
		return nil, nil
	}
	var out [][]string
	for g := range strings.SplitSeq(v, ";") {
		var names []string
		for s := range strings.SplitSeq(g, ",") {
			if s = strings.TrimSpace(s); s != "" {
				names = append(names, s)
			}
		}
		if len(names) < 2 {
			return nil, fmt.Errorf("%s: param %q: group %q needs two or more column names (form: a,b,c;d,e)", p.method, key, strings.TrimSpace(g))
		}
		out = append(out, names)
	}
	return out, nil
}
