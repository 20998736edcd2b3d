package reports

import (
	"fmt"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/table"
)

// Run is a set of results and, for each, the directory its Files are
// relative to.
type Run struct {
	Results []bench.Result
	// Dirs[i] is the run directory of Results[i].
	Dirs []string
	// Real holds, by dataset name, the real table the cells were scored
	// against, where known: the HTML report then draws real against
	// synthetic marginals and heat maps of the targeted joints from the
	// cells' synthetic files.
	Real map[string]*table.Table
	// Notes are what the report could not show, and why.
	Notes []string
}

// Load reads and merges the results of run directories (or results files)
// through bench.ReadRuns: shards of one run, or several runs. A cell's ID
// appears once (the ok row over a failed one, else the last read), in
// matrix order.
func Load(paths ...string) ([]bench.Result, error) {
	r, err := Open(paths...)
	if err != nil {
		return nil, err
	}
	return r.Results, nil
}

// Open is Load keeping each result's directory.
func Open(paths ...string) (*Run, error) {
	rs, dirs, err := bench.ReadRuns(paths...)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	return &Run{Results: rs, Dirs: dirs}, nil
}
