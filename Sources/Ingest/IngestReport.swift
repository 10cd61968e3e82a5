import Foundation

/// One problem with one feature (or row): where, which field, what kind, what is wrong.
public struct FeatureProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// "line 12" (CSV) or "feature 12" (OGR).
    public var location: String
    public var field: String?
    /// A short kind for counting: `bad-number`, `invalid-geometry`, `outside-extent`, ...
    public var kind: String
    public var message: String
    /// True when the feature was repaired and kept rather than rejected.
    public var repaired: Bool

    public init(file: String, location: String, field: String? = nil, kind: String, message: String, repaired: Bool = false) {
        self.file = file; self.location = location; self.field = field; self.kind = kind; self.message = message
        self.repaired = repaired
    }

    public var description: String {
        let f = field.map { ", field \($0)" } ?? ""
        return "\(file), \(location)\(f): \(message)"
    }
}

/// The outcome of ingesting one layer's files: counts, problems (first 50 in full, then counts by
/// kind), and what was committed.
public struct IngestReport: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Stored.
        case committed
        /// Nothing stored: the file had problems and the policy is reject-file.
        case rejected
        /// Checked only (--dry-run); nothing stored.
        case dryRun = "dry-run"
    }

    public var layer: String
    public var kind: String
    public var files: [String]
    public var checksum: String
    public var encoding: String
    public var sourceCRS: String?
    public var mode: String
    public var status: Status
    public var read = 0
    public var written = 0
    public var repaired = 0
    public var rejected = 0
    /// The first `maxListedProblems` problems, in file order.
    public var problems: [FeatureProblem] = []
    /// All problems counted by kind.
    public var problemCounts: [String: Int] = [:]
    public var runId: Int64?
    public var layerVersion: Int64?
    public var seconds: Double = 0

    public static let maxListedProblems = 50

    public init(layer: String, kind: String, files: [String], checksum: String, encoding: String, sourceCRS: String?,
                mode: String, status: Status) {
        self.layer = layer; self.kind = kind; self.files = files; self.checksum = checksum; self.encoding = encoding
        self.sourceCRS = sourceCRS; self.mode = mode; self.status = status
    }

    mutating func add(_ p: FeatureProblem) {
        if problems.count < Self.maxListedProblems { problems.append(p) }
        problemCounts[p.kind, default: 0] += 1
    }

    /// The report as a clerk reads it.
    public var text: String {
        var lines: [String] = []
        let verdict = switch status {
        case .committed: "stored"
        case .rejected: "REJECTED — nothing was stored"
        case .dryRun: "checked (dry run) — nothing was stored"
        }
        lines.append("\(layer) ← \(files.joined(separator: ", ")): \(verdict)")
        lines.append("  read \(read), written \(written), repaired \(repaired), rejected \(rejected)"
                     + "  [\(kind), mode \(mode), encoding \(encoding)\(sourceCRS.map { ", source CRS \($0)" } ?? "")]")
        if let runId, let layerVersion { lines.append("  run \(runId), layer version \(layerVersion)") }
        if !problems.isEmpty {
            let total = problemCounts.values.reduce(0, +)
            lines.append("  problems (\(min(total, problems.count)) of \(total) shown):")
            lines += problems.map { "    - \($0)" }
            if total > problems.count {
                lines.append("  problems by kind: " + problemCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON (for --report).
    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}
