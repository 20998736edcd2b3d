package datasets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/synthor/synthor/internal/need"
	"github.com/synthor/synthor/table"
)

// Figures from the shared data README (../shared/data/adult/README.md).
var adultFacts = []struct {
	split         string
	sha256        string
	rows          int
	low, high     int // label counts
	rowsWithQmark int
}{
	{"train", "f2c62076f19504d99a38b22badf445a7f42530ade6b827acf78dd143fbce38bb", 32561, 24720, 7841, 2399},
	{"test", "f6b1801c5d231515ea5ff04d4444997bacd57e04876e94710cb9b9bd5549c033", 16281, 12435, 3846, 1221},
}

func TestAdult(t *testing.T) {
	for _, f := range adultFacts {
		t.Run(f.split, func(t *testing.T) {
			raw, err := AdultCSV(f.split)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(raw)
			if got := hex.EncodeToString(sum[:]); got != f.sha256 {
				t.Errorf("embedded copy SHA-256 = %s, want %s", got, f.sha256)
			}
			tb, err := Adult(f.split)
			if err != nil {
				t.Fatal(err)
			}
			if tb.NumRows() != f.rows || tb.NumCols() != 15 {
				t.Fatalf("%d rows x %d columns, want %d x 15", tb.NumRows(), tb.NumCols(), f.rows)
			}
			var ints, cats []string
			for _, c := range tb.Cols {
				switch c.Kind {
				case table.Integer:
					ints = append(ints, c.Name)
				case table.Categorical:
					cats = append(cats, c.Name)
					if !slices.Equal(c.Dict[:len(c.Categories)], c.Categories) {
						t.Errorf("%s: dictionary %v does not start with the schema's categories", c.Name, c.Dict)
					}
				}
				if c.Description == "" {
					t.Errorf("%s: no description", c.Name)
				}
				if c.Nulls != nil {
					t.Errorf("%s: %d missing values, want none (? is a category)", c.Name, c.NullCount())
				}
			}
			wantInts := []string{"age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"}
			if !slices.Equal(ints, wantInts) {
				t.Errorf("integer columns %v, want %v", ints, wantInts)
			}
			if len(cats) != 9 {
				t.Errorf("categorical columns %v, want 9", cats)
			}
			inc := col(t, tb, "income")
			low, high := 0, 0
			for i := 0; i < tb.NumRows(); i++ {
				switch inc.String(i) {
				case "<=50K":
					low++
				case ">50K":
					high++
				}
			}
			if low != f.low || high != f.high {
				t.Errorf("income counts %d / %d, want %d / %d", low, high, f.low, f.high)
			}
			qrows := 0
			for i := 0; i < tb.NumRows(); i++ {
				if slices.ContainsFunc(tb.Cols, func(c *table.Column) bool { return c.String(i) == "?" }) {
					qrows++
				}
			}
			if qrows != f.rowsWithQmark {
				t.Errorf("%d rows hold a ?, want %d", qrows, f.rowsWithQmark)
			}
			var out bytes.Buffer
			if err := table.WriteCSV(&out, tb); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), raw) {
				t.Error("WriteCSV of the loaded table differs from the embedded file")
			}
			shared, err := os.ReadFile("../../shared/data/adult/adult_" + f.split + ".csv")
			if err != nil {
				need.Skip(t, "shared", "the project's shared Adult file is not beside the checkout (%v): compared with the embedded copy only", err)
			}
			if !bytes.Equal(out.Bytes(), shared) {
				t.Error("WriteCSV of the loaded table differs from the shared file")
			}
		})
	}
}

func TestAdultDefaultSplitAndErrors(t *testing.T) {
	def, err := Adult("")
	if err != nil {
		t.Fatal(err)
	}
	if def.NumRows() != 32561 {
		t.Errorf("default split has %d rows, want the train split's 32561", def.NumRows())
	}
	_, err = Adult("validation")
	if !errors.Is(err, ErrUnknownSplit) {
		t.Fatalf("err = %v, want ErrUnknownSplit", err)
	}
	if want := `adult: unknown split "validation" (valid: train, test)`; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}
