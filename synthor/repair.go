package synthor

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Repair counters, by the names used in traces and results.
const (
	RepairCategoryMatched   = "category_matched"    // an unknown category matched one uniquely after trimming / ignoring case
	RepairCategoryRejected  = "category_rejected"   // an unknown category with no unique match: the proposal is rejected
	RepairRangeClipped      = "range_clipped"       // a range reaching outside the variable's domain was clipped to it
	RepairRangeSwapped      = "range_swapped"       // a range given as [max, min] was reordered
	RepairNumberAsRange     = "number_as_range"     // a single number (or numeric string) was read as a one-point range
	RepairWrongType         = "wrong_type"          // a range for a categorical variable, or a non-number for a numeric one: the proposal is rejected
	RepairMissingFilled     = "missing_filled"      // a variable the proposal left out was filled from the marginal guidance
	RepairUnknownVariable   = "unknown_variable"    // a variable not in the schema was dropped
	RepairNumCapped         = "num_capped"          // num above the remaining budget was capped
	RepairNumNonPositive    = "num_non_positive"    // num <= 0: the proposal is dropped
	RepairMembersResized    = "members_resized"     // the group-size variable disagreed with the member list and was set to its length
	RepairMembersMissing    = "members_missing"     // a group proposal without members: the proposal is rejected
	RepairTooManyProposals  = "too_many_proposals"  // proposals beyond the maximum were dropped
	RepairRejectedProposals = "rejected_proposals"  // proposals rejected in total
	RepairMissingNotAllowed = "missing_not_allowed" // missing (null) for a variable the target never has missing: filled from the marginal guidance
	RepairNumScaled         = "num_scaled"          // counts adding up to more than the batch were scaled down to it (proportionally)
)

// Repairs counts repairs by kind.
type Repairs map[string]int

func (r Repairs) add(kind string) { r[kind]++ }

// Total returns the number of repairs of all kinds.
func (r Repairs) Total() int {
	n := 0
	for _, v := range r {
		n += v
	}
	return n
}

// Keys returns the repair kinds present, sorted.
func (r Repairs) Keys() []string {
	out := make([]string, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validator checks and repairs proposals of one level against its
// variables and domains.
type validator struct {
	vars    []*macro.Var
	byName  map[string]int
	lo, hi  []float64 // numeric domain per variable
	missing []bool    // whether the target has missing values
	// rejected counts, per variable, the proposals rejected on it.
	rejected map[string]int
	// d holds the level's deficits at this iteration, for filling variables
	// a proposal left out.
	d *deficits
}

func newValidator(l *Level, s *table.Schema) *validator {
	v := &validator{vars: l.Vars, byName: map[string]int{}, lo: make([]float64, len(l.Vars)), hi: make([]float64, len(l.Vars)),
		missing: make([]bool, len(l.Vars)), rejected: map[string]int{}}
	for i, x := range l.Vars {
		v.byName[x.Name] = i
		if m := l.Targets.Marginal(x.Name); m != nil {
			v.missing[i] = m.Counts[x.MissingCell()] > 0
		}
		if x.Numeric() {
			v.lo[i], v.hi[i] = x.Bins.Min(), x.Bins.Max()
			if f := s.Field(x.Name); f != nil {
				if f.Min != nil {
					v.lo[i] = *f.Min
				}
				if f.Max != nil {
					v.hi[i] = *f.Max
				}
			}
		}
	}
	return v
}

// repair returns the proposal's values in variable order, or ok false when
// the proposal must be rejected. Every repair is counted in r.
func (v *validator) repair(p Proposal, r Repairs) (vals []Value, ok bool) {
	vals, set, ok := v.named(p, r)
	if !ok {
		return nil, false
	}
	for i := range vals {
		if !set[i] {
			r.add(RepairMissingFilled)
			vals[i] = v.d.fill(i)
		}
	}
	return vals, true
}

// named returns the values the proposal gives, repaired, in variable
// order, with set[i] false for a variable it leaves out; ok false when the
// proposal must be rejected.
func (v *validator) named(p Proposal, r Repairs) (vals []Value, set []bool, ok bool) {
	vals = make([]Value, len(v.vars))
	set = make([]bool, len(v.vars))
	names := make([]string, 0, len(p.Values))
	for name := range p.Values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		i, known := v.byName[name]
		if !known {
			r.add(RepairUnknownVariable)
			continue
		}
		val := p.Values[name]
		if val.Missing && !v.missing[i] {
			r.add(RepairMissingNotAllowed)
			continue
		}
		if !val.Missing {
			var good bool
			if val, good = v.repairValue(i, val, r); !good {
				v.rejected[name]++
				return nil, nil, false
			}
		}
		vals[i], set[i] = val, true
	}
	return vals, set, true
}

func (v *validator) repairValue(i int, val Value, r Repairs) (Value, bool) {
	x := v.vars[i]
	if !x.Numeric() {
		if val.IsRange() {
			r.add(RepairWrongType)
			return Value{}, false
		}
		if x.CategoryCell(val.Category) >= 0 {
			return val, true
		}
		match := ""
		n := 0
		want := strings.ToLower(strings.TrimSpace(val.Category))
		for _, c := range x.Categories {
			if strings.ToLower(strings.TrimSpace(c)) == want {
				match = c
				n++
			}
		}
		if n == 1 {
			r.add(RepairCategoryMatched)
			return Cat(match), true
		}
		r.add(RepairCategoryRejected)
		return Value{}, false
	}
	if !val.IsRange() {
		f, err := strconv.ParseFloat(strings.TrimSpace(val.Category), 64)
		if err != nil {
			r.add(RepairWrongType)
			return Value{}, false
		}
		r.add(RepairNumberAsRange)
		val = Range(f, f)
	}
	lo, hi := val.Range[0], val.Range[1]
	if math.IsNaN(lo) || math.IsNaN(hi) {
		r.add(RepairWrongType)
		return Value{}, false
	}
	if lo > hi {
		r.add(RepairRangeSwapped)
		lo, hi = hi, lo
	}
	clo, chi := math.Max(lo, v.lo[i]), math.Min(hi, v.hi[i])
	if clo > chi { // entirely outside: the nearest edge of the domain
		if hi < v.lo[i] {
			clo, chi = v.lo[i], v.lo[i]
		} else {
			clo, chi = v.hi[i], v.hi[i]
		}
	}
	if clo != lo || chi != hi {
		r.add(RepairRangeClipped)
	}
	return Range(clo, chi), true
}
