package metrics

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/synthor/synthor/table"
)

// referenceStream is the second PCG word of the holdout subsample and
// split drawn for the references; the first is Input.Seed.
const referenceStream = 0x7265666572

// reference fills in the references of scores, the scores of group g on
// in. This is how Evaluate fills Score.Reference when a holdout is given:
// the same group is scored again with the holdout in the synthetic table's
// place, at the synthetic table's size and with the same seed, and each
// score gets the value of its namesake (same name, group, columns and text
// params) with ReferenceKind "holdout": what unseen real data scores. A
// reference that cannot be computed is NaN with the reason.
//
// Sizes: a holdout with more records (groups) than the synthetic table is
// subsampled to its size (seeded, without replacement, whole records); a
// smaller holdout is used whole and ReferenceReason says so, since a score
// on fewer rows is noisier.
//
// Groups where the holdout cannot simply stand in for the synthetic table:
//
//   - utility: the holdout is also the test set, so it is split in half
//     (seeded): the first half, at most the synthetic table's size, takes
//     the synthetic table's place and the second is the test set of the
//     reference (ReferenceReason gives both sizes). trtr_* scores train on
//     real rows only; the synthetic table plays no part, so they carry their
//     own value as a "fixed" reference.
//   - privacy: dcr_share draws the training and holdout rows to equal size,
//     so rows drawn as either are equally close to both: its reference is
//     ½, "fixed" by construction. The distances (dcr_*, nndr_median) and
//     exact_match_rate are computed for holdout rows against the training
//     rows, the usual privacy baseline; distinct_share and duplicate_rate
//     for the holdout itself.
//
// A score whose group already set ReferenceKind (a membership attack's
// fixed ½, say) keeps its own.
func (r Request) reference(ctx context.Context, g namedGroup, in Input, scores []Score) error {
	ref, how := referenceInput(g.name, in)
	refScores, err := r.scoreGroup(ctx, g, ref)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	attachReferences(scores, refScores, how)
	return nil
}

// referenceInput returns in with the holdout (subsampled, or split for the
// utility group) in the synthetic table's place, and how it was drawn.
func referenceInput(group string, in Input) (Input, string) {
	rng := rand.New(rand.NewPCG(in.Seed, referenceStream))
	n := records(in.Synth)
	ref := in
	if group == utilityGroup {
		h := records(in.Holdout)
		perm := rng.Perm(h)
		half := h / 2
		k := min(half, n)
		ref.Synth = takeRecords(in.Holdout, perm[:k])
		ref.Holdout = takeRecords(in.Holdout, perm[half:])
		return ref, fmt.Sprintf("trained on %d holdout records (half the holdout, at most the synthetic table's %d), tested on the other %d", k, n, h-half)
	}
	h := records(in.Holdout)
	switch {
	case h > n:
		ref.Synth = takeRecords(in.Holdout, rng.Perm(h)[:n])
		return ref, ""
	case h < n:
		ref.Synth = in.Holdout
		return ref, fmt.Sprintf("the whole holdout: %d records, fewer than the synthetic table's %d", h, n)
	}
	ref.Synth = in.Holdout
	return ref, ""
}

// records returns the number of records of t: its groups when it has a
// group key, else its rows.
func records(t *table.Table) int {
	if t.GroupKey != "" {
		if g, err := t.Groups(); err == nil {
			return len(g)
		}
	}
	return t.NumRows()
}

// takeRecords returns the records idx of t (groups when t has a group key,
// else rows), in their order in t.
func takeRecords(t *table.Table, idx []int) *table.Table {
	idx = slices.Clone(idx)
	slices.Sort(idx)
	var groups [][2]int
	if t.GroupKey != "" {
		groups, _ = t.Groups()
	}
	if groups == nil {
		return t.Take(idx)
	}
	var rows []int
	for _, g := range idx {
		for i := groups[g][0]; i < groups[g][1]; i++ {
			rows = append(rows, i)
		}
	}
	return t.Take(rows)
}

// attachReferences gives each score of scores without a ReferenceKind the
// value of its namesake in ref (matched by refKey, in order of
// occurrence).
func attachReferences(scores, ref []Score, how string) {
	byKey := make(map[string][]int, len(ref))
	for i, s := range ref {
		k := refKey(s)
		byKey[k] = append(byKey[k], i)
	}
	for i := range scores {
		s := &scores[i]
		if s.ReferenceKind != "" {
			continue
		}
		k := refKey(*s)
		idx := byKey[k]
		if len(idx) == 0 {
			s.Reference, s.ReferenceReason = math.NaN(), "the reference run gave no such score"
			continue
		}
		byKey[k] = idx[1:]
		r := ref[idx[0]]
		s.ReferenceKind, s.Reference, s.ReferenceReason = ReferenceHoldout, r.Value, how
		if !r.OK() {
			s.Reference = math.NaN()
			s.ReferenceReason = "undefined on the holdout: " + r.Reason
			if r.Reason == "" {
				s.ReferenceReason = "undefined on the holdout"
			}
		}
	}
}

// refKey identifies a score across the two runs: name, group, columns and
// the text-valued params (a classifier, a pair convention), not the
// numeric ones (row counts differ between the runs).
func refKey(s Score) string {
	var b strings.Builder
	b.WriteString(s.Group)
	b.WriteByte(0)
	b.WriteString(s.Name)
	for _, c := range s.Columns {
		b.WriteByte(0)
		b.WriteString(c)
	}
	if len(s.Params) > 0 {
		var keys []string
		for k, v := range s.Params {
			if _, ok := v.(string); ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteByte(1)
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(s.Params[k].(string))
		}
	}
	return b.String()
}

// ownReference marks a score that does not read the synthetic table as its
// own ("fixed") reference, with why.
func ownReference(s *Score, why string) {
	s.Reference, s.ReferenceKind, s.ReferenceReason = s.Value, ReferenceFixed, why
}
