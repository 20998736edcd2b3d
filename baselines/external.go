package baselines

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/synthor/synthor/table"
)

const LabelExternal = "external: a user program run as a subprocess (--train FILE.csv --schema FILE.json --rows N --seed S --out FILE.csv)"

// ExternalConfig configures External.
type ExternalConfig struct {
	// Command is the program and its leading arguments; required.
	Command []string
	// Timeout bounds one run of the program; 0 means 10 minutes.
	Timeout time.Duration
	// Label describes the wrapped program in reports; empty means the
	// command line.
	Label string
}

// DefaultExternalConfig returns the defaults for command: a 10-minute
// timeout.
func DefaultExternalConfig(command ...string) ExternalConfig {
	return ExternalConfig{Command: command, Timeout: 10 * time.Minute}
}

// Validate reports the first bad setting, naming its key.
func (c ExternalConfig) Validate() error {
	if len(c.Command) == 0 || c.Command[0] == "" {
		return errors.New("external: param \"command\" is required (the program to run)")
	}
	if c.Timeout < 0 {
		return fmt.Errorf("external: timeout %s is negative", c.Timeout)
	}
	return nil
}

// External runs any program as a synthesizer, so that SDV, synthcity,
// TabSyn or GReaT plug in without Go code. Each Sample writes the training
// table as CSV and its schema as JSON (table.Schema) to a fresh temporary
// directory and runs
//
//	COMMAND... --train DIR/train.csv --schema DIR/schema.json --rows N --seed S --out DIR/out.csv
//
// with the configured timeout (on Unix the program runs in its own process
// group, and a timeout kills the whole group). The program must write a CSV with a header
// naming every schema column (any order) and N data rows (N groups for a
// grouped table); categories must be ones of the schema. A failure, a
// timeout, or a missing, empty, ragged or invalid output is an error that
// names the command and ends with the tail of its stderr. Fit only renders
// the training CSV in memory: the program sees the data at Sample time.
// The temporary directory is removed after each run. The program decides
// what the seed means; a program that ignores it breaks the same-seed,
// same-output contract.
type External struct {
	cfg    ExternalConfig
	csv    []byte
	schema []byte
	sch    *table.Schema
	dicts  map[string][]string
}

// NewExternal returns an unfitted External.
func NewExternal(c ExternalConfig) (*External, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Minute
	}
	return &External{cfg: c}, nil
}

// Name returns "external".
func (*External) Name() string { return "external" }

// Label says what the method is and which program it runs.
func (s *External) Label() string {
	if s.cfg.Label != "" {
		return s.cfg.Label
	}
	return "external: " + strings.Join(s.cfg.Command, " ")
}

// Fit renders the training table and its schema.
func (s *External) Fit(ctx context.Context, train *table.Table) error {
	if err := checkTrain(s.Name(), train, true); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf, train); err != nil {
		return fmt.Errorf("external: fit: %w", err)
	}
	sch := train.Schema()
	js, err := json.MarshalIndent(sch, "", "  ")
	if err != nil {
		return fmt.Errorf("external: fit: schema: %w", err)
	}
	s.csv, s.schema, s.sch = buf.Bytes(), js, sch
	s.dicts = map[string][]string{}
	for _, c := range train.Cols {
		if c.Kind == table.Categorical {
			s.dicts[c.Name] = c.Dict
		}
	}
	return ctx.Err()
}

