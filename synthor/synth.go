package synthor

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Synthesizer is LLMSynthor: it learns target statistics (from a table, or
// given as aggregates), asks its Planner which variables depend on each
// other, then builds records batch by batch from the planner's proposals
// until the synthetic statistics align with the targets.
type Synthesizer struct {
	Config  Config
	Planner Planner
	// Trace, when set, receives one JSON line per iteration (TraceLine).
	Trace io.Writer
	// Prior completes the records from the cells proposals name; it must
	// be set when Config.Prior is "model" (NewModelPrior) or "sample"
	// (NewSamplePrior), and nil when it is "none".
	Prior Prior

	schema    *table.Schema
	rec, mem  *macro.Targets // per level targets; mem nil for flat tables
	ratio     float64        // members per group in the target
	deps      [][]string
	untracked [][]string
	groupSize string
	indexCol  string
	derived   *Derived           // group-level variables derived from the members
	controls  bool               // fitted to grouped targets: a sample prior's groups are refined (refine.go)
	special   []*special         // columns made outside the loop
	num       map[string]numInfo // numeric domains and precision

	mu   sync.Mutex // guards last and writes to Trace
	last *Result
}

// StatProposals is the default number of proposals per iteration with the
// stat planner.
const StatProposals = 128

// New returns an LLMSynthor synthesizer with the given settings and
// planner (Stat when nil).
func New(cfg Config, p Planner) (*Synthesizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if p == nil {
		p = Stat{}
	}
	if cfg.Proposals == 0 {
		cfg.Proposals = PaperConfig.Proposals // the paper's prompt asks a planner for at most 5
		if p.Name() == "stat" && cfg.Profile != ProfilePaper {
			cfg.Proposals = StatProposals
		}
	}
	return &Synthesizer{Config: cfg.withDefaults(), Planner: p}, nil
}

// ErrNotFitted is returned by Sample before Fit or FitTargets.
var ErrNotFitted = fmt.Errorf("llmsynthor: not fitted")

// Name returns "llmsynthor".
func (s *Synthesizer) Name() string { return "llmsynthor" }

// Label says what produced the records: the planner, and "no LLM" for
// the stat planner.
func (s *Synthesizer) Label() string {
	if s.Prior != nil {
		with := " planner and " + s.Prior.Describe()
		if s.Planner.Name() == "stat" {
			return "LLMSynthor loop with the stat" + with + " (no LLM)"
		}
		return "LLMSynthor with the " + s.Planner.Name() + with
	}
	if s.Planner.Name() == "stat" {
		return StatLabel
	}
	return "LLMSynthor with the " + s.Planner.Name() + " planner"
}

// fitPrior checks that Prior agrees with Config.Prior and fits it (train
// nil: fitted to targets).
func (s *Synthesizer) fitPrior(ctx context.Context, train *table.Table) error {
	want := s.Config.Prior
	switch {
	case (want == PriorNone || want == "") && s.Prior == nil:
		return nil
	case want == PriorNone || want == "":
		return fmt.Errorf("prior: Synthesizer.Prior is set (%s) but the prior setting is none", s.Prior.Describe())
	case s.Prior == nil:
		return fmt.Errorf("prior: %s needs its records: set Synthesizer.Prior (synthor.NewModelPrior or synthor.NewSamplePrior)", want)
	case s.Prior.Kind() != want:
		return fmt.Errorf("prior: the setting is %s but Synthesizer.Prior is %s", want, s.Prior.Describe())
	}
	return s.Prior.Fit(ctx, train)
}

// SetSamplePrior hands over the seed sample a "sample" prior draws its
// records from and reports whether the prior takes it: with any other
// prior setting the sample is not used (used false).
func (s *Synthesizer) SetSamplePrior(sample *table.Table) (used bool, err error) {
	if s.Config.Prior != PriorSample {
		return false, nil
	}
	if sample == nil || sample.NumRows() == 0 {
		return false, fmt.Errorf("prior sample: the seed sample has no records")
	}
	s.Prior = NewSamplePrior(sample)
	return true, nil
}

// Dependencies returns the dependency groups C in use and those the planner
// named that have no target to align to.
func (s *Synthesizer) Dependencies() (tracked, untracked [][]string) { return s.deps, s.untracked }

// Result returns the summary of the most recent Sample or SampleResult to
// finish, or nil. With several runs at once, use SampleResult.
func (s *Synthesizer) Result() *Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Sample runs the loop and returns n records (n groups for a grouped
// table); SampleResult also returns the run's summary.
func (s *Synthesizer) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	out, _, err := s.SampleResult(ctx, n, seed)
	return out, err
}

// Result summarises one Sample run.
type Result struct {
	Planner string `json:"planner"`
	// Prior is the prior's setting ("model", "sample"), empty without one.
	Prior         PriorKind          `json:"prior,omitempty"`
	Label         string             `json:"label"`
	Deps          [][]string         `json:"deps"`
	Untracked     [][]string         `json:"untracked,omitempty"`
	Iterations    int                `json:"iterations"`
	Records       int                `json:"records"`
	Rows          int                `json:"rows"`
	Skips         int                `json:"skips"`
	Repairs       Repairs            `json:"repairs"`
	Calls         int                `json:"calls"`
	Retries       int                `json:"retries"`
	ParseFailures int                `json:"parse_failures"`
	Removed       int                `json:"removed,omitempty"`
	Swaps         int                `json:"swaps,omitempty"` // households the controls refinement swapped (refine.go)
	Stop          string             `json:"stop"`
	Discrepancy   map[string]float64 `json:"discrepancy"`
	// Columns lists the columns made outside the loop, and how.
	Columns []HandledColumn `json:"columns,omitempty"`
}

// TraceLine is one iteration of the trace.
type TraceLine struct {
	Iteration     int                `json:"iteration"`
	Batch         int                `json:"batch"`
	Added         int                `json:"added"`
	Removed       int                `json:"removed,omitempty"`
	Records       int                `json:"records"`
	TotalPositive float64            `json:"total_positive"`
	Discrepancy   map[string]float64 `json:"discrepancy"`
	Proposals     []Proposal         `json:"proposals"`
	Repairs       Repairs            `json:"repairs,omitempty"`
	Skip          string             `json:"skip,omitempty"`
	PlannerMS     float64            `json:"planner_ms"`
	IterationMS   float64            `json:"iteration_ms"`
	Calls         int                `json:"calls,omitempty"`
	Retries       int                `json:"retries,omitempty"`
	ParseFailures int                `json:"parse_failures,omitempty"`
	// Columns, on the first line only, lists the columns made outside the
	// loop, and how.
	Columns []HandledColumn `json:"columns,omitempty"`
}
