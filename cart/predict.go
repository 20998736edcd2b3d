package cart

import (
	"fmt"
	"math"
)

// Classes returns the number of classes (0 for a regression tree).
func (t *Tree) Classes() int { return t.classes }

// NumLeaves returns the number of leaves.
func (t *Tree) NumLeaves() int {
	n := 0
	for i := range t.nodes {
		if t.nodes[i].feature < 0 {
			n++
		}
	}
	return n
}

// Depth returns the depth of the deepest leaf (a single leaf has depth 0).
func (t *Tree) Depth() int {
	var walk func(id int32) int
	walk = func(id int32) int {
		nd := &t.nodes[id]
		if nd.feature < 0 {
			return 0
		}
		return 1 + max(walk(nd.lo), walk(nd.hi))
	}
	return walk(0)
}

// Check reports whether X has the features the tree was fitted on, by name
// and kind, in the same order.
func (t *Tree) Check(X Features) error {
	if len(X) != len(t.features) {
		return fmt.Errorf("cart: tree has %d features, got %d", len(t.features), len(X))
	}
	for j := range X {
		if X[j].Name != t.features[j] || (X[j].Levels > 0) != (t.levels[j] > 0) {
			return fmt.Errorf("cart: feature %d is %q, the tree was fitted on %q", j+1, X[j].Name, t.features[j])
		}
	}
	return nil
}

// Leaf returns the index of the leaf that row i of X falls in, in
// [0, number of nodes). X must have the features the tree was fitted on
// (see Check); rows of the training table give the leaf they were counted in.
func (t *Tree) Leaf(X Features, i int) int {
	id := int32(0)
	for {
		nd := &t.nodes[id]
		if nd.feature < 0 {
			return int(id)
		}
		f := &X[nd.feature]
		var left bool
		if f.Levels > 0 {
			c := f.Codes[i]
			switch {
			case c < 0:
				left = nd.missingLeft
			case int(c) >= len(nd.left):
				left = nd.unknownLeft
			default:
				left = nd.left[c]
			}
		} else {
			v := f.Values[i]
			if math.IsNaN(v) {
				left = nd.missingLeft
			} else {
				left = v <= nd.threshold
			}
		}
		if left {
			id = nd.lo
		} else {
			id = nd.hi
		}
	}
}

// LeafSize returns the number of training rows in leaf id (as returned by
// Leaf).
func (t *Tree) LeafSize(id int) int { return int(t.nodes[id].n) }

// PredictProba returns the class shares of the leaf of row i of X (a slice
// of length Classes summing to 1, owned by the tree: do not modify it), or
// nil for a regression tree.
func (t *Tree) PredictProba(X Features, i int) []float64 {
	if t.classes == 0 {
		return nil
	}
	return t.nodes[t.Leaf(X, i)].value
}

// Predict returns the most likely class of row i of X (the lowest code on a
// tie), as a float64, or the leaf mean for a regression tree.
func (t *Tree) Predict(X Features, i int) float64 {
	v := t.nodes[t.Leaf(X, i)].value
	if t.classes == 0 {
		return v[0]
	}
	return float64(argmax(v))
}

func argmax(v []float64) int {
	best := 0
	for c := range v {
		if v[c] > v[best] {
			best = c
		}
	}
	return best
}

// NumNodes returns the number of nodes; leaf indices are below it.
func (t *Tree) NumNodes() int { return len(t.nodes) }
