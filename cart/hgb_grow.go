package cart

import (
	"container/heap"
	"slices"
	"sync"
	"sync/atomic"
)

// minHessianToSplit is the least hessian sum a child may hold
// (scikit-learn's min_hessian_to_split).
const minHessianToSplit = 1e-3

// minCatSupport is the hessian mass a category needs to take part in a
// categorical split, and the smoothing added to its hessian sum when the
// categories are ordered (scikit-learn's MIN_CAT_SUPPORT, LightGBM's
// cat_smooth).
const minCatSupport = 10.0

// hgbBins is a bit set over the bins of one feature (at most 256).
type hgbBins [4]uint64

func (s *hgbBins) set(b int)      { s[b>>6] |= 1 << (b & 63) }
func (s *hgbBins) unset(b int)    { s[b>>6] &^= 1 << (b & 63) }
func (s *hgbBins) has(b int) bool { return s[b>>6]>>(b&63)&1 != 0 }
func (s *hgbBins) setTo(b int, v bool) {
	if v {
		s.set(b)
	} else {
		s.unset(b)
	}
}

// hgbNode is one node of a boosted tree. An inner node sends a row left
// when the bin of its feature is in left (the missing bin included when
// missing values go left); a leaf holds its (shrunk) value.
type hgbNode struct {
	left    hgbBins
	feature int32 // -1 for a leaf
	lo, hi  int32
	value   float64
}

// hgbHistBins is the number of bins a uint8 can name.
const hgbHistBins = 256

// hgbHist is one bin of a node's histogram: the gradient and hessian sums
// and the row count.
type hgbHist struct {
	g, h float64
	n    int32
}

// hgbSplit is the best split found for a node.
type hgbSplit struct {
	gain        float64
	feature     int
	left        hgbBins // bins going left (the missing bin included or not)
	missingLeft bool
	gl, hl      float64
	vl, vr      float64
}

// growNode is a node being grown: its rows are part[start:stop].
type growNode struct {
	id          int32
	start, stop int
	g, h        float64
	value       float64 // unshrunk
	depth       int
	hist        []hgbHist
	split       hgbSplit
	seq         int // creation order, to break gain ties
}

func (n *growNode) rows() int { return n.stop - n.start }

// hgbGrower holds what is shared by the trees of one fit.
type hgbGrower struct {
	bins       [][]uint8 // per feature, per training row
	nonMissing []int
	// off places feature j's histogram at [off[j], off[j+1]) of a node's
	// histograms: its nonMissing[j] value bins, then the missing bin.
	off        []int
	hasMissing []bool
	cat        []bool
	missBin    int
	opts       HGBOptions // with defaults filled

	g, h   []float32 // per training row
	og, oh []float32 // gradients in partition order
	part   []int32
	tmp    []int32
	pool   [][]hgbHist
	bl, br []hgbSplit  // per feature: best splits of the two children
	infos  [][]catInfo // per feature: categorical split scratch
	nodes  []hgbNode
	seq    int
	leaves []*growNode
}

func newGrower(bins [][]uint8, bn *hgbBinner, cat []bool, n int, opts HGBOptions) *hgbGrower {
	gr := &hgbGrower{bins: bins, nonMissing: bn.nonMissing, cat: cat, missBin: bn.missBin, opts: opts,
		g: make([]float32, n), h: make([]float32, n), og: make([]float32, n), oh: make([]float32, n),
		part: make([]int32, n), tmp: make([]int32, n+1), hasMissing: make([]bool, len(bins)),
		bl: make([]hgbSplit, len(bins)), br: make([]hgbSplit, len(bins)), infos: make([][]catInfo, len(bins)),
		off: make([]int, len(bins)+1)}
	for j, nm := range bn.nonMissing {
		gr.off[j+1] = gr.off[j] + nm + 1
	}
	for j, col := range bins {
		for _, b := range col[:n] {
			if int(b) == bn.missBin {
				gr.hasMissing[j] = true
				break
			}
		}
	}
	return gr
}

// nodeHeap orders splittable nodes by gain, the earlier on ties.
type nodeHeap []*growNode

