#!/usr/bin/env bash
# Part 1 of make check-hard — load: wrk on loopback with the mix of hard/load_mix.lua (70% public
# tiles z12–z16, 20% roads items with a small bbox, 10% rain gauge requests) plus SSE streams and
# connects from hard/sse_load.py, on the scale-4 sample city: 60 s at 64 then 256 connections.
# QUICK=1: the scale-1 city, 8 s at 64 connections.
#
# The server runs as deployed: a disk tile cache (the default --tile-cache; here a fresh folder under
# var/hard) with the default 64 MiB memory cache and 32 MiB item-page cache.
#
# Rows: req/s, p50/p99, failed requests (wrk status ≥ 400 and socket errors, must be 0), SSE connects
# (must all reach their first event), the server's peak RSS (VmHWM, must stay under 1.5 GiB) and its
# open file descriptors after the load against before (must come back within 4 of the baseline).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/hard/load_lib.sh"

if [[ "$QUICK" == 1 ]]; then scale=1 seconds=8 levels=(64); else scale=4 seconds=60 levels=(64 256); fi
# Caches (96 MiB) + SQLite readers' page caches and mappings + in-flight renders and buffers come to a
# few hundred MiB; 1.5 GiB leaves room for the allocator's slack yet catches growth per request.
rss_bound_mib=1536

work="$HARD_DIR/load"
rm -rf "$work" && mkdir -p "$work"
db=$(sample_db "$HARD_DIR/city$scale" "$scale")
port=$(free_port)
trap stop_server EXIT
start_server "$db" "$port" --layers "$HARD_DIR/city$scale/layers" --tile-cache "$work/tile-cache"

# A short warm-up opens the reader pool and the caches' folders: the baseline is a server that has served.
start_load "$port" 8 2 "$work/warmup"
wait "$WRK_PID" "$SSE_PID"
sleep 1
fd_before=$(fd_count "$SERVER_PID")

for c in "${levels[@]}"; do
  out="$work/c$c"
  start_load "$port" "$c" "$seconds" "$out"
  wait "$WRK_PID" || true
  wait "$SSE_PID" || true
  if ! grep -q WRK_RESULT "$out.wrk" || ! grep -q SSE_RESULT "$out.sse"; then
    cat "$out.wrk" "$out.sse" >&2
    record load "run@$c" FAIL "wrk or the SSE clients gave no result (see $out.wrk, $out.sse)"
    continue
  fi
  n=$(result "$out.wrk" requests) us=$(result "$out.wrk" duration_us)
  record load "requests/s@$c" INFO "$(( n * 1000000 / us )) req/s ($n requests in $(( us / 1000000 )) s, $scale×city)"
  record load "latency@$c" INFO "p50 $(ms "$(result "$out.wrk" p50_us)") ms, p99 $(ms "$(result "$out.wrk" p99_us)") ms, max $(ms "$(result "$out.wrk" max_us)") ms"
  errors=$(wrk_errors "$out")
  detail="$errors of $n (status≥400 $(result "$out.wrk" status), connect $(result "$out.wrk" connect), read $(result "$out.wrk" read), write $(result "$out.wrk" write), timeout $(result "$out.wrk" timeout))"
  record load "errors@$c" "$(verdict $(( errors == 0 )))" "$detail"
  sse_errors=$(( $(result "$out.sse" errors) + $(result "$out.sse" dropped) ))
  record load "sse@$c" "$(verdict $(( sse_errors == 0 )))" \
    "$(( c / 4 )) streams held, $(result "$out.sse" connects) connects ($(result "$out.sse" rate)/s) to first event p50 $(result "$out.sse" p50_ms) ms p99 $(result "$out.sse" p99_ms) ms; $(result "$out.sse" errors) errors, $(result "$out.sse" dropped) dropped"
  rss=$(peak_rss_mib "$SERVER_PID")
  record load "peak-rss@$c" "$(verdict $(( rss < rss_bound_mib )))" "VmHWM $rss MiB (bound $rss_bound_mib MiB)"
done

# Every connection is closed now; give the server a moment to notice, then count again.
fd_after=$(fd_count "$SERVER_PID")
for _ in $(seq 1 20); do
  (( fd_after <= fd_before + 4 )) && break
  sleep 0.5; fd_after=$(fd_count "$SERVER_PID")
done
record load "file-descriptors" "$(verdict $(( fd_after <= fd_before + 4 )))" "$fd_after after the load, $fd_before before (within 4)"
