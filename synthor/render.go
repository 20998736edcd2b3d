package synthor

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/table"
)

// PromptVersion names the version of the prompt templates; it is part of
// every LLM cache key, so editing a template invalidates cached replies.
const PromptVersion = "synthor-prompts-v3"

//go:embed prompts/*.tmpl
var promptFS embed.FS

type promptVar struct {
	Name, Kind, Domain, Description string
}

func promptVars(s *table.Schema, names []string) []promptVar {
	var out []promptVar
	for _, n := range names {
		f := s.Field(n)
		if f == nil {
			continue
		}
		pv := promptVar{Name: f.Name, Kind: f.Kind.String(), Description: f.Description}
		switch {
		case f.Kind == table.Categorical:
			pv.Domain = "one of: " + strings.Join(f.Categories, ", ")
		case f.Min != nil && f.Max != nil:
			pv.Domain = "range " + fmtNum(*f.Min) + " to " + fmtNum(*f.Max)
		}
		out = append(out, pv)
	}
	return out
}

// levelVars describes a level's variables for the proposal prompt, each
// with its domain as the level has it: a categorical variable's
// categories; a discrete numeric variable's values; a continuous one's
// range (the rounded outer edges of its bins, or the schema's) and its
// point masses; and whether it may be missing (null).
func levelVars(s *table.Schema, l *Level) []promptVar {
	if l == nil {
		return nil
	}
	var out []promptVar
	for _, v := range l.Vars {
		pv := promptVar{Name: v.Name, Kind: v.Kind.String()}
		f := s.Field(v.Name)
		if f != nil {
			pv.Description = f.Description
		}
		b := v.Bins
		switch {
		case !v.Numeric():
			cats := v.Categories
			if f != nil && len(f.Categories) > 0 {
				cats = f.Categories
			}
			pv.Domain = "one of: " + strings.Join(cats, ", ")
		case len(b.Points) > 0 && b.Len() == len(b.Points):
			pv.Domain = "one of the values: " + joinNums(b.Points)
		default:
			lo, hi := b.Min(), b.Max()
			if f != nil && f.Min != nil && *f.Min <= lo {
				lo = *f.Min
			}
			if f != nil && f.Max != nil && *f.Max >= hi {
				hi = *f.Max
			}
			pv.Domain = "range " + fmtNum(lo) + " to " + fmtNum(hi)
			if len(b.Points) > 0 {
				pv.Domain += "; values with a share of their own: " + joinNums(b.Points)
			}
		}
		if m := l.Targets.Marginal(v.Name); m != nil && m.Counts[v.MissingCell()] > 0 {
			pv.Domain += "; or null (missing)"
		}
		out = append(out, pv)
	}
	return out
}

func joinNums(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmtNum(x)
	}
	return strings.Join(parts, ", ")
}

// levelNames returns the names of a level's variables.
func levelNames(l *Level) []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.Vars))
	for i, v := range l.Vars {
		out[i] = v.Name
	}
	return out
}

// RenderDependencyPrompt renders the dependency-inference prompt: the
// variable descriptions and a request for at most max dependent groups.
func RenderDependencyPrompt(st *State, max int) ([]llm.Message, error) {
	names := append(levelNames(st.Records), levelNames(st.Members)...)
	vars := promptVars(st.Schema, names)
	if len(vars) < 2 {
		return nil, fmt.Errorf("dependency prompt: need at least two variables, have %d", len(vars))
	}
	data := map[string]any{
		"Vars": vars, "Max": max, "Context": st.Context,
		"Example1": vars[0].Name, "Example2": vars[1].Name,
	}
	return renderPair("dependencies.tmpl", data)
}

// renderPair executes the "system" and "user" templates defined in one file.
func renderPair(file string, data any) ([]llm.Message, error) {
	t, err := template.New("").ParseFS(promptFS, "prompts/"+file)
	if err != nil {
		return nil, err
	}
	var sys, user bytes.Buffer
	if err := t.ExecuteTemplate(&sys, "system", data); err != nil {
		return nil, err
	}
	if err := t.ExecuteTemplate(&user, "user", data); err != nil {
		return nil, err
	}
	return []llm.Message{{Role: llm.System, Content: sys.String()}, {Role: llm.User, Content: user.String()}}, nil
}

// GuidanceLine renders one guidance cell as a readable line, e.g.
// "product_category = Electronics, user_gender = Male: target 12.0%, synthetic 4.1%".
func GuidanceLine(c Cell) string {
	parts := make([]string, len(c.Vars))
	for i, v := range c.Vars {
		if r := c.Values[i].Range; r != nil && r[0] == r[1] {
			parts[i] = v + " = " + fmtNum(r[0])
		} else if r != nil {
			parts[i] = v + " in " + c.Values[i].String()
		} else {
			parts[i] = v + " = " + c.Values[i].String()
		}
	}
	return fmt.Sprintf("%s: target %.1f%%, synthetic %.1f%%", strings.Join(parts, ", "), 100*c.Target, 100*c.Synth)
}

func lines(cs []Cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = GuidanceLine(c)
	}
	return out
}

// RenderProposalPrompt renders the proposal prompt of one iteration: the
// variables, the joint and marginal guidance, the context and the rules.
// It holds aggregates only.
func RenderProposalPrompt(st *State) ([]llm.Message, error) {
	vars := levelVars(st.Schema, st.Records)
	example := map[string]any{}
	for _, v := range st.Records.Vars {
		f := st.Schema.Field(v.Name)
		switch {
		case v.Numeric():
			lo, hi := v.Bins.Bounds(0)
			example[v.Name] = []float64{lo, hi}
		case f != nil && len(f.Categories) > 0:
			example[v.Name] = f.Categories[0]
		case len(v.Categories) > 0:
			example[v.Name] = v.Categories[0]
		}
	}
	data := map[string]any{
		"Vars": vars, "Context": st.Context,
		"Iteration": st.Iteration, "Iterations": st.Iterations,
		"Joint": lines(st.Guidance.Joint), "Marginal": lines(st.Guidance.Marginal),
		"MaxProposals": st.MaxProposals, "Batch": st.Batch,
		"ExampleNum": max(1, st.Batch/2),
	}
	if st.Members != nil {
		data["MemberVars"] = levelVars(st.Schema, st.Members)
		data["SizeText"] = "its members listed under \"members\" (the group size is the number of members)"
		if mg := st.Guidance.Members; mg != nil {
			data["MemberGuidance"] = append(lines(mg.Joint), lines(mg.Marginal)...)
		}
		member := map[string]any{}
		for _, v := range st.Members.Vars {
			if v.Numeric() {
				lo, hi := v.Bins.Bounds(0)
				member[v.Name] = []float64{lo, hi}
			} else if len(v.Categories) > 0 {
				member[v.Name] = v.Categories[0]
			}
		}
		b, _ := json.Marshal(example)
		m, _ := json.Marshal(member)
		data["Example"] = strings.TrimSuffix(string(b), "}") + `}, "members": [{"proposal": ` + string(m) + `}, ...]`
	} else {
		b, _ := json.Marshal(example)
		data["Example"] = string(b)
	}
	return renderPair("proposal.tmpl", data)
}
