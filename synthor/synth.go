package synthor

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

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

	schema    *table.Schema
	rec, mem  *macro.Targets // per level targets; mem nil for flat tables
	ratio     float64        // members per group in the target
	deps      [][]string
	untracked [][]string
	groupSize string
	indexCol  string
	last      *Result
}

// New returns an LLMSynthor synthesizer with the given settings and
// planner (Stat when nil).
func New(cfg Config, p Planner) (*Synthesizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if p == nil {
		p = Stat{}
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
	if s.Planner.Name() == "stat" {
		return StatLabel
	}
	return "LLMSynthor with the " + s.Planner.Name() + " planner"
}

// Dependencies returns the dependency groups C in use and those the planner
// named that have no target to align to.
func (s *Synthesizer) Dependencies() (tracked, untracked [][]string) { return s.deps, s.untracked }

// Result returns the summary of the last Sample, or nil.
func (s *Synthesizer) Result() *Result { return s.last }

// Fit computes the targets from train: every variable's marginal and the
// joints of the dependency groups (fixed by Config.Joints, else inferred by
// the planner). Only aggregates are kept; the planner never sees a record.
// For a grouped table, group-level variables are counted once per group and
// member-level variables once per member, and groups' joints must stay
// within one level.
func (s *Synthesizer) Fit(ctx context.Context, train *table.Table) error {
	if train.NumRows() == 0 {
		return fmt.Errorf("llmsynthor: the training table has no rows")
	}
	s.schema = train.Schema()
	s.groupSize, s.indexCol = "", ""
	var recT, memT *table.Table
	if train.GroupKey == "" {
		recT = selectCols(train, func(f table.Field) bool { return true })
	} else {
		groups, err := train.Groups()
		if err != nil {
			return err
		}
		first := make([]int, len(groups))
		for i, g := range groups {
			first[i] = g[0]
		}
		recT = selectCols(train, func(f table.Field) bool { return f.Group }).Take(first)
		s.groupSize = detectGroupSize(train, groups, s.Config.GroupSize)
		s.indexCol = detectIndex(train, groups)
		memT = selectCols(train, func(f table.Field) bool { return !f.Group && f.Name != s.indexCol })
		s.ratio = float64(train.NumRows()) / float64(len(groups))
	}
	recS, err := macro.NewSpace(recT, s.Config.Bins)
	if err != nil {
		return err
	}
	roundSpace(recS, s.schema)
	var memS *macro.Space
	if memT != nil {
		if memS, err = macro.NewSpace(memT, s.Config.Bins); err != nil {
			return err
		}
		roundSpace(memS, s.schema)
	}
	candidates := func(sp *macro.Space) [][]string {
		var out [][]string
		for a := 0; a < len(sp.Vars); a++ {
			for b := a + 1; b < len(sp.Vars); b++ {
				out = append(out, []string{sp.Vars[a].Name, sp.Vars[b].Name})
			}
		}
		return out
	}
	// Candidate targets (all pairs) let the planner see the dependence
	// structure; the tracked targets keep only the chosen groups.
	var recC, memC *macro.Targets
	if recC, err = macro.TargetsFromTable(recT, recS, candidates(recS)); err != nil {
		return err
	}
	if memS != nil {
		if memC, err = macro.TargetsFromTable(memT, memS, candidates(memS)); err != nil {
			return err
		}
	}
	deps, err := s.chooseDeps(ctx, recC, memC)
	if err != nil {
		return err
	}
	var recJ, memJ [][]string
	s.deps, s.untracked = nil, nil
	for _, g := range deps {
		switch {
		case allIn(recS, g):
			recJ = append(recJ, g)
		case memS != nil && allIn(memS, g):
			memJ = append(memJ, g)
		default:
			s.untracked = append(s.untracked, g)
			continue
		}
		s.deps = append(s.deps, g)
	}
	if s.rec, err = macro.TargetsFromTableFine(recT, recS, recJ, s.Config.Fine); err != nil {
		return err
	}
	s.mem = nil
	if memS != nil {
		if s.mem, err = macro.TargetsFromTableFine(memT, memS, memJ, s.Config.Fine); err != nil {
			return err
		}
	}
	return s.applyOverrides()
}

// FitTargets takes targets given as aggregates (a flat table's marginals
// and joints). schema, when not nil, supplies descriptions and domains;
// otherwise the schema is derived from the targets' variables. The tracked
// joints are the dependency groups that the targets hold.
func (s *Synthesizer) FitTargets(ctx context.Context, schema *table.Schema, tg *macro.Targets) error {
	s.schema = schemaFromTargets(tg, schema)
	s.groupSize, s.indexCol, s.mem = "", "", nil
	deps, err := s.chooseDeps(ctx, tg, nil)
	if err != nil {
		return err
	}
	s.deps, s.untracked = nil, nil
	keep := &macro.Targets{Space: tg.Space, Size: tg.Size, Marginals: tg.Marginals, FineMarginals: tg.FineMarginals, Fine: tg.Fine}
	for _, g := range deps {
		j := findJoint(tg, g)
		if j == nil {
			s.untracked = append(s.untracked, g)
			continue
		}
		keep.Joints = append(keep.Joints, j)
		s.deps = append(s.deps, j.Names())
	}
	s.rec = keep
	return s.applyOverrides()
}

func (s *Synthesizer) chooseDeps(ctx context.Context, rec, mem *macro.Targets) ([][]string, error) {
	if len(s.Config.Joints) > 0 {
		for _, g := range s.Config.Joints {
			for _, v := range g {
				if rec.Space.Var(v) == nil && (mem == nil || mem.Space.Var(v) == nil) {
					return nil, fmt.Errorf("joints: %q is not a variable with targets", v)
				}
			}
		}
		return s.Config.Joints, nil
	}
	st := s.state(rec, mem, 0)
	deps, err := s.Planner.Dependencies(ctx, st, s.Config.NJoints)
	if err != nil {
		return nil, fmt.Errorf("dependency inference (%s planner): %w", s.Planner.Name(), err)
	}
	if len(deps) > s.Config.NJoints {
		deps = deps[:s.Config.NJoints]
	}
	return deps, nil
}

func (s *Synthesizer) applyOverrides() error {
	for _, o := range s.Config.Overrides {
		v, cat, share, err := parseOverride(o)
		if err != nil {
			return fmt.Errorf("overrides: %w", err)
		}
		tg := s.rec
		if s.rec.Space.Var(v) == nil && s.mem != nil {
			tg = s.mem
		}
		if err := tg.Override(v, cat, share); err != nil {
			return err
		}
	}
	return nil
}

// state builds the State of a level pair at output size n (0 in Fit).
func (s *Synthesizer) state(rec, mem *macro.Targets, n float64) *State {
	st := &State{Schema: s.schema, Deps: s.deps, Context: s.Config.Context, MaxProposals: s.Config.Proposals,
		Iterations: s.Config.Iterations, GroupSize: s.groupSize}
	st.Records = &Level{Vars: rec.Space.Vars, Targets: rec, Synth: emptyLike(rec), Size: n}
	if mem != nil {
		st.Members = &Level{Vars: mem.Space.Vars, Targets: mem, Synth: emptyLike(mem), Size: n * s.ratio}
	}
	return st
}

// Result summarises one Sample run.
type Result struct {
	Planner       string             `json:"planner"`
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
	Stop          string             `json:"stop"`
	Discrepancy   map[string]float64 `json:"discrepancy"`
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
}

// Sample runs the loop and returns n records (n groups for a grouped table).
func (s *Synthesizer) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if s.rec == nil {
		return nil, ErrNotFitted
	}
	if n <= 0 {
		return nil, fmt.Errorf("llmsynthor: rows must be positive, got %d", n)
	}
	cfg := s.Config
	st := s.state(s.rec, s.mem, float64(n))
	st.Seed = seed
	rng := rand.New(rand.NewPCG(seed, 0x11a5))
	recS := newStore(st.Records)
	var memS *store
	var sizes []int // members per group
	if st.Members != nil {
		memS = newStore(st.Members)
	}
	recVal := newValidator(st.Records, s.schema)
	var memVal *validator
	if st.Members != nil {
		memVal = newValidator(st.Members, s.schema)
	}
	groupSize := varIndex(st.Records.Vars, s.groupSize)
	res := &Result{Planner: s.Planner.Name(), Label: s.Label(), Deps: s.deps, Untracked: s.untracked, Repairs: Repairs{}, Stop: "iterations"}
	var enc *json.Encoder
	if s.Trace != nil {
		enc = json.NewEncoder(s.Trace)
	}
	var rm *remover
	if cfg.Removal && st.Members == nil && len(s.rec.Tables()) > 0 {
		rm = newRemover(st.Records)
	}
	skips := 0
	for t := 1; t <= cfg.Iterations; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		remaining := n - recS.live
		if remaining <= 0 {
			res.Stop = "size"
			break
		}
		batch := cfg.Batch
		if batch == 0 {
			batch = (remaining + cfg.Iterations - t) / (cfg.Iterations - t + 1)
		}
		batch = min(batch, remaining)
		st.Iteration, st.Batch, st.Remaining = t, batch, remaining
		iterStart := time.Now()
		recVal.d = newDeficits(st.Records)
		st.Guidance = guidance(recVal.d, st.Records, float64(n), cfg.TopJoint, cfg.TopMarginal)
		if memVal != nil {
			memVal.d = newDeficits(st.Members)
			mg := guidance(memVal.d, st.Members, st.Members.Size, cfg.TopJoint, cfg.TopMarginal)
			st.Guidance.Members = &mg
		}
		planStart := time.Now()
		plan, err := s.Planner.Plan(ctx, st)
		line := TraceLine{Iteration: t, Batch: batch, PlannerMS: ms(time.Since(planStart)), Repairs: Repairs{}}
		if err != nil {
			return nil, fmt.Errorf("llmsynthor: iteration %d: %s planner: %w", t, s.Planner.Name(), err)
		}
		res.Iterations = t
		line.Calls, line.Retries, line.ParseFailures = plan.Calls, plan.Retries, plan.ParseFailures
		res.Calls += plan.Calls
		res.Retries += plan.Retries
		res.ParseFailures += plan.ParseFailures
		if plan.Skip != "" || len(plan.Proposals) == 0 {
			skips++
			res.Skips++
			line.Skip = plan.Skip
			if line.Skip == "" {
				line.Skip = "no proposals"
			}
			line.Records = recS.live
			line.IterationMS = ms(time.Since(iterStart))
			writeTrace(enc, &line, st.Records, float64(n))
			if skips >= cfg.MaxSkips {
				return nil, fmt.Errorf("llmsynthor: %d consecutive iterations skipped (last: %s)", skips, line.Skip)
			}
			continue
		}
		skips = 0
		from, mfrom := recS.len(), 0
		if memS != nil {
			mfrom = memS.len()
		}
		budget := remaining
		props := plan.Proposals
		if len(props) > cfg.Proposals {
			line.Repairs[RepairTooManyProposals] += len(props) - cfg.Proposals
			props = props[:cfg.Proposals]
		}
		for _, p := range props {
			if budget <= 0 {
				line.Repairs.add(RepairNumCapped)
				break
			}
			if p.Num <= 0 {
				line.Repairs.add(RepairNumNonPositive)
				continue
			}
			vals, ok := recVal.repair(p, line.Repairs)
			var members [][]Value
			if ok && memS != nil {
				if len(p.Members) == 0 {
					line.Repairs.add(RepairMembersMissing)
					ok = false
				}
				for _, m := range p.Members {
					mv, mok := memVal.repair(m, line.Repairs)
					if !mok {
						ok = false
						break
					}
					members = append(members, mv)
				}
				if ok && groupSize >= 0 {
					k := float64(len(members))
					if r := vals[groupSize].Range; r == nil || r[0] != k || r[1] != k {
						line.Repairs.add(RepairMembersResized)
						vals[groupSize] = Range(k, k)
					}
				}
			}
			if !ok {
				line.Repairs.add(RepairRejectedProposals)
				continue
			}
			num := p.Num
			if num > budget {
				line.Repairs.add(RepairNumCapped)
				num = budget
			}
			budget -= num
			p.Num = num
			line.Proposals = append(line.Proposals, p)
			cats := recS.categoryCells(vals)
			memCats := make([][]int32, len(members))
			for k, mv := range members {
				memCats[k] = memS.categoryCells(mv)
			}
			for range num {
				recS.add(vals, cats, rng)
				if memS != nil {
					for k, mv := range members {
						memS.add(mv, memCats[k], rng)
					}
					sizes = append(sizes, len(members))
				}
			}
		}
		recS.count(st.Records, from, recS.len(), 1)
		if memS != nil {
			memS.count(st.Members, mfrom, memS.len(), 1)
		}
		line.Added = recS.len() - from
		if rm != nil {
			line.Removed = rm.remove(recS, st.Records, max(1, batch/2))
			res.Removed += line.Removed
		}
		line.Records = recS.live
		for _, k := range line.Repairs.Keys() {
			res.Repairs[k] += line.Repairs[k]
		}
		line.IterationMS = ms(time.Since(iterStart))
		writeTrace(enc, &line, st.Records, float64(n))
		if cfg.Tolerance > 0 && meanShapeGap(st.Records) < cfg.Tolerance {
			res.Stop = "tolerance"
			break
		}
	}
	if recS.live >= n && res.Stop == "iterations" {
		res.Stop = "size"
	}
	out, err := s.output(recS, memS, sizes, st)
	if err != nil {
		return nil, err
	}
	res.Records, res.Rows = recS.live, out.NumRows()
	res.Discrepancy, _ = newDeficits(st.Records).positiveMass(float64(n))
	s.last = res
	return out, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func writeTrace(enc *json.Encoder, line *TraceLine, l *Level, n float64) {
	if enc == nil {
		return
	}
	line.Discrepancy, line.TotalPositive = newDeficits(l).positiveMass(n)
	if line.Proposals == nil {
		line.Proposals = []Proposal{}
	}
	_ = enc.Encode(line)
}

