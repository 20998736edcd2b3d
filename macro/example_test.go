package macro_test

import (
	"fmt"

	"github.com/synthor/synthor/macro"
	"github.com/synthor/synthor/table"
)

// Count a 2-way table incrementally and find the most under-represented
// cell of a synthetic table against a target.
func ExampleGap() {
	target := table.MustNew(
		table.NewCategorical("tenure", []string{"Owned", "Rented"}, []int32{0, 0, 0, 1}),
		table.NewCategorical("cars", []string{"0", "1+"}, []int32{1, 1, 0, 0}),
	)
	synth := table.MustNew(
		table.NewCategorical("tenure", []string{"Owned", "Rented"}, []int32{1, 1}),
		table.NewCategorical("cars", []string{"0", "1+"}, []int32{0, 0}),
	)
	sp, _ := macro.NewSpace(target, macro.DefaultBins)
	tg, _ := macro.TargetsFromTable(target, sp, [][]string{{"tenure", "cars"}})
	st, _ := macro.TargetsFromTable(synth, sp, [][]string{{"tenure", "cars"}})
	j := tg.Joints[0]
	gap := macro.Gap(j, st.Joints[0])
	top := macro.TopPositive(gap, 1)[0]
	fmt.Println(j.Labels(top), gap[top])
	// Output: [Owned 1+] 0.5
}
