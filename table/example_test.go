package table_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/synthor/synthor/table"
)

func ExampleReadCSV() {
	in := "age,sex,income\n39,Male,<=50K\n50,Female,>50K\nNA,Female,<=50K\n"
	t, err := table.ReadCSV(strings.NewReader(in), table.ReadOptions{Name: "people.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range t.Cols {
		fmt.Println(c.Name, c.Kind, c.NullCount(), c.Dict)
	}
	// Output:
	// age integer 1 []
	// sex categorical 0 [Male Female]
	// income categorical 0 [<=50K >50K]
}

func ExampleReadCSV_schema() {
	s, err := table.ParseSchema([]byte(`
fields:
  - name: age
    kind: integer
    min: 0
    max: 120
    description: age in years
  - name: sex
    kind: categorical
    categories: [Female, Male]
`), "people.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	in := "age,sex\n39,Male\n250,Female\n"
	_, err = table.ReadCSV(strings.NewReader(in), table.ReadOptions{Schema: s, Name: "people.csv"})
	fmt.Println(err)
	// Output:
	// read people.csv: line 3, column "age": 250 is outside the schema's range [0, 120]
}

func ExampleWriteCSV() {
	t := table.MustNew(
		table.NewCategorical("city", []string{"Paris", "Rome, Italy"}, []int32{0, 1, table.Missing}),
		table.NewFloat("temp", []float64{21.5, 1e-7, 30}),
	)
	if err := table.WriteCSV(os.Stdout, t); err != nil {
		fmt.Println(err)
	}
	// Output:
	// city,temp
	// Paris,21.5
	// "Rome, Italy",1e-07
	// ,30
}

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "table-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	t := table.MustNew(
		table.NewInteger("hh", []int64{1, 1, 2}, nil),
		table.NewText("name", []string{"Ann", "Bo", "Cy"}, nil),
	)
	t.GroupKey = "hh"
	path := filepath.Join(dir, "persons.jsonl.gz")
	if err := table.WriteFile(path, t); err != nil {
		fmt.Println(err)
		return
	}
	back, err := table.ReadFile(path, table.ReadOptions{Schema: t.Schema()})
	if err != nil {
		fmt.Println(err)
		return
	}
	groups, _ := back.Groups()
	fmt.Println(back.Equal(t), groups)
	// Output:
	// true [[0 2] [2 3]]
}

func ExampleConcat() {
	a := table.MustNew(table.NewCategorical("c", []string{"x", "y"}, []int32{0, 1}))
	b := table.MustNew(table.NewCategorical("c", []string{"z", "x"}, []int32{0, 1}))
	t, err := table.Concat(a, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := t.Col("c")
	fmt.Println(c.Dict, c.Codes)
	// Output:
	// [x y z] [0 1 2 0]
}
