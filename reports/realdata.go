package reports

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/table"
)

// manifestDatasets is the part of a run's manifest.json that orders its
// datasets.
type manifestDatasets struct {
	Config struct {
		Datasets []struct {
			Name string `json:"name"`
		} `json:"datasets"`
	} `json:"config"`
}

// LoadPrepared fills run.Real, for each dataset of its results that it
// lacks, with the training table the cells were scored against: the file
// DIR/data/NN-NAME.train.* that the run wrote into its directory (NN the
// dataset's place among the datasets of DIR/manifest.json), read by
// table.ReadFile (Parquet, CSV, JSON lines) or, for the gob files of older
// runs, bench.LoadTable. A dataset whose file it cannot read gets a note
// in run.Notes; a run without a manifest or data is no error.
func (r *Run) LoadPrepared() {
	seen := map[string]bool{}
	for i, res := range r.Results {
		name := res.Dataset
		if seen[name] || r.Real[name] != nil || i >= len(r.Dirs) {
			continue
		}
		seen[name] = true
		path := preparedTrain(r.Dirs[i], name)
		if path == "" {
			continue
		}
		t, err := readPrepared(path)
		if err != nil {
			r.Notes = append(r.Notes, fmt.Sprintf("the training data of %s is unreadable, so its data plots are left out: %v", name, err))
			continue
		}
		if r.Real == nil {
			r.Real = map[string]*table.Table{}
		}
		r.Real[name] = t
	}
}

// preparedTrain is the training file of dataset name in run directory dir,
// "" when there is none.
func preparedTrain(dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		shards, _ := filepath.Glob(filepath.Join(dir, "manifest.shard-*.json"))
		if len(shards) == 0 {
			return ""
		}
		if b, err = os.ReadFile(shards[0]); err != nil {
			return ""
		}
	}
	var m manifestDatasets
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	for k, d := range m.Config.Datasets {
		if d.Name != name {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "data", fmt.Sprintf("%02d-*.train.*", k)))
		if len(files) > 0 {
			return files[0]
		}
	}
	return ""
}

// readPrepared reads a prepared table.
func readPrepared(path string) (*table.Table, error) {
	if strings.HasSuffix(path, ".gob") {
		return bench.LoadTable(path)
	}
	return table.ReadFile(path, table.ReadOptions{})
}
