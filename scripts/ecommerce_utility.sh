#!/bin/bash
# ecommerce-bn utility and privacy per method (BENCHMARKS.md): reference
# sample seed 1 (2,000 records), holdout seed 2, fresh sample seed 3; both
# derived labels; --truth 50000 fresh records of the network.
# Usage: scripts/ecommerce_utility.sh [DIR]   (default ./ecommerce-utility)
set -euo pipefail
dir=${1:-ecommerce-utility}
mkdir -p "$dir"
go build -o "$dir/synthor" ./cmd/synthor
S=$dir/synthor
$S datasets export ecommerce-bn --rows 2000 --seed 1 --out "$dir/ref.csv"
$S datasets export ecommerce-bn --rows 2000 --seed 2 --out "$dir/hold.csv"
for m in fresh bootstrap independent gaussian-copula bayes-net cart llmsynthor; do
  if [ "$m" = fresh ]; then
    $S datasets export ecommerce-bn --rows 2000 --seed 3 --out "$dir/syn-$m.csv"
  else
    $S synth --data "$dir/ref.csv" --method "$m" --seed 1 --out "$dir/syn-$m.csv"
  fi
  for tgt in discount_propensity lifetime_value_band; do
    $S eval --real "$dir/ref.csv" --synth "$dir/syn-$m.csv" --holdout "$dir/hold.csv" --metrics utility,privacy \
      --target "$tgt" --truth 50000 --format csv > "$dir/eval-$m-$tgt.csv"
  done
done
