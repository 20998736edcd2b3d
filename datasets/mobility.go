package datasets

import (
	"fmt"
	"math"
	"slices"

	"github.com/synthor/synthor/table"
)

// MobilityParams are the parameters of the mobility generator: one day of
// trips over a square grid (LLMSynthor §5.3). The paper gives only the
// fields; the shares and zones are ours, chosen to be plausible and known
// exactly. Probability slices follow the order of the matching label slice.
type MobilityParams struct {
	// Rows and Cols are the grid size in cells (10 x 10), CellKM the cell
	// side in km (0.2): a 2 km square. Cell labels are "r<row>c<col>",
	// rows and columns counted from 0, listed row by row.
	Rows, Cols int
	CellKM     float64
	// TimeBins label the 7 time-of-day bins in hours, and TimeBinProbs are
	// their shares of the day's trips: 0-6 0.04, 6-9 0.22, 9-12 0.14, 12-14
	// 0.14, 14-17 0.16, 17-20 0.22, 20-24 0.08.
	TimeBins     []string
	TimeBinProbs []float64
	// Activities are the trip purposes (the activity at the destination).
	Activities []string
	// ActivityProbs[b] is p(activity | time bin b), over Activities (home,
	// work, school, shopping, leisure, other):
	//
	//	0-6    0.50 0.25 0.00 0.02 0.13 0.10
	//	6-9    0.05 0.55 0.25 0.03 0.04 0.08
	//	9-12   0.10 0.20 0.05 0.30 0.15 0.20
	//	12-14  0.12 0.25 0.03 0.25 0.20 0.15
	//	14-17  0.30 0.10 0.02 0.25 0.18 0.15
	//	17-20  0.55 0.03 0.00 0.15 0.20 0.07
	//	20-24  0.60 0.02 0.00 0.05 0.28 0.05
	ActivityProbs [][]float64
	// CBD lists the cells of the central business district: the 4 centre
	// cells r4c4, r4c5, r5c4, r5c5.
	CBD []string
	// Schools lists the school cells: r2c2, r2c7, r7c2, r7c7.
	Schools []string
	// OriginCBDProbs[b] is the probability that a trip in time bin b starts
	// in the CBD: 0-6 0.05, 6-9 0.05, 9-12 0.30, 12-14 0.40, 14-17 0.35,
	// 17-20 0.50, 20-24 0.30. The origin is then uniform over the CBD
	// cells, or over the other cells.
	OriginCBDProbs []float64
	// DestCBDProbs[a] is the probability that a trip for activity a ends in
	// the CBD: home 0, work 0.60, school 0 (school trips end uniformly in
	// a Schools cell), shopping 0.40, leisure 0.30, other 0.20. Otherwise
	// the destination is uniform over the non-CBD cells (home), the school
	// cells (school), or the other cells.
	DestCBDProbs []float64
	// Modes are the transport modes.
	Modes []string
	// WalkBelowKM and BikeBelowKM are the distance thresholds of the mode:
	// walk below 0.5 km, bike below 1.5 km, else drive.
	WalkBelowKM, BikeBelowKM float64
	// ModeDeviation is the probability (0.05) that a trip's mode is not the
	// one its distance gives; it is then one of the other two, equally
	// likely.
	ModeDeviation float64
	// SameCellKM is the distance given to a trip within one cell (0.1 km,
	// about the mean distance between two points of a 200 m square);
	// otherwise distance is the Euclidean distance between cell centres,
	// rounded to the metre.
	SameCellKM float64
}

