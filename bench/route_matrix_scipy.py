"""Times scipy.sparse.csgraph.dijkstra on the CSR graph `chizu route matrix-bench` exported, from the same
source nodes (one single-source search each, full tree, as chizu's matrix does). Prints seconds."""
import sys, time
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

csr, sources = sys.argv[1], sys.argv[2]
raw = open(csr, "rb").read()
n, m = np.frombuffer(raw, dtype=np.int32, count=2)
off = 8
indptr = np.frombuffer(raw, dtype=np.int32, count=n + 1, offset=off); off += 4 * (n + 1)
indices = np.frombuffer(raw, dtype=np.int32, count=m, offset=off); off += 4 * m
data = np.frombuffer(raw, dtype=np.float64, count=m, offset=off)
graph = csr_matrix((data, indices, indptr), shape=(n, n))
src = np.fromfile(sources, dtype=np.int32)
t0 = time.perf_counter()
dist = dijkstra(graph, directed=True, indices=src)
t1 = time.perf_counter()
print(f"{t1 - t0:.3f} {np.isfinite(dist).sum()}")
