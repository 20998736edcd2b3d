package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/synthor/synthor/table"
)

// Names of the membership-inference scores (privacy group).
const (
	NameMembershipAUC = "membership_auc"
	NameMembershipTPR = "membership_tpr"
)

// DefaultMembershipCandidates is the default cap on the members drawn from
// the training table, and on the non-members drawn from the holdout.
const DefaultMembershipCandidates = 10000

// DefaultMembershipFPR is the false-positive rate at which membership_tpr
// reads the attack's ROC curve.
const DefaultMembershipFPR = 0.01

// MembershipAttackName is the attack's name in the scores' params.attack.
const MembershipAttackName = "gower_nn_ratio"

// membershipEps keeps the score finite at distance 0 (an exact copy):
// Gower distances of distinct rows are far larger.
const membershipEps = 1e-6

// membershipStream is the second PCG word of the candidate draw.
const membershipStream = 0x6d656d62

// MembershipConfig configures MembershipAttack. The zero value works.
type MembershipConfig struct {
	// Candidates caps the members (and the non-members) drawn; 0 means
	// DefaultMembershipCandidates.
	Candidates int
	// FPR is the false-positive rate of TPR, in (0, 1); 0 means
	// DefaultMembershipFPR.
	FPR float64
	// Seed drives the draw of candidates and reference rows.
	Seed uint64
}

// Validate reports the first invalid setting, by its key.
func (c MembershipConfig) Validate() error {
	switch {
	case c.Candidates < 0:
		return fmt.Errorf("membership: candidates: %d is negative", c.Candidates)
	case c.FPR < 0 || c.FPR >= 1 || math.IsNaN(c.FPR):
		return fmt.Errorf("membership: fpr: %g is not in (0, 1)", c.FPR)
	}
	return nil
}

func (c MembershipConfig) withDefaults() MembershipConfig {
	if c.Candidates == 0 {
		c.Candidates = DefaultMembershipCandidates
	}
	if c.FPR == 0 {
		c.FPR = DefaultMembershipFPR
	}
	return c
}

// MembershipResult is the outcome of a membership-inference attack.
type MembershipResult struct {
	// AUC is the attack's area under the ROC curve, members as positives
	// (ties count ½): ½ when it learns nothing, 1 when every member scores
	// above every non-member.
	AUC float64
	// TPR is the share of members caught at the false-positive rate FPR
	// (see TPRAtFPR).
	TPR, FPR float64
	// Members and NonMembers are the candidates of each kind (equal);
	// Reference is the number of holdout rows the attacker holds.
	Members, NonMembers, Reference int
}

// MembershipAttack runs a distance-based membership-inference attack
// against the synthetic table. The attacker holds the synthetic table, a
// reference sample of real rows from the population, and candidates: half
// training rows (members), half holdout rows the synthesizer never saw
// (non-members). m = min(train rows, ⌊holdout rows/2⌋, cfg.Candidates)
// members are drawn from train and m non-members from holdout (seeded,
// without replacement); the holdout rows left, never candidates, are the
// reference. Each candidate x is scored
//
//	s(x) = log(d_R(x) + ε) − log(d_S(x) + ε),   ε = 1e-6
//
// where d_S and d_R are the Gower distances (gower.go; numeric ranges from
// the training table) from x to its nearest synthetic and nearest reference
// row. With the 1-nearest-neighbour density estimate p̂(x) ∝ 1/(n·d(x)^D),
// s is (log p̂_S(x)/p̂_R(x) − log(n_R/n_S))/D: a monotone function of the
// density ratio p_S/p_R that DOMIAS (van Breugel et al. 2023) scores
// members by, whatever the dimension D, so the ranking, and the AUC and TPR
// that depend only on it, are DOMIAS's with nearest-neighbour densities. A
// synthesizer that copies or overfits its training rows puts synthetic rows
// closer to members than the population's density explains.
//
// AUC is AUC(s, member) (½ = no information); TPR is TPRAtFPR at cfg.FPR.
// At equal sizes a synthetic table of bootstrap copies of the training rows
// catches the 1 − 1/e ≈ 63% it copied; three times the training size,
// 95%.
//
// Reference: van Breugel, Sun, Qian & van der Schaar (2023), "Membership
// inference attacks against synthetic data through overfitting detection"
// (DOMIAS), AISTATS; Carlini et al. (2022), "Membership inference attacks
// from first principles", IEEE S&P (TPR at low FPR).
func MembershipAttack(ctx context.Context, synth, train, holdout *table.Table, cfg MembershipConfig) (MembershipResult, error) {
	if err := cfg.Validate(); err != nil {
		return MembershipResult{}, err
	}
	cfg = cfg.withDefaults()
	return membershipAttack(ctx, encodeTables(nil, train, synth, holdout), cfg)
}

