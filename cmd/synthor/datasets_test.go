package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/synthor/synthor/internal/need"
)

// The -update flag rewrites golden files; another test file of this package
// may define it too.
// dsGolden compares got with testdata/datasets/NAME, rewriting it under
// -update; a mismatch is written to NAME.got beside it.
func dsGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "datasets", name)
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/synthor -run Datasets -update)", err)
	}
	if got != string(want) {
		_ = os.WriteFile(path+".got", []byte(got), 0o644)
		t.Errorf("output differs from %s (see %s.got):\n%s", path, path, got)
	}
}

func TestDatasetsList(t *testing.T) {
	t.Setenv("SYNTHOR_CACHE", t.TempDir()) // nothing fetched
	out, errText, code, err := runCLI(t, "datasets", "list")
	if err != nil || code != 0 || errText != "" {
		t.Fatalf("exit %d, err %v, stderr %q", code, err, errText)
	}
	for _, want := range []string{"adult", "ecommerce-bn", "mobility", "population", "32561", "2000 groups", "30000"} {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q", want)
		}
	}
	dsGolden(t, "list.golden", out)
}

func TestDatasetsShow(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
		want   []string
	}{
		{"show_ecommerce.golden", []string{"ecommerce-bn"},
			[]string{"user_age", "float", "[18, 90]", "Food & Beverages", "seed 1, 2000 rows"}},
		{"show_population.golden", []string{"population", "--rows", "300", "--seed", "2"},
			[]string{"group key:   household_id", "integer (group)", "300 groups", "seed 2"}},
		{"show_mobility.golden", []string{"mobility"},
			[]string{"r0c0", "(100 categories)", "30000 rows"}},
		{"show_adult_test.golden", []string{"adult", "--split", "test"},
			[]string{"CC BY 4.0", "target:      income", "splits:      train, test (default train)", "split test, 16281 rows", "<=50K"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			out, errText, code, err := runCLI(t, append([]string{"datasets", "show"}, tt.args...)...)
			if err != nil || code != 0 || errText != "" {
				t.Fatalf("exit %d, err %v, stderr %q", code, err, errText)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("show output lacks %q", w)
				}
			}
			dsGolden(t, tt.golden, out)
		})
	}
}

// ecommerceHeader is the header line of an exported ecommerce-bn CSV.
const ecommerceHeader = "user_age,user_gender,user_location_tier,product_category,price,payment_method"

