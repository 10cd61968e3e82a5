# Shared by the hardening checks (hard/*.sh, run by `make check-hard`).
#   QUICK=1          the short versions that CI runs (fewer iterations, shorter load).
#   HARD_RESULTS     a TSV file each check appends its rows to (hard/run.sh sets it).
#   HARD_CONFIG      debug or release build of chizu (default: release; quick runs use debug).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
QUICK="${QUICK:-0}"
HARD_DIR="$ROOT/var/hard"
mkdir -p "$HARD_DIR"
HARD_RESULTS="${HARD_RESULTS:-$HARD_DIR/results.tsv}"
if [[ -z "${HARD_CONFIG:-}" ]]; then
  if [[ "$QUICK" == 1 ]]; then HARD_CONFIG=debug; else HARD_CONFIG=release; fi
fi
if [[ "$HARD_CONFIG" == release ]]; then
  swift build -c release --scratch-path .build-release --product chizu >/dev/null
  CHIZU="$ROOT/.build-release/release/chizu"
else
  swift build --product chizu >/dev/null
  CHIZU="$ROOT/.build/debug/chizu"
fi
export CHIZU QUICK HARD_RESULTS HARD_CONFIG

# record PART CHECK RESULT DETAIL — one row of the summary table. RESULT is PASS, FAIL or INFO.
record() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$HARD_RESULTS"
  printf '  %-4s %-22s %s\n' "$3" "$2" "$4" >&2
}

# sample_db DIR SCALE — a sample city at SCALE ingested into DIR/chizu.sqlite (made once, reused).
# The towns of a scale > 1 city lie beside Isehara, outside the layers' plausible extent: those
# cities use DIR/layers, a copy of layers/ with the extent widened (ingest more into them with it).
sample_db() {
  local dir="$1" scale="$2"
  mkdir -p "$dir/layers"
  for f in layers/*.yaml; do
    if [[ "$scale" == 1 ]]; then cp "$f" "$dir/layers/"
    else sed 's/^extent: .*/extent: [138.9, 35.1, 140.6, 36.4]/' "$f" > "$dir/layers/$(basename "$f")"; fi
  done
  if [[ ! -f "$dir/chizu.sqlite" ]]; then
    "$CHIZU" sample --out "$dir/sample" --scale "$scale" --seed 1 >/dev/null
    "$CHIZU" db init --db "$dir/chizu.sqlite.tmp" --layers "$dir/layers" >/dev/null
    "$CHIZU" ingest --db "$dir/chizu.sqlite.tmp" --layers "$dir/layers" --all "$dir/sample" >/dev/null 2>&1
    mv "$dir/chizu.sqlite.tmp" "$dir/chizu.sqlite"
  fi
  echo "$dir/chizu.sqlite"
}

# free_port — an unused TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_server DB PORT [extra serve args...] — starts chizu serve in the background, sets SERVER_PID,
# waits until it answers. The server's log goes to $HARD_DIR/serve-PORT.log.
start_server() {
  local db="$1" port="$2"; shift 2
  "$CHIZU" serve --db "$db" --layers layers --port "$port" --tile-cache none "$@" \
    > "$HARD_DIR/serve-$port.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/conformance" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server on port $port died; see $HARD_DIR/serve-$port.log" >&2; return 1; }
    sleep 0.1
  done
  echo "server on port $port did not answer in 20 s" >&2; return 1
}

# stop_server — SIGTERM, then wait up to 10 s before SIGKILL.
stop_server() {
  [[ -n "${SERVER_PID:-}" ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
