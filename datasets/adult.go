package datasets

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/synthor/synthor/table"
)

// adultFiles holds gzip -9 -n copies of the project's shared Adult files
// (data/adult/adult_train.csv and adult_test.csv).
//
//go:embed data/adult_train.csv.gz data/adult_test.csv.gz
var adultFiles embed.FS

// AdultSplits are Adult's splits, the default first.
var AdultSplits = []string{"train", "test"}

// ErrUnknownSplit is returned (wrapped) for a split a dataset does not have.
var ErrUnknownSplit = errors.New("unknown split")

// AdultCSV returns the original CSV bytes of an Adult split ("" = train),
// decompressed from the embedded copy. Adult(split) written with
// table.WriteCSV reproduces them byte for byte.
func AdultCSV(split string) ([]byte, error) {
	if split == "" {
		split = AdultSplits[0]
	}
	if !slices.Contains(AdultSplits, split) {
		return nil, fmt.Errorf("adult: %w %q (valid: %s)", ErrUnknownSplit, split, strings.Join(AdultSplits, ", "))
	}
	f, err := adultFiles.Open("data/adult_" + split + ".csv.gz")
	if err != nil {
		return nil, fmt.Errorf("adult %s: %w", split, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("adult %s: %w", split, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("adult %s: %w", split, err)
	}
	return b, nil
}

// Adult reads a split of UCI Adult ("train", the default when split is "",
// 32,561 rows; or "test", 16,281 rows) with AdultSchema: 15 columns, the 6
// numeric ones as integers and the 9 others categorical, "?" kept as an
// ordinary category. income (<=50K, >50K) is the label.
func Adult(split string) (*table.Table, error) {
	b, err := AdultCSV(split)
	if err != nil {
		return nil, err
	}
	if split == "" {
		split = AdultSplits[0]
	}
	return table.ReadCSV(bytes.NewReader(b), table.ReadOptions{
		Schema:     AdultSchema(),
		NullValues: []string{""},
		Name:       "adult_" + split + ".csv",
	})
}

// adultEducation lists Adult's education levels in the order of
// education-num (1 = Preschool ... 16 = Doctorate).
var adultEducation = []string{"Preschool", "1st-4th", "5th-6th", "7th-8th", "9th", "10th", "11th", "12th",
	"HS-grad", "Some-college", "Assoc-voc", "Assoc-acdm", "Bachelors", "Masters", "Prof-school", "Doctorate"}

// AdultSchema returns the schema of both Adult splits, in file column
// order. Categories are those of the two splits together: education in the
// order of education-num, income as <=50K, >50K, the others sorted with "?"
// (the source's missing-value mark, kept as a category) first. Numeric
// ranges are the observed minimum and maximum over both splits.
func AdultSchema() *table.Schema {
	cat := func(name, desc string, cats ...string) table.Field {
		return table.Field{Name: name, Kind: table.Categorical, Categories: cats, Description: desc}
	}
	num := func(name, desc string, lo, hi float64) table.Field {
		return table.Field{Name: name, Kind: table.Integer, Min: ptr(lo), Max: ptr(hi), Description: desc}
	}
	return &table.Schema{Fields: []table.Field{
		num("age", "age of the person in years", 17, 90),
		cat("workclass", "employer type; ? when unknown",
			"?", "Federal-gov", "Local-gov", "Never-worked", "Private", "Self-emp-inc", "Self-emp-not-inc",
			"State-gov", "Without-pay"),
		num("fnlwgt", "census sampling weight: how many people the row stands for", 12285, 1490400),
		cat("education", "highest education level reached", adultEducation...),
		num("education-num", "education level as a number, 1 (Preschool) to 16 (Doctorate)", 1, 16),
		cat("marital-status", "marital status",
			"Divorced", "Married-AF-spouse", "Married-civ-spouse", "Married-spouse-absent", "Never-married",
			"Separated", "Widowed"),
		cat("occupation", "occupation group; ? when unknown",
			"?", "Adm-clerical", "Armed-Forces", "Craft-repair", "Exec-managerial", "Farming-fishing",
			"Handlers-cleaners", "Machine-op-inspct", "Other-service", "Priv-house-serv", "Prof-specialty",
			"Protective-serv", "Sales", "Tech-support", "Transport-moving"),
		cat("relationship", "role of the person in the household",
			"Husband", "Not-in-family", "Other-relative", "Own-child", "Unmarried", "Wife"),
		cat("race", "race of the person",
			"Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black", "Other", "White"),
		cat("sex", "sex of the person", "Female", "Male"),
		num("capital-gain", "capital gains in the year, US dollars (99999 is a top code)", 0, 99999),
		num("capital-loss", "capital losses in the year, US dollars", 0, 4356),
		num("hours-per-week", "usual hours worked per week", 1, 99),
		cat("native-country", "country of birth; ? when unknown",
			"?", "Cambodia", "Canada", "China", "Columbia", "Cuba", "Dominican-Republic", "Ecuador",
			"El-Salvador", "England", "France", "Germany", "Greece", "Guatemala", "Haiti",
			"Holand-Netherlands", "Honduras", "Hong", "Hungary", "India", "Iran", "Ireland", "Italy",
			"Jamaica", "Japan", "Laos", "Mexico", "Nicaragua", "Outlying-US(Guam-USVI-etc)", "Peru",
			"Philippines", "Poland", "Portugal", "Puerto-Rico", "Scotland", "South", "Taiwan", "Thailand",
			"Trinadad&Tobago", "United-States", "Vietnam", "Yugoslavia"),
		cat("income", "label: whether yearly income exceeds 50,000 US dollars", "<=50K", ">50K"),
	}}
}

func adultDataset() *Dataset {
	return &Dataset{
		Name:   "adult",
		Domain: "census",
		Description: "UCI Adult (Census Income): 1994 US Census extract, 6 numeric and 9 categorical " +
			"columns, label income",
		Licence: "CC BY 4.0 (UCI Machine Learning Repository); cite Becker & Kohavi (1996), " +
			"doi:10.24432/C5XW20",
		Provenance: "train = UCI adult.data as shipped in the CTGAN repository (examples/csv/adult.csv); " +
			"test = UCI adult.test without its first line; spaces after commas and the test labels' " +
			"final '.' removed; '?' kept as a category",
		Target: "income",
		Load:   Adult,
		Splits: slices.Clone(AdultSplits),
	}
}
