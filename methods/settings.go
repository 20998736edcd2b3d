package methods

import (
	"fmt"
	"strings"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/settings"
)

// Environment variables: SYNTHOR_ + a param key of the method run
// (SYNTHOR_ITERATIONS) and, for a method that calls an LLM,
// SYNTHOR_LLM_ + an llm key (SYNTHOR_LLM_MODEL). No other SYNTHOR_*
// variable is read as a setting.
const (
	EnvPrefix    = "SYNTHOR_"
	EnvLLMPrefix = "SYNTHOR_LLM_"
)

// Settings are one method's checked values and, when it calls an LLM
// with them, its backend.
type Settings struct {
	Values Values
	// LLM is the backend the llm keys configure, validated when UsesLLM.
	LLM llm.Config
	// UsesLLM reports whether the method calls an LLM with Values.
	UsesLLM bool

	o *settings.Overlay
}

// Errorf returns a *settings.Error about the value of key, saying where it
// was given (the config file and line, the --set or the variable): for a
// check only the data can make (a joint naming a column the table lacks).
func (st Settings) Errorf(key, format string, a ...any) error {
	err := &settings.Error{Key: key, Err: fmt.Errorf(format, a...)}
	if st.o == nil {
		return err
	}
	return st.o.Locate(err)
}

// LoadSettings reads the settings of method m: from a YAML file
// (optional: the method's params at the top level, backend keys under
// llm:), then the environment variables meant for them (EnvPrefix +
// KEY for a key m declares; EnvLLMPrefix + KEY when m calls an LLM), then
// sets (key=value, llm.key=value), in increasing precedence. Every key
// given in the file or by a set is checked: an unknown one is an error
// listing the valid ones. A variable for a key m does not declare is not
// read: it belongs to another method or command. Errors about a key or a
// value are *settings.Error.
func LoadSettings(m *Method, file string, sets, environ []string) (Settings, error) {
	o, err := overlay(file, sets)
	if err != nil {
		return Settings{}, err
	}
	if err := o.Env(environ, EnvPrefix, m.Keys()); err != nil {
		return Settings{}, err
	}
	v, err := m.Decode(o.Root(), "llm")
	if err != nil {
		return Settings{}, o.Explain(err, "")
	}
	st := Settings{Values: v, UsesLLM: m.UsesLLM(v), o: o}
	if st.UsesLLM {
		if err := o.Env(environ, EnvLLMPrefix, llm.ConfigKeys(), "llm"); err != nil {
			return Settings{}, err
		}
	}
	st.LLM, err = decodeLLM(o)
	if err != nil {
		return Settings{}, err
	}
	if st.UsesLLM {
		if err := validLLM(o, st.LLM); err != nil {
			return Settings{}, err
		}
	}
	return st, nil
}

// LoadLLMConfig reads an LLM backend: the llm section of a YAML file
// (optional; other sections are left to their commands), EnvLLMPrefix
// variables and llm.key=value sets, in increasing precedence, and
// validates it. A set of another key is an error.
func LoadLLMConfig(file string, sets, environ []string) (llm.Config, error) {
	for _, s := range sets {
		if k, _, _ := strings.Cut(s, "="); !strings.HasPrefix(strings.ToLower(strings.TrimSpace(k)), "llm.") {
			return llm.Config{}, &settings.Error{Where: "--set " + settings.Quote(s), Err: fmt.Errorf("not a backend key (want llm.KEY=VALUE; llm keys: %s)", validList(llm.ConfigKeys()))}
		}
	}
	o, err := overlay(file, sets)
	if err != nil {
		return llm.Config{}, err
	}
	if err := o.Env(environ, EnvLLMPrefix, llm.ConfigKeys(), "llm"); err != nil {
		return llm.Config{}, err
	}
	cfg, err := decodeLLM(o)
	if err != nil {
		return llm.Config{}, err
	}
	return cfg, validLLM(o, cfg)
}

// overlay reads file (optional) and applies sets.
func overlay(file string, sets []string) (*settings.Overlay, error) {
	o := settings.New()
	if file != "" {
		var err error
		if o, err = settings.ReadFile(file); err != nil {
			return nil, err
		}
	}
	for _, s := range sets {
		if err := o.Set(s); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// decodeLLM decodes the llm section strictly over llm.DefaultConfig.
func decodeLLM(o *settings.Overlay) (llm.Config, error) {
	cfg := llm.DefaultConfig
	if err := o.Decode(&cfg, "llm"); err != nil {
		return llm.Config{}, err
	}
	return cfg, nil
}

// validLLM validates cfg; a bad value is a *settings.Error naming where
// the llm section came from.
func validLLM(o *settings.Overlay, cfg llm.Config) error {
	if err := cfg.Validate(); err != nil {
		where := "llm settings"
		if o.File() != "" {
			where = "config " + o.File()
		}
		return &settings.Error{Where: where, Err: err}
	}
	return nil
}
