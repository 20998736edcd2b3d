package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/metrics"
	"github.com/synthor/synthor/settings"
)

// Config is an experiment: datasets × methods × seeds, the metric groups
// that score each cell, the limits of a cell and the output directory.
// Every field is optional: the zero Config runs LLMSynthor (stat planner)
// on ecommerce-bn with seed 1, scored by the fidelity group. A list that
// is given must not be empty.
type Config struct {
	// Name names the run and its default output folder out/NAME: letters,
	// digits, '.', '_' and '-' (default: the config file's base name).
	Name     string          `yaml:"name" json:"name"`
	Datasets []DatasetConfig `yaml:"datasets" json:"datasets"`
	Methods  []MethodConfig  `yaml:"methods" json:"methods"`
	// Seeds are the seeds of each dataset × method (distinct).
	Seeds settings.Seeds `yaml:"seeds" json:"seeds"`
	// Metrics are metric group names (metrics.GroupNames), each once.
	Metrics []string `yaml:"metrics" json:"metrics"`
	Limits  Limits   `yaml:"limits" json:"limits"`
	// Output is the run directory (default out/NAME).
	Output string `yaml:"output" json:"output"`
	// Scorecard is the headline set the reports show first and the gate
	// compares, as reports.ParseHeadline reads it (default: its
	// DefaultHeadlineKeys).
	Scorecard []string `yaml:"scorecard" json:"scorecard,omitempty"`

	// dir is the config file's directory: relative paths start there.
	dir string
}

// DatasetConfig names one dataset: a catalog entry or a file.
type DatasetConfig struct {
	// Name is a catalog name (datasets list), or the label of File (not a
	// catalog name: a file is never reported under a catalog dataset's
	// name).
	Name string `yaml:"name" json:"name"`
	// File is a table (.csv, .jsonl, .parquet), relative to the config.
	File   string `yaml:"file" json:"file,omitempty"`
	Schema string `yaml:"schema" json:"schema,omitempty"`
	// Split is a real catalog dataset's split.
	Split string `yaml:"split" json:"split,omitempty"`
	// Rows: records drawn from a generator (default its DefaultRows), or
	// the first Rows records of a real table or file (0: all).
	Rows settings.Rows `yaml:"rows" json:"rows,omitempty"`
	// Seed draws a generator's sample and the holdout split (default 1).
	Seed *settings.Seed `yaml:"seed" json:"seed,omitempty"`
	// Holdout is the share of records held out of training for metrics
	// that need unseen data, in [0, 0.9) (0: none).
	Holdout float64 `yaml:"holdout" json:"holdout,omitempty"`
	// Target is the label column for utility metrics (default the
	// catalog's).
	Target string `yaml:"target" json:"target,omitempty"`
	// Sample, when set, is the share of households drawn with Seed as the
	// seed sample every method is fitted to, with Controls, aggregates of
	// the whole dataset, as the control totals; cells are scored against
	// the whole dataset (sample.go).
	Sample   float64        `yaml:"sample" json:"sample,omitempty"`
	Controls ControlsConfig `yaml:"controls" json:"controls,omitzero"`
}

// seed is the dataset's seed, 1 when unset.
func (d DatasetConfig) seed() uint64 {
	if d.Seed == nil {
		return 1
	}
	return uint64(*d.Seed)
}

// MethodConfig is one entry of the method list.
type MethodConfig struct {
	// Name is the registry name (methods.Names).
	Name string `yaml:"name" json:"name"`
	// Label tells entries of the same method apart (default Name).
	Label string `yaml:"label" json:"label,omitempty"`
	// Params are the method's settings, decoded by its registry entry.
	Params methods.Values `yaml:"params" json:"params,omitempty"`
	// Planner is LLMSynthor's planner (the params key planner).
	Planner string `yaml:"planner" json:"planner,omitempty"`
	// Backend is a YAML file with an llm: section, relative to the config,
	// or a bare name for backends/NAME.yaml beside it.
	Backend string `yaml:"backend" json:"backend,omitempty"`
	// LLM sets keys of the backend over the backend file's: those written
	// in the config's llm section (LoadConfig), or, in a Config built in
	// Go, its non-zero fields.
	LLM *llm.Config `yaml:"llm" json:"llm,omitempty"`

	// llm is the LLM section as written: only its keys are laid over the
	// backend file's.
	llm *yaml.Node
}

// Limits bound each cell.
type Limits struct {
	// Workers is the number of cells run at once (0: the number of cores).
	Workers int `yaml:"workers" json:"workers,omitempty"`
	// Timeout ends a cell and records it as timeout (0: none).
	Timeout settings.Duration `yaml:"timeout" json:"timeout,omitempty"`
	// Memory caps a cell's address space (0: none) and records a cell that
	// passes it as oom.
	Memory settings.Size `yaml:"memory" json:"memory,omitempty"`
}

// DefaultSeeds and DefaultMetrics apply when a config gives none.
var (
	DefaultSeeds   = settings.Seeds{1}
	DefaultMetrics = []string{"fidelity"}
)

