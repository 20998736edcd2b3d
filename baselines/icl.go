package baselines

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/synthor/synthor/llm"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

const LabelICL = "llm-icl: direct LLM generation of records as JSON lines from the schema and target marginals"

// ICLTemplateVersion names the prompt template; it is part of the LLM cache
// key, so editing the template invalidates cached replies.
const ICLTemplateVersion = "llm-icl/v1"

// ICLConfig configures ICL. The zero value works: no example rows, 20
// records per call.
type ICLConfig struct {
	// Examples is the number of real training rows shown in each prompt.
	// 0 (the default) keeps every record out of the prompt; a positive value
	// shows real records to the LLM, and Label says so.
	Examples int
	// Batch is the number of records asked for per call; 0 means 20.
	Batch int
	// MaxCalls bounds the calls of one Sample; 0 means 2·ceil(n/Batch)+2.
	MaxCalls int
	// Temperature, when set, is sent with each call.
	Temperature *float32
	// Model, when set, overrides the client's model.
	Model string
	// MaxTokens, when positive, limits each completion.
	MaxTokens int
	// Bins is the number of quantile bins per numeric column in the
	// rendered marginals; 0 means macro.DefaultBins.
	Bins int
	// Concurrency is the number of calls in flight at once; 0 means 1.
	// Calls are built and their replies parsed in call order, so the output
	// does not depend on it.
	Concurrency int
}

// DefaultICLConfig returns the defaults spelled out.
func DefaultICLConfig() ICLConfig {
	return ICLConfig{Batch: 20, Bins: macro.DefaultBins, Concurrency: 1}
}

// Validate reports the first bad setting, naming its key.
func (c ICLConfig) Validate() error {
	switch {
	case c.Examples < 0:
		return fmt.Errorf("llm-icl: examples %d is negative", c.Examples)
	case c.Batch < 0:
		return fmt.Errorf("llm-icl: batch %d is negative", c.Batch)
	case c.MaxCalls < 0:
		return fmt.Errorf("llm-icl: max_calls %d is negative", c.MaxCalls)
	case c.MaxTokens < 0:
		return fmt.Errorf("llm-icl: max_tokens %d is negative", c.MaxTokens)
	case c.Bins < 0:
		return fmt.Errorf("llm-icl: bins %d is negative", c.Bins)
	case c.Concurrency < 0:
		return fmt.Errorf("llm-icl: concurrency %d is negative", c.Concurrency)
	}
	return nil
}

// ICLStats counts the LLM work of the last Sample.
type ICLStats struct {
	Calls            int
	PromptTokens     int
	CompletionTokens int
	ValidRows        int
	// InvalidRows counts reply lines that were not a valid record: not a
	// JSON object, a missing or unknown column, a category outside the
	// training data, a number outside the observed range, a wrong type.
	InvalidRows int
	Latency     time.Duration
	// ExamplesShown is the number of real training rows put in each prompt.
	ExamplesShown int
}

// ICL generates records directly with an LLM (the paper's LLM-ICL
// baseline). Each call's prompt holds the schema (names, kinds,
// categories, ranges, descriptions), the target marginals computed from
// the training table (category shares; shares of the numeric columns'
// quantile bins; missing shares) and, only when Examples > 0, that many
// real training rows; it asks for Batch records as JSON lines, one object
// per line with every column as a key and null for missing. A numeric
// column's range is the schema's min/max where set, else the observed
// range: then the minimum and maximum (also the outer bin edges) are the
// only single values of the data that reach the prompt. Replies are parsed
// line by line; a valid line becomes a row and an invalid one is counted
// (Stats). Numbers must lie inside the range shown (a row outside it is
// invalid), so output stays inside the observed range unless the schema
// gives a wider one; integers must be whole. Calls go out in waves of up
// to Concurrency, each with seed = seed + call index, until n rows are valid
// or MaxCalls is reached (an error); replies are parsed in call order, so
// output is deterministic for a deterministic client (a cached replay)
// whatever the concurrency. Grouped tables are refused.
type ICL struct {
	cfg    ICLConfig
	client llm.Client
	tp     *template
	fields []iclField
	render string       // the schema and marginals part of the prompt
	rows   *table.Table // kept only when Examples > 0
	stats  ICLStats
}

