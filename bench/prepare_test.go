package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/synthor/synthor/internal/need"
	"github.com/synthor/synthor/table"
)

// mixedConfig writes a table of every stored kind, with missing values, and
// a config that holds a quarter of it out.
func mixedConfig(t *testing.T) *Config {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,x,cat,when\n")
	for i := range 40 {
		x, cat, when := strconv.FormatFloat(float64(i)*1.25-7, 'g', -1, 64), []string{"a", "b", "c"}[i%3], fmt.Sprintf("2024-01-%02dT03:04:05Z", 1+i%28)
		switch i % 7 {
		case 2:
			x = ""
		case 4:
			cat = ""
		case 5:
			when = ""
		}
		fmt.Fprintf(&b, "%d,%s,%s,%s\n", i, x, cat, when)
	}
	data := filepath.Join(t.TempDir(), "mixed.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return mustLoad(t, "datasets: [{name: mixed, file: "+data+", holdout: 0.25}]\nmethods: [independent]\n")
}

// TestPrepareWritesParquet: the prepared tables are Parquet files that read
// back equal to the split.
func TestPrepareWritesParquet(t *testing.T) {
	c := mixedConfig(t)
	dir := t.TempDir()
	prep, err := c.Prepare(dir)
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := c.readDataset(c.Datasets[0])
	if err != nil {
		t.Fatal(err)
	}
	train, hold, err := split(all, c.Datasets[0].Holdout, c.Datasets[0].seed())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		want *table.Table
	}{{prep[0].Train, train}, {prep[0].Holdout, hold}} {
		if filepath.Ext(f.path) != DataExt {
			t.Errorf("%s is not %s", f.path, DataExt)
		}
		got, err := LoadTable(filepath.Join(dir, f.path))
		if err != nil {
			t.Fatal(err)
		}
		if d := table.Diff(got, f.want); d != "" {
			t.Errorf("%s: %s", f.path, d)
		}
	}
}

// TestPrepareRefusesOldFormat: a run directory of the gob era cannot be
// resumed, and says why.
func TestPrepareRefusesOldFormat(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "data", "00-mixed.train.gob")
	if err := os.WriteFile(old, []byte("gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := mixedConfig(t).Prepare(dir)
	if !errors.Is(err, ErrOldFormat) || !strings.Contains(err.Error(), "older synthor") || !strings.Contains(err.Error(), "synthor report still renders") {
		t.Errorf("Prepare on an old directory: %v", err)
	}
	if _, err := LoadTable(old); !errors.Is(err, ErrOldFormat) {
		t.Errorf("LoadTable on a gob file: %v", err)
	}
}

// hyparquetEnv names the directory holding node_modules/hyparquet
// (default: .ci/node/node_modules, where .ci/run installs it). A missing
// node or hyparquet skips the test (need.Skip "hyparquet"); CI runs make
// test REQUIRE=...,hyparquet, which fails instead.
const hyparquetEnv = "SYNTHOR_NODE_MODULES"

// TestRunDataOpensWithHyparquet: a run's Parquet files read with hyparquet,
// a pure-JavaScript Parquet reader (not ours), give the same columns,
// values and missing cells as synthor reads, and the stored schema.
func TestRunDataOpensWithHyparquet(t *testing.T) {
	modules := os.Getenv(hyparquetEnv)
	if modules == "" {
		modules, _ = filepath.Abs(filepath.Join("..", ".ci", "node", "node_modules"))
	}
	node, err := exec.LookPath("node")
	_, serr := os.Stat(filepath.Join(modules, "hyparquet", "package.json"))
	if err != nil || serr != nil {
		need.Skip(t, "hyparquet", "node (%v) or hyparquet under %s (%v) is missing; npm install --prefix .ci/node hyparquet", err, modules, serr)
	}
	c := mixedConfig(t)
	dir := t.TempDir()
	prep, err := c.Prepare(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, prep[0].Train)
	out, err := exec.Command(node, filepath.Join("testdata", "hyparquet.mjs"), modules, path).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got struct {
		Columns  []string
		Rows     [][]any
		Metadata map[string]string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want, err := LoadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Columns, ",") != strings.Join(want.Names(), ",") || len(got.Rows) != want.NumRows() {
		t.Fatalf("hyparquet: columns %v, %d rows; synthor: %v, %d rows", got.Columns, len(got.Rows), want.Names(), want.NumRows())
	}
	if !strings.Contains(got.Metadata["synthor.schema"], `"kind":"datetime"`) {
		t.Errorf("stored schema %q", got.Metadata["synthor.schema"])
	}
	for i, row := range got.Rows {
		for j, c := range want.Cols {
			if w := hyparquetCell(c, i); fmt.Sprint(row[j]) != w {
				t.Errorf("row %d column %s: hyparquet %v, synthor %s", i, c.Name, row[j], w)
			}
		}
	}
}

// hyparquetCell writes row i of c as hyparquet.mjs prints it.
func hyparquetCell(c *table.Column, i int) string {
	if c.IsNull(i) {
		return "<nil>"
	}
	switch c.Kind {
	case table.Integer:
		return strconv.FormatInt(c.Ints[i], 10)
	case table.Datetime:
		return fmt.Sprint(float64(c.Ints[i] / 1e6))
	case table.Float:
		return fmt.Sprint(c.Floats[i])
	}
	return c.String(i)
}