// LoadConfig reads an experiment config from a YAML file, then applies
// sets (key=value over config keys: "limits.workers=2"), decodes it
// strictly into typed values and validates it with its defaults filled
// in. An error about a key or a value is a *settings.Error naming the file
// and line (or the --set) and the key path with the valid keys; a file
// that cannot be read is an ordinary error. A run reads no environment
// variable as a setting.
func LoadConfig(file string, sets []string) (*Config, error) {
	o, err := settings.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return decodeConfig(o, file, sets)
}

// ParseConfig is LoadConfig for a config's bytes; name stands for the
// file (errors name it, relative paths start in its directory).
func ParseConfig(data []byte, name string, sets []string) (*Config, error) {
	o, err := settings.Parse(data, name)
	if err != nil {
		return nil, err
	}
	return decodeConfig(o, name, sets)
}

func decodeConfig(o *settings.Overlay, file string, sets []string) (*Config, error) {
	for _, s := range sets {
		if err := o.Set(s); err != nil {
			return nil, err
		}
	}
	shortForms(o.Root())
	c := &Config{dir: filepath.Dir(file)}
	if err := o.Decode(c); err != nil {
		return nil, err
	}
	if c.Name == "" {
		c.Name = plainName(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	}
	if err := c.decodeMethods(o); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, o.Locate(err)
	}
	return c, nil
}

// shortForms reads a dataset or a method given by its name alone
// ("- adult") as an entry with that name.
func shortForms(root *yaml.Node) {
	for _, key := range []string{"datasets", "methods"} {
		list := settings.Child(root, key)
		if list == nil || list.Kind != yaml.SequenceNode {
			continue
		}
		for i, item := range list.Content {
			if item.Kind == yaml.ScalarNode && item.ShortTag() == "!!str" {
				list.Content[i] = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: item.Line, Column: item.Column,
					Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: "name", Line: item.Line, Column: item.Column}, item}}
			}
		}
	}
}

// decodeMethods decodes each method's params with its registry entry,
// from the config's own nodes (so that errors name their lines), with
// planner: folded into the params.
func (c *Config) decodeMethods(o *settings.Overlay) error {
	list := settings.Child(o.Root(), "methods")
	for i := range c.Methods {
		m := &c.Methods[i]
		p := fmt.Sprintf("methods[%d]", i)
		reg, err := methods.Lookup(m.Name)
		if err != nil {
			return o.Locate(&settings.Error{Key: p + ".name", Err: err})
		}
		item := list.Content[i]
		params := settings.Child(item, "params")
		if planner := settings.Child(item, "planner"); planner != nil {
			if settings.Child(params, "planner") != nil {
				return o.Errorf(planner, p+".planner", "given twice (and in params)")
			}
			merged := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			if params != nil {
				merged.Content = append(merged.Content, params.Content...)
			}
			merged.Content = append(merged.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "planner", Line: planner.Line}, planner)
			params = merged
		}
		if m.Params, err = reg.Decode(params); err != nil {
			return o.Explain(err, p+".params")
		}
		m.llm = settings.Child(item, "llm")
	}
	return nil
}

var plainNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// plainName keeps letters, digits, '.', '_' and '-' of s (others become
// '_'), so that a file's base name makes a valid default name.
func plainName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			b[i] = '_'
		}
	}
	if len(b) > 0 && (b[0] == '.' || b[0] == '-' || b[0] == '_') {
		b = append([]byte("run"), b...)
	}
	if len(b) > 100 {
		b = b[:100]
	}
	return string(b)
}

// bad is a config error at a key path; LoadConfig adds where the key was
// given.
func bad(key, format string, a ...any) error {
	return &settings.Error{Key: key, Err: fmt.Errorf(format, a...)}
}

// Validate checks the config and fills in its defaults; the error is a
// *settings.Error naming the bad key with its path
// ("methods[2].params.iteratons").
func (c *Config) Validate() error {
	if c.Datasets == nil {
		c.Datasets = []DatasetConfig{{Name: "ecommerce-bn"}}
	}
	if c.Methods == nil {
		c.Methods = []MethodConfig{{Name: "llmsynthor"}}
	}
	if c.Seeds == nil {
		c.Seeds = slices.Clone(DefaultSeeds)
	}
	if c.Metrics == nil {
		c.Metrics = slices.Clone(DefaultMetrics)
	}
	if c.Name == "" {
		c.Name = "run"
	}
	if !plainNameRE.MatchString(c.Name) {
		return bad("name", "%s is not a plain name (letters, digits, '.', '_', '-'; at most 100): it names the output folder out/NAME", settings.Quote(c.Name))
	}
	if c.Output == "" {
		c.Output = filepath.Join("out", c.Name)
	}
	for _, check := range []func() error{c.validateDatasets, c.validateMethods, c.validateMetrics} {
		if err := check(); err != nil {
			return err
		}
	}
	if len(c.Datasets) == 0 || len(c.Methods) == 0 || len(c.Seeds) == 0 || len(c.Metrics) == 0 {
		return bad("", "datasets, methods, seeds and metrics must not be empty lists (leave a key out for its default)")
	}
	if c.Limits.Workers < 0 {
		return bad("limits.workers", "must be at least 0, got %d", c.Limits.Workers)
	}
	return nil
}

