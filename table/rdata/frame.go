package rdata

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/synthor/synthor/table"
)

// typeNames names the vector types that a column may have, for errors.
var typeNames = map[int]string{
	nilSXP: "NULL", listSXP: "pairlist", envSXP: "environment", langSXP: "call", cplxSXP: "complex",
	vecSXP: "list", exprSXP: "expression", rawSXP: "raw", s4SXP: "S4 object", closSXP: "function",
}

func typeName(t int) string {
	if s, ok := typeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type %d", t)
}

// frameTable converts a data frame (a list of equal-length columns with a
// names attribute) into a Table. On error it returns the column's name.
func frameTable(v *value) (*table.Table, string, error) {
	names := v.attrOf("names")
	if len(v.items) > 0 && (names == nil || names.typ != strSXP || len(names.strs) != len(v.items)) {
		return nil, "", errors.New("data frame without a names attribute for every column")
	}
	cols := make([]*table.Column, len(v.items))
	for i, it := range v.items {
		name := names.strs[i]
		if names.strNA[i] || name == "" {
			name = fmt.Sprintf("V%d", i+1)
		}
		c, err := column(name, it)
		if err != nil {
			return nil, name, err
		}
		cols[i] = c
	}
	t, err := table.New(cols...)
	if err != nil {
		return nil, "", err
	}
	return t, "", nil
}

// column converts one column vector by its type and class.
func column(name string, v *value) (*table.Column, error) {
	if v == nil {
		return nil, errors.New("column is NULL")
	}
	switch {
	case v.typ == intSXP && (v.hasClass("factor") || v.hasClass("ordered")):
		return factor(name, v)
	case v.typ == lglSXP:
		codes := make([]int32, len(v.ints))
		for i, k := range v.ints {
			switch {
			case k == naInt:
				codes[i] = table.Missing
			case k != 0:
				codes[i] = 1
			}
		}
		return table.NewCategorical(name, []string{"FALSE", "TRUE"}, codes), nil
	case (v.typ == intSXP || v.typ == realSXP) && (v.hasClass("Date") || v.hasClass("POSIXct")):
		return datetime(name, v), nil
	case v.typ == intSXP:
		ints := make([]int64, len(v.ints))
		var nulls []bool
		for i, k := range v.ints {
			if k == naInt {
				if nulls == nil {
					nulls = make([]bool, len(v.ints))
				}
				nulls[i] = true
				continue
			}
			ints[i] = int64(k)
		}
		return table.NewInteger(name, ints, nulls), nil
	case v.typ == realSXP:
		// NA_real_ (a NaN with payload 1954) and NaN are both missing.
		return table.NewFloat(name, v.reals), nil
	case v.typ == strSXP:
		return character(name, v), nil
	}
	return nil, fmt.Errorf("columns of R type %s are not supported", typeName(v.typ))
}

// factor converts an integer vector with levels into a categorical column
// whose categories are the levels in order; codes are 1-based in R.
func factor(name string, v *value) (*table.Column, error) {
	lev := v.attrOf("levels")
	if lev == nil || lev.typ != strSXP {
		return nil, errors.New("factor without character levels")
	}
	seen := make(map[string]bool, len(lev.strs))
	for i, s := range lev.strs {
		if lev.strNA[i] {
			return nil, fmt.Errorf("factor level %d is NA", i+1)
		}
		if seen[s] {
			return nil, fmt.Errorf("factor level %q appears twice", s)
		}
		seen[s] = true
	}
	codes := make([]int32, len(v.ints))
	for i, k := range v.ints {
		switch {
		case k == naInt:
			codes[i] = table.Missing
		case k >= 1 && int(k) <= len(lev.strs):
			codes[i] = k - 1
		default:
			return nil, fmt.Errorf("row %d: factor code %d is outside levels 1..%d", i+1, k, len(lev.strs))
		}
	}
	c := table.NewCategorical(name, slices.Clone(lev.strs), codes)
	c.Categories = slices.Clone(lev.strs)
	return c, nil
}

// datetime converts a Date (days since 1970-01-01) or POSIXct (seconds
// since the epoch, UTC) vector into a datetime column.
func datetime(name string, v *value) *table.Column {
	unit, layout := 1e9, ""
	if v.hasClass("Date") {
		unit, layout = 86400e9, "2006-01-02"
	}
	n := max(len(v.ints), len(v.reals))
	ns := make([]int64, n)
	nulls := make([]bool, n)
	for i := range n {
		var x float64
		if v.typ == intSXP {
			if v.ints[i] == naInt {
				nulls[i] = true
				continue
			}
			x = float64(v.ints[i])
		} else {
			x = v.reals[i]
		}
		y := math.Round(x * unit)
		if math.IsNaN(y) || y < math.MinInt64 || y >= math.MaxInt64 {
			nulls[i] = true
			continue
		}
		ns[i] = int64(y)
	}
	c := table.NewDatetime(name, ns, nulls)
	c.Layout = layout
	return c
}

// character converts a character vector: categorical when it has few
// distinct values (at most max(20, n/20), the rule table's readers use),
// else text.
func character(name string, v *value) *table.Column {
	limit := max(20, len(v.strs)/20)
	index := map[string]int32{}
	var dict []string
	codes := make([]int32, len(v.strs))
	for i, s := range v.strs {
		if v.strNA[i] {
			codes[i] = table.Missing
			continue
		}
		k, ok := index[s]
		if !ok {
			if len(dict) == limit {
				return table.NewText(name, textValues(v), slices.Clone(v.strNA))
			}
			k = int32(len(dict))
			dict = append(dict, s)
			index[s] = k
		}
		codes[i] = k
	}
	return table.NewCategorical(name, dict, codes)
}

func textValues(v *value) []string {
	out := slices.Clone(v.strs)
	for i, na := range v.strNA {
		if na {
			out[i] = ""
		}
	}
	return out
}