func (q nodeHeap) Len() int { return len(q) }
func (q nodeHeap) Less(a, b int) bool {
	if q[a].split.gain != q[b].split.gain {
		return q[a].split.gain > q[b].split.gain
	}
	return q[a].seq < q[b].seq
}
func (q nodeHeap) Swap(a, b int) { q[a], q[b] = q[b], q[a] }
func (q *nodeHeap) Push(x any)   { *q = append(*q, x.(*growNode)) }
func (q *nodeHeap) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// grow fits one tree to the current gradients (gr.g, gr.h) and returns its
// nodes; gr.leaves then hold its leaves with their rows in gr.part.
func (gr *hgbGrower) grow() []hgbNode {
	n := len(gr.g)
	gr.nodes = gr.nodes[:0]
	gr.leaves = gr.leaves[:0]
	gr.seq = 0
	var sg, sh float64
	for i := range n {
		gr.part[i] = int32(i)
		sg += float64(gr.g[i])
		sh += float64(gr.h[i])
	}
	root := gr.newNode(0, n, sg, sh, 0, 0)
	if n < 2*gr.opts.MinSamplesLeaf || sh < minHessianToSplit {
		gr.finalize(root)
		return gr.finish()
	}
	root.hist = gr.getHist()
	gr.gather(root)
	best := gr.bl
	gr.parallel(func(lo, hi int) {
		gr.buildHist(lo, hi, root, root.hist)
		for j := lo; j < hi; j++ {
			best[j] = gr.findSplit(j, root, root.hist)
		}
	})
	var q nodeHeap
	if gr.push(&q, root, best) {
		gr.putHist(root)
	}
	for q.Len() > 0 {
		gr.splitNext(&q, heap.Pop(&q).(*growNode))
	}
	return gr.finish()
}

// splitNext splits node, pushing its children that can be split further.
func (gr *hgbGrower) splitNext(q *nodeHeap, node *growNode) {
	sp := &node.split
	mid := gr.partition(node)
	left := gr.newNode(node.start, mid, sp.gl, sp.hl, sp.vl, node.depth+1)
	right := gr.newNode(mid, node.stop, node.g-sp.gl, node.h-sp.hl, sp.vr, node.depth+1)
	if !gr.hasMissing[sp.feature] {
		// No missing value seen in training: a missing value at prediction
		// goes to the child with more rows.
		sp.missingLeft = left.rows() > right.rows()
	}
	sp.left.setTo(gr.missBin, sp.missingLeft)
	nd := &gr.nodes[node.id]
	nd.feature, nd.left, nd.lo, nd.hi = int32(sp.feature), sp.left, left.id, right.id

	leaves := len(gr.leaves) + q.Len() + 2
	if leaves == gr.opts.MaxLeafNodes {
		gr.finalize(left)
		gr.finalize(right)
		for _, m := range *q {
			gr.putHist(m)
			gr.finalize(m)
		}
		*q = (*q)[:0]
		gr.putHist(node)
		return
	}
	if gr.opts.MaxDepth > 0 && left.depth >= gr.opts.MaxDepth {
		gr.finalize(left)
		gr.finalize(right)
		gr.putHist(node)
		return
	}
	splitL := left.rows() >= 2*gr.opts.MinSamplesLeaf
	splitR := right.rows() >= 2*gr.opts.MinSamplesLeaf
	if !splitL && !splitR {
		gr.finalize(left)
		gr.finalize(right)
		gr.putHist(node)
		return
	}
	// Histograms: the smaller child from its rows, the larger by
	// subtraction from the parent's (whose buffer it takes over).
	small, large := right, left
	if left.rows() < right.rows() {
		small, large = left, right
	}
	small.hist, large.hist, node.hist = gr.getHist(), node.hist, nil
	gr.gather(small)
	bl, br := gr.bl, gr.br
	gr.parallel(func(lo, hi int) {
		gr.buildHist(lo, hi, small, small.hist)
		for j := lo; j < hi; j++ {
			ps, ss := gr.featureHist(large.hist, j), gr.featureHist(small.hist, j)
			ss = ss[:len(ps)]
			for b := range ps {
				ps[b].g -= ss[b].g
				ps[b].h -= ss[b].h
				ps[b].n -= ss[b].n
			}
			if splitL {
				bl[j] = gr.findSplit(j, left, left.hist)
			}
			if splitR {
				br[j] = gr.findSplit(j, right, right.hist)
			}
		}
	})
	for _, c := range []struct {
		n     *growNode
		ok    bool
		split []hgbSplit
	}{{left, splitL, bl}, {right, splitR, br}} {
		if !c.ok || gr.push(q, c.n, c.split) {
			gr.putHist(c.n)
			if !c.ok {
				gr.finalize(c.n)
			}
		}
	}
}

