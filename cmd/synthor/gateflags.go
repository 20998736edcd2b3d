package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/synthor/synthor/reports"
)

// gateFlags are report's scorecard and gate flags.
type gateFlags struct {
	scorecard, gateScores string
	alpha                 float64
	all                   bool
	minEffect             []string
}

func (g *gateFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&g.scorecard, "scorecard", "", "headline scores, comma-separated (`LIST`; NAME[param=value] picks a variant): "+strings.Join(reports.HeadlineKeys(), ", "))
	f.Float64Var(&g.alpha, "alpha", reports.DefaultAlpha, "family-wise false-alarm rate of the gate over all its comparisons (Holm–Bonferroni)")
	f.StringVar(&g.gateScores, "gate-scores", "", "scores the gate compares (`LIST`; default: the scorecard's, less seconds and peak_memory)")
	f.BoolVar(&g.all, "gate-all", false, "gate every score of every cell, not only the scorecard's")
	f.StringArrayVar(&g.minEffect, "min-effect", nil, "`SCORE=X` or SCORE=X%: a worsening up to X (absolute, or X% of the baseline) is not a regression; repeatable")
}

// options parses the flags: the scorecard's headline set (the flag, else
// the run's config in DIR/manifest.json, else the default) and the gate's
// options.
func (g *gateFlags) options(dir string) ([]reports.HeadlineScore, reports.GateOptions, error) {
	var o reports.GateOptions
	if g.alpha <= 0 || g.alpha >= 1 {
		return nil, o, fmt.Errorf("--alpha %g is not between 0 and 1", g.alpha)
	}
	o.Alpha, o.All = g.alpha, g.all
	items := splitList(g.scorecard)
	if items == nil {
		items = configScorecard(dir)
	}
	var headline []reports.HeadlineScore
	if items != nil {
		hs, err := reports.ParseHeadline(items)
		if err != nil {
			return nil, o, err
		}
		headline = hs
	}
	switch {
	case g.gateScores != "":
		hs, err := reports.ParseHeadline(splitList(g.gateScores))
		if err != nil {
			return nil, o, fmt.Errorf("--gate-scores: %w", err)
		}
		o.Scores = hs
	case headline != nil:
		for _, h := range headline {
			if h.Gate {
				o.Scores = append(o.Scores, h)
			}
		}
	}
	for _, s := range g.minEffect {
		k, e, err := reports.ParseEffect(s)
		if err != nil {
			return nil, o, fmt.Errorf("--min-effect: %w", err)
		}
		if o.MinEffect == nil {
			o.MinEffect = map[string]reports.Effect{}
		}
		o.MinEffect[k] = e
	}
	return headline, o, nil
}

func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// configScorecard is the scorecard key of the config recorded in
// DIR/manifest.json; nil when there is none.
func configScorecard(dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil // a results file, or a run without a manifest
	}
	var m struct {
		Config struct {
			Scorecard []string `json:"scorecard"`
		} `json:"config"`
	}
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m.Config.Scorecard
}
