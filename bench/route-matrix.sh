#!/usr/bin/env bash
# Travel-time matrix: 1,000 pickup points on the scale-4 sample city's road network. chizu (Dijkstra, binary heap
# on CSR arrays, both cores) vs scipy.sparse.csgraph.dijkstra on the exported CSR graph from the same source nodes,
# in the same run. Prints one line with the ratio. Needs scipy (pip install scipy). THREADS=1 for one core each.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; cd "$ROOT"
SCRATCH="${SCRATCH:-.build-release}"
swift build -c release --scratch-path "$SCRATCH" --product chizu >/dev/null
CHIZU="$ROOT/$SCRATCH/release/chizu"
STOPS="${STOPS:-1000}"
OUT=var/bench/route; mkdir -p "$OUT"
DB="$OUT/scale4.sqlite"
# The scale-test towns lie beside Isehara: widen the layers' plausible extent for this run only.
rm -rf "$OUT/layers"; mkdir -p "$OUT/layers"
for f in layers/*.yaml; do sed 's/^extent: .*/extent: [138.9, 35.1, 140.6, 36.4]/' "$f" > "$OUT/layers/$(basename "$f")"; done
if [[ ! -f "$DB" ]]; then
  [[ -d "$OUT/sample4" ]] || "$CHIZU" sample --scale 4 --out "$OUT/sample4" >/dev/null 2>&1
  "$CHIZU" db init --db "$DB" --layers "$OUT/layers" >/dev/null
  "$CHIZU" ingest --db "$DB" --layers "$OUT/layers" --all "$OUT/sample4" >/dev/null 2>&1
fi
line=$("$CHIZU" route matrix-bench ${THREADS:+--threads "$THREADS"} --db "$DB" --layers "$OUT/layers" --stops "$STOPS" \
       --export-csr "$OUT/graph.csr" --export-sources "$OUT/sources.bin" 2>"$OUT/matrix.log")
chizu_s=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s .*/\1/')
read -r scipy_s scipy_finite < <(python3 bench/route_matrix_scipy.py "$OUT/graph.csr" "$OUT/sources.bin")
ratio=$(python3 -c "print(f'{$scipy_s / $chizu_s:.2f}')")
echo "route-matrix $STOPS stops: $line | scipy dijkstra ${scipy_s} s (1 thread, ${scipy_finite} finite node labels) | scipy/chizu = ${ratio}x"