// push picks the best of the per-feature splits (the lowest feature on
// ties) and queues the node, or makes it a leaf and reports true when no
// split gains.
func (gr *hgbGrower) push(q *nodeHeap, n *growNode, per []hgbSplit) (leaf bool) {
	best := 0
	for j := 1; j < len(per); j++ {
		if per[j].gain > per[best].gain {
			best = j
		}
	}
	if len(per) == 0 || per[best].gain <= 0 {
		gr.finalize(n)
		return true
	}
	n.split = per[best]
	heap.Push(q, n)
	return false
}

func (gr *hgbGrower) newNode(start, stop int, g, h, value float64, depth int) *growNode {
	gr.nodes = append(gr.nodes, hgbNode{feature: -1})
	gr.seq++
	return &growNode{id: int32(len(gr.nodes) - 1), start: start, stop: stop, g: g, h: h, value: value, depth: depth, seq: gr.seq}
}

func (gr *hgbGrower) finalize(n *growNode) {
	gr.nodes[n.id].value = n.value * gr.opts.LearningRate
	gr.leaves = append(gr.leaves, n)
}

func (gr *hgbGrower) finish() []hgbNode { return slices.Clone(gr.nodes) }

func (gr *hgbGrower) getHist() []hgbHist {
	if k := len(gr.pool); k > 0 {
		h := gr.pool[k-1]
		gr.pool = gr.pool[:k-1]
		return h
	}
	return make([]hgbHist, gr.off[len(gr.bins)])
}

func (gr *hgbGrower) putHist(n *growNode) {
	if n.hist != nil {
		gr.pool = append(gr.pool, n.hist)
		n.hist = nil
	}
}

// hgbGroup is the number of features whose histograms one pass over a
// node's rows fills: their updates are independent, so the processor
// overlaps them.
const hgbGroup = 4

