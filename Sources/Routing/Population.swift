/// Parameters of the genetic search (defaults from Vidal 2022, "Hybrid genetic search for the CVRP") and of the
/// iterated local search that replaces it on large instances (defaults from PyVRP 0.14).
public struct SolverOptions: Sendable {
    /// Minimum size of each subpopulation (μ).
    public var populationSize = 25
    /// Offspring added before survivor selection (λ).
    public var generationSize = 40
    /// Individuals protected by the fitness ranking in the biased fitness.
    public var eliteCount = 4
    /// Neighbours averaged for the diversity contribution.
    public var closeCount = 5
    /// Closest clients considered around each client by the local search.
    public var granularity = 20
    /// Share of local-search outputs that should be feasible; penalties adapt towards it.
    public var targetFeasible = 0.2
    /// Iterations without improvement before the population restarts.
    public var restartAfter = 20_000
    /// Probability of repairing an infeasible offspring with tenfold penalties.
    public var repairProbability = 0.5
    /// Clients from which the iterated local search replaces the genetic search: from about 200 clients, under
    /// time limits of seconds, the population is educated too few times (CVRPLIB X at 30 s: the genetic search is
    /// better on X-n153, 152 clients; the iterated one on X-n200, 199 clients, and up). Int.max: always genetic.
    public var iteratedSearchFrom = 175
    /// Clients removed and reinserted by each perturbation of the iterated local search.
    public var perturbation = 1...25
    /// Length of the late-acceptance history of the iterated local search.
    public var lateAcceptanceHistory = 300
    /// Iterated-search steps without a new best before it returns to the best solution.
    public var iteratedRestartAfter = 150_000
    /// Share of feasible steps the iterated search's penalties aim at, and how many steps between adjustments.
    public var iteratedTargetFeasible = 0.65
    public var iteratedPenaltyInterval = 100

    public init() {}
}

/// One individual in a subpopulation with its diversity bookkeeping.
struct Member {
    var individual: Individual
    let id: Int
    /// Broken-pairs distances to the other members, ascending.
    var proximity: [(distance: Double, id: Int)] = []
    var biasedFitness = 0.0

    func averageDistanceToClosest(_ count: Int) -> Double {
        let k = min(count, proximity.count)
        guard k > 0 else { return 1 }
        var sum = 0.0
        for i in 0..<k { sum += proximity[i].distance }
        return sum / Double(k)
    }
}

/// Two subpopulations (feasible and infeasible), kept sorted by penalised cost, with survivor selection by
/// biased fitness (cost rank plus diversity rank), as in HGS.
struct Population {
    let options: SolverOptions
    var feasible: [Member] = []
    var infeasible: [Member] = []
    private var nextID = 0

    init(options: SolverOptions) { self.options = options }

    var isEmpty: Bool { feasible.isEmpty && infeasible.isEmpty }

    mutating func clear() {
        feasible.removeAll()
        infeasible.removeAll()
    }

    /// Adds an individual to its subpopulation; runs survivor selection when the subpopulation is full.
    mutating func add(_ individual: Individual) {
        let id = nextID
        nextID += 1
        if individual.evaluation.isFeasible {
            Population.insert(individual, id: id, into: &feasible, options: options)
        } else {
            Population.insert(individual, id: id, into: &infeasible, options: options)
        }
    }

    private static func insert(_ individual: Individual, id: Int, into members: inout [Member],
                               options: SolverOptions) {
        var member = Member(individual: individual, id: id)
        for i in members.indices {
            let d = individual.brokenPairsDistance(to: members[i].individual)
            insertSorted(&members[i].proximity, (d, member.id))
            insertSorted(&member.proximity, (d, members[i].id))
        }
        let cost = individual.evaluation.penalisedCost
        var at = members.count
        while at > 0 && members[at - 1].individual.evaluation.penalisedCost > cost { at -= 1 }
        members.insert(member, at: at)
        if members.count > options.populationSize + options.generationSize {
            while members.count > options.populationSize { removeWorst(&members, options: options) }
        }
    }

    private static func insertSorted(_ list: inout [(distance: Double, id: Int)], _ entry: (Double, Int)) {
        var at = list.count
        while at > 0 && list[at - 1].distance > entry.0 { at -= 1 }
        list.insert((entry.0, entry.1), at: at)
    }

    /// Cost rank plus diversity rank (weighted so the elite survive).
    private static func updateBiasedFitness(_ members: inout [Member], options: SolverOptions) {
        let n = members.count
        guard n > 1 else {
            if n == 1 { members[0].biasedFitness = 0 }
            return
        }
        var ranking: [(Double, Int)] = members.indices.map { (-members[$0].averageDistanceToClosest(options.closeCount), $0) }
        ranking.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let eliteWeight = 1 - Double(options.eliteCount) / Double(n)
        for (divRank, entry) in ranking.enumerated() {
            let fitRank = Double(entry.1) / Double(n - 1)
            members[entry.1].biasedFitness = fitRank + eliteWeight * Double(divRank) / Double(n - 1)
        }
    }

    /// Removes a clone if any, else the member with the worst biased fitness (never the best one).
    private static func removeWorst(_ members: inout [Member], options: SolverOptions) {
        updateBiasedFitness(&members, options: options)
        var worst = 1
        var worstIsClone = false
        var worstFitness = -Double.infinity
        for i in 1..<members.count {
            let isClone = members[i].averageDistanceToClosest(1) < 1e-8
            if (isClone && !worstIsClone) || (isClone == worstIsClone && members[i].biasedFitness > worstFitness) {
                worst = i; worstIsClone = isClone; worstFitness = members[i].biasedFitness
            }
        }
        let id = members[worst].id
        members.remove(at: worst)
        for i in members.indices {
            if let k = members[i].proximity.firstIndex(where: { $0.id == id }) { members[i].proximity.remove(at: k) }
        }
    }

    /// Binary tournament on biased fitness over both subpopulations.
    mutating func select(_ rng: inout SeededRandom) -> Individual {
        Population.updateBiasedFitness(&feasible, options: options)
        Population.updateBiasedFitness(&infeasible, options: options)
        let total = feasible.count + infeasible.count
        func pick(_ i: Int) -> Member { i < feasible.count ? feasible[i] : infeasible[i - feasible.count] }
        let a = pick(rng.below(total)), b = pick(rng.below(total))
        return a.biasedFitness <= b.biasedFitness ? a.individual : b.individual
    }

    /// Re-evaluates the infeasible subpopulation after the penalties changed.
    mutating func reevaluateInfeasible(data: SolverData, penalties: Penalties) {
        for i in infeasible.indices { infeasible[i].individual.evaluate(data: data, penalties: penalties) }
        infeasible.sort { $0.individual.evaluation.penalisedCost < $1.individual.evaluation.penalisedCost }
    }
}
