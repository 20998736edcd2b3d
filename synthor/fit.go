package synthor

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Fit computes the targets from train: every variable's marginal and the
// joints of the dependency groups (fixed by Config.Joints, else inferred by
// the planner). Only aggregates are kept; the planner never sees a record.
// For a grouped table, group-level variables are counted once per group and
// member-level variables once per member, and groups' joints must stay
// within one level. Columns the loop cannot plan (all missing, constant,
// identifiers, free text) are made outside it (HandledColumn).
func (s *Synthesizer) Fit(ctx context.Context, train *table.Table) error {
	if train.NumRows() == 0 {
		return fmt.Errorf("llmsynthor: the training table has no rows")
	}
	if err := checkFinite(train); err != nil {
		return err
	}
	if err := s.fitPrior(ctx, train); err != nil {
		return err
	}
	s.controls = false
	cfg := s.Config
	s.schema = train.Schema()
	s.groupSize, s.indexCol, s.derived = "", "", nil
	s.special, s.num = nil, map[string]numInfo{}
	planned := map[string]bool{}
	for _, c := range train.Cols {
		if c.Name == train.GroupKey {
			continue
		}
		if sp := classify(c); sp != nil {
			s.special = append(s.special, sp)
			continue
		}
		planned[c.Name] = true
		if c.Kind.Numeric() {
			info := numInfo{lo: math.Inf(1), hi: math.Inf(-1), dec: -1}
			for _, x := range c.Values() {
				info.lo, info.hi = math.Min(info.lo, x), math.Max(info.hi, x)
			}
			if c.Kind == table.Float {
				info.dec = decimals(c)
			} else {
				info.step = gridStep(c)
			}
			s.num[c.Name] = info
		}
	}
	var recT, memT *table.Table
	if train.GroupKey == "" {
		recT = selectCols(train, func(f table.Field) bool { return planned[f.Name] })
	} else {
		groups, err := train.Groups()
		if err != nil {
			return err
		}
		first := make([]int, len(groups))
		for i, g := range groups {
			first[i] = g[0]
		}
		recT = selectCols(train, func(f table.Field) bool { return f.Group && planned[f.Name] }).Take(first)
		if recT, err = s.deriveGroups(train, groups, recT, planned); err != nil {
			return err
		}
		s.groupSize = detectGroupSize(train, groups, cfg.GroupSize)
		s.indexCol = detectIndex(train, groups)
		memT = selectCols(train, func(f table.Field) bool { return !f.Group && f.Name != s.indexCol && planned[f.Name] })
		s.ratio = float64(train.NumRows()) / float64(len(groups))
	}
	opt := macro.SpaceOptions{Bins: cfg.Bins, Discrete: max(0, cfg.Discrete), PointShare: math.Max(0, cfg.PointShare)}
	recS, err := macro.NewSpaceOptions(recT, opt)
	if err != nil {
		return err
	}
	roundSpace(recS, s.schema)
	var memS *macro.Space
	if memT != nil && memT.NumCols() > 0 {
		if memS, err = macro.NewSpaceOptions(memT, opt); err != nil {
			return err
		}
		roundSpace(memS, s.schema)
		s.derived.alignBands(memT, memS)
	}
	// Candidate targets (all pairs) let the planner see the dependence
	// structure; the tracked targets keep only the chosen groups.
	var recC, memC *macro.Targets
	var recE, memE *macro.Encoded
	if recC, recE, err = pairTargets(ctx, recT, recS); err != nil {
		return err
	}
	if memS != nil {
		if memC, memE, err = pairTargets(ctx, memT, memS); err != nil {
			return err
		}
	}
	var deps [][]string
	if len(cfg.Joints) == 0 && cfg.NJoints == 0 && s.Planner.Name() == "stat" {
		deps = AutoDependencies(recC, recE)
		if memC != nil {
			deps = append(deps, AutoDependencies(memC, memE)...)
		}
	} else if deps, err = s.chooseDeps(ctx, recC, memC); err != nil {
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
	// Flat tables under sampling=fine: sub-bins at the data's quantiles.
	quantile := cfg.Sampling != SamplingUniform && train.GroupKey == ""
	if s.rec, err = macro.TargetsFromTableSub(recT, recS, recJ, cfg.Fine, quantile); err != nil {
		return err
	}
	s.mem = nil
	if memS != nil {
		if s.mem, err = macro.TargetsFromTableSub(memT, memS, memJ, cfg.Fine, quantile); err != nil {
			return err
		}
	}
	return s.applyOverrides()
}

// pairTargets returns the marginals and every pair's joint of t over sp,
// and t's cells.
func pairTargets(ctx context.Context, t *table.Table, sp *macro.Space) (*macro.Targets, *macro.Encoded, error) {
	e, err := sp.Encode(t)
	if err != nil {
		return nil, nil, err
	}
	tg := &macro.Targets{Space: sp, Size: float64(e.N), Fine: 1, FineMarginals: map[string]*macro.Contingency{}}
	for _, v := range sp.Vars {
		m := macro.NewContingency(v)
		if err := m.Add(e, 0, e.N); err != nil {
			return nil, nil, err
		}
		tg.Marginals = append(tg.Marginals, m)
	}
	for a := 0; a < len(sp.Vars); a++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		for b := a + 1; b < len(sp.Vars); b++ {
			j := macro.NewContingency(sp.Vars[a], sp.Vars[b])
			if err := j.Add(e, 0, e.N); err != nil {
				return nil, nil, err
			}
			tg.Joints = append(tg.Joints, j)
		}
	}
	return tg, e, nil
}