type iclField struct {
	col    *table.Column // template column (no data)
	lo, hi float64       // numeric: observed range
	codes  map[string]int32
}

// NewICL returns an unfitted ICL calling client.
func NewICL(client llm.Client, c ICLConfig) (*ICL, error) {
	if client == nil {
		return nil, errors.New("llm-icl: no LLM client configured")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Batch == 0 {
		c.Batch = 20
	}
	if c.Bins == 0 {
		c.Bins = macro.DefaultBins
	}
	if c.Concurrency == 0 {
		c.Concurrency = 1
	}
	return &ICL{cfg: c, client: client}, nil
}

// Name returns "llm-icl".
func (*ICL) Name() string { return "llm-icl" }

// Label says what the method is and whether real rows reach the prompt.
func (s *ICL) Label() string {
	if s.cfg.Examples > 0 {
		return fmt.Sprintf("%s; %d real example rows in each prompt", LabelICL, s.cfg.Examples)
	}
	return LabelICL + "; no real rows in the prompt"
}

// Stats returns the counts of the last Sample.
func (s *ICL) Stats() ICLStats { return s.stats }

// Fit renders the schema and the target marginals.
func (s *ICL) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, false); err != nil {
		return err
	}
	s.tp = nil // unfitted until this fit succeeds
	tp := newTemplate(train)
	s.fields = make([]iclField, train.NumCols())
	space, err := macro.NewSpace(train, s.cfg.Bins)
	if err != nil {
		return fmt.Errorf("llm-icl: fit: %w", err)
	}
	targets, err := macro.TargetsFromTable(train, space, nil)
	if err != nil {
		return fmt.Errorf("llm-icl: fit: %w", err)
	}
	var sb strings.Builder
	sb.WriteString("Columns:\n")
	for j, c := range train.Cols {
		f := &s.fields[j]
		f.col = tp.cols[j]
		fmt.Fprintf(&sb, "- %s (%s", c.Name, c.Kind)
		switch {
		case c.Kind == table.Categorical:
			f.codes = make(map[string]int32, len(c.Dict))
			for k, d := range c.Dict {
				f.codes[d] = int32(k)
			}
			quoted := make([]string, len(c.Dict))
			for k, d := range c.Dict {
				quoted[k] = string(jsonString(d))
			}
			fmt.Fprintf(&sb, "; one of [%s]", strings.Join(quoted, ","))
		case c.Kind.Numeric():
			f.lo, f.hi = math.Inf(1), math.Inf(-1)
			for _, v := range c.Values() {
				f.lo, f.hi = min(f.lo, v), max(f.hi, v)
			}
			if c.Min != nil {
				f.lo = *c.Min
			}
			if c.Max != nil {
				f.hi = *c.Max
			}
			if f.lo <= f.hi {
				if c.Kind == table.Datetime {
					fmt.Fprintf(&sb, "; from %s to %s", fmtTime(c, f.lo), fmtTime(c, f.hi))
				} else {
					fmt.Fprintf(&sb, "; from %s to %s", fmtNum(f.lo), fmtNum(f.hi))
				}
			}
		case c.Kind == table.Text:
			sb.WriteString("; free text")
		}
		sb.WriteString(")")
		if c.Description != "" {
			sb.WriteString(": " + c.Description)
		}
		sb.WriteString("\n")
	}
	sb.WriteString("\nTarget distribution of each column (share of records):\n")
	for _, m := range targets.Marginals {
		v := m.Vars[0]
		sh := m.Shares()
		var parts []string
		for cell, p := range sh {
			if p == 0 {
				continue
			}
			label := v.Label(cell)
			if v.Numeric() && cell != v.MissingCell() && train.Col(v.Name).Kind == table.Datetime {
				lo, hi := v.Bins.Bounds(cell)
				c := train.Col(v.Name)
				label = "[" + fmtTime(c, lo) + ", " + fmtTime(c, hi) + ")"
			}
			parts = append(parts, fmt.Sprintf("%s %.1f%%", label, 100*p))
		}
		fmt.Fprintf(&sb, "- %s: %s\n", v.Name, strings.Join(parts, ", "))
	}
	s.render = sb.String()
	s.tp = tp
	s.rows = nil
	if s.cfg.Examples > 0 {
		s.rows = copyTable(train)
	}
	return ctx.Err()
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

