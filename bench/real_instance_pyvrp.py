"""The city's real multi-trip instance (from `chizu route export-vrplib --format json`) solved by PyVRP
with the same matrices, then both solutions scored by one evaluator with Chizu's rules.

usage: real_instance_pyvrp.py INSTANCE.json SECONDS SEED CHIZU_SOLUTION.json

PyVRP model: depot = the truck garage, the recycling facility a reload depot (unloading as its
service time) and the end depot of every truck, clients picked up (kg), time then distance as the
objective (10,000 × seconds + metres), trucks back at the garage by the end of the shift.
Evaluator: a truck leaves the garage at the shift start; each trip visits its stops (service times)
and ends with unloading at the facility; then facility → garage. Time = return − departure.
"""
import json
import sys

from pyvrp import Model
from pyvrp.stop import MaxRuntime

path, seconds, seed, chizu_path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
inst = json.load(open(path))
T, D = inst["travel_time"], inst["distance"]
n, stops = len(T), len(inst["demands"])


def evaluate(trucks):
    """(total seconds, total metres, problems) of trips per truck (stop numbers 0-based; node = stop + 2)."""
    seen, problems, total_t, total_d = [], [], 0, 0
    if len([t for t in trucks if t]) > inst["trucks"]:
        problems.append(f"{len(trucks)} trucks used, {inst['trucks']} available")
    for k, trips in enumerate(trucks):
        if not trips:
            continue
        clock, at, metres = inst["shift_start"], 0, 0
        for trip in trips:
            load = 0
            for s in trip:
                clock += T[at][s + 2] + inst["service_times"][s]
                metres += D[at][s + 2]
                load += inst["demands"][s]
                at = s + 2
                seen.append(s)
            clock += T[at][1] + inst["unload_time"]
            metres += D[at][1]
            at = 1
            if load > inst["capacity"]:
                problems.append(f"truck {k + 1}: a trip carries {load} kg > {inst['capacity']}")
        clock += T[1][0]
        metres += D[1][0]
        if inst.get("shift_end") is not None and clock > inst["shift_end"]:
            problems.append(f"truck {k + 1}: back at {clock} s, after the shift end {inst['shift_end']}")
        total_t += clock - inst["shift_start"]
        total_d += metres
    if sorted(seen) != list(range(stops)):
        problems.append(f"{len(set(seen))} of {stops} stops visited, {len(seen) - len(set(seen))} twice")
    return total_t, total_d, problems


m = Model()
locations = [m.add_location(0, 0) for _ in range(n)]
garage = m.add_depot(locations[0])
facility = m.add_depot(locations[1], service_duration=inst["unload_time"])
for s in range(stops):
    m.add_client(locations[s + 2], pickup=[inst["demands"][s]], service_duration=inst["service_times"][s])
back = T[1][0]
late = (inst["shift_end"] - back - inst["unload_time"]) if inst.get("shift_end") is not None else 2**62
m.add_vehicle_type(num_available=inst["trucks"], capacity=[inst["capacity"]], start_depot=garage, end_depot=facility,
                   reload_depots=[facility], tw_early=inst["shift_start"], tw_late=late,
                   unit_distance_cost=1, unit_duration_cost=10000)
for i in range(n):
    for j in range(n):
        if i != j:
            m.add_edge(locations[i], locations[j], distance=D[i][j], duration=T[i][j])
result = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
pyvrp_trucks = []
for route in result.best.routes():
    trips, current = [], []
    for a in route.schedule():
        if a.is_depot():
            if current:
                trips.append(current)
            current = []
        else:
            current.append(a.idx)
    if current:
        trips.append(current)
    pyvrp_trucks.append(trips)

chizu = json.load(open(chizu_path))
ct, cd, cp = evaluate(chizu["trucks"])
pt, pd, pp = evaluate(pyvrp_trucks)
ctrips, ptrips = sum(map(len, chizu["trucks"])), sum(map(len, pyvrp_trucks))
print(f"chizu  time {ct} s  distance {cd} m  trips {ctrips}  {'feasible' if not cp else 'INFEASIBLE: ' + '; '.join(cp)}")
print(f"pyvrp  time {pt} s  distance {pd} m  trips {ptrips}  "
      f"{'feasible' if not pp and result.is_feasible() else 'INFEASIBLE: ' + '; '.join(pp)}")
print(f"chizu/pyvrp total time: {ct / pt:.4f} ({(ct / pt - 1) * 100:+.2f}%; goal within +1%)")