// FitTargets takes targets given as aggregates (a flat table's marginals
// and joints, or grouped targets: fitGroupedTargets). schema, when not
// nil, supplies descriptions and domains; otherwise the schema is derived
// from the targets' variables. The tracked joints are the dependency
// groups that the targets hold.
func (s *Synthesizer) FitTargets(ctx context.Context, schema *table.Schema, tg *macro.Targets) error {
	if err := s.fitPrior(ctx, nil); err != nil {
		return err
	}
	s.controls = tg.Members != nil
	if tg.Members != nil {
		return s.fitGroupedTargets(ctx, schema, tg)
	}
	s.schema = schemaFromTargets(tg, schema)
	s.groupSize, s.indexCol, s.mem, s.derived = "", "", nil, nil
	s.special, s.num = nil, map[string]numInfo{}
	for _, v := range tg.Space.Vars {
		if !v.Numeric() {
			continue
		}
		info := numInfo{lo: v.Bins.Min(), hi: v.Bins.Max(), dec: -1}
		if f := s.schema.Field(v.Name); f != nil {
			if f.Min != nil {
				info.lo = math.Max(info.lo, *f.Min)
			}
			if f.Max != nil {
				info.hi = math.Min(info.hi, *f.Max)
			}
		}
		if v.Decimals != nil {
			info.dec = *v.Decimals
		}
		s.num[v.Name] = info
	}
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
	limit := s.Config.NJoints
	if limit == 0 {
		limit = PaperConfig.NJoints
	}
	st := s.state(rec, mem, 0)
	deps, err := s.Planner.Dependencies(ctx, st, limit)
	if err != nil {
		return nil, fmt.Errorf("dependency inference (%s planner): %w", s.Planner.Name(), err)
	}
	if len(deps) > limit {
		deps = deps[:limit]
	}
	return deps, nil
}

func (s *Synthesizer) applyOverrides() error {
	for _, o := range s.Config.Overrides {
		tg := s.rec
		if s.rec.Space.Var(o.Var) == nil && s.mem != nil {
			tg = s.mem
		}
		if err := tg.Override(o.Var, o.Category, o.Share); err != nil {
			return err
		}
	}
	return nil
}

// state builds the State of a level pair at output size n (0 in Fit).
func (s *Synthesizer) state(rec, mem *macro.Targets, n float64) *State {
	st := &State{Schema: s.planSchema(), Deps: s.deps, Context: s.Config.Context, MaxProposals: s.Config.Proposals,
		Iterations: s.Config.Iterations, GroupSize: s.groupSize, Derived: s.derived}
	if s.Prior != nil {
		st.Prior = s.Prior.Kind()
	}
	st.Records = &Level{Vars: rec.Space.Vars, Targets: rec, Synth: emptyLike(rec), Size: n}
	if mem != nil {
		st.Members = &Level{Vars: mem.Space.Vars, Targets: mem, Synth: emptyLike(mem), Size: n * s.ratio}
	}
	return st
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
			lo, hi := v.Bins.Min(), v.Bins.Max()
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

// roundSpace rounds the interval edges of every numeric variable of sp
// (macro.Bins.Rounded) to the schema's domain where it gives one, so that
// no record's exact value becomes an edge shown to a planner.
func roundSpace(sp *macro.Space, s *table.Schema) {
	for _, v := range sp.Vars {
		if v.Numeric() {
			var lo, hi *float64
			if f := s.Field(v.Name); f != nil {
				lo, hi = f.Min, f.Max
			}
			v.Bins = v.Bins.Rounded(lo, hi)
		}
	}
}