// MobilityModel holds the exact parameters of the mobility generator. Treat
// it as read-only.
var MobilityModel = MobilityParams{
	Rows:         10,
	Cols:         10,
	CellKM:       0.2,
	TimeBins:     []string{"0-6", "6-9", "9-12", "12-14", "14-17", "17-20", "20-24"},
	TimeBinProbs: []float64{0.04, 0.22, 0.14, 0.14, 0.16, 0.22, 0.08},
	Activities:   []string{"home", "work", "school", "shopping", "leisure", "other"},
	ActivityProbs: [][]float64{
		{0.50, 0.25, 0.00, 0.02, 0.13, 0.10},
		{0.05, 0.55, 0.25, 0.03, 0.04, 0.08},
		{0.10, 0.20, 0.05, 0.30, 0.15, 0.20},
		{0.12, 0.25, 0.03, 0.25, 0.20, 0.15},
		{0.30, 0.10, 0.02, 0.25, 0.18, 0.15},
		{0.55, 0.03, 0.00, 0.15, 0.20, 0.07},
		{0.60, 0.02, 0.00, 0.05, 0.28, 0.05},
	},
	CBD:            []string{"r4c4", "r4c5", "r5c4", "r5c5"},
	Schools:        []string{"r2c2", "r2c7", "r7c2", "r7c7"},
	OriginCBDProbs: []float64{0.05, 0.05, 0.30, 0.40, 0.35, 0.50, 0.30},
	DestCBDProbs:   []float64{0, 0.60, 0, 0.40, 0.30, 0.20},
	Modes:          []string{"walk", "bike", "drive"},
	WalkBelowKM:    0.5,
	BikeBelowKM:    1.5,
	ModeDeviation:  0.05,
	SameCellKM:     0.1,
}

// Cells returns the cell labels, row by row: r0c0, r0c1, ..., r9c9.
func (p *MobilityParams) Cells() []string {
	out := make([]string, 0, p.Rows*p.Cols)
	for r := 0; r < p.Rows; r++ {
		for c := 0; c < p.Cols; c++ {
			out = append(out, fmt.Sprintf("r%dc%d", r, c))
		}
	}
	return out
}

// Distance returns the trip distance in km between two cells given by
// index into Cells: SameCellKM within a cell, else the Euclidean distance
// between the cell centres, rounded to 0.001 km.
func (p *MobilityParams) Distance(from, to int) float64 {
	if from == to {
		return p.SameCellKM
	}
	dr := float64(from/p.Cols - to/p.Cols)
	dc := float64(from%p.Cols - to%p.Cols)
	return round(p.CellKM*math.Hypot(dr, dc), 3)
}

// Mode returns the index into Modes that a distance in km gives, before any
// deviation: walk below WalkBelowKM, bike below BikeBelowKM, else drive.
func (p *MobilityParams) Mode(km float64) int {
	switch {
	case km < p.WalkBelowKM:
		return 0
	case km < p.BikeBelowKM:
		return 1
	}
	return 2
}

// mobilityStream is the PCG stream constant of the mobility generator.
const mobilityStream = 0x6d6f62696c697479 // "mobility"

// MobilityDefaultTrips is the default number of trips (LLMSynthor §5.3).
const MobilityDefaultTrips = 30_000

