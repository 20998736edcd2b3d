package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

// synthKeys are the LLMSynthor settings accepted by --set and configs.
var synthKeys = []string{"planner", "iterations", "proposals", "n_joints", "joints", "bins", "fine", "batch",
	"top_joint", "top_marginal", "tolerance", "removal", "context", "overrides", "max_skips", "group_size"}

type synthFlags struct {
	data, dataset, split, method, targets, schema, out, trace, config string
	rows                                                              int
	seed                                                              uint64
	sets                                                              []string
}

func newSynthCmd() *cobra.Command {
	var f synthFlags
	cmd := &cobra.Command{
		Use:   "synth (--data FILE | --dataset NAME | --targets FILE) --method NAME --out FILE",
		Short: "Synthesize a table with LLMSynthor or a baseline",
		Long: `synth fits a method to a table (a file, or a dataset from the catalog) or to target
aggregates (--targets, LLMSynthor and ipf), samples --rows records (groups, for a grouped
table) with --seed, and writes them to --out (.csv, .jsonl or .parquet). LLMSynthor's planner is
"stat" (no LLM) unless --set planner=llm and an llm backend are configured.

Settings come from --config (YAML), SYNTHOR_* environment variables and --set key=value,
in increasing precedence. LLMSynthor keys: ` + strings.Join(synthKeys, ", ") + `;
joints as "a,b,c;c,x"; overrides as "var=category:share" (comma-separated). LLM keys:
llm.base_url, llm.model, llm.api_key_env, ... (see synthor llm check --help). Other keys
are passed to baselines as their parameters.`,
		Example: `  synthor synth --dataset ecommerce-bn --method llmsynthor --rows 2000 --seed 1 --out synth.csv
  synthor synth --data ref.csv --method llmsynthor --set joints="user_age,user_gender,product_category;product_category,price" --out s.csv --trace trace.jsonl
  synthor synth --data ref.csv --method bayes-net --set k=2 --out bn.csv
  synthor synth --data ref.csv --method llmsynthor --set planner=llm --set llm.base_url=http://localhost:8000/v1 --set llm.model=Qwen/Qwen2.5-7B-Instruct --out s.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runSynth(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "", "training table (.csv, .jsonl, .parquet, optionally .gz)")
	fl.StringVar(&f.dataset, "dataset", "", "a dataset from the catalog (see synthor datasets list)")
	fl.StringVar(&f.split, "split", "", "the dataset's split (real datasets)")
	fl.StringVar(&f.targets, "targets", "", "target aggregates file (JSON or YAML) instead of a table")
	fl.StringVar(&f.schema, "schema", "", "schema file (YAML or JSON) for --data or --targets")
	fl.StringVar(&f.method, "method", "llmsynthor", "method: llmsynthor or a baseline ("+strings.Join(baselines.Names(), ", ")+")")
	fl.IntVar(&f.rows, "rows", 0, "records (groups) to synthesize; 0: as many as the training table has")
	fl.Uint64Var(&f.seed, "seed", 1, "random seed")
	fl.StringArrayVar(&f.sets, "set", nil, "set a key: key=value (repeatable)")
	fl.StringVar(&f.config, "config", "", "YAML config with method settings and an llm: section")
	fl.StringVar(&f.out, "out", "", "output file (.csv, .jsonl or .parquet, optionally .gz)")
	fl.StringVar(&f.trace, "trace", "", "LLMSynthor: write one JSON line per iteration to this file")
	return cmd
}

func runSynth(cmd *cobra.Command, f synthFlags) error {
	ctx := cmd.Context()
	sources := 0
	for _, s := range []string{f.data, f.dataset, f.targets} {
		if s != "" {
			sources++
		}
	}
	switch {
	case sources == 0:
		return usagef("synth: give --data FILE, --dataset NAME or --targets FILE")
	case f.data != "" && f.dataset != "":
		return usagef("synth: give --data or --dataset, not both")
	case f.out == "":
		return usagef("synth: --out FILE is required")
	case f.rows < 0:
		return usagef("synth: --rows must be positive, got %d", f.rows)
	}
	if f.trace != "" && f.method != "llmsynthor" {
		return usagef("synth: --trace is for --method llmsynthor")
	}
	cfg, params, err := loadSynthSettings(f.config, f.sets)
	if err != nil {
		return err
	}
	var schema *table.Schema
	if f.schema != "" {
		if schema, err = table.LoadSchema(f.schema); err != nil {
			return err
		}
	}
	var train *table.Table
	switch {
	case f.data != "":
		if train, err = table.ReadFile(f.data, table.ReadOptions{Schema: schema}); err != nil {
			return err
		}
	case f.dataset != "":
		if train, err = loadDataset(f.dataset, f.split, f.seed); err != nil {
			return err
		}
	}
	var targets *macro.Targets
	if f.targets != "" {
		if targets, err = macro.LoadTargets(f.targets); err != nil {
			return err
		}
	}
	n := f.rows
	if n == 0 {
		switch {
		case train != nil && train.GroupKey != "":
			g, err := train.Groups()
			if err != nil {
				return err
			}
			n = len(g)
		case train != nil:
			n = train.NumRows()
		default:
			n = int(targets.Size)
		}
	}
	if n <= 0 {
		return usagef("synth: give --rows N (the targets do not say how many records they describe)")
	}

	var (
		out   *table.Table
		label string
		note  string
	)
	start := time.Now()
	if f.method == "llmsynthor" {
		out, label, note, err = synthLLMSynthor(ctx, f, cfg, train, targets, schema, n, cmd.ErrOrStderr())
	} else {
		out, label, err = synthBaseline(ctx, f, params, train, targets, n)
	}
	if err != nil {
		return err
	}
	if err := table.WriteFile(f.out, out); err != nil {
		return err
	}
	_, err = fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d rows in %s -> %s%s\n", label, out.NumRows(), time.Since(start).Round(time.Millisecond), f.out, note)
	return err
}

func synthLLMSynthor(ctx context.Context, f synthFlags, cfg synthor.Config, train *table.Table, targets *macro.Targets, schema *table.Schema, n int, logw io.Writer) (*table.Table, string, string, error) {
	pr, err := newPlanner(cfg, f.config, f.sets, logw)
	if err != nil {
		return nil, "", "", err
	}
	defer pr.close()
	s, err := synthor.New(cfg, pr.planner)
	if err != nil {
		return nil, "", "", err
	}
	var trace bytes.Buffer
	if f.trace != "" {
		s.Trace = &trace
	}
	if targets != nil {
		err = s.FitTargets(ctx, schema, targets)
	} else {
		err = s.Fit(ctx, train)
	}
	if err != nil {
		return nil, "", "", err
	}
	out, err := s.Sample(ctx, n, f.seed)
	if f.trace != "" && trace.Len() > 0 {
		werr := table.WriteAtomic(f.trace, func(w io.Writer) error {
			_, err := w.Write(trace.Bytes())
			return err
		})
		if werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		return nil, "", "", err
	}
	r := s.Result()
	note := fmt.Sprintf(" (%d iterations, stop: %s, joints: %s", r.Iterations, r.Stop, fmtJoints(r.Deps))
	if len(r.Untracked) > 0 {
		note += ", without targets: " + fmtJoints(r.Untracked)
	}
	if n := r.Repairs.Total(); n > 0 {
		note += fmt.Sprintf(", %d repairs", n)
	}
	if r.Removed > 0 {
		note += fmt.Sprintf(", removal step on: %d records removed", r.Removed)
	}
	if r.Calls > 0 {
		note += fmt.Sprintf(", %d LLM calls, %d parse failures", r.Calls, r.ParseFailures)
	}
	return out, "llmsynthor [" + s.Label() + "]", note + pr.accounting() + ")", nil
}

func synthBaseline(ctx context.Context, f synthFlags, params map[string]string, train *table.Table, targets *macro.Targets, n int) (*table.Table, string, error) {
	m, err := baselines.Lookup(f.method)
	if err != nil {
		return nil, "", usageError{fmt.Errorf("synth: %w (or llmsynthor)", err)}
	}
	// Keys that are LLMSynthor settings go to a baseline too when it
	// declares them (ipf's joints, bayes-net's bins, ...).
	synthSets := map[string]string{}
	for _, s := range f.sets {
		if k, v, ok := strings.Cut(s, "="); ok {
			synthSets[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	for _, p := range m.Params {
		if v, ok := synthSets[p.Key]; ok {
			if _, set := params[p.Key]; !set {
				params[p.Key] = v
			}
		}
	}
	opts := baselines.Options{Params: params}
	if f.method == "llm-icl" {
		lc, err := loadLLMConfig(f.config, f.sets)
		if err != nil {
			return nil, "", err
		}
		b, err := llm.Open(lc)
		if err != nil {
			return nil, "", fmt.Errorf("llm: %w", err)
		}
		defer b.Close()
		opts.Client = b
	}
	s, err := baselines.New(f.method, opts)
	if err != nil {
		return nil, "", usageError{err} // a bad --set value for the method
	}
	if targets != nil {
		ft, ok := s.(interface {
			FitTargets(context.Context, *macro.Targets) error
		})
		if !ok {
			return nil, "", fmt.Errorf("synth: method %s needs micro-data (--data or --dataset), not --targets", f.method)
		}
		err = ft.FitTargets(ctx, targets)
	} else {
		err = s.Fit(ctx, train)
	}
	if err != nil {
		return nil, "", err
	}
	out, err := s.Sample(ctx, n, f.seed)
	if err != nil {
		return nil, "", err
	}
	desc := m.Label
	if l, ok := s.(baselines.Labeler); ok {
		desc = l.Label()
	}
	label := f.method + " [" + desc + "]"
	if m.CopiesRecords {
		label += " (copies real records)"
	}
	return out, label, nil
}

// loadDataset returns a catalog dataset: a real one's split, or a
// generator's default-size sample drawn with seed.
func loadDataset(name, split string, seed uint64) (*table.Table, error) {
	d, err := datasets.Lookup(name)
	if err != nil {
		return nil, err
	}
	if d.Load != nil {
		return d.Load(split)
	}
	if split != "" {
		return nil, usagef("synth: dataset %s is generated and has no splits", name)
	}
	return d.Generate(d.DefaultRows, seed)
}

// loadSynthSettings reads LLMSynthor's keys and baseline parameters from a
// YAML config (optional), SYNTHOR_* environment variables and --set, in
// increasing precedence. llm.* keys are left to loadLLMConfig.
func loadSynthSettings(file string, sets []string) (synthor.Config, map[string]string, error) {
	v := viper.New()
	v.SetEnvPrefix("SYNTHOR")
	for _, k := range synthKeys {
		_ = v.BindEnv(k)
	}
	if file != "" {
		v.SetConfigFile(file)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return synthor.Config{}, nil, fmt.Errorf("config %s: file not found", file)
			}
			return synthor.Config{}, nil, fmt.Errorf("config %s: %s", file, oneLine(err.Error()))
		}
	}
	params := map[string]string{}
	for _, s := range sets {
		k, val, ok := strings.Cut(s, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return synthor.Config{}, nil, usagef("--set %q: want key=value", s)
		}
		if strings.HasPrefix(k, "llm.") {
			continue
		}
		if slices.Contains(synthKeys, k) {
			v.Set(k, val)
		} else {
			params[k] = val
		}
	}
	for _, k := range v.AllKeys() {
		if strings.HasPrefix(k, "llm.") || slices.Contains(synthKeys, k) {
			continue
		}
		if _, set := params[k]; !set {
			params[k] = v.GetString(k)
		}
	}
	cfg := synthor.Config{}
	var err error
	get := func(k string, dst *int) {
		if v.IsSet(k) && err == nil {
			if *dst, err = toInt(k, v.GetString(k)); err != nil {
				err = usageError{err}
			}
		}
	}
	cfg.Planner = v.GetString("planner")
	get("iterations", &cfg.Iterations)
	get("proposals", &cfg.Proposals)
	get("n_joints", &cfg.NJoints)
	get("bins", &cfg.Bins)
	get("fine", &cfg.Fine)
	get("batch", &cfg.Batch)
	get("top_joint", &cfg.TopJoint)
	get("top_marginal", &cfg.TopMarginal)
	get("max_skips", &cfg.MaxSkips)
	if err != nil {
		return cfg, nil, err
	}
	cfg.Tolerance = v.GetFloat64("tolerance")
	cfg.Removal = v.GetBool("removal")
	cfg.Context = v.GetString("context")
	cfg.GroupSize = v.GetString("group_size")
	if v.IsSet("joints") && v.GetString("joints") != "auto" {
		if cfg.Joints, err = jointsSetting(v.Get("joints")); err != nil {
			return cfg, nil, usageError{fmt.Errorf("settings: %w", err)}
		}
	}
	if v.IsSet("overrides") {
		switch o := v.Get("overrides").(type) {
		case string:
			for _, s := range strings.Split(o, ",") {
				if s = strings.TrimSpace(s); s != "" {
					cfg.Overrides = append(cfg.Overrides, s)
				}
			}
		default:
			cfg.Overrides = v.GetStringSlice("overrides")
		}
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, usageError{fmt.Errorf("settings: %w", err)}
	}
	return cfg, params, nil
}

func toInt(key, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("settings: %s: %q is not an integer", key, s)
	}
	return n, nil
}

// jointsSetting reads the joints key: "a,b,c;c,x" (as --joints of eval) or
// a YAML list of lists.
func jointsSetting(x any) ([][]string, error) {
	if s, ok := x.(string); ok {
		return parseJoints(s)
	}
	var out [][]string
	list, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("joints: want \"a,b;c,d\" or a list of lists")
	}
	for _, g := range list {
		gs, ok := g.([]any)
		if !ok {
			return nil, fmt.Errorf("joints: want \"a,b;c,d\" or a list of lists")
		}
		var vars []string
		for _, v := range gs {
			vars = append(vars, fmt.Sprint(v))
		}
		out = append(out, vars)
	}
	return out, nil
}

func fmtJoints(js [][]string) string {
	if len(js) == 0 {
		return "none"
	}
	parts := make([]string, len(js))
	for i, j := range js {
		parts[i] = "[" + strings.Join(j, ", ") + "]"
	}
	return strings.Join(parts, " ")
}
