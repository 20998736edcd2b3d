package synthor

import (
	"fmt"
	"math"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/settings"
)

// Config holds LLMSynthor's settings. The zero value of every field means
// its default (DefaultConfig). The methods registry reads each from the
// param of the same name (methods/llmsynthor.go).
type Config struct {
	// Planner names the planner: "stat" (no LLM, the default) or "llm".
	Planner string `json:"planner"`
	// Iterations is the number of iterations T (default 100).
	Iterations int `json:"iterations"`
	// Proposals is the most proposals per iteration: 0 means 128 with the
	// stat planner (small
	// proposals keep records varied: 5 of ~65 identical records each are
	// told apart from real rows by a classifier), 5 under profile=paper
	// and with any other planner (the paper's prompt).
	Proposals int `json:"proposals"`
	// NJoints is the number of dependency groups inferred. 0 (the default)
	// lets the data decide with the stat planner (AutoDependencies: every
	// pair whose association passes AutoThreshold, merged into triples,
	// at most AutoMaxGroups) and means 3 with the LLM planner; a positive
	// value is the most groups, ranked by mutual information (the paper: 3).
	NJoints int `json:"n_joints"`
	// Joints fixes the dependency groups C by hand; empty means inferred by
	// the planner ("auto").
	Joints settings.Joints `json:"joints,omitempty"`
	// Bins is the number of quantile bins of a numeric variable (default 6)
	// and Fine the equal-width sub-bins each is refined into (default 8).
	// With FitTargets the targets' own fine split applies.
	Bins int `json:"bins"`
	Fine int `json:"fine"`
	// Batch is the records (groups) per iteration; 0 shrinks it linearly
	// over the iterations (weights T, T−1, ..., 1 of what remains: the
	// last iterations correct a few records at a time), and under
	// profile=paper spreads what remains evenly (n / iterations at first).
	Batch int `json:"batch"`
	// TopJoint and TopMarginal are the guidance cells shown (default 10 each).
	TopJoint    int `json:"top_joint"`
	TopMarginal int `json:"top_marginal"`
	// Tolerance, when positive, stops the run early once the mean positive
	// discrepancy per table (in shares of the records made) falls below it.
	Tolerance float64 `json:"tolerance,omitempty"`
	// Removal turns on the removal step: after each batch, records are
	// dropped from the most over-represented cells of the first tracked
	// table (flat tables only). Off by default, and reported when on.
	Removal bool `json:"removal,omitempty"`
	// Context is free text passed to the planner (a what-if scenario).
	Context string `json:"context,omitempty"`
	// Overrides change target shares before the run.
	Overrides settings.Overrides `json:"overrides,omitempty"`
	// MaxSkips ends the run after this many consecutive skipped iterations
	// (default 3).
	MaxSkips int `json:"max_skips"`
	// GroupSize names the group-level variable that counts a group's members
	// (grouped tables); empty: detected from the reference, if any.
	GroupSize string `json:"group_size,omitempty"`
	// Composition is "" (auto: group-level variables derived from the
	// members are targeted, compose.go) or "none" (grouped tables only).
	Composition string `json:"composition,omitempty"`
	// Profile pins a set of choices: "paper" is the paper's protocol
	// (uniform sampling, 3 groups, 6 bins, 8 sub-bins, no point masses and
	// no discrete numerics, 100 iterations of 5 proposals), filling every
	// setting left unset; "" or "default" is this package's defaults.
	Profile string `json:"profile,omitempty"`
	// Sampling is how a numeric value is drawn inside a proposal's range:
	// "fine" (the default) by the target's fine marginal (its sub-bins and
	// point masses), "uniform" uniformly (the paper).
	Sampling string `json:"sampling,omitempty"`
	// PointShare is the share of a numeric column's values above which a
	// value is a point mass with a cell of its own (default
	// macro.PointShare, 2 %); negative: no point masses.
	PointShare float64 `json:"point_share,omitempty"`
	// Discrete is the most distinct values of a numeric column planned as
	// a discrete variable, every value a cell drawn exactly (default
	// macro.DiscreteValues, 32); negative: none.
	Discrete int `json:"discrete,omitempty"`
	// Prior is where the records' values come from (prior.go): "none"
	// (the default) draws every value from the proposal (the paper's
	// loop, and the ablation); "model" takes whole records from a model
	// fitted to the training table (Synthesizer.Prior, a ModelPrior), and
	// "sample" from a given sample of records (a SamplePrior), matched on
	// the cells each proposal names.
	Prior PriorKind `json:"prior,omitempty"`
}

// The sampling settings.
const (
	SamplingFine    = "fine"
	SamplingUniform = "uniform"
)

// ProfilePaper names the paper's protocol.
const ProfilePaper = "paper"

// DefaultConfig is the default setting: 100 iterations, 128 proposals per
// iteration with the stat planner (5 with an LLM), dependencies chosen from the data, 6 quantile bins refined
// into 8 sub-bins, fine sampling, point masses and discrete numerics.
var DefaultConfig = Config{
	Planner: "stat", Iterations: 100, Bins: 6, Fine: 8,
	TopJoint: 10, TopMarginal: 10, MaxSkips: 3,
	Sampling: SamplingFine, PointShare: macro.PointShare, Discrete: macro.DiscreteValues, Prior: PriorNone,
}

