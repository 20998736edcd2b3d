package reports

import (
	"fmt"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/metrics"
)

// CopyRule flags a method whose records look copied from the training
// table: its exact-match rate (the share of synthetic rows equal to a
// training row) exceeds the reference by more than ExactMatchMargin, or its
// membership-attack AUC exceeds the reference by more than
// MembershipMargin. The reference is the score's own where the cells carry
// one (the holdout's exact-match rate against the training table; ½ for
// the attack), else 0 for the exact-match rate and ½ for the attack.
type CopyRule struct {
	ExactMatchMargin float64 `json:"exact_match_margin"`
	MembershipMargin float64 `json:"membership_margin"`
}

// DefaultCopyRule flags an exact-match rate 5 points above unseen real
// rows', or a membership AUC 0.1 above chance.
var DefaultCopyRule = CopyRule{ExactMatchMargin: 0.05, MembershipMargin: 0.10}

// CopyFlag says why a method's records look copied.
type CopyFlag struct {
	// Score is the score that says so: exact_match_rate or membership_auc.
	Score string `json:"score"`
	// Mean is its seed mean; Reference what it is compared with and
	// ReferenceKind where that comes from ("holdout", "fixed", or
	// "assumed" when the cells carry none); Margin the allowed excess.
	Mean          float64 `json:"mean"`
	Reference     float64 `json:"reference"`
	ReferenceKind string  `json:"reference_kind"`
	Margin        float64 `json:"margin"`
}

// Note renders the flag in one line.
func (f CopyFlag) Note() string {
	if f.Score == scoreMembershipAUC {
		return fmt.Sprintf("leaks its training records: membership-attack AUC %.3f against %.3f (%s reference), more than %.2f above it",
			f.Mean, f.Reference, f.ReferenceKind, f.Margin)
	}
	return fmt.Sprintf("copies records: exact-match rate %.3f against %.3f (%s reference), more than %.2f above it", f.Mean, f.Reference, f.ReferenceKind, f.Margin)
}

// check returns the flag of a method's ok cells, nil when none applies.
func (c CopyRule) check(cells []*bench.Result, level float64) *CopyFlag {
	rules := []struct {
		name   string
		margin float64
		ref    float64
	}{
		{metrics.NameExactMatchRate, c.ExactMatchMargin, 0},
		{scoreMembershipAUC, c.MembershipMargin, 0.5},
	}
	for _, r := range rules {
		e := estimate(HeadlineScore{Name: r.name, Source: SourceScore}, cells, level)
		if e.N == 0 {
			continue
		}
		f := CopyFlag{Score: r.name, Mean: e.Mean, Reference: r.ref, ReferenceKind: "assumed", Margin: r.margin}
		if e.Reference != nil {
			f.Reference, f.ReferenceKind = *e.Reference, e.ReferenceKind
		}
		if f.Mean-f.Reference > f.Margin {
			return &f
		}
	}
	return nil
}

// scoreMembershipAUC is the membership attack's score name (group privacy).
const scoreMembershipAUC = "membership_auc"
