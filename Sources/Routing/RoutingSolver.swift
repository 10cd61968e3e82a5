/// A report the solver sends while it runs.
public struct SolverProgress: Sendable {
    /// Iterations so far: offspring of the genetic search, or steps of the iterated local search.
    public var iteration: Int
    /// Time since the start.
    public var elapsed: Duration
    /// Objective of the best feasible plan so far, if any.
    public var bestCost: Double?
    /// Population restarts so far.
    public var restarts: Int
}

/// The vehicle-routing solver for yard-waste runs: a Hybrid Genetic Search (HGS) over trips.
///
/// Why HGS: on CVRPLIB it is the state of the art among published heuristics (Vidal 2022) and PyVRP, the reference,
/// is built on it. Its parts map onto our needs: giant-tour chromosomes + Split give optimal trip cuts for free; the
/// granular local search with time-window segments handles capacity, shifts and windows in O(1) per move; penalised
/// infeasibility with adaptive weights lets the search cross infeasible space; and the biased-fitness population
/// (cost + diversity) gives the diversification that ILS or ALNS must tune by hand. Multi-trip: routes in the search
/// are trips ending at the facility; trips are then packed into truck shifts (best-fit decreasing), and shift overflow
/// is penalised in the fitness so the search is pushed towards plans that fit. Approximation: in the search every trip
/// of a multi-trip fleet leaves from the facility; the reported plan is re-timed exactly (first trip from the depot).
///
/// From `SolverOptions.iteratedSearchFrom` clients on, an iterated local search with late acceptance (PyVRP 0.14's
/// algorithm) replaces the genetic loop: each step removes and reinserts a few neighbouring clients and improves
/// only around them, so a thousand-client instance gets thousands of steps a second where HGS educates a few
/// offspring. Same local search, penalties and constraints.
public enum RoutingSolver {
    /// Solves `problem` within `timeLimit` (or `maxIterations` offspring, whichever comes first); the same seed and
    /// iteration budget give the same plan. Infeasible requests come back with `diagnoses` / `violations` filled in.
    public static func solve(_ problem: RoutingProblem, timeLimit: Duration, seed: UInt64,
                             maxIterations: Int? = nil, options: SolverOptions = SolverOptions(),
                             progress: (@Sendable (SolverProgress) -> Void)? = nil) -> RoutingSolution {
        let diagnoses = problem.diagnose()
        if diagnoses.contains(where: { if case .invalidInput = $0 { true } else { false } }) || problem.stops.isEmpty {
            var empty = RoutingSolution(problem: problem, tripsPerTruck: [])
            empty.diagnoses = diagnoses
            if problem.stops.isEmpty { empty.violations = [] }
            return empty
        }
        var search = GeneticSearch(problem: problem, options: options, seed: seed)
        let (routes, iterations) = search.run(timeLimit: timeLimit, maxIterations: maxIterations ?? Int.max,
                                              progress: progress)
        var solution = RoutingSolution(problem: problem, tripsPerTruck: search.trucks(for: routes),
                                       iterations: iterations)
        solution.diagnoses = diagnoses
        return solution
    }
}

/// What the search has found so far, its counters, and the progress reports it sends.
struct SearchRecord {
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant
    let deadline: ContinuousClock.Instant
    let maxIterations: Int
    let progress: (@Sendable (SolverProgress) -> Void)?
    var best: Individual?
    /// The least penalised infeasible solution, kept while no feasible one is known.
    var bestInfeasible: Individual?
    var iteration = 0
    var restarts = 0
    /// Best feasible cost since the last restart.
    private var bestOfRun = Double.infinity

    init(timeLimit: Duration, maxIterations: Int, progress: (@Sendable (SolverProgress) -> Void)?) {
        start = clock.now
        deadline = start.advanced(by: timeLimit)
        self.maxIterations = maxIterations
        self.progress = progress
    }

    var isPastDeadline: Bool { clock.now >= deadline }
    var isRunning: Bool { iteration < maxIterations && !isPastDeadline }

