package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/metrics"
)

// Config is an experiment: datasets × methods × seeds, the metric groups
// that score each cell, the limits of a cell and the output directory.
// Every field is optional: the zero Config runs LLMSynthor (stat planner)
// on ecommerce-bn with seed 1, scored by the fidelity group.
type Config struct {
	// Name names the run (default: the config file's base name).
	Name     string          `mapstructure:"name" json:"name"`
	Datasets []DatasetConfig `mapstructure:"datasets" json:"datasets"`
	Methods  []MethodConfig  `mapstructure:"methods" json:"methods"`
	Seeds    []uint64        `mapstructure:"seeds" json:"seeds"`
	// Metrics are metric group names (metrics.GroupNames).
	Metrics []string `mapstructure:"metrics" json:"metrics"`
	Limits  Limits   `mapstructure:"limits" json:"limits"`
	// Output is the run directory (default out/NAME).
	Output string `mapstructure:"output" json:"output"`

	// dir is the config file's directory: relative paths start there.
	dir string
}

// DatasetConfig names one dataset: a catalog entry or a file.
type DatasetConfig struct {
	// Name is a catalog name (datasets list), or the label of File.
	Name string `mapstructure:"name" json:"name"`
	// File is a table (.csv, .jsonl, .parquet), relative to the config.
	File   string `mapstructure:"file" json:"file,omitempty"`
	Schema string `mapstructure:"schema" json:"schema,omitempty"`
	// Split is a real catalog dataset's split.
	Split string `mapstructure:"split" json:"split,omitempty"`
	// Rows: records drawn from a generator (default its DefaultRows), or
	// the first Rows records of a real table or file (0: all).
	Rows int `mapstructure:"rows" json:"rows,omitempty"`
	// Seed draws a generator's sample and the holdout split (default 1).
	Seed uint64 `mapstructure:"seed" json:"seed,omitempty"`
	// Holdout is the share of records held out of training for metrics
	// that need unseen data (0: none).
	Holdout float64 `mapstructure:"holdout" json:"holdout,omitempty"`
	// Target is the label column for utility metrics (default the
	// catalog's).
	Target string `mapstructure:"target" json:"target,omitempty"`
}

// MethodConfig is one entry of the method list.
type MethodConfig struct {
	// Name is the registry name (Names).
	Name string `mapstructure:"name" json:"name"`
	// Label tells entries of the same method apart (default Name).
	Label string `mapstructure:"label" json:"label,omitempty"`
	// Params are the method's settings by key.
	Params map[string]any `mapstructure:"params" json:"params,omitempty"`
	// Planner is LLMSynthor's planner (the params key planner).
	Planner string `mapstructure:"planner" json:"planner,omitempty"`
	// Backend is a YAML file with an llm: section, relative to the config,
	// or a bare name for backends/NAME.yaml beside it.
	Backend string `mapstructure:"backend" json:"backend,omitempty"`
	// LLM overrides keys of the backend (llm.Config keys).
	LLM map[string]any `mapstructure:"llm" json:"llm,omitempty"`
}

// Limits bound each cell.
type Limits struct {
	// Workers is the number of cells run at once (0: the number of cores).
	Workers int `mapstructure:"workers" json:"workers,omitempty"`
	// Timeout ends a cell and records it as timeout (0: none).
	Timeout time.Duration `mapstructure:"timeout" json:"timeout,omitempty"`
	// Memory caps a cell's address space ("2GiB", "512MiB"; empty: none)
	// and records a cell that passes it as oom.
	Memory string `mapstructure:"memory" json:"memory,omitempty"`
}

// DefaultSeeds and DefaultMetrics apply when a config gives none.
var (
	DefaultSeeds   = []uint64{1}
	DefaultMetrics = []string{"fidelity"}
)

