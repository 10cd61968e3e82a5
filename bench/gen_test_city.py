#!/usr/bin/env python3
"""Writes SQL (for the `spatialite` shell) that fills an initialised Chizu database with a
deterministic Isehara-sized test city in EPSG:6677: a street grid (roads), sewer pipes along every
other street, manholes at pipe ends, cameras, rain gauges and facilities. Used by the tile benchmarks
until `chizu sample` lands. Usage: gen_test_city.py [SPACING_M] > city.sql"""
import random, sys

spacing = float(sys.argv[1]) if len(sys.argv) > 1 else 150.0
rnd = random.Random(42)
E0, E1, N0, N1 = -53000.0, -41000.0, -72000.0, -62000.0   # easting / northing, metres
out = sys.stdout.write

def jitter(v, d=8.0): return v + rnd.uniform(-d, d)
def wkt_line(pts): return "LINESTRING(" + ",".join(f"{x:.2f} {y:.2f}" for x, y in pts) + ")"
def q(s): return "'" + s.replace("'", "''") + "'"

cols = int((E1 - E0) / spacing) + 1
rows = int((N1 - N0) / spacing) + 1
node = {}
for i in range(cols):
    for j in range(rows):
        node[(i, j)] = (jitter(E0 + i * spacing), jitter(N0 + j * spacing))

out("BEGIN;\n")
classes = ["1級", "2級", "その他市道"]
seg = 0
pipes = 0
manholes = set()
def segment(a, b, route):
    global seg, pipes
    (x0, y0), (x1, y1) = node[a], node[b]
    mids = [(jitter(x0 + (x1 - x0) * t, 3), jitter(y0 + (y1 - y0) * t, 3)) for t in (0.33, 0.66)]
    pts = [(x0, y0)] + mids + [(x1, y1)]
    seg += 1
    cls = classes[0] if route % 10 == 0 else classes[1] if route % 3 == 0 else classes[2]
    out(f"INSERT INTO roads (segment_id, route_number, route_name, road_class, width_m, length_m, one_way, geom) VALUES "
        f"('S{seg:06d}', '{route}', {q('市道' + str(route) + '号線')}, {q(cls)}, {rnd.choice([4.0, 5.5, 7.0, 9.0])}, {spacing:.1f}, 0, "
        f"GeomFromText('{wkt_line(pts)}', 6677));\n")
    if route % 2 == 0:
        pipes += 1
        up, down = f"MH{a[0]:03d}{a[1]:03d}", f"MH{b[0]:03d}{b[1]:03d}"
        manholes.update([a, b])
        out(f"INSERT INTO sewer_pipes (pipe_id, diameter_mm, material, length_m, upstream_manhole, downstream_manhole, year_laid, geom) VALUES "
            f"('P{pipes:06d}', {rnd.choice([200, 250, 300, 450])}, 'VU', {spacing:.1f}, '{up}', '{down}', {rnd.randint(1975, 2020)}, "
            f"GeomFromText('{wkt_line([(x0 + 1, y0 + 1), (x1 + 1, y1 + 1)])}', 6677));\n")

for j in range(rows):
    for i in range(cols - 1): segment((i, j), (i + 1, j), 1000 + j)
for i in range(cols):
    for j in range(rows - 1): segment((i, j), (i, j + 1), 2000 + i)
for (i, j) in sorted(manholes):
    x, y = node[(i, j)]
    out(f"INSERT INTO manholes (manhole_id, kind, depth_m, geom) VALUES ('MH{i:03d}{j:03d}', '汚水', {rnd.uniform(1.2, 4.5):.2f}, "
        f"MakePoint({x + 1:.2f}, {y + 1:.2f}, 6677));\n")
for k in range(400):
    out(f"INSERT INTO cameras (camera_id, place, cloud_recording, model, direction, geom) VALUES ('C{k:04d}', 'place {k}', {k % 2}, "
        f"'XC-{k % 5}', 'N', MakePoint({rnd.uniform(E0, E1):.2f}, {rnd.uniform(N0, N1):.2f}, 6677));\n")
for k in range(12):
    out(f"INSERT INTO rain_gauges (site_id, name, place, elevation_m, geom) VALUES ('R{k:02d}', 'gauge {k}', 'site', 50, "
        f"MakePoint({rnd.uniform(E0, E1):.2f}, {rnd.uniform(N0, N1):.2f}, 6677));\n")
out(f"INSERT INTO facilities (facility_id, kind, name, geom) VALUES ('F1', '車庫', 'depot', MakePoint({-47000:.2f}, {-66800:.2f}, 6677));\n")
out(f"INSERT INTO facilities (facility_id, kind, name, geom) VALUES ('F2', '資源化施設', 'recycling', MakePoint({-45200:.2f}, {-64000:.2f}, 6677));\n")
for k in range(3000):
    out(f"INSERT INTO yard_waste_points (point_id, weight_kg, geom) VALUES ('Y{k:05d}', {rnd.uniform(1, 30):.1f}, "
        f"MakePoint({rnd.uniform(E0, E1):.2f}, {rnd.uniform(N0, N1):.2f}, 6677));\n")
out("UPDATE chizu_layers SET version = version + 1, feature_count = (SELECT count(*) FROM roads) WHERE layer_id = 'roads';\n")
for t in ["sewer_pipes", "manholes", "cameras", "rain_gauges", "facilities", "yard_waste_points"]:
    out(f"UPDATE chizu_layers SET version = version + 1, feature_count = (SELECT count(*) FROM {t}) WHERE layer_id = '{t}';\n")
out("COMMIT;\n")
