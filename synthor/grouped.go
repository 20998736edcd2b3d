package synthor

import (
	"context"
	"math"
	"slices"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// fitGroupedTargets takes grouped targets (a targets file with groups: and
// members:, households of persons): the group level's tables count
// groups, the member level's count members, and the output is a grouped
// table keyed by the targets' key column. The targets' composition (groups
// by members per band of a member variable) becomes the derived
// composition variable that Fit computes from a table (compose.go), unless
// Config.Composition is "none"; the group-size variable and the member
// index column are the targets'. The tracked joints are those the targets
// hold (with the stat planner and n_joints unset), else those the planner
// or Config.Joints choose among them. schema, when not nil, supplies
// descriptions, domains and the key column's kind.
func (s *Synthesizer) fitGroupedTargets(ctx context.Context, schema *table.Schema, tg *macro.Targets) error {
	g := tg.Grouping
	s.schema = groupedSchema(tg, schema)
	s.groupSize, s.indexCol, s.derived = g.GroupSize, g.Index, nil
	s.special, s.num = nil, map[string]numInfo{}
	for _, l := range tg.Levels() {
		for _, v := range l.Space.Vars {
			if v.Numeric() {
				s.num[v.Name] = numInfoOf(v, s.schema)
			}
		}
	}
	rec := tg
	if c := g.Composition; c != nil && s.Config.Composition != CompositionNone {
		rec, s.derived = withComposition(tg, c)
	}
	s.ratio = tg.MembersPerGroup()
	mem := tg.Members
	var deps [][]string
	var err error
	if len(s.Config.Joints) == 0 && s.Config.NJoints == 0 && s.Planner.Name() == "stat" {
		for _, l := range []*macro.Targets{rec, mem} {
			for _, j := range l.Joints {
				deps = append(deps, j.Names())
			}
		}
	} else if deps, err = s.chooseDeps(ctx, rec, mem); err != nil {
		return err
	}
	s.deps, s.untracked = nil, nil
	keepRec := levelWithout(rec)
	keepMem := levelWithout(mem)
	for _, d := range deps {
		switch {
		case findJoint(rec, d) != nil:
			keepRec.Joints = append(keepRec.Joints, findJoint(rec, d))
		case findJoint(mem, d) != nil:
			keepMem.Joints = append(keepMem.Joints, findJoint(mem, d))
		default:
			s.untracked = append(s.untracked, d)
			continue
		}
		s.deps = append(s.deps, d)
	}
	s.rec, s.mem = keepRec, keepMem
	return s.applyOverrides()
}

// levelWithout returns the targets of one level with no joints (they are
// added back as tracked).
func levelWithout(tg *macro.Targets) *macro.Targets {
	return &macro.Targets{Space: tg.Space, Size: tg.Size, Marginals: tg.Marginals, FineMarginals: tg.FineMarginals,
		Fine: tg.Fine, SharesOnly: tg.SharesOnly}
}

// withComposition returns the group level with the derived composition
// variable added (its categories the compositions' labels, its marginal
// the composition's counts) and the Derived that describes it.
func withComposition(tg *macro.Targets, c *macro.Composition) (*macro.Targets, *Derived) {
	d := &Derived{Composition: compositionVar, Member: c.Member, Cuts: slices.Clone(c.Cuts), Shared: map[string]string{}}
	labels := make([]string, len(c.Cells))
	for i, cell := range c.Cells {
		labels[i] = d.label(cell.Members)
	}
	cats := slices.Clone(labels)
	slices.Sort(cats)
	v := &macro.Var{Name: compositionVar, Kind: table.Categorical, Categories: cats}
	m := macro.NewContingency(v)
	for i, cell := range c.Cells {
		m.Counts[v.CategoryCell(labels[i])] += cell.Count
	}
	m.Total = c.Total
	if !tg.SharesOnly && c.Total > 0 {
		f := tg.Size / c.Total
		for k := range m.Counts {
			m.Counts[k] *= f
		}
		m.Total = tg.Size
	}
	out := *tg
	out.Space = &macro.Space{Vars: append(slices.Clone(tg.Space.Vars), v)}
	out.Marginals = append(slices.Clone(tg.Marginals), m)
	return &out, d
}

// numInfoOf returns the domain of a numeric target variable: its bins'
// outer points and edges, narrowed by the schema's min and max, and its
// decimals.
func numInfoOf(v *macro.Var, schema *table.Schema) numInfo {
	info := numInfo{lo: v.Bins.Min(), hi: v.Bins.Max(), dec: -1}
	if f := schema.Field(v.Name); f != nil {
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
	return info
}

// groupedSchema is the output schema of grouped targets: the key column,
// the group-level variables (Field.Group), the member index column, then
// the member-level variables; given, when not nil, supplies descriptions,
// domains and the key's and index's fields.
func groupedSchema(tg *macro.Targets, given *table.Schema) *table.Schema {
	g := tg.Grouping
	out := &table.Schema{GroupKey: g.Key}
	made := func(name, desc string) table.Field {
		if given != nil {
			if f := given.Field(name); f != nil && (f.Kind == table.Integer || f.Kind == table.Categorical || f.Kind == table.Text) {
				return *f
			}
		}
		return table.Field{Name: name, Kind: table.Integer, Description: desc}
	}
	out.Fields = append(out.Fields, made(g.Key, "identifier of the group; rows sharing it are its members"))
	for _, f := range schemaFromTargets(tg, given).Fields {
		f.Group = true
		out.Fields = append(out.Fields, f)
	}
	if g.Index != "" {
		f := made(g.Index, "number of the member within its group")
		f.Kind, f.Categories = table.Integer, nil
		out.Fields = append(out.Fields, f)
	}
	for _, f := range schemaFromTargets(tg.Members, given).Fields {
		f.Group = false
		out.Fields = append(out.Fields, f)
	}
	return out
}