// LoadConfig reads an experiment config from a YAML file, then applies
// sets (key=value over config keys, "limits.workers=2"). An unknown key
// anywhere is an error naming its path and the valid keys. The result is
// validated and has its defaults filled in.
func LoadConfig(file string, sets []string) (*Config, error) {
	v, err := readYAML(file)
	if err != nil {
		return nil, err
	}
	for _, s := range sets {
		k, val, ok := strings.Cut(s, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return nil, settingsErrorf("--set %q: want key=value", s)
		}
		v.Set(k, val)
	}
	raw := v.AllSettings()
	c, err := DecodeExperiment(raw)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	c.dir = filepath.Dir(file)
	if c.Name == "" {
		c.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	return c, nil
}

// DecodeExperiment decodes a config from its YAML map. Short forms are
// accepted: a dataset or a method given by its name alone.
func DecodeExperiment(raw map[string]any) (*Config, error) {
	if err := checkKeys("", raw, reflect.TypeFor[Config]()); err != nil {
		return nil, SettingsError{err}
	}
	c := &Config{}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           c,
		ErrorUnused:      true,
		WeaklyTypedInput: true,
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			nameHook,
		),
	})
	if err != nil {
		return nil, err
	}
	if err := dec.Decode(raw); err != nil {
		return nil, SettingsError{errors.New(OneLine(strings.TrimPrefix(err.Error(), "decoding failed due to the following error(s):")))}
	}
	return c, nil
}

// nameHook reads a bare string as a dataset or a method named by it.
func nameHook(from, to reflect.Type, data any) (any, error) {
	s, ok := data.(string)
	if !ok {
		return data, nil
	}
	switch to {
	case reflect.TypeFor[DatasetConfig]():
		return map[string]any{"name": s}, nil
	case reflect.TypeFor[MethodConfig]():
		return map[string]any{"name": s}, nil
	}
	return data, nil
}

