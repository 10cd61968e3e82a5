#!/usr/bin/env bash
# Serving cached tiles: wrk on loopback against `chizu serve` answering a z15 `public` tile from its
# cache, and against nginx (Debian, 2 workers) serving the very same tile bytes as a static file, in
# the same run, same connections and duration. Prints one line per server and the ratios.
#   usage: bench/tiles-serve.sh [connections=64] [seconds=20]
# BENCH_DB as in the other tile benchmarks (default: the generated test city). The tile is the
# z15 tile nearest 22 kB (TILE_BYTES); both servers are measured with and without Accept-Encoding: gzip.
source "$(dirname "$0")/common.sh"
CONN=${1:-64}; SECS=${2:-20}
CHIZU_PORT=18191; NGINX_PORT=18192
WORK=var/bench/serve; rm -rf "$WORK"; mkdir -p "$WORK"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# The z15 tile nearest TILE_BYTES (default 22 kB, as in the issue's nginx figure), rendered by chizu's
# pyramid builder: the gzip'd bytes as stored, and inflated.
"$CHIZU" tiles build --db "$BENCH_DB" --layers "$LAYERS" --tileset public --minzoom 15 --maxzoom 15 --out "$WORK/z15.mbtiles" >/dev/null
read -r X Y < <(python3 - "$WORK/z15.mbtiles" "${TILE_BYTES:-22000}" "$WORK/www/tiles/public/15" <<'PY'
import gzip, os, sqlite3, sys
db, target, root = sqlite3.connect(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
best = min(((abs(len(gzip.decompress(d)) - target), c, (1 << 15) - 1 - r, d) for c, r, d in
            db.execute("SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = 15")), key=lambda t: t[0])
_, x, y, data = best
os.makedirs(f"{root}/{x}", exist_ok=True)
open(f"{root}/{x}/{y}.mvt.gz", "wb").write(data)
open(f"{root}/{x}/{y}.mvt", "wb").write(gzip.decompress(data))
print(x, y)
PY
)
chmod -R a+rX "$WORK"
TILE="tiles/public/15/$X/$Y.mvt"

cat > "$WORK/nginx.conf" <<EOF
worker_processes 2;
error_log $PWD/$WORK/nginx-error.log;
pid $PWD/$WORK/nginx.pid;
user root;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  types { application/vnd.mapbox-vector-tile mvt; }
  gzip_static on; gzip_vary on;
  server { listen 127.0.0.1:$NGINX_PORT; root $PWD/$WORK/www; }
}
EOF
"$NGINX" -c "$PWD/$WORK/nginx.conf" -g 'daemon on;'
"$CHIZU" serve --db "$BENCH_DB" --layers "$LAYERS" --port $CHIZU_PORT --tile-cache none >/dev/null 2>&1 & CPID=$!
trap 'kill $CPID 2>/dev/null; "$NGINX" -c "$PWD/$WORK/nginx.conf" -s stop 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$CHIZU_PORT/health" >/dev/null && break; sleep 0.5; done
# Same bytes from both, inflated and gzip'd (chizu's first answer renders the tile and caches it).
for enc in identity gzip; do
  curl -sf -H "Accept-Encoding: $enc" "http://127.0.0.1:$CHIZU_PORT/$TILE" -o "$WORK/from-chizu.$enc"
  curl -sf -H "Accept-Encoding: $enc" "http://127.0.0.1:$NGINX_PORT/$TILE" -o "$WORK/from-nginx.$enc"
  cmp -s "$WORK/from-chizu.$enc" "$WORK/from-nginx.$enc" || { echo "tiles-serve: chizu and nginx answer different bytes for $TILE ($enc)"; exit 1; }
done

run() { wrk -t2 -c"$CONN" -d"${SECS}s" --latency -H "Accept-Encoding: $2" "$1" 2>/dev/null; }
parse() { python3 bench/wrkstats.py; }
size=$(stat -c %s "$WORK/from-nginx.identity"); gz=$(stat -c %s "$WORK/from-nginx.gzip")
for enc in gzip identity; do
  read -r c_rps c_p50 c_p99 c_err < <(run "http://127.0.0.1:$CHIZU_PORT/$TILE" $enc | parse)
  read -r n_rps n_p50 n_p99 n_err < <(run "http://127.0.0.1:$NGINX_PORT/$TILE" $enc | parse)
  echo "tiles-serve z15 $X/$Y ($size bytes, $gz gzip'd) Accept-Encoding: $enc, c=$CONN ${SECS}s: chizu $c_rps req/s p50 ${c_p50} ms p99 ${c_p99} ms errors $c_err | nginx $n_rps req/s p50 ${n_p50} ms p99 ${n_p99} ms errors $n_err"
  python3 -c "print(f'  ratio chizu/nginx requests per second: {$c_rps/$n_rps:.2f} (goal >= 0.5); p99 chizu/nginx: {$c_p99/$n_p99:.2f} (goal <= 2)')"
done
