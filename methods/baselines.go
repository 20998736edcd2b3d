package methods

import (
	"strings"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/cart"
)

// The baselines' entries: each param maps to a field of the method's
// config (baselines.BayesNetConfig, ...) in its Build.

var bootstrapMethod = &Method{
	Name: "bootstrap", Label: baselines.LabelBootstrap, CopiesRecords: true, Groups: true,
	Build: func(Values, Options) (Synthesizer, error) { return baselines.NewBootstrap(), nil },
}

var uniformMethod = &Method{
	Name: "uniform", Label: baselines.LabelUniform,
	Build: func(Values, Options) (Synthesizer, error) { return baselines.NewUniform(), nil },
}

var independentMethod = &Method{
	Name: "independent", Label: baselines.LabelIndependent, Groups: true,
	Build: func(Values, Options) (Synthesizer, error) { return baselines.NewIndependent(), nil },
}

var copulaMethod = &Method{
	Name: "gaussian-copula", Label: baselines.LabelCopula,
	Build: func(Values, Options) (Synthesizer, error) { return baselines.NewGaussianCopula(), nil },
}

var bayesNetMethod = &Method{
	Name: "bayes-net", Label: baselines.LabelBayesNet,
	Params: []Param{
		{Key: "k", Kind: Int, Default: "2", Min: 0, Max: 10, Doc: "degree: parents per column (PrivBayes k); 0: no edges"},
		{Key: "bins", Kind: Int, Default: "8", Min: 1, Max: 1000, Doc: "quantile bins per numeric column (equal-width when epsilon is set)"},
		{Key: "epsilon", Kind: Float, Default: "0", Min: 0, Max: inf, Doc: "differential-privacy budget; 0 turns privacy off"},
		{Key: "max_levels", Kind: Int, Default: "100", Min: 1, Max: 1_000_000, Doc: "categorical columns with more categories, and text columns, are drawn from their marginal outside the network"},
		{Key: "dp_seed", Kind: Seed, Default: "0", Doc: "seed of the privacy noise drawn at fit time (with epsilon > 0)"},
	},
	Build: func(v Values, _ Options) (Synthesizer, error) {
		return baselines.NewBayesNet(baselines.BayesNetConfig{
			K: v.Int("k"), NoParents: v.Int("k") == 0, Bins: v.Int("bins"), Epsilon: v.Float("epsilon"),
			MaxLevels: v.Int("max_levels"), DPSeed: v.Seed("dp_seed"),
		})
	},
}

var cartMethod = &Method{
	Name: "cart", Label: baselines.LabelCART,
	Memory: 1.5, // measured 9.7 B/cell: donor indices per column
	Params: []Param{
		{Key: "min_leaf", Kind: Int, Default: "5", Min: 1, Max: inf, Doc: "fewest training rows in a leaf (synthpop minbucket)"},
		{Key: "cp", Kind: Float, Default: "1e-8", Min: 0, Max: 1, Doc: "complexity parameter: a split must lower impurity by cp times the root's"},
		{Key: "max_depth", Kind: Int, Default: "30", Min: 1, Max: 1000, Doc: "deepest tree"},
		{Key: "max_levels", Kind: Int, Default: "100", Min: 1, Max: 1_000_000, Doc: "categorical columns with more categories, and text columns, are drawn from their marginal and are not predictors"},
	},
	Build: func(v Values, _ Options) (Synthesizer, error) {
		o := cart.DefaultOptions()
		o.MinLeaf, o.CP, o.MaxDepth = v.Int("min_leaf"), v.Float("cp"), v.Int("max_depth")
		return baselines.NewCART(baselines.CARTConfig{Tree: o, MaxLevels: v.Int("max_levels")})
	},
}

