#!/usr/bin/env bash
# On-the-fly tile rendering: every `public` tile z12–z17 covering the data, one at a time, no cache.
# Prints one line: chizu's total and p50/p99 per tile and, when PostgreSQL 15 with PostGIS 3 is
# installed (apt-get install postgresql-15-postgis-3), the same tiles through ST_AsMVT in a throw-away
# cluster (data loaded by ogr2ogr in EPSG:6677; each query reprojects, clips and encodes like chizu).
source "$(dirname "$0")/common.sh"
LO="${MINZOOM:-12}" HI="${MAXZOOM:-17}"
TILES=var/bench/onthefly-tiles.csv
chizu_line=$("$CHIZU" tiles bench --db "$BENCH_DB" --layers "$LAYERS" --tileset public --minzoom "$LO" --maxzoom "$HI" --tiles-out "$TILES")

PGBIN=/usr/lib/postgresql/15/bin
if [[ ! -x $PGBIN/initdb || ! -f /usr/share/postgresql/15/extension/postgis.control ]]; then
  echo "$chizu_line | postgis: not installed"; exit 0
fi
PGDIR=$(mktemp -d /tmp/chizu-bench-pg.XXXXXX); chown postgres "$PGDIR"; chmod 755 "$PGDIR"
trap 'runuser -u postgres -- $PGBIN/pg_ctl -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"' EXIT
runuser -u postgres -- $PGBIN/initdb -D "$PGDIR/data" -A trust >/dev/null
runuser -u postgres -- $PGBIN/pg_ctl -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-c listen_addresses='' -k $PGDIR -p 55432 -c max_parallel_workers_per_gather=0" start >/dev/null
PSQL=(psql -X -q -A -t -h "$PGDIR" -p 55432 -U postgres -d postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE EXTENSION postgis" >/dev/null

# Public layers, public fields and zoom ranges, as chizu's public tileset has them.
parts=()
while IFS=: read -r layer fields; do
  [[ -z "$layer" ]] && continue
  ogr2ogr -f PostgreSQL "PG:host=$PGDIR port=55432 user=postgres dbname=postgres" "$BENCH_DB" "$layer" \
    -select "$fields" -lco GEOMETRY_NAME=geom -lco FID=fid -nln "$layer" 2>/dev/null
  zmin=$(grep -oP 'zoom: \{min: \K[0-9]+' "layers/$layer.yaml"); zmax=$(grep -oP 'zoom: \{min: [0-9]+, max: \K[0-9]+' "layers/$layer.yaml")
  parts+=("(SELECT coalesce(ST_AsMVT(q, '$layer', 4096, 'geom', 'fid'), '') FROM (SELECT fid, $fields,
      ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true) AS geom FROM $layer
      WHERE z BETWEEN $zmin AND $zmax AND geom && ST_Transform(ST_TileEnvelope(z, x, y, margin => 64.0 / 4096), 6677)) q
      WHERE q.geom IS NOT NULL)")
done < <("$CHIZU" layers --layers "$LAYERS" --fields | awk '
    /^  [a-z_]+ +public/ {layer=$1; fields[layer]=""; order[++n]=layer; next}
    /^  [a-z_]+ +internal/ {layer=""; next}
    layer != "" && /^      / && $0 !~ /internal\]/ {fields[layer]=fields[layer] (fields[layer]==""?"":",") $1}
    END {for (i=1;i<=n;i++) print order[i] ":" fields[order[i]]}')
body=$(IFS='|'; printf '%s' "${parts[*]}" | sed 's/)|(/) || (/g')
"${PSQL[@]}" -c "VACUUM ANALYZE" >/dev/null
"${PSQL[@]}" >/dev/null <<SQL
CREATE FUNCTION tile_mvt(z int, x int, y int) RETURNS bytea LANGUAGE sql STABLE AS \$\$ SELECT $body \$\$;
CREATE TABLE bench_tiles (z int, x int, y int);
\copy bench_tiles FROM '$TILES' CSV
CREATE TABLE times (ms float8, bytes int);
DO \$\$ DECLARE r record; t0 timestamptz; n int; BEGIN
  FOR r IN SELECT * FROM bench_tiles LOOP
    t0 := clock_timestamp(); n := length(tile_mvt(r.z, r.x, r.y));
    INSERT INTO times VALUES (extract(epoch FROM clock_timestamp() - t0) * 1000, n);
  END LOOP; END \$\$;
SQL
pg_line=$("${PSQL[@]}" -F ' ' -c "SELECT 'postgis tiles=' || count(*) || ' nonempty=' || count(*) FILTER (WHERE bytes > 0)
  || ' total=' || round(sum(ms)::numeric / 1000, 2) || 's p50=' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2)
  || 'ms p99=' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2) || 'ms max=' || round(max(ms)::numeric, 2)
  || 'ms mvt_bytes=' || sum(bytes) FROM times")
echo "$chizu_line | $pg_line"