// checkKeys reports the first key of raw (a YAML map) that t (a struct)
// has no field for, with its path and the valid keys.
func checkKeys(path string, raw any, t reflect.Type) error {
	switch t.Kind() {
	case reflect.Slice:
		list, ok := raw.([]any)
		if !ok {
			return nil
		}
		for i, e := range list {
			if err := checkKeys(fmt.Sprintf("%s[%d]", path, i), e, t.Elem()); err != nil {
				return err
			}
		}
		return nil
	case reflect.Struct:
	default:
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil
	}
	fields := map[string]reflect.Type{}
	var valid []string
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if key == "" || !f.IsExported() {
			continue
		}
		fields[key] = f.Type
		valid = append(valid, key)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := k
		if path != "" {
			p = path + "." + k
		}
		ft, ok := fields[k]
		if !ok {
			return fmt.Errorf("%s: unknown key (valid: %s)", p, strings.Join(valid, ", "))
		}
		if err := checkKeys(p, m[k], ft); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the config and fills in its defaults; the error names
// the bad key with its path ("methods[2].params.iteratons").
func (c *Config) Validate() error {
	if len(c.Datasets) == 0 {
		c.Datasets = []DatasetConfig{{Name: "ecommerce-bn"}}
	}
	if len(c.Methods) == 0 {
		c.Methods = []MethodConfig{{Name: "llmsynthor"}}
	}
	if len(c.Seeds) == 0 {
		c.Seeds = slices.Clone(DefaultSeeds)
	}
	if len(c.Metrics) == 0 {
		c.Metrics = slices.Clone(DefaultMetrics)
	}
	if c.Name == "" {
		c.Name = "run"
	}
	if c.Output == "" {
		c.Output = filepath.Join("out", c.Name)
	}
	bad := func(format string, a ...any) error { return SettingsError{fmt.Errorf(format, a...)} }
	names := map[string]bool{}
	for i := range c.Datasets {
		d := &c.Datasets[i]
		p := fmt.Sprintf("datasets[%d]", i)
		switch {
		case d.Name == "" && d.File == "":
			return bad("%s: give name (a catalog dataset) or file", p)
		case d.File == "":
			if _, err := datasets.Lookup(d.Name); err != nil {
				return bad("%s.name: %v", p, err)
			}
		case d.Name == "":
			d.Name = strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File))
		}
		if d.Rows < 0 {
			return bad("%s.rows: must be positive, got %d", p, d.Rows)
		}
		if d.Holdout < 0 || d.Holdout >= 0.9 {
			return bad("%s.holdout: must be in [0, 0.9), got %g", p, d.Holdout)
		}
		if d.Seed == 0 {
			d.Seed = 1
		}
		if names[d.Name] {
			return bad("%s.name: %q appears twice", p, d.Name)
		}
		names[d.Name] = true
	}
	labels := map[string]bool{}
	for i := range c.Methods {
		m := &c.Methods[i]
		p := fmt.Sprintf("methods[%d]", i)
		reg, err := Lookup(m.Name)
		if err != nil {
			return bad("%s.name: %v", p, err)
		}
		if m.Label == "" {
			m.Label = m.Name
		}
		if labels[m.Label] {
			return bad("%s.label: %q appears twice (give each entry of a method its own label)", p, m.Label)
		}
		labels[m.Label] = true
		params := m.StringParams()
		for _, k := range sortedKeys(params) {
			if !slices.Contains(reg.Keys(), k) {
				return bad("%s.params.%s: unknown param of %s (valid: %s)", p, k, m.Name, validList(reg.Keys()))
			}
		}
		if m.Planner != "" && !slices.Contains(reg.Keys(), "planner") {
			return bad("%s.planner: %s has no planner", p, m.Name)
		}
		if (m.Backend != "" || len(m.LLM) > 0) && !reg.UsesLLM(params) {
			return bad("%s.backend: %s does not use an LLM with these params", p, m.Label)
		}
		if reg.UsesLLM(params) && m.Backend == "" && len(m.LLM) == 0 {
			return bad("%s.backend: %s uses an LLM: name a backend (configs/backends/NAME.yaml)", p, m.Label)
		}
		if m.Backend != "" {
			if _, err := os.Stat(c.BackendFile(*m)); err != nil {
				return bad("%s.backend: %s: file not found (a bare name is backends/NAME.yaml beside the config, or configs/backends/NAME.yaml of the project synthor runs in; give the file's path)", p, c.BackendFile(*m))
			}
		}
	}
	for i, g := range c.Metrics {
		if _, err := metrics.Lookup(g); err != nil {
			return bad("metrics[%d]: %v", i, err)
		}
	}
	if c.Limits.Workers < 0 {
		return bad("limits.workers: must be positive, got %d", c.Limits.Workers)
	}
	if c.Limits.Timeout < 0 {
		return bad("limits.timeout: must be positive, got %s", c.Limits.Timeout)
	}
	if _, err := ParseBytes(c.Limits.Memory); err != nil {
		return bad("limits.memory: %v", err)
	}
	return nil
}

// StringParams returns the entry's params as the strings methods read,
// with Planner folded in.
func (m MethodConfig) StringParams() map[string]string {
	out := map[string]string{}
	for k, v := range m.Params {
		out[strings.ToLower(k)] = ParamString(v)
	}
	if m.Planner != "" {
		out["planner"] = m.Planner
	}
	return out
}

// BackendFile is the path of the entry's backend file: a path relative to
// the config; a bare name is backends/NAME.yaml beside the config or, when
// there is none, the project's configs/backends/NAME.yaml under the
// working directory (so that a config copied out of configs/ and run from
// the project finds the shipped backends).
func (c *Config) BackendFile(m MethodConfig) string {
	b := m.Backend
	bare := !strings.ContainsRune(b, '/') && !strings.HasSuffix(b, ".yaml")
	if bare {
		b = filepath.Join("backends", b+".yaml")
	}
	if filepath.IsAbs(b) {
		return b
	}
	p := filepath.Join(c.dir, b)
	if _, err := os.Stat(p); err != nil && bare {
		if shipped := filepath.Join("configs", b); fileExists(shipped) {
			return shipped
		}
	}
	return p
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// path resolves a path of the config relative to its file.
func (c *Config) path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.dir, p)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ParseBytes reads a size: "512MiB", "2GiB", "1.5GB", "1000000" (bytes);
// "" is 0 (no limit).
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	mult := 1.0
	num := s
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f >= 0 && f*mult < 1<<62) {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 2GiB)", s)
	}
	return int64(f * mult), nil
}
