package methods

import (
	"fmt"
	"math"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/synthor"
	"github.com/synthor/synthor/table"
)

var (
	_ Synthesizer  = (*synthor.Synthesizer)(nil)
	_ TargetFitter = (*synthor.Synthesizer)(nil)
	_ Summarizer   = (*synthor.Synthesizer)(nil)
	_ SamplePrior  = (*synthor.Synthesizer)(nil)
)

var inf = math.Inf(1)

// llmsynthorMethod is LLMSynthor: each param sets the synthor.Config field
// of the same name (llmsynthorConfig).
var llmsynthorMethod = &Method{
	Name:   "llmsynthor",
	Label:  "LLMSynthor: records built by a planner (stat, or an LLM) until their statistics align with the targets",
	Memory: 4, // measured 30.6 B/cell: records, their cells and proposals
	// prior=model adds the cart model and its pool of 4 records per
	// output record: measured 96 B/cell more on Adult (BENCHMARKS.md).
	MemoryWith: func(v Values) float64 {
		if v.Choice("prior") == string(synthor.PriorModel) {
			return 16
		}
		return 4
	},
	MacroOnly: true,
	Groups:    true,
	Traces:    true,
	LLM:       func(v Values) bool { return v.Choice("planner") == "llm" },
	Params: []Param{
		{Key: "planner", Kind: Choice, Default: "stat", Choices: []string{"stat", "llm"}, Doc: "stat (no LLM) or llm"},
		{Key: "iterations", Kind: Int, Default: "100", Min: 1, Max: synthor.MaxIterations, Doc: "iterations T"},
		{Key: "proposals", Kind: Int, Min: 1, Max: synthor.MaxProposals, Doc: "proposals per iteration at most; unset: 128 with stat, 5 with llm or profile=paper"},
		{Key: "n_joints", Kind: Int, Min: 1, Max: 1000, Doc: "dependency groups; unset: the stat planner lets the data decide, 3 with llm; a number: at most that many, by mutual information (the paper: 3)"},
		{Key: "joints", Kind: Joints, Doc: `fix the dependency groups "a,b,c;c,x"; unset or auto: the planner infers them`},
		{Key: "bins", Kind: Int, Default: "6", Min: 2, Max: 1000, Doc: "quantile bins per numeric variable"},
		{Key: "fine", Kind: Int, Default: "8", Min: 1, Max: 1000, Doc: "equal-width sub-bins each bin is refined into"},
		{Key: "batch", Kind: Int, Min: 1, Max: inf, Doc: "records (groups) per iteration; unset: batches shrink linearly over the iterations, evenly under profile=paper"},
		{Key: "top_joint", Kind: Int, Default: "10", Min: 1, Max: synthor.MaxProposals, Doc: "joint guidance cells shown to the planner"},
		{Key: "top_marginal", Kind: Int, Default: "10", Min: 1, Max: synthor.MaxProposals, Doc: "marginal guidance cells shown to the planner"},
		{Key: "tolerance", Kind: Float, Default: "0", Min: 0, Max: 1, Doc: "stop early when the mean positive discrepancy per table (a share) falls below it; 0: off"},
		{Key: "removal", Kind: Bool, Default: "false", Doc: "drop records from the most over-represented cell after each batch (reported when on)"},
		{Key: "context", Kind: Text, Doc: "free text for the planner (a what-if scenario)"},
		{Key: "overrides", Kind: Overrides, Doc: "target changes for what-if runs: product_category=Electronics:0.35 (renormalised), comma-separated"},
		{Key: "max_skips", Kind: Int, Default: "3", Min: 1, Max: inf, Doc: "consecutive unusable planner replies (or iterations that add nothing) that end the run"},
		{Key: "group_size", Kind: Text, Doc: "grouped tables: the group-level variable that counts a group's members; unset: detected from the reference"},
		{Key: "composition", Kind: Choice, Default: "auto", Choices: []string{"auto", "none"}, Doc: "grouped tables: auto targets group-level variables derived from the members; none: off"},
		{Key: "profile", Kind: Choice, Default: "default", Choices: []string{"default", "paper"}, Doc: "paper pins the paper's protocol: uniform sampling, 3 groups, 6 bins, 8 sub-bins, no point masses or discrete numerics, 5 proposals"},
		{Key: "sampling", Kind: Choice, Default: "fine", Choices: []string{"fine", "uniform"}, Doc: "how a number is drawn inside a proposal's range: fine by the target's sub-bins and point masses, uniform uniformly (the paper)"},
		{Key: "point_share", Kind: Float, Default: fmt.Sprint(macro.PointShare), Min: -1, Max: 1, NotZero: true, Doc: "a value holding at least this share of a numeric column is a point mass with a cell of its own; negative: off"},
		{Key: "prior", Kind: Choice, Default: string(synthor.PriorNone), Choices: []string{string(synthor.PriorNone), string(synthor.PriorModel), string(synthor.PriorSample)},
			Doc: "where records come from: none (drawn from the proposals: the ablation), model (whole records of a cart model of the training table), sample (records of a given seed sample: synth --targets T --sample S)"},
		{Key: "prior_min_leaf", Kind: Int, Default: fmt.Sprint(synthor.PriorMinLeaf), Min: 1, Max: inf,
			Doc: "prior=model: the fewest training rows a leaf of the prior's cart model holds (cart's own: 5); larger leaves put less of any one training record into an output record"},
		{Key: "prior_max_levels", Kind: Int, Default: fmt.Sprint(synthor.PriorMaxLevels), Min: 2, Max: 65536,
			Doc: "prior=model: categorical columns with more categories are drawn from their marginal by the prior's cart model (cart's own: 100)"},
		{Key: "discrete", Kind: Int, Default: fmt.Sprint(macro.DiscreteValues), Min: -1, Max: 1_000_000, NotZero: true, Doc: "a numeric column with at most this many distinct values is discrete: every value a cell, drawn exactly; negative: off"},
	},
	Build: newLLMSynthor,
}

