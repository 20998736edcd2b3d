package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/llm/llmtest"
)

// noLeaks fails t if goroutines started during it outlive it (checked
// after its cleanups, servers and backends closed).
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLLMCheck(t *testing.T) {
	noLeaks(t)
	ok := llmtest.NewServer(llmtest.Reply(`{"ok": true}`), llmtest.WithModel("served-nano"))
	defer ok.Close()
	noJSON := llmtest.NewServer(llmtest.Reply(`ok`), llmtest.RejectResponseFormat())
	defer noJSON.Close()
	prose := llmtest.NewServer(llmtest.Reply(`Sure: ok`), llmtest.WithoutUsage())
	defer prose.Close()
	keyed := llmtest.NewServer(llmtest.Reply(`{"ok": true}`), llmtest.RequireKey("sk-check-key"))
	defer keyed.Close()
	t.Setenv("SYNTHOR_CHECK_KEY", "sk-check-key")

	cfgFile := func(url string) string {
		return writeFile(t, "backend.yaml", "llm:\n  base_url: "+url+"\n  model: file-model\n  retries: 0\n  cache_mode: replay\n  cache_dir: /nonexistent/cache\n")
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string // regexps on stdout
	}{
		{"config file", []string{"--config", cfgFile(ok.URL)}, []string{
			`(?m)^model: +served-nano \(requested file-model\)$`, `(?m)^latency: +\S+s$`, `(?m)^json mode: yes \(json_object\)$`, `(?m)^tokens: +prompt \d+, completion 2$`}},
		{"set overrides file", []string{"--config", cfgFile(ok.URL), "--set", "llm.model=set-model"}, []string{
			`requested set-model\)`}},
		{"set only", []string{"--set", "llm.base_url=" + noJSON.URL, "--set", "llm.model=m", "--set", "llm.retries=0"}, []string{
			`(?m)^json mode: no \(the server rejected response_format`}},
		{"text configured", []string{"--set", "llm.base_url=" + ok.URL, "--set", "llm.model=m", "--set", "llm.response_format=text"}, []string{
			`(?m)^json mode: not tried \(llm.response_format is text`}},
		{"prose reply", []string{"--set", "llm.base_url=" + prose.URL, "--set", "llm.model=m"}, []string{
			`(?m)^json mode: no \(the reply was not a JSON object\)$`, `estimated: the server reported none`}},
		{"key from env", []string{"--set", "llm.base_url=" + keyed.URL, "--set", "llm.model=m", "--set", "llm.api_key_env=SYNTHOR_CHECK_KEY"}, []string{
			`json mode: yes`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), append([]string{"llm", "check"}, tc.args...), &out, &errb)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			for _, re := range tc.want {
				if !regexp.MustCompile(re).MatchString(out.String()) {
					t.Errorf("stdout does not match %s:\n%s", re, out.String())
				}
			}
			if strings.Contains(out.String()+errb.String(), "sk-check-key") {
				t.Error("key printed")
			}
		})
	}
	// The check bypasses the cache: the replay cache_dir above never existed.
	if _, err := os.Stat("/nonexistent/cache"); err == nil {
		t.Error("check touched the cache")
	}
}

func TestLLMCheckEnvOverride(t *testing.T) {
	noLeaks(t)
	s := llmtest.NewServer(llmtest.Reply(`{}`))
	defer s.Close()
	t.Setenv("SYNTHOR_LLM_BASE_URL", s.URL)
	t.Setenv("SYNTHOR_LLM_MODEL", "env-model")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"llm", "check"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "requested env-model") {
		t.Errorf("stdout:\n%s", out.String())
	}
}

