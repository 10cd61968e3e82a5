#!/usr/bin/env bash
# Travel-time matrix: 1,000 pickup points on the scale-4 sample city's road network. chizu (Dijkstra, binary heap
# on CSR arrays, both cores) vs scipy.sparse.csgraph.dijkstra on the exported CSR graph from the same source nodes,
# in the same run. Prints one line with the ratio. Needs scipy (pip install scipy).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; cd "$ROOT"
SCRATCH="${SCRATCH:-.build-release}"
swift build -c release --scratch-path "$SCRATCH" --product chizu >/dev/null
CHIZU="$ROOT/$SCRATCH/release/chizu"
STOPS="${STOPS:-1000}"
OUT=var/bench/route; mkdir -p "$OUT"
DB="$OUT/scale4.sqlite"
if [[ ! -f "$DB" ]]; then
  "$CHIZU" sample --scale 4 --out "$OUT/sample4" >/dev/null 2>&1
  "$CHIZU" db init --db "$DB" --layers layers >/dev/null
  "$CHIZU" ingest --db "$DB" --layers layers --all "$OUT/sample4" >/dev/null
fi
line=$("$CHIZU" route matrix-bench --db "$DB" --layers layers --stops "$STOPS" \
       --export-csr "$OUT/graph.csr" --export-sources "$OUT/sources.bin" 2>"$OUT/matrix.log")
chizu_s=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s .*/\1/')
read -r scipy_s scipy_finite < <(python3 bench/route_matrix_scipy.py "$OUT/graph.csr" "$OUT/sources.bin")
ratio=$(python3 -c "print(f'{$scipy_s / $chizu_s:.2f}')")
echo "route-matrix $STOPS stops: $line | scipy dijkstra ${scipy_s} s (1 thread, ${scipy_finite} finite node labels) | scipy/chizu = ${ratio}x"