// llmsynthorConfig is the synthor.Config the values set. Only the keys
// given are set: synthor fills the others with its defaults, those of the
// profile (profile=paper: the paper's), which the params' Default
// documents for the default profile.
func llmsynthorConfig(v Values) synthor.Config {
	var c synthor.Config
	given(v, "planner", &c.Planner, Values.Choice)
	given(v, "iterations", &c.Iterations, Values.Int)
	given(v, "proposals", &c.Proposals, Values.Int)
	given(v, "n_joints", &c.NJoints, Values.Int)
	given(v, "joints", &c.Joints, Values.Joints)
	given(v, "bins", &c.Bins, Values.Int)
	given(v, "fine", &c.Fine, Values.Int)
	given(v, "batch", &c.Batch, Values.Int)
	given(v, "top_joint", &c.TopJoint, Values.Int)
	given(v, "top_marginal", &c.TopMarginal, Values.Int)
	given(v, "tolerance", &c.Tolerance, Values.Float)
	given(v, "removal", &c.Removal, Values.Bool)
	given(v, "context", &c.Context, Values.Text)
	given(v, "overrides", &c.Overrides, Values.Overrides)
	given(v, "max_skips", &c.MaxSkips, Values.Int)
	given(v, "group_size", &c.GroupSize, Values.Text)
	given(v, "profile", &c.Profile, Values.Choice)
	given(v, "sampling", &c.Sampling, Values.Choice)
	given(v, "point_share", &c.PointShare, Values.Float)
	given(v, "discrete", &c.Discrete, Values.Int)
	if v.Has("prior") {
		c.Prior = synthor.PriorKind(v.Choice("prior"))
	}
	if c.Profile == "default" {
		c.Profile = ""
	}
	if v.Choice("composition") == "none" {
		c.Composition = synthor.CompositionNone
	}
	return c
}

// given sets *dst to the value of key when it was given.
func given[T any](v Values, key string, dst *T, get func(Values, string) T) {
	if v.Has(key) {
		*dst = get(v, key)
	}
}

func newLLMSynthor(v Values, o Options) (Synthesizer, error) {
	cfg := llmsynthorConfig(v)
	var p synthor.Planner = synthor.Stat{}
	if cfg.Planner == "llm" {
		p = synthor.NewLLMPlanner(o.Client, synthor.LLMPlannerOptions{})
	}
	s, err := synthor.New(cfg, p)
	if err != nil {
		return nil, fmt.Errorf("llmsynthor: %w", err)
	}
	if s.Prior, err = newPrior(cfg.Prior, o.Sample, v.Int("prior_min_leaf"), v.Int("prior_max_levels")); err != nil {
		return nil, err
	}
	s.Trace = o.Trace
	return s, nil
}

// newPrior builds LLMSynthor's prior for setting k: the sequential CART
// baseline (synthpop's method, its defaults but leaves of at least minLeaf
// rows and up to maxLevels categories modelled) fitted to the training
// table for "model"; the records of sample for "sample" (nil until a seed
// sample is handed over: FitSample); none for "none".
func newPrior(k synthor.PriorKind, sample *table.Table, minLeaf, maxLevels int) (synthor.Prior, error) {
	switch k {
	case synthor.PriorModel:
		cc := baselines.DefaultCARTConfig()
		cc.Tree.MinLeaf = minLeaf
		cc.MaxLevels = maxLevels
		c, err := baselines.NewCART(cc)
		if err != nil {
			return nil, fmt.Errorf("llmsynthor: prior: %w", err)
		}
		return synthor.NewModelPrior(c), nil
	case synthor.PriorSample:
		if sample != nil {
			return synthor.NewSamplePrior(sample), nil
		}
	}
	return nil, nil
}
