package macro

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/settings"
	"github.com/synthor/synthor/table"
)

// DefaultFine is the number of equal-width sub-bins each quantile bin is
// split into for refinement (LLMSynthor's second binning stage).
const DefaultFine = 8

// Targets are the macro-statistics a synthesizer aligns to: the marginal of
// every variable of the Space, the joints (contingency tables over groups of
// variables) and, for every numeric variable, a fine marginal whose bins are
// the main bins split into Fine equal-width sub-bins. Counts describe a
// population of Size records; only shares matter for alignment.
type Targets struct {
	Space     *Space
	Size      float64
	Marginals []*Contingency
	Joints    []*Contingency
	// FineMarginals holds the fine marginal of each numeric variable, by name.
	FineMarginals map[string]*Contingency
	// Fine is the number of sub-bins per main bin in FineMarginals.
	Fine int
	// SharesOnly is true for a targets file that states neither a size nor
	// any count: Size is then only the shares' sum, not a number of records.
	SharesOnly bool
	// Members, for grouped targets (households of persons), are the
	// member-level targets: their tables count members, the receiver's
	// count groups. nil for flat targets.
	Members *Targets
	// Grouping says how members form groups; nil for flat targets.
	Grouping *Grouping
}

// TargetsFromTable computes targets from a table: every variable's marginal,
// the given joints and the fine marginals (DefaultFine sub-bins).
func TargetsFromTable(t *table.Table, s *Space, joints [][]string) (*Targets, error) {
	return TargetsFromTableFine(t, s, joints, DefaultFine)
}

// TargetsFromTableFine is TargetsFromTable with fine marginals of fine
// sub-bins per main bin (DefaultFine when fine <= 0).
func TargetsFromTableFine(t *table.Table, s *Space, joints [][]string, fine int) (*Targets, error) {
	return TargetsFromTableSub(t, s, joints, fine, false)
}

// TargetsFromTableSub is TargetsFromTableFine with, when quantile is set,
// each interval bin split at the quantiles of t's values inside it instead
// of into equal widths (a bin whose quantiles repeat is split evenly): in
// a long tail (the top wage bin running from 900 to 18,777 dollars) equal
// widths put nearly every value in the first sub-bin, and values drawn
// inside it spread far from where the real ones lie. Cell i·k + j is still
// sub-bin j of main cell i; the fine marginals' variables carry the edges.
func TargetsFromTableSub(t *table.Table, s *Space, joints [][]string, fine int, quantile bool) (*Targets, error) {
	if fine <= 0 {
		fine = DefaultFine
	}
	e, err := s.Encode(t)
	if err != nil {
		return nil, err
	}
	tg := &Targets{Space: s, Size: float64(t.NumRows()), Fine: fine, FineMarginals: map[string]*Contingency{}}
	for _, v := range s.Vars {
		m := NewContingency(v)
		if err := m.Add(e, 0, e.N); err != nil {
			return nil, err
		}
		tg.Marginals = append(tg.Marginals, m)
		if v.Numeric() {
			f := v.Fine(tg.Fine)
			col := t.Col(v.Name)
			if quantile {
				f = quantileFine(v, col, tg.Fine)
			}
			fm := NewContingency(f)
			cells := make([]int32, t.NumRows())
			if err := f.encode(col, cells); err != nil {
				return nil, err
			}
			fm.AddCells([][]int32{cells}, 0, len(cells), 1)
			tg.FineMarginals[v.Name] = fm
		}
	}
	for _, names := range joints {
		vars, err := s.Lookup(names...)
		if err != nil {
			return nil, fmt.Errorf("joint [%s]: %w", strings.Join(names, ", "), err)
		}
		j := NewContingency(vars...)
		if err := j.Add(e, 0, e.N); err != nil {
			return nil, err
		}
		tg.Joints = append(tg.Joints, j)
	}
	return tg, nil
}

// Marginal returns the marginal of the named variable, or nil.
func (tg *Targets) Marginal(name string) *Contingency {
	for _, m := range tg.Marginals {
		if m.Vars[0].Name == name {
			return m
		}
	}
	return nil
}

// Tables returns the marginals followed by the joints.
func (tg *Targets) Tables() []*Contingency {
	return append(slices.Clone(tg.Marginals), tg.Joints...)
}

