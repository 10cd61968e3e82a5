/// Split (Beasley 1983; Prins 2004): the optimal cut of a giant tour into routes, as a shortest path over tour
/// positions. Routes are evaluated with the penalised cost (loads up to 1.5 × capacity are considered), so the
/// search can pass through infeasible space. Falls back to a layered version when too many routes result.
struct Split {
    private var potential: [Double] = []
    private var predecessor: [Int] = []
    private var layered: [Double] = []
    private var layeredPredecessor: [Int] = []

    mutating func run(_ tour: [Int32], data: SolverData, penalties: Penalties) -> [[Int32]] {
        let n = tour.count
        guard n > 0 else { return [] }
        potential = [Double](repeating: .infinity, count: n + 1)
        predecessor = [Int](repeating: 0, count: n + 1)
        potential[0] = 0
        let loadLimit = 1.5 * data.capacity
        for i in 0..<n where potential[i] < .infinity {
            var segment = data.startSegment
            for j in (i + 1)...n {
                segment = data.join(segment, data.clientSegment[Int(tour[j - 1])])
                if j > i + 1 && segment.load > loadLimit { break }
                let c = potential[i] + data.cost(data.join(segment, data.endSegment), penalties)
                if c < potential[j] {
                    potential[j] = c
                    predecessor[j] = i
                }
            }
        }
        var cuts: [Int] = []
        var j = n
        while j > 0 { cuts.append(j); j = predecessor[j] }
        if cuts.count > data.maxRoutes && data.maxRoutes > 0 && !data.multiTrip {
            if let limited = runLimited(tour, data: data, penalties: penalties) { return limited }
        }
        return routes(tour, cuts: cuts.reversed())
    }

    /// Split with at most `maxRoutes` routes: Bellman layers over the number of routes used.
    private mutating func runLimited(_ tour: [Int32], data: SolverData, penalties: Penalties) -> [[Int32]]? {
        let n = tour.count
        let k = data.maxRoutes
        layered = [Double](repeating: .infinity, count: (k + 1) * (n + 1))
        layeredPredecessor = [Int](repeating: 0, count: (k + 1) * (n + 1))
        layered[0] = 0
        for r in 0..<k {
            for i in r..<n where layered[r * (n + 1) + i] < .infinity {
                var segment = data.startSegment
                for j in (i + 1)...n {
                    segment = data.join(segment, data.clientSegment[Int(tour[j - 1])])
                    let c = layered[r * (n + 1) + i] + data.cost(data.join(segment, data.endSegment), penalties)
                    let at = (r + 1) * (n + 1) + j
                    if c < layered[at] {
                        layered[at] = c
                        layeredPredecessor[at] = i
                    }
                }
            }
        }
        var bestLayer = -1
        var best = Double.infinity
        for r in 1...k where layered[r * (n + 1) + n] < best {
            best = layered[r * (n + 1) + n]
            bestLayer = r
        }
        guard bestLayer > 0 else { return nil }
        var cuts: [Int] = []
        var j = n
        var r = bestLayer
        while j > 0 && r > 0 {
            cuts.append(j)
            j = layeredPredecessor[r * (n + 1) + j]
            r -= 1
        }
        return routes(tour, cuts: cuts.reversed())
    }

    private func routes<C: Sequence<Int>>(_ tour: [Int32], cuts: C) -> [[Int32]] {
        var result: [[Int32]] = []
        var start = 0
        for end in cuts {
            result.append(Array(tour[start..<end]))
            start = end
        }
        return result
    }
}
