#!/usr/bin/env bash
# check-hard part 5, access control: no caller ever sees a layer or field it may not.
# Against a real server over the scale-1 sample city, with a public tile archive and one that claims
# internal content: every route (hard/access_endpoints.txt) × every kind of caller (anonymous, each
# department with internal rights, one without, admin, a rain device, expired / revoked / malformed /
# forged tokens, a token in the query string, wrong schemes) × every layer and internal field.
# The matrix itself is hard/access_matrix.py; findings are listed in var/hard/access/report.txt.
source "$(dirname "$0")/lib.sh"

WORK="$HARD_DIR/access"
rm -rf "$WORK"; mkdir -p "$WORK"
DB0=$(sample_db "$HARD_DIR/access-city" 1)
cp "$DB0" "$WORK/chizu.sqlite"
DB="$WORK/chizu.sqlite"

# A public archive as `chizu tiles build` makes it, and a doctored copy that declares (and holds, in
# one tile) an internal layer: the server must keep that one from those who may not see the layer.
"$CHIZU" tiles build --db "$DB" --layers layers --tileset public --minzoom 12 --maxzoom 14 \
  --out "$WORK/public-archive.mbtiles" >/dev/null 2>&1
python3 hard/access_matrix.py rogue-archive "$WORK/public-archive.mbtiles" "$WORK/doctored-archive.mbtiles"

PORT=$(free_port)
trap stop_server EXIT
start_server "$DB" "$PORT" --archive "$WORK/public-archive.mbtiles" --archive "$WORK/doctored-archive.mbtiles"

rows=$(python3 hard/access_matrix.py run --base "http://127.0.0.1:$PORT" --layers layers --chizu "$CHIZU" --db "$DB" \
  --archive public-archive --rogue doctored-archive --rogue-path "$WORK/doctored-archive.mbtiles" --report "$WORK/report.txt")
while IFS=$'\t' read -r tag check result detail; do
  [[ "$tag" == ROW ]] && record access "$check" "$result" "$detail"
done <<< "$rows"
if [[ -s "$WORK/report.txt" ]] && grep -qvE '^(TIMING|TIME)' "$WORK/report.txt"; then
  echo "  findings (first 20 of $(grep -cvE '^(TIMING|TIME)' "$WORK/report.txt"); all in $WORK/report.txt):" >&2
  grep -vE '^(TIMING|TIME)' "$WORK/report.txt" | head -20 | cut -c1-300 >&2
fi
