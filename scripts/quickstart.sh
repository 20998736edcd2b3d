#!/usr/bin/env bash
# The quickstart: the paper's e-commerce setting on the built-in ecommerce-bn
# network, offline. A 2,000-record reference sample is the training data and
# the target; LLMSynthor (loop with the stat planner: no LLM) and the
# baselines each synthesize 2,000 records; synthor eval compares them with a
# fresh 2,000-record sample of the true network (the noise floor).
set -euo pipefail
bin=${1:-bin/synthor}
out=${OUT:-out/quickstart}
rows=${ROWS:-2000}
mkdir -p "$out"

joints="user_age,user_gender,product_category;product_category,price;user_location_tier,payment_method"
untargeted="user_age,price;user_gender,payment_method"

echo "== data"
"$bin" datasets export ecommerce-bn --rows "$rows" --seed 1 --out "$out/reference.csv"
"$bin" datasets export ecommerce-bn --rows "$rows" --seed 2 --out "$out/fresh-sample.csv"

echo
echo "== synthesize ($rows records each, seed 1)"
"$bin" synth --data "$out/reference.csv" --method llmsynthor --rows "$rows" --seed 1 \
  --set joints="$joints" --out "$out/llmsynthor-stat.csv" --trace "$out/llmsynthor-stat.trace.jsonl"
files=("$out/fresh-sample.csv" "$out/llmsynthor-stat.csv")
for m in ipf bayes-net gaussian-copula cart independent uniform; do
  extra=()
  [ "$m" = ipf ] && extra=(--set joints="$joints")
  "$bin" synth --data "$out/reference.csv" --method "$m" --rows "$rows" --seed 1 "${extra[@]}" --out "$out/$m.csv"
  files+=("$out/$m.csv")
done

echo
echo "== synthor eval against the reference (targeted joints first, then untargeted pairs; lower is better but for the *_complement and SDMetrics rows)"
args=()
for f in "${files[@]}"; do args+=(--synth "$f"); done
"$bin" eval --real "$out/reference.csv" "${args[@]}" --joints "$joints;$untargeted" --format markdown \
  | tee "$out/comparison.md"
echo
echo "The fresh sample is a second draw from the true network: the floor that sampling noise sets."
echo "llmsynthor-stat is LLMSynthor's loop planned by the stat planner (no LLM). Files are in $out/."