func fmtTime(c *table.Column, v float64) string {
	layout := c.Layout
	if layout == "" {
		layout = time.RFC3339
	}
	return time.Unix(0, int64(v)).UTC().Format(layout)
}

// Prompt returns the messages of one call asking for k records, with the
// given example rows of the training table (none when Examples is 0).
func (s *ICL) prompt(k int, examples []int) []llm.Message {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Generate %d records of a table.\n\n", k)
	sb.WriteString(s.render)
	if len(examples) > 0 {
		sb.WriteString("\nExample records (real rows):\n")
		for _, i := range examples {
			sb.Write(s.rowJSON(i))
			sb.WriteString("\n")
		}
	}
	fmt.Fprintf(&sb, "\nWrite exactly %d lines, each one JSON object with every column above as a key and nothing else. "+
		"Use null for a missing value. A categorical value must be one of the listed categories, written exactly. "+
		"Numbers must lie in the given range. Follow the target distribution across the records. No prose, no code fences.\n", k)
	return []llm.Message{
		{Role: llm.System, Content: "You generate realistic synthetic records of tabular data. You reply with JSON lines only."},
		{Role: llm.User, Content: sb.String()},
	}
}

func (s *ICL) rowJSON(i int) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for j, c := range s.rows.Cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.Write(jsonString(c.Name))
		b.WriteString(": ")
		switch {
		case c.IsNull(i):
			b.WriteString("null")
		case c.Kind == table.Integer || c.Kind == table.Float:
			b.WriteString(c.String(i))
		default:
			b.Write(jsonString(c.String(i)))
		}
	}
	b.WriteByte('}')
	return b.Bytes()
}

