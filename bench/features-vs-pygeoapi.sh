#!/usr/bin/env bash
# Benchmark: OGC API Features `items?bbox=…&limit=1000` on the roads of the sample city, Chizu vs
# pygeoapi (gunicorn, 2 workers, GeoPackage provider) in the same run, both on loopback, both driven
# by wrk with the same URL, connections and duration. Prints one line per server and the ratio.
#   usage: bench/features-vs-pygeoapi.sh [connections=16] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
CONN=${1:-16}; SECS=${2:-20}
WORK=${BENCH_DIR:-var/bench-features}
CHIZU_PORT=18181; PYGEO_PORT=18182; NOCACHE_PORT=18183
mkdir -p "$WORK"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dpkg -s python3-venv >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
swift build -c release --product chizu --scratch-path .build-release >/dev/null
CHIZU=.build-release/release/chizu

# Data: the sample city, loaded by Chizu; the same roads exported to a GeoPackage (CRS84) for pygeoapi.
if [ ! -f "$WORK/chizu.sqlite" ]; then
  $CHIZU sample --out "$WORK/sample" --scale 1 --seed 1 >/dev/null
  $CHIZU db init --db "$WORK/chizu.sqlite" >/dev/null
  $CHIZU ingest --db "$WORK/chizu.sqlite" --all "$WORK/sample" >/dev/null 2>&1
fi
rm -f "$WORK/roads.gpkg"
ogr2ogr -f GPKG "$WORK/roads.gpkg" "$WORK/chizu.sqlite" roads -t_srs EPSG:4326 -nln roads -lco FID=fid >/dev/null

# pygeoapi in a venv of Debian's python3 (its sqlite3 module can load mod_spatialite).
if [ ! -x "$WORK/venv/bin/pygeoapi" ]; then
  /usr/bin/python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/pip" install -q "pygeoapi==0.21.*" gunicorn >/dev/null
fi
cat > "$WORK/pygeoapi.yml" <<YAML
server:
  bind: {host: 127.0.0.1, port: $PYGEO_PORT}
  url: http://127.0.0.1:$PYGEO_PORT
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {default_items: 100, max_items: 10000}
  map: {url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", attribution: x}
logging: {level: ERROR}
metadata:
  identification: {title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none, url: http://example.org}
  license: {name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}
  provider: {name: bench, url: http://example.org}
  contact: {name: bench, position: bench, address: x, city: x, stateorprovince: x, postalcode: x, country: x, phone: x, fax: x, email: x, url: x, hours: x, instructions: x, role: pointOfContact}
resources:
  roads:
    type: collection
    title: roads
    description: roads
    keywords: [roads]
    extents: {spatial: {bbox: [139.2, 35.3, 139.4, 35.5], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: $PWD/$WORK/roads.gpkg
        id_field: fid
        table: roads
YAML
cat > "$WORK/openapi.sh" <<SH
PYGEOAPI_CONFIG=$PWD/$WORK/pygeoapi.yml PYGEOAPI_OPENAPI=$PWD/$WORK/openapi.yml $PWD/$WORK/venv/bin/pygeoapi openapi generate $PWD/$WORK/pygeoapi.yml --output-file $PWD/$WORK/openapi.yml
SH
bash "$WORK/openapi.sh" >/dev/null 2>&1

$CHIZU serve --db "$WORK/chizu.sqlite" --port $CHIZU_PORT --tile-cache none >/dev/null 2>&1 & CPID=$!
# The same server without its page cache: every request runs the query and encodes the page.
$CHIZU serve --db "$WORK/chizu.sqlite" --port $NOCACHE_PORT --tile-cache none --response-cache-mb 0 >/dev/null 2>&1 & NPID=$!
(cd "$WORK" && PYGEOAPI_CONFIG=$PWD/pygeoapi.yml PYGEOAPI_OPENAPI=$PWD/openapi.yml \
   ./venv/bin/gunicorn -w 2 -b 127.0.0.1:$PYGEO_PORT pygeoapi.flask_app:APP >/dev/null 2>&1) & PPID2=$!
trap 'kill $CPID $NPID $PPID2 2>/dev/null; pkill -f "gunicorn -w 2 -b 127.0.0.1:$PYGEO_PORT" 2>/dev/null || true' EXIT
for i in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$CHIZU_PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$NOCACHE_PORT/health" >/dev/null && curl -sf "http://127.0.0.1:$PYGEO_PORT/collections" >/dev/null && break
  sleep 1
done

# The city centre, large enough for 1,000 roads.
BBOX="139.295,35.385,139.335,35.415"
Q="collections/roads/items?bbox=$BBOX&limit=1000"
n_chizu=$(curl -s "http://127.0.0.1:$CHIZU_PORT/$Q" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["features"]))')
n_pygeo=$(curl -s "http://127.0.0.1:$PYGEO_PORT/$Q&f=json" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["features"]))')

run() { wrk -t2 -c"$CONN" -d"${SECS}s" --latency "$1" 2>/dev/null; }
parse() { python3 bench/wrkstats.py; }
read c_rps c_p50 c_p99 c_err < <(run "http://127.0.0.1:$CHIZU_PORT/$Q" | parse)
read n_rps n_p50 n_p99 n_err < <(run "http://127.0.0.1:$NOCACHE_PORT/$Q" | parse)
read p_rps p_p50 p_p99 p_err < <(run "http://127.0.0.1:$PYGEO_PORT/$Q&f=json" | parse)
echo "chizu    items bbox limit=1000 ($n_chizu features): $c_rps req/s  p50 ${c_p50} ms  p99 ${c_p99} ms  errors $c_err  (c=$CONN, ${SECS}s)"
echo "chizu, no page cache ($n_chizu features): $n_rps req/s  p50 ${n_p50} ms  p99 ${n_p99} ms  errors $n_err"
echo "pygeoapi items bbox limit=1000 ($n_pygeo features): $p_rps req/s  p50 ${p_p50} ms  p99 ${p_p99} ms  errors $p_err"
python3 -c "print(f'ratio chizu/pygeoapi requests per second: {$c_rps/$p_rps:.1f}x (cached pages), {$n_rps/$p_rps:.1f}x (no page cache)')"