func TestLLMCheckErrors(t *testing.T) {
	noLeaks(t)
	down := llmtest.NewServer(llmtest.Reply(`{}`))
	downURL := down.URL
	down.Close()
	t.Setenv("SYNTHOR_UNSET_KEY", "")
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no subcommand", []string{"llm"}, true, "want a subcommand: check"},
		{"unknown subcommand", []string{"llm", "bogus"}, true, "unknown command"},
		{"bad flag", []string{"llm", "check", "--nope"}, true, "unknown flag"},
		{"set without =", []string{"llm", "check", "--set", "llm.model"}, true, `--set llm.model: want key=value`},
		{"unknown set key", []string{"llm", "check", "--set", "llm.modle=x"}, true, "--set llm.modle=x: llm.modle: unknown key (valid: base_url,"},
		{"not a backend key", []string{"llm", "check", "--set", "planner=llm"}, true, `--set "planner=llm": not a backend key`},
		{"missing file", []string{"llm", "check", "--config", "/no/such/backend.yaml"}, false, "config /no/such/backend.yaml: file not found"},
		{"unknown file key", []string{"llm", "check", "--config", writeFile(t, "b.yaml", "llm:\n  model: m\n  temprature: 1\n")}, true, "b.yaml:3: llm.temprature: unknown key"},
		{"bad yaml", []string{"llm", "check", "--config", writeFile(t, "c.yaml", "llm: [\n")}, true, "c.yaml:1: YAML syntax: did not find expected node content"},
		{"no model", []string{"llm", "check", "--set", "llm.base_url=" + downURL}, true, "key llm.model: is required"},
		{"bad value", []string{"llm", "check", "--set", "llm.model=m", "--set", "llm.temperature=hot"}, true, `--set llm.temperature=hot: llm.temperature: want a number, got "hot"`},
		{"timeout without unit", []string{"llm", "check", "--set", "llm.model=m", "--set", "llm.timeout=5"}, true, `llm.timeout: want a duration with a unit (e.g. 90s, 10m), got "5"`},
		{"temperature NaN", []string{"llm", "check", "--config", writeFile(t, "n.yaml", "llm:\n  model: m\n  temperature: .nan\n")}, true, "key llm.temperature: want a value in [0, 2], got NaN"},
		{"missing key variable", []string{"llm", "check", "--set", "llm.model=m", "--set", "llm.api_key_env=SYNTHOR_UNSET_KEY"}, false, "SYNTHOR_UNSET_KEY named by llm.api_key_env: environment variable is not set"},
		{"server down", []string{"llm", "check", "--set", "llm.model=m", "--set", "llm.retries=0", "--set", "llm.base_url=" + downURL}, false, "llm check: m at " + downURL + ": llm: network error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errb)
			if err == nil {
				t.Fatalf("no error; stdout:\n%s", out.String())
			}
			if (exitCode(err) == 2) != tc.usage {
				t.Errorf("exit status %d, want usage %v (%v)", exitCode(err), tc.usage, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestOpenLLMPlanner(t *testing.T) {
	noLeaks(t)
	s := llmtest.NewServer(llmtest.Reply(`{"1": ["a", "b"]}`))
	defer s.Close()
	var logs bytes.Buffer
	s.Inject(llmtest.Fault{Kind: llmtest.ServerError})
	p, b, err := openLLMPlanner("", []string{"llm.base_url=" + s.URL, "llm.model=m", "llm.retries=1"}, &logs)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if p.Name() != "llm" || b.Config().Model != "m" || b.Config().Retries != 1 {
		t.Errorf("planner %q config %+v", p.Name(), b.Config())
	}
	if _, err := b.Complete(context.Background(), llm.Request{Messages: []llm.Message{{Role: llm.User, Content: "x"}}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "llm retry") {
		t.Errorf("retry not logged: %q", logs.String())
	}
	if _, _, err := openLLMPlanner("", []string{"llm.model=m", "llm.cache_mode=replay"}, nil); err == nil || !strings.Contains(err.Error(), "llm.cache_dir") {
		t.Errorf("err = %v", err)
	}
}

// Every shipped backend config loads and validates.
func TestBackendConfigs(t *testing.T) {
	files, err := filepath.Glob("../../configs/backends/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("backend configs: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg, err := loadLLMConfig(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Model == "" || cfg.BaseURL == "" || cfg.Timeout <= 0 || cfg.Temperature == nil {
				t.Errorf("config = %+v", cfg)
			}
		})
	}
	cfg, err := loadLLMConfig("../../configs/backends/vllm-qwen2.5-7b.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The paper's Qwen settings: temperature 0.7, top_k 20, top_p 0.98, 2048 tokens.
	if *cfg.Temperature != 0.7 || cfg.TopK != 20 || *cfg.TopP != 0.98 || cfg.MaxTokens != 2048 || cfg.ResponseFormat != llm.FormatJSONSchema {
		t.Errorf("vllm config = %+v", cfg)
	}
	cfg, err = loadLLMConfig("../../configs/backends/openai.yaml", []string{"llm.headers.x-team=synth"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Model != "gpt-4.1-nano" || *cfg.Temperature != 0.8 || cfg.APIKeyEnv != "OPENAI_API_KEY" || cfg.Headers["x-team"] != "synth" {
		t.Errorf("openai config = %+v", cfg)
	}
}

func FuzzLoadLLMConfig(f *testing.F) {
	for _, s := range []string{
		"llm:\n  model: m\n  temperature: 0.7\n  timeout: 30s\n",
		"llm:\n  model: m\n  headers:\n    X-A: b\n",
		"llm: [\n",
		"llm:\n  model: 3\n  retries: many\n",
		"other: 1\n",
		"0",
		"llm:\n  model: m\n  cache_mode: replay\n",
		"",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		p := filepath.Join(dir, "fuzz.yaml")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadLLMConfig(p, nil)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("loader returned an invalid config: %v", err)
		}
	})
}
