package reports

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// testRun is the fixture run of testdata/gen.sh.
const testRun = "testdata/run"

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update)", err)
	}
	if !bytes.Equal(got, want) {
		_ = os.WriteFile(path+".got", got, 0o644)
		t.Errorf("output differs from %s (see %s.got)", path, path)
	}
}

func TestGoldenFormats(t *testing.T) {
	run, err := Open(testRun)
	if err != nil {
		t.Fatal(err)
	}
	m := Build(run.Results)
	for _, f := range []string{"table", "markdown", "csv", "json"} {
		t.Run(f, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, f, run, m); err != nil {
				t.Fatal(err)
			}
			golden(t, "report."+f, buf.Bytes())
		})
	}
	t.Run("wide", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteTableWidth(&buf, m, 0); err != nil {
			t.Fatal(err)
		}
		golden(t, "report.wide", buf.Bytes())
	})
}

// fixtureBNPriceW is printed by testdata/check.sh (jq).
var fixtureBNPriceW = [2]float64{24.59490482036803, 9.52445180396363}

// TestFixtureNumbers checks figures of the model against values computed
// from results.jsonl by jq (testdata/check.sh prints them).
func TestFixtureNumbers(t *testing.T) {
	m := Build(mustLoad(t, testRun))
	d := m.Dataset("ecommerce-bn")
	c, _, ok := d.cell("bayes-net", scoreKey("fidelity", "wasserstein", []string{"price"}, ""))
	if !ok || c.N != 3 || !near(c.Mean, fixtureBNPriceW[0], 1e-9) || !near(c.SD, fixtureBNPriceW[1], 1e-9) {
		t.Fatalf("bayes-net price W %+v, want %v", c, fixtureBNPriceW)
	}
}

func near(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }

func mustLoad(t *testing.T, dirs ...string) []bench.Result {
	t.Helper()
	rs, err := Load(dirs...)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestHeadersShownAsGiven(t *testing.T) {
	runs := [][]metrics.Score{
		{score("tvd", 0.011, metrics.Lower, "x")},
		{score("tvd", 2.88416e-05, metrics.Lower, "x")},
		{score("tvd", 0.5, metrics.Lower, "x")},
	}
	var buf bytes.Buffer
	if err := WriteComparison(&buf, "table", []string{"out/a/s.csv", "out/b/s.csv", "bayes-net.csv"}, runs); err != nil {
		t.Fatal(err)
	}
	// One score: a row per file, labelled as given, each value with 3
	// significant digits: 0.0110, 2.88e-5 (best), 0.500.
	for _, want := range []string{"│ a/s       │ 0.0110", "│ b/s       │ 2.88e-5 *", "│ bayes-net │ 0.500 "} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("comparison lacks %q:\n%s", want, buf.String())
		}
	}
}

// failWriter fails every write.
type failWriter struct{}

var errWrite = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteErrorsReturned(t *testing.T) {
	run, err := Open(testRun)
	if err != nil {
		t.Fatal(err)
	}
	m := Build(run.Results)
	for _, f := range Formats {
		if err := Write(failWriter{}, f, run, m); !errors.Is(err, errWrite) {
			t.Errorf("%s: error %v, want the write error", f, err)
		}
	}
	scores := run.Results[0].Metrics
	for _, f := range ScoreFormats {
		if err := WriteScores(failWriter{}, f, scores); !errors.Is(err, errWrite) {
			t.Errorf("scores %s: error %v", f, err)
		}
		if err := WriteComparison(failWriter{}, f, []string{"a", "b"}, [][]metrics.Score{scores, scores}); !errors.Is(err, errWrite) {
			t.Errorf("comparison %s: error %v", f, err)
		}
	}
	if err := WriteRegressions(failWriter{}, true, nil, DefaultTolerance); !errors.Is(err, errWrite) {
		t.Errorf("regressions: %v", err)
	}
}
