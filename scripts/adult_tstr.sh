#!/bin/bash
# Adult TSTR per method (BENCHMARKS.md, "Adult: TSTR per method beside SDGym"):
# each method is fitted on the train split, samples as many rows with seed 1,
# and is scored by the utility and privacy groups against the test split.
# Usage: scripts/adult_tstr.sh [DIR]   (writes DIR/eval-METHOD.csv; default ./adult-tstr)
set -euo pipefail
dir=${1:-adult-tstr}
mkdir -p "$dir"
go build -o "$dir/synthor" ./cmd/synthor
S=$dir/synthor
$S datasets export adult --split train --out "$dir/train.csv"
$S datasets export adult --split test --out "$dir/test.csv"
for m in bootstrap uniform independent gaussian-copula bayes-net cart llmsynthor; do
  $S synth --dataset adult --split train --method "$m" --seed 1 --out "$dir/syn-$m.csv"
  $S eval --real "$dir/train.csv" --synth "$dir/syn-$m.csv" --holdout "$dir/test.csv" \
    --metrics utility,privacy --format csv > "$dir/eval-$m.csv"
done
