package bench

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

// Prepared is a dataset read, cut and split once per run; cells load it
// from the files Train and Holdout (Parquet, with the table's schema under
// the metadata key synthor.schema, so pandas, DuckDB, R or synthor eval
// read them as they are) instead of reading and generating it again.
type Prepared struct {
	Name string
	// Train and Holdout are file paths relative to the run directory;
	// Holdout is empty when none is held out.
	Train   string
	Holdout string
	// Hash is the hex SHA-256 of the prepared files' bytes.
	Hash string
	// Rows is the number of records (groups) of Train: what a cell
	// synthesizes.
	Rows   int
	Target string
	// GroupKey is the grouped table's key column; empty for a flat table.
	GroupKey string
	// Real and Controls, for a seed-sample dataset (DatasetConfig.Sample),
	// are the whole dataset (what cells are scored against; Train is the
	// seed sample) and its control totals (a targets file).
	Real, Controls string
}

// DataExt is the file extension of a run's stored tables: the prepared
// training and holdout tables under DIR/data and each cell's synthetic
// table.
const DataExt = ".parquet"

// oldDataExt is the extension of the prepared tables of runs written
// before they were Parquet (gob-encoded Go values).
const oldDataExt = ".gob"

// ErrOldFormat is returned (wrapped) for a run directory written by an
// older synthor whose data files this one does not read.
var ErrOldFormat = errors.New("run directory of an older format")

func encodeTable(t *table.Table) ([]byte, error) {
	var b bytes.Buffer
	if err := table.WriteParquet(&b, t); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// LoadTable reads a table written by Prepare (or a cell's synthetic
// table): Parquet with its stored schema, so that the table read equals
// the one written, group key included.
func LoadTable(path string) (*table.Table, error) {
	if strings.HasSuffix(path, oldDataExt) {
		return nil, fmt.Errorf("%s: %w: its prepared data are gob files, which this version no longer reads; run the config again into a new directory (synthor report still renders the old one)", path, ErrOldFormat)
	}
	return table.ReadFile(path, table.ReadOptions{})
}

// checkDataFormat refuses a run directory whose data/ holds the gob files
// of an older version: its cells could not be resumed against them.
func checkDataFormat(dir string) error {
	old, _ := filepath.Glob(filepath.Join(dir, "data", "*"+oldDataExt))
	if len(old) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w: it was written by an older synthor (prepared data %s), which --resume cannot continue; run the config into a new --out directory (synthor report still renders this one from its results)",
		dir, ErrOldFormat, filepath.Join("data", filepath.Base(old[0])))
}

// readDataset reads the dataset d names, cut to d.Rows.
func (c *Config) readDataset(d DatasetConfig) (*table.Table, string, error) {
	if d.File != "" {
		var schema *table.Schema
		if d.Schema != "" {
			s, err := table.LoadSchema(c.path(d.Schema))
			if err != nil {
				return nil, "", err
			}
			schema = s
		}
		t, err := table.ReadFile(c.path(d.File), c.readOptions(schema))
		if err != nil {
			return nil, "", err
		}
		return headRecords(t, int(d.Rows)), d.Target, nil
	}
	ds, err := datasets.Lookup(d.Name)
	if err != nil {
		return nil, "", err
	}
	target := d.Target
	if target == "" {
		target = datasets.DefaultTarget(ds)
	}
	if ds.Load != nil {
		t, err := ds.Load(d.Split)
		if err != nil {
			return nil, "", err
		}
		return headRecords(t, int(d.Rows)), target, nil
	}
	n := int(d.Rows)
	if n == 0 {
		n = ds.DefaultRows
	}
	t, err := ds.Generate(n, d.seed())
	return t, target, err
}

// headRecords returns the first n records (groups) of t; all for n = 0.
func headRecords(t *table.Table, n int) *table.Table {
	if n <= 0 {
		return t
	}
	groups, err := t.Groups()
	if err != nil || n >= len(groups) {
		return t
	}
	return t.Head(groups[n-1][1])
}

// split holds out a share of t's records (whole groups), drawn with seed.
func split(t *table.Table, share float64, seed uint64) (train, holdout *table.Table, err error) {
	if share <= 0 {
		return t, nil, nil
	}
	groups, err := t.Groups()
	if err != nil {
		return nil, nil, err
	}
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(len(groups))
	k := int(float64(len(groups)) * share)
	take := func(gs []int) *table.Table {
		var rows []int
		gs = slices.Clone(gs)
		slices.Sort(gs)
		for _, g := range gs {
			for r := groups[g][0]; r < groups[g][1]; r++ {
				rows = append(rows, r)
			}
		}
		return t.Take(rows)
	}
	return take(perm[k:]), take(perm[:k]), nil
}

// Prepare reads, cuts and splits each dataset of the config once and
// writes it under dir/data/ as Parquet (NN-NAME.train.parquet and
// NN-NAME.holdout.parquet). A directory holding an older version's gob
// files is refused (ErrOldFormat).
func (c *Config) Prepare(dir string) ([]Prepared, error) {
	if err := checkDataFormat(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	out := make([]Prepared, len(c.Datasets))
	for i, d := range c.Datasets {
		t, target, err := c.readDataset(d)
		if err != nil {
			return nil, fmt.Errorf("datasets[%d] %s: %w", i, d.Name, err)
		}
		if derived, _ := datasets.Derive(t, target); target != "" && derived.Col(target) == nil {
			return nil, fmt.Errorf("datasets[%d].target: %q is not a column of %s", i, target, d.Name)
		}
		full, controls, rows := (*table.Table)(nil), []byte(nil), 0
		if d.Sample > 0 {
			if full, t, controls, rows, err = prepareSample(t, d); err != nil {
				return nil, fmt.Errorf("datasets[%d] %s: %w", i, d.Name, err)
			}
		}
		train, hold, err := split(t, d.Holdout, d.seed())
		if err != nil {
			return nil, fmt.Errorf("datasets[%d] %s: %w", i, d.Name, err)
		}
		h := sha256.New()
		p := Prepared{Name: d.Name, Target: target, GroupKey: train.GroupKey}
		if controls != nil {
			h.Write(controls)
			p.Controls = filepath.Join("data", fmt.Sprintf("%02d-%s.controls.json", i, safeName(d.Name)))
			if err := writeBytes(filepath.Join(dir, p.Controls), controls); err != nil {
				return nil, err
			}
		}
		for _, part := range []struct {
			t    *table.Table
			name string
			dst  *string
		}{{train, "train", &p.Train}, {hold, "holdout", &p.Holdout}, {full, "full", &p.Real}} {
			if part.t == nil {
				continue
			}
			b, err := encodeTable(part.t)
			if err != nil {
				return nil, err
			}
			h.Write(b)
			rel := filepath.Join("data", fmt.Sprintf("%02d-%s.%s%s", i, safeName(d.Name), part.name, DataExt))
			err = table.WriteAtomic(filepath.Join(dir, rel), func(w io.Writer) error {
				_, err := w.Write(b)
				return err
			})
			if err != nil {
				return nil, err
			}
			*part.dst = rel
		}
		p.Hash = hex.EncodeToString(h.Sum(nil))
		g, err := train.Groups()
		if err != nil {
			return nil, err
		}
		p.Rows = len(g)
		if rows > 0 {
			p.Rows = rows
		}
		out[i] = p
	}
	return out, nil
}

// safeName keeps letters, digits, '-' and '_' of s.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}
