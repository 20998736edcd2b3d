package datasets

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/synthor/synthor/table"
)

// PopulationParams are the parameters of the population generator: family
// households of 2–5 persons with the variables of LLMSynthor §5.2. The
// paper's data (ACS PUMS) is not available, so the shares are plausible
// round numbers chosen by us, not estimates; what matters is that they are
// known exactly. Probability slices follow the order of the matching label
// slice.
type PopulationParams struct {
	// Sizes and SizeProbs: persons per household, 2 0.40, 3 0.25, 4 0.22,
	// 5 0.13.
	Sizes     []int
	SizeProbs []float64
	// Tenures are the housing tenures (Owned, Rented).
	Tenures []string
	// HouseholderTypes and HouseholderTypeProbs: Couple 0.62, Single Male
	// 0.10, Single Female 0.28.
	HouseholderTypes     []string
	HouseholderTypeProbs []float64
	// Races and RaceProbs: the householder's race, White 0.64, Black 0.26,
	// Indian 0.01, Asian 0.03, Combined 0.06.
	Races     []string
	RaceProbs []float64
	// SameRace is the probability that a member other than the
	// householder has the householder's race (0.9); otherwise the member
	// is Combined.
	SameRace float64
	// HouseholderAgeBands are inclusive age ranges in years for the
	// householder, drawn with HouseholderAgeProbs and then uniformly within
	// the band: 18–29 0.12, 30–44 0.35, 45–64 0.35, 65–90 0.18.
	HouseholderAgeBands [][2]int
	HouseholderAgeProbs []float64
	// SpouseAgeGap bounds the spouse's age difference: in a Couple
	// household person 2 is the spouse, aged householder age + U{-5..5},
	// clamped to [18, 99].
	SpouseAgeGap int
	// ChildProb is the probability that each further member is a child of
	// the householder (0.75), aged U{max(0, A-45) .. A-18} for householder
	// age A; otherwise the member is an adult relative aged U{18..90}.
	ChildProb float64
	// RelativeAges is the inclusive age range of adult relatives: 18–90.
	RelativeAges [2]int
	// Educations are the education levels, lowest first.
	Educations []string
	// AdultEducationProbs is p(education) for persons aged 18 or more:
	// Preschool 0, Elementary 0.05, High School 0.50, Bachelor 0.28,
	// Master 0.12, Doctorate 0.05. Below 18 education follows age:
	// Preschool below 5, Elementary 5–13, High School 14–17.
	AdultEducationProbs []float64
	// Employments are the employment states; Unemployed means not
	// working (retired included).
	Employments []string
	// EmploymentProbs[e] is p(employment | education e) for ages 18–64, over
	// Employments: Elementary and High School 0.72 Employed / 0.25
	// Unemployed / 0.03 Military, Bachelor 0.84/0.14/0.02, Master and
	// Doctorate 0.90/0.09/0.01. Below 16 employment is Under 16.
	EmploymentProbs [][]float64
	// TeenEmploymentProbs is p(employment) for ages 16–17: Employed 0.30,
	// Unemployed 0.70.
	TeenEmploymentProbs []float64
	// SeniorEmploymentProbs is p(employment) for ages 65 and over:
	// Employed 0.20, Unemployed 0.80.
	SeniorEmploymentProbs []float64
	// IncomeMedians[e] is the median yearly income in dollars of an
	// employed person aged 18 or more with education e (log-normal with
	// log-sd IncomeSigma): Elementary 22,000, High School 34,000, Bachelor
	// 58,000, Master 72,000, Doctorate 90,000.
	IncomeMedians []float64
	IncomeSigma   float64
	// TeenIncomeMedian and TeenIncomeSigma: employed persons aged 16–17,
	// median 6,000, log-sd 0.5.
	TeenIncomeMedian, TeenIncomeSigma float64
	// MilitaryIncomeMedian and MilitaryIncomeSigma: median 48,000, log-sd
	// 0.3.
	MilitaryIncomeMedian, MilitaryIncomeSigma float64
	// UnemployedZeroProb is the probability that a person who is not
	// working has no income (0.55); otherwise the income (pension,
	// benefits) is log-normal with median UnemployedIncomeMedian 9,000 and
	// log-sd UnemployedIncomeSigma 0.7. Persons under 16 have income 0.
	UnemployedZeroProb                            float64
	UnemployedIncomeMedian, UnemployedIncomeSigma float64
	// MaxIncome caps every income (2,000,000 dollars). Incomes are rounded
	// to whole dollars.
	MaxIncome float64
	// IncomeBands split the household income (sum over members) into low
	// (< 40,000), mid (< 100,000) and high bands.
	IncomeBands [2]float64
	// VehicleProbs[b] is p(num_vehicles = 0..6 | income band b): low 0.22
	// 0.48 0.22 0.06 0.02 0 0, mid 0.05 0.30 0.45 0.14 0.05 0.01 0, high
	// 0.02 0.13 0.45 0.25 0.10 0.04 0.01.
	VehicleProbs [3][]float64
	// OwnedProbs[b] is p(housing_tenure = Owned | income band b): low 0.45,
	// mid 0.68, high 0.85.
	OwnedProbs [3]float64
}

