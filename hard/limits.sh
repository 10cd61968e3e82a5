#!/usr/bin/env bash
# Part 6 — resource limits, end to end against a running `chizu serve` with small limits (a settings
# file below): oversized body (413) and headers (431, and 400 far over), a burst of anonymous requests
# (429 with Retry-After after the budget; a token holder is not limited), a slowloris connection (closed
# within the idle timeout), a body trickled too slowly (408), and SIGTERM while a request is in flight
# and an SSE client is connected (the request completes with 2xx, the process exits promptly).
source "$(dirname "$0")/lib.sh"

WORK="$HARD_DIR/limits"
rm -rf "$WORK"; mkdir -p "$WORK"
DB=$(sample_db "$HARD_DIR/sample-1" 1)
cp "$DB" "$WORK/chizu.sqlite"; DB="$WORK/chizu.sqlite"
BURST=20; RATE=2; IDLE=2; REQUEST=3
cat > "$WORK/settings.yaml" <<EOF
limits:
  max_body_bytes: 65536
  max_header_bytes: 8192
  anonymous_rate_per_s: $RATE
  anonymous_burst: $BURST
  rate_limit_exempt: []
  trusted_proxies: []
  idle_timeout_s: $IDLE
  request_timeout_s: $REQUEST
EOF
TOKEN=$("$CHIZU" token create --db "$DB" --layers layers --device G1 --role editor 2>/dev/null)
PORT=$(free_port)
start_server "$DB" "$PORT" --settings "$WORK/settings.yaml" || { record limits server FAIL "did not start"; exit 0; }
URL="http://127.0.0.1:$PORT"

# status_and_type ARGS… — "STATUS CONTENT-TYPE" of one curl request.
status_and_type() { curl -s -o /dev/null -w '%{http_code} %{content_type}' "$@"; }

# --- body size -------------------------------------------------------------------------------
head -c 1000000 /dev/zero | tr '\0' 'x' > "$WORK/big.json"
r1=$(status_and_type -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @"$WORK/big.json" "$URL/rain/readings")
r2=$(status_and_type -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
       --data-binary @"$WORK/big.json" "$URL/rain/readings")
if [[ "$r1" == "413 application/problem+json" && "$r2" == "413 application/problem+json" ]]; then
  record limits body-size PASS "1 MB body over a 64 KiB limit: $r1 (Content-Length), ${r2%% *} (chunked)"
else record limits body-size FAIL "1 MB body: got '$r1' (Content-Length), '$r2' (chunked); want 413 problem+json"; fi

# --- header size -----------------------------------------------------------------------------
big=$(head -c 12000 /dev/zero | tr '\0' 'h'); huge=$(head -c 40000 /dev/zero | tr '\0' 'h')
r1=$(status_and_type -H "X-Big: $big" -H "Authorization: Bearer $TOKEN" "$URL/conformance")
r2=$(status_and_type -H "X-Big: $huge" -H "Authorization: Bearer $TOKEN" "$URL/conformance")
if [[ "$r1" == "431 application/problem+json" && "${r2%% *}" == 400 ]]; then
  record limits header-size PASS "12 kB header over an 8 KiB limit: $r1; 40 kB: ${r2%% *} from the parser, connection closed"
else record limits header-size FAIL "12 kB header: '$r1' (want 431 problem+json); 40 kB: '$r2' (want 400)"; fi

# --- rate limit ------------------------------------------------------------------------------
result=$(python3 - "$PORT" "$TOKEN" "$BURST" <<'EOF'
import http.client, sys
port, token, burst = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
codes, first429, retry, ctype = [], None, None, None
for i in range(burst + 20):
    c.request("GET", "/collections")
    r = c.getresponse(); r.read()
    codes.append(r.status)
    if r.status == 429 and first429 is None:
        first429, retry, ctype = i + 1, r.getheader("Retry-After"), r.getheader("Content-Type")
c.request("GET", "/collections", headers={"Authorization": f"Bearer {token}"})
r = c.getresponse(); r.read()
print(codes.count(200), codes.count(429), first429, retry, ctype, r.status)
EOF
)
read -r ok limited first retry ctype authed <<<"$result"
# start_server's readiness probe took one token of the budget already.
detail="$((BURST + 20)) anonymous requests, burst $BURST at $RATE/s: $ok × 200, $limited × 429 from request $first (Retry-After: $retry); with a token: $authed"
if [[ "$limited" -gt 0 && "$first" -ge "$BURST" && "$first" -le $((BURST + 3)) && "$retry" =~ ^[0-9]+$ \
      && "$ctype" == application/problem+json && "$authed" == 200 ]]; then record limits rate-limit PASS "$detail"