// Keys returns the Key of every marginal and joint, of both levels for
// grouped targets: the statistics these targets cover.
func (tg *Targets) Keys() map[string]bool {
	out := make(map[string]bool)
	for _, l := range tg.Levels() {
		for _, c := range l.Tables() {
			out[c.Key()] = true
		}
	}
	return out
}

// Override sets the target share of category cat of variable name to share
// (0 <= share <= 1) and renormalises: cells with that category are scaled
// by share/old and the others by (1−share)/(1−old) in the marginal and in
// every joint and fine marginal over the variable, so distributions
// conditional on the variable keep their shape. It is how what-if scenarios
// change a target.
func (tg *Targets) Override(name, cat string, share float64) error {
	if share < 0 || share > 1 || math.IsNaN(share) {
		return fmt.Errorf("override %s=%s: share %v is outside [0, 1]", name, cat, share)
	}
	v := tg.Space.Var(name)
	if v == nil {
		return fmt.Errorf("override %s=%s: no such variable", name, cat)
	}
	if v.Numeric() {
		return fmt.Errorf("override %s=%s: only categorical variables can be overridden", name, cat)
	}
	cell := v.CategoryCell(cat)
	if cell < 0 {
		return fmt.Errorf("override %s=%s: unknown category (valid: %s)", name, cat, strings.Join(v.Categories, ", "))
	}
	m := tg.Marginal(name)
	old := m.Shares()[cell]
	if old == 0 && share > 0 {
		return fmt.Errorf("override %s=%s: the target has no records with this category to scale", name, cat)
	}
	if old == 1 && share < 1 {
		return fmt.Errorf("override %s=%s: every target record has this category", name, cat)
	}
	fIn, fOut := 0.0, 0.0
	if old > 0 {
		fIn = share / old
	}
	if old < 1 {
		fOut = (1 - share) / (1 - old)
	}
	for _, c := range tg.Tables() {
		pos := slices.Index(c.Vars, v)
		if pos < 0 {
			continue
		}
		total := 0.0
		for k := range c.Counts {
			if c.Unravel(k)[pos] == cell {
				c.Counts[k] *= fIn
			} else {
				c.Counts[k] *= fOut
			}
			total += c.Counts[k]
		}
		c.Total = total
	}
	return nil
}

// file is the aggregates file format: flat (variables, marginals, joints)
// or grouped (groups: and members:, grouped.go).
type file struct {
	Size      float64      `json:"size,omitempty" yaml:"size,omitempty"`
	Fine      int          `json:"fine,omitempty" yaml:"fine,omitempty"`
	Variables []*Var       `json:"variables,omitempty" yaml:"variables,omitempty"`
	Marginals []fileTable  `json:"marginals,omitempty" yaml:"marginals,omitempty"`
	Joints    []fileTable  `json:"joints,omitempty" yaml:"joints,omitempty"`
	Groups    *groupsFile  `json:"groups,omitempty" yaml:"groups,omitempty"`
	Members   *membersFile `json:"members,omitempty" yaml:"members,omitempty"`

	// budget bounds the memory of the tables built from the file (and
	// from both levels of a grouped one); nil: MaxCells only.
	budget *cellBudget
}

type fileTable struct {
	Vars   []string  `json:"vars" yaml:"vars"`
	Counts []float64 `json:"counts,omitempty" yaml:"counts,omitempty"`
	Shares []float64 `json:"shares,omitempty" yaml:"shares,omitempty"`
}

