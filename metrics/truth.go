package metrics

import "context"

// TruthSuffix is appended to the group of a score computed against the
// truth (Input.Truth): "fidelity_truth", "utility_truth".
const TruthSuffix = "_truth"

// TruthScores scores group g (registered as name) against Input.Truth, a
// large fresh sample of a controlled dataset's generator, so that a method
// is not rewarded for copying the noise of the reference sample:
//
//   - utility: models are trained on the real and on the synthetic table as
//     usual and tested on the truth instead of the holdout (param test =
//     "truth");
//   - privacy: nil; it measures closeness to the training rows, which the
//     truth does not change;
//   - every other group: the truth takes the place of the real table (the
//     holdout is dropped).
//
// Each score keeps its name and gets the group name+TruthSuffix and the
// param reference = "truth". It returns nil when Input.Truth is nil.
func TruthScores(ctx context.Context, name string, g Group, in Input) ([]Score, error) {
	if in.Truth == nil || name == privacyGroup {
		return nil, nil
	}
	var out []Score
	var err error
	if name == utilityGroup {
		t := in
		t.Holdout = in.Truth
		out, err = utility(ctx, t, "truth")
	} else {
		t := in
		t.Real, t.Holdout, t.Truth = in.Truth, nil, nil
		out, err = g.Scores(ctx, t)
	}
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Group += TruthSuffix
		p := make(map[string]any, len(out[i].Params)+1)
		for k, v := range out[i].Params {
			p[k] = v
		}
		p["reference"] = "truth"
		out[i].Params = p
	}
	return out, nil
}