var ipfMethod = &Method{
	Name: "ipf", Label: baselines.LabelIPF, MacroOnly: true,
	Memory: 1.5,
	Params: []Param{
		{Key: "joints", Kind: Joints, Doc: `joints to target when fitted on a table, "a,b,c;d,e" (all marginals are always targeted)`},
		{Key: "bins", Kind: Int, Default: "6", Min: 1, Max: 1000, Doc: "quantile bins per numeric column when fitted on a table"},
		{Key: "iterations", Kind: Int, Default: "100", Min: 1, Max: 1_000_000, Doc: "most raking sweeps"},
		{Key: "tolerance", Kind: Float, Default: "1e-6", Min: 0, Max: 1, Doc: "stop when no target share is off by more than this"},
		{Key: "pool", Kind: Int, Default: "10", Min: 1, Max: 1000, Doc: "candidate records per output record"},
	},
	Build: func(v Values, _ Options) (Synthesizer, error) {
		return baselines.NewIPF(baselines.IPFConfig{
			Joints: v.Joints("joints"), Bins: v.Int("bins"), Iterations: v.Int("iterations"),
			Tolerance: v.Float("tolerance"), Pool: v.Int("pool"),
		})
	},
}

var ipuMethod = &Method{
	Name: "ipu", Label: baselines.LabelIPU, CopiesRecords: true, Groups: true, SampleOnly: true,
	Params: []Param{
		{Key: "iterations", Kind: Int, Default: "1000", Min: 0, Max: 1_000_000, Doc: "most IPU sweeps over the controls (0: no weighting, every seed household weighs the same)"},
		{Key: "tolerance", Kind: Float, Default: "1e-6", Min: 0, Max: 1, Doc: "stop when the mean relative control error falls below this"},
		{Key: "integerise", Kind: Choice, Default: baselines.IntegeriseTRS, Choices: []string{baselines.IntegeriseTRS, baselines.IntegeriseBucket},
			Doc: "how weights become household counts: trs (truncate, replicate, sample) or bucket (cumulative rounding, no randomness)"},
	},
	Build: func(v Values, _ Options) (Synthesizer, error) {
		it := v.Int("iterations")
		return baselines.NewIPU(baselines.IPUConfig{Iterations: it, Uniform: it == 0, Tolerance: v.Float("tolerance"), Integerise: v.Choice("integerise")})
	},
}

var iclMethod = &Method{
	Name: "llm-icl", Label: baselines.LabelICL,
	Memory: 1.5,
	LLM:    func(Values) bool { return true },
	Params: []Param{
		{Key: "examples", Kind: Int, Default: "0", Min: 0, Max: 1000, Doc: "real training rows shown in each prompt; 0 keeps every record out of the prompt"},
		{Key: "batch", Kind: Int, Default: "20", Min: 1, Max: 10_000, Doc: "records asked for per call"},
		{Key: "max_calls", Kind: Int, Default: "0", Min: 0, Max: inf, Doc: "most calls per Sample; 0 means 2·ceil(n/batch)+2"},
		{Key: "temperature", Kind: Float, Min: 0, Max: 2, Doc: "sampling temperature; unset: the backend's"},
		{Key: "model", Kind: Text, Doc: "model name; unset: the backend's"},
		{Key: "max_tokens", Kind: Int, Default: "0", Min: 0, Max: inf, Doc: "completion token limit per call; 0: the backend's"},
		{Key: "bins", Kind: Int, Default: "6", Min: 1, Max: 1000, Doc: "quantile bins per numeric column in the rendered target marginals"},
		{Key: "concurrency", Kind: Int, Default: "1", Min: 1, Max: 1000, Doc: "calls in flight at once (the output does not depend on it)"},
	},
	Build: func(v Values, o Options) (Synthesizer, error) {
		c := baselines.ICLConfig{
			Examples: v.Int("examples"), Batch: v.Int("batch"), MaxCalls: v.Int("max_calls"), Model: v.Text("model"),
			MaxTokens: v.Int("max_tokens"), Bins: v.Int("bins"), Concurrency: v.Int("concurrency"),
		}
		if v.Has("temperature") {
			t := float32(v.Float("temperature"))
			c.Temperature = &t
		}
		return baselines.NewICL(o.Client, c)
	},
}

var externalMethod = &Method{
	Name: "external", Label: baselines.LabelExternal, Groups: true,
	Params: []Param{
		{Key: "command", Kind: Text, Doc: "the program and its leading arguments, split on spaces (no shell quoting); required"},
		{Key: "timeout", Kind: Duration, Default: "10m", Doc: "wall-clock limit of one run"},
	},
	Build: func(v Values, _ Options) (Synthesizer, error) {
		return baselines.NewExternal(baselines.ExternalConfig{Command: strings.Fields(v.Text("command")), Timeout: v.Duration("timeout")})
	},
}
