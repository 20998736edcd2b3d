package table

import "testing"

func TestNewNull(t *testing.T) {
	for _, k := range []Kind{Categorical, Integer, Float, Datetime, Text} {
		for _, n := range []int{0, 3} {
			c := NewNull(Field{Name: "x", Kind: k, Categories: []string{"a", "b"}}, n)
			if c.Len() != n || c.NullCount() != n {
				t.Errorf("%v n=%d: len %d, %d missing", k, n, c.Len(), c.NullCount())
			}
			if _, err := New(c); err != nil {
				t.Errorf("%v n=%d: %v", k, n, err)
			}
			for i := range n {
				if !c.IsNull(i) {
					t.Errorf("%v: row %d is not missing", k, i)
				}
			}
		}
	}
}
