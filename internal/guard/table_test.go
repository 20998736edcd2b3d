package guard

import (
	"strings"
	"testing"

	"github.com/synthor/synthor/table"
)

func read(t *testing.T, csv string) *table.Table {
	t.Helper()
	tb, err := table.ReadCSV(strings.NewReader(csv), table.ReadOptions{Name: "x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestCheckTable(t *testing.T) {
	cases := []struct {
		name, path, csv, want string
	}{
		{"comma", "a.csv", "a,b\n1,2\n", ""},
		{"semicolon", "a.csv", "a;b\n1;2\n", "looks delimited by ';'"},
		{"tab", "a.csv.gz", "a\tb\n1\t2\n", "looks delimited by tab"},
		{"bar", "a.csv", "a|b\n1|2\n", "looks delimited by '|'"},
		{"one plain column", "a.csv", "a\n1\n", ""},
		{"semicolon in a jsonl key", "a.jsonl", "a;b\n1\n", ""},
		{"header only", "a.csv", "a,b\n", "a.csv: no rows (a header only)"},
		{"header only, semicolon", "a.csv", "a;b\n", "looks delimited by ';'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckTable(c.path, read(t, c.csv))
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), c.path+": ") {
				t.Fatalf("error %v, want one naming %s and containing %q", err, c.path, c.want)
			}
		})
	}
}

func TestGroupKeyGuess(t *testing.T) {
	cases := []struct {
		name, csv, want string
	}{
		{"households", "household_id,person_id,age\n1,1,30\n1,2,32\n2,1,65\n3,1,70\n3,2,9\n", "household_id"},
		{"unique ids", "id,age\n1,30\n2,32\n3,40\n", ""},
		{"id run broken", "hid,age\n1,30\n1,32\n2,40\n1,5\n", ""},
		{"not an id column", "city,age\nParis,30\nParis,32\nLyon,40\n", ""},
		{"categorical id", "user_id,x\nu1,1\nu1,2\nu2,3\n", "user_id"},
		{"missing id", "hh_id,x\n1,1\n1,2\n,3\n", ""},
		{"camel case", "householdId,x\n1,1\n1,2\n2,3\n", "householdId"},
		{"paid is no id", "paid,x\nno,1\nno,2\nyes,3\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := GroupKeyGuess(read(t, c.csv)); got != c.want {
				t.Errorf("GroupKeyGuess = %q, want %q", got, c.want)
			}
		})
	}
	tb := read(t, "household_id,x\n1,1\n1,2\n")
	tb.GroupKey = "household_id"
	if got := GroupKeyGuess(tb); got != "" {
		t.Errorf("a table with a group key: %q", got)
	}
}