func TestDatasetsExportCSV(t *testing.T) {
	dir := t.TempDir()
	export := func(name string, extra ...string) []byte {
		t.Helper()
		path := filepath.Join(dir, name)
		args := append([]string{"datasets", "export", "ecommerce-bn", "--rows", "20000", "--out", path}, extra...)
		_, errText, code, err := runCLI(t, args...)
		if err != nil || code != 0 {
			t.Fatalf("exit %d, err %v", code, err)
		}
		if want := "wrote 20000 rows of ecommerce-bn to " + path + "\n"; errText != want {
			t.Errorf("stderr %q, want %q", errText, want)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := export("a.csv", "--seed", "1")
	lines := strings.Split(strings.TrimSuffix(string(a), "\n"), "\n")
	if len(lines) != 20001 {
		t.Fatalf("%d lines, want a header and 20000 rows", len(lines))
	}
	if lines[0] != ecommerceHeader {
		t.Errorf("header %q, want %q", lines[0], ecommerceHeader)
	}
	for i, l := range lines[1:] {
		if n := strings.Count(l, ","); n != 5 {
			t.Fatalf("row %d has %d commas: %q", i+1, n, l)
		}
	}
	if b := export("b.csv", "--seed", "1"); !bytes.Equal(a, b) {
		t.Error("the same seed gave different files")
	}
	if c := export("c.csv", "--seed", "2"); bytes.Equal(a, c) {
		t.Error("seeds 1 and 2 gave the same file")
	}
	if d := export("d.csv"); !bytes.Equal(a, d) {
		t.Error("the default seed is not 1")
	}
}

func TestDatasetsExportJSONL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "households.jsonl")
	_, errText, code, err := runCLI(t, "datasets", "export", "population", "--rows", "50", "--seed", "3", "--out", path)
	if err != nil {
		t.Fatalf("exit %d, err %v", code, err)
	}
	if !strings.Contains(errText, "(50 household_id groups) of population to "+path) {
		t.Errorf("stderr %q does not count the 50 households", errText)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	households := map[float64]bool{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if len(rec) != 11 {
			t.Fatalf("line %d has %d fields, want 11: %s", n+1, len(rec), sc.Text())
		}
		id, ok := rec["household_id"].(float64)
		if !ok {
			t.Fatalf("line %d: household_id %v is not a number", n+1, rec["household_id"])
		}
		households[id] = true
		n++
	}
	if len(households) != 50 || n < 100 {
		t.Errorf("%d households in %d lines, want 50 households of 2-5 persons", len(households), n)
	}
}

func TestDatasetsExportAdult(t *testing.T) {
	dir := t.TempDir()
	sums := map[string]string{
		"train": "f2c62076f19504d99a38b22badf445a7f42530ade6b827acf78dd143fbce38bb",
		"test":  "f6b1801c5d231515ea5ff04d4444997bacd57e04876e94710cb9b9bd5549c033",
	}
	for _, split := range []string{"train", "test"} {
		t.Run(split, func(t *testing.T) {
			path := filepath.Join(dir, split+".csv")
			args := []string{"datasets", "export", "adult", "--out", path}
			if split == "test" {
				args = append(args, "--split", "test")
			}
			if _, _, code, err := runCLI(t, args...); err != nil {
				t.Fatalf("exit %d, err %v", code, err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(got)
			if h := hex.EncodeToString(sum[:]); h != sums[split] {
				t.Errorf("SHA-256 %s, want %s (the shared file's)", h, sums[split])
			}
			shared, err := os.ReadFile("../../../shared/data/adult/adult_" + split + ".csv")
			if err != nil {
				need.Skip(t, "shared", "the project's shared Adult file is not beside the checkout (%v): checked against its SHA-256 only", err)
			}
			if !bytes.Equal(got, shared) {
				t.Error("export differs from the shared file")
			}
		})
	}
	t.Run("first rows", func(t *testing.T) {
		path := filepath.Join(dir, "head.csv")
		if _, _, code, err := runCLI(t, "datasets", "export", "adult", "--split", "test", "--rows", "100", "--out", path); err != nil {
			t.Fatalf("exit %d, err %v", code, err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		full, err := os.ReadFile(filepath.Join(dir, "test.csv"))
		if err != nil {
			t.Skip("full test split not exported")
		}
		if strings.Count(string(got), "\n") != 101 || !bytes.HasPrefix(full, got) {
			t.Errorf("--rows 100 is not the header and first 100 rows of the split")
		}
	})
}

func TestDatasetsErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "plain-file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	existingDir := filepath.Join(dir, "a-directory")
	if err := os.Mkdir(existingDir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.csv")
	tests := []struct {
		name string
		args []string
		code int
		want string // substring of the error
	}{
		{"unknown dataset", []string{"export", "ecommerce", "--out", out}, 2,
			`unknown dataset "ecommerce" (valid: adult, cps1988, credit-g, ecommerce-bn, eusilc, flights, income, mobility, population, superstore)`},
		{"unknown dataset in show", []string{"show", "nope"}, 2, "valid: adult, cps1988, credit-g, ecommerce-bn, eusilc, flights, income"},
		{"negative rows", []string{"export", "ecommerce-bn", "--rows", "-5", "--out", out}, 2, `invalid argument "-5" for "--rows" flag: "-5" is not a whole number of records >= 0`},
		{"negative rows in show", []string{"show", "population", "--rows", "-1"}, 2, `"-1" is not a whole number of records`},
		{"fractional rows", []string{"export", "ecommerce-bn", "--rows", "10.5", "--out", out}, 2, `"10.5" is not a whole number of records`},
		{"fractional seed", []string{"export", "ecommerce-bn", "--seed", "1.5", "--out", out}, 2, `seed "1.5" is not a whole number >= 0`},
		{"rows too large", []string{"export", "mobility", "--rows", "99999999999", "--out", out}, 2, "above the limit of 10000000 records"},
		{"rows not a number", []string{"export", "ecommerce-bn", "--rows", "many", "--out", out}, 2, "invalid argument"},
		{"negative seed", []string{"export", "ecommerce-bn", "--seed", "-1", "--out", out}, 2, "invalid argument"},
		{"missing out", []string{"export", "ecommerce-bn"}, 2, `required flag(s) "out" not set`},
		{"missing name", []string{"export", "--out", out}, 2, "accepts 1 arg(s), received 0"},
		{"two names", []string{"show", "adult", "population"}, 2, "accepts 1 arg(s), received 2"},
		{"split of a generator", []string{"export", "mobility", "--split", "test", "--out", out}, 2, "mobility is generated and has no splits"},
		{"unknown split", []string{"export", "adult", "--split", "dev", "--out", out}, 2, `unknown split "dev" (valid: train, test)`},
		{"unknown subcommand", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unwritable out", []string{"export", "ecommerce-bn", "--out", filepath.Join(blocker, "x.csv")}, 1, "plain-file/x.csv"},
		{"out is a directory", []string{"export", "ecommerce-bn", "--out", existingDir}, 1, "a-directory"},
		{"unsupported extension", []string{"export", "ecommerce-bn", "--out", filepath.Join(dir, "x.xlsx")}, 1, "x.xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, code, err := runCLI(t, append([]string{"datasets"}, tt.args...)...)
			if err == nil {
				t.Fatalf("no error; stdout %q", stdout)
			}
			if code != tt.code {
				t.Errorf("exit status %d, want %d (err %v)", code, tt.code, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line containing %q", msg, tt.want)
			}
		})
	}
	// No file, temporary or final, is left behind by the failed exports.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n != "plain-file" && n != "a-directory" {
			t.Errorf("failed export left %s behind", n)
		}
	}
	if sub, _ := os.ReadDir(existingDir); len(sub) != 0 {
		t.Errorf("failed export wrote into the directory: %v", sub)
	}
}

func TestDatasetsHelp(t *testing.T) {
	for _, args := range [][]string{
		{"datasets", "--help"},
		{"datasets"},
		{"datasets", "list", "--help"},
		{"datasets", "show", "--help"},
		{"datasets", "export", "--help"},
		{"datasets", "fetch", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, _, code, err := runCLI(t, args...)
			if err != nil || code != 0 {
				t.Fatalf("exit %d, err %v", code, err)
			}
			if !strings.Contains(out, "Examples:") || !strings.Contains(out, "  synthor datasets ") {
				t.Errorf("help lacks an example:\n%s", out)
			}
		})
	}
}
