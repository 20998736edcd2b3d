package bench

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/go-viper/mapstructure/v2"

	"github.com/synthor/synthor/synthor"
)

// llmsynthorMethod is LLMSynthor's registry entry. Its params are the
// mapstructure keys of synthor.Config, so a field added there becomes a key
// here without an edit.
func llmsynthorMethod() *Method {
	m := &Method{
		Name:      "llmsynthor",
		Label:     "LLMSynthor: records built by a planner (stat, or an LLM) until their statistics align with the targets",
		MacroOnly: true,
		Groups:    true,
		Traces:    true,
		Params:    configParams(),
		LLM:       func(p map[string]string) bool { return strings.TrimSpace(p["planner"]) == "llm" },
	}
	m.build = func(o Options) (Synthesizer, error) {
		cfg, err := DecodeConfig(o.Params)
		if err != nil {
			return nil, err
		}
		var p synthor.Planner = synthor.Stat{}
		if cfg.Planner == "llm" {
			if o.Client == nil {
				return nil, fmt.Errorf("llmsynthor: planner llm needs an LLM backend (an llm: section or llm.* keys, e.g. llm.model)")
			}
			p = synthor.NewLLMPlanner(o.Client, synthor.LLMPlannerOptions{})
		}
		s, err := synthor.New(cfg, p)
		if err != nil {
			return nil, fmt.Errorf("llmsynthor: %w", err)
		}
		s.Trace = o.Trace
		return s, nil
	}
	return m
}

// configParams lists synthor.Config's keys (its mapstructure tags) with
// their defaults from synthor.DefaultConfig.
func configParams() []Param {
	t := reflect.TypeFor[synthor.Config]()
	d := reflect.ValueOf(synthor.DefaultConfig)
	var out []Param
	for i := range t.NumField() {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if key == "" || key == "-" || !f.IsExported() {
			continue
		}
		p := Param{Key: key}
		if v := d.Field(i); !v.IsZero() {
			p.Default = fmt.Sprint(v.Interface())
		}
		switch key {
		case "joints":
			p.Doc = `dependency groups "a,b,c;c,x" ("auto": inferred by the planner)`
		case "overrides":
			p.Doc = `target changes "var=category:share", comma-separated`
		}
		out = append(out, p)
	}
	return out
}

// DecodeConfig decodes LLMSynthor's settings strictly by synthor.Config's
// mapstructure tags: an unknown key is an error naming it and listing the
// valid ones, a bad value names its key. joints is read as "a,b,c;c,x"
// ("auto" or empty: inferred) and overrides as a comma-separated list.
func DecodeConfig(params map[string]string) (synthor.Config, error) {
	var cfg synthor.Config
	m := llmsynthorMethodKeys()
	in := map[string]any{}
	for k, v := range params {
		if !m[k] {
			return cfg, fmt.Errorf("llmsynthor: unknown param %q (valid: %s)", k, validList(paramKeys()))
		}
		in[k] = v
	}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           &cfg,
		ErrorUnused:      true,
		WeaklyTypedInput: true,
		TagName:          "mapstructure",
		DecodeHook:       listHook,
	})
	if err != nil {
		return cfg, err
	}
	if err := dec.Decode(in); err != nil {
		return cfg, fmt.Errorf("llmsynthor: %s", OneLine(strings.TrimPrefix(err.Error(), "decoding failed due to the following error(s):")))
	}
	if err := explicitZeros(params); err != nil {
		return cfg, fmt.Errorf("llmsynthor: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("llmsynthor: %w", err)
	}
	return cfg, nil
}

// positiveKeys are the settings whose zero value means "the default": a
// 0 written out is refused rather than silently read as the default.
var positiveKeys = map[string]int{"iterations": 1, "proposals": 1, "bins": 2, "fine": 1, "max_skips": 1, "top_joint": 1, "top_marginal": 1}

// explicitZeros refuses a positive key set to 0.
func explicitZeros(params map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(params)) {
		least, ok := positiveKeys[k]
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(params[k])); err == nil && n == 0 {
			def := ""
			for _, p := range configParams() {
				if p.Key == k && p.Default != "" {
					def = " " + p.Default
				}
			}
			return fmt.Errorf("%s: must be at least %d, got 0 (leave it unset for the default%s)", k, least, def)
		}
	}
	return nil
}

func paramKeys() []string {
	var out []string
	for _, p := range configParams() {
		out = append(out, p.Key)
	}
	return out
}

func llmsynthorMethodKeys() map[string]bool {
	out := map[string]bool{}
	for _, k := range paramKeys() {
		out[k] = true
	}
	return out
}

// listHook reads strings into [][]string ("a,b;c,d") and []string ("a,b").
func listHook(from, to reflect.Type, data any) (any, error) {
	s, ok := data.(string)
	if !ok || from.Kind() != reflect.String {
		return data, nil
	}
	switch to {
	case reflect.TypeFor[[][]string]():
		s = strings.TrimSpace(s)
		if s == "" || s == "auto" {
			return [][]string(nil), nil
		}
		var out [][]string
		for g := range strings.SplitSeq(s, ";") {
			out = append(out, SplitList(g))
		}
		return out, nil
	case reflect.TypeFor[[]string]():
		return SplitList(s), nil
	}
	return data, nil
}

// SplitList splits a comma-separated setting (overrides, a list key) into
// its trimmed, non-empty items.
func SplitList(s string) []string {
	var out []string
	for x := range strings.SplitSeq(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// OneLine joins the lines of a multi-line message (mapstructure's decoding
// errors) with "; ".
func OneLine(s string) string {
	var parts []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "*")); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; ")
}
