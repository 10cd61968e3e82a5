#!/usr/bin/env bash
# Benchmark: `chizu ingest --all` of the sample city at --scale K (default 4, about 180,000 features)
# against ogr2ogr loading the same files into SpatiaLite with the same reprojection (to EPSG:6677)
# and spatial indexes, in the same run. Prints wall times, peak memory and the ratio (≥ 1.0: Chizu
# at least as fast). Chizu also validates, repairs, types and records lineage; ogr2ogr only copies.
#   usage: bench/ingest-vs-ogr2ogr.sh [scale=4]
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-4}
WORK=${BENCH_DIR:-var/bench-ingest}
mkdir -p "$WORK"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
swift build -c release --product chizu --scratch-path .build-release >/dev/null
CHIZU=$PWD/.build-release/release/chizu

if [ ! -f "$WORK/sample-$SCALE/roads.shp" ]; then
  $CHIZU sample --out "$WORK/sample-$SCALE" --scale "$SCALE" --seed 1 >/dev/null 2>&1
fi
# The scale-test towns lie beside Isehara: widen the layers' plausible extent for this run only.
rm -rf "$WORK/layers"; mkdir -p "$WORK/layers"
for f in layers/*.yaml; do sed 's/^extent: .*/extent: [138.9, 35.1, 140.6, 36.4]/' "$f" > "$WORK/layers/$(basename "$f")"; done
S="$WORK/sample-$SCALE"
features=$(( $(ogrinfo -so -al "$S/roads.shp" | awk '/Feature Count/ {print $3}') + $(ogrinfo -so -al "$S/sewer_pipes.shp" | awk '/Feature Count/ {print $3}') \
  + $(wc -l < "$S/manholes.csv") + $(wc -l < "$S/rain_readings.csv") + $(grep -c '"Feature"' "$S/yard_waste_points.geojson") ))

peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$1"; }

# Chizu
rm -f "$WORK/chizu.sqlite"*
$CHIZU db init --db "$WORK/chizu.sqlite" --layers "$WORK/layers" >/dev/null
start=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/chizu.time" $CHIZU ingest --db "$WORK/chizu.sqlite" --layers "$WORK/layers" --all "$S" > "$WORK/chizu.report" 2>/dev/null
chizu_s=$(echo "$(date +%s.%N) - $start" | bc)
grep -q REJECTED "$WORK/chizu.report" && { echo "chizu rejected a file:"; cat "$WORK/chizu.report"; exit 1; }

# ogr2ogr: same files, reprojected to EPSG:6677, spatial indexes (the SQLite driver's default)
rm -f "$WORK/ogr.sqlite"
o() { ogr2ogr -f SQLite -dsco SPATIALITE=YES -update -append "$WORK/ogr.sqlite" "$@"; }
start=$(date +%s.%N)
/usr/bin/time -v -o "$WORK/ogr.time" bash -c "
  ogr2ogr -f SQLite -dsco SPATIALITE=YES '$WORK/ogr.sqlite' -oo ENCODING=CP932 '$S/roads.shp' -nln roads -t_srs EPSG:6677 &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' -oo ENCODING=CP932 '$S/sewer_pipes.shp' -nln sewer_pipes -t_srs EPSG:6677 &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' -oo X_POSSIBLE_NAMES=Y -oo Y_POSSIBLE_NAMES=X -s_srs EPSG:6677 -t_srs EPSG:6677 '$S/manholes.csv' -nln manholes &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' -oo X_POSSIBLE_NAMES=経度 -oo Y_POSSIBLE_NAMES=緯度 -s_srs EPSG:4326 -t_srs EPSG:6677 '$S/rain_gauges.csv' -nln rain_gauges &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' '$S/rain_readings.csv' -nln rain_readings &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' -oo X_POSSIBLE_NAMES=経度 -oo Y_POSSIBLE_NAMES=緯度 -s_srs EPSG:4326 -t_srs EPSG:6677 '$S/cameras.csv' -nln cameras &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' '$S/yard_waste_points.geojson' -nln yard_waste_points -t_srs EPSG:6677 &&
  ogr2ogr -update -append '$WORK/ogr.sqlite' '$S/facilities.geojson' -nln facilities -t_srs EPSG:6677" 2>/dev/null
ogr_s=$(echo "$(date +%s.%N) - $start" | bc)

printf "chizu ingest   scale %d (%d features): %.2f s, peak %s\n" "$SCALE" "$features" "$chizu_s" "$(peak "$WORK/chizu.time")"
printf "ogr2ogr        scale %d (%d features): %.2f s, peak %s\n" "$SCALE" "$features" "$ogr_s" "$(peak "$WORK/ogr.time")"
printf "ratio ogr2ogr/chizu time: %.2f (>= 1.0 means Chizu is at least as fast)\n" "$(echo "$ogr_s / $chizu_s" | bc -l)"
