#!/usr/bin/env bash
# Regenerates the run directory reports/testdata/run/ (results.jsonl, cells/*)
# that the reports tests read, with the synthor binary: ecommerce-bn ×
# {llmsynthor (stat planner), bayes-net, independent} × seeds 1..3 at 500
# records, scored by synthor eval, plus a failed and a timed-out cell written by
# hand. The rows have the shape the bench runner writes (bench.Result); scores
# over the targeted marginals and joints are marked targeted, as
# eval --targets would. Traces keep their discrepancy and drop the proposals.
# Usage: reports/testdata/gen.sh [path/to/synthor]
set -euo pipefail
cd "$(dirname "$0")"
bin=${1:-../../bin/synthor}
out=run
rows=500
joints="user_age,user_gender,product_category;product_category,price;user_location_tier,payment_method"
untargeted="user_age,price;user_gender,payment_method"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/cells"
"$bin" datasets export ecommerce-bn --rows "$rows" --seed 100 --out "$tmp/ref.csv"
cp "$tmp/ref.csv" "$out/reference.csv"
# targeted: each column and the three joints (sorted, comma-joined).
tkeys='["payment_method","price","product_category","user_age","user_gender","user_location_tier",
"product_category,user_age,user_gender","price,product_category","payment_method,user_location_tier"]'
: > "$out/results.jsonl"
for m in llmsynthor bayes-net independent; do
  for seed in 1 2 3; do
    id=$(printf '%s-%s' "$m" "$seed" | sha256sum | cut -c1-16)
    cell="$out/cells/$id"
    mkdir -p "$cell"
    extra=()
    files='["cells/'$id'/synth.csv"]'
    if [ "$m" = llmsynthor ]; then
      extra=(--set joints="$joints" --trace "$tmp/trace.jsonl")
      files='["cells/'$id'/synth.csv","cells/'$id'/trace.jsonl"]'
    fi
    "$bin" synth --data "$tmp/ref.csv" --method "$m" --rows "$rows" --seed "$seed" "${extra[@]}" --out "$cell/synth.csv" 2>/dev/null
    if [ "$m" = llmsynthor ]; then
      jq -c 'del(.proposals)' "$tmp/trace.jsonl" > "$cell/trace.jsonl"
    fi
    "$bin" eval --real "$tmp/ref.csv" --synth "$cell/synth.csv" --joints "$joints;$untargeted" \
      --c2st-rows 200 --seed "$seed" --format json > "$tmp/eval.json"
    label=$m planner="" desc=""
    case $m in
      llmsynthor) label=llmsynthor-stat planner=stat desc="LLMSynthor loop with the stat planner (no LLM)";;
      bayes-net) desc="PrivBayes-style Bayesian network";;
      independent) desc="each column sampled independently";;
    esac
    synthor='null'
    if [ "$m" = llmsynthor ]; then
      synthor=$(jq -s -c '{planner:"stat",label:"LLMSynthor loop with the stat planner (no LLM)",
        deps:[["user_age","user_gender","product_category"],["product_category","price"],["user_location_tier","payment_method"]],
        iterations:length,records:.[-1].records,rows:.[-1].records,skips:0,repairs:{},calls:0,retries:0,parse_failures:0,
        stop:"size",discrepancy:.[-1].discrepancy}' "$cell/trace.jsonl")
    fi
    jq -c --arg id "$id" --arg m "$m" --arg lab "$label" --arg planner "$planner" --arg desc "$desc" \
      --argjson seed "$seed" --argjson rows "$rows" --argjson files "$files" --argjson tkeys "$tkeys" \
      --argjson synthor "$synthor" --argjson fit "$((seed * 3 + ${#m}))" '
      {id:$id, dataset:"ecommerce-bn",
       method:({name:$m,label:$lab,description:$desc} + (if $planner=="" then {} else {planner:$planner} end)),
       seed:$seed, rows:$rows, status:"ok",
       metrics:[.metrics[] | . + {targeted:((.columns|sort|join(",")) as $k | ($tkeys|index($k)) != null)}],
       timings:{fit_s:($fit/100), sample_s:0.01, eval_s:0.2, total_s:($fit/100 + 0.25)},
       peak_rss_bytes:52428800,
       versions:{module:"v0.0.0-test",metrics:"1"},
       config_hash:"c0ffee", data_hash:"da7a",
       files:$files} + (if $synthor == null then {} else {synthor:$synthor} end)' "$tmp/eval.json" >> "$out/results.jsonl"
  done
done
# A cell that failed and one that timed out: no scores.
cat >> "$out/results.jsonl" <<'ROWS'
{"id":"f00dfailed000001","dataset":"ecommerce-bn","method":{"name":"gaussian-copula","label":"gaussian-copula"},"seed":1,"rows":500,"status":"failed","reason":"gaussian-copula: column \"price\": covariance is not positive definite","metrics":[],"timings":{"fit_s":0.02,"sample_s":0,"eval_s":0,"total_s":0.05},"peak_rss_bytes":31457280,"versions":{"module":"v0.0.0-test","metrics":"1"},"config_hash":"c0ffee","data_hash":"da7a"}
{"id":"f00dtimeout00002","dataset":"ecommerce-bn","method":{"name":"bayes-net","label":"bayes-net"},"seed":4,"rows":500,"status":"timeout","reason":"killed after the cell timeout of 30s","metrics":[],"timings":{"fit_s":0,"sample_s":0,"eval_s":0,"total_s":30.01},"peak_rss_bytes":73400320,"versions":{"module":"v0.0.0-test","metrics":"1"},"config_hash":"c0ffee","data_hash":"da7a"}
ROWS
