package metrics

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/synthor/synthor/table"
)

// membershipGolden mirrors testdata/membership_golden.json, written by
// testdata/membership_golden.py with numpy and scikit-learn 1.2.1.
type membershipGolden struct {
	Sklearn string
	Attack  struct {
		Members    int
		NonMembers int       `json:"non_members"`
		DSynth     []float64 `json:"d_synth"`
		DReference []float64 `json:"d_reference"`
		Scores     []float64
		AUC        float64
		FPR, TPR   []float64
	}
	ROC []struct {
		Name     string
		Scores   []float64
		Labels   []bool
		AUC      float64
		FPR, TPR []float64
	}
}

// readMembershipCSV reads testdata/membership/NAME.csv: x float ("" missing),
// k integer, c and d categorical ("" missing).
func readMembershipCSV(t *testing.T, name string) *table.Table {
	t.Helper()
	f, err := os.Open("testdata/membership/" + name + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:]
	x := make([]float64, len(recs))
	k := make([]int64, len(recs))
	c := make([]string, len(recs))
	d := make([]string, len(recs))
	for i, r := range recs {
		x[i] = math.NaN()
		if r[0] != "" {
			if x[i], err = strconv.ParseFloat(r[0], 64); err != nil {
				t.Fatal(err)
			}
		}
		if k[i], err = strconv.ParseInt(r[1], 10, 64); err != nil {
			t.Fatal(err)
		}
		c[i], d[i] = r[2], r[3]
	}
	return table.MustNew(table.NewFloat("x", x), table.NewInteger("k", k, nil), catMissing("c", c), cat("d", d...))
}

// catMissing is a categorical column with "" as a missing value.
func catMissing(name string, v []string) *table.Column {
	var dict []string
	idx := map[string]int32{}
	codes := make([]int32, len(v))
	for i, s := range v {
		if s == "" {
			codes[i] = table.Missing
			continue
		}
		c, ok := idx[s]
		if !ok {
			c = int32(len(dict))
			idx[s] = c
			dict = append(dict, s)
		}
		codes[i] = c
	}
	return table.NewCategorical(name, dict, codes)
}

func loadMembershipGolden(t *testing.T) membershipGolden {
	t.Helper()
	raw, err := os.ReadFile("testdata/membership_golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g membershipGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.ROC) == 0 || len(g.Attack.Scores) == 0 {
		t.Fatal("membership_golden.json has an empty section")
	}
	return g
}

// TestMembershipScoresGolden checks the attack's distances, scores, AUC
// and TPR against the independent numpy/scikit-learn implementation, with
// the candidates the script uses: every training row a member, the first
// 40 holdout rows non-members, the rest the reference.
func TestMembershipScoresGolden(t *testing.T) {
	g := loadMembershipGolden(t)
	train, hold, synth := readMembershipCSV(t, "train"), readMembershipCSV(t, "holdout"), readMembershipCSV(t, "synth")
	cols := encodeTables(nil, train, synth, hold)
	members := make([]int, train.NumRows())
	for i := range members {
		members[i] = i
	}
	var nonMembers, ref []int
	for i := range hold.NumRows() {
		if i < g.Attack.NonMembers {
			nonMembers = append(nonMembers, i)
		} else {
			ref = append(ref, i)
		}
	}
	if len(members) != g.Attack.Members {
		t.Fatalf("%d members, golden %d", len(members), g.Attack.Members)
	}
	s, err := membershipScores(context.Background(), cols, members, nonMembers, ref)
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]bool, len(s))
	for i := range s {
		labels[i] = i < len(members)
		// The score is log(d_R+ε) − log(d_S+ε) of the golden distances.
		want := math.Log(g.Attack.DReference[i]+1e-6) - math.Log(g.Attack.DSynth[i]+1e-6)
		near(t, "score from golden distances", g.Attack.Scores[i], want, 1e-12)
		near(t, "score", s[i], g.Attack.Scores[i], 1e-9)
	}
	auc, err := AUC(s, labels)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "attack AUC", auc, g.Attack.AUC, 1e-12)
	for k, a := range g.Attack.FPR {
		got, err := TPRAtFPR(s, labels, a)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "attack TPR at "+strconv.FormatFloat(a, 'g', -1, 64), got, g.Attack.TPR[k], 1e-12)
	}
}

func TestTPRAtFPRGolden(t *testing.T) {
	g := loadMembershipGolden(t)
	for _, c := range g.ROC {
		t.Run(c.Name, func(t *testing.T) {
			auc, err := AUC(c.Scores, c.Labels)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "AUC", auc, c.AUC, 1e-12)
			for k, a := range c.FPR {
				got, err := TPRAtFPR(c.Scores, c.Labels, a)
				if err != nil {
					t.Fatal(err)
				}
				near(t, "TPR at "+strconv.FormatFloat(a, 'g', -1, 64), got, c.TPR[k], 1e-12)
			}
		})
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := TPRAtFPR([]float64{1, 0}, []bool{true, false}, bad); err == nil {
			t.Errorf("fpr %g: no error", bad)
		}
	}
	if _, err := TPRAtFPR([]float64{1, 0}, []bool{true, true}, 0.1); err == nil {
		t.Error("one class: no error")
	}
}