else record limits rate-limit FAIL "$detail ($ctype)"; fi

# --- slow clients ----------------------------------------------------------------------------
# slowloris: a request head sent a byte every 0.5 s never completes; the idle timeout closes it.
# slow body: the head arrives, the body trickles; the request timeout answers 408.
result=$(python3 - "$PORT" <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
def slowloris():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(0.5)
    start = time.monotonic()
    s.sendall(b"GET /collections HTTP/1.1\r\nHost: x\r\n")
    try:
        while time.monotonic() - start < 30:
            s.sendall(b"X")
            try:
                if s.recv(1024) == b"": break
            except socket.timeout: pass
    except OSError: pass
    return time.monotonic() - start
def slow_body():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(0.5)
    start = time.monotonic()
    s.sendall(b"POST /rain/readings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[")
    got = b""
    try:
        while time.monotonic() - start < 30:
            s.sendall(b" ")
            try:
                d = s.recv(4096)
                if d == b"": break
                got += d
            except socket.timeout: pass
    except OSError: pass
    status = got.split(b" ")[1].decode() if got.startswith(b"HTTP/1.1 ") else "none"
    return time.monotonic() - start, status
a = slowloris(); b, status = slow_body()
print(f"{a:.1f} {b:.1f} {status}")
EOF
)
read -r loris body status <<<"$result"
if python3 -c "import sys; sys.exit(0 if $loris <= $IDLE * 2 + 1 else 1)"; then
  record limits slowloris PASS "a head trickled a byte per 0.5 s was closed after ${loris}s (idle timeout ${IDLE}s)"
else record limits slowloris FAIL "a head trickled a byte per 0.5 s stayed open ${loris}s (idle timeout ${IDLE}s)"; fi
if [[ "$status" == 408 ]] && python3 -c "import sys; sys.exit(0 if $body <= $REQUEST * 2 + 1 else 1)"; then
  record limits slow-body PASS "a body trickled a byte per 0.5 s got 408 and was closed after ${body}s (request timeout ${REQUEST}s)"
else record limits slow-body FAIL "a body trickled a byte per 0.5 s: status $status after ${body}s (request timeout ${REQUEST}s)"; fi
stop_server

# --- graceful shutdown -------------------------------------------------------------------------
# A reading POST whose body is half sent when SIGTERM arrives, and an SSE client connected: the POST
# must complete with 2xx, the stream end, and the process exit promptly after.
start_server "$DB" "$PORT" --settings "$WORK/settings.yaml" || { record limits shutdown FAIL "did not start"; exit 0; }
result=$(python3 - "$PORT" "$TOKEN" "$SERVER_PID" <<'EOF'
import json, os, signal, socket, sys, time, datetime, threading
port, token, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sse = socket.create_connection(("127.0.0.1", port)); sse.settimeout(10)
sse.sendall(b"GET /rain/stream HTTP/1.1\r\nHost: x\r\n\r\n")
sse.recv(4096)
sse_end = {}
def follow():
    try:
        while sse.recv(4096): pass
    except OSError: pass
    sse_end["t"] = time.monotonic()
threading.Thread(target=follow, daemon=True).start()
t = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
body = json.dumps({"site": "G1", "observed_at": t.isoformat(), "value": 1.5}).encode()
s = socket.create_connection(("127.0.0.1", port)); s.settimeout(10)
s.sendall(f"POST /rain/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body[:10])
time.sleep(0.3)
os.kill(pid, signal.SIGTERM)
term = time.monotonic()
time.sleep(0.5)
s.sendall(body[10:])
reply = s.recv(4096)
answered = time.monotonic()
status = reply.split(b" ")[1].decode() if reply.startswith(b"HTTP/1.1 ") else "none"
while True:
    try: os.kill(pid, 0)
    except OSError: break
    if time.monotonic() - term > 15: break
    time.sleep(0.02)
gone = time.monotonic()
print(status, f"{gone - term:.2f}", f"{gone - answered:.2f}", f"{sse_end.get('t', gone) - term:.2f}")
EOF
)
wait "$SERVER_PID" 2>/dev/null; code=$?; SERVER_PID=""
read -r status total after sse <<<"$result"
detail="SIGTERM with a POST half sent and an SSE client: POST $status, SSE ended ${sse}s after, process exited ${total}s after SIGTERM (${after}s after the POST's answer), status $code"
if [[ "$status" =~ ^2 ]] && python3 -c "import sys; sys.exit(0 if $after <= 1.0 else 1)"; then record limits shutdown PASS "$detail"
else record limits shutdown FAIL "$detail"; fi
