package synthor

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// SampleResult runs the loop and returns n records (n groups for a grouped
// table) with the run's summary. A fitted Synthesizer may be sampled from
// several goroutines at once (its planner permitting: Stat does); each run
// writes its own trace lines, whole, to Trace.
func (s *Synthesizer) SampleResult(ctx context.Context, n int, seed uint64) (*table.Table, *Result, error) {
	if s.rec == nil {
		return nil, nil, ErrNotFitted
	}
	if n < 0 {
		return nil, nil, fmt.Errorf("llmsynthor: rows must be 0 or more, got %d", n)
	}
	if n == 0 { // no loop: the empty table with the output's columns
		r := s.newRun(1, seed)
		out, err := s.output(r.recS, r.memS, r.sizes, r.st, seed)
		r.res.Stop = "no records asked for"
		return out, r.res, err
	}
	r := s.newRun(n, seed)
	if err := r.loadPrior(ctx); err != nil {
		return nil, nil, err
	}
	if err := r.loop(ctx); err != nil {
		return nil, nil, err
	}
	if err := r.refine(ctx); err != nil {
		return nil, nil, err
	}
	out, err := s.output(r.recS, r.memS, r.sizes, r.st, seed)
	if err != nil {
		return nil, nil, err
	}
	res := r.res
	res.Records, res.Rows = r.recS.live, out.NumRows()
	if res.Rows == 0 {
		return nil, nil, fmt.Errorf("llmsynthor: the run made no records (%d iterations, stop: %s)", res.Iterations, res.Stop)
	}
	res.Discrepancy, _ = newDeficits(r.st.Records).positiveMass(float64(n))
	s.mu.Lock()
	s.last = res
	s.mu.Unlock()
	return out, res, nil
}

// run is the state of one SampleResult call.
type run struct {
	s              *Synthesizer
	n              int
	st             *State
	rng            *rand.Rand
	recS, memS     *store
	sizes          []int // members per group
	recVal, memVal *validator
	groupSize      int
	res            *Result
	rm             *remover
	first          bool    // the next trace line is the first
	pool           *pool   // the prior's donors, nil without a prior
	src            []int32 // grouped, with a prior: each group's donor
}

func (s *Synthesizer) newRun(n int, seed uint64) *run {
	st := s.state(s.rec, s.mem, float64(n))
	st.Seed = seed
	r := &run{s: s, n: n, st: st, rng: rand.New(rand.NewPCG(seed, 0x11a5)), first: true}
	r.recS = newStore(st.Records, s.num, s.Config.Sampling)
	r.recVal = newValidator(st.Records, s.schema)
	if st.Members != nil {
		r.memS = newStore(st.Members, s.num, s.Config.Sampling)
		r.memVal = newValidator(st.Members, s.schema)
	}
	r.groupSize = varIndex(st.Records.Vars, s.groupSize)
	r.res = &Result{Planner: s.Planner.Name(), Label: s.Label(), Deps: s.deps, Untracked: s.untracked,
		Repairs: Repairs{}, Stop: "iterations", Columns: s.handled()}
	if s.Config.Removal && st.Members == nil && len(s.rec.Tables()) > 0 {
		r.rm = newRemover(st.Records)
	}
	return r
}

// handled lists the columns made outside the loop.
func (s *Synthesizer) handled() []HandledColumn {
	var out []HandledColumn
	for _, sp := range s.special {
		out = append(out, HandledColumn{Name: sp.field.Name, How: sp.how})
	}
	return out
}

// loop runs the iterations.
func (r *run) loop(ctx context.Context) error {
	cfg := r.s.Config
	st, res := r.st, r.res
	if len(st.Records.Vars) == 0 && st.Members == nil { // every column is made outside the loop
		for range r.n {
			r.recS.add(nil, r.rng)
		}
		res.Stop = "size"
		return nil
	}
	skips, stalled := 0, 0
	for t := 1; t <= cfg.Iterations; t++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		remaining := r.n - r.recS.live
		if remaining <= 0 {
			res.Stop = "size"
			break
		}
		batch := cfg.Batch
		left := cfg.Iterations - t + 1
		switch {
		case batch > 0:
		case cfg.Profile == ProfilePaper:
			batch = (remaining + left - 1) / left // evenly
		default:
			// Linearly shrinking batches (weights left, left−1, ..., 1):
			// early iterations build the bulk, the last ones correct it
			// a few records at a time.
			batch = 2 * remaining / (left + 1)
		}
		batch = max(1, batch)
		batch = min(batch, remaining)
		line, err := r.iterate(ctx, t, batch, remaining)
		if err != nil {
			return err
		}
		if line.Skip != "" {
			skips++
			if skips >= cfg.MaxSkips {
				return fmt.Errorf("llmsynthor: %d consecutive iterations skipped (last: %s)", skips, line.Skip)
			}
			continue
		}
		skips = 0
		if line.Added == 0 {
			stalled++
			if stalled >= cfg.MaxSkips {
				return r.stallError(stalled)
			}
		} else {
			stalled = 0
		}
		if cfg.Tolerance > 0 && meanShapeGap(st.Records) < cfg.Tolerance {
			res.Stop = "tolerance"
			break
		}
	}
	if r.recS.live >= r.n && res.Stop == "iterations" {
		res.Stop = "size"
	}
	return nil
}