// Sample runs the program once.
func (s *External) Sample(ctx context.Context, n int, seed uint64) (*table.Table, error) {
	if err := checkSample(s.Name(), s.sch != nil, n); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "synthor-external-*")
	if err != nil {
		return nil, fmt.Errorf("external: %w", err)
	}
	defer os.RemoveAll(dir)
	trainPath := filepath.Join(dir, "train.csv")
	schemaPath := filepath.Join(dir, "schema.json")
	outPath := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(trainPath, s.csv, 0o600); err != nil {
		return nil, fmt.Errorf("external: %w", err)
	}
	if err := os.WriteFile(schemaPath, s.schema, 0o600); err != nil {
		return nil, fmt.Errorf("external: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	args := append(append([]string(nil), s.cfg.Command[1:]...),
		"--train", trainPath, "--schema", schemaPath,
		"--rows", strconv.Itoa(n), "--seed", strconv.FormatUint(seed, 10), "--out", outPath)
	cmd := exec.CommandContext(cctx, s.cfg.Command[0], args...)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	cmd.Dir = dir
	cmd.WaitDelay = 2 * time.Second
	killGroup(cmd)
	prog := strings.Join(s.cfg.Command, " ")
	err = cmd.Run()
	switch {
	case cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil:
		return nil, fmt.Errorf("external: command %q timed out after %s%s", prog, s.cfg.Timeout, stderr.suffix())
	case ctx.Err() != nil:
		return nil, fmt.Errorf("external: %w", ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("external: command %q failed: %w%s", prog, err, stderr.suffix())
	}
	if _, err := os.Stat(outPath); err != nil {
		return nil, fmt.Errorf("external: command %q wrote no output file (--out)%s", prog, stderr.suffix())
	}
	t, err := s.readOutput(outPath, n, prog)
	if err != nil {
		return nil, fmt.Errorf("%w%s", err, stderr.suffix())
	}
	return t, nil
}

// readOutput reads and checks the program's output file.
func (s *External) readOutput(path string, n int, prog string) (*table.Table, error) {
	if err := s.checkHeader(path, prog); err != nil {
		return nil, err
	}
	out, err := table.ReadFile(path, table.ReadOptions{Schema: s.sch, NullValues: []string{""}, Name: "output of " + prog})
	if err != nil {
		return nil, fmt.Errorf("external: %w", err)
	}
	return s.conform(out, n, prog)
}

// checkHeader reports a schema column missing from the output's header
// (an empty or unreadable file is left to the reader's error).
func (s *External) checkHeader(path, prog string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("external: %w", err)
	}
	defer f.Close()
	header, err := csv.NewReader(bufio.NewReader(f)).Read()
	if err != nil {
		return nil
	}
	for i, h := range header {
		header[i] = strings.TrimPrefix(h, "\ufeff")
	}
	for _, fd := range s.sch.Fields {
		if !slices.Contains(header, fd.Name) {
			return fmt.Errorf("external: output of %q has no column %q", prog, fd.Name)
		}
	}
	return nil
}

// conform checks the program's output against the schema and returns it in
// the training column order with the training dictionaries.
func (s *External) conform(out *table.Table, n int, prog string) (*table.Table, error) {
	cols := make([]*table.Column, len(s.sch.Fields))
	for j, f := range s.sch.Fields {
		c := out.Col(f.Name)
		if c == nil {
			return nil, fmt.Errorf("external: output of %q has no column %q", prog, f.Name)
		}
		if c.Kind != f.Kind {
			return nil, fmt.Errorf("external: output of %q: column %q is %s, want %s", prog, f.Name, c.Kind, f.Kind)
		}
		if f.Kind == table.Categorical {
			var err error
			if c, err = recode(c, s.dicts[f.Name]); err != nil {
				return nil, fmt.Errorf("external: output of %q: %w", prog, err)
			}
		}
		c.Field = f
		cols[j] = c
	}
	if out.NumCols() != len(cols) {
		return nil, fmt.Errorf("external: output of %q has %d columns, the schema %d", prog, out.NumCols(), len(cols))
	}
	t, err := table.New(cols...)
	if err != nil {
		return nil, fmt.Errorf("external: output of %q: %w", prog, err)
	}
	t.GroupKey = s.sch.GroupKey
	got := t.NumRows()
	what := "rows"
	if t.GroupKey != "" {
		g, err := t.Groups()
		if err != nil {
			return nil, fmt.Errorf("external: output of %q: %w", prog, err)
		}
		got, what = len(g), "groups"
	}
	if got != n {
		return nil, fmt.Errorf("external: output of %q has %d %s, want %d", prog, got, what, n)
	}
	return t, nil
}

// recode maps a categorical column onto dict.
func recode(c *table.Column, dict []string) (*table.Column, error) {
	pos := make(map[string]int32, len(dict))
	for k, s := range dict {
		pos[s] = int32(k)
	}
	codes := make([]int32, len(c.Codes))
	for i, k := range c.Codes {
		if k < 0 {
			codes[i] = table.Missing
			continue
		}
		p, ok := pos[c.Dict[k]]
		if !ok {
			return nil, fmt.Errorf("row %d, column %q: category %q is not in the training data", i+1, c.Name, c.Dict[k])
		}
		codes[i] = p
	}
	return table.NewCategorical(c.Name, dict, codes), nil
}

// tailBuffer keeps the last 2 KiB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = append(t.b[:0], t.b[len(t.b)-2048:]...)
	}
	return len(p), nil
}

// suffix returns ": stderr: <last lines, on one line>" or "".
func (t *tailBuffer) suffix() string {
	s := string(t.b)
	if len(s) > 2048 {
		s = s[len(s)-2048:]
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	return ": stderr: " + s
}
