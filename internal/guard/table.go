package guard

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/synthor/synthor/table"
)

// delimiters are the separators a one-column CSV header is searched for,
// with how messages name them.
var delimiters = []struct {
	sep  string
	name string
}{{";", "';'"}, {"\t", "tab"}, {"|", "'|'"}}

// CheckTable returns an error naming path when t, just read from it, has
// no rows (a header-only file) or, for a CSV file, when its only header
// column holds a semicolon, tab or bar: the file is delimited by that and
// not by commas.
func CheckTable(path string, t *table.Table) error {
	if t == nil {
		return nil
	}
	if t.NumCols() == 1 && isCSV(path) {
		h := t.Cols[0].Name
		for _, d := range delimiters {
			if strings.Contains(h, d.sep) {
				return fmt.Errorf("%s: the header has one column %q: the file looks delimited by %s, and synthor reads comma-separated CSV (convert it, e.g. tr '%s' ',')",
					path, h, d.name, strings.ReplaceAll(d.sep, "\t", `\t`))
			}
		}
	}
	if t.NumRows() == 0 {
		return fmt.Errorf("%s: no rows (a header only)", path)
	}
	return nil
}

func isCSV(path string) bool {
	p := strings.TrimSuffix(strings.ToLower(path), ".gz")
	return filepath.Ext(p) == ".csv"
}

// GroupKeyGuess returns the name of a column that makes t look like a
// grouped table read as flat rows: a table without a group key whose id
// column (see idName) has equal values only in contiguous runs, some of
// more than one row (a household's members). It returns "" when t has a
// group key or no such column.
func GroupKeyGuess(t *table.Table) string {
	if t == nil || t.GroupKey != "" || t.NumRows() < 2 {
		return ""
	}
	for _, c := range t.Cols {
		if c.Kind != table.Integer && c.Kind != table.Categorical && c.Kind != table.Text {
			continue
		}
		if !idName(c.Name) {
			continue
		}
		if contiguousRuns(c) {
			return c.Name
		}
	}
	return ""
}

// idName reports whether a column name reads as an identifier: "id", or
// ending in "_id", "-id", "Id" or "ID" ("household_id", "householdId"; not
// "paid").
func idName(name string) bool {
	n := strings.ToLower(name)
	return n == "id" || strings.HasSuffix(n, "_id") || strings.HasSuffix(n, "-id") ||
		strings.HasSuffix(name, "Id") || strings.HasSuffix(name, "ID")
}

// contiguousRuns reports whether c's equal values sit in contiguous runs
// only and at least one run is longer than one row.
func contiguousRuns(c *table.Column) bool {
	seen := map[string]bool{}
	long := false
	prev := ""
	for i := range c.Len() {
		if c.IsNull(i) {
			return false
		}
		v := c.String(i)
		if i > 0 && v == prev {
			long = true
			continue
		}
		if seen[v] {
			return false
		}
		seen[v] = true
		prev = v
	}
	return long
}
