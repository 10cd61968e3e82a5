#!/usr/bin/env bash
# On-the-fly tile rendering: every tile z12–z17 covering the data of the `public` tileset, one at a
# time, no cache; prints one line with total time and p50/p99 per tile.
source "$(dirname "$0")/common.sh"
"$CHIZU" tiles bench --db "$BENCH_DB" --layers layers --tileset public --minzoom "${MINZOOM:-12}" --maxzoom "${MAXZOOM:-17}"
