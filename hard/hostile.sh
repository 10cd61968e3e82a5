#!/usr/bin/env bash
# Part 4 of `make check-hard`: hostile input.
#   1. schemathesis against our /api document (anonymous, and with a sewer reader token): no 5xx,
#      answers that match the document (status codes, content types, schemas where declared).
#   2. hard/hostile_cases.py: our own hostile requests (coordinates, tiles, paging, 1 MB inputs,
#      deep CQL2, SQL in every parameter, path traversal, invalid UTF-8, oversized headers and
#      bodies, malformed POST bodies): no 5xx, no hang, problem+json, the server stays up.
#   3. libFuzzer (Fuzz/, its own SwiftPM package) over the CQL2 parsers, the CSV reader and the
#      GeoJSON readers for a time budget each: executions counted, 0 crashes.
# Full: 200 examples per operation, 60 s per fuzzer. QUICK=1: 25 examples, 10 s per fuzzer.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PART=hostile
if [[ "$QUICK" == 1 ]]; then EXAMPLES=25; FUZZ_SECONDS=10; else EXAMPLES=200; FUZZ_SECONDS=60; fi
OUT="$HARD_DIR/hostile"
rm -rf "$OUT"; mkdir -p "$OUT"

# --- 3 first (no server needed): build the fuzzers while nothing else runs -----------------------
fuzz() {
  if ! swift build -c release --sanitize=fuzzer --package-path Fuzz > "$OUT/fuzz-build.log" 2>&1; then
    record $PART fuzz-build FAIL "swift build --sanitize=fuzzer failed; see $OUT/fuzz-build.log"
    return
  fi
  local bin; bin="$(swift build -c release --sanitize=fuzzer --package-path Fuzz --show-bin-path)"
  for name in FuzzCQL2Text FuzzCQL2JSON FuzzCSV FuzzGeoJSON FuzzOGR; do
    local dir="$OUT/fuzz/$name" dict=()
    mkdir -p "$dir/corpus"
    case $name in
      FuzzCQL2Text) dict=(-dict=Fuzz/cql2-text.dict) ;;
      FuzzCQL2JSON) dict=(-dict=Fuzz/cql2-json.dict) ;;
    esac
    # New inputs go to the scratch corpus; the committed seeds are read only.
    "$bin/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
      -artifact_prefix="$dir/" "${dict[@]}" "$dir/corpus" "Fuzz/Corpus/$name" > "$dir/log" 2>&1
    local rc=$?
    local execs; execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$dir/log")
    local cov; cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | awk '{print $2}')
    local crashes; crashes=$(find "$dir" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
    if [[ $rc -eq 0 && $crashes -eq 0 ]]; then
      record $PART "$name" PASS "${execs:-?} executions in ${FUZZ_SECONDS} s, coverage ${cov:-?} edges, 0 crashes"
    else
      record $PART "$name" FAIL "${execs:-?} executions, $crashes crash/timeout/oom inputs (exit $rc); see $dir/"
    fi
  done
}
fuzz

# --- the server over the sample city, with tokens -------------------------------------------------
DB="$(sample_db "$HARD_DIR/city1" 1)"
token() { "$CHIZU" token create --db "$DB" --layers layers "$@" 2>/dev/null | grep '^chz_'; }
READER="$(token --department sewer --role reader)"
SANITATION="$(token --department sanitation --role editor)"
DEVICE="$(token --device G1)"
PORT="$(free_port)"
start_server "$DB" "$PORT" || { record $PART server FAIL "did not start; see $HARD_DIR/serve-$PORT.log"; exit 1; }
trap stop_server EXIT
BASE="http://127.0.0.1:$PORT"

# --- 1. schemathesis --------------------------------------------------------------------------------
schema() {
  local who="$1"; shift
  local dir="$OUT/schemathesis-$who"
  mkdir -p "$dir"
  # Run from the report folder: schemathesis keeps a cache folder in its working directory.
  (cd "$dir" && schemathesis run "$BASE/api" --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$EXAMPLES" --seed 1 --request-timeout 20 --workers 2 --phases examples,coverage,fuzzing,stateful \
    --exclude-path /rain/stream --report har --report-dir "$dir" --no-color "$@" > "$dir.log" 2>&1)
  local rc=$?
  python3 hard/hostile_schema.py "$dir" "$dir.log" "$rc" "$who"
}
while IFS=$'\t' read -r check result detail; do record $PART "$check" "$result" "$detail"; done < <(
  schema anonymous
  schema sewer-reader -H "Authorization: Bearer $READER"
)

# --- 2. our own cases -------------------------------------------------------------------------------
python3 hard/hostile_cases.py --base "$BASE" --pid "$SERVER_PID" --timeout 20 \
  --reader "$READER" --sanitation "$SANITATION" --device "$DEVICE" --json "$OUT/cases.json" > "$OUT/cases.tsv"
while IFS=$'\t' read -r group passed total failures; do
  if [[ "$group" == parser-refused ]]; then
    record $PART "cases-parser-refused" INFO "$passed of $total refused by the HTTP parser (bare 400, before the app)${failures:+: $failures}"
  elif [[ "$group" == server-alive ]]; then
    if [[ "$passed" == 1 ]]; then record $PART server-alive PASS "the server process stayed up through every case"
    else record $PART server-alive FAIL "$failures; see $HARD_DIR/serve-$PORT.log"; fi
  elif [[ "$passed" == "$total" ]]; then
    record $PART "cases-$group" PASS "$passed/$total: no 5xx, answered in time, problem+json"
  else
    record $PART "cases-$group" FAIL "$passed/$total; $failures"
  fi
done < "$OUT/cases.tsv"
exit 0
