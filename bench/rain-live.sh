#!/usr/bin/env bash
# Live rain gauges: the sample city's 3 days of 10-minute readings and the real AMeDAS typhoon series
# (2023-09-07…09, hourly, with gaps) posted by 100 gauge clients at once to a fresh server, while an
# SSE subscriber follows /rain/stream. Prints one line per batch size: sustained readings/s and the
# POST→SSE delay p50/p99. No reference tool: there is no off-the-shelf server for this pair of endpoints.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
swift build -c release --scratch-path .build-release --product chizu >/dev/null
CHIZU="$ROOT/.build-release/release/chizu"
AMEDAS="${AMEDAS:-$ROOT/../shared/data/real/amedas-kanagawa-hourly/event_2023-09-08_typhoon13.csv}"
for batch in ${BATCHES:-1 12}; do
  "$CHIZU" rain bench --gauges "${GAUGES:-100}" --batch "$batch" --subscribers "${SUBSCRIBERS:-1}" --amedas "$AMEDAS"
done
