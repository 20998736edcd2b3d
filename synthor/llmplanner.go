package synthor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/synthor/synthor/llm"
)

// DefaultReAsks is how many times the LLM planner asks again after an
// unusable reply.
const DefaultReAsks = 2

// LLMPlannerOptions configures an LLMPlanner. The zero value works.
type LLMPlannerOptions struct {
	// ReAsks is how many times a reply that cannot be parsed is asked for
	// again, quoting the error; 0 means DefaultReAsks (2), a negative value
	// means never.
	ReAsks int
	// Format is the response format asked for; empty means json_schema
	// with a schema built from the variables (categories as enums), which
	// the backend lowers to json_object or prompt-only JSON as its
	// llm.response_format allows.
	Format llm.Format
	// NoSeed stops the planner from sending the run seed (State.Seed,
	// modulo 2^31) as the request's seed; then llm.seed applies. By
	// default each run seed gets its own replies, on servers that honour
	// seeds, and its own cache entries.
	NoSeed bool
	// QuoteBytes caps how much of an unusable reply is quoted back in a
	// re-ask (default 2000 bytes).
	QuoteBytes int
}

// LLMPlanner is the paper's planner: an LLM infers the dependency groups
// and proposes each iteration's records from the rendered guidance. It sees
// only what RenderDependencyPrompt and RenderProposalPrompt put in the
// prompt: aggregates, never a record.
//
// A reply that cannot be parsed (not JSON, cut off, wrong shape, wrong
// types) is asked for again with the error quoted, at most ReAsks times;
// then the iteration is skipped with the reason in Plan.Skip. A call that
// fails after the client's own retries skips the iteration too, except
// when retrying is pointless (a rejected request such as a bad key or
// model, a replay-cache miss, a cancelled context): that ends the run.
// Semantic repair (unknown categories, ranges, missing variables, budgets)
// is the loop's. Parse failures and successful re-asks are also reported to
// the client's accounting when it has AddParseFailures / AddRepairs
// (llm.Backend does).
type LLMPlanner struct {
	c    llm.Client
	opts LLMPlannerOptions
}

var _ Planner = (*LLMPlanner)(nil)

// NewLLMPlanner returns a planner that asks c.
func NewLLMPlanner(c llm.Client, opts LLMPlannerOptions) *LLMPlanner {
	if opts.ReAsks == 0 {
		opts.ReAsks = DefaultReAsks
	}
	if opts.ReAsks < 0 {
		opts.ReAsks = 0
	}
	if opts.Format == "" {
		opts.Format = llm.FormatJSONSchema
	}
	if opts.QuoteBytes <= 0 {
		opts.QuoteBytes = 2000
	}
	return &LLMPlanner{c: c, opts: opts}
}

// Name returns "llm".
func (p *LLMPlanner) Name() string { return "llm" }

// Dependencies asks for at most max groups of dependent variables. Names
// that are not variables of st are quoted back in a re-ask; if the last
// reply still has some, they are dropped (and groups left with fewer than
// two variables with them). It fails when no usable group remains.
func (p *LLMPlanner) Dependencies(ctx context.Context, st *State, max int) ([][]string, error) {
	if p.c == nil {
		return nil, errNoClient
	}
	msgs, err := RenderDependencyPrompt(st, max)
	if err != nil {
		return nil, err
	}
	known := append(levelNames(st.Records), levelNames(st.Members)...)
	schema := dependencySchema(known)
	var last error
	var lastGroups [][]string
	for ask := 0; ask <= p.opts.ReAsks; ask++ {
		resp, err := p.c.Complete(ctx, p.request(msgs, "dependency_groups", schema, st.Seed))
		if err != nil {
			return nil, fmt.Errorf("llm planner: dependency inference: %w", err)
		}
		groups, perr := ParseDependencies(resp.Text)
		if perr == nil {
			lastGroups = groups
			perr = checkNames(groups, known)
		}
		if perr == nil {
			if ask > 0 {
				p.repaired()
			}
			return groups[:min(len(groups), max)], nil
		}
		last = p.failed(resp, perr)
		msgs = p.reAsk(msgs, resp.Text, last)
	}
	var kept [][]string
	for _, g := range lastGroups {
		var k []string
		for _, n := range g {
			if contains(known, n) {
				k = append(k, n)
			}
		}
		if len(k) >= 2 {
			kept = append(kept, k)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("llm planner: dependency inference: reply unusable after %d re-ask(s): %v", p.opts.ReAsks, last)
	}
	return kept[:min(len(kept), max)], nil
}

// Plan asks for one iteration's proposals. In the returned Plan, Calls
// counts the requests made, Retries the re-asks plus the client's
// transport retries, and ParseFailures the unusable replies.
func (p *LLMPlanner) Plan(ctx context.Context, st *State) (*Plan, error) {
	if p.c == nil {
		return nil, errNoClient
	}
	msgs, err := RenderProposalPrompt(st)
	if err != nil {
		return nil, err
	}
	schema := proposalSchema(st)
	plan := &Plan{}
	var last error
	for ask := 0; ask <= p.opts.ReAsks; ask++ {
		if ask > 0 {
			plan.Retries++
		}
		plan.Calls++
		resp, err := p.c.Complete(ctx, p.request(msgs, "proposals", schema, st.Seed))
		if err != nil {
			if fatal(ctx, err) {
				return nil, fmt.Errorf("llm planner: %w", err)
			}
			plan.Skip = "llm call failed: " + err.Error()
			return plan, nil
		}
		plan.Retries += resp.Retries
		props, perr := ParseReply(resp.Text)
		if perr == nil {
			if ask > 0 {
				p.repaired()
			}
			plan.Proposals = props
			return plan, nil
		}
		plan.ParseFailures++
		last = p.failed(resp, perr)
		msgs = p.reAsk(msgs, resp.Text, last)
	}
	plan.Skip = fmt.Sprintf("reply unusable after %d re-ask(s): %v", p.opts.ReAsks, last)
	return plan, nil
}

// fatal reports whether a failed call should end the run rather than skip
// the iteration.
func fatal(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return true
	}
	switch llm.KindOf(err) {
	case llm.KindRequest, llm.KindReplayMiss, llm.KindCanceled:
		return true
	}
	return false
}

