#!/usr/bin/env bash
# Compare the Routing solver (chizu route bench) with PyVRP and OR-Tools (PATH_CHEAPEST_ARC + GUIDED_LOCAL_SEARCH)
# on CVRPLIB instances: same time limit, one thread each, one solver at a time.
# Usage: bench/cvrplib.sh [SECONDS=30] [SEED=1] [INSTANCE ...]   (instances by name, e.g. X-n101-k25;
#        default: the issue's set X-n101-k25 X-n153-k22 X-n200-k36 X-n303-k21 X-n502-k39 X-n1001-k43)
# Prints one line per instance (BKS, each solver's cost and gap to the BKS) and the average gaps.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_LIMIT=${1:-30}
SEED=${2:-1}
shift $(( $# > 2 ? 2 : $# )) || true
INSTANCES=("$@")
[ ${#INSTANCES[@]} -gt 0 ] || INSTANCES=(X-n101-k25 X-n153-k22 X-n200-k36 X-n303-k21 X-n502-k39 X-n1001-k43)
DATA=${CVRPLIB_DIR:-../shared/data/cvrplib}
PYTHON=${PYTHON:-python3}

for module in pyvrp ortools; do
    if ! "$PYTHON" -c "import $module" 2>/dev/null; then
        echo "installing $module from PyPI…" >&2
        "$PYTHON" -m pip install --quiet "$module" >&2
    fi
done
swift build -c release --scratch-path .build-release --product chizu >&2
BENCH=".build-release/release/chizu route bench"

printf "%-12s %5s %8s | %8s %7s | %8s %7s | %8s %7s\n" instance n bks chizu gap pyvrp gap ortools gap
sums="0 0 0"
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
    ortools=$("$PYTHON" - "$vrp" "$SECONDS_LIMIT" <<'PY'
import math, re, sys
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
# VRPLIB CVRP: rounded Euclidean distances, one depot, fleet unbounded (k in the name is its minimum).
text = open(sys.argv[1]).read()
cap = int(re.search(r"CAPACITY\s*:\s*(\d+)", text).group(1))
coords = [tuple(map(float, l.split()[1:3])) for l in text.split("NODE_COORD_SECTION")[1].split("DEMAND_SECTION")[0].strip().splitlines()]
demand = [int(l.split()[1]) for l in text.split("DEMAND_SECTION")[1].split("DEPOT_SECTION")[0].strip().splitlines()]
depot = int(text.split("DEPOT_SECTION")[1].split()[0]) - 1
n = len(coords)
k = int(re.search(r"-k(\d+)", sys.argv[1]).group(1))
vehicles = k + max(2, k // 5)
dist = [[round(math.dist(a, b)) for b in coords] for a in coords]
manager = pywrapcp.RoutingIndexManager(n, vehicles, depot)
routing = pywrapcp.RoutingModel(manager)
transit = routing.RegisterTransitCallback(lambda i, j: dist[manager.IndexToNode(i)][manager.IndexToNode(j)])
routing.SetArcCostEvaluatorOfAllVehicles(transit)
load = routing.RegisterUnaryTransitCallback(lambda i: demand[manager.IndexToNode(i)])
routing.AddDimensionWithVehicleCapacity(load, 0, [cap] * vehicles, True, "load")
params = pywrapcp.DefaultRoutingSearchParameters()
params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
params.time_limit.FromMilliseconds(int(float(sys.argv[2]) * 1000))
solution = routing.SolveWithParameters(params)
print(solution.ObjectiveValue() if solution else "infeasible")
PY
)
    line=$(awk -v name="$name" -v n="$n" -v bks="$bks" -v ours="$cost" -v py="$pyvrp" -v ot="$ortools" 'BEGIN {
        g1 = (ours - bks) / bks * 100; g2 = (py - bks) / bks * 100; g3 = (ot - bks) / bks * 100
        printf "%-12s %5d %8d | %8d %6.2f%% | %8s %6.2f%% | %8s %6.2f%%\t%f %f %f\n", name, n, bks, ours, g1, py, g2, ot, g3, g1, g2, g3 }')
    echo "${line%%$'\t'*}"
    sums=$(echo "$sums ${line##*$'\t'}" | awk '{ printf "%f %f %f", $1 + $4, $2 + $5, $3 + $6 }')
done
echo "$sums" | awk -v k="${#INSTANCES[@]}" '{ printf "%-12s %5s %8s | %8s %6.2f%% | %8s %6.2f%% | %8s %6.2f%%\n", "average", "", "", "", $1 / k, "", $2 / k, "", $3 / k }'