// WriteJSON writes the targets in the aggregates file format (see
// LoadTargets), counts including the missing cells.
func (tg *Targets) WriteJSON(path string) error {
	b, err := tg.MarshalJSON()
	if err != nil {
		return err
	}
	return table.WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// MarshalJSON returns the targets in the aggregates file format (see
// LoadTargets), indented, with a final newline.
func (tg *Targets) MarshalJSON() ([]byte, error) {
	f := file{Size: tg.Size, Fine: tg.Fine, Variables: tg.Space.Vars}
	f.Marginals, f.Joints = fileTables(tg)
	if tg.Members != nil {
		f = tg.groupedFile()
	}
	b, err := json.MarshalIndent(f, "", "  ")
	return append(b, '\n'), err
}

// LoadTargets reads an aggregates file (JSON or YAML):
//
//	size: 2000                      # records the counts describe (optional)
//	variables:
//	  - {name: user_gender, kind: categorical, categories: [Male, Female]}
//	  - {name: price, kind: float, bins: {edges: [0, 50, 200, 2000]}}
//	marginals:
//	  - {vars: [user_gender], counts: [900, 1100]}
//	joints:
//	  - {vars: [user_gender, price], shares: [0.1, 0.2, 0.15, 0.2, 0.25, 0.1]}
//
// Each table's counts (or shares) are flat and row-major over the cells of
// its variables, the last variable varying fastest: either over the
// categories or bins alone, or with each variable's trailing missing cell
// included (the way to state a missing share: a marginal of
// [categories..., missing]).
//
// A numeric variable's cells are its points, then its interval bins:
//
//   - {name: capital_gain, kind: integer, bins: {points: [0], edges: [100, 5000, 100000]}}
//   - {name: children, kind: integer, bins: {points: [0, 1, 2, 3]}}
//   - {name: rate, kind: float, decimals: 2, bins: {edges: [0, 0.5, 1]}}
//
// points are values with a cell of their own: a point mass (0 holding 90 %
// of capital_gain) or, with no edges, the values of a discrete variable,
// drawn exactly. decimals, when given, is the precision a float variable's
// values are drawn to. The domain of a numeric variable is its outer
// points and edges: no value is drawn outside it. A variable with no marginal gets a marginal summed from the
// first joint that holds it. Fine marginals split each bin's count evenly
// among its sub-bins: with aggregates alone nothing finer is known.
//
// A grouped file (households of persons) states each level's size,
// variables, marginals and joints under groups: (one count per household)
// and members: (one count per person), each checked as a flat file is;
// groups: also names the key column, the member index column, the
// group-size variable and the composition (households by members per band
// of a member variable):
//
//	groups:
//	  key: household_id
//	  index: person_id
//	  group_size: num_persons
//	  size: 1000
//	  variables:
//	    - {name: num_persons, kind: integer, bins: {points: [1, 2, 3]}}
//	  marginals:
//	    - {vars: [num_persons], counts: [300, 500, 200]}
//	  composition:
//	    member: age
//	    cuts: [18]                  # bands: under 18, 18 and over
//	    cells:
//	      - {members: [0, 1], count: 300}
//	      - {members: [0, 2], count: 350}
//	      - {members: [1, 1], count: 150}
//	      - {members: [1, 2], count: 200}
//	members:
//	  size: 1900
//	  variables:
//	    - {name: age, kind: integer, bins: {edges: [0, 18, 65, 100]}}
//	  marginals:
//	    - {vars: [age], counts: [350, 1200, 350]}
//
// The levels must agree: no variable on both; the composition's group
// sizes with the group-size marginal and its band totals with the member
// variable's marginal (each cut an edge of its bins); and the members per
// group that the group-size variable, the composition and the two sizes
// give (grouped.go).
func LoadTargets(path string) (*Targets, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	tg, err := ParseTargets(b)
	if err != nil {
		return nil, fmt.Errorf("targets %s: %w", path, err)
	}
	return tg, nil
}

// LoadTargetsMax is LoadTargets refusing, with a *TooLargeError, a file
// that would need more than maxBytes of memory (0: no limit) to decode
// (FileBytesFactor a byte, checked before reading it) and to hold its
// tables (BytesPerCell a cell, checked before building any).
func LoadTargetsMax(path string, maxBytes float64) (*Targets, error) {
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		if err := checkFileSize(st.Size(), maxBytes); err != nil {
			return nil, fmt.Errorf("targets %s: %w", path, err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("targets: %w", err)
	}
	tg, err := ParseTargetsMax(b, maxBytes)
	if err != nil {
		return nil, fmt.Errorf("targets %s: %w", path, err)
	}
	return tg, nil
}

// ParseTargets parses the aggregates file format of LoadTargets.
func ParseTargets(b []byte) (*Targets, error) { return ParseTargetsMax(b, 0) }

// ParseTargetsMax is ParseTargets with the limit of LoadTargetsMax.
func ParseTargetsMax(b []byte, maxBytes float64) (*Targets, error) {
	if err := checkFileSize(int64(len(b)), maxBytes); err != nil {
		return nil, err
	}
	var f file
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse: %s", oneLine(err.Error()))
	}
	if err := settings.DecodeNode(doc.Content[0], &f); err != nil {
		var ne *settings.NodeError
		if errors.As(err, &ne) && ne.Key != "" {
			return nil, fmt.Errorf("line %d: %s: %w", ne.Node.Line, ne.Key, ne.Err)
		}
		return nil, fmt.Errorf("parse: %w", err)
	}
	f.budget = &cellBudget{size: len(b), maxBytes: maxBytes}
	if f.Groups != nil || f.Members != nil {
		return f.parseGrouped()
	}
	return f.parseFlat()
}

// parseFlat builds the targets of a flat file, or of one level of a
// grouped file.
func (f *file) parseFlat() (*Targets, error) {
	if len(f.Variables) == 0 {
		return nil, fmt.Errorf("no variables")
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	if f.Size != math.Trunc(f.Size) {
		return nil, fmt.Errorf("size %v: want a whole number of records", f.Size)
	}
	s := &Space{}
	for i, v := range f.Variables {
		if v == nil || v.Name == "" {
			return nil, fmt.Errorf("variable %d has no name", i+1)
		}
		if s.Var(v.Name) != nil {
			return nil, fmt.Errorf("variable %q appears twice", v.Name)
		}
		if v.Decimals != nil && (*v.Decimals < 0 || *v.Decimals > 15) {
			return nil, fmt.Errorf("variable %q: decimals %d: want 0 to 15", v.Name, *v.Decimals)
		}
		switch {
		case v.Kind == table.Categorical:
			if len(v.Categories) == 0 {
				return nil, fmt.Errorf("variable %q: no categories", v.Name)
			}
			for k, c := range v.Categories {
				if slices.Contains(v.Categories[:k], c) {
					return nil, fmt.Errorf("variable %q: category %q appears twice", v.Name, c)
				}
			}
		case v.Kind.Numeric():
			if err := v.Bins.validate(); err != nil {
				return nil, fmt.Errorf("variable %q: %w", v.Name, err)
			}
		default:
			return nil, fmt.Errorf("variable %q: kind must be categorical, integer, float or datetime", v.Name)
		}
		s.Vars = append(s.Vars, v)
		s.reindex()
	}
	tg := &Targets{Space: s, Size: f.Size, Fine: f.Fine, FineMarginals: map[string]*Contingency{}}
	counted := f.Size > 0
	if tg.Fine <= 0 {
		tg.Fine = DefaultFine
	}
	if err := f.checkCells(s, tg.Fine); err != nil {
		return nil, err
	}
	build := func(kind string, i int, ft fileTable) (*Contingency, error) {
		where := fmt.Sprintf("%s %d [%s]", kind, i+1, strings.Join(ft.Vars, ", "))
		if len(ft.Vars) == 0 {
			return nil, fmt.Errorf("%s: no vars", where)
		}
		vars, err := s.Lookup(ft.Vars...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		vals := ft.Counts
		if (ft.Counts == nil) == (ft.Shares == nil) {
			return nil, fmt.Errorf("%s: give either counts or shares", where)
		}
		if vals == nil {
			vals = ft.Shares
		} else {
			counted = true
		}
		c := NewContingency(vars...)
		inner := 1
		for _, v := range vars {
			inner *= v.Levels()
		}
		switch len(vals) {
		case len(c.Counts):
			copy(c.Counts, vals)
		case inner:
			for k, x := range vals {
				// k is row-major over levels; map it to the full shape.
				rem, full := k, 0
				for j := len(vars) - 1; j >= 0; j-- {
					l := vars[j].Levels()
					full += (rem % l) * c.strides[j]
					rem /= l
				}
				c.Counts[full] = x
			}
		default:
			return nil, fmt.Errorf("%s: %d values, expected %d (or %d with missing cells)", where, len(vals), inner, len(c.Counts))
		}
		for k, x := range c.Counts {
			if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("%s: value %d is %v", where, k+1, x)
			}
			c.Total += x
		}
		if c.Total == 0 {
			return nil, fmt.Errorf("%s: all values are zero", where)
		}
		if ft.Shares != nil && tg.Size > 0 {
			f := tg.Size / c.Total
			for k := range c.Counts {
				c.Counts[k] *= f
			}
			c.Total = tg.Size
		}
		return c, nil
	}
	for i, ft := range f.Marginals {
		c, err := build("marginal", i, ft)
		if err != nil {
			return nil, err
		}
		if len(c.Vars) != 1 {
			return nil, fmt.Errorf("marginal %d: has %d vars, expected 1", i+1, len(c.Vars))
		}
		if tg.Marginal(c.Vars[0].Name) != nil {
			return nil, fmt.Errorf("marginal %d: variable %q has two marginals", i+1, c.Vars[0].Name)
		}
		tg.Marginals = append(tg.Marginals, c)
	}
	for i, ft := range f.Joints {
		c, err := build("joint", i, ft)
		if err != nil {
			return nil, err
		}
		tg.Joints = append(tg.Joints, c)
	}
	// Every variable gets a marginal, in variable order.
	var ms []*Contingency
	for _, v := range s.Vars {
		m := tg.Marginal(v.Name)
		if m == nil {
			m = marginalFromJoints(v, tg.Joints)
			if m == nil {
				return nil, fmt.Errorf("variable %q has no marginal and is in no joint", v.Name)
			}
		}
		ms = append(ms, m)
	}
	tg.Marginals = ms
	if tg.Size == 0 {
		tg.Size = tg.Marginals[0].Total
	}
	tg.SharesOnly = !counted
	for _, m := range tg.Marginals {
		v := m.Vars[0]
		if !v.Numeric() {
			continue
		}
		fv := v.Fine(tg.Fine)
		fm := NewContingency(fv)
		for b := 0; b < v.Levels(); b++ {
			if v.Bins.IsPoint(b) {
				fm.Counts[b*tg.Fine] = m.Counts[b]
				continue
			}
			for j := 0; j < tg.Fine; j++ {
				fm.Counts[b*tg.Fine+j] = m.Counts[b] / float64(tg.Fine)
			}
		}
		fm.Counts[fv.MissingCell()] = m.Counts[v.MissingCell()]
		fm.Total = m.Total
		tg.FineMarginals[v.Name] = fm
	}
	if err := tg.checkAgreement(); err != nil {
		return nil, err
	}
	return tg, nil
}

func marginalFromJoints(v *Var, joints []*Contingency) *Contingency {
	for _, j := range joints {
		pos := slices.Index(j.Vars, v)
		if pos < 0 {
			continue
		}
		m := NewContingency(v)
		for k, x := range j.Counts {
			m.Counts[j.Unravel(k)[pos]] += x
		}
		m.Total = j.Total
		return m
	}
	return nil
}

// oneLine joins the lines of a multi-line message (yaml's unmarshal
// errors, one line per bad field with its line number) with "; ".
func oneLine(s string) string {
	var parts []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, strings.TrimSuffix(l, ":"))
		}
	}
	return strings.Join(parts, "; ")
}

