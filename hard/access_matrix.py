#!/usr/bin/env python3
"""The access-control matrix of `make check-hard` (run by hard/access.sh against a live server).

Every endpoint of hard/access_endpoints.txt × every kind of caller × every layer and internal field.
What each caller may see is computed here from layers/*.yaml, independently of the server's code;
what the server answered is searched (bodies gzip-decoded, headers, MVT decoded) for anything the
caller may not see: an internal layer's id or title, an internal field's name or label, a value
only an internal field or layer holds. Prints summary rows as `ROW<TAB>check<TAB>result<TAB>detail`
on stdout; every finding goes to stderr and to the report file.

    access_matrix.py run --base URL --layers DIR --chizu BIN --db DB --archive NAME --rogue NAME --report FILE
    access_matrix.py rogue-archive SRC.mbtiles DST.mbtiles   (an archive that claims internal content)
"""
import argparse
import base64
import collections
import concurrent.futures
import gzip
import json
import math
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

import mapbox_vector_tile
import requests
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
QUICK = os.environ.get("QUICK", "0") == "1"


# ---------------------------------------------------------------- who may see what (from the YAMLs)

class Layer:
    def __init__(self, d):
        self.id = d["id"]
        self.access = d.get("access", "public")
        self.department = d.get("department")
        self.shared = set(d.get("shared_with") or [])
        self.key = d["key"]
        self.title = d.get("title") or {}
        self.minzoom = (d.get("zoom") or {}).get("min", 0)
        self.maxzoom = (d.get("zoom") or {}).get("max", 18)
        self.fields = [f["name"] for f in d["fields"]]
        self.internal = [f["name"] for f in d["fields"] if f.get("visibility") == "internal"]
        self.labels = {f["name"]: f.get("label") or {} for f in d["fields"]}
        self.readings = "readings" in d

    def sees_internal(self, c):
        return c.kind == "admin" or (c.kind == "department" and (c.department == self.department or c.department in self.shared))

    def visible(self, c):
        return self.access == "public" or self.sees_internal(c)

    def fields_for(self, c):
        return [f for f in self.fields if f not in self.internal or self.sees_internal(c)]


def load_layers(directory):
    out = []
    for name in sorted(os.listdir(directory)):
        if name.endswith((".yaml", ".yml")) and not name.startswith("."):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                out.append(Layer(yaml.safe_load(f)))
    return out


class Caller:
    """kind: anonymous, department, admin, device (valid); invalid (401 expected); query (400 expected)."""

    def __init__(self, name, kind, department=None, auth=None, query=None, device=None, role="reader"):
        self.name, self.kind, self.department, self.auth, self.query, self.device, self.role = name, kind, department, auth, query, device, role

    @property
    def valid(self):
        return self.kind in ("anonymous", "department", "admin", "device")


# ---------------------------------------------------------------- tokens, via the CLI

