#!/usr/bin/env bash
# Takes the README's pictures of the HTML report in headless Chromium at
# 1,400 pixels: the first screen (scorecards and the trade-off) and Adult's
# real against synthetic distributions, from a quickstart run.
# Usage: scripts/report-screenshots.sh [RUN_DIR]
# (without RUN_DIR it runs configs/quickstart.yaml into a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$chrome" ]; then
  echo "report-screenshots: no chromium (apt-get install -y chromium)" >&2
  exit 1
fi
go build -o bin/synthor ./cmd/synthor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run=${1:-}
if [ -z "$run" ]; then
  run=$tmp/quickstart
  ./bin/synthor run configs/quickstart.yaml --out "$run" --quiet > /dev/null
fi
./bin/synthor report "$run" --format html --out "$tmp/report.html"
# The same page showing only Adult's distribution plots: a style sheet
# hides the rest (the page's policy allows inline styles).
hide='<style>main > :not(#ds-adult), #ds-adult > :not(#dist-adult):not(#dist-adult ~ *),
#dist-adult ~ h3, #dist-adult ~ h3 ~ * { display: none !important; }</style></head>'
sed "s|</head>|$(printf '%s' "$hide" | tr '\n' ' ')|" "$tmp/report.html" > "$tmp/dist.html"
shot() { # FILE HEIGHT PAGE
  "$chrome" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --user-data-dir="$tmp/profile" \
    --window-size=1400,"$2" --screenshot="$1" "file://$3" 2> /dev/null
}
mkdir -p docs
shot docs/report-first-screen.png 1000 "$tmp/report.html"
shot docs/report-distributions.png 1100 "$tmp/dist.html"
echo "wrote docs/report-first-screen.png and docs/report-distributions.png from $run"
