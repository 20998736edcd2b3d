package methods

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/synthor/synthor/baselines"
)

// The compile-time checks of what the registry's constructors return.
var (
	_ Synthesizer  = (*baselines.Bootstrap)(nil)
	_ Synthesizer  = (*baselines.Uniform)(nil)
	_ Synthesizer  = (*baselines.Independent)(nil)
	_ Synthesizer  = (*baselines.GaussianCopula)(nil)
	_ Synthesizer  = (*baselines.BayesNet)(nil)
	_ Synthesizer  = (*baselines.CART)(nil)
	_ Synthesizer  = (*baselines.IPF)(nil)
	_ Synthesizer  = (*baselines.IPU)(nil)
	_ SampleFitter = (*baselines.IPU)(nil)
	_ Synthesizer  = (*baselines.ICL)(nil)
	_ Synthesizer  = (*baselines.External)(nil)
	_ TargetFitter = (*baselines.IPF)(nil)
)

// registry is every method by name: LLMSynthor and the baselines. To add
// a method, add its entry here (see the package doc).
var registry = []*Method{
	llmsynthorMethod,
	bootstrapMethod,
	uniformMethod,
	independentMethod,
	copulaMethod,
	bayesNetMethod,
	cartMethod,
	ipfMethod,
	ipuMethod,
	iclMethod,
	externalMethod,
}

var mu sync.RWMutex

// ErrUnknown is wrapped by Lookup's error for a name the registry lacks.
var ErrUnknown = errors.New("unknown method")

// Register adds a method (a test hook, an extension); a name registered
// twice is a programmer's error and panics.
func Register(m *Method) {
	mu.Lock()
	defer mu.Unlock()
	for _, r := range registry {
		if r.Name == m.Name {
			panic("methods: registered twice: " + m.Name)
		}
	}
	registry = append(registry, m)
}

// Lookup returns the named method, or an error wrapping ErrUnknown that
// lists the valid names.
func Lookup(name string) (*Method, error) {
	mu.RLock()
	defer mu.RUnlock()
	for _, m := range registry {
		if m.Name == name {
			return m, nil
		}
	}
	return nil, fmt.Errorf("%w %q (valid: %s)", ErrUnknown, name, strings.Join(names(), ", "))
}

// Names returns the registered method names, sorted (hidden ones left
// out).
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	return names()
}

func names() []string {
	var out []string
	for _, m := range registry {
		if !m.Hidden {
			out = append(out, m.Name)
		}
	}
	slices.Sort(out)
	return out
}

// All returns the registered methods sorted by name (hidden ones left
// out).
func All() []*Method {
	var out []*Method
	for _, n := range Names() {
		m, _ := Lookup(n)
		out = append(out, m)
	}
	return out
}

// New builds the named method with params given as a config writes them
// (Method.Values) and o.
func New(name string, params map[string]any, o Options) (Synthesizer, error) {
	m, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	v, err := m.Values(params)
	if err != nil {
		return nil, err
	}
	return m.New(v, o)
}
