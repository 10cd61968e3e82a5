#!/usr/bin/env python3
"""SSE clients beside wrk (which cannot read a stream that never ends), for hard/load.sh and hard/reingest.sh.

  sse_load.py PORT SECONDS HOLDERS RATE

HOLDERS clients keep /rain/stream open for the whole run (citizens with the rain map open); they must
get `200 text/event-stream` and the `: connected` comment within 10 s, and the server must not drop them early.
Besides them, RATE new connects a second (spread over a few loops) each read up to the first event,
the `: connected` comment, and hang up: the time to that comment is the connect's latency.
Prints one line: SSE_RESULT connects=N rate=R p50_ms=… p99_ms=… errors=E held=H dropped=D
"""
import asyncio
import signal
import sys
import time

HOST = "127.0.0.1"
# Seconds to the first event before a connect counts as failed: wrk's --timeout in hard/load_lib.sh.
TIMEOUT = 10


async def open_stream(port):
    """Connects and reads up to the first event; returns (reader, writer, seconds) or raises."""
    start = time.monotonic()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /rain/stream HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
    status = head.split(b"\r\n", 1)[0]
    if b" 200 " not in status + b" " or b"text/event-stream" not in head.lower():
        writer.close()
        raise RuntimeError(f"stream answered {status!r}")
    body = b""
    while b": connected" not in body:
        chunk = await asyncio.wait_for(reader.read(4096), TIMEOUT)
        if not chunk:
            raise RuntimeError("stream closed before its first event")
        body += chunk
    return reader, writer, time.monotonic() - start


async def close(writer):
    writer.close()
    try:
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass


async def holder(port, stop, stats):
    while not stop.is_set():
        try:
            reader, writer, _ = await open_stream(port)
        except Exception as e:  # noqa: BLE001 — every failure counts as an error
            stats["errors"] += 1
            stats["last_error"] = repr(e)
            await asyncio.sleep(0.5)
            continue
        stats["held"] += 1
        read = asyncio.ensure_future(reader.read(65536))
        waiter = asyncio.ensure_future(stop.wait())
        while True:
            done, _ = await asyncio.wait({read, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if waiter in done:
                read.cancel()
                break
            try:
                data = read.result()
            except (ConnectionError, OSError):
                data = b""
            if not data:   # the server hung up on a subscriber during the run
                stats["dropped"] += 1
                waiter.cancel()
                break
            read = asyncio.ensure_future(reader.read(65536))
        await close(writer)


async def connector(port, stop, stats, interval):
    next_at = time.monotonic()
    while not stop.is_set():
        try:
            _, writer, seconds = await open_stream(port)
            stats["latencies"].append(seconds)
            await close(writer)
        except Exception as e:  # noqa: BLE001
            stats["errors"] += 1
            stats["last_error"] = repr(e)
        next_at += interval
        await asyncio.sleep(max(0, next_at - time.monotonic()))


def percentile(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


async def main(port, seconds, holders, rate):
    stop = asyncio.Event()
    stats = {"errors": 0, "held": 0, "dropped": 0, "latencies": [], "last_error": ""}
    loops = 4 if rate > 0 else 0
    tasks = [asyncio.ensure_future(holder(port, stop, stats)) for _ in range(holders)]
    tasks += [asyncio.ensure_future(connector(port, stop, stats, loops / rate)) for _ in range(loops)]
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    started = time.monotonic()
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        stop.set()
    elapsed = time.monotonic() - started
    await asyncio.wait(tasks, timeout=10)
    lat = stats["latencies"]
    print(f"SSE_RESULT connects={len(lat)} rate={len(lat) / max(elapsed, 1e-9):.1f} "
          f"p50_ms={percentile(lat, 50) * 1000:.1f} p99_ms={percentile(lat, 99) * 1000:.1f} "
          f"errors={stats['errors']} held={stats['held']} dropped={stats['dropped']}", flush=True)
    if stats["last_error"]:
        print(f"sse_load: last error: {stats['last_error']}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])))