// Mobility draws n trips from MobilityModel. Columns: time_bin, activity,
// origin, destination (cells), distance (km, 3 decimals), mode.
//
// Each trip is drawn from one PCG stream seeded with seed, in this order:
// time bin; activity given time bin; origin zone (CBD or not) given time
// bin, then a uniform cell of the zone; destination given activity (see
// MobilityParams.DestCBDProbs); distance from the two cells; mode from the
// distance, deviating with probability ModeDeviation. So OD flows depend on
// time (mornings flow from the residential cells to the CBD, evenings back
// home). The first k trips do not depend on n; the same n and seed give an
// identical table. n < 0 panics (a programmer error; Dataset.Generate
// returns an error instead).
func Mobility(n int, seed uint64) *table.Table {
	if n < 0 {
		panic(fmt.Sprintf("datasets: Mobility with %d trips", n))
	}
	p := &MobilityModel
	r := newRand(seed, mobilityStream)
	cells := p.Cells()
	index := make(map[string]int, len(cells))
	for i, c := range cells {
		index[c] = i
	}
	zone := func(names []string) []int {
		out := make([]int, len(names))
		for i, s := range names {
			out[i] = index[s]
		}
		return out
	}
	cbd, schools := zone(p.CBD), zone(p.Schools)
	var rest []int
	for i, c := range cells {
		if !slices.Contains(p.CBD, c) {
			rest = append(rest, i)
		}
	}
	all := make([]int, len(cells))
	for i := range all {
		all[i] = i
	}
	in := func(z []int) int { return z[r.IntN(len(z))] }

	bin := make([]int32, n)
	act := make([]int32, n)
	orig := make([]int32, n)
	dest := make([]int32, n)
	dist := make([]float64, n)
	mode := make([]int32, n)
	for i := 0; i < n; i++ {
		b := pick(r, p.TimeBinProbs)
		a := pick(r, p.ActivityProbs[b])
		o := in(rest)
		if r.Float64() < p.OriginCBDProbs[b] {
			o = in(cbd)
		}
		var d int
		switch {
		case p.Activities[a] == "school":
			d = in(schools)
		case r.Float64() < p.DestCBDProbs[a]:
			d = in(cbd)
		case p.Activities[a] == "home":
			d = in(rest)
		default:
			d = in(all)
		}
		km := p.Distance(o, d)
		m := p.Mode(km)
		if r.Float64() < p.ModeDeviation {
			m = (m + 1 + r.IntN(2)) % len(p.Modes)
		}
		bin[i], act[i], orig[i], dest[i], dist[i], mode[i] = int32(b), int32(a), int32(o), int32(d), km, int32(m)
	}
	cols := []*table.Column{
		table.NewCategorical("time_bin", p.TimeBins, bin),
		table.NewCategorical("activity", p.Activities, act),
		table.NewCategorical("origin", cells, orig),
		table.NewCategorical("destination", cells, dest),
		table.NewFloat("distance", dist),
		table.NewCategorical("mode", p.Modes, mode),
	}
	applyFields(cols, MobilitySchema())
	return table.MustNew(cols...)
}

// MobilitySchema returns the schema of mobility tables.
func MobilitySchema() *table.Schema {
	p := &MobilityModel
	cells := p.Cells()
	maxKM := round(p.CellKM*math.Hypot(float64(p.Rows-1), float64(p.Cols-1)), 3)
	return &table.Schema{Fields: []table.Field{
		{Name: "time_bin", Kind: table.Categorical, Categories: p.TimeBins,
			Description: "hours of the day in which the trip starts"},
		{Name: "activity", Kind: table.Categorical, Categories: p.Activities,
			Description: "purpose of the trip: the activity at the destination"},
		{Name: "origin", Kind: table.Categorical, Categories: cells,
			Description: "grid cell where the trip starts (r<row>c<col>, 200 m cells, CBD r4c4-r5c5)"},
		{Name: "destination", Kind: table.Categorical, Categories: cells,
			Description: "grid cell where the trip ends (r<row>c<col>, 200 m cells, CBD r4c4-r5c5)"},
		{Name: "distance", Kind: table.Float, Min: ptr(0), Max: ptr(maxKM),
			Description: "distance between the origin and destination cell centres in km"},
		{Name: "mode", Kind: table.Categorical, Categories: p.Modes,
			Description: "transport mode; mostly walk below 0.5 km, bike below 1.5 km, drive beyond"},
	}}
}

func mobilityDataset() *Dataset {
	return &Dataset{
		Name:   "mobility",
		Domain: "mobility",
		Description: "controlled one-day trips over a 2 km grid: time bin, activity, origin and " +
			"destination cells, distance, mode",
		Licence: "generated data, no third-party content; free to use",
		Provenance: "fields from LLMSynthor §5.3 (Tang et al., arXiv 2505.14752); zones, shares " +
			"and mode thresholds are synthor's own (see MobilityModel)",
		DefaultRows: MobilityDefaultTrips,
		Generate:    generator("mobility", Mobility),
	}
}