func (p *LLMPlanner) request(msgs []llm.Message, name string, schema []byte, seed uint64) llm.Request {
	r := llm.Request{Messages: msgs, Format: p.opts.Format, TemplateVersion: PromptVersion}
	if !p.opts.NoSeed {
		s := int(seed % (1 << 31))
		r.Seed = &s
	}
	if p.opts.Format == llm.FormatJSONSchema {
		r.SchemaName, r.Schema = name, schema
	}
	return r
}

// failed counts a parse failure and returns the error to quote, noting a
// reply cut at max_tokens.
func (p *LLMPlanner) failed(resp *llm.Response, err error) error {
	if a, ok := p.c.(interface{ AddParseFailures(int) }); ok {
		a.AddParseFailures(1)
	}
	if resp.FinishReason == "length" {
		return fmt.Errorf("%w (the reply was cut at the token limit)", err)
	}
	return err
}

func (p *LLMPlanner) repaired() {
	if a, ok := p.c.(interface{ AddRepairs(int) }); ok {
		a.AddRepairs(1)
	}
}

// reAsk appends the unusable reply and a request to fix it, quoting err.
func (p *LLMPlanner) reAsk(msgs []llm.Message, reply string, err error) []llm.Message {
	out := append([]llm.Message(nil), msgs...)
	return append(out,
		llm.Message{Role: llm.Assistant, Content: clipText(reply, p.opts.QuoteBytes)},
		llm.Message{Role: llm.User, Content: "Your reply could not be used: " + err.Error() +
			". Reply again with one complete JSON object only, in the shape asked for above, and keep each reason short."},
	)
}

func checkNames(groups [][]string, known []string) error {
	var bad []string
	for _, g := range groups {
		for _, n := range g {
			if !contains(known, n) && !contains(bad, n) {
				bad = append(bad, n)
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("unknown variable(s) %s; use only: %s", quoteAll(bad), strings.Join(known, ", "))
	}
	return nil
}

func quoteAll(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// proposalSchema is the JSON schema of a proposal reply for st, in the
// {"proposals": [...]} shape (simple enough for every guided-decoding
// backend): categories as enums, numeric values as [min, max] pairs.
func proposalSchema(st *State) []byte {
	item := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"reason":   map[string]any{"type": "string"},
			"proposal": valuesSchema(st.Records),
			"num":      map[string]any{"type": "integer", "minimum": 1},
		},
		"required": []string{"reason", "proposal", "num"},
	}
	if st.Members != nil {
		item["properties"].(map[string]any)["members"] = map[string]any{
			"type": "array",
			"items": map[string]any{
				"type":       "object",
				"properties": map[string]any{"proposal": valuesSchema(st.Members)},
				"required":   []string{"proposal"},
			},
			"minItems": 1,
		}
		item["required"] = []string{"reason", "proposal", "members", "num"}
	}
	s := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"proposals": map[string]any{"type": "array", "items": item, "minItems": 1, "maxItems": max(st.MaxProposals, 1)},
		},
		"required": []string{"proposals"},
	}
	b, err := json.Marshal(s)
	if err != nil { // plain maps of strings and numbers
		panic(err)
	}
	return b
}

func valuesSchema(l *Level) map[string]any {
	props := map[string]any{}
	var req []string
	if l != nil {
		for _, v := range l.Vars {
			if v.Numeric() {
				props[v.Name] = map[string]any{"type": "array", "items": map[string]any{"type": "number"}, "minItems": 2, "maxItems": 2}
			} else {
				props[v.Name] = map[string]any{"type": "string", "enum": v.Categories}
			}
			req = append(req, v.Name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": req}
}

// dependencySchema is the JSON schema of a dependency reply: an object of
// groups, each an array of known variable names. The number of groups is
// left to the prompt (and trimmed by Dependencies): maxProperties is not
// supported by every guided-decoding backend.
func dependencySchema(known []string) []byte {
	s := map[string]any{
		"type": "object",
		"additionalProperties": map[string]any{
			"type": "array", "items": map[string]any{"type": "string", "enum": known}, "minItems": 2,
		},
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return b
}

// errNoClient is returned when the planner has no client.
var errNoClient = errors.New("llm planner: no llm client")