func (c *Config) validateDatasets() error {
	names := map[string]bool{}
	for i := range c.Datasets {
		d := &c.Datasets[i]
		p := fmt.Sprintf("datasets[%d]", i)
		switch {
		case d.Name == "" && d.File == "":
			return bad(p, "give name (a catalog dataset) or file")
		case d.File == "":
			if _, err := datasets.Lookup(d.Name); err != nil {
				return bad(p+".name", "%w", err)
			}
		case d.Name == "":
			d.Name = plainName(strings.TrimSuffix(filepath.Base(d.File), filepath.Ext(d.File)))
		default:
			if _, err := datasets.Lookup(d.Name); err == nil {
				return bad(p+".name", "%q is a catalog dataset: label the file with a name of its own (its results would be reported as the catalog's)", d.Name)
			}
		}
		if !plainNameRE.MatchString(d.Name) {
			return bad(p+".name", "%s is not a plain name (letters, digits, '.', '_', '-'; at most 100)", settings.Quote(d.Name))
		}
		if !(d.Holdout >= 0 && d.Holdout < 0.9) {
			return bad(p+".holdout", "must be in [0, 0.9), got %g", d.Holdout)
		}
		if err := d.validateSample(p); err != nil {
			return err
		}
		if names[d.Name] {
			return bad(p+".name", "%q appears twice", d.Name)
		}
		names[d.Name] = true
	}
	return nil
}

func (c *Config) validateMethods() error {
	labels := map[string]bool{}
	for i := range c.Methods {
		m := &c.Methods[i]
		p := fmt.Sprintf("methods[%d]", i)
		reg, err := methods.Lookup(m.Name)
		if err != nil {
			return bad(p+".name", "%w", err)
		}
		if m.Label == "" {
			m.Label = m.Name
		}
		if labels[m.Label] {
			return bad(p+".label", "%q appears twice (give each entry of a method its own label)", m.Label)
		}
		labels[m.Label] = true
		if m.Planner != "" && reg.Param("planner") == nil {
			return bad(p+".planner", "%s has no planner", m.Name)
		}
		uses := reg.UsesLLM(m.Params)
		switch {
		case (m.Backend != "" || m.LLM != nil) && !uses:
			return bad(p+".backend", "%s does not use an LLM with these params", m.Label)
		case uses && m.Backend == "" && m.LLM == nil:
			return bad(p+".backend", "%s uses an LLM: name a backend (configs/backends/NAME.yaml)", m.Label)
		case m.Backend != "":
			if _, err := os.Stat(c.BackendFile(*m)); err != nil {
				return bad(p+".backend", "%s: file not found (a bare name is backends/NAME.yaml beside the config, or configs/backends/NAME.yaml of the project synthor runs in; give the file's path)", c.BackendFile(*m))
			}
		}
		if uses {
			if _, err := c.loadBackend(*m); err != nil {
				return bad(p+".backend", "%w", err)
			}
		}
	}
	return nil
}

func (c *Config) validateMetrics() error {
	for i, g := range c.Metrics {
		if _, err := metrics.Lookup(g); err != nil {
			return bad(fmt.Sprintf("metrics[%d]", i), "%w", err)
		}
		if slices.Contains(c.Metrics[:i], g) {
			return bad(fmt.Sprintf("metrics[%d]", i), "%q appears twice", g)
		}
	}
	return nil
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

// loadBackend reads a method's backend: the backend file's llm section
// with the entry's own llm keys laid over it, validated.
func (c *Config) loadBackend(m MethodConfig) (llm.Config, error) {
	cfg := llm.DefaultConfig
	if m.Backend != "" {
		o, err := settings.ReadFile(c.BackendFile(m))
		if err != nil {
			return llm.Config{}, err
		}
		if err := o.Decode(&cfg, "llm"); err != nil {
			return llm.Config{}, err
		}
	}
	switch {
	case m.llm != nil:
		if err := settings.DecodeNode(m.llm, &cfg); err != nil {
			return llm.Config{}, err
		}
	case m.LLM != nil: // a Config built in Go: the fields it sets
		setFields(&cfg, m.LLM)
	}
	if err := cfg.Validate(); err != nil {
		return llm.Config{}, err
	}
	return cfg, nil
}

// path resolves a path of the config relative to its file.
func (c *Config) path(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.dir, p)
}

// setFields sets the fields of *dst that src sets (non-zero).
func setFields(dst, src *llm.Config) {
	d, s := reflect.ValueOf(dst).Elem(), reflect.ValueOf(src).Elem()
	for i := range s.NumField() {
		if f := s.Field(i); !f.IsZero() {
			d.Field(i).Set(f)
		}
	}
}