    /// Records a solution; true when it is the best feasible one since the last restart.
    mutating func consider(_ individual: Individual) -> Bool {
        if individual.evaluation.isFeasible {
            let improvedRun = individual.evaluation.cost < bestOfRun - 1e-9
            if improvedRun { bestOfRun = individual.evaluation.cost }
            if best == nil || individual.evaluation.cost < best!.evaluation.cost - 1e-9 {
                best = individual
                report()
            }
            return improvedRun
        }
        if best == nil && (bestInfeasible == nil
            || individual.evaluation.penalisedCost < bestInfeasible!.evaluation.penalisedCost) {
            bestInfeasible = individual
        }
        return false
    }

    /// A new population: its best is measured afresh.
    mutating func restart() {
        bestOfRun = .infinity
        restarts += 1
    }

    func report() {
        progress?(SolverProgress(iteration: iteration, elapsed: clock.now - start, bestCost: best?.evaluation.cost,
                                 restarts: restarts))
    }
}

/// Late-acceptance hill climbing (Burke & Bykov 2017, with both refinements of their section 4.2): a candidate
/// replaces the current solution when it beats it or the solution current `length` steps ago; the history keeps
/// evaluations only, re-priced under the penalties of the moment.
struct LateAcceptance {
    private(set) var current: Individual
    private var history: [Evaluation] = []
    private var oldest = 0
    private let length: Int

    init(current: Individual, length: Int) {
        self.current = current
        self.length = max(1, length)
        history.reserveCapacity(self.length)
    }

    mutating func offer(_ candidate: Individual, penalties: Penalties) {
        let candidateCost = candidate.evaluation.penalised(by: penalties)
        let lateCost = history.count == length ? history[oldest].penalised(by: penalties) : Double.infinity
        if candidateCost < lateCost || candidateCost < current.evaluation.penalised(by: penalties) {
            current = candidate
        }
        if history.count < length {
            history.append(current.evaluation)
        } else {
            // The history only takes the current solution when it is better than the entry it replaces.
            if current.evaluation.penalised(by: penalties) < lateCost { history[oldest] = current.evaluation }
            oldest = (oldest + 1) % length
        }
    }
}

/// The HGS loop: select two parents, OX crossover, Split, local search, insert; adapt penalties; restart when stuck.
struct GeneticSearch {
    let data: SolverData
    let options: SolverOptions
    private let localSearch: LocalSearch
    private var rng: SeededRandom
    private var split = Split()
    private var population: Population
    private var penalties: Penalties
    private var recentLoadFeasible: [Bool] = []
    private var recentTimeFeasible: [Bool] = []

    init(problem: RoutingProblem, options: SolverOptions, seed: UInt64) {
        data = SolverData(problem: problem, granularity: options.granularity)
        self.options = options
        localSearch = LocalSearch(data: data)
        rng = SeededRandom(seed: seed)
        population = Population(options: options)
        // A kilo over capacity must cost about what an extra trip would save (its arcs and its unloading),
        // or the search starts out merging trips.
        let capacityPenalty = max(0.1, min(1000, (data.maxArcCost + data.tripOverheadCost) / max(data.maxDemand, 1e-9)))
        penalties = Penalties(capacity: capacityPenalty, time: max(0.1, data.weights.time))
    }

    /// Runs the search; returns the best routes found (feasible if any was) and the iteration count.
    mutating func run(timeLimit: Duration, maxIterations: Int,
                      progress: (@Sendable (SolverProgress) -> Void)?) -> ([[Int32]], Int) {
        var record = SearchRecord(timeLimit: timeLimit, maxIterations: maxIterations, progress: progress)
        if data.clientCount >= options.iteratedSearchFrom {
            iterate(&record)
        } else {
            evolve(&record)
        }
        if record.best == nil, let infeasible = record.bestInfeasible, let repaired = repair(infeasible) {
            record.best = repaired
        }
        record.report()
        return ((record.best ?? record.bestInfeasible)?.routes ?? [], record.iteration)
    }

    /// The genetic search: offspring of two parents educated and added to the population until time runs out.
    private mutating func evolve(_ record: inout SearchRecord) {
        var sinceImprovement = 0
        initialise(&record)
        while record.isRunning {
            record.iteration += 1
            let first = population.select(&rng)
            let second = population.select(&rng)
            var child = crossover(first, second)
            educate(&child)
            let improved = record.consider(child)
            population.add(child)
            sinceImprovement = improved ? 0 : sinceImprovement + 1
            if record.iteration % 100 == 0 {
                adaptPenalties(target: options.targetFeasible)
                population.reevaluateInfeasible(data: data, penalties: penalties)
            }
            if sinceImprovement >= options.restartAfter {
                population.clear()
                record.restart()
                sinceImprovement = 0
                initialise(&record)
            }
        }
    }

