package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/viper"

	"github.com/synthor/synthor/llm"
)

// SettingsError is a bad key or value given by the user (a config file, a
// --set or a SYNTHOR_* variable): the command line should say so with a
// usage exit status.
type SettingsError struct{ Err error }

func (e SettingsError) Error() string { return e.Err.Error() }
func (e SettingsError) Unwrap() error { return e.Err }

func settingsErrorf(format string, a ...any) error {
	return SettingsError{fmt.Errorf(format, a...)}
}

// Settings are one method's params and its LLM backend, read by
// LoadSettings.
type Settings struct {
	// Params are the method's params by key, as strings.
	Params map[string]string
	// LLM is the backend the llm keys configure; it is validated only when
	// UsesLLM.
	LLM llm.Config
	// UsesLLM reports whether the method calls an LLM with these params.
	UsesLLM bool
}

// LoadSettings reads the settings of method m from a YAML file (optional:
// method keys at the top level, backend keys under llm:), SYNTHOR_*
// environment variables (SYNTHOR_ITERATIONS, SYNTHOR_LLM_MODEL) and sets
// (key=value, llm.KEY=VALUE), in increasing precedence. Every key is
// checked: one the method does not declare is an error naming it and
// listing the valid keys. environ is os.Environ(); the variable named by
// llm.api_key_env is not a key.
func LoadSettings(m Method, file string, sets []string, environ []string) (Settings, error) {
	lc, err := loadLLMConfig(file, sets, environ)
	if err != nil {
		return Settings{}, err
	}
	params := map[string]string{}
	bad := func(where, k string) error {
		return settingsErrorf("%s: unknown key %s for %s (valid: %s; and llm.* keys)", where, k, m.Name, validList(m.Keys()))
	}
	if file != "" {
		v, err := readYAML(file)
		if err != nil {
			return Settings{}, err
		}
		top := v.AllSettings()
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "llm" {
				continue
			}
			if !slices.Contains(m.Keys(), k) {
				return Settings{}, bad("config "+file, k)
			}
			params[k] = ParamString(top[k])
		}
	}
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		rest, ok := strings.CutPrefix(name, "SYNTHOR_")
		if !ok || strings.HasPrefix(rest, "LLM_") || name == lc.APIKeyEnv || val == "" {
			continue
		}
		k := strings.ToLower(rest)
		if !slices.Contains(m.Keys(), k) {
			return Settings{}, bad("environment variable "+name, k)
		}
		params[k] = val
	}
	for _, s := range sets {
		k, val, ok := strings.Cut(s, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return Settings{}, settingsErrorf("--set %q: want key=value", s)
		}
		if strings.HasPrefix(k, "llm.") {
			continue
		}
		if !slices.Contains(m.Keys(), k) {
			return Settings{}, bad("--set", k)
		}
		params[k] = val
	}
	st := Settings{Params: params, LLM: lc, UsesLLM: m.UsesLLM(params)}
	if st.UsesLLM {
		if err := validateLLM(lc, file); err != nil {
			return Settings{}, err
		}
	}
	return st, nil
}

func validateLLM(cfg llm.Config, file string) error {
	if err := cfg.Validate(); err != nil {
		if file != "" {
			return fmt.Errorf("config %s: %w", file, err)
		}
		return err
	}
	return nil
}

// ParamString renders a param value from YAML as the string form methods
// read: a list of lists as "a,b;c,d", a list as "a,b", anything else as
// printed.
func ParamString(x any) string {
	list, ok := x.([]any)
	if !ok {
		return fmt.Sprint(x)
	}
	parts := make([]string, len(list))
	sep := ","
	for i, e := range list {
		if _, inner := e.([]any); inner {
			sep = ";"
		}
		parts[i] = ParamString(e)
	}
	return strings.Join(parts, sep)
}

func readYAML(file string) (*viper.Viper, error) {
	v := viper.New()
	v.SetConfigFile(file)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("config %s: file not found", file)
		}
		return nil, fmt.Errorf("config %s: %s", file, OneLine(err.Error()))
	}
	return v, nil
}

// LoadLLMConfig reads the llm section of a YAML file (optional; other
// sections are left to their commands), SYNTHOR_LLM_* environment
// variables and llm.KEY=VALUE sets, in increasing precedence, into an
// llm.Config and validates it. An unknown llm key is an error listing the
// valid ones.
func LoadLLMConfig(file string, sets []string, environ []string) (llm.Config, error) {
	cfg, err := loadLLMConfig(file, sets, environ)
	if err != nil {
		return llm.Config{}, err
	}
	return cfg, validateLLM(cfg, file)
}

func loadLLMConfig(file string, sets []string, environ []string) (llm.Config, error) {
	keys := llm.ConfigKeys()
	m := map[string]any{}
	headers := map[string]any{}
	put := func(k string, val any) {
		if h, ok := strings.CutPrefix(k, "headers."); ok {
			headers[h] = val
			return
		}
		m[k] = val
	}
	known := func(k string) bool {
		base, _, _ := strings.Cut(k, ".")
		return slices.Contains(keys, base)
	}
	if file != "" {
		v, err := readYAML(file)
		if err != nil {
			return llm.Config{}, err
		}
		all := v.AllKeys()
		sort.Strings(all)
		for _, k := range all {
			name, ok := strings.CutPrefix(k, "llm.")
			if !ok {
				continue
			}
			if !known(name) {
				return llm.Config{}, fmt.Errorf("config %s: unknown key %s (valid llm keys: %s)", file, k, strings.Join(keys, ", "))
			}
			put(name, v.Get(k))
		}
	}
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		rest, ok := strings.CutPrefix(name, "SYNTHOR_LLM_")
		if !ok || val == "" {
			continue
		}
		k := strings.ToLower(rest)
		if !slices.Contains(keys, k) {
			return llm.Config{}, settingsErrorf("environment variable %s: unknown key llm.%s (valid llm keys: %s)", name, k, strings.Join(keys, ", "))
		}
		put(k, val)
	}
	for _, s := range sets {
		k, val, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return llm.Config{}, settingsErrorf("--set %q: want key=value", s)
		}
		name, isLLM := strings.CutPrefix(strings.ToLower(k), "llm.")
		if !isLLM {
			continue
		}
		if !known(name) {
			return llm.Config{}, settingsErrorf("--set %s: unknown key (valid llm keys: %s)", k, strings.Join(keys, ", "))
		}
		put(name, val)
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
		return llm.Config{}, fmt.Errorf("llm config: %s", strings.TrimPrefix(OneLine(err.Error()), "decoding failed due to the following error(s):; "))
	}
	return cfg, nil
}