// membershipAttack runs the attack on columns encoded over the training,
// synthetic and holdout tables, in that order, with cfg's defaults filled.
func membershipAttack(ctx context.Context, cols []mixedCol, cfg MembershipConfig) (MembershipResult, error) {
	if len(cols) == 0 {
		return MembershipResult{}, fmt.Errorf("membership: no column to compare")
	}
	nt, ns, nh := cols[0].len(0), cols[0].len(1), cols[0].len(2)
	if ns == 0 || nt == 0 || nh < 2 {
		return MembershipResult{}, fmt.Errorf("membership: %d synthetic, %d training and %d holdout rows (at least 1, 1 and 2): %w", ns, nt, nh, ErrEmpty)
	}
	members, nonMembers, ref := membershipDraw(nt, nh, cfg)
	s, err := membershipScores(ctx, cols, members, nonMembers, ref)
	if err != nil {
		return MembershipResult{}, err
	}
	labels := make([]bool, len(s))
	for i := range members {
		labels[i] = true
	}
	auc, err := AUC(s, labels)
	if err != nil {
		return MembershipResult{}, fmt.Errorf("membership: %w", err)
	}
	tpr, err := TPRAtFPR(s, labels, cfg.FPR)
	if err != nil {
		return MembershipResult{}, fmt.Errorf("membership: %w", err)
	}
	return MembershipResult{AUC: auc, TPR: tpr, FPR: cfg.FPR, Members: len(members), NonMembers: len(nonMembers), Reference: len(ref)}, nil
}

// membershipDraw draws the member rows of train, and the non-member and
// reference rows of holdout (disjoint), each sorted.
func membershipDraw(nt, nh int, cfg MembershipConfig) (members, nonMembers, ref []int) {
	rng := rand.New(rand.NewPCG(cfg.Seed, membershipStream))
	m := min(nt, nh/2, cfg.Candidates)
	members = sample(rng, nt, m)
	perm := sample(rng, nh, nh)
	nonMembers, ref = perm[:m], perm[m:]
	for _, s := range [][]int{members, nonMembers, ref} {
		slices.Sort(s)
	}
	return members, nonMembers, ref
}

// membershipScores returns s(x) for the member rows of table 0 of cols,
// then the non-member rows of table 2, against the synthetic table 1 and
// the reference rows of table 2.
func membershipScores(ctx context.Context, cols []mixedCol, members, nonMembers, ref []int) ([]float64, error) {
	sp := newGowerSpace(cols, 0)
	synth := sp.rows(cols, 1, nil)
	refRows := sp.rows(cols, 2, ref)
	var out []float64
	for _, c := range []struct {
		k   int
		idx []int
	}{{0, members}, {2, nonMembers}} {
		q := sp.rows(cols, c.k, c.idx)
		dS, _, err := sp.nearest(ctx, q, synth, false, nil)
		if err != nil {
			return nil, err
		}
		dR, _, err := sp.nearest(ctx, q, refRows, false, nil)
		if err != nil {
			return nil, err
		}
		for i := range dS {
			out = append(out, math.Log(dR[i]+membershipEps)-math.Log(dS[i]+membershipEps))
		}
	}
	return out, nil
}

// membershipScoresFor returns the privacy group's membership_auc and
// membership_tpr over cols, encoded over in.Real, in.Synth and in.Holdout
// (named names); undefined, with the reason, without a holdout or when the
// attack cannot run.
func membershipScoresFor(ctx context.Context, in Input, cols []mixedCol, names []string) ([]Score, error) {
	cfg := MembershipConfig{FPR: in.MembershipFPR, Seed: in.Seed}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	full := cfg.withDefaults()
	params := map[string]any{"attack": MembershipAttackName, "fpr": full.FPR, "candidates": full.Candidates, "seed": in.Seed}
	var r MembershipResult
	var err error
	switch {
	case in.Holdout == nil:
		err = fmt.Errorf("the membership attack needs a real holdout table the synthesizer never saw (--holdout)")
	default:
		r, err = membershipAttack(ctx, cols, full)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	out := []Score{
		{Name: NameMembershipAUC, Group: privacyGroup, Columns: names, Value: r.AUC, Better: Lower},
		{Name: NameMembershipTPR, Group: privacyGroup, Columns: names, Value: r.TPR, Better: Lower},
	}
	if in.Holdout != nil {
		// No information: AUC ½, and a TPR equal to the FPR.
		out[0].Reference, out[0].ReferenceKind = 0.5, ReferenceFixed
		out[1].Reference, out[1].ReferenceKind = full.FPR, ReferenceFixed
	}
	if err == nil {
		params["members"], params["reference_rows"] = r.Members, r.Reference
	}
	for i := range out {
		if err != nil {
			out[i].Value, out[i].Reason = math.NaN(), err.Error()
		}
		out[i].Params = params
	}
	return out, nil
}