    /// The iterated local search with late acceptance from one random solution; a new best gets the full local
    /// search; after `iteratedRestartAfter` steps without one the search goes back to the best.
    private mutating func iterate(_ record: inout SearchRecord) {
        var start = Individual(clientCount: data.clientCount)
        rng.shuffle(&start.tour)
        educate(&start)
        _ = record.consider(start)
        var acceptance = LateAcceptance(current: start, length: options.lateAcceptanceHistory)
        var sinceImprovement = 0
        while record.isRunning {
            record.iteration += 1
            if sinceImprovement >= options.iteratedRestartAfter, let best = record.best {
                acceptance = LateAcceptance(current: best, length: options.lateAcceptanceHistory)
                record.restarts += 1
                sinceImprovement = 0
            }
            var candidate = perturbed(acceptance.current)
            sinceImprovement += 1
            if record.consider(candidate) {
                sinceImprovement = 0
                let polished = improved(candidate)
                if polished.evaluation.isFeasible {
                    _ = record.consider(polished)
                    candidate = polished
                }
            }
            acceptance.offer(candidate, penalties: penalties)
            if record.iteration % options.iteratedPenaltyInterval == 0 {
                adaptPenalties(target: options.iteratedTargetFeasible)
            }
        }
    }

    /// One step of the iterated local search (PyVRP 0.14's algorithm): a few neighbouring clients of `current`
    /// removed and reinserted, then improved around the change only, so a large instance gets thousands of steps
    /// where the genetic search gets a few hundred offspring.
    private mutating func perturbed(_ current: Individual) -> Individual {
        let range = options.perturbation
        let count = range.lowerBound + rng.below(range.count)
        var candidate = current
        candidate.setRoutes(localSearch.perturbAndImprove(current.routes, count: count, penalties: penalties, rng: &rng),
                            data: data, penalties: penalties)
        remember(&recentLoadFeasible, candidate.evaluation.loadFeasible)
        remember(&recentTimeFeasible, candidate.evaluation.timeFeasible)
        return candidate
    }

    /// The full local search over every client (a new best of the iterated search is worth it).
    private mutating func improved(_ individual: Individual) -> Individual {
        var result = individual
        result.setRoutes(localSearch.run(individual.routes, penalties: penalties, rng: &rng), data: data,
                         penalties: penalties)
        return result
    }

    /// Fills the population with random giant tours, split and improved.
    private mutating func initialise(_ record: inout SearchRecord) {
        for _ in 0..<(4 * options.populationSize) {
            if record.isPastDeadline && !population.isEmpty { break }
            var individual = Individual(clientCount: data.clientCount)
            rng.shuffle(&individual.tour)
            educate(&individual)
            _ = record.consider(individual)
            population.add(individual)
        }
    }

    /// Split, local search, and a repair attempt (tenfold penalties) for some infeasible results.
    private mutating func educate(_ individual: inout Individual) {
        var routes = split.run(individual.tour, data: data, penalties: penalties)
        if routes.count > data.maxRoutes { routes = merged(routes, into: data.maxRoutes) }
        routes = chained(localSearch.run(routes, penalties: penalties, rng: &rng))
        individual.setRoutes(routes, data: data, penalties: penalties)
        let e = individual.evaluation
        remember(&recentLoadFeasible, e.loadFeasible)
        remember(&recentTimeFeasible, e.timeFeasible)
        if !e.isFeasible && rng.unit() < options.repairProbability {
            let strong = penalties.scaled(by: 10)
            let repaired = chained(localSearch.run(individual.routes, penalties: strong, rng: &rng))
            var candidate = individual
            candidate.setRoutes(repaired, data: data, penalties: penalties)
            if candidate.evaluation.isFeasible { individual = candidate }
        }
    }