// quantileFine returns v with every interval bin split into k sub-bins at
// the quantiles of c's values inside it, rounded to 3 significant digits
// of the bin's width (up to an integer for integer and datetime
// variables); a bin with fewer than 2k values, or whose rounded quantiles
// repeat, is split into equal widths.
func quantileFine(v *Var, c *table.Column, k int) *Var {
	f := v.Fine(k)
	b := v.Bins
	if b.intervals() == 0 || k < 2 {
		return f
	}
	in := make([][]float64, b.intervals())
	pc := b.pointCells()
	for i := range c.Len() {
		if c.IsNull(i) {
			continue
		}
		x := c.Float(i)
		if cell := b.Index(x); cell >= pc {
			in[cell-pc] = append(in[cell-pc], x)
		}
	}
	edges := slices.Clone(f.Bins.Edges)
	for i, xs := range in {
		if len(xs) < 2*k {
			continue
		}
		slices.Sort(xs)
		lo, hi := b.Edges[i], b.Edges[i+1]
		sub := make([]float64, 0, k-1)
		prev := lo
		for j := 1; j < k; j++ {
			// Rounded like the main edges (3 digits of the bin's width),
			// so that no record's value becomes an edge a planner sees.
			q := roundSpread(Quantile(xs, float64(j)/float64(k)), 3, hi-lo, math.Round)
			if v.Kind != table.Float {
				// An integer edge, above at least one integer of the
				// sub-bin before: no sub-bin of an integer variable is
				// left without a value it can hold.
				if q = math.Ceil(q); !(math.Ceil(prev) < q) {
					sub = nil
					break
				}
			}
			if !(q > prev) || !(q < hi) {
				sub = nil
				break
			}
			sub, prev = append(sub, q), q
		}
		if sub != nil {
			copy(edges[i*k+1:], sub)
		}
	}
	g := *f
	g.Bins = Bins{Points: f.Bins.Points, Edges: edges, sub: f.Bins.sub}
	return &g
}
