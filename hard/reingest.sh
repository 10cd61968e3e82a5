#!/usr/bin/env bash
# Part 2 of make check-hard — re-ingest under load: while the load of hard/load.sh runs (wrk with
# the mix of hard/load_mix.lua at 64 connections, plus SSE streams), `chizu ingest roads --mode
# replace` replaces the roads layer 10 times (QUICK=1: 3 times, scale-1 city), alternating the
# sample's roads file (version A) and a copy whose pavement field reads MARKER on every feature
# (version B, made by hard/roads_variant.py). The last replace loads B.
#
# Checked: no failed request (wrk status ≥ 400 and socket errors, SSE errors: 0); every response of
# hard/reingest_check.py (the same items page and tiles, fetched in a loop) shows one version and
# each ETag only ever one version; after the last replace the items page and tiles show B, both from
# the running server (memory cache) and after a restart on the same disk tile cache.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/hard/load_lib.sh"

if [[ "$QUICK" == 1 ]]; then scale=1 replaces=3; else scale=4 replaces=10; fi
marker="v2-marker"
work="$HARD_DIR/reingest"
rm -rf "$work" && mkdir -p "$work"
city="$HARD_DIR/city$scale"
sample_db "$city" "$scale" >/dev/null
# Its own copy: the replaces must not change the city the other parts use.
cp "$city/chizu.sqlite" "$work/chizu.sqlite"
db="$work/chizu.sqlite"
python3 "$ROOT/hard/roads_variant.py" "$city/sample" "$work/roads-b" "$marker"
file_a="$city/sample/roads.shp" file_b="$work/roads-b/roads.shp"

port=$(free_port)
cleanup() {
  [[ -n "${WRK_PID:-}" ]] && kill -INT "$WRK_PID" 2>/dev/null
  [[ -n "${SSE_PID:-}" ]] && kill -TERM "$SSE_PID" 2>/dev/null
  [[ -n "${CHECK_PID:-}" ]] && kill -TERM "$CHECK_PID" 2>/dev/null
  stop_server
}
trap cleanup EXIT
serve() { start_server "$db" "$port" --layers "$city/layers" --tile-cache "$work/tile-cache"; }
serve

# The load runs until the last replace is done (wrk reports when interrupted); 10 s of it first.
start_load "$port" 64 3600 "$work/load"
python3 "$ROOT/hard/reingest_check.py" watch "$port" "$marker" "$work/check.json" 2> "$work/check.err" &
CHECK_PID=$!
sleep 10

times=() ingest_failures=0
for i in $(seq 1 "$replaces"); do
  # Counted from the end, so the last replace loads B whatever the count.
  if (( (replaces - i) % 2 == 0 )); then file="$file_b"; else file="$file_a"; fi
  t0=$(date +%s.%N)
  if ! "$CHIZU" ingest --db "$db" --layers "$city/layers" roads "$file" --mode replace > "$work/ingest-$i.log" 2>&1; then
    ingest_failures=$(( ingest_failures + 1 ))
    echo "reingest: replace $i failed; see $work/ingest-$i.log" >&2
  fi
  times+=("$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')")
  sleep 2
done
sleep 3

kill -INT "$WRK_PID"; wait "$WRK_PID" || true; WRK_PID=""
kill -TERM "$SSE_PID"; wait "$SSE_PID" || true; SSE_PID=""
kill -TERM "$CHECK_PID"; wait "$CHECK_PID" || true; CHECK_PID=""

roads=$(sqlite3 "$db" "SELECT feature_count || ' roads, version ' || version FROM chizu_layers WHERE layer_id = 'roads'")
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
record reingest replaces "$(verdict $(( ingest_failures == 0 )))" \
  "$(( replaces - ingest_failures )) of $replaces replaces committed under load (median $median s, max $(printf '%s\n' "${times[@]}" | sort -n | tail -1) s); now $roads"

if ! grep -q WRK_RESULT "$work/load.wrk" || ! grep -q SSE_RESULT "$work/load.sse" || [[ ! -s "$work/check.json" ]]; then
  cat "$work/load.wrk" "$work/load.sse" "$work/check.err" >&2
  record reingest requests FAIL "the load or the checker gave no result (see $work)"
else
  n=$(result "$work/load.wrk" requests) errors=$(wrk_errors "$work/load")
  sse_errors=$(( $(result "$work/load.sse" errors) + $(result "$work/load.sse" dropped) ))
  check() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/check.json" "$1"; }
  failed=$(( errors + sse_errors + $(check failed) ))
  record reingest requests "$(verdict $(( failed == 0 )))" \
    "$failed failed: wrk $errors of $n ($(( n * 1000000 / $(result "$work/load.wrk" duration_us) )) req/s, p99 $(ms "$(result "$work/load.wrk" p99_us)") ms), SSE $sse_errors of $(result "$work/load.sse" connects) connects, checker $(check failed)"
  bad=$(( $(check mixed) + $(check etag_conflicts) ))
  record reingest consistency "$(verdict $(( bad == 0 && $(check switches) > 0 )))" \
    "$(check items) items pages + $(check tiles) tiles checked: $(check mixed) showed two versions, $(check etag_conflicts) of $(check etags) ETags seen with two; the page changed version $(check switches) times"
fi

# After the last replace: the running server (memory cache), then a restart on the same disk cache.
final_running=$(python3 "$ROOT/hard/reingest_check.py" final "$port" "$marker" B) && ok1=1 || ok1=0
stop_server; serve
final_restarted=$(python3 "$ROOT/hard/reingest_check.py" final "$port" "$marker" B) && ok2=1 || ok2=0
stale() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(f\"{d['stale_count']} stale of {d['checked']}\", *d['stale'], *d['failed'])" "$1"; }
record reingest no-stale-tiles "$(verdict $(( ok1 && ok2 )))" \
  "final version B: running $(stale "$final_running"); restarted on the disk cache $(stale "$final_restarted")"
