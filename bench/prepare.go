package bench

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/table"
)

// Prepared is a dataset read, cut and split once per run; cells load it
// from the columnar files Train and Holdout (gob-encoded tables) instead
// of reading and generating it again.
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
}

// frame is the stored form of a table.
type frame struct {
	Cols     []*table.Column
	GroupKey string
}

func encodeTable(t *table.Table) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(frame{Cols: t.Cols, GroupKey: t.GroupKey}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// LoadTable reads a table written by Prepare.
func LoadTable(path string) (*table.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var fr frame
	if err := gob.NewDecoder(f).Decode(&fr); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t, err := table.New(fr.Cols...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	t.GroupKey = fr.GroupKey
	return t, nil
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
		return headRecords(t, d.Rows), d.Target, nil
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
		return headRecords(t, d.Rows), target, nil
	}
	n := d.Rows
	if n == 0 {
		n = ds.DefaultRows
	}
	t, err := ds.Generate(n, d.Seed)
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
// writes its columnar copy under dir/data/.
func (c *Config) Prepare(dir string) ([]Prepared, error) {
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
		train, hold, err := split(t, d.Holdout, d.Seed)
		if err != nil {
			return nil, fmt.Errorf("datasets[%d] %s: %w", i, d.Name, err)
		}
		h := sha256.New()
		p := Prepared{Name: d.Name, Target: target, GroupKey: train.GroupKey}
		for _, part := range []struct {
			t    *table.Table
			name string
			dst  *string
		}{{train, "train", &p.Train}, {hold, "holdout", &p.Holdout}} {
			if part.t == nil {
				continue
			}
			b, err := encodeTable(part.t)
			if err != nil {
				return nil, err
			}
			h.Write(b)
			rel := filepath.Join("data", fmt.Sprintf("%02d-%s.%s.gob", i, safeName(d.Name), part.name))
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
