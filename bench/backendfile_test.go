package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackendBareNameOutsideConfigs: the README's config, copied out of
// configs/ and run from the project, finds the shipped backend by its bare
// name; a backends/NAME.yaml beside the config wins; a name found nowhere
// is an error saying where it looked.
func TestBackendBareNameOutsideConfigs(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	body := "methods:\n  - {name: llmsynthor, label: gpt, planner: llm, backend: openai}\n"
	elsewhere := writeConfig(t, body)
	c, err := LoadConfig(elsewhere, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.BackendFile(c.Methods[0]); got != filepath.Join("configs", "backends", "openai.yaml") {
		t.Errorf("backend file %q, want the shipped configs/backends/openai.yaml", got)
	}
	beside := filepath.Join(filepath.Dir(elsewhere), "backends", "openai.yaml")
	if err := os.MkdirAll(filepath.Dir(beside), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(beside, []byte("llm:\n  model: mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := c.BackendFile(c.Methods[0]); got != beside {
		t.Errorf("backend file %q, want the one beside the config %q", got, beside)
	}
	none := writeConfig(t, strings.Replace(body, "openai", "nosuch", 1))
	if _, err := LoadConfig(none, nil); err == nil || !strings.Contains(err.Error(), "configs/backends/NAME.yaml") {
		t.Errorf("unknown backend: %v", err)
	}
}