// meanShapeGap is the mean over tables of the positive discrepancy between
// the target shares and the shares of the records made so far.
func meanShapeGap(l *Level) float64 {
	tabs := l.Targets.Tables()
	syn := l.Synth.Tables()
	if len(tabs) == 0 {
		return 0
	}
	sum := 0.0
	for i := range tabs {
		sum += macro.PositiveMass(macro.Gap(tabs[i], syn[i]))
	}
	return sum / float64(len(tabs))
}

// output assembles the records as a table in schema order.
func (s *Synthesizer) output(recS, memS *store, sizes []int, st *State) (*table.Table, error) {
	var rep []int
	nrows := recS.live
	if memS != nil {
		rep = sizes
		nrows = 0
		for _, k := range sizes {
			nrows += k
		}
	}
	var cols []*table.Column
	for _, f := range s.schema.Fields {
		var c *table.Column
		switch {
		case memS == nil:
			if i := varIndex(st.Records.Vars, f.Name); i >= 0 {
				c = recS.column(i, f, nil)
			}
		case f.Name == s.schema.GroupKey:
			c = groupKeyColumn(f, sizes)
		case f.Name == s.indexCol:
			c = indexColumn(f, sizes)
		default:
			if i := varIndex(st.Records.Vars, f.Name); i >= 0 {
				c = recS.column(i, f, rep)
			} else if i := varIndex(st.Members.Vars, f.Name); i >= 0 {
				c = memS.column(i, f, nil)
			}
		}
		if c == nil {
			c = nullColumn(f, nrows)
		}
		cols = append(cols, c)
	}
	t, err := table.New(cols...)
	if err != nil {
		return nil, err
	}
	t.GroupKey = s.schema.GroupKey
	return t, nil
}