// PaperConfig is the paper's protocol (profile=paper).
var PaperConfig = Config{
	Planner: "stat", Iterations: 100, Proposals: 5, NJoints: 3, Bins: 6, Fine: 8,
	TopJoint: 10, TopMarginal: 10, MaxSkips: 3,
	Sampling: SamplingUniform, PointShare: -1, Discrete: -1, Profile: ProfilePaper, Prior: PriorNone,
}

// withDefaults returns c with zero fields set to their defaults (those of
// its profile).
func (c Config) withDefaults() Config {
	d := DefaultConfig
	if c.Profile == ProfilePaper {
		d = PaperConfig
	}
	if c.Sampling == "" {
		c.Sampling = d.Sampling
	}
	if c.Prior == "" {
		c.Prior = d.Prior
	}
	if c.PointShare == 0 {
		c.PointShare = d.PointShare
	}
	if c.Discrete == 0 {
		c.Discrete = d.Discrete
	}
	if c.Planner == "" {
		c.Planner = d.Planner
	}
	if c.Iterations == 0 {
		c.Iterations = d.Iterations
	}
	if c.Proposals == 0 {
		c.Proposals = d.Proposals
	}
	if c.NJoints == 0 {
		c.NJoints = d.NJoints
	}
	if c.Bins == 0 {
		c.Bins = d.Bins
	}
	if c.Fine == 0 {
		c.Fine = d.Fine
	}
	if c.TopJoint == 0 {
		c.TopJoint = d.TopJoint
	}
	if c.TopMarginal == 0 {
		c.TopMarginal = d.TopMarginal
	}
	if c.MaxSkips == 0 {
		c.MaxSkips = d.MaxSkips
	}
	return c
}

// MaxIterations and MaxProposals bound iterations and the proposals (and
// guidance cells) of one iteration.
const (
	MaxIterations = 1_000_000
	MaxProposals  = 100_000
)

// Validate checks the settings; the error names the bad key.
func (c Config) Validate() error {
	switch {
	case c.Planner != "" && c.Planner != "stat" && c.Planner != "llm":
		return fmt.Errorf("planner: %q is not a planner (valid: stat, llm)", c.Planner)
	case c.Profile != "" && c.Profile != "default" && c.Profile != ProfilePaper:
		return fmt.Errorf("profile: %q is not a profile (valid: default, paper)", c.Profile)
	case c.Sampling != "" && c.Sampling != SamplingFine && c.Sampling != SamplingUniform:
		return fmt.Errorf("sampling: %q is not a sampling (valid: fine, uniform)", c.Sampling)
	case c.Prior != "" && !c.Prior.valid():
		return fmt.Errorf("prior: %q is not a prior (valid: %s, %s, %s)", c.Prior, PriorNone, PriorModel, PriorSample)
	case c.Composition != CompositionAuto && c.Composition != CompositionNone:
		return fmt.Errorf("composition: %q is not a composition setting (valid: none, or unset for auto)", c.Composition)
	case math.IsNaN(c.PointShare) || c.PointShare > 1:
		return fmt.Errorf("point_share: must be at most 1 (negative: off), got %g", c.PointShare)
	case c.Iterations < 0:
		return fmt.Errorf("iterations: must be at least 1, got %d", c.Iterations)
	case c.Iterations > MaxIterations:
		return fmt.Errorf("iterations: must be at most %d, got %d", MaxIterations, c.Iterations)
	case c.Proposals < 0 || c.Proposals > MaxProposals:
		return fmt.Errorf("proposals: must be in 1..%d, got %d", MaxProposals, c.Proposals)
	case c.NJoints < 0:
		return fmt.Errorf("n_joints: must be positive, got %d", c.NJoints)
	case c.Bins < 0 || c.Bins == 1 || c.Bins > 1000:
		return fmt.Errorf("bins: must be in 2..1000, got %d", c.Bins)
	case c.Fine < 0 || c.Fine > 1000:
		return fmt.Errorf("fine: must be in 1..1000, got %d", c.Fine)
	case c.Batch < 0:
		return fmt.Errorf("batch: must be positive, got %d", c.Batch)
	case c.TopJoint < 0 || c.TopJoint > MaxProposals:
		return fmt.Errorf("top_joint: must be in 1..%d, got %d", MaxProposals, c.TopJoint)
	case c.TopMarginal < 0 || c.TopMarginal > MaxProposals:
		return fmt.Errorf("top_marginal: must be in 1..%d, got %d", MaxProposals, c.TopMarginal)
	case !(c.Tolerance >= 0) || math.IsInf(c.Tolerance, 0):
		return fmt.Errorf("tolerance: must be >= 0, got %g", c.Tolerance)
	case c.MaxSkips < 0:
		return fmt.Errorf("max_skips: must be positive, got %d", c.MaxSkips)
	}
	for i, j := range c.Joints {
		if len(j) < 2 {
			return fmt.Errorf("joints: group %d has %d variable(s), need at least 2", i+1, len(j))
		}
	}
	return nil
}