// PopulationModel holds the exact parameters of the population generator.
// Treat it as read-only.
var PopulationModel = PopulationParams{
	Sizes:                []int{2, 3, 4, 5},
	SizeProbs:            []float64{0.40, 0.25, 0.22, 0.13},
	Tenures:              []string{"Owned", "Rented"},
	HouseholderTypes:     []string{"Couple", "Single Male", "Single Female"},
	HouseholderTypeProbs: []float64{0.62, 0.10, 0.28},
	Races:                []string{"White", "Black", "Indian", "Asian", "Combined"},
	RaceProbs:            []float64{0.64, 0.26, 0.01, 0.03, 0.06},
	SameRace:             0.9,
	HouseholderAgeBands:  [][2]int{{18, 29}, {30, 44}, {45, 64}, {65, 90}},
	HouseholderAgeProbs:  []float64{0.12, 0.35, 0.35, 0.18},
	SpouseAgeGap:         5,
	ChildProb:            0.75,
	RelativeAges:         [2]int{18, 90},
	Educations:           []string{"Preschool", "Elementary", "High School", "Bachelor", "Master", "Doctorate"},
	AdultEducationProbs:  []float64{0, 0.05, 0.50, 0.28, 0.12, 0.05},
	Employments:          []string{"Under 16", "Employed", "Unemployed", "Military"},
	EmploymentProbs: [][]float64{
		{0, 0.72, 0.25, 0.03}, // Preschool (never drawn for adults)
		{0, 0.72, 0.25, 0.03},
		{0, 0.72, 0.25, 0.03},
		{0, 0.84, 0.14, 0.02},
		{0, 0.90, 0.09, 0.01},
		{0, 0.90, 0.09, 0.01},
	},
	TeenEmploymentProbs:    []float64{0, 0.30, 0.70, 0},
	SeniorEmploymentProbs:  []float64{0, 0.20, 0.80, 0},
	IncomeMedians:          []float64{22000, 22000, 34000, 58000, 72000, 90000},
	IncomeSigma:            0.55,
	TeenIncomeMedian:       6000,
	TeenIncomeSigma:        0.5,
	MilitaryIncomeMedian:   48000,
	MilitaryIncomeSigma:    0.3,
	UnemployedZeroProb:     0.55,
	UnemployedIncomeMedian: 9000,
	UnemployedIncomeSigma:  0.7,
	MaxIncome:              2_000_000,
	IncomeBands:            [2]float64{40000, 100000},
	VehicleProbs: [3][]float64{
		{0.22, 0.48, 0.22, 0.06, 0.02, 0, 0},
		{0.05, 0.30, 0.45, 0.14, 0.05, 0.01, 0},
		{0.02, 0.13, 0.45, 0.25, 0.10, 0.04, 0.01},
	},
	OwnedProbs: [3]float64{0.45, 0.68, 0.85},
}

// IncomeBand returns the band (0 low, 1 mid, 2 high) of a household income
// in dollars.
func (p *PopulationParams) IncomeBand(income float64) int {
	switch {
	case income < p.IncomeBands[0]:
		return 0
	case income < p.IncomeBands[1]:
		return 1
	}
	return 2
}

// populationStream is the PCG stream constant of the population generator.
const populationStream = 0x706f70756c617469 // "populati"

