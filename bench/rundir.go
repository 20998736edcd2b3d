package bench

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/synthor/synthor/internal/guard"
)

// ErrRunDir matches (errors.Is) the errors of a run directory that a run
// must not write into: one that holds files no run wrote, or a run of
// another config. They are usage errors: another --out fixes them.
var ErrRunDir = errors.New("run directory refused")

type runDirError struct{ msg string }

func (e runDirError) Error() string        { return e.msg }
func (e runDirError) Is(target error) bool { return target == ErrRunDir }

func runDirErrorf(format string, a ...any) error { return runDirError{fmt.Sprintf(format, a...)} }

// runFile matches the names a run writes at the top of its directory
// (and the temporary files of their atomic writes).
var runFile = regexp.MustCompile(`^\.?(cells|data|report\.md|report\.html|results(\.shard-\d+-of-\d+)?\.jsonl|manifest(\.shard-\d+-of-\d+)?\.json)(\.tmp\d*)?$`)

// ExperimentHash is the hex SHA-256 of the config without its limits and
// output directory: what the results depend on. A run directory holds the
// results of one experiment: the runner refuses to add cells of another
// (see checkRunDir), while --set limits.workers=8 or a longer timeout on
// --resume is the same experiment.
func ExperimentHash(c *Config) string {
	cp := *c
	cp.Limits, cp.Output = Limits{}, ""
	b, _ := json.Marshal(&cp)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// checkRunDir refuses a run directory that the run would spoil, before
// anything is written: a file in place of the directory; a directory
// without a run's manifest that holds files (a user's report.md or notes,
// which the run's report.md or manifest.json would replace; merged
// results); a run of another config
// (ExperimentHash of its manifests), whose results the run would mix with
// its own, resumed or not; and inputs (the config, a dataset or schema
// file, a backend) that are files the run writes or lie under its data/ or
// cells/ folders.
func checkRunDir(dir string, c *Config, o RunOptions) error {
	st, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return runDirErrorf("--out %s is a file; name a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// Without a manifest only what a run makes before its manifest may be
	// there (cells/, data/ and temporary files): a report.md or
	// results.jsonl is someone else's.
	var foreign, manifests []string
	for _, e := range entries {
		switch name := e.Name(); {
		case strings.HasPrefix(name, ".synthor-probe-"), strings.Contains(name, ".tmp") && runFile.MatchString(name):
		case (name == "cells" || name == "data") && e.IsDir():
		case strings.HasPrefix(name, "manifest") && runFile.MatchString(name):
			manifests = append(manifests, name)
		default:
			foreign = append(foreign, name)
		}
	}
	if len(manifests) == 0 && len(foreign) > 0 {
		return runDirErrorf("%s holds files no run wrote (%s): choose a new or empty --out directory", dir, listNames(foreign))
	}
	want := ExperimentHash(c)
	for _, name := range manifests {
		got, runName, err := manifestHash(filepath.Join(dir, name))
		if err != nil {
			return runDirErrorf("%s: %v: not a run's manifest; choose another --out directory", filepath.Join(dir, name), err)
		}
		if got != want {
			return runDirErrorf("%s holds a run of another config (%s, experiment %.12s; this config: %.12s): its results would mix with this run's; choose another --out directory",
				dir, runName, got, want)
		}
	}
	return checkRunInputs(dir, c, o)
}

// manifestHash reads a manifest's experiment hash (computed from its
// config when an older runner did not record it) and its run's name.
func manifestHash(path string) (hash, name string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	var m struct {
		Config         *Config `json:"config"`
		ExperimentHash string  `json:"experiment_hash"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return "", "", errors.New("not JSON")
	}
	if m.Config == nil {
		return "", "", errors.New("no config")
	}
	if m.ExperimentHash == "" {
		m.ExperimentHash = ExperimentHash(m.Config)
	}
	return m.ExperimentHash, "name " + m.Config.Name, nil
}

// checkRunInputs refuses inputs of the run that it would overwrite: the
// files it writes at the top of dir (guard.CheckPaths, by device and
// inode) and anything under dir/data and dir/cells.
func checkRunInputs(dir string, c *Config, o RunOptions) error {
	var ins []guard.Path
	for _, f := range o.Inputs {
		ins = append(ins, guard.Path{Flag: "config", Name: f})
	}
	for i, d := range c.Datasets {
		ins = append(ins, guard.Path{Flag: fmt.Sprintf("datasets[%d].file", i), Name: c.path(d.File)},
			guard.Path{Flag: fmt.Sprintf("datasets[%d].schema", i), Name: c.path(d.Schema)})
	}
	for i, m := range c.Methods {
		if m.Backend != "" {
			ins = append(ins, guard.Path{Flag: fmt.Sprintf("methods[%d].backend", i), Name: c.BackendFile(m)})
		}
	}
	results, manifest := ResultsFile, "manifest.json"
	if o.Shard.N > 0 {
		results = ResultsFileShard(o.Shard.I, o.Shard.N)
		manifest = fmt.Sprintf("manifest.shard-%d-of-%d.json", o.Shard.I, o.Shard.N)
	}
	var outs []guard.Path
	for _, f := range []string{results, manifest, "report.md", "report.html"} {
		outs = append(outs, guard.Path{Flag: "run output", Name: filepath.Join(dir, f)})
	}
	if err := guard.CheckPaths(ins, outs); err != nil {
		return runDirError{err.Error()}
	}
	for _, sub := range []string{"data", "cells"} {
		root, err := filepath.EvalSymlinks(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		for _, in := range ins {
			p, err := filepath.EvalSymlinks(in.Name)
			if in.Name == "" || err != nil {
				continue
			}
			if rel, err := filepath.Rel(root, p); err == nil && filepath.IsLocal(rel) {
				return runDirErrorf("%s %s lies in %s, which the run rewrites; move it out of the run directory", in.Flag, in.Name, filepath.Join(dir, sub))
			}
		}
	}
	return nil
}

// listNames lists up to 5 names, then how many more.
func listNames(names []string) string {
	slices.Sort(names)
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:5], ", ") + fmt.Sprintf(" and %d more", len(names)-5)
}
