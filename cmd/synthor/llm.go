package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/synthor"
)

func newLLMCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "llm",
		Short: "Work with the configured LLM backend",
		Example: `  synthor llm check --config configs/backends/openai.yaml
  synthor llm check --set llm.base_url=http://localhost:11434/v1 --set llm.model=qwen2.5:7b-instruct`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usagef("llm: want a subcommand: check")
		},
	}
	cmd.AddCommand(newLLMCheckCmd())
	return cmd
}

func newLLMCheckCmd() *cobra.Command {
	var (
		file string
		sets []string
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Make one cheap call to the configured backend: model, latency, JSON mode",
		Long: `check loads the llm section of --config (a YAML file with an "llm:" section, as in
configs/backends/), applies SYNTHOR_LLM_* environment variables and --set llm.KEY=VALUE
overrides (other keys are ignored), and makes one short chat-completion call that
asks for a JSON object, bypassing the cache. It prints the model the server reports,
the latency, and whether JSON mode works.`,
		Example: `  OPENAI_API_KEY=... synthor llm check --config configs/backends/openai.yaml
  synthor llm check --config configs/backends/vllm-qwen2.5-7b.yaml --set llm.base_url=http://gpu01:8000/v1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadLLMConfig(file, sets)
			if err != nil {
				return err
			}
			cfg.CacheMode, cfg.CacheDir, cfg.Transcript = llm.CacheOff, "", ""
			b, err := llm.Open(cfg)
			if err != nil {
				return fmt.Errorf("llm check: %w", err)
			}
			defer b.Close()
			r, err := b.Check(cmd.Context())
			if err != nil {
				return fmt.Errorf("llm check: %s at %s: %w", cfg.Model, b.Config().BaseURL, err)
			}
			w := cmd.OutOrStdout()
			json := "yes (json_object)"
			switch {
			case b.Config().ResponseFormat == llm.FormatText:
				json = "not tried (llm.response_format is text: prompt-only JSON)"
			case r.Format != llm.FormatJSONObject:
				json = "no (the server rejected response_format; prompt-only JSON will be used)"
			case !r.JSONMode:
				json = "no (the reply was not a JSON object)"
			}
			usage := fmt.Sprintf("prompt %d, completion %d", r.Usage.PromptTokens, r.Usage.CompletionTokens)
			if r.Usage.Estimated {
				usage += " (estimated: the server reported none)"
			}
			_, err = fmt.Fprintf(w, "backend:   %s\nmodel:     %s (requested %s)\nlatency:   %s\njson mode: %s\ntokens:    %s\n",
				b.Config().BaseURL, r.Model, cfg.Model, r.Latency.Round(100_000), json, usage)
			return err
		},
	}
	cmd.Flags().StringVar(&file, "config", "", "YAML file with an llm: section (see configs/backends/)")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "override a key: llm.KEY=VALUE (repeatable)")
	return cmd
}

// openLLMPlanner opens the backend configured by the llm section of file
// (optional), SYNTHOR_LLM_* variables and the llm.* entries of sets, and
// returns the LLM planner on it. Retries and format fall-backs are logged to
// logw when it is not nil. The caller closes the backend and attaches
// backend.Stats() to every result row the run produces.
func openLLMPlanner(file string, sets []string, logw io.Writer) (*synthor.LLMPlanner, *llm.Backend, error) {
	cfg, err := loadLLMConfig(file, sets)
	if err != nil {
		return nil, nil, err
	}
	var opts []llm.Option
	if logw != nil {
		opts = append(opts, llm.WithLogger(slog.New(slog.NewTextHandler(logw, nil))))
	}
	b, err := llm.Open(cfg, opts...)
	if err != nil {
		return nil, nil, err
	}
	return synthor.NewLLMPlanner(b, synthor.LLMPlannerOptions{}), b, nil
}

// loadLLMConfig reads the llm section of a YAML config file (optional),
// SYNTHOR_LLM_* environment variables and --set llm.KEY=VALUE overrides,
// in increasing precedence, into an llm.Config.
func loadLLMConfig(file string, sets []string) (llm.Config, error) {
	keys := llm.ConfigKeys()
	v := viper.New()
	v.SetEnvPrefix("SYNTHOR")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	for _, k := range keys {
		if err := v.BindEnv("llm." + k); err != nil {
			return llm.Config{}, err
		}
	}
	if file != "" {
		v.SetConfigFile(file)
		v.SetConfigType("yaml")
		if err := v.ReadInConfig(); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return llm.Config{}, fmt.Errorf("config %s: file not found", file)
			}
			return llm.Config{}, fmt.Errorf("config %s: %s", file, oneLine(err.Error()))
		}
		for _, k := range v.AllKeys() {
			name, ok := strings.CutPrefix(k, "llm.")
			if !ok {
				continue // other sections belong to other commands
			}
			name, _, _ = strings.Cut(name, ".") // headers.X-Name
			if !slices.Contains(keys, name) {
				return llm.Config{}, fmt.Errorf("config %s: unknown key %s (valid llm keys: %s)", file, k, strings.Join(keys, ", "))
			}
		}
	}
	for _, s := range sets {
		k, val, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return llm.Config{}, usagef("--set %q: want key=value", s)
		}
		name, isLLM := strings.CutPrefix(strings.ToLower(k), "llm.")
		if !isLLM {
			continue // planner=llm and other keys do not concern this command
		}
		base, _, _ := strings.Cut(name, ".")
		if !slices.Contains(keys, base) {
			return llm.Config{}, usagef("--set %s: unknown key (valid llm keys: %s)", k, strings.Join(keys, ", "))
		}
		v.Set(strings.ToLower(k), val)
	}
	// Collect the llm keys from every layer (viper's UnmarshalKey on a
	// parent key lets one layer shadow the others), then decode once.
	m := map[string]any{}
	for _, k := range keys {
		if v.IsSet("llm." + k) {
			m[k] = v.Get("llm." + k)
		}
	}
	headers := map[string]any{}
	for _, k := range v.AllKeys() {
		if h, ok := strings.CutPrefix(k, "llm.headers."); ok {
			headers[h] = v.Get(k)
		}
	}
	if len(headers) > 0 {
		m["headers"] = headers
	}
	merged := viper.New()
	if err := merged.MergeConfigMap(map[string]any{"llm": m}); err != nil {
		return llm.Config{}, fmt.Errorf("llm config: %w", err)
	}
	cfg := llm.DefaultConfig
	if err := merged.UnmarshalKey("llm", &cfg); err != nil {
		return llm.Config{}, fmt.Errorf("llm config: %s", strings.TrimPrefix(oneLine(err.Error()), "decoding failed due to the following error(s):; "))
	}
	if err := cfg.Validate(); err != nil {
		if file != "" {
			return llm.Config{}, fmt.Errorf("config %s: %w", file, err)
		}
		return llm.Config{}, err
	}
	return cfg, nil
}

// oneLine joins the lines of a multi-line message (mapstructure's decoding
// errors) with "; ".
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "*")); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
