package bench

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Manifest describes a run: its config, versions and machine. The runner
// writes it to DIR/manifest.json (DIR/manifest.shard-I-of-N.json for a
// shard) when it starts and again when it ends.
type Manifest struct {
	Config *Config `json:"config"`
	// ExperimentHash is ExperimentHash(Config): a run directory holds the
	// cells of one experiment.
	ExperimentHash string   `json:"experiment_hash"`
	Versions       Versions `json:"versions"`
	Machine        Machine  `json:"machine"`
	Workers        int      `json:"workers"`
	Shard          string   `json:"shard,omitempty"`
	// Cells is the number of cells of the shard; Recorded those with a
	// result when the run ended.
	Cells    int    `json:"cells"`
	Recorded int    `json:"recorded"`
	Started  string `json:"started"`
	Finished string `json:"finished,omitempty"`

	file string
}

// Machine is where a run ran.
type Machine struct {
	OS          string `json:"os"`
	Arch        string `json:"arch"`
	Cores       int    `json:"cores"`
	MemoryBytes int64  `json:"memory_bytes,omitempty"`
	GoVersion   string `json:"go_version"`
}

func newManifest(c *Config, o RunOptions, cells int) *Manifest {
	m := &Manifest{Config: c, ExperimentHash: ExperimentHash(c), Workers: o.Workers, Shard: o.Shard.String(), Cells: cells,
		Started:  time.Now().UTC().Format(time.RFC3339),
		Versions: Versions{Module: o.Version, Metrics: MetricsVersion + ":" + strings.Join(c.Metrics, ",")},
		Machine:  Machine{OS: runtime.GOOS, Arch: runtime.GOARCH, Cores: runtime.NumCPU(), MemoryBytes: memTotal(), GoVersion: runtime.Version()},
		file:     "manifest.json"}
	if o.Shard.N > 0 {
		m.file = "manifest.shard-" + strconv.Itoa(o.Shard.I) + "-of-" + strconv.Itoa(o.Shard.N) + ".json"
	}
	return m
}

func (m *Manifest) write(dir string) error { return writeJSON(filepath.Join(dir, m.file), m) }

// memTotal reads MemTotal from /proc/meminfo (Linux); 0 elsewhere.
func memTotal() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}
