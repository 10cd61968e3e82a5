#!/usr/bin/env python3
"""Hostile requests against a running `chizu serve` (part 4 of `make check-hard`).

Every case must be answered within the timeout (no hang), without a 5xx, with problem+json for
4xx answers, and the server process must still be alive afterwards. Some cases check more: path
traversal must never return a file from outside the web folders, SQL in a value must never match
more features than a plain wrong value.

    hard/hostile_cases.py --base http://127.0.0.1:PORT --pid PID [--timeout 15] \\
        [--reader TOKEN] [--sanitation TOKEN] [--device TOKEN] [--json OUT]

Prints one line per group (`group<TAB>passed<TAB>total<TAB>first failures`) and exits 0; the
caller turns the lines into PASS/FAIL rows. Requests go over raw sockets so that bytes no HTTP
library would send (invalid UTF-8, `..` segments, huge headers) reach the server as written.
"""
import argparse
import json
import os
import re
import socket
import threading
import time
import urllib.parse

# Markers of files that must never be served: /etc/passwd, and the repository's own files beside web/.
SECRET_MARKERS = [b"root:x:0:0", b"swift-tools-version", b"storage_crs:", b"rain:\n", b"[core]"]


class Answer:
    def __init__(self, status, headers, body, elapsed, error=None):
        self.status, self.headers, self.body, self.elapsed, self.error = status, headers, body, elapsed, error


def send(base, method, target, headers=None, body=b"", timeout=15.0):
    """One HTTP/1.1 request with `Connection: close`; target and headers are sent byte for byte."""
    u = urllib.parse.urlsplit(base)
    host, port = u.hostname, u.port
    if isinstance(target, str):
        target = target.encode("latin-1")
    lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: %s:%d" % (host.encode(), port), b"Connection: close"]
    for k, v in (headers or {}).items():
        lines.append((k.encode() if isinstance(k, str) else k) + b": " + (v.encode("latin-1") if isinstance(v, str) else v))
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(b"Content-Length: %d" % len(body))
    raw = b"\r\n".join(lines) + b"\r\n\r\n" + body
    start = time.monotonic()
    deadline = start + timeout
    data = b""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            # Sent from a thread: the server may answer (413/431) and stop reading a large body,
            # and the answer must still be read.
            def write():
                try:
                    s.sendall(raw)
                except OSError:
                    pass
            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            while time.monotonic() < deadline:
                s.settimeout(max(0.05, deadline - time.monotonic()))
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                data += chunk
                if complete(data):
                    break
    except OSError as e:
        return Answer(None, {}, b"", time.monotonic() - start, f"connection failed: {e}")
    elapsed = time.monotonic() - start
    head, _, rest = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1."):
        why = "no answer before the timeout" if elapsed >= timeout else "connection closed without an answer"
        return Answer(None, {}, b"", elapsed, why)
    status = int(head.split(b" ", 2)[1])
    hs = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        hs[k.strip().lower().decode("latin-1")] = v.strip().decode("latin-1")
    if not complete(data) and elapsed >= timeout and "text/event-stream" not in hs.get("content-type", ""):
        return Answer(status, hs, rest, elapsed, "the body did not finish before the timeout")
    return Answer(status, hs, rest, elapsed)


