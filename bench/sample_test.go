package bench

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/datasets"
	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/metrics"
)

const sampleConfig = `
datasets:
  - name: population
    rows: 1000
    sample: 0.2
    controls:
      groups: [num_persons, housing_tenure]
      members: [age, employment]
      composition: {member: age, cuts: [18]}
methods:
  - ipu
  - {name: ipu, label: seed, params: {iterations: 0}}
  - {name: llmsynthor, params: {iterations: 20}}
  - bootstrap
metrics: [controls, plausibility]
`

// TestSampleRun runs a seed-sample config: every cell is fitted to 200 of
// 1,000 households (ipu and llmsynthor with the controls, bootstrap to the
// seed alone), makes 1,000 households and is scored against the whole
// population's controls; ipu meets them far better than the seed itself.
func TestSampleRun(t *testing.T) {
	dir := t.TempDir()
	s := run(t, mustLoad(t, sampleConfig), RunOptions{Dir: dir})
	worst := map[string]float64{}
	all := map[string]map[any]float64{}
	for _, r := range s.Results {
		if r.Status != StatusOK {
			t.Fatalf("%s: %s %s", r.Method.Label, r.Status, r.Reason)
		}
		all[r.Method.Label] = map[any]float64{}
		for _, sc := range r.Metrics {
			if sc.Name == metrics.NameControlRMS {
				all[r.Method.Label][sc.Params["table"]] = sc.Value
			}
			if sc.Name == metrics.NameControlRMS && sc.Params["table"] == "worst" {
				worst[r.Method.Label] = sc.Value
			}
		}
	}
	if len(worst) != 4 || !(worst["ipu"] < worst["seed"]/3) {
		t.Fatalf("worst control %%RMSE by method: %v", all)
	}
	for label, want := range map[string]string{
		"ipu": "fitted to the seed sample and the controls", "llmsynthor": "fitted to the controls",
		"bootstrap": "fitted to the seed sample alone",
	} {
		for _, r := range s.Results {
			if r.Method.Label == label && !strings.Contains(r.Method.Description, want) {
				t.Errorf("%s: description %q lacks %q", label, r.Method.Description, want)
			}
		}
	}
	// The prepared seed is 10% of the households; the controls are the
	// whole population's.
	seed, err := LoadTable(filepath.Join(dir, "data", "00-population.train"+DataExt))
	if err != nil {
		t.Fatal(err)
	}
	tg, err := macro.LoadTargets(filepath.Join(dir, "data", "00-population.controls.json"))
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := seed.Groups(); len(g) != 200 || tg.Size != 1000 || tg.Grouping.Composition == nil {
		t.Fatalf("seed of %d households, controls of %v", len(g), tg.Size)
	}
	if s.Results[0].Rows != 1000 {
		t.Fatalf("rows %d, want the population's 1,000 households", s.Results[0].Rows)
	}
}

func TestSampleConfigErrors(t *testing.T) {
	ds := "datasets:\n  - {name: population, rows: 100, %s}\n"
	for _, c := range []struct{ name, body, want string }{
		{"share above 1", "sample: 1.5, controls: {groups: [num_persons], members: [age]}", "datasets[0].sample: the share of households in the seed sample, in (0, 1)"},
		{"controls without sample", "controls: {groups: [num_persons], members: [age]}", "datasets[0].sample"},
		{"no members", "sample: 0.1, controls: {groups: [num_persons]}", "datasets[0].controls: name the household-level (groups) and person-level (members)"},
		{"with holdout", "sample: 0.1, holdout: 0.2, controls: {groups: [num_persons], members: [age]}", "datasets[0].holdout: a seed-sample run is scored against the whole dataset"},
		{"unknown controls key", "sample: 0.1, controls: {groups: [num_persons], members: [age], joint: [[a, b]]}", "datasets[0].controls.joint: unknown key"},
		{"bad bins", "sample: 0.1, controls: {groups: [num_persons], members: [age], bins: 1}", "datasets[0].controls.bins"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, strings.Replace(ds, "%s", c.body, 1)), nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %v, want one line containing %q", err, c.want)
			}
		})
	}
	// A control naming no column fails at prepare time, naming it.
	c := mustLoad(t, "datasets:\n  - {name: population, rows: 50, sample: 0.2, controls: {groups: [num_persons], members: [agee]}}\nmethods: [ipu]\n")
	if _, err := c.Prepare(t.TempDir()); err == nil || !strings.Contains(err.Error(), `datasets[0] population: controls: members: "agee" is not a column`) {
		t.Fatalf("prepare: %v", err)
	}
	flat := mustLoad(t, "datasets:\n  - {name: ecommerce-bn, rows: 50, sample: 0.2, controls: {groups: [user_gender], members: [price]}}\nmethods: [ipu]\n")
	if _, err := flat.Prepare(t.TempDir()); err == nil || !strings.Contains(err.Error(), "the dataset is not grouped") {
		t.Fatalf("flat dataset: %v", err)
	}
}

// TestSeedSampleAndTargetedKeys checks the seed drawn for a sample run
// and the targeted keys of its controls.
func TestSeedSampleAndTargetedKeys(t *testing.T) {
	full := datasets.Population(200, 3)
	tg, err := macro.ControlsFromTable(full, macro.ControlSpec{Groups: []string{"num_persons", "householder_type"}, Members: []string{"age"}})
	if err != nil {
		t.Fatal(err)
	}
	seed, err := seedSample(full, 0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := seed.Groups(); len(g) != 50 {
		t.Fatalf("seed of %d households, want 50", len(g))
	}
	keys := metrics.TargetKeys(tg)
	if !keys["num_persons"] || !keys["age"] || len(keys) != 3 {
		t.Fatalf("targeted keys %v", keys)
	}
}
