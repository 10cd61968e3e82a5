# Shared by the tile benchmarks: builds chizu (release) and a benchmark database.
# BENCH_DB: an existing database to use (e.g. the sample city after `chizu ingest --all`);
# otherwise a generated test city is made once under var/bench/. LAYERS: the layer definitions (default
# layers/; the scale-4 test towns need the widened extent that bench/ingest-vs-ogr2ogr.sh writes to
# var/bench-ingest/layers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
swift build -c release --product chizu --scratch-path .build-release >/dev/null
CHIZU="$ROOT/.build-release/release/chizu"
mkdir -p var/bench
LAYERS=${LAYERS:-layers}
if [[ -z "${BENCH_DB:-}" ]]; then
  BENCH_DB=var/bench/testcity.sqlite
  if [[ ! -f "$BENCH_DB" ]]; then
    "$CHIZU" db init --db "$BENCH_DB" --layers layers >/dev/null
    python3 bench/gen_test_city.py "${BENCH_SPACING:-150}" | spatialite -silent "$BENCH_DB" >/dev/null
  fi
fi
export BENCH_DB CHIZU LAYERS
