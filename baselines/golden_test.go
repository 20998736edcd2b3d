package baselines_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/synthor/synthor/baselines"
	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/llm"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, rewriting it under -update; a
// mismatch leaves the output in testdata/name.got (git-ignored).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(got) != string(want) {
		_ = os.WriteFile(path+".got", got, 0o644)
		t.Errorf("%s differs from the golden file; see %s.got (go test -update accepts it)", path, path)
	}
}

// TestICLPromptGolden pins the llm-icl prompt (template version
// baselines.ICLTemplateVersion): a change here must come with a new
// template version, since cached replies are keyed by it.
func TestICLPromptGolden(t *testing.T) {
	for _, examples := range []int{0, 2} {
		var got []byte
		client := llm.ClientFunc(func(_ context.Context, req llm.Request) (*llm.Response, error) {
			if req.TemplateVersion != baselines.ICLTemplateVersion {
				t.Errorf("template version %q", req.TemplateVersion)
			}
			for _, m := range req.Messages {
				got = append(got, "--- "+string(m.Role)+"\n"+m.Content+"\n"...)
			}
			return &llm.Response{}, nil
		})
		s, err := baselines.NewICL(client, baselines.ICLConfig{Examples: examples, MaxCalls: 1, Batch: 5})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Fit(context.Background(), datasets.EcommerceBN(500, 1)); err != nil {
			t.Fatal(err)
		}
		_, _ = s.Sample(context.Background(), 5, 1) // fails: the fake returns no rows
		name := "icl_prompt.golden"
		if examples > 0 {
			name = "icl_prompt_examples.golden"
		}
		golden(t, name, got)
	}
}