// Sample calls the LLM until n valid rows are collected.
func (s *ICL) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.tp != nil, n); err != nil {
		return nil, err
	}
	s.stats = ICLStats{ExamplesShown: s.cfg.Examples}
	maxCalls := s.cfg.MaxCalls
	if maxCalls == 0 {
		maxCalls = 2*((n+s.cfg.Batch-1)/s.cfg.Batch) + 2
	}
	r := newRand(seed, 0x69636c)
	b := s.tp.builder(n)
	have, call := 0, 0
	for have < n {
		if call >= maxCalls {
			return nil, fmt.Errorf("llm-icl: %d of %d valid rows after %d calls (%d invalid rows); raise max_calls or batch", have, n, call, s.stats.InvalidRows)
		}
		// One wave of up to Concurrency calls, built in call order.
		need := n - have
		waves := min(s.cfg.Concurrency, (need+s.cfg.Batch-1)/s.cfg.Batch, maxCalls-call)
		reqs := make([]llm.Request, waves)
		for w := range reqs {
			k := min(s.cfg.Batch, need-w*s.cfg.Batch)
			var examples []int
			if s.rows != nil && s.rows.NumRows() > 0 {
				for e := 0; e < s.cfg.Examples; e++ {
					examples = append(examples, r.IntN(s.rows.NumRows()))
				}
			}
			sd := int(seed%(1<<31)) + call + w
			reqs[w] = llm.Request{
				Model:           s.cfg.Model,
				Messages:        s.prompt(k, examples),
				Temperature:     s.cfg.Temperature,
				MaxTokens:       s.cfg.MaxTokens,
				Seed:            &sd,
				Format:          llm.FormatText,
				TemplateVersion: ICLTemplateVersion,
			}
		}
		resps := make([]*llm.Response, waves)
		errs := make([]error, waves)
		var wg sync.WaitGroup
		for w := range reqs {
			wg.Go(func() { resps[w], errs[w] = s.client.Complete(ctx, reqs[w]) })
		}
		wg.Wait()
		for w, resp := range resps {
			s.stats.Calls++
			if errs[w] != nil {
				return nil, fmt.Errorf("llm-icl: call %d: %w", call+w+1, errs[w])
			}
			s.stats.PromptTokens += resp.Usage.PromptTokens
			s.stats.CompletionTokens += resp.Usage.CompletionTokens
			s.stats.Latency += resp.Latency
			for _, line := range strings.Split(resp.Text, "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "```") {
					continue
				}
				if have == n {
					break
				}
				if err := s.parseRow(b, have, line); err != nil {
					s.stats.InvalidRows++
					continue
				}
				have++
				s.stats.ValidRows++
			}
		}
		call += waves
	}
	return b.table()
}

// parseRow validates one reply line and writes it into row i. On error,
// row i may hold partial values: the next valid row overwrites them all.
func (s *ICL) parseRow(b *builder, i int, line string) error {
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if dec.More() {
		return errors.New("trailing text after the object")
	}
	if len(obj) != len(s.fields) {
		return fmt.Errorf("%d keys, want %d", len(obj), len(s.fields))
	}
	for j := range s.fields {
		f := &s.fields[j]
		c := b.cols[j]
		v, ok := obj[f.col.Name]
		if !ok {
			return fmt.Errorf("column %q missing", f.col.Name)
		}
		if v == nil {
			b.null(j, i)
			continue
		}
		if c.Nulls != nil {
			c.Nulls[i] = false
		}
		switch c.Kind {
		case table.Categorical:
			str, ok := v.(string)
			if !ok {
				if num, isNum := v.(json.Number); isNum {
					str = num.String() // categories such as "1" written as numbers
				} else {
					return fmt.Errorf("column %q: not a category", f.col.Name)
				}
			}
			code, ok := f.codes[str]
			if !ok {
				return fmt.Errorf("column %q: unknown category %q", f.col.Name, str)
			}
			c.Codes[i] = code
		case table.Integer, table.Float:
			num, ok := v.(json.Number)
			if !ok {
				return fmt.Errorf("column %q: not a number", f.col.Name)
			}
			x, err := num.Float64()
			if err != nil || math.IsNaN(x) || x < f.lo || x > f.hi {
				return fmt.Errorf("column %q: %v outside [%g, %g]", f.col.Name, v, f.lo, f.hi)
			}
			if c.Kind == table.Integer {
				if x != math.Trunc(x) {
					return fmt.Errorf("column %q: %v is not a whole number", f.col.Name, v)
				}
				c.Ints[i] = int64(x)
			} else {
				c.Floats[i] = x
			}
		case table.Datetime:
			str, ok := v.(string)
			if !ok {
				return fmt.Errorf("column %q: not a date", f.col.Name)
			}
			layout := f.col.Layout
			if layout == "" {
				layout = time.RFC3339
			}
			tm, err := time.Parse(layout, str)
			if err != nil {
				return fmt.Errorf("column %q: %w", f.col.Name, err)
			}
			x := float64(tm.UnixNano())
			if x < f.lo || x > f.hi {
				return fmt.Errorf("column %q: %s outside the observed range", f.col.Name, str)
			}
			c.Ints[i] = tm.UnixNano()
		case table.Text:
			str, ok := v.(string)
			if !ok {
				return fmt.Errorf("column %q: not a string", f.col.Name)
			}
			c.Strs[i] = str
		}
	}
	return nil
}

// jsonString returns s as a JSON string without HTML escaping ("&" stays
// "&", as the LLM must write it back).
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
