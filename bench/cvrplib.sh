#!/usr/bin/env bash
# Compare the Routing solver (chizu route bench) with PyVRP on CVRPLIB instances, same time limit, one at a time.
# Usage: bench/cvrplib.sh [SECONDS] [SEED] [INSTANCE ...]   (instances by name, e.g. X-n101-k25)
# Prints one line per instance: name, n, BKS, our cost and gap, PyVRP's cost and gap, and our-gap / pyvrp-gap.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_LIMIT=${1:-20}
SEED=${2:-1}
shift $(( $# > 2 ? 2 : $# )) || true
INSTANCES=("$@")
[ ${#INSTANCES[@]} -gt 0 ] || INSTANCES=(X-n101-k25 X-n200-k36 X-n401-k29)
DATA=${CVRPLIB_DIR:-../shared/data/cvrplib}
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c "import pyvrp" 2>/dev/null; then
    echo "installing pyvrp from PyPI…" >&2
    "$PYTHON" -m pip install --quiet pyvrp >&2
fi
swift build -c release --scratch-path .build-release --product chizu >&2
BENCH=".build-release/release/chizu route bench"

printf "%-12s %5s %8s | %8s %7s | %8s %7s | %s\n" instance n bks ours gap% pyvrp gap% ratio
for name in "${INSTANCES[@]}"; do
    vrp="$DATA/$name.vrp"
    ours=$($BENCH "$vrp" --time-limit "$SECONDS_LIMIT" --seed "$SEED" | tail -1)
    n=$(echo "$ours" | cut -f2); cost=$(echo "$ours" | cut -f3); bks=$(echo "$ours" | cut -f4)
    pyvrp=$("$PYTHON" - "$vrp" "$SECONDS_LIMIT" "$SEED" <<'PY'
import sys
from pyvrp import read, solve
from pyvrp.stop import MaxRuntime
data = read(sys.argv[1], round_func="round")
result = solve(data, stop=MaxRuntime(float(sys.argv[2])), seed=int(sys.argv[3]), display=False)
print(round(result.cost()) if result.is_feasible() else "infeasible")
PY
)
    awk -v name="$name" -v n="$n" -v bks="$bks" -v ours="$cost" -v py="$pyvrp" 'BEGIN {
        g1 = (ours - bks) / bks * 100; g2 = (py - bks) / bks * 100
        ratio = (g2 > 0) ? sprintf("%.2f", g1 / g2) : "n/a"
        printf "%-12s %5d %8d | %8d %6.2f%% | %8s %6.2f%% | %s\n", name, n, bks, ours, g1, py, g2, ratio }'
done
