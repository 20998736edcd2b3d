#!/usr/bin/env bash
# Prints, computed by jq from run/results.jsonl independently of the Go code,
# the mean and sample standard deviation of bayes-net's price Wasserstein
# over its ok seeds (fixtureBNPriceW in golden_test.go).
cd "$(dirname "$0")"
jq -s '[.[] | select(.method.label=="bayes-net" and .status=="ok") | .metrics[]
  | select(.name=="wasserstein" and .columns==["price"]) | .value]
  | (add/length) as $m | [$m, ((map((.-$m)*(.-$m))|add)/(length-1)|sqrt)]' run/results.jsonl