    /// When the search ends with no feasible solution (penalties still too weak, e.g. a short run), splits and
    /// improves the best infeasible one again under ever stronger penalties; nil if none of them is feasible.
    private mutating func repair(_ individual: Individual) -> Individual? {
        for factor in [10.0, 100, 1000, 10000] {
            let strong = penalties.scaled(by: factor)
            var routes = split.run(individual.tour, data: data, penalties: strong)
            if routes.count > data.maxRoutes { routes = merged(routes, into: data.maxRoutes) }
            var candidate = individual
            candidate.setRoutes(chained(localSearch.run(routes, penalties: strong, rng: &rng)), data: data, penalties: penalties)
            if candidate.evaluation.isFeasible { return candidate }
        }
        return nil
    }

    /// Orders routes so that each starts near where the previous one ended (nearest neighbour on arc costs). In the
    /// giant tour neighbouring routes then lie close together, which is what makes OX + Split recombine well (HGS
    /// sorts by polar angle for the same reason; we need no coordinates).
    private func chained(_ routes: [[Int32]]) -> [[Int32]] {
        guard routes.count > 2 else { return routes }
        var remaining = routes
        var result: [[Int32]] = []
        result.reserveCapacity(routes.count)
        result.append(remaining.removeFirst())
        while !remaining.isEmpty {
            let last = Int(result[result.count - 1].last!)
            var best = 0
            var bestCost = Double.infinity
            for (k, r) in remaining.enumerated() {
                let c = data.arc[last * data.side + Int(r[0])]
                if c < bestCost { bestCost = c; best = k }
            }
            result.append(remaining.remove(at: best))
        }
        return result
    }

    /// Concatenates the smallest routes until at most `limit` remain (only when Split could not respect the limit).
    private func merged(_ routes: [[Int32]], into limit: Int) -> [[Int32]] {
        var result = routes.sorted { $0.count > $1.count }
        while result.count > limit {
            let last = result.removeLast()
            result[result.count - 1].append(contentsOf: last)
        }
        return result
    }

    private func remember(_ list: inout [Bool], _ value: Bool) {
        list.append(value)
        if list.count > 100 { list.removeFirst(list.count - 100) }
    }

    /// Moves each penalty towards the target share of feasible local-search outputs.
    private mutating func adaptPenalties(target: Double) {
        func adapt(_ penalty: Double, _ list: [Bool]) -> Double {
            guard !list.isEmpty else { return penalty }
            let share = Double(list.filter { $0 }.count) / Double(list.count)
            if share < target - 0.05 { return min(penalty * 1.2, 100_000) }
            if share > target + 0.05 { return max(penalty * 0.85, 0.1) }
            return penalty
        }
        penalties.capacity = adapt(penalties.capacity, recentLoadFeasible)
        penalties.time = adapt(penalties.time, recentTimeFeasible)
    }

    /// Ordered crossover (OX) on giant tours: a random slice of the first parent, the rest in the second's order.
    private mutating func crossover(_ a: Individual, _ b: Individual) -> Individual {
        let n = a.tour.count
        var child = Individual(clientCount: data.clientCount)
        guard n > 1 else { child.tour = a.tour; return child }
        let start = rng.below(n)
        var end = rng.below(n)
        while end == start { end = rng.below(n) }
        var taken = [Bool](repeating: false, count: data.clientCount + 1)
        var i = start
        while i != (end + 1) % n {
            child.tour[i] = a.tour[i]
            taken[Int(a.tour[i])] = true
            i = (i + 1) % n
        }
        var write = (end + 1) % n
        for k in 0..<n {
            let c = b.tour[(end + 1 + k) % n]
            if taken[Int(c)] { continue }
            child.tour[write] = c
            write = (write + 1) % n
        }
        return child
    }

    /// Assigns routes to trucks: one per truck for single trips, else the shift packing.
    func trucks(for routes: [[Int32]]) -> [[[Int]]] {
        let asStops = routes.map { $0.map { Int($0) - 1 } }
        guard data.multiTrip else { return asStops.map { [$0] } }
        let summaries = routes.map { r -> TripSummary in
            let s = data.routeSegment(r)
            return TripSummary(duration: s.duration, earliest: s.earliest, latest: s.latest, firstClient: r[0])
        }
        let packing = data.pack(summaries)
        var result = [[[Int]]](repeating: [], count: packing.trucksUsed)
        for t in packing.order { result[Int(packing.truckOfTrip[Int(t)])].append(asStops[Int(t)]) }
        return result
    }
}