def chizu(args, *rest):
    out = subprocess.run([args.chizu, *rest, "--db", args.db, "--layers", args.layers], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def make_callers(args, layers, device_site):
    """Valid callers of every kind the YAMLs distinguish, plus every way a token can be wrong."""
    rights = sorted({d for l in layers if l.access == "internal" or l.internal for d in [l.department, *l.shared] if d})
    no_rights = sorted({l.department for l in layers} - set(rights)) or ["planning"]
    callers = [Caller("anonymous", "anonymous")]
    for d in rights + no_rights[:1]:
        callers.append(Caller(f"dept:{d}", "department", d, "Bearer " + chizu(args, "token", "create", "--department", d, "--role", "reader")))
    callers.append(Caller("admin", "admin", "digital_administration",
                          "Bearer " + chizu(args, "token", "create", "--department", "digital_administration", "--role", "admin")))
    callers.append(Caller(f"device:{device_site}", "device", auth="Bearer " + chizu(args, "token", "create", "--device", device_site),
                          device=device_site))
    owner = rights[0] if rights else "sanitation"
    expired = chizu(args, "token", "create", "--department", owner, "--expires", "2020-01-01")
    revoked = chizu(args, "token", "create", "--department", owner)
    chizu(args, "token", "revoke", revoked.split("_")[1])
    good = chizu(args, "token", "create", "--department", owner, "--role", "admin")   # used only the wrong ways
    tid, secret = good.split("_")[1], good.split("_", 2)[2]
    forged = f"chz_{tid}_{secret[:-2]}{'AA' if not secret.endswith('AA') else 'BB'}"
    callers += [
        Caller("expired", "invalid", auth="Bearer " + expired),
        Caller("revoked", "invalid", auth="Bearer " + revoked),
        Caller("malformed", "invalid", auth="Bearer chz_not-a-token"),
        Caller("forged-secret", "invalid", auth="Bearer " + forged),
        Caller("wrong-scheme", "invalid", auth="Token " + good),
        Caller("basic-auth", "invalid", auth="Basic " + base64.b64encode(f"admin:{good}".encode()).decode()),
        Caller("query-access_token", "query", query=("access_token", good)),
        Caller("query-other-name", "query", query=("key", good)),
    ]
    return callers, good


# ---------------------------------------------------------------- HTTP

_local = threading.local()


def session():
    if not hasattr(_local, "s"):
        _local.s = requests.Session()
    return _local.s


def fetch(base, caller, method, path, body=None, stream_seconds=None):
    """(status, headers, decoded body bytes). 429 (rate limits) is waited out and retried."""
    url = base + path
    if caller.query:
        url += ("&" if "?" in path else "?") + urllib.parse.urlencode([caller.query])
    headers = {"Accept-Encoding": "gzip"}
    if caller.auth:
        headers["Authorization"] = caller.auth
    if body is not None:
        headers["Content-Type"] = "application/json"
    for attempt in range(20):
        if stream_seconds:
            # A quiet stream sends nothing for a while (keep-alives come every 15 s): a short read timeout.
            with session().request(method, url, headers=headers, stream=True, timeout=(10, stream_seconds)) as r:
                data, end = b"", time.time() + stream_seconds
                if r.status_code == 200:
                    try:
                        for chunk in r.iter_content(chunk_size=None):
                            data += chunk
                            if time.time() > end or len(data) > 1 << 20:
                                break
                    except requests.exceptions.RequestException:
                        pass
                else:
                    data = r.content
                status, hdrs = r.status_code, r.headers
        else:
            r = session().request(method, url, headers=headers, data=body, timeout=120)
            status, hdrs, data = r.status_code, r.headers, r.content
        if status != 429:
            return status, dict(hdrs), data
        time.sleep(float(hdrs.get("Retry-After", "1") or 1))
    return status, dict(hdrs), data


# ---------------------------------------------------------------- what each caller must not see

def word(s):
    return re.compile(r"(?<![A-Za-z0-9_\-])" + re.escape(s) + r"(?![A-Za-z0-9_\-])")


class Oracle:
    """Forbidden markers per caller, from the YAMLs and the data as an administrator reads it."""

    def __init__(self, layers, data):
        self.layers, self.data = layers, data
        public_text = set()
        for l in layers:
            if l.access != "public":
                continue
            for f in data[l.id]["features"]:
                for k, v in f["properties"].items():
                    if k not in l.internal and isinstance(v, str):
                        public_text.add(v)
        self.public_corpus = "\n".join(public_text)
        self.cache = {}

    def distinctive(self, v):
        return isinstance(v, str) and len(v) >= 4 and re.search(r"[^\d\s.:+\-TZ/]", v) and v not in self.public_corpus

    def markers(self, c):
        """(names, patterns, strings): names that must not be a JSON key or value, a CSV column or an
        MVT key; (name, regex) for names that must not appear anywhere (internal layer ids, internal
        field names); plain strings (titles, labels, values) that must not appear anywhere.
        An internal layer's own ordinary field names (point_id, weight_kg) are generic words: they
        count only as keys and columns, not in prose or scripts."""
        key = c.name
        if key in self.cache:
            return self.cache[key]
        visible_names = {f for l in self.layers if l.visible(c) for f in l.fields_for(c)} | {l.id for l in self.layers if l.visible(c)}
        names, words, strings = set(), set(), set()
        for l in self.layers:
            if not l.visible(c):
                names.add(l.id)
                words.add(l.id)
                names.update(set(l.fields) - visible_names)
                words.update(set(l.internal) - visible_names)
                strings.update(t for t in l.title.values() if t)
                for f in self.data[l.id]["features"]:
                    strings.update(v for v in f["properties"].values() if self.distinctive(v))
            elif not l.sees_internal(c):
                names.update(set(l.internal) - visible_names)
                words.update(set(l.internal) - visible_names)
                for fname in l.internal:
                    strings.update(t for t in l.labels[fname].values() if t)
                    for f in self.data[l.id]["features"]:
                        v = f["properties"].get(fname)
                        if self.distinctive(v):
                            strings.add(v)
        layer_ids = {l.id for l in self.layers}
        # One alternation for each kind, so a body is scanned once (longest first: no partial hides a whole).
        def alternation(items, bounded):
            if not items:
                return None
            body = "|".join(re.escape(i) for i in sorted(items, key=lambda i: (-len(i), i)))
            return re.compile(r"(?<![A-Za-z0-9_\-])(?:" + body + r")(?![A-Za-z0-9_\-])" if bounded else "(?:" + body + ")")
        out = (names, {"ids": alternation(words & layer_ids, True), "fields": alternation(words - layer_ids, True),
                       "strings": alternation(strings, False)}, strings)
        self.cache[key] = out
        return out


def walk_json(value, names, found, path="$"):
    if isinstance(value, dict):
        for k, v in value.items():
            if k in names:
                found.append(f"JSON key {k!r} at {path}")
            walk_json(v, names, found, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            walk_json(v, names, found, f"{path}[{i}]")
    elif isinstance(value, str) and value in names:
        found.append(f"JSON value {value!r} at {path}")


def decode_mvt(data):
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return mapbox_vector_tile.decode(data) if data else {}


def find_leaks(oracle, caller, status, headers, body, content_type, asked="", third_party=False):
    """What of the response the caller may not see (a list of short descriptions). What the caller
    sent itself (`asked`: the decoded URL and body) is no leak when echoed, e.g. in 'no collection X'.
    In third-party code (MapLibre) field names that are plain words (direction, model) are code, not
    data; layer ids, titles and values still count."""
    names, scanners, _ = oracle.markers(caller)
    scanners = [r for k, r in scanners.items() if r is not None and not (third_party and k == "fields")]
    found = []
    head = "\n".join(f"{k}: {v}" for k, v in headers.items())
    if "mapbox-vector-tile" in content_type and status == 200:
        try:
            tile = decode_mvt(body)
        except Exception as e:   # noqa: BLE001 — an undecodable tile is itself a finding
            return [f"undecodable MVT: {e}"]
        for lname, layer in tile.items():
            lay = next((l for l in oracle.layers if l.id == lname), None)
            if lay is None or not lay.visible(caller):
                found.append(f"MVT layer {lname}")
                continue
            allowed = set(lay.fields_for(caller))
            for feat in layer["features"]:
                extra = set(feat["properties"]) - allowed
                if extra:
                    found.append(f"MVT {lname} keys {sorted(extra)}")
                    break
        text = " ".join(json.dumps(tile, ensure_ascii=False, default=str).split())
    else:
        text = body.decode("utf-8", "replace")
    for scanner in scanners:
        for where, t in (("body", text), ("headers", head)):
            for m in scanner.finditer(t):
                if m.group(0) not in asked:
                    found.append(f"{m.group(0)!r} in {where} …{t[max(0, m.start() - 40):m.end() + 40]!r}…")
                    break
    if "json" in content_type and status < 300:
        try:
            walk_json(json.loads(text), names, found)
        except ValueError:
            pass
    if "csv" in content_type and status == 200:
        header = text.lstrip("\ufeff").split("\r\n", 1)[0].split("\n", 1)[0]
        found += [f"CSV column {h}" for h in header.split(",") if h.strip('"') in names]
    # A response carrying what the public may not see must not be stored by shared caches.
    if caller.kind != "anonymous" and status == 200 and "public" in headers.get("Cache-Control", "").lower():
        anon = oracle.markers(Caller("anonymous", "anonymous"))
        if any(r.search(text) for k, r in anon[1].items() if r is not None and not (third_party and k == "fields")):
            found.append(f"internal content with Cache-Control {headers['Cache-Control']!r}")
    return sorted(set(found))


# ---------------------------------------------------------------- the cells

class Cell:
    def __init__(self, route, path, expect, caller, method="GET", body=None, stream=None, check=None, layer=None, note=""):
        self.route, self.path, self.expect, self.caller = route, path, expect, caller
        self.method, self.body, self.stream, self.check, self.layer, self.note = method, body, stream, check, layer, note
        self.result = None


def tile_of(lon, lat, z):
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    lat_r = math.radians(lat)
    y = int((1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n)
    return z, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def first_coordinate(geometry):
    c = geometry["coordinates"]
    while isinstance(c[0], list):
        c = c[0]
    return c[0], c[1]


def build_cells(callers, layers, data, ctx):
    """Every cell: (route, concrete path, expected statuses) for every caller."""
    by_id = {l.id: l for l in layers}
    tiles, where = {}, {}
    for l in layers:
        feats = data[l.id]["features"]
        if feats:
            where[l.id] = first_coordinate(feats[0]["geometry"])
            tiles[l.id] = tile_of(*where[l.id], min(max(15, l.minzoom), l.maxzoom))
    # Quick mode: tilesets at the tiles of layers with something to hide, and of one other layer.
    with_internal = [l.id for l in layers if (l.access == "internal" or l.internal) and l.id in tiles]
    others = [l.id for l in layers if l.id in tiles and l.id not in with_internal]
    tileset_layers = with_internal + others[:1] if QUICK else sorted(tiles)
    cells = []
    for c in callers:
        def add(route, path, ok, **kw):
            if c.kind == "invalid":
                expect = {401}
            elif c.kind == "query":
                expect = {400}
            else:
                expect = ok
            cells.append(Cell(route, path, expect, c, **kw))
        for route, path, ok in [("GET /", "/", {200}), ("GET /", "/?f=html", {200}), ("GET /conformance", "/conformance", {200}),
                                ("GET /api", "/api", {200}), ("GET /health", "/health", {200}), ("GET /metrics", "/metrics", {200}),
                                ("GET /collections", "/collections", {200}), ("GET /collections", "/collections?f=html", {200}),
                                ("GET /tileMatrixSets", "/tileMatrixSets", {200}),
                                ("GET /tileMatrixSets/WebMercatorQuad", "/tileMatrixSets/WebMercatorQuad", {200}),
                                ("GET /map", "/map", {200}), ("GET /map/static/{file}", "/map/static/app.js", {200}),
                                ("GET /map/static/{file}", "/map/static/app.css", {200}), ("GET /map/static/{file}", "/map/static/index.html", {200}),
                                ("GET /map/vendor/{file}", "/map/vendor/maplibre-gl.js", {200, 404}),
                                ("GET /map/style.json", "/map/style.json", {200})]:
            add(route, path, ok)
        admin_ok = {200} if c.kind == "admin" else {401} if c.kind == "anonymous" else {403}
        add("GET /map/admin.json", "/map/admin.json", admin_ok)
        # Rain: public layer; posting needs a device (its own site), an editor of the owner, or an admin.
        rain = next((l for l in layers if l.readings), None)
        site = ctx["site"]
        rain_ok = {200} if rain and rain.visible(c) else {404}
        add("GET /rain/gauges/{siteId}/readings", f"/rain/gauges/{site}/readings", rain_ok)
        add("GET /rain/gauges/{siteId}/readings", f"/rain/gauges/{site}/readings?f=csv", rain_ok)
        add("GET /rain/alerts", "/rain/alerts", rain_ok)
        add("GET /rain/stream", "/rain/stream?last_event_id=0", rain_ok, stream=1.0)
        may_post = c.kind == "admin" or (c.kind == "device" and c.device == site)
        reading = json.dumps({"site": site, "observed_at": time.strftime("%Y-%m-%dT%H:%M:00+09:00", time.gmtime(time.time() + 9 * 3600 - 600)),
                              "value": 0.5})
        add("POST /rain/readings", "/rain/readings", {200} if may_post else {401} if c.kind == "anonymous" else {403},
            method="POST", body=reading)
        # Route plans: they hold the pickup layer's points, so those who see that layer's internals.
        pickup = by_id.get(ctx["pickup_layer"])
        planner = pickup is not None and pickup.sees_internal(c)
        plan_ok = {200} if planner else {401} if c.kind == "anonymous" else {403}
        body = json.dumps({"date": ctx["plan_date"], "trucks": 2, "capacity_kg": 4000, "time_limit_s": 1, "seed": 1})
        add("POST /routes/plans", "/routes/plans", {201, 422} if planner else plan_ok, method="POST", body=body)
        add("GET /routes/plans", "/routes/plans", plan_ok)
        pid = ctx["plan_id"]
        add("GET /routes/plans/{planId}", f"/routes/plans/{pid}", plan_ok)
        add("GET /routes/plans/{planId}/sheets/{truck}", f"/routes/plans/{pid}/sheets/1", plan_ok)
        add("GET /routes/plans/{planId}/gpx/{truck}", f"/routes/plans/{pid}/gpx/1", plan_ok)
        # Recording collected weights changes the city's figures: planners with an editor token, or an admin.
        record_ok = ({201} if c.kind == "admin" or c.role in ("editor", "admin") else {403}) if planner else plan_ok
        add("POST /routes/plans/{planId}/collections", f"/routes/plans/{pid}/collections", record_ok, method="POST",
            body=json.dumps({"truck": 1, "trip": 1, "collected_kg": 812.5}))
        add("GET /routes/collections", "/routes/collections?year=2026", plan_ok)
        # Collections and everything under them, for each layer and one that does not exist.
        for l in layers + [None]:
            lid = l.id if l else "no_such_layer"
            seen = l is not None and l.visible(c)
            ok = {200} if seen else {404}
            feats = data[lid]["features"] if l else []
            # Quick mode downloads a small box around the first feature rather than the whole layer.
            lon, lat = where.get(lid, (139.3, 35.4))
            small = f"?bbox={lon - 0.005:.5f},{lat - 0.005:.5f},{lon + 0.005:.5f},{lat + 0.005:.5f}" if QUICK else ""
            fid = urllib.parse.quote(str(feats[0]["properties"][l.key])) if feats else "X-1"
            for route, path in [("GET /collections/{collectionId}", ""), ("GET /collections/{collectionId}", "?f=html"),
                                ("GET /collections/{collectionId}/queryables", "/queryables"),
                                ("GET /collections/{collectionId}/items", "/items?limit=200"),
                                ("GET /collections/{collectionId}/items", "/items?f=html&limit=50"),
                                ("GET /collections/{collectionId}/items", "/items?f=csv&limit=200"),
                                ("GET /collections/{collectionId}/items/{featureId}", f"/items/{fid}"),
                                ("GET /collections/{collectionId}/items/{featureId}", f"/items/{fid}?f=html"),
                                ("GET /collections/{collectionId}/download", "/download" + small),
                                ("GET /collections/{collectionId}/download", "/download?f=csv" + small.replace("?", "&")),
                                ("GET /collections/{collectionId}/tiles", "/tiles")]:
                add(route, f"/collections/{lid}{path}", ok, layer=l)
            z, x, y = tiles.get(lid, (15, 29089, 12925))
            add("GET /collections/{collectionId}/tiles/WebMercatorQuad/{z}/{row}/{col}",
                f"/collections/{lid}/tiles/WebMercatorQuad/{z}/{y}/{x}", {200, 204} if seen else {404}, layer=l)
            add("GET /tiles/{tileset}", f"/tiles/{lid}.json", ok, layer=l)
            add("GET /tiles/{tileset}/{z}/{x}/{yFile}", f"/tiles/{lid}/{z}/{x}/{y}.mvt", {200, 204} if seen else {404}, layer=l)
            # Filters, property=value and sortby on each internal field: 400 (like an unknown field) for
            # those who may not see it, never a different answer that would tell them something.
            for fname in (l.internal if l else []):
                val = next((f["properties"][fname] for f in feats if f["properties"].get(fname) is not None), "x")
                lit = f"'{val}'" if isinstance(val, str) else str(val)
                filter_ok = ok if not seen else {200} if l.sees_internal(c) else {400}
                for q in [f"filter={urllib.parse.quote(f'{fname} = {lit}')}", f"filter={urllib.parse.quote(f'{fname} IS NOT NULL')}",
                          f"{fname}={urllib.parse.quote(str(val))}"]:
                    add("GET /collections/{collectionId}/items", f"/collections/{lid}/items?{q}", filter_ok, layer=l, note=f"side:{fname}")
                add("GET /collections/{collectionId}/items", f"/collections/{lid}/items?sortby={fname}", {400} if seen else {404}, layer=l)
        # Tilesets: groups and archives, at every layer's tile.
        for ts in ["public", "all", ctx["archive"], ctx["rogue"]]:
            seen = True
            if ts == ctx["rogue"]:   # visible only to those who may see everything it declares
                for i, fs in ctx["rogue_layers"].items():
                    l = by_id.get(i)
                    seen = seen and (c.kind == "admin" if l is None else l.visible(c) and all(f in l.fields_for(c) for f in fs if f in l.fields))
            add("GET /tiles/{tileset}", f"/tiles/{ts}.json", {200} if seen else {404})
            for lid in tileset_layers + ["rogue-tile"]:
                if lid == "rogue-tile":
                    z, x, y = ctx["rogue_tile"]
                elif ts in (ctx["archive"], ctx["rogue"]):   # archives hold z12–14
                    z, x, y = tile_of(*where[lid], 14)
                else:
                    z, x, y = tiles[lid]
                add("GET /tiles/{tileset}/{z}/{x}/{yFile}", f"/tiles/{ts}/{z}/{x}/{y}.mvt", {200, 204} if seen else {404}, note=f"tileset:{ts}:{lid}")
    if QUICK:   # callers whose every request is refused: one cell per route is enough
        firsts = set()
        kept = []
        for cell in cells:
            if cell.caller.valid or (cell.caller.name, cell.route) not in firsts:
                firsts.add((cell.caller.name, cell.route))
                kept.append(cell)
        cells = kept
    return cells


def run_cell(base, oracle, cell):
    started = time.time()
    status, headers, body = fetch(base, cell.caller, cell.method, cell.path, body=cell.body, stream_seconds=cell.stream)
    cell.seconds = time.time() - started
    ctype = headers.get("Content-Type", "")
    asked = urllib.parse.unquote_plus(cell.path) + (cell.body or "")
    leaks = find_leaks(oracle, cell.caller, status, headers, body, ctype, asked, third_party=cell.path.startswith("/map/vendor/"))
    cell.result = (status, headers, body, leaks)
    return cell


def grants(cell, oracle):
    """For a caller who may see a layer's internals: did they get them? (the matrix is not vacuous)."""
    l, c = cell.layer, cell.caller
    status, headers, body, _ = cell.result
    if not (l and c.valid and status == 200 and cell.route == "GET /collections/{collectionId}/items" and "f=" not in cell.path
            and "?limit=" in cell.path and oracle.data[l.id]["features"]):
        return None
    doc = json.loads(body)
    keys = set().union(*(f["properties"].keys() for f in doc["features"])) if doc["features"] else set()
    want = set(l.fields_for(c))
    return want <= keys


# ---------------------------------------------------------------- token timing

def token_timing(base, good, samples):
    """Refusal time of a token whose secret shares 0 or all-but-one leading characters with a real one
    (same id). The two are sent back to back in random order and their difference taken pair by pair,
    so that the machine's changing load (other work on the same cores) cancels out. With hashed
    secrets compared in constant time the median difference must be nil within its noise.
    Returns (median µs of each kind, median paired difference µs, its standard error, secret length)."""
    tid, secret = good.split("_")[1], good.split("_", 2)[2]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    def guess(k):
        rest = "".join(random.choice(alphabet.replace(secret[k], "")) if i == k else random.choice(alphabet)
                       for i in range(k, len(secret)))
        return f"chz_{tid}_{secret[:k]}{rest}"
    s = requests.Session()

    def timed(k):
        h = {"Authorization": "Bearer " + guess(k)}
        t = time.perf_counter()
        r = s.get(base + "/conformance", headers=h)
        assert r.status_code == 401, r.status_code
        return (time.perf_counter() - t) * 1e6
    for _ in range(20):   # warm-up
        timed(0)
    none, most, diffs = [], [], []
    for _ in range(samples):
        if random.random() < 0.5:
            a = timed(0); b = timed(len(secret) - 1)
        else:
            b = timed(len(secret) - 1); a = timed(0)
        none.append(a); most.append(b); diffs.append(b - a)
    q = statistics.quantiles(diffs, n=4)
    # Standard error of a median, from the IQR (σ ≈ IQR / 1.349; SE ≈ 1.253 σ / √n).
    se = 1.253 * (q[2] - q[0]) / 1.349 / math.sqrt(len(diffs))
    return statistics.median(none), statistics.median(most), statistics.median(diffs), se, len(secret)


# ---------------------------------------------------------------- main

def run(args):
    layers = load_layers(args.layers)
    by_id = {l.id: l for l in layers}
    report = open(args.report, "w", encoding="utf-8")

    def say(line):
        print(line, file=report)

    device_site = args.device_site
    callers, good = make_callers(args, layers, device_site)
    admin = next(c for c in callers if c.kind == "admin")
    # The data as an administrator reads it: the oracle's source of values and of tiles to ask for.
    data = {}
    for l in layers:
        st, _, body = fetch(args.base, admin, "GET", f"/collections/{l.id}/items?limit=10000")
        if st != 200:
            raise SystemExit(f"admin could not read {l.id}: {st}")
        data[l.id] = json.loads(body)
    oracle = Oracle(layers, data)
    # A stored plan for the plan endpoints: the busiest pickup day, planned by an administrator.
    pickup_layer = args.pickup_layer
    days = collections.Counter(str(f["properties"].get("recorded_at", ""))[:10] for f in data.get(pickup_layer, {"features": []})["features"])
    plan_date = days.most_common(1)[0][0] if days else "2026-11-17"
    body = json.dumps({"date": plan_date, "trucks": 2, "capacity_kg": 4000, "time_limit_s": 1, "seed": 1})
    st, _, out = fetch(args.base, admin, "POST", "/routes/plans", body=body)
    if st != 201:
        raise SystemExit(f"could not make a route plan for {plan_date}: {st} {out[:300]!r}")
    plan_id = json.loads(out)["id"]
    with sqlite3.connect(args.rogue_path) as db:
        rogue_layers = {v["id"]: list(v.get("fields", {})) for v in
                        json.loads(db.execute("SELECT value FROM metadata WHERE name='json'").fetchone()[0])["vector_layers"]}
        z, x, row = db.execute("SELECT zoom_level, tile_column, tile_row FROM map WHERE tile_id='rogue'").fetchone()
        rogue_tile = (z, x, (1 << z) - 1 - row)
    ctx = {"site": device_site, "pickup_layer": pickup_layer, "plan_date": plan_date, "plan_id": plan_id,
           "archive": args.archive, "rogue": args.rogue, "rogue_layers": rogue_layers,
           "rogue_tile": rogue_tile}
    # The detector finds what it looks for: an administrator's answers, judged as if sent to the public.
    anonymous = next(c for c in callers if c.kind == "anonymous")
    planted = [f"/collections/{l.id}/items?limit=5" + fmt for l in layers if l.access == "internal" or l.internal for fmt in ("", "&f=csv", "&f=html")]
    planted += [f"/tiles/all/{z}/{x}/{y}.mvt" for l in layers if l.access == "internal" or l.internal
                for z, x, y in [tile_of(*first_coordinate(data[l.id]["features"][0]["geometry"]), min(max(15, l.minzoom), l.maxzoom))]]
    missed = []
    for path in planted:
        st, hdrs, out = fetch(args.base, admin, "GET", path)
        if not find_leaks(oracle, anonymous, st, {}, out, hdrs.get("Content-Type", "")):
            missed.append(path)
    for path in missed:
        say(f"DETECTOR missed what an administrator sees in {path}")
    cells = build_cells(callers, layers, data, ctx)
    # Every route of the server is in the matrix.
    with open(os.path.join(HERE, "access_endpoints.txt"), encoding="utf-8") as f:
        routes = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    missing = sorted(set(routes) - {c.route for c in cells})
    unknown = sorted({c.route for c in cells} - set(routes))
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda cell: run_cell(args.base, oracle, cell), cells))
    took = time.time() - started
    leaks = [c for c in done if c.result[3]]
    wrong = [c for c in done if c.result[0] not in c.expect]
    for c in leaks:
        say(f"LEAK {c.caller.name} {c.method} {c.path} → {c.result[0]}: " + "; ".join(c.result[3][:5]))
    for c in wrong:
        say(f"STATUS {c.caller.name} {c.method} {c.path} → {c.result[0]}, expected {sorted(c.expect)}: {c.result[2][:200]!r}")
    slow = collections.defaultdict(float)
    for c in done:
        slow[c.route + (" " + c.path.split("?", 1)[1].split("&")[0] if "?" in c.path else "")] += c.seconds
    say("TIME per route (s, all callers): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(slow.items(), key=lambda kv: -kv[1])[:12]))
    # Side channels: a filter on a field the caller may not see answers exactly like one on a field
    # that does not exist (the name swapped for a placeholder in both).
    side_total, side_bad = 0, []
    for c in done:
        if not c.note.startswith("side:") or c.result[0] != 400:
            continue
        fname = c.note[5:]
        fake = "zz" + fname[2:] if not fname.startswith("zz") else "yy" + fname[2:]
        st, _, body = fetch(args.base, c.caller, "GET", c.path.replace(fname, fake))
        side_total += 1
        a = c.result[2].decode("utf-8", "replace").replace(fname, "FIELD")
        b = body.decode("utf-8", "replace").replace(fake, "FIELD")
        if st != c.result[0] or a != b:
            side_bad.append(c)
            say(f"SIDE-CHANNEL {c.caller.name} {c.path}: {st} vs {c.result[0]}\n  {a[:300]}\n  {b[:300]}")
    # Grants: those who may see internal layers and fields got them.
    g = [(c, grants(c, oracle)) for c in done]
    g = [(c, ok) for c, ok in g if ok is not None]
    g_bad = [c for c, ok in g if not ok]
    for c in g_bad:
        say(f"NOT-GRANTED {c.caller.name} {c.path}: expected fields {by_id[c.layer.id].fields_for(c.caller)}")
    # Tiles of internal layers reach those who may see them (the tile checks are not vacuous).
    mvt_seen = collections.Counter()
    for c in done:
        if c.result[0] == 200 and "mapbox-vector-tile" in c.result[1].get("Content-Type", ""):
            for lname in decode_mvt(c.result[2]):
                mvt_seen[(c.caller.name, lname)] += 1
    internal_tiles = [(c.name, l.id) for c in callers if c.valid for l in layers if l.access == "internal" and l.visible(c)]
    tiles_missing = [k for k in internal_tiles if not mvt_seen[k]]
    for k in tiles_missing:
        say(f"NOT-GRANTED tiles: {k[0]} never got MVT layer {k[1]}")
    # Archives: the public one's tiles reach everyone with content; the doctored one only those who may see it all.
    arch_tiles = [c for c in done if c.path.startswith(f"/tiles/{args.archive}/") and c.result[0] == 200 and decode_mvt(c.result[2])]
    doctored_to = sorted({c.caller.name for c in done if c.path.startswith(f"/tiles/{args.rogue}/") and c.result[0] == 200})
    # Token timing.
    m0, m1, diff, se_diff, n = token_timing(args.base, good, 400 if QUICK else 2000)
    say(f"TIMING medians µs {m0:.0f} / {m1:.0f}, paired difference {diff:+.1f} ± {se_diff:.1f} µs")

    callers_valid = sum(1 for c in callers if c.valid)
    print(f"ROW\tcells\tINFO\t{len(done)} requests: {len(routes)} routes × {len(callers)} callers ({callers_valid} valid) × "
          f"{len(layers)} layers and a missing one, their internal fields, 4 tilesets; {took:.0f} s")
    print(f"ROW\troutes-covered\t{'PASS' if not missing and not unknown else 'FAIL'}\t"
          + (f"{len(routes)}/{len(routes)} routes of the server in the matrix" if not missing and not unknown
             else f"not exercised: {', '.join(missing) or '-'}; not in access_endpoints.txt: {', '.join(unknown) or '-'}"))
    print(f"ROW\tdetector\t{'PASS' if not missed else 'FAIL'}\t{len(planted) - len(missed)}/{len(planted)} administrator answers "
          f"(items JSON/CSV/HTML, tiles) flagged when judged as the public's")
    print(f"ROW\tleaks\t{'PASS' if not leaks else 'FAIL'}\t{len(leaks)} responses with an internal layer, field or value"
          + ("" if not leaks else f", e.g. {leaks[0].caller.name} {leaks[0].path}: {leaks[0].result[3][0][:120]}"))
    print(f"ROW\trefusals\t{'PASS' if not wrong else 'FAIL'}\t{len(done) - len(wrong)}/{len(done)} statuses as expected "
          f"(404 hidden layers, 400 hidden fields and URL tokens, 401 bad tokens, 403 other departments)"
          + ("" if not wrong else f"; e.g. {wrong[0].caller.name} {wrong[0].method} {wrong[0].path} → {wrong[0].result[0]}"))
    print(f"ROW\tside-channels\t{'PASS' if not side_bad else 'FAIL'}\t{side_total - len(side_bad)}/{side_total} filters on hidden "
          f"fields answer exactly like unknown fields")
    print(f"ROW\tgrants\t{'PASS' if not g_bad and not tiles_missing else 'FAIL'}\t{len(g) - len(g_bad)}/{len(g)} item pages and "
          f"{len(internal_tiles) - len(tiles_missing)}/{len(internal_tiles)} internal tile layers reach those who may see them")
    print(f"ROW\tarchives\t{'PASS' if arch_tiles else 'FAIL'}\t{len(arch_tiles)} tiles of the built public archive served with content "
          f"and no internal layer or field; the doctored one (declares {', '.join(ctx['rogue_layers'])}) only to {', '.join(doctored_to) or 'nobody'}")
    # No dependence this run can detect: within 5 % (or 50 µs) or within 3 standard errors of the noise.
    ok = abs(diff) <= max(0.05 * min(m0, m1), 50, 3 * se_diff)
    print(f"ROW\ttoken-timing\t{'PASS' if ok else 'FAIL'}\trefusal over HTTP: median {m0:.0f} µs with 0 of {n} secret chars right, "
          f"{m1:.0f} µs with {n - 1} right; paired difference {diff:+.0f} ± {se_diff:.0f} µs (SE); "
          f"lookup by token id, SHA-256 of the secret compared in constant time")
    report.close()
    return 0


def rogue_archive(src, dst, layer_id, fields):
    """A copy of a public archive that also declares (and holds, in one tile) an internal layer."""
    shutil.copyfile(src, dst)
    with sqlite3.connect(dst) as db:
        meta = json.loads(db.execute("SELECT value FROM metadata WHERE name='json'").fetchone()[0])
        meta["vector_layers"].append({"id": layer_id, "description": "internal", "minzoom": 0, "maxzoom": 18,
                                      "fields": {f: "String" for f in fields}})
        db.execute("UPDATE metadata SET value=? WHERE name='json'", (json.dumps(meta),))
        z, x, row, tile_id = db.execute("SELECT zoom_level, tile_column, tile_row, tile_id FROM map LIMIT 1").fetchone()
        data = db.execute("SELECT tile_data FROM images WHERE tile_id=?", (tile_id,)).fetchone()[0]
        layers = decode_mvt(data)
        enc = [{"name": n, "features": [{"geometry": f["geometry"], "properties": f["properties"]} for f in l["features"]]}
               for n, l in layers.items()]
        enc.append({"name": layer_id, "features": [{"geometry": "POINT(100 100)", "properties": {f: "ROGUE-1" for f in fields}}]})
        blob = gzip.compress(mapbox_vector_tile.encode(enc, default_options={"y_coord_down": True}))
        db.execute("INSERT INTO images (tile_id, tile_data) VALUES ('rogue', ?)", (blob,))
        db.execute("UPDATE map SET tile_id='rogue' WHERE zoom_level=? AND tile_column=? AND tile_row=?", (z, x, row))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--base", required=True)
    r.add_argument("--layers", required=True)
    r.add_argument("--chizu", required=True)
    r.add_argument("--db", required=True)
    r.add_argument("--archive", required=True, help="the public archive's tileset name")
    r.add_argument("--rogue", required=True, help="the archive that declares internal content")
    r.add_argument("--rogue-path", required=True)
    r.add_argument("--device-site", default="G1")
    r.add_argument("--pickup-layer", default="yard_waste_points")
    r.add_argument("--report", required=True)
    a = sub.add_parser("rogue-archive")
    a.add_argument("src")
    a.add_argument("dst")
    a.add_argument("--layer", default="yard_waste_points")
    a.add_argument("--fields", default="point_id,weight_kg")
    args = p.parse_args()
    if args.cmd == "rogue-archive":
        rogue_archive(args.src, args.dst, args.layer, args.fields.split(","))
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