// stallError names the variables that blocked the last iterations.
func (r *run) stallError(k int) error {
	counts := map[string]int{}
	for _, v := range []*validator{r.recVal, r.memVal} {
		if v != nil {
			for name, c := range v.rejected {
				counts[name] += c
			}
		}
	}
	names := make([]string, 0, len(counts))
	for name := range counts {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) == 0 {
		return fmt.Errorf("llmsynthor: no records added in %d consecutive iterations (proposals with num <= 0 or none usable)", k)
	}
	return fmt.Errorf("llmsynthor: no records added in %d consecutive iterations: proposals rejected on %s", k, strings.Join(names, ", "))
}

// iterate runs iteration t: guidance, plan, repair, draw, trace.
func (r *run) iterate(ctx context.Context, t, batch, remaining int) (*TraceLine, error) {
	s, st, res, cfg := r.s, r.st, r.res, r.s.Config
	st.Iteration, st.Batch, st.Remaining = t, batch, remaining
	iterStart := time.Now()
	r.recVal.d = newDeficits(st.Records)
	st.Guidance = guidance(r.recVal.d, st.Records, float64(r.n), cfg.TopJoint, cfg.TopMarginal)
	if r.memVal != nil {
		r.memVal.d = newDeficits(st.Members)
		mg := guidance(r.memVal.d, st.Members, st.Members.Size, cfg.TopJoint, cfg.TopMarginal)
		st.Guidance.Members = &mg
	}
	planStart := time.Now()
	plan, err := s.Planner.Plan(ctx, st)
	line := &TraceLine{Iteration: t, Batch: batch, PlannerMS: ms(time.Since(planStart)), Repairs: Repairs{}}
	if r.first {
		line.Columns, r.first = res.Columns, false
	}
	if err != nil {
		return nil, fmt.Errorf("llmsynthor: iteration %d: %s planner: %w", t, s.Planner.Name(), err)
	}
	res.Iterations = t
	line.Calls, line.Retries, line.ParseFailures = plan.Calls, plan.Retries, plan.ParseFailures
	res.Calls += plan.Calls
	res.Retries += plan.Retries
	res.ParseFailures += plan.ParseFailures
	if plan.Skip != "" || len(plan.Proposals) == 0 {
		res.Skips++
		line.Skip = plan.Skip
		if line.Skip == "" {
			line.Skip = "no proposals"
		}
		line.Records = r.recS.live
		line.IterationMS = ms(time.Since(iterStart))
		s.writeTrace(line, st.Records, float64(r.n))
		return line, nil
	}
	from, mfrom := r.recS.len(), 0
	if r.memS != nil {
		mfrom = r.memS.len()
	}
	props := plan.Proposals
	if len(props) > cfg.Proposals {
		line.Repairs[RepairTooManyProposals] += len(props) - cfg.Proposals
		props = props[:cfg.Proposals]
	}
	props = scaleToBatch(props, batch, line.Repairs)
	r.add(props, remaining, line)
	r.recS.count(st.Records, from, r.recS.len(), 1)
	if r.memS != nil {
		r.memS.count(st.Members, mfrom, r.memS.len(), 1)
	}
	line.Added = r.recS.len() - from
	if r.rm != nil {
		line.Removed = r.rm.remove(r.recS, st.Records, max(1, batch/2))
		res.Removed += line.Removed
	}
	line.Records = r.recS.live
	for _, k := range line.Repairs.Keys() {
		res.Repairs[k] += line.Repairs[k]
	}
	line.IterationMS = ms(time.Since(iterStart))
	s.writeTrace(line, st.Records, float64(r.n))
	return line, nil
}