// parallel runs f over groups of hgbGroup consecutive features, [lo, hi),
// on opts.Workers goroutines. Each group is handled by one goroutine, so
// results do not depend on the workers.
func (gr *hgbGrower) parallel(f func(lo, hi int)) {
	p := len(gr.bins)
	groups := (p + hgbGroup - 1) / hgbGroup
	w := min(gr.opts.Workers, groups)
	if w <= 1 {
		for lo := 0; lo < p; lo += hgbGroup {
			f(lo, min(lo+hgbGroup, p))
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Go(func() {
			for {
				g := int(next.Add(1)) - 1
				if g >= groups {
					return
				}
				f(g*hgbGroup, min((g+1)*hgbGroup, p))
			}
		})
	}
	wg.Wait()
}

// featureHist returns feature j's histogram in a node's histograms: one
// entry per value bin, then the missing bin's (histBin maps a bin to its
// entry). A node's histograms hold only the bins a feature's rows can fall
// in, so they cost what the features' levels cost, not hgbHistBins each
// (a table of 1,000 ten-level columns: 23 times less).
func (gr *hgbGrower) featureHist(hist []hgbHist, j int) []hgbHist {
	return hist[gr.off[j]:gr.off[j+1]:gr.off[j+1]]
}

// histBin is the entry of bin b in a histogram of a feature with nm value
// bins: b itself for a value bin (b < nm), nm for the missing bin (the
// only bin above them).
func histBin(b uint8, nm int) int { return min(int(b), nm) }

// buildHist fills the histograms of features [lo, hi) of node n from its
// rows, in partition order (so each bin sums in row order, as
// scikit-learn's do), four features per pass over the rows.
func (gr *hgbGrower) buildHist(lo, hi int, n *growNode, hist []hgbHist) {
	rows := gr.part[n.start:n.stop]
	og, oh := gr.og[n.start:n.stop], gr.oh[n.start:n.stop]
	clear(hist[gr.off[lo]:gr.off[hi]])
	j := lo
	for ; j+4 <= hi; j += 4 {
		hist4(gr.bins[j:j+4], [4][]hgbHist{gr.featureHist(hist, j), gr.featureHist(hist, j+1), gr.featureHist(hist, j+2), gr.featureHist(hist, j+3)}, rows, og, oh)
	}
	if j < hi {
		var hs [4][]hgbHist
		for f := j; f < hi; f++ {
			hs[f-j] = gr.featureHist(hist, f)
		}
		histN(gr.bins[j:hi], hs[:hi-j], rows, og, oh)
	}
}

// histN adds rows to the histograms of up to three features, each row to
// every feature in turn, so that the features' updates overlap.
func histN(cols [][]uint8, hs [][]hgbHist, rows []int32, og, oh []float32) {
	oh = oh[:len(og)]
	hs = hs[:len(cols)]
	for k, r := range rows[:len(og)] {
		g, h := float64(og[k]), float64(oh[k])
		for f, col := range cols {
			e := &hs[f][histBin(col[r], len(hs[f])-1)]
			e.g += g
			e.h += h
			e.n++
		}
	}
}

// hist4 adds rows to the histograms of four features.
func hist4(cols [][]uint8, hs [4][]hgbHist, rows []int32, og, oh []float32) {
	c0, c1, c2, c3 := cols[0], cols[1], cols[2], cols[3]
	h0, h1, h2, h3 := hs[0], hs[1], hs[2], hs[3]
	m0, m1, m2, m3 := len(h0)-1, len(h1)-1, len(h2)-1, len(h3)-1
	oh = oh[:len(og)]
	for k, r := range rows[:len(og)] {
		g, h := float64(og[k]), float64(oh[k])
		e := &h0[histBin(c0[r], m0)]
		e.g += g
		e.h += h
		e.n++
		e = &h1[histBin(c1[r], m1)]
		e.g += g
		e.h += h
		e.n++
		e = &h2[histBin(c2[r], m2)]
		e.g += g
		e.h += h
		e.n++
		e = &h3[histBin(c3[r], m3)]
		e.g += g
		e.h += h
		e.n++
	}
}

// partition splits node's rows stably (left then right, each in order)
// and returns the start of the right child.
func (gr *hgbGrower) partition(node *growNode) int {
	sp := &node.split
	col := gr.bins[sp.feature]
	rows := gr.part[node.start:node.stop]
	var side [hgbHistBins]int // 1: the bin goes left
	for b := range side {
		if sp.left.has(b) {
			side[b] = 1
		}
	}
	side[gr.missBin] = 0
	if sp.missingLeft && gr.hasMissing[sp.feature] {
		side[gr.missBin] = 1
	}
	// Branch-free: each row is written to both places and the count of
	// the side it belongs to advances (nl never passes the row read).
	nl, nr := 0, 0
	tmp := gr.tmp[:len(rows)+1]
	for _, r := range rows {
		l := side[col[r]]
		rows[nl] = r
		tmp[nr] = r
		nl += l
		nr += 1 - l
	}
	copy(rows[nl:], tmp[:nr])
	return node.start + nl
}

// gather copies the gradients of n's rows into partition order, for
// buildHist.
func (gr *hgbGrower) gather(n *growNode) {
	og, oh := gr.og[n.start:n.stop], gr.oh[n.start:n.stop]
	for k, r := range gr.part[n.start:n.stop] {
		og[k], oh[k] = gr.g[r], gr.h[r]
	}
}

// nodeValue is −G/(H + λ), the Newton step of a node (unshrunk).
func nodeValue(g, h, l2 float64) float64 { return -g / (h + l2 + 1e-15) }

// findSplit returns the best split of node n on feature j, with gain −1
// when none satisfies the constraints. The gain of a split is
//
//	loss(node) − loss(left) − loss(right),  loss = G·value = −G²/(H+λ)
//
// (Chen & Guestrin 2016, eq. 7); the root's loss is taken as 0, as
// scikit-learn does.
func (gr *hgbGrower) findSplit(j int, n *growNode, hist []hgbHist) hgbSplit {
	hs := gr.featureHist(hist, j)
	best := hgbSplit{gain: -1, feature: j}
	parentLoss := n.g * n.value
	if gr.cat[j] {
		gr.splitCategorical(j, n, hs, parentLoss, &best)
		return best
	}
	l2 := gr.opts.L2
	minLeaf := gr.opts.MinSamplesLeaf
	nm := gr.nonMissing[j]
	total := n.rows()
	hasMiss := gr.hasMissing[j]
	cut := -1 // the best split sends bins 0..cut left
	consider := func(gl, hl float64, bin int, missLeft bool) {
		grr, hr := n.g-gl, n.h-hl
		vl, vr := nodeValue(gl, hl, l2), nodeValue(grr, hr, l2)
		if gain := parentLoss - gl*vl - grr*vr; gain > best.gain && gain > 0 {
			best = hgbSplit{gain: gain, feature: j, gl: gl, hl: hl, vl: vl, vr: vr, missingLeft: missLeft}
			cut = bin
		}
	}
	// Left to right, missing values right: bins 0..b left. The last value
	// bin may go left only when missing values are there to go right.
	end := nm - 1
	if hasMiss {
		end = nm
	}
	var gl, hl float64
	nl := 0
	for b := 0; b < end; b++ {
		gl += hs[b].g
		hl += hs[b].h
		nl += int(hs[b].n)
		if nl < minLeaf || hl < minHessianToSplit {
			continue
		}
		if total-nl < minLeaf || n.h-hl < minHessianToSplit {
			break
		}
		consider(gl, hl, b, false)
	}
	if hasMiss {
		// Right to left, missing values left: bins b+1.. right.
		gr.scanRight(hs, n, nm, consider)
	}
	for b := 0; b <= cut; b++ {
		best.left.set(b)
	}
	return best
}

// scanRight scans the cuts of a numeric feature's histogram from the top,
// the bins above the cut going right.
func (gr *hgbGrower) scanRight(hs []hgbHist, n *growNode, nm int, consider func(gl, hl float64, bin int, missLeft bool)) {
	minLeaf, total := gr.opts.MinSamplesLeaf, n.rows()
	var grr, hr float64
	nr := 0
	for b := nm - 2; b >= 0; b-- {
		grr += hs[b+1].g
		hr += hs[b+1].h
		nr += int(hs[b+1].n)
		if nr < minLeaf || hr < minHessianToSplit {
			continue
		}
		if total-nr < minLeaf || n.h-hr < minHessianToSplit {
			break
		}
		consider(n.g-grr, n.h-hr, b, true)
	}
}

// catInfo is one category of a categorical split search.
type catInfo struct {
	bin   int
	value float64
}

// splitCategorical orders the categories with enough support (hessian
// mass, scaled to rows, at least minCatSupport; the missing bin is one of
// them) by G/(H + minCatSupport) and scans the order from each end up to
// its middle, the scanned categories going left and the rest, with the
// low-support ones, right (Fisher 1958 for the ordering; LightGBM's and
// scikit-learn's scan).
func (gr *hgbGrower) splitCategorical(j int, n *growNode, hs []hgbHist, parentLoss float64, best *hgbSplit) {
	support := float64(n.rows()) / n.h
	infos := gr.infos[j][:0]
	defer func() { gr.infos[j] = infos[:0] }()
	nm := gr.nonMissing[j]
	add := func(b int) {
		e := &hs[histBin(uint8(b), nm)]
		if e.h*support >= minCatSupport {
			infos = append(infos, catInfo{b, e.g / (e.h + minCatSupport)})
		}
	}
	for b := 0; b < nm; b++ {
		add(b)
	}
	if gr.hasMissing[j] {
		add(gr.missBin)
	}
	if len(infos) <= 1 {
		return
	}
	sortCatInfos(infos)
	l2 := gr.opts.L2
	minLeaf := gr.opts.MinSamplesLeaf
	total := n.rows()
	k := len(infos)
	for _, dir := range []int{1, -1} {
		middle := (k + 1) / 2
		if dir < 0 {
			middle--
		}
		var gl, hl float64
		nl := 0
		for i := 0; i < middle; i++ {
			s := i
			if dir < 0 {
				s = k - 1 - i
			}
			e := hs[histBin(uint8(infos[s].bin), nm)]
			gl += e.g
			hl += e.h
			nl += int(e.n)
			if nl < minLeaf || hl < minHessianToSplit {
				continue
			}
			if total-nl < minLeaf || n.h-hl < minHessianToSplit {
				break
			}
			grr, hr := n.g-gl, n.h-hl
			vl, vr := nodeValue(gl, hl, l2), nodeValue(grr, hr, l2)
			gain := parentLoss - gl*vl - grr*vr
			if gain > best.gain && gain > 0 {
				*best = hgbSplit{gain: gain, feature: j, gl: gl, hl: hl, vl: vl, vr: vr}
				for t := 0; t <= i; t++ {
					s := t
					if dir < 0 {
						s = k - 1 - t
					}
					best.left.set(infos[s].bin)
				}
				best.missingLeft = best.left.has(gr.missBin)
			}
		}
	}
}

// sortCatInfos sorts categories by value, ties in their order (a stable
// sort, so any stable algorithm gives the same order): insertion in place
// for the few categories most features have, the library's stable sort
// beyond.
func sortCatInfos(xs []catInfo) {
	if len(xs) > 32 {
		slices.SortStableFunc(xs, byCatValue)
		return
	}
	for i := 1; i < len(xs); i++ {
		x, k := xs[i], i
		for k > 0 && xs[k-1].value > x.value {
			xs[k] = xs[k-1]
			k--
		}
		xs[k] = x
	}
}

// byCatValue orders categories by value (a NaN equal to every value).
func byCatValue(a, b catInfo) int {
	switch {
	case a.value < b.value:
		return -1
	case a.value > b.value:
		return 1
	}
	return 0
}
