package synthor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Value is what a proposal gives one variable: a category, a numeric
// range [min, max], or missing. In JSON it is a string, a two-number array
// (a single number is a one-point range) or null.
type Value struct {
	Category string
	Range    *[2]float64
	// Missing marks a missing value (JSON null).
	Missing bool
}

// Missing returns the missing value.
func Missing() Value { return Value{Missing: true} }

// Cat returns a categorical value.
func Cat(s string) Value { return Value{Category: s} }

// Range returns a numeric range value.
func Range(lo, hi float64) Value { return Value{Range: &[2]float64{lo, hi}} }

// IsRange reports whether v is a numeric range.
func (v Value) IsRange() bool { return v.Range != nil }

// String renders v as in guidance lines: the category, or "[lo, hi]".
func (v Value) String() string {
	if v.Missing {
		return "missing"
	}
	if v.Range != nil {
		return "[" + fmtNum(v.Range[0]) + ", " + fmtNum(v.Range[1]) + "]"
	}
	return v.Category
}

// MarshalJSON writes a category as a string and a range as [min, max].
func (v Value) MarshalJSON() ([]byte, error) {
	if v.Missing {
		return []byte("null"), nil
	}
	if v.Range != nil {
		return json.Marshal([]float64{v.Range[0], v.Range[1]})
	}
	return json.Marshal(v.Category)
}

// UnmarshalJSON reads a string, a number (a one-point range) or a
// two-number array.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*v = Missing()
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = Value{Category: s}
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err == nil {
		*v = Range(x, x)
		return nil
	}
	var r []float64
	if err := json.Unmarshal(b, &r); err == nil && len(r) == 2 {
		*v = Range(r[0], r[1])
		return nil
	}
	return fmt.Errorf("a value must be a category string or a [min, max] range, got %s", truncate(string(b), 40))
}

// Proposal asks for Num records (groups, for a grouped table) that share
// the given values: one category or one numeric range per variable. For a
// grouped table Values holds the group-level variables and Members one
// proposal per member of each group; the group size is len(Members).
type Proposal struct {
	Reason  string           `json:"reason,omitempty"`
	Values  map[string]Value `json:"proposal"`
	Members []Proposal       `json:"members,omitempty"`
	Num     int              `json:"num"`
}

// Plan is a planner's answer for one iteration.
type Plan struct {
	Proposals []Proposal
	// Skip, when not empty, says why this iteration adds nothing (a reply
	// that could not be used after re-asking); the loop records it and ends
	// the run after too many consecutive skips.
	Skip string
	// Calls, Retries and ParseFailures count the planner's LLM work for the
	// trace (zero for planners without an LLM).
	Calls, Retries, ParseFailures int
}

// Cell is one guidance line: a cell of a marginal or joint table with its
// target and synthetic shares (of the target size).
type Cell struct {
	Vars   []string `json:"vars"`
	Values []Value  `json:"values"`
	Target float64  `json:"target"`
	Synth  float64  `json:"synth"`
}

// Gap returns Target − Synth.
func (c Cell) Gap() float64 { return c.Target - c.Synth }

// Guidance holds the most under-represented joint and marginal cells; for
// a grouped table, Members holds those of the member level (shares of the
// members the output will have).
type Guidance struct {
	Joint    []Cell    `json:"joint"`
	Marginal []Cell    `json:"marginal"`
	Members  *Guidance `json:"members,omitempty"`
}

// Level is the statistics of one level of records: the whole table for a
// flat table; the groups or their members for a grouped one.
type Level struct {
	// Vars are the variables proposals set at this level, in schema order.
	Vars []*macro.Var
	// Targets are the target statistics; Synth counts the records made so
	// far over the same tables (Synth.Size is the number of records).
	Targets, Synth *macro.Targets
	// Size is the number of records the target describes at the output size.
	Size float64

	mu    sync.Mutex
	cache map[*macro.Contingency][]int // unravelled cells per table
}

// State is what a planner sees at one iteration.
type State struct {
	Iteration, Iterations int
	// Schema describes the variables (kinds, categories, ranges, one-line
	// descriptions).
	Schema *table.Schema
	// Deps are the dependency groups C whose joints are tracked.
	Deps [][]string
	// Guidance holds the largest positive cells, rendered for prompts.
	Guidance Guidance
	// Batch is how many records (groups) to propose in total this
	// iteration; MaxProposals caps the number of proposals; Remaining is the
	// records left before the target size.
	Batch, MaxProposals, Remaining int
	// Context is free text describing the scenario.
	Context string
	// Records are the statistics of the records (groups, for a grouped
	// table); Members those of the members of a grouped table, else nil.
	Records, Members *Level
	// GroupSize names the group-level variable that counts members, if any.
	GroupSize string
	// Derived describes the group-level variables derived from the members
	// (compose.go), nil when there are none.
	Derived *Derived
	// Seed is the run seed, for planners that randomise.
	Seed uint64
	// Prior is the prior that completes the records (Config.Prior), ""
	// without one. With a prior a proposal need name only the cells it
	// asks for: the prior supplies the rest of each record (and a group's
	// members).
	Prior PriorKind
}

// Planner plans LLMSynthor's iterations. Implementations must not keep
// State between calls except what they derive themselves, must not see
// records (State holds aggregates only), and must draw any randomness from
// State.Seed.
type Planner interface {
	// Name identifies the planner in results and traces ("stat", "llm").
	Name() string
	// Dependencies returns at most max groups of two or more dependent
	// variables: the joints to align.
	Dependencies(ctx context.Context, st *State, max int) ([][]string, error)
	// Plan returns the proposals of one iteration.
	Plan(ctx context.Context, st *State) (*Plan, error)
}

func fmtNum(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 6, 64)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