func varIndex(vs []*macro.Var, name string) int {
	return slices.IndexFunc(vs, func(v *macro.Var) bool { return v.Name == name })
}

func nullColumn(f table.Field, n int) *table.Column {
	c := &table.Column{Field: f, Nulls: make([]bool, n)}
	for i := range c.Nulls {
		c.Nulls[i] = true
	}
	switch f.Kind {
	case table.Categorical:
		c.Codes = make([]int32, n)
		for i := range c.Codes {
			c.Codes[i] = table.Missing
		}
		c.Dict = f.Categories
	case table.Float:
		c.Floats = make([]float64, n)
		for i := range c.Floats {
			c.Floats[i] = math.NaN()
		}
	case table.Text:
		c.Strs = make([]string, n)
	default:
		c.Ints = make([]int64, n)
	}
	if n == 0 {
		c.Nulls = nil
	}
	return c
}

func groupKeyColumn(f table.Field, sizes []int) *table.Column {
	var ids []int64
	for g, k := range sizes {
		for range k {
			ids = append(ids, int64(g+1))
		}
	}
	switch f.Kind {
	case table.Integer:
		c := table.NewInteger(f.Name, ids, nil)
		c.Field = f
		return c
	case table.Categorical:
		dict := make([]string, len(sizes))
		codes := make([]int32, len(ids))
		for g := range sizes {
			dict[g] = strconv.Itoa(g + 1)
		}
		for i, id := range ids {
			codes[i] = int32(id - 1)
		}
		c := table.NewCategorical(f.Name, dict, codes)
		f.Categories = nil
		c.Field = f
		return c
	default:
		strs := make([]string, len(ids))
		for i, id := range ids {
			strs[i] = strconv.FormatInt(id, 10)
		}
		c := table.NewText(f.Name, strs, nil)
		c.Field = f
		c.Kind = table.Text
		return c
	}
}

