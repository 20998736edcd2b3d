package synthor

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestPromptGolden renders the proposal prompt of the first iteration (and
// the dependency prompt) for the e-commerce network and the battery table
// and compares them with testdata/prompts/*.golden (-update rewrites them
// after a reviewed change; prompts are part of the LLM cache key, so a
// change needs a PromptVersion bump).
func TestPromptGolden(t *testing.T) {
	cases := []struct {
		name   string
		ref    *table.Table
		joints [][]string
	}{
		{"ecommerce", datasets.EcommerceBN(500, 1), paperJoints},
		{"battery", batteryTable(500), [][]string{{"colour", "year"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig
			cfg.Joints = c.joints
			cfg.Iterations = 1
			p := &scripted{plans: []*Plan{{Skip: "golden"}}}
			s, err := New(cfg, p)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Fit(t.Context(), c.ref); err != nil {
				t.Fatal(err)
			}
			_, _ = s.Sample(t.Context(), 200, 1)
			st := p.states[0]
			msgs, err := RenderProposalPrompt(&st)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, m := range msgs {
				b.WriteString("### " + string(m.Role) + "\n" + m.Content + "\n")
			}
			dep, err := RenderDependencyPrompt(&st, 3)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range dep {
				b.WriteString("### dependencies " + string(m.Role) + "\n" + m.Content + "\n")
			}
			golden(t, filepath.Join("testdata", "prompts", c.name+".golden"), b.String())
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the rendered prompt:\n%s", path, got)
	}
}
