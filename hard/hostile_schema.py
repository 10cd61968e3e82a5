#!/usr/bin/env python3
"""Summarises one schemathesis run for hard/hostile.sh: prints `check<TAB>result<TAB>detail` rows.

    hard/hostile_schema.py REPORT_DIR LOG EXIT_STATUS WHO

REPORT_DIR holds schemathesis' HAR report (every request and answer): the 5xx answers are counted
from it, so a server error counts even where no check would flag it. LOG is schemathesis' output,
whose summary gives the test cases generated and the failures its checks found.
"""
import collections
import glob
import json
import re
import sys


def main():
    report_dir, log_path, status, who = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    log = open(log_path, encoding="utf-8", errors="replace").read()
    entries = []
    for path in glob.glob(f"{report_dir}/*.json"):
        entries += json.load(open(path))["log"]["entries"]
    statuses = collections.Counter(e["response"]["status"] for e in entries)
    server_errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
    generated = re.search(r"(\d+) generated", log)
    failures = re.findall(r"❌ (ST\d+ [^:\n]+: \d+)|^\s*-\s*(.*(?:failures?|errors?).*)$", log, re.M)
    found = [a or b for a, b in failures]
    mix = ", ".join(f"{s}×{n}" for s, n in sorted(statuses.items()))
    row = f"schemathesis-{who}"
    if not entries:
        print(f"{row}\tFAIL\tno requests recorded (exit {status}); see {log_path}")
        return
    detail = f"{generated.group(1) if generated else '?'} cases, {len(entries)} requests ({mix}); {server_errors} 5xx"
    if server_errors == 0 and status == 0:
        print(f"{row}\tPASS\t{detail}; every check passed")
    else:
        why = "; ".join(found[:3]) or f"exit {status}"
        print(f"{row}\tFAIL\t{detail}; {why}; see {log_path}")


if __name__ == "__main__":
    main()