def complete(data):
    """True once a whole response (headers and a Content-Length or chunked body) has arrived."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    h = head.lower()
    if b"text/event-stream" in h:
        return True  # a stream: the headers are the answer
    for line in h.split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return len(rest) >= int(line.split(b":")[1])
    if b"transfer-encoding: chunked" in h:
        return rest.endswith(b"0\r\n\r\n")
    return False


class Run:
    def __init__(self, args):
        self.args = args
        self.groups = {}   # name -> [passed, total, failures]
        self.dead = False
        self.parser_refused = []

    def alive(self):
        """True while the server runs (a zombie, not yet reaped by its parent, counts as dead)."""
        try:
            with open(f"/proc/{self.args.pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except OSError:
            return False

    def case(self, group, label, method, target, headers=None, body=b"", check=None, problem_json=True):
        """Sends one request; records pass or the reason it failed. Once the server has died the
        remaining cases are not sent: the first death is the finding."""
        g = self.groups.setdefault(group, [0, 0, []])
        if self.args.skip and re.search(self.args.skip, label):
            return None
        g[1] += 1
        if self.dead:
            g[2].append(f"{label}: not run, the server had died")
            return None
        a = send(self.args.base, method, target, headers, body, self.args.timeout)
        why = None
        if a.error:
            why = a.error
        elif a.status >= 500:
            why = f"{a.status}"
        elif problem_json and 400 <= a.status < 500 and not a.headers.get("content-type", "").startswith("application/problem+json"):
            if a.status == 400 and a.headers.get("content-length") == "0" and a.headers.get("connection") == "close":
                # Hummingbird's HTTP/1 handler answers bytes its parser refuses (raw non-ASCII in the
                # request line, headers over its limits) with a bare 400 and closes: the request never
                # reaches the application, so no problem+json. Counted, and reported beside the groups.
                self.parser_refused.append(label)
            else:
                why = f"{a.status} is {a.headers.get('content-type', 'no content type')}, not problem+json"
        elif check:
            why = check(a)
        if not self.alive():
            why = (why + "; " if why else "") + "the server process died"
            self.dead = True
        if why:
            g[2].append(f"{label}: {why} ({a.elapsed:.1f} s)")
        else:
            g[0] += 1
        return a

    def report(self):
        if self.dead:
            dead = [f for g in self.groups.values() for f in g[2] if "the server process died" in f]
            print(f"server-alive\t0\t1\t{dead[0] if dead else 'the server died'}")
        else:
            print("server-alive\t1\t1\t")
        for name, (passed, total, failures) in self.groups.items():
            print(f"{name}\t{passed}\t{total}\t{' | '.join(failures[:4])}")
        print(f"parser-refused\t{len(self.parser_refused)}\t{sum(g[1] for g in self.groups.values())}\t{' | '.join(self.parser_refused[:3])}")


def q(s):
    return urllib.parse.quote(s, safe="")


def no_secret(a):
    for m in SECRET_MARKERS:
        if m in a.body:
            return f"served a file from outside the web folders ({m.decode()!r} in the body)"
    if a.status == 200:
        return "answered 200 to a path outside the plain file names"
    return None


def matched(a):
    """Number of features in a GeoJSON answer (0 for an error)."""
    if a.status != 200:
        return 0
    try:
        return len(json.loads(a.body).get("features", []))
    except (ValueError, AttributeError):
        return -1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--timeout", type=float, default=15.0)
    p.add_argument("--reader", help="a department reader token (sewer)")
    p.add_argument("--sanitation", help="a sanitation editor token (route plans)")
    p.add_argument("--device", help="a device token for gauge G1 (rain readings)")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--skip", help="leave out the cases whose label matches this regular expression (while debugging)")
    args = p.parse_args()
    r = Run(args)
    items = "/collections/roads/items"
    auth = {"Authorization": f"Bearer {args.reader}"} if args.reader else {}

    # Coordinates: huge boxes, NaN, Infinity, 1e309, in bbox, bbox-crs and filter geometries.
    bad_numbers = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e309", "-1e309", "1e308", "0x10", "1_0", "", " ", "١٢٣"]
    r.case("coordinates", "world bbox", "GET", f"{items}?bbox=-180,-90,180,90&limit=5")
    r.case("coordinates", "huge bbox", "GET", f"{items}?bbox=-1e300,-1e300,1e300,1e300")
    r.case("coordinates", "huge bbox 6677", "GET", f"{items}?bbox=-1e15,-1e15,1e15,1e15&bbox-crs={q('http://www.opengis.net/def/crs/EPSG/0/6677')}")
    r.case("coordinates", "huge bbox 3857", "GET", f"{items}?bbox=-1e300,-1e300,1e300,1e300&bbox-crs={q('http://www.opengis.net/def/crs/EPSG/0/3857')}")
    r.case("coordinates", "inverted bbox", "GET", f"{items}?bbox=140,36,139,35")
    r.case("coordinates", "bbox of 3 numbers", "GET", f"{items}?bbox=1,2,3")
    r.case("coordinates", "bbox of 10000 numbers", "GET", f"{items}?bbox=" + ",".join(["1"] * 10000))
    for n in bad_numbers:
        r.case("coordinates", f"bbox {n}", "GET", f"{items}?bbox={q(n)},35,139.4,35.5")
        r.case("coordinates", f"bbox-crs 3857 {n}", "GET", f"{items}?bbox=0,0,{q(n)},1&bbox-crs={q('http://www.opengis.net/def/crs/EPSG/0/3857')}")
        r.case("coordinates", f"filter point {n}", "GET", f"{items}?filter=" + q(f"S_INTERSECTS(geometry, POINT({n} 35.4))"))
        r.case("coordinates", f"dwithin {n}", "GET", f"{items}?filter=" + q(f"DWITHIN(geometry, POINT(139.31 35.4), {n})"))
        r.case("coordinates", f"filter bbox {n}", "GET", f"{items}?filter=" + q(f"S_INTERSECTS(geometry, BBOX(139.3, 35.3, {n}, 35.5))"))
    for wkt in ["POINT(1e308 1e308)", "POINT(-1e308 1e308)", "POLYGON((0 0, 1e308 0, 1e308 1e308, 0 0))",
                "LINESTRING(139.3 35.4, 139.3 35.4)", "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", "GEOMETRYCOLLECTION(POINT EMPTY)",
                "MULTIPOINT(EMPTY)", "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), EMPTY)", "POINT(1 2 3 4 5)", "POINT(200 100)",
                "POLYGON((" + ", ".join(f"{139.3 + i * 1e-6} 35.4" for i in range(3000)) + "))"]:
        for pred in ["S_INTERSECTS", "S_WITHIN", "S_CONTAINS", "S_DISJOINT"]:
            r.case("coordinates", f"{pred} {wkt[:40]}", "GET", f"{items}?filter=" + q(f"{pred}(geometry, {wkt})"))
        r.case("coordinates", f"DWITHIN {wkt[:40]}", "GET", f"{items}?filter=" + q(f"DWITHIN(geometry, {wkt}, 100)"))
        for crs in ["http://www.opengis.net/def/crs/EPSG/0/4326", "http://www.opengis.net/def/crs/EPSG/0/6677", "http://www.opengis.net/def/crs/EPSG/0/3857"]:
            r.case("coordinates", f"filter-crs {crs[-4:]} {wkt[:30]}", "GET", f"{items}?filter-crs={q(crs)}&filter=" + q(f"S_INTERSECTS(geometry, {wkt})"))
    for gj in ['{"type":"GeometryCollection","geometries":[]}', '{"type":"Point","coordinates":[]}',
               '{"type":"Point","coordinates":[1e308,1e308]}', '{"type":"Point","coordinates":[1e309,0]}',
               '{"type":"Polygon","coordinates":[]}', '{"type":"MultiPolygon","coordinates":[[]]}',
               '{"type":"LineString","coordinates":[[0,0]]}', '{"type":"Point","coordinates":[true,false]}']:
        r.case("coordinates", f"cql2-json geometry {gj[:40]}", "GET",
               f"{items}?filter-lang=cql2-json&filter=" + q('{"op":"s_intersects","args":[{"property":"geometry"},' + gj + ']}'))
        r.case("coordinates", f"cql2-json dwithin {gj[:40]}", "GET",
               f"{items}?filter-lang=cql2-json&filter=" + q('{"op":"dwithin","args":[{"property":"geometry"},' + gj + ',10]}'))
    for b in ["[1e309,0,1,1]", "[0,0,1e308,1e308]", "[1,2,3]", '["a","b","c","d"]', "[]"]:
        r.case("coordinates", f"cql2-json bbox {b}", "GET",
               f"{items}?filter-lang=cql2-json&filter=" + q('{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":' + b + '}]}'))

    # Tiles: zoom out of range, negative and huge columns/rows, non-numbers.
    tile_cases = [("40", "0", "0"), ("31", "0", "0"), ("30", "1073741823", "1073741823"), ("-1", "0", "0"), ("14", "-1", "0"),
                  ("14", "0", "-1"), ("14", "99999999999999999999", "0"), ("14", "16384", "16384"), ("0", "0", "1"),
                  ("NaN", "0", "0"), ("1e3", "0", "0"), ("14.5", "0", "0"), ("14", "0x10", "0"), ("", "0", "0"),
                  ("9223372036854775807", "0", "0"), ("14", "14552", "6467.5"), ("14", "%00", "0"), ("18", "232832", "103472")]
    for z, x, y in tile_cases:
        r.case("tiles", f"/tiles/public/{z}/{x}/{y}.mvt", "GET", f"/tiles/public/{q(z)}/{q(x)}/{q(y)}.mvt")
        r.case("tiles", f"ogc tile {z}/{y}/{x}", "GET", f"/collections/roads/tiles/WebMercatorQuad/{q(z)}/{q(y)}/{q(x)}")
    for name in ["public.json", "..%2f..%2fpublic.json", "%00.json", "public", "internal.json", "a" * 5000 + ".json"]:
        r.case("tiles", f"tilejson {name[:30]}", "GET", f"/tiles/{name}")
    r.case("tiles", "y without .mvt", "GET", "/tiles/public/14/14552/6467")
    r.case("tiles", "y.pbf", "GET", "/tiles/public/14/14552/6467.pbf")

    # Paging: negative, huge, non-numeric limit and offset; rain alerts' limit and since.
    for v in ["-1", "0", "-9223372036854775808", "9223372036854775807", "99999999999999999999999", "1e3", "abc", "", "1.5",
              "%00", "NaN", "10001", "100000000", "100000001", "+5", " 5", "0x10"]:
        r.case("paging", f"limit={v}", "GET", f"{items}?limit={v.replace(' ', '%20')}")
        r.case("paging", f"offset={v}", "GET", f"{items}?offset={v.replace(' ', '%20')}&limit=1")
        r.case("paging", f"alerts limit={v}", "GET", f"/rain/alerts?limit={v.replace(' ', '%20')}")
        r.case("paging", f"download limit={v}", "GET", f"/collections/facilities/download?limit={v.replace(' ', '%20')}")
    r.case("paging", "last page far away", "GET", f"{items}?offset=100000000&limit=10000")
    for v in ["-1", "abc", "99999999999999999999", "2026-13-45T99:99:99Z", "../..", "1e309"]:
        r.case("paging", f"alerts since={v}", "GET", f"/rain/alerts?since={q(v)}")
        r.case("paging", f"stream last_event_id={v}", "GET", f"/rain/stream?last_event_id={q(v)}")
        r.case("paging", f"stream Last-Event-ID {v}", "GET", "/rain/stream", headers={"Last-Event-ID": v})
        r.case("paging", f"series from={v}", "GET", f"/rain/gauges/G1/readings?from={q(v)}&to={q(v)}")
    r.case("paging", "series over 100 years 10m", "GET", "/rain/gauges/G1/readings?from=1926-01-01T00:00:00%2B09:00&to=2026-01-01T00:00:00%2B09:00&interval=10m")
    r.case("paging", "series reversed", "GET", "/rain/gauges/G1/readings?from=2026-01-01T00:00:00%2B09:00&to=1926-01-01T00:00:00%2B09:00")

    # Big inputs: a 1 MB filter, a 1 MB query string, deeply nested CQL2 (text and JSON).
    mb = 1 << 20
    r.case("big-input", "1 MB cql2-text filter", "GET", f"{items}?filter=" + q("route_name = '" + "x" * mb + "'"))
    r.case("big-input", "1 MB cql2-text IN list", "GET", f"{items}?filter=" + q("width_m IN (" + ",".join(["1"] * (mb // 2)) + ")"))
    r.case("big-input", "1 MB cql2-json filter", "GET", f"{items}?filter-lang=cql2-json&filter=" + q('{"op":"=","args":[{"property":"route_name"},"' + "x" * mb + '"]}'))
    r.case("big-input", "1 MB query string", "GET", f"{items}?route_name=" + "x" * mb)
    r.case("big-input", "10,000 parameters", "GET", f"{items}?" + "&".join(f"p{i}=1" for i in range(10000)))
    r.case("big-input", "60 kB filter (under the length limit)", "GET", f"{items}?filter=" + q(" OR ".join(["width_m = 1"] * 5000)))
    r.case("big-input", "IN with 1001 values", "GET", f"{items}?filter=" + q("width_m IN (" + ",".join(["1"] * 1001) + ")"))
    deep = 10000
    r.case("big-input", "cql2-json 10,000 levels of not", "GET", f"{items}?filter-lang=cql2-json&filter="
           + q('{"op":"not","args":[' * deep + "true" + "]}" * deep))
    r.case("big-input", "cql2-json 10,000 nested arrays", "GET", f"{items}?filter-lang=cql2-json&filter=" + q("[" * deep + "]" * deep))
    r.case("big-input", "cql2-json 10,000 nested arrays in args", "GET", f"{items}?filter-lang=cql2-json&filter="
           + q('{"op":"=","args":[{"property":"width_m"},' + "[" * deep + "]" * deep + "]}"))
    r.case("big-input", "cql2-text 10,000 parentheses", "GET", f"{items}?filter=" + q("(" * deep + "width_m = 1" + ")" * deep))
    r.case("big-input", "cql2-text 10,000 NOTs", "GET", f"{items}?filter=" + q("NOT " * deep + "width_m = 1"))
    r.case("big-input", "cql2-text 10,000 unclosed parentheses", "GET", f"{items}?filter=" + q("(" * deep))
    r.case("big-input", "cql2-text 10,000 nested WKT", "GET", f"{items}?filter=" + q("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(" * 200 + "POINT(1 1)" + ")" * 400))
    r.case("big-input", "cql2-text 16,000 ANDs", "GET", f"{items}?filter=" + q(" AND ".join(["width_m = 1"] * 4000)))
    r.case("big-input", "cql2-json 10,000 args", "GET", f"{items}?filter-lang=cql2-json&filter=" + q('{"op":"and","args":[' + ",".join(["true"] * 10000) + "]}"))

    # SQL in every parameter. A value must never widen a query: an injected OR '1'='1' matches no more than nothing.
    sql = ["' OR '1'='1", "1; DROP TABLE roads; --", "\" OR \"\"=\"", "1) OR (1=1", "' UNION SELECT token_hash FROM tokens --",
           "roads\"; DROP TABLE roads; --", "%' OR 1=1 --", "'||(SELECT load_extension('x'))||'", "1 OR 1=1", "\\'; --"]
    for s in sql:
        e = q(s)
        none_matched = lambda a: None if matched(a) == 0 else f"matched {matched(a)} features"
        for label, target in [("collectionId", f"/collections/{e}/items"), ("featureId", f"/collections/roads/items/{e}"),
                              ("real field", f"{items}?width_m={e}"), ("date field", f"{items}?certified_on={e}"),
                              ("sortby", f"{items}?sortby={e}"), ("crs", f"{items}?crs={e}"),
                              ("bbox-crs", f"{items}?bbox=139,35,140,36&bbox-crs={e}"),
                              ("datetime", f"/collections/rain_gauges/items?datetime={e}"), ("filter raw", f"{items}?filter={e}"),
                              ("filter property", f"{items}?filter=" + q('"' + s.replace('"', "") + '" = 1')),
                              ("cql2-json property", f"{items}?filter-lang=cql2-json&filter=" + q(json.dumps({"op": "=", "args": [{"property": s}, 1]}))),
                              ("filter-lang", f"{items}?filter=width_m=1&filter-lang={e}"), ("filter-crs", f"{items}?filter=width_m=1&filter-crs={e}"),
                              ("f", f"{items}?f={e}"), ("lang", f"/collections?lang={e}"), ("tileset", f"/tiles/{e}/14/14552/6467.mvt"),
                              ("siteId", f"/rain/gauges/{e}/readings"), ("interval", f"/rain/gauges/G1/readings?interval={e}")]:
            r.case("sql", f"{label} {s}", "GET", target)
        # Values that reach SQL as arguments: an injected OR must match nothing.
        for label, target in [("text field", f"{items}?route_name={e}"),
                              ("filter literal", f"{items}?filter=" + q("route_name = '" + s.replace("'", "''") + "'")),
                              ("filter LIKE", f"{items}?filter=" + q("route_name LIKE '" + s.replace("'", "''") + "'"))]:
            r.case("sql", f"{label} {s}", "GET", target, check=none_matched)
        r.case("sql", f"planId {s}", "GET", f"/routes/plans/{e}", headers={"Authorization": f"Bearer {args.sanitation}"} if args.sanitation else None)
        r.case("sql", f"token {s}", "GET", "/collections/sewer_pipes/items?limit=1", headers={"Authorization": f"Bearer {s}"})
        r.case("sql", f"internal layer with reader {s}", "GET", f"/collections/sewer_pipes/items?pipe_id={e}", headers=auth)
    r.case("sql", "tables still there", "GET", f"{items}?limit=1", check=lambda a: None if matched(a) == 1 else "the roads layer answers no feature")

    # Path traversal in the static-file routes: never a file from outside web/ or the vendor folder.
    traversal = ["../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "%2e%2e%2f%2e%2e%2fPackage.swift",
                 "..%2FPackage.swift", "..%5c..%5cPackage.swift", "..\\..\\Package.swift", "%252e%252e%252fPackage.swift",
                 "%2fetc%2fpasswd", "/etc/passwd", "index.html%00.js", "app.js%00", "%00", "..", ".", "%2e", "%2e%2e",
                 ".git%2fconfig", "..%2f.git%2fconfig", "..%2f..%2fsettings.yaml", "..%2f..%2flayers%2froads.yaml",
                 "....//....//etc/passwd", "..%c0%af..%c0%afetc%c0%afpasswd", "%c0%ae%c0%ae%2fPackage.swift",
                 "%e2%80%a5%2fPackage.swift", "%ef%bc%8e%ef%bc%8e%ef%bc%8fPackage.swift", "~root", "~%2f.bashrc",
                 "a" * 5000 + ".js", "maplibre-gl.js%2f..%2f..%2f..%2fPackage.swift"]
    for t in traversal:
        for prefix in ["/map/static/", "/map/vendor/", "/map/"]:
            r.case("traversal", prefix + t[:60], "GET", prefix + t, check=no_secret)
    for t in ["/../../etc/passwd", "/map/../../etc/passwd", "/map/static/../../../Package.swift", "/%2e%2e/%2e%2e/etc/passwd",
              "//etc/passwd", "/map//..//..//etc/passwd", "/map/static/.%2e/.%2e/Package.swift", "http://127.0.0.1/../../etc/passwd",
              "/map/static/..;/..;/Package.swift", "*", "/map/static/../../../../../../../../../../etc/passwd?x=1#y"]:
        r.case("traversal", t[:60], "GET", t, check=no_secret)
    r.case("traversal", "plain file still served", "GET", "/map/static/app.js",
           check=lambda a: None if a.status in (200, 404) else f"status {a.status}", problem_json=True)

    # Invalid UTF-8 in paths, query strings, headers and bodies.
    bad = [b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80", b"\xe3\x81", b"%ff%fe", b"%c0%af", b"%ed%a0%80", b"%00"]
    for b in bad:
        label = b.decode("latin-1")
        r.case("utf8", f"path {label!r}", "GET", b"/collections/" + b + b"/items")
        r.case("utf8", f"feature {label!r}", "GET", b"/collections/roads/items/" + b)
        r.case("utf8", f"static {label!r}", "GET", b"/map/static/" + b + b".js", check=no_secret)
        r.case("utf8", f"query value {label!r}", "GET", b"/collections/roads/items?route_name=" + b)
        r.case("utf8", f"query name {label!r}", "GET", b"/collections/roads/items?" + b + b"=1")
        r.case("utf8", f"filter {label!r}", "GET", b"/collections/roads/items?filter=route_name%3D%27" + b + b"%27")
        r.case("utf8", f"filter json {label!r}", "GET", b"/collections/roads/items?filter-lang=cql2-json&filter=%7B%22op%22%3A%22%3D%22%2C%22args%22%3A%5B%7B%22property%22%3A%22" + b + b"%22%7D%2C1%5D%7D")
        r.case("utf8", f"datetime {label!r}", "GET", b"/collections/rain_gauges/items?datetime=" + b)
        r.case("utf8", f"lang header {label!r}", "GET", b"/collections", headers={b"Accept-Language": b, b"Accept": b"text/html;" + b})
        r.case("utf8", f"token header {label!r}", "GET", b"/collections", headers={b"Authorization": b"Bearer " + b})
        if args.device:
            r.case("utf8", f"reading body {label!r}", "POST", "/rain/readings",
                   headers={"Authorization": f"Bearer {args.device}", "Content-Type": "application/json"},
                   body=b'{"site":"G1' + b + b'","observed_at":"2026-11-20T10:00:00+09:00","value":1}')
        if args.sanitation:
            r.case("utf8", f"plan body {label!r}", "POST", "/routes/plans",
                   headers={"Authorization": f"Bearer {args.sanitation}", "Content-Type": "application/json"},
                   body=b'{"date":"2026-11-17' + b + b'","trucks":1,"capacity_kg":2000}')

    # Oversized headers and bodies (the server's limits may answer; no 5xx, no hang, no crash).
    r.case("oversized", "64 kB header", "GET", "/collections", headers={"X-Big": "x" * 65536})
    r.case("oversized", "1 MB header", "GET", "/collections", headers={"X-Big": "x" * mb})
    r.case("oversized", "1 MB Authorization", "GET", "/collections", headers={"Authorization": "Bearer " + "x" * mb})
    r.case("oversized", "10,000 headers", "GET", "/collections", headers={f"X-H{i}": "1" for i in range(10000)})
    r.case("oversized", "1 MB URL path", "GET", "/collections/" + "x" * mb)
    r.case("oversized", "body on a GET", "GET", "/collections", body=b"x" * mb)
    r.case("oversized", "Content-Length lies (short body)", "GET", "/collections", headers={"Content-Length": "100"}, body=b"")
    r.case("oversized", "huge Content-Length", "GET", "/health", headers={"Content-Length": "99999999999999999999"})
    r.case("oversized", "negative Content-Length", "GET", "/health", headers={"Content-Length": "-1"})
    if args.device:
        dh = {"Authorization": f"Bearer {args.device}", "Content-Type": "application/json"}
        r.case("oversized", "10 MB readings body", "POST", "/rain/readings", headers=dh, body=b"[" + b"1," * (5 * mb) + b"1]")
        one = b'{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":1},'
        r.case("oversized", "3 MB of readings", "POST", "/rain/readings", headers=dh, body=b"[" + one * (3 * mb // len(one)) + one[:-1] + b"]")
    if args.sanitation:
        r.case("oversized", "1 MB plan body", "POST", "/routes/plans",
               headers={"Authorization": f"Bearer {args.sanitation}", "Content-Type": "application/json"},
               body=b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"x":"' + b"x" * mb + b'"}')

    # Malformed JSON bodies to the POST endpoints.
    bodies = [b"", b"{", b"[", b"]", b"null", b"true", b"0", b'""', b"[]", b"{}", b"[null]", b"[[]]", b"{\"readings\":5}",
              b"{\"readings\":null}", b"{\"readings\":[[[]]]}", b"[" * 100000 + b"]" * 100000, b"{\"a\":" * 50000 + b"1" + b"}" * 50000,
              b'{"site":1,"observed_at":2,"value":"x"}', b'{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":NaN}',
              b'{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":1e309}',
              b'{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":-1e309}',
              b'{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":-5}',
              b'{"site":"G1","observed_at":"9999-12-31T23:59:59+09:00","value":1}',
              b'{"site":"G1","observed_at":"0000-01-01T00:00:00+14:00","value":1}',
              b'{"site":"G1","observed_at":"2026-11-20T10:00:00+99:99","value":1}',
              b'{"site":"G1","observed_at":"-2026-11-20T10:00:00Z","value":1}',
              b'{"site":"G1","observed_at":"2026-11-20T10:00:00.' + b"9" * 1000 + b'+09:00","value":1}',
              b'{"site":"G1","site":"G2","observed_at":"2026-11-20T10:00:00+09:00","value":1}',
              b'{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":1}garbage',
              b'\xef\xbb\xbf{"site":"G1","observed_at":"2026-11-20T10:00:00+09:00","value":1}',
              b'{"site":"G1\\u0000","observed_at":"2026-11-20T10:00:00+09:00","value":1}',
              b'{"site":"\\ud800","observed_at":"2026-11-20T10:00:00+09:00","value":1}',
              b'{"date":"2026-11-17","trucks":-1,"capacity_kg":2000}', b'{"date":"2026-11-17","trucks":1e20,"capacity_kg":2000}',
              b'{"date":"2026-11-17","trucks":1000000000,"capacity_kg":2000,"time_limit_s":1}',
              b'{"date":"2026-11-17","trucks":100000,"capacity_kg":2000,"time_limit_s":1}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":1e308,"time_limit_s":1}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":9223372036854775807,"time_limit_s":1}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"time_limit_s":-1e308}',
              b'{"date":"2030-01-05","trucks":1,"capacity_kg":2000,"time_limit_s":1e308}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"time_limit_s":1,"seed":-9223372036854775808}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"time_limit_s":1,"shift":"23:59-00:00"}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"time_limit_s":1,"shift":"99:99-99:99"}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"time_limit_s":1,"shift":"-1:00-25:00"}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":2000,"time_limit_s":1,"shift":"0:00-inf:00"}',
              b'{"date":"2026-11-17","trucks":1,"capacity_kg":1e-300,"time_limit_s":1}',
              b'{"date":"2026-11-17","trucks":9223372036854775807,"capacity_kg":2000,"time_limit_s":1}',
              b'{"date":"9999-99-99","trucks":1,"capacity_kg":2000,"time_limit_s":1}',
              b'{"date":"0000-00-00","trucks":1,"capacity_kg":2000,"time_limit_s":1}']
    targets = []
    if args.device:
        targets.append(("/rain/readings", {"Authorization": f"Bearer {args.device}"}))
    if args.sanitation:
        targets.append(("/routes/plans", {"Authorization": f"Bearer {args.sanitation}"}))
    targets.append(("/rain/readings", {}))
    for path, h in targets:
        for i, b in enumerate(bodies):
            for ctype in (["application/json", "text/plain"] if i < 3 else ["application/json"]):
                r.case("bodies", f"{path} {'token' if h else 'anon'} #{i} {b[:30]!r}", "POST", path, headers={**h, "Content-Type": ctype}, body=b)
    for m in ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"]:
        r.case("bodies", f"{m} /rain/readings", m, "/rain/readings", body=b"{}")
        r.case("bodies", f"{m} items", m, items)

    r.report()
    if args.json:
        with open(args.json, "w") as f:
            json.dump({k: {"passed": v[0], "total": v[1], "failures": v[2]} for k, v in r.groups.items()}, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
