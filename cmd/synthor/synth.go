package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/internal/guard"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/methods"
	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

type synthFlags struct {
	data, dataset, split, method, targets, schema, out, trace, config string
	sample                                                            string
	rows                                                              settings.Rows
	seed                                                              settings.Seed
	sets                                                              []string
	maxMemory                                                         guard.Limit
	flat                                                              bool
}

func newSynthCmd() *cobra.Command {
	var f synthFlags
	cmd := &cobra.Command{
		Use:   "synth (--data FILE | --dataset NAME | --targets FILE [--sample FILE]) --method NAME --out FILE",
		Short: "Synthesize a table with LLMSynthor or a baseline",
		Long: `synth fits a method to a table (a file, or a dataset from the catalog) or to target
aggregates (--targets, LLMSynthor and ipf), samples --rows records (groups, for a grouped
table) with --seed, and writes them to --out (.csv, .jsonl or .parquet). LLMSynthor's planner is
"stat" (no LLM) unless --set planner=llm and an llm backend are configured.

Settings come from --config (YAML: the method's keys at the top level, the backend's
under llm:), environment variables and --set key=value, in increasing precedence. Each
method takes the keys it declares (an unknown key in --config or --set is an error
listing the valid ones); a variable SYNTHOR_KEY is read only for a key of the method
run (SYNTHOR_ITERATIONS for llmsynthor), and SYNTHOR_LLM_KEY only for a method that
calls an LLM. LLMSynthor keys: ` + strings.Join(mustMethod("llmsynthor").Keys(), ", ") + `;
joints as "a,b,c;c,x"; overrides as "var=category:share" (comma-separated). LLM keys:
llm.base_url, llm.model, llm.api_key_env, ... (see synthor llm check --help).`,
		Example: `  synthor synth --dataset ecommerce-bn --method llmsynthor --rows 2000 --seed 1 --out synth.csv
  synthor synth --data ref.csv --method llmsynthor --set joints="user_age,user_gender,product_category;product_category,price" --out s.csv --trace trace.jsonl
  synthor synth --data ref.csv --method bayes-net --set k=2 --out bn.csv
  synthor synth --targets controls.yaml --sample seed.csv --method ipu --out population.csv
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
	fl.StringVar(&f.sample, "sample", "", "seed sample of households (a grouped table) for grouped --targets: ipu weights it, llmsynthor takes it as its prior")
	fl.StringVar(&f.method, "method", "llmsynthor", "method ("+strings.Join(methods.Names(), ", ")+")")
	fl.Var(&f.rows, "rows", "records (groups) to synthesize; 0: as many as the training table has")
	f.seed = 1
	fl.Var(&f.seed, "seed", "random seed (a whole number >= 0)")
	fl.StringArrayVar(&f.sets, "set", nil, "set a key: key=value (repeatable)")
	fl.StringVar(&f.config, "config", "", "YAML config with method settings and an llm: section")
	fl.StringVar(&f.out, "out", "", "output file (.csv, .jsonl or .parquet, optionally .gz)")
	fl.StringVar(&f.trace, "trace", "", "LLMSynthor: write one JSON line per iteration to this file")
	fl.Var(&f.maxMemory, "max-memory", "refuse a synthesis estimated above this memory (8GiB, 500MB, 75%; default: half the physical memory)")
	fl.BoolVar(&f.flat, "flat", false, "treat the rows of a grouped table as independent records")
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
	}
	m, err := methods.Lookup(f.method)
	if err != nil {
		return usageError{fmt.Errorf("synth: %w", err)}
	}
	if f.trace != "" && !m.Traces {
		return usagef("synth: --trace is for methods with an iteration trace (llmsynthor), not %s", m.Name)
	}
	if err := checkSynthFlags(f, m); err != nil {
		return err
	}
	st, err := methods.LoadSettings(m, f.config, f.sets, os.Environ())
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	var schema *table.Schema
	if f.schema != "" {
		if schema, err = table.LoadSchema(f.schema); err != nil {
			return err
		}
	}
	limit, source := memoryLimit(f.maxMemory)
	var train *table.Table
	switch {
	case f.data != "":
		train, err = readTable(f.data, table.ReadOptions{Schema: schema}, budget(limit, 1), source, "use a sample of the file, or raise --max-memory")
		if err != nil {
			return err
		}
	case f.dataset != "":
		if train, err = loadDataset(f.dataset, f.split, uint64(f.seed)); err != nil {
			return err
		}
	}
	var targets *macro.Targets
	var sample *table.Table
	if f.targets != "" {
		if targets, err = loadTargets("synth", f.targets, limit, source, "use fewer variables or categories in a joint, or raise --max-memory"); err != nil {
			return err
		}
	}
	if f.sample != "" {
		if sample, err = readSample(f.sample, schema, targets); err != nil {
			return err
		}
	}
	n := int(f.rows)
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
		case !targets.SharesOnly:
			n = int(targets.Size)
		}
	}
	if n <= 0 {
		return usagef("synth: give --rows N (the targets do not say how many records they describe)")
	}
	if err := checkSynthInput(f, m, st, train, targets, n); err != nil {
		return err
	}

	start := time.Now()
	out, label, note, err := synthesize(ctx, f, m, st, train, targets, sample, schema, n, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	if err := table.WriteFileContext(ctx, f.out, out); err != nil {
		return err
	}
	_, err = fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d rows in %s -> %s%s\n", label, out.NumRows(), time.Since(start).Round(time.Millisecond), f.out, note)
	return err
}

// synthesize builds method m from its settings, fits it to train (or to
// targets, for a TargetFitter; to targets and a seed sample, methods.FitSample)
// and samples n records with f.seed. It returns the records, the label and
// the summary note of the run.
func synthesize(ctx context.Context, f synthFlags, m *methods.Method, st methods.Settings, train *table.Table, targets *macro.Targets, sample *table.Table, schema *table.Schema, n int, logw io.Writer) (*table.Table, string, string, error) {
	var opts methods.Options
	var backend *llm.Backend
	if st.UsesLLM {
		b, err := llm.Open(st.LLM, llm.WithLogger(slog.New(slog.NewTextHandler(logw, nil))))
		if err != nil {
			return nil, "", "", fmt.Errorf("llm: %w", err)
		}
		defer b.Close()
		backend, opts.Client = b, b
	}
	trace := &traceFile{path: f.trace}
	defer func() { _ = trace.Close() }()
	if f.trace != "" {
		opts.Trace = trace
	}
	s, err := m.New(st.Values, opts)
	if err != nil {
		return nil, "", "", usageError{fmt.Errorf("synth: %w", err)} // settings the method cannot build with
	}
	var how string
	if sample != nil {
		how, err = methods.FitSample(ctx, s, sample, targets)
	} else if targets != nil {
		ft, ok := s.(methods.TargetFitter)
		if !ok {
			return nil, "", "", fmt.Errorf("synth: method %s needs micro-data (--data or --dataset), not --targets", m.Name)
		}
		err = ft.FitTargets(ctx, schema, targets)
	} else {
		err = s.Fit(ctx, train)
	}
	if err != nil {
		return nil, "", "", err
	}
	out, err := s.Sample(ctx, n, uint64(f.seed))
	if werr := trace.Close(); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return nil, "", "", err
	}
	label := m.Name + " [" + methods.Describe(m, s) + "]"
	if how != "" {
		label += " (" + how + ")"
	}
	if m.CopiesRecords {
		label += " (copies real records)"
	}
	var note string
	if sm, ok := s.(methods.Summarizer); ok && sm.Result() != nil {
		note = " (" + bench.SummaryNote(sm.Result())
		if backend != nil {
			note += "; " + bench.AccountingNote(backend.Config().Model, backend.Stats())
		}
		note += ")"
	}
	return out, label, note, nil
}

// mustMethod returns a registered method (for help texts).
func mustMethod(name string) *methods.Method {
	m, err := methods.Lookup(name)
	if err != nil {
		panic(err)
	}
	return m
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
