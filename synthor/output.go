package synthor

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// output assembles the records as a table in schema order.
// Columns made outside the loop are drawn from the seed.
func (s *Synthesizer) output(recS, memS *store, sizes []int, st *State, seed uint64) (*table.Table, error) {
	rng := rand.New(rand.NewPCG(seed, 0x5bec1a1))
	specials := map[string]*special{}
	for _, sp := range s.special {
		specials[sp.field.Name] = sp
	}
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
		case specials[f.Name] != nil:
			c = specials[f.Name].column(nrows, rng)
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
			c = table.NewNull(f, nrows)
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
