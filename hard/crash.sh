#!/usr/bin/env bash
# Part 3 — crash safety. Two checks:
#  ingest  kill -9 `chizu ingest roads FILE --mode replace` at uniformly random points of its run,
#          alternating two versions of the roads file (the sample's, and a copy with 10% fewer features
#          whose pavement is "crash-b"); after every kill the database opens, PRAGMA integrity_check is
#          ok, and the layer is exactly the old or the new version, its lineage (chizu_layers, the last
#          ingest run, every row's _run_id) agreeing with the content. Then one clean replace must work.
#  rain    kill -9 the server while a client posts rain readings with a device token, remembering every
#          reading acknowledged with 2xx; after a restart each of them is stored with its value.
# QUICK=1: 10 ingest kills and 3 server kills (50 and 8 otherwise).
source "$(dirname "$0")/lib.sh"

WORK="$HARD_DIR/crash"
rm -rf "$WORK"; mkdir -p "$WORK"
DB="$WORK/chizu.sqlite"
SQLITE=(sqlite3 -cmd ".load mod_spatialite")
if [[ "$QUICK" == 1 ]]; then KILLS=10; SERVER_KILLS=3; else KILLS=50; SERVER_KILLS=8; fi

# --- the two versions of the roads file ---------------------------------------------------------
"$CHIZU" sample --out "$WORK/sample" --scale 1 --seed 1 >/dev/null 2>&1
mkdir -p "$WORK/a" "$WORK/b"
cp "$WORK"/sample/roads.{shp,shx,dbf,prj,cpg} "$WORK/a/"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=CP932 -nln roads "$WORK/b/roads.shp" "$WORK/a/roads.shp" -dialect SQLite \
  -sql "SELECT 区間番号, 路線番号, 路線名, 道路種別, 幅員, 延長, 'crash-b' AS 舗装, 認定日, 一方通行, geometry FROM roads WHERE rowid % 10 != 0"
# The checksum chizu records for a Shapefile: the .shp, then its sidecars in this order.
checksum() { cat "$1"/roads.{shp,dbf,shx,prj,cpg} | sha256sum | cut -d' ' -f1; }
declare -A SUM COUNT MARKED
for v in a b; do
  SUM[$v]=$(checksum "$WORK/$v")
  COUNT[$v]=$(ogrinfo -ro -so "$WORK/$v/roads.shp" roads | sed -n 's/^Feature Count: //p')
done
MARKED[a]=0; MARKED[b]=${COUNT[b]}

"$CHIZU" db init --db "$DB" --layers layers >/dev/null
ingest() { "$CHIZU" ingest --db "$DB" --layers layers roads "$WORK/$1/roads.shp" --mode replace >/dev/null 2>&1; }

