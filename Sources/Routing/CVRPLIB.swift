import Foundation

/// An error reading a CVRPLIB (VRPLIB format) file, with the file and what is wrong.
public enum CVRPLIBError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, line: Int, reason: String)
    case unsupported(path: String, what: String)

    public var description: String {
        switch self {
        case .unreadable(let p, let r): "\(p): cannot read (\(r))"
        case .malformed(let p, let l, let r): "\(p):\(l): \(r)"
        case .unsupported(let p, let w): "\(p): unsupported \(w)"
        }
    }
}

/// A CVRP instance from CVRPLIB: node 0 is the depot, distances are rounded Euclidean (nint).
public struct CVRPLIBInstance: Sendable {
    /// Instance name (e.g. "X-n101-k25").
    public var name: String
    /// Vehicle capacity.
    public var capacity: Double
    /// Coordinates, depot first.
    public var coordinates: [(x: Double, y: Double)]
    /// Demands, depot first (0).
    public var demands: [Double]
    /// Minimum number of vehicles, from the "-kK" suffix of the name, if present.
    public var minimumVehicles: Int?

    /// Number of nodes, depot included.
    public var dimension: Int { coordinates.count }

    /// Distance between nodes i and j by the CVRPLIB convention: nearest integer of the Euclidean distance.
    public func distance(_ i: Int, _ j: Int) -> Double {
        let dx = coordinates[i].x - coordinates[j].x
        let dy = coordinates[i].y - coordinates[j].y
        return (dx * dx + dy * dy).squareRoot().rounded(.toNearestOrAwayFromZero)
    }

    /// Reads a `.vrp` file (EUC_2D only).
    public init(contentsOf url: URL) throws {
        let path = url.path
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw CVRPLIBError.unreadable(path: path, reason: "\(error)")
        }
        var name = url.deletingPathExtension().lastPathComponent
        var dimension = 0
        var capacity = 0.0
        var section = ""
        var coords: [Int: (Double, Double)] = [:]
        var demands: [Int: Double] = [:]
        var depots: [Int] = []
        for (number, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line == "EOF" { continue }
            if let colon = line.firstIndex(of: ":") {
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                switch key {
                case "NAME": name = value
                case "DIMENSION": dimension = Int(value) ?? 0
                case "CAPACITY": capacity = Double(value) ?? 0
                case "EDGE_WEIGHT_TYPE" where value != "EUC_2D":
                    throw CVRPLIBError.unsupported(path: path, what: "EDGE_WEIGHT_TYPE \(value)")
                default: break
                }
                section = ""
                continue
            }
            if line.hasSuffix("_SECTION") { section = line; continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            func bad(_ why: String) -> CVRPLIBError { .malformed(path: path, line: number + 1, reason: why) }
            switch section {
            case "NODE_COORD_SECTION":
                guard fields.count >= 3 else { throw bad("expected: id x y") }
                coords[Int(fields[0])] = (fields[1], fields[2])
            case "DEMAND_SECTION":
                guard fields.count >= 2 else { throw bad("expected: id demand") }
                demands[Int(fields[0])] = fields[1]
            case "DEPOT_SECTION":
                if let f = fields.first, f > 0 { depots.append(Int(f)) }
            default:
                throw bad("unexpected line outside a known section")
            }
        }
        guard dimension > 1, coords.count == dimension, demands.count == dimension else {
            throw CVRPLIBError.malformed(path: path, line: 0,
                                        reason: "DIMENSION \(dimension) but \(coords.count) coordinates, \(demands.count) demands")
        }
        guard depots.isEmpty || depots == [1] else {
            throw CVRPLIBError.unsupported(path: path, what: "depot other than node 1")
        }
        self.name = name
        self.capacity = capacity
        self.coordinates = (1...dimension).map { (x: coords[$0]?.0 ?? 0, y: coords[$0]?.1 ?? 0) }
        self.demands = (1...dimension).map { demands[$0] ?? 0 }
        if let k = name.split(separator: "-").last, k.hasPrefix("k") { minimumVehicles = Int(k.dropFirst()) }
    }

    /// Reads a `.sol` file: routes as lists of customer numbers (1-based, depot excluded) and the stated cost.
    public static func readSolution(contentsOf url: URL) throws -> (routes: [[Int]], cost: Double) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw CVRPLIBError.unreadable(path: url.path, reason: "\(error)")
        }
        var routes: [[Int]] = []
        var cost = Double.nan
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Route"), let colon = trimmed.firstIndex(of: ":") {
                routes.append(trimmed[trimmed.index(after: colon)...].split(separator: " ").compactMap { Int($0) })
            } else if trimmed.hasPrefix("Cost") {
                cost = Double(trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)) ?? .nan
            }
        }
        return (routes, cost)
    }

    /// As a routing problem: pure CVRP (one trip per vehicle, no shift, facility = depot, no service time,
    /// distance objective). Location i is node i; stop i-1 is customer i. `vehicles` nil means unlimited.
    public func routingProblem(vehicles: Int? = nil) -> RoutingProblem {
        let n = dimension
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j { matrix[i * n + j] = distance(i, j) }
        }
        let stops = (1..<n).map { Stop(location: $0, demand: demands[$0]) }
        let fleet = Fleet(trucks: vehicles ?? (n - 1), capacity: capacity, shiftStart: 0, shiftEnd: .infinity,
                          unloadTime: 0, maxTripsPerTruck: 1)
        return RoutingProblem(name: name, locationCount: n, travelTime: matrix, distance: matrix, depot: 0,
                              facility: 0, stops: stops, fleet: fleet, objective: .distanceOnly)
    }
}
