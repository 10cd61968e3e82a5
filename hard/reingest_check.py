#!/usr/bin/env python3
"""The consistency checker of hard/reingest.sh: which version of the roads layer each response shows.

  reingest_check.py watch PORT MARKER OUT.json   until SIGTERM: fetch items and tiles in a loop
  reingest_check.py final PORT MARKER VERSION    once: every response must show VERSION (A or B)

Version B of the roads file has pavement = MARKER on every feature, version A never does. A response
is consistent when all its roads features show the same version, and the ETags are honest when each
ETag is only ever seen with one version. The same items page (a box around a road in the middle of the layer) is
fetched every round and the same tiles (that road's tile at z12–z16 and its neighbours at z15–z16)
one a round in turn, so they sit in the server's memory and disk caches when the final check runs.
"""
import gzip
import http.client
import json
import math
import signal
import sys
import time

import mapbox_vector_tile


def fetch(conn, path, gz=False):
    headers = {"Accept-Encoding": "gzip"} if gz else {}
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    if r.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return r.status, r.getheader("ETag"), body


def tile_xy(lon, lat, z):
    n = 2 ** z
    r = math.radians(lat)
    return int((lon + 180) / 360 * n), int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)


def targets(conn):
    # A road in the middle of the layer's order: the middle of the extent may be a gap between towns.
    status, _, body = fetch(conn, "/collections/roads/items?limit=1")
    if status != 200:
        raise SystemExit(f"/collections/roads/items answered {status}")
    middle = json.loads(body)["numberMatched"] // 2
    _, _, body = fetch(conn, f"/collections/roads/items?limit=1&offset={middle}")
    lon, lat = json.loads(body)["features"][0]["geometry"]["coordinates"][0][:2]
    items = f"/collections/roads/items?bbox={lon - 0.005:.5f},{lat - 0.004:.5f},{lon + 0.005:.5f},{lat + 0.004:.5f}&limit=1000"
    tiles = []
    for z in range(12, 17):
        x, y = tile_xy(lon, lat, z)
        around = [(0, 0)] if z < 15 else [(0, 0), (1, 0), (0, 1), (-1, -1)]
        tiles += [f"/tiles/public/{z}/{x + dx}/{y + dy}.mvt" for dx, dy in around]
    return items, tiles


class Check:
    def __init__(self, marker):
        self.marker = marker
        self.responses = {"items": 0, "tiles": 0}
        self.failed = []          # non-2xx answers and transport errors
        self.mixed = []           # a response showing both versions
        self.etags = {}           # ETag -> set of versions seen with it
        self.versions_seen = []   # the version of each items response, in order

    def version_of(self, values, where):
        versions = {"B" if v == self.marker else "A" for v in values}
        if len(versions) > 1:
            self.mixed.append(where)
            return "mixed"
        return versions.pop() if versions else None

    def items(self, conn, path):
        status, etag, body = fetch(conn, path)
        self.responses["items"] += 1
        if status != 200:
            self.failed.append(f"{status} {path}")
            return None
        doc = json.loads(body)
        v = self.version_of([f["properties"].get("pavement") for f in doc["features"]], path)
        self.note(etag, v)
        self.versions_seen.append(v)
        return v

    def tile(self, conn, path):
        status, etag, body = fetch(conn, path, gz=True)
        self.responses["tiles"] += 1
        if status == 204:
            return None
        if status != 200:
            self.failed.append(f"{status} {path}")
            return None
        layers = mapbox_vector_tile.decode(body)
        roads = layers.get("roads", {}).get("features", [])
        v = self.version_of([f["properties"].get("pavement") for f in roads], path)
        self.note(etag, v)
        return v

    def note(self, etag, version):
        if etag and version:
            self.etags.setdefault(etag, set()).add(version)

    def summary(self):
        switches = sum(1 for a, b in zip(self.versions_seen, self.versions_seen[1:]) if a != b)
        return {"items": self.responses["items"], "tiles": self.responses["tiles"], "failed": len(self.failed),
                "mixed": len(self.mixed), "etag_conflicts": sum(1 for s in self.etags.values() if len(s) > 1),
                "etags": len(self.etags), "switches": switches, "examples": (self.failed + self.mixed)[:5]}


def watch(port, marker, out):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    items, tiles = targets(conn)
    check = Check(marker)
    turn = 0
    while not stop:
        try:
            # The items page every time, the tiles in turn: the page is sampled often enough to see
            # every replace even when the server answers slowly under the load.
            check.items(conn, items)
            check.tile(conn, tiles[turn % len(tiles)])
            turn += 1
        except (OSError, http.client.HTTPException) as e:
            check.failed.append(f"{type(e).__name__}: {e}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            time.sleep(0.2)
    with open(out, "w") as f:
        json.dump(check.summary(), f)


def final(port, marker, expected):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    items, tiles = targets(conn)
    check = Check(marker)
    shown = [("items", check.items(conn, items))] + [(t, check.tile(conn, t)) for t in tiles]
    stale = [where for where, v in shown if v is not None and v != expected]
    empty = sum(1 for _, v in shown if v is None)
    print(json.dumps({"checked": len(shown), "stale": stale[:5], "stale_count": len(stale), "without_roads": empty,
                      "failed": check.failed[:5]}))
    return 0 if not stale and not check.failed and shown[0][1] == expected else 1


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in ("watch", "final"):
        sys.exit(__doc__)
    mode, port, marker, arg = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode == "watch":
        watch(port, marker, arg)
    else:
        sys.exit(final(port, marker, arg))
