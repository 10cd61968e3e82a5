"""Reads wrk --latency output on stdin; prints "requests/s p50_ms p99_ms errors" (errors: non-2xx/3xx
responses plus socket errors). Shared by the benchmarks that drive servers with wrk."""
import re
import sys

text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))


def ms(percentile):
    m = re.search(r"\s" + percentile + r"%\s+([\d.]+)(us|ms|s)\b", text)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else (v * 1000 if unit == "s" else v)


status = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(status.group(1)) if status else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
print("%.1f %.2f %.2f %d" % (rps, ms("50"), ms("99"), errors))