// Population draws households from PopulationModel and returns them as a
// grouped table (GroupKey household_id, rows of a household contiguous,
// householder first). Columns: household_id (1..households), and the
// group-level num_persons, housing_tenure, householder_type, num_vehicles
// (Field.Group set); then person_id (1..num_persons within the household),
// age (years, 0–99), race, education, employment, income (dollars, >= 0).
//
// The dependency structure, drawn per household in this order:
//
//	num_persons, householder_type, householder race and age band: independent
//	householder age -> spouse age (Couple), children's ages
//	householder race -> members' race
//	age -> education (adults: one fixed distribution)
//	age, education -> employment
//	age, employment, education -> income
//	household income (sum) -> num_vehicles, housing_tenure
//
// Every household satisfies every rule of CheckPopulation. The same
// households and seed give an identical table; households < 0 panics (a
// programmer error; Dataset.Generate returns an error instead).
func Population(households int, seed uint64) *table.Table {
	if households < 0 {
		panic(fmt.Sprintf("datasets: Population with %d households", households))
	}
	p := &PopulationModel
	r := newRand(seed, populationStream)
	var (
		hid, size, vehicles, pid, age, income []int64
		tenure, htype, race, edu, emp         []int32
	)
	var h household
	for k := 0; k < households; k++ {
		p.drawHousehold(r, &h)
		for j := range h.age {
			hid = append(hid, int64(k+1))
			size = append(size, int64(len(h.age)))
			tenure = append(tenure, h.tenure)
			htype = append(htype, h.htype)
			vehicles = append(vehicles, h.vehicles)
			pid = append(pid, int64(j+1))
			age = append(age, h.age[j])
			race = append(race, h.race[j])
			edu = append(edu, h.edu[j])
			emp = append(emp, h.emp[j])
			income = append(income, h.income[j])
		}
	}
	cols := []*table.Column{
		table.NewInteger("household_id", hid, nil),
		table.NewInteger("num_persons", size, nil),
		table.NewCategorical("housing_tenure", p.Tenures, tenure),
		table.NewCategorical("householder_type", p.HouseholderTypes, htype),
		table.NewInteger("num_vehicles", vehicles, nil),
		table.NewInteger("person_id", pid, nil),
		table.NewInteger("age", age, nil),
		table.NewCategorical("race", p.Races, race),
		table.NewCategorical("education", p.Educations, edu),
		table.NewCategorical("employment", p.Employments, emp),
		table.NewInteger("income", income, nil),
	}
	s := PopulationSchema()
	applyFields(cols, s)
	t := table.MustNew(cols...)
	t.GroupKey = s.GroupKey
	return t
}

// household is one drawn household; slices are indexed by member.
type household struct {
	htype, tenure  int32
	vehicles       int64
	age, income    []int64
	race, edu, emp []int32
}

// Category indexes used by the generator and the checker.
const (
	couple       = 0
	preschool    = 0
	elementary   = 1
	highSchool   = 2
	under16      = 0
	employed     = 1
	unemployed   = 2
	military     = 3
	combinedRace = 4
)

func (p *PopulationParams) drawHousehold(r *rand.Rand, h *household) {
	n := p.Sizes[pick(r, p.SizeProbs)]
	h.htype = int32(pick(r, p.HouseholderTypeProbs))
	hrace := int32(pick(r, p.RaceProbs))
	band := p.HouseholderAgeBands[pick(r, p.HouseholderAgeProbs)]
	ha := uniformInt(r, band[0], band[1])

	h.age, h.race = h.age[:0], h.race[:0]
	h.age = append(h.age, int64(ha))
	h.race = append(h.race, hrace)
	for j := 1; j < n; j++ {
		var a int
		switch {
		case j == 1 && h.htype == couple:
			a = min(99, max(18, ha+uniformInt(r, -p.SpouseAgeGap, p.SpouseAgeGap)))
		case r.Float64() < p.ChildProb:
			a = uniformInt(r, max(0, ha-45), ha-18)
		default:
			a = uniformInt(r, p.RelativeAges[0], p.RelativeAges[1])
		}
		h.age = append(h.age, int64(a))
		rc := int32(combinedRace)
		if r.Float64() < p.SameRace {
			rc = hrace
		}
		h.race = append(h.race, rc)
	}

	h.edu, h.emp, h.income = h.edu[:0], h.emp[:0], h.income[:0]
	total := 0.0
	for _, a := range h.age {
		e := p.education(r, int(a))
		m := p.employment(r, int(a), e)
		inc := p.income(r, int(a), e, m)
		total += inc
		h.edu = append(h.edu, int32(e))
		h.emp = append(h.emp, int32(m))
		h.income = append(h.income, int64(inc))
	}
	b := p.IncomeBand(total)
	h.vehicles = int64(pick(r, p.VehicleProbs[b]))
	h.tenure = 1
	if r.Float64() < p.OwnedProbs[b] {
		h.tenure = 0
	}
}

