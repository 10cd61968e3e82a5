#!/usr/bin/env bash
# The sample city's real yard-waste day (road-network matrices, several trips per truck, unloading at the
# recycling facility, shift) solved by Chizu and by PyVRP (reload depots) with the same matrices, the
# same time limit and one thread each; both solutions scored by one evaluator (bench/real_instance_pyvrp.py).
#   usage: bench/real-instance.sh [SECONDS=30] [SEED=1] [DATE=2026-11-16] [TRUCKS=2] [CAPACITY=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-30}; SEED=${2:-1}; DATE=${3:-2026-11-16}; TRUCKS=${4:-2}; CAPACITY=${5:-1000}
WORK=${BENCH_DIR:-var/bench-real}
PYTHON=${PYTHON:-python3}
mkdir -p "$WORK"
"$PYTHON" -c "import pyvrp" 2>/dev/null || "$PYTHON" -m pip install --quiet pyvrp >&2
swift build -c release --scratch-path .build-release --product chizu >/dev/null
CHIZU=.build-release/release/chizu
if [ ! -f "$WORK/chizu.sqlite" ]; then
  $CHIZU sample --out "$WORK/sample" --scale 1 --seed 1 >/dev/null 2>&1
  $CHIZU db init --db "$WORK/chizu.sqlite" >/dev/null
  $CHIZU ingest --db "$WORK/chizu.sqlite" --all "$WORK/sample" >/dev/null 2>&1
fi
$CHIZU route export-vrplib --db "$WORK/chizu.sqlite" --date "$DATE" --trucks "$TRUCKS" --capacity "$CAPACITY" \
  --format json --out "$WORK/day.json" >&2
$CHIZU route bench "$WORK/day.json" --time-limit "$SECS" --seed "$SEED" --solution-out "$WORK/chizu-solution.json" >&2
"$PYTHON" bench/real_instance_pyvrp.py "$WORK/day.json" "$SECS" "$SEED" "$WORK/chizu-solution.json"
