package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/methods"
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
configs/backends/; other sections are left alone), applies SYNTHOR_LLM_KEY environment
variables and --set llm.KEY=VALUE overrides, and makes one short chat-completion call that
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
// logw when it is not nil. The caller closes the backend.
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

// loadLLMConfig reads the backend settings (methods.LoadLLMConfig) from
// file, the environment and sets; a bad key or value is a
// *settings.Error (exit status 2).
func loadLLMConfig(file string, sets []string) (llm.Config, error) {
	return methods.LoadLLMConfig(file, sets, os.Environ())
}
