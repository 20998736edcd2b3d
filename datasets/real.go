package datasets

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/synthor/synthor/table"
	"github.com/synthor/synthor/table/arff"
	"github.com/synthor/synthor/table/rdata"
)

// FetchedSplits are the splits of a fetched dataset: the whole table. A
// train / holdout split is drawn from it by seed with Split.
var FetchedSplits = []string{"all"}

// fetchedDataset completes a catalog entry of fetched data: its Load reads
// the cache, and Splits is FetchedSplits.
func fetchedDataset(d *Dataset) *Dataset {
	d.Splits = slices.Clone(FetchedSplits)
	d.Load = func(split string) (*table.Table, error) { return loadFetched(d, split) }
	return d
}

// loadFetched reads a fetched dataset's stored tables, joins them if the
// source says so, and applies the catalog's field metadata.
func loadFetched(d *Dataset, split string) (*table.Table, error) {
	if split != "" && !slices.Contains(FetchedSplits, split) {
		return nil, fmt.Errorf("%s: %w %q (valid: %s)", d.Name, ErrUnknownSplit, split, strings.Join(FetchedSplits, ", "))
	}
	if !d.Fetched() {
		return nil, fmt.Errorf("%s: %w: run synthor datasets fetch %s", d.Name, ErrNotFetched, d.Name)
	}
	dir, err := d.Dir()
	if err != nil {
		return nil, err
	}
	files := d.Source.files()
	outs := make(map[string]*table.Table, len(files))
	for _, f := range files {
		s, err := table.LoadSchema(filepath.Join(dir, schemaFile(f)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		t, err := table.ReadFile(filepath.Join(dir, f), table.ReadOptions{Schema: s, NullValues: []string{""}})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		outs[f] = t
	}
	t := outs[dataFile]
	if d.Source.join != nil {
		if t, err = d.Source.join(outs); err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
	}
	if err := finish(t, d); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	return t, nil
}

// files lists the stored tables of a source: data.csv, and more for a
// source that joins.
func (s *Source) files() []string {
	if s.join != nil {
		return []string{dataFile, airportsFile}
	}
	return []string{dataFile}
}

// finish checks that t has the catalog's columns in order with their
// kinds, then sets each field's description and group flag, the observed
// range of numeric columns and the categories of categorical ones, and the
// group key.
func finish(t *table.Table, d *Dataset) error {
	if got, want := t.Names(), fieldNames(d.Fields); !slices.Equal(got, want) {
		return fmt.Errorf("columns %s, catalog lists %s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
	for i, c := range t.Cols {
		f := d.Fields[i]
		if f.Kind != 0 && c.Kind != f.Kind {
			return fmt.Errorf("column %q is %s, catalog says %s", c.Name, c.Kind, f.Kind)
		}
		c.Description, c.Group = f.Description, f.Group
		switch {
		case c.Kind == table.Categorical && len(c.Categories) == 0:
			c.Categories = slices.Clone(c.Dict)
		case c.Kind.Numeric() && c.Min == nil:
			lo, hi, ok := observedRange(c)
			if ok {
				c.Min, c.Max = ptr(lo), ptr(hi)
			}
		}
	}
	t.GroupKey = d.GroupKey
	if d.GroupKey != "" {
		if _, err := t.Groups(); err != nil {
			return err
		}
	}
	return nil
}

// observedRange returns the least and greatest present value.
func observedRange(c *table.Column) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	n := c.Len()
	for i := range n {
		if c.IsNull(i) {
			continue
		}
		var v float64
		if c.Kind == table.Float {
			v = c.Floats[i]
		} else {
			v = float64(c.Ints[i])
		}
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi, lo <= hi
}

func fieldNames(fs []table.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// schemaYAML renders a schema for the cache.
func schemaYAML(s *table.Schema) ([]byte, error) {
	b, err := yaml.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return b, nil
}

// fromRData converts the data frame saved as object in an R data member.
func fromRData(d *Dataset, member, object string) func(map[string]string) ([]output, error) {
	return func(files map[string]string) ([]output, error) {
		t, err := rdata.ReadFrame(files[member], object)
		if err != nil {
			return nil, err
		}
		if err := finish(t, d); err != nil {
			return nil, fmt.Errorf("%s: %w", member, err)
		}
		return []output{{dataFile, t}}, nil
	}
}

// fromARFF converts an ARFF member.
func fromARFF(d *Dataset, member string) func(map[string]string) ([]output, error) {
	return func(files map[string]string) ([]output, error) {
		t, err := arff.ReadFile(files[member])
		if err != nil {
			return nil, err
		}
		if err := finish(t, d); err != nil {
			return nil, fmt.Errorf("%s: %w", member, err)
		}
		return []output{{dataFile, t}}, nil
	}
}

// fromCSV converts a CSV member, with the catalog's kinds fixed.
func fromCSV(d *Dataset, member string) func(map[string]string) ([]output, error) {
	return func(files map[string]string) ([]output, error) {
		s := &table.Schema{}
		for _, f := range d.Fields {
			if f.Kind != 0 {
				s.Fields = append(s.Fields, table.Field{Name: f.Name, Kind: f.Kind})
			}
		}
		t, err := table.ReadFile(files[member], table.ReadOptions{Schema: s, NullValues: []string{""}})
		if err != nil {
			return nil, err
		}
		if err := finish(t, d); err != nil {
			return nil, fmt.Errorf("%s: %w", member, err)
		}
		return []output{{dataFile, t}}, nil
	}
}