func indexColumn(f table.Field, sizes []int) *table.Column {
	var pos []int64
	for _, k := range sizes {
		for j := range k {
			pos = append(pos, int64(j+1))
		}
	}
	c := table.NewInteger(f.Name, pos, nil)
	c.Field = f
	c.Kind = table.Integer
	return c
}

func selectCols(t *table.Table, keep func(table.Field) bool) *table.Table {
	var cols []*table.Column
	for _, c := range t.Cols {
		if c.Name != t.GroupKey && c.Kind != table.Text && keep(c.Field) {
			cols = append(cols, c)
		}
	}
	return table.MustNew(cols...)
}

func allIn(sp *macro.Space, g []string) bool {
	for _, v := range g {
		if sp.Var(v) == nil {
			return false
		}
	}
	return true
}

func findJoint(tg *macro.Targets, g []string) *macro.Contingency {
	want := slices.Clone(g)
	sort.Strings(want)
	for _, j := range tg.Joints {
		have := j.Names()
		sort.Strings(have)
		if slices.Equal(have, want) {
			return j
		}
	}
	return nil
}

// detectGroupSize returns the group-level integer column whose value equals
// the size of every group (the configured name when given).
func detectGroupSize(t *table.Table, groups [][2]int, configured string) string {
	if configured != "" {
		return configured
	}
	for _, c := range t.Cols {
		if !c.Group || c.Kind != table.Integer {
			continue
		}
		ok := true
		for _, g := range groups {
			if c.IsNull(g[0]) || c.Ints[g[0]] != int64(g[1]-g[0]) {
				ok = false
				break
			}
		}
		if ok {
			return c.Name
		}
	}
	return ""
}

