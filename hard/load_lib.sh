# Shared by hard/load.sh and hard/reingest.sh (after hard/lib.sh): the request mix and its figures.

# mix_args PORT — the Lua mix's arguments: the roads' lon/lat extent and the rain gauges' site ids.
mix_args() {
  local port="$1"
  python3 - "$port" <<'EOF'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
bbox = json.load(urllib.request.urlopen(base + "/collections/roads"))["extent"]["spatial"]["bbox"][0]
gauges = json.load(urllib.request.urlopen(base + "/collections/rain_gauges/items?limit=1000"))["features"]
sites = ",".join(str(f["properties"]["site_id"]) for f in gauges)
print(" ".join(f"{v:.5f}" for v in bbox), sites)
EOF
}

# start_load PORT CONNS SECONDS OUT — wrk (the mix of hard/load_mix.lua) and hard/sse_load.py in the
# background: CONNS/4 held SSE streams and 20 SSE connects a second. Sets WRK_PID and SSE_PID;
# their result lines go to OUT.wrk and OUT.sse. wrk's timeout is 10 s (a browser waits longer than
# wrk's default 2 s; a slower answer is still reported as an error).
start_load() {
  local port="$1" conns="$2" seconds="$3" out="$4"
  local args; args=$(mix_args "$port")
  # shellcheck disable=SC2086 — args are the Lua script's words
  wrk -t2 -c"$conns" -d"${seconds}s" --timeout 10s -s "$ROOT/hard/load_mix.lua" "http://127.0.0.1:$port" -- $args \
    > "$out.wrk" 2>&1 &
  WRK_PID=$!
  python3 "$ROOT/hard/sse_load.py" "$port" "$seconds" $(( conns / 4 )) 20 > "$out.sse" 2>&1 &
  SSE_PID=$!
}

# result FILE KEY — a value from the WRK_RESULT or SSE_RESULT line in FILE (empty when missing).
result() { grep -ho "[ ]$2=[^ ]*" "$1" | head -1 | cut -d= -f2; }

# fd_count PID — open file descriptors of a process.
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# peak_rss_mib PID — the process's peak resident set (VmHWM), in MiB.
peak_rss_mib() { awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

# wrk_errors OUT — failed requests in a wrk result: status ≥ 400 plus every socket error.
wrk_errors() {
  local f="$1.wrk"
  echo $(( $(result "$f" status) + $(result "$f" connect) + $(result "$f" read) + $(result "$f" write) + $(result "$f" timeout) ))
}

# ms MICROSECONDS — as milliseconds with one decimal.
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

# verdict 0|1 — record's RESULT for an arithmetic test: verdict $(( errors == 0 )).
verdict() { if [[ "$1" == 1 ]]; then echo PASS; else echo FAIL; fi; }