# state — "a", "b", "empty", or "mixed: …" with what disagrees. Opening with sqlite3 also recovers the WAL.
state() {
  local q
  q=$("${SQLITE[@]}" "$DB" "
    SELECT (SELECT group_concat(integrity_check, '; ') FROM pragma_integrity_check),
           (SELECT count(*) FROM roads),
           (SELECT count(*) FROM roads WHERE pavement = 'crash-b'),
           l.version, l.feature_count, coalesce(l.last_run_id, 0),
           coalesce(r.checksum, '-'), coalesce(r.layer_version, 0), coalesce(r.status, '-'),
           (SELECT count(*) FROM roads WHERE _run_id IS NOT l.last_run_id)
    FROM chizu_layers l LEFT JOIN chizu_ingest_runs r ON r.run_id = l.last_run_id WHERE l.layer_id = 'roads'" 2>&1) \
    || { echo "unopenable: $q"; return; }
  IFS='|' read -r integrity rows marked version fcount run sum rversion status strays <<<"$q"
  [[ "$integrity" == ok ]] || { echo "integrity: $integrity"; return; }
  if [[ "$rows" == 0 && "$version" == 0 ]]; then echo empty; return; fi
  for v in a b; do
    if [[ "$rows" == "${COUNT[$v]}" && "$marked" == "${MARKED[$v]}" && "$fcount" == "$rows" && "$sum" == "${SUM[$v]}" \
          && "$rversion" == "$version" && "$status" == committed && "$strays" == 0 ]]; then
      echo "$v $version"; return
    fi
  done
  echo "mixed: rows=$rows marked=$marked version=$version feature_count=$fcount run=$run run_version=$rversion status=$status strays=$strays"
}

# --- 1. kill -9 during ingest -------------------------------------------------------------------
ingest a
# One uninterrupted run, timed, watching for its commit (the layer version changing) as it goes.
read -r DURATION COMMIT_AT < <(python3 - "$CHIZU" "$DB" "$WORK/b/roads.shp" <<'EOF'
import sqlite3, subprocess, sys, time
chizu, db, file = sys.argv[1:4]
con = sqlite3.connect(db)
version = lambda: con.execute("SELECT version FROM chizu_layers WHERE layer_id = 'roads'").fetchone()[0]
before, commit = version(), None
start = time.monotonic()
p = subprocess.Popen([chizu, "ingest", "--db", db, "--layers", "layers", "roads", file, "--mode", "replace"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while p.poll() is None:
    if commit is None and version() != before: commit = time.monotonic() - start
    time.sleep(0.002)
end = time.monotonic() - start
print(f"{end:.3f} {commit if commit is not None else end:.3f}")
EOF
)
[[ "$(state)" == "b "* ]] || { record crash ingest-setup FAIL "uninterrupted replace gave: $(state)"; exit 0; }
bad=0; committed=0; rolled=0; late=0; details=""
for i in $(seq 1 "$KILLS"); do
  read -r before before_version <<<"$(state)"
  next=$([[ "$before" == a ]] && echo b || echo a)
  delay=$(python3 -c "import random; print(f'{random.uniform(0, $DURATION):.3f}')")
  python3 -c "import sys; sys.exit(0 if $delay >= $COMMIT_AT else 1)" && late=$((late + 1))
  "$CHIZU" ingest --db "$DB" --layers layers roads "$WORK/$next/roads.shp" --mode replace >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  read -r after after_version rest <<<"$(state)"
  if [[ "$after" == "$before" && "$after_version" == "$before_version" ]]; then rolled=$((rolled + 1))
  elif [[ "$after" == "$next" && "$after_version" == $((before_version + 1)) ]]; then committed=$((committed + 1))
  else bad=$((bad + 1)); details+=" kill $i at ${delay}s: $before v$before_version → $after $after_version $rest;"
  fi
done
detail="$KILLS kills uniform over ${DURATION}s runs (commit at ${COMMIT_AT}s; $late kills after it): $rolled old version, $committed new version, $bad neither"
if [[ $bad == 0 ]]; then record crash ingest-kill-9 PASS "$detail"; else record crash ingest-kill-9 FAIL "$detail:$details"; fi
read -r before before_version <<<"$(state)"
next=$([[ "$before" == a ]] && echo b || echo a)
if ingest "$next" && [[ "$(state)" == "$next $((before_version + 1))" ]]; then
  record crash ingest-after-kills PASS "a clean replace afterwards stored version $((before_version + 1)) (${COUNT[$next]} features)"
else
  record crash ingest-after-kills FAIL "a clean replace afterwards gave: $(state)"
fi

# --- 2. kill -9 the server during rain-reading POSTs ---------------------------------------------
"$CHIZU" ingest --db "$DB" --layers layers rain_gauges "$WORK/sample/rain_gauges.csv" >/dev/null 2>&1
SITES=$("${SQLITE[@]}" "$DB" "SELECT group_concat(site_id, ',') FROM rain_gauges")
# A gateway device relaying every gauge (a device token may post only its own sites).
TOKEN=$("$CHIZU" token create --db "$DB" --layers layers --device GW --sites "$SITES" --role editor 2>/dev/null)
PORT=$(free_port)
acked="$WORK/acked.tsv"; : > "$acked"
lost_total=0; acked_total=0; lost_after=""
for i in $(seq 1 "$SERVER_KILLS"); do
  start_server "$DB" "$PORT" || { record crash rain-kill-9 FAIL "server did not start (run $i)"; exit 0; }
  # The client posts batches of 1–6 readings (each a new minute) and appends the acknowledged ones.
  python3 - "$PORT" "$TOKEN" "$SITES" "$i" "$acked" <<'EOF' &
import json, random, sys, time, urllib.request, datetime
port, token, sites, run, path = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4]), sys.argv[5]
jst = datetime.timezone(datetime.timedelta(hours=9))
# Each run its own 4 days of minutes, all in the past (a reading from the future is refused).
base = datetime.datetime.now(jst).replace(second=0, microsecond=0) - datetime.timedelta(days=40 - 4 * run)
n = 0
with open(path, "a", buffering=1) as out:
    while True:
        batch = []
        for _ in range(random.randint(1, 6)):
            n += 1
            t = base + datetime.timedelta(minutes=n)
            batch.append({"site": random.choice(sites), "observed_at": t.isoformat(), "value": round(random.uniform(0, 40), 1)})
        req = urllib.request.Request(f"http://127.0.0.1:{port}/rain/readings", data=json.dumps({"readings": batch}).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                if 200 <= r.status < 300:
                    for b in batch: out.write(f"{b['site']}\t{b['observed_at']}\t{b['value']}\n")
        except Exception:
            time.sleep(0.01)
EOF
  client=$!
  sleep "$(python3 -c 'import random; print(f"{random.uniform(0.5, 2.5):.2f}")')"
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  sleep 0.2; kill "$client" 2>/dev/null; wait "$client" 2>/dev/null || true
  # After a restart every acknowledged reading must be there, with its value.
  start_server "$DB" "$PORT" || { record crash rain-kill-9 FAIL "server did not restart after kill $i"; exit 0; }
  stop_server
  # Checked in the database itself, as the restarted server left it.
  result=$(python3 - "$DB" "$acked" <<'EOF'
import sqlite3, sys, datetime
db, path = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
missing = wrong = n = 0
for line in open(path):
    site, t, v = line.rstrip("\n").split("\t")
    n += 1
    at = int(datetime.datetime.fromisoformat(t).timestamp())
    row = con.execute("SELECT value FROM chizu_readings WHERE layer_id = 'rain_gauges' AND site_key = ? AND observed_at = ?",
                      (site, at)).fetchone()
    if row is None: missing += 1
    elif abs(row[0] - float(v)) > 1e-9: wrong += 1
print(n, missing, wrong)
EOF
)
  read -r n missing wrong <<<"$result"
  # The file is cumulative: each check covers the readings acknowledged before every earlier kill too.
  acked_total=${n:-0}; lost=$(( ${missing:-1} + ${wrong:-0} ))
  if [[ $lost -gt $lost_total ]]; then lost_total=$lost; lost_after="$lost_after kill $i: $missing missing, $wrong changed;"; fi
done
detail="$SERVER_KILLS kills, $acked_total readings acknowledged in all, $lost_total missing or changed after restarts"
if [[ $lost_total == 0 && $acked_total -gt 0 ]]; then record crash rain-kill-9 PASS "$detail"
else record crash rain-kill-9 FAIL "$detail:$lost_after"; fi