// detectIndex returns the member-level integer column holding each member's
// 1-based position in its group, if any: it is generated, not synthesized.
func detectIndex(t *table.Table, groups [][2]int) string {
	for _, c := range t.Cols {
		if c.Group || c.Kind != table.Integer || c.Name == t.GroupKey {
			continue
		}
		ok := true
		for _, g := range groups {
			for i := g[0]; i < g[1] && ok; i++ {
				ok = !c.IsNull(i) && c.Ints[i] == int64(i-g[0]+1)
			}
			if !ok {
				break
			}
		}
		if ok {
			return c.Name
		}
	}
	return ""
}

// schemaFromTargets derives a schema from the targets' variables, taking
// descriptions and domains from given where it names the variable.
func schemaFromTargets(tg *macro.Targets, given *table.Schema) *table.Schema {
	out := &table.Schema{}
	for _, v := range tg.Space.Vars {
		f := table.Field{Name: v.Name, Kind: v.Kind}
		if v.Kind == table.Categorical {
			f.Categories = v.Categories
		} else {
			lo, hi := v.Bins.Edges[0], v.Bins.Edges[len(v.Bins.Edges)-1]
			f.Min, f.Max = &lo, &hi
		}
		if given != nil {
			if g := given.Field(v.Name); g != nil {
				f.Description = g.Description
				if g.Min != nil {
					f.Min = g.Min
				}
				if g.Max != nil {
					f.Max = g.Max
				}
				f.Layout = g.Layout
			}
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

// remover implements the optional removal step: it indexes records by their
// cell in the first tracked joint (else the first marginal) and drops the
// newest records of the cell with the largest surplus over its target share
// of the records made so far. Its cost per iteration is proportional to the
// batch and the records removed.
type remover struct {
	tab     int     // index into Targets.Tables()
	cells   [][]int // per cell: record indices, oldest first
	indexed int     // records indexed so far
}

func newRemover(l *Level) *remover {
	tabs := l.Targets.Tables()
	tab := len(l.Targets.Marginals)
	if tab >= len(tabs) {
		tab = 0
	}
	return &remover{tab: tab, cells: make([][]int, len(tabs[tab].Counts))}
}

// remove drops at most limit records from the most over-represented cell.
func (r *remover) remove(st *store, l *Level, limit int) int {
	c := l.Targets.Tables()[r.tab]
	for ; r.indexed < st.len(); r.indexed++ {
		at := make([]int, len(c.Vars))
		for j, v := range c.Vars {
			at[j] = int(st.cells[st.index[v.Name]][r.indexed])
		}
		k := c.Cell(at...)
		r.cells[k] = append(r.cells[k], r.indexed)
	}
	d := macro.Deficit(c, l.Synth.Tables()[r.tab], float64(st.live))
	k, surplus := -1, 0.0
	for i, x := range d {
		if -x > surplus {
			k, surplus = i, -x
		}
	}
	if k < 0 || surplus < 1 {
		return 0
	}
	drop := min(int(surplus), limit)
	removed := 0
	for removed < drop && len(r.cells[k]) > 0 {
		last := len(r.cells[k]) - 1
		rec := r.cells[k][last]
		r.cells[k] = r.cells[k][:last]
		st.deleted[rec] = true
		st.live--
		st.count(l, rec, rec+1, -1)
		removed++
	}
	return removed
}

// roundBins rounds a numeric variable's edges so that no record's exact
// value becomes an edge shown to a planner: the outer edges go to the
// schema's domain when it gives one, else outward to 2 significant digits;
// inner edges are rounded to 3 significant digits (repeats merged).
func roundBins(b macro.Bins, f *table.Field) macro.Bins {
	n := len(b.Edges)
	if n < 2 {
		return b
	}
	lo, hi := roundSig(b.Edges[0], 2, math.Floor), roundSig(b.Edges[n-1], 2, math.Ceil)
	if f != nil && f.Min != nil && *f.Min <= b.Edges[0] {
		lo = *f.Min
	}
	if f != nil && f.Max != nil && *f.Max >= b.Edges[n-1] {
		hi = *f.Max
	}
	edges := []float64{lo}
	for _, e := range b.Edges[1 : n-1] {
		r := roundSig(e, 3, math.Round)
		if r > edges[len(edges)-1] && r < hi {
			edges = append(edges, r)
		}
	}
	edges = append(edges, hi)
	return macro.Bins{Edges: edges}
}

// roundSig rounds x to d significant digits with the given rounding.
func roundSig(x float64, d int, round func(float64) float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, float64(d)-math.Ceil(math.Log10(math.Abs(x))))
	return round(x*p) / p
}

// roundSpace applies roundBins to every numeric variable of sp.
func roundSpace(sp *macro.Space, s *table.Schema) {
	for _, v := range sp.Vars {
		if v.Numeric() {
			v.Bins = roundBins(v.Bins, s.Field(v.Name))
		}
	}
}