func (p *PopulationParams) education(r *rand.Rand, age int) int {
	switch {
	case age < 5:
		return preschool
	case age < 14:
		return elementary
	case age < 18:
		return highSchool
	}
	return pick(r, p.AdultEducationProbs)
}

func (p *PopulationParams) employment(r *rand.Rand, age, edu int) int {
	switch {
	case age < 16:
		return under16
	case age < 18:
		return pick(r, p.TeenEmploymentProbs)
	case age >= 65:
		return pick(r, p.SeniorEmploymentProbs)
	}
	return pick(r, p.EmploymentProbs[edu])
}

// income returns a whole-dollar income in [0, MaxIncome].
func (p *PopulationParams) income(r *rand.Rand, age, edu, emp int) float64 {
	var median, sigma float64
	switch {
	case emp == under16:
		return 0
	case emp == military:
		median, sigma = p.MilitaryIncomeMedian, p.MilitaryIncomeSigma
	case emp == unemployed:
		if r.Float64() < p.UnemployedZeroProb {
			return 0
		}
		median, sigma = p.UnemployedIncomeMedian, p.UnemployedIncomeSigma
	case age < 18:
		median, sigma = p.TeenIncomeMedian, p.TeenIncomeSigma
	default:
		median, sigma = p.IncomeMedians[edu], p.IncomeSigma
	}
	x := math.Round(median * math.Exp(sigma*r.NormFloat64()))
	return math.Min(p.MaxIncome, math.Max(0, x))
}

// uniformInt draws an integer uniformly from [lo, hi].
func uniformInt(r *rand.Rand, lo, hi int) int {
	return lo + r.IntN(hi-lo+1)
}

// PopulationSchema returns the schema of population tables.
func PopulationSchema() *table.Schema {
	p := &PopulationModel
	return &table.Schema{GroupKey: "household_id", Fields: []table.Field{
		{Name: "household_id", Kind: table.Integer, Min: ptr(1),
			Description: "identifier of the household; rows sharing it are its members"},
		{Name: "num_persons", Kind: table.Integer, Min: ptr(2), Max: ptr(5), Group: true,
			Description: "number of persons in the household"},
		{Name: "housing_tenure", Kind: table.Categorical, Categories: p.Tenures, Group: true,
			Description: "whether the household owns or rents its home"},
		{Name: "householder_type", Kind: table.Categorical, Categories: p.HouseholderTypes, Group: true,
			Description: "a married couple, or a single male or female householder"},
		{Name: "num_vehicles", Kind: table.Integer, Min: ptr(0), Max: ptr(6), Group: true,
			Description: "number of vehicles available to the household"},
		{Name: "person_id", Kind: table.Integer, Min: ptr(1), Max: ptr(5),
			Description: "number of the person within the household; 1 is the householder"},
		{Name: "age", Kind: table.Integer, Min: ptr(0), Max: ptr(99),
			Description: "age of the person in years"},
		{Name: "race", Kind: table.Categorical, Categories: p.Races,
			Description: "race of the person; Combined is two or more races"},
		{Name: "education", Kind: table.Categorical, Categories: p.Educations,
			Description: "highest education level reached or in progress"},
		{Name: "employment", Kind: table.Categorical, Categories: p.Employments,
			Description: "employment status; Under 16 exactly for persons under 16, Unemployed includes retired"},
		{Name: "income", Kind: table.Integer, Min: ptr(0), Max: ptr(p.MaxIncome),
			Description: "yearly personal income in US dollars"},
	}}
}

func populationDataset() *Dataset {
	return &Dataset{
		Name:   "population",
		Domain: "population",
		Description: "controlled family households of 2-5 persons: tenure, householder type and " +
			"vehicles per household; age, race, education, employment and income per person",
		Licence: "generated data, no third-party content; free to use",
		Provenance: "variables and plausibility rules from LLMSynthor §5.2 (Tang et al., " +
			"arXiv 2505.14752); dependency structure and shares are synthor's own (see PopulationModel)",
		DefaultRows: 2000,
		Grouped:     true,
		GroupKey:    "household_id",
		Generate:    generator("population", Population),
	}
}
