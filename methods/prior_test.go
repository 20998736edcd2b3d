package methods

import (
	"context"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/synthor"
)

// TestLLMSynthorPriorParam checks the prior param of the llmsynthor
// entry: listed with its default, a model prior built on the cart
// baseline (and labelled so), a sample prior from Options.Sample or handed
// over by FitSample, and bad values refused naming the key.
func TestLLMSynthorPriorParam(t *testing.T) {
	m, err := Lookup("llmsynthor")
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Param("prior"); p == nil || p.Default != "none" || !strings.Contains(p.Doc, "model") {
		t.Errorf("llmsynthor params: prior %+v, want default none and a doc", p)
	}
	ctx := context.Background()
	ref := datasets.EcommerceBN(300, 1)
	s, err := New("llmsynthor", map[string]any{"prior": "model", "iterations": 5}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sample(ctx, 100, 1); err != nil {
		t.Fatal(err)
	}
	if d := Describe(m, s); d != "LLMSynthor loop with the stat planner and a cart prior (no LLM)" {
		t.Errorf("description %q", d)
	}
	if r := s.(Summarizer).Result(); r.Prior != synthor.PriorModel {
		t.Errorf("result prior %q", r.Prior)
	}
	s, err = New("llmsynthor", map[string]any{"prior": "sample"}, Options{Sample: ref})
	if err != nil {
		t.Fatal(err)
	}
	if p := s.(*synthor.Synthesizer).Prior; p == nil || p.Kind() != synthor.PriorSample {
		t.Errorf("prior sample: Prior %v", p)
	}
	if _, err := New("llmsynthor", map[string]any{"prior": "cart"}, Options{}); err == nil || !strings.Contains(err.Error(), "prior") {
		t.Errorf("prior=cart: error %v, want one naming prior", err)
	}
	s, err = New("llmsynthor", map[string]any{"prior": "sample"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Fit(ctx, ref); err == nil || !strings.Contains(err.Error(), "sample") {
		t.Errorf("prior=sample with no sample: fit error %v", err)
	}
	s, err = New("llmsynthor", nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := s.(*synthor.Synthesizer).Prior; p != nil {
		t.Errorf("no prior param: Prior %v", p)
	}
	used, err := s.(SamplePrior).SetSamplePrior(ref)
	if err != nil || used {
		t.Errorf("prior none: SetSamplePrior used %v, err %v; want the sample left unused", used, err)
	}
}
