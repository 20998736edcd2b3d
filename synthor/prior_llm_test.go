package synthor

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
	"github.com/synthor/synthor/table"
)

// TestLLMPlannerWithModelPrior runs the LLM planner (the fake server's
// careful reader, which copies a joint guidance line and fills the other
// variables from the marginal guidance) with a model prior: the planner
// proposes, the prior completes. Every record holds the values of one
// dependency group of its proposal (the joint cell it realises), the
// records of a proposal differ elsewhere, and results say an LLM planned
// with a cart prior.
func TestLLMPlannerWithModelPrior(t *testing.T) {
	noLeaks(t)
	var calls atomic.Int64
	srv := llmtest.NewServer(planBrain(&calls))
	defer srv.Close()
	b, err := llm.Open(fakeCfg(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s := withPrior(t, Config{Planner: "llm", Iterations: 12, Joints: paperJoints}, NewLLMPlanner(b, LLMPlannerOptions{}), NewModelPrior(cartModel(t)))
	var trace bytes.Buffer
	s.Trace = &trace
	ctx := context.Background()
	if err := s.Fit(ctx, datasets.EcommerceBN(2000, 1)); err != nil {
		t.Fatal(err)
	}
	out, res, err := s.SampleResult(ctx, 600, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Label != "LLMSynthor with the llm planner and a cart prior" || strings.Contains(res.Label, "no LLM") || res.Calls == 0 || res.Prior != PriorModel {
		t.Errorf("result: label %q, %d calls, prior %q", res.Label, res.Calls, res.Prior)
	}
	row, varied := 0, 0
	sc := bufio.NewScanner(&trace)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var line TraceLine
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		for _, p := range line.Proposals {
			group := heldGroup(out, row, p)
			if group == nil {
				t.Fatalf("iteration %d: records %d-%d hold no dependency group of their proposal %v", line.Iteration, row+1, row+p.Num, p.Values)
			}
			if differs(out, row, p, group) {
				varied++
			}
			row += p.Num
		}
	}
	if row != out.NumRows() {
		t.Fatalf("the trace's proposals count %d records, the output %d", row, out.NumRows())
	}
	if varied == 0 {
		t.Error("every proposal's records equal the proposal outside its dependency group: the prior completed nothing")
	}
	t.Logf("%d proposals' records vary outside the group they hold; %d records set over a prior record", varied, res.Repairs[RepairPriorUnmatched])
}

// heldGroup returns a dependency group whose values of proposal p all the
// records [from, from+p.Num) of out hold, or nil.
func heldGroup(out *table.Table, from int, p Proposal) []string {
	for _, g := range paperJoints {
		ok := true
		for i := from; i < from+p.Num && ok; i++ {
			for _, v := range g {
				if ok = holdsValue(out.Col(v), i, p.Values[v]); !ok {
					break
				}
			}
		}
		if ok {
			return g
		}
	}
	return nil
}

// differs reports whether some record of p differs from p's values outside
// group.
func differs(out *table.Table, from int, p Proposal, group []string) bool {
	for i := from; i < from+p.Num; i++ {
		for name, v := range p.Values {
			if !slices.Contains(group, name) && !holdsValue(out.Col(name), i, v) {
				return true
			}
		}
	}
	return false
}

func holdsValue(c *table.Column, i int, v Value) bool {
	switch {
	case v.Missing:
		return c.IsNull(i)
	case v.IsRange():
		x := c.Float(i)
		return !c.IsNull(i) && x >= v.Range[0] && x <= v.Range[1]
	}
	return c.String(i) == v.Category
}