// add checks each proposal, caps its count to the budget and draws its
// records, recording what it kept in line.
func (r *run) add(props []Proposal, budget int, line *TraceLine) {
	prepare := r.preparer()
	for _, p := range props {
		if budget <= 0 {
			line.Repairs.add(RepairNumCapped)
			break
		}
		if p.Num <= 0 {
			line.Repairs.add(RepairNumNonPositive)
			continue
		}
		draw, ok := prepare(p, line.Repairs)
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
		draw(num)
	}
}

// preparer returns how one iteration makes a proposal's records: it
// checks and repairs the proposal (false: rejected) and returns the draw of
// num records, from the proposal's values or, with a prior, from the
// prior's records (deficits lowered as the iteration's records are taken).
func (r *run) preparer() func(Proposal, Repairs) (func(num int), bool) {
	if r.pool == nil {
		return func(p Proposal, rep Repairs) (func(int), bool) {
			vals, members, ok := r.repair(p, rep)
			return func(num int) { r.draw(vals, members, num) }, ok
		}
	}
	sc, msc := newScorer(r.st.Records), (*scorer)(nil)
	if r.st.Members != nil {
		msc = newScorer(r.st.Members)
	}
	return func(p Proposal, rep Repairs) (func(int), bool) {
		needs, ok := r.priorNeeds(p, rep)
		return func(num int) { r.drawPrior(needs, num, sc, msc, rep) }, ok
	}
}

// scaleToBatch scales the proposals' counts down, proportionally, when
// their positive counts add up to more than the batch (a planner that
// miscounts must not end the run early), counting one repair.
func scaleToBatch(props []Proposal, batch int, rep Repairs) []Proposal {
	total := 0
	var weights []float64
	for _, p := range props {
		w := 0.0
		if p.Num > 0 {
			total += p.Num
			w = float64(p.Num)
		}
		weights = append(weights, w)
	}
	if total <= batch || batch <= 0 {
		return props
	}
	rep.add(RepairNumScaled)
	nums := apportion(batch, weights)
	out := make([]Proposal, 0, len(props))
	for i, p := range props {
		if p.Num > 0 && nums[i] == 0 {
			continue // scaled to nothing
		}
		if p.Num > 0 {
			p.Num = nums[i]
		}
		out = append(out, p)
	}
	return out
}

// repair checks and repairs a proposal (and its members).
func (r *run) repair(p Proposal, rep Repairs) ([]Value, [][]Value, bool) {
	p.Values = r.derivedPlaceholders(p.Values)
	vals, ok := r.recVal.repair(p, rep)
	if !ok || r.memS == nil {
		return vals, nil, ok
	}
	if len(p.Members) == 0 {
		rep.add(RepairMembersMissing)
		return nil, nil, false
	}
	var members [][]Value
	for _, m := range p.Members {
		mv, mok := r.memVal.repair(m, rep)
		if !mok {
			return nil, nil, false
		}
		members = append(members, mv)
	}
	if r.groupSize >= 0 {
		k := float64(len(members))
		if g := vals[r.groupSize].Range; g == nil || g[0] != k || g[1] != k {
			rep.add(RepairMembersResized)
			vals[r.groupSize] = Range(k, k)
		}
	}
	return vals, members, true
}

// draw appends num records (groups) drawn from repaired values.
func (r *run) draw(vals []Value, members [][]Value, num int) {
	drs := r.recS.prepare(vals)
	memDrs := make([][]drawer, len(members))
	for k, mv := range members {
		memDrs[k] = r.memS.prepare(mv)
	}
	for range num {
		g := r.recS.add(drs, r.rng)
		if r.memS != nil {
			from := r.memS.len()
			for k := range members {
				r.memS.add(memDrs[k], r.rng)
			}
			r.sizes = append(r.sizes, len(members))
			r.recount(g, from, r.memS.len())
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// writeTrace writes one trace line, whole, to s.Trace (if set).
func (s *Synthesizer) writeTrace(line *TraceLine, l *Level, n float64) {
	if s.Trace == nil {
		return
	}
	line.Discrepancy, line.TotalPositive = newDeficits(l).positiveMass(n)
	if line.Proposals == nil {
		line.Proposals = []Proposal{}
	}
	b, err := json.Marshal(line)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = s.Trace.Write(append(b, '\n'))
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
