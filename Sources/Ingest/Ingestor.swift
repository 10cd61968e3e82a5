import Crypto
import Foundation
import GeoCore
import Layers
import Logging
import Store

/// What to do when some features of a file have problems.
public enum ErrorPolicy: String, Sendable, CaseIterable {
    /// Store nothing from the file; report every problem.
    case rejectFile = "reject-file"
    /// Store the good features; report and skip the bad ones.
    case skipFeature = "skip-feature"
}

/// How an ingest runs.
public struct IngestOptions: Sendable {
    public var mode: WriteMode
    public var onError: ErrorPolicy
    public var dryRun: Bool
    public init(mode: WriteMode = .replace, onError: ErrorPolicy = .rejectFile, dryRun: Bool = false) {
        self.mode = mode; self.onError = onError; self.dryRun = dryRun
    }
}

/// Progress of a long ingest, for a terminal bar or log lines.
public struct IngestProgress: Sendable {
    public var layer: String
    public var phase: String
    public var done: Int
    public var total: Int
}

/// Turns municipal exports into clean features in the store, or refuses them with errors a clerk
/// can act on. Each file is read, typed, checked and repaired in memory first; only then is it
/// written, in one transaction, so nothing stored is ever lost or half-replaced.
public struct Ingestor: Sendable {
    public let store: SpatialStore
    public let logger: Logger
    public let progress: (@Sendable (IngestProgress) -> Void)?

    public init(store: SpatialStore, logger: Logger = Logger(label: "chizu.ingest"),
                progress: (@Sendable (IngestProgress) -> Void)? = nil) {
        self.store = store; self.logger = logger; self.progress = progress
    }

    /// Whether `file` is a readings file (rather than sites) for a sensor layer.
    public static func isReadingsFile(_ file: URL, of layer: LayerDefinition) -> Bool {
        guard let readings = layer.readings else { return false }
        let name = file.lastPathComponent
        if readings.source.files.contains(where: { FilePattern.matches(name, $0) }) { return true }
        return false
    }

    /// Ingests `files` into `layer`. With mode `replace`, all files together become the layer's new
    /// contents in one transaction; with `append`/`upsert`, each file is one transaction.
    public func ingest(layer: LayerDefinition, files: [URL], options: IngestOptions) throws -> [IngestReport] {
        let readingFiles = files.filter { Self.isReadingsFile($0, of: layer) }
        let featureFiles = files.filter { !Self.isReadingsFile($0, of: layer) }
        var reports: [IngestReport] = []
        if !featureFiles.isEmpty {
            if options.mode == .replace {
                reports.append(try ingestFeatures(layer: layer, files: featureFiles, options: options))
            } else {
                for f in featureFiles { reports.append(try ingestFeatures(layer: layer, files: [f], options: options)) }
            }
        }
        for f in readingFiles { reports.append(try ingestReadings(layer: layer, file: f, options: options)) }
        return reports
    }

    // MARK: Features

    func ingestFeatures(layer: LayerDefinition, files: [URL], options: IngestOptions) throws -> IngestReport {
        let started = Date()
        let checksum = try Self.checksum(files)
        var contents: [(URL, SourceContents)] = []
        for url in files {
            report(layer.id, "reading \(url.lastPathComponent)", 0, 1)
            let c = layer.source.format == .csv ? try CSVReader.read(url, source: layer.source)
                                                : try OGRReader.read(url, source: layer.source)
            contents.append((url, c))
        }
        let readSeconds = Date().timeIntervalSince(started)
        let firstCRS = contents.first?.1.crs
        var rep = IngestReport(layer: layer.id, kind: "features", files: files.map(\.lastPathComponent), checksum: checksum,
                               encoding: Set(contents.map(\.1.encodingUsed)).sorted().joined(separator: "+"),
                               sourceCRS: firstCRS?.description, mode: options.mode.rawValue, status: .committed)
        let preparer = FeaturePreparer(layer: layer)
        var records: [FeatureRecord] = []
        var keys: [String: String] = [:]
        let total = contents.reduce(0) { $0 + $1.1.features.count + $1.1.rowProblems.count }
        var done = 0
        for (url, c) in contents {
            let file = url.lastPathComponent
            try checkColumns(layer: layer, contents: c, file: file)
            guard let crs = c.crs else {
                throw SourceError(file: file, problem: "no CRS: the file has no .prj/crs and the layer definition gives no source.crs")
            }
            let transformer = try CoordinateTransformer.between(crs, layer.storageCRS)
            for p in c.rowProblems {
                rep.read += 1; rep.rejected += 1
                rep.add(FeatureProblem(file: file, location: p.location, kind: "unreadable-row", message: p.problem))
            }
            report(layer.id, "checking \(file)", done, total)
            let prepared = c.features.parallelMap { preparer.prepare($0, file: file, sourceCRS: crs, transformer: transformer) }
            for (feature, outcome) in zip(c.features, prepared) {
                rep.read += 1
                done += 1
                if done % 5000 == 0 { report(layer.id, "checking \(file)", done, total) }
                switch outcome {
                case .failure(let problems):
                    rep.rejected += 1
                    problems.forEach { rep.add($0) }
                case .success(let prepared):
                    let key = prepared.record.properties[layer.keyField]?.description ?? ""
                    if let first = keys[key] {
                        rep.rejected += 1
                        rep.add(FeatureProblem(file: file, location: feature.location, field: layer.keyField, kind: "duplicate-key",
                                               message: "key \"\(key)\" was already given at \(first)"))
                        continue
                    }
                    keys[key] = "\(file) \(feature.location)"
                    if let repair = prepared.repair { rep.repaired += 1; rep.add(repair) }
                    records.append(prepared.record)
                }
            }
        }
        rep.seconds = Date().timeIntervalSince(started)
        let counts = RunCounts(read: rep.read, written: 0, repaired: rep.repaired, rejected: rep.rejected)
        let source = RunSource(files: files.map(\.path), checksum: checksum, startedAt: started)
        if rep.rejected > 0 && options.onError == .rejectFile {
            rep.status = options.dryRun ? .dryRun : .rejected
            if !options.dryRun {
                rep.runId = try store.recordRejectedRun(layer: layer.id, source: source, mode: options.mode.rawValue,
                                                        counts: counts, report: rep.text)
            }
            logger.warning("ingest rejected", metadata: meta(rep))
            return rep
        }
        if options.dryRun {
            rep.status = .dryRun
            rep.written = records.count
            logger.info("ingest dry run", metadata: meta(rep))
            return rep
        }
        report(layer.id, "writing", 0, records.count)
        let checkSeconds = Date().timeIntervalSince(started) - readSeconds
        let writeStarted = Date()
        defer {
            logger.debug("ingest timing", metadata: ["layer": "\(layer.id)", "read_s": "\(String(format: "%.2f", readSeconds))",
                                                     "check_s": "\(String(format: "%.2f", checkSeconds))",
                                                     "write_s": "\(String(format: "%.2f", Date().timeIntervalSince(writeStarted)))"])
        }
        let result = try store.load(records, into: layer, mode: options.mode, source: source, counts: counts, report: rep.text)
        rep.written = result.written
        rep.runId = result.runId
        rep.layerVersion = result.layerVersion
        rep.seconds = Date().timeIntervalSince(started)
        report(layer.id, "done", records.count, records.count)
        logger.info("ingest committed", metadata: meta(rep))
        return rep
    }

    /// Every required field's source column must exist in the file: a renamed export column is a
    /// file-level error, not thousands of "missing value" problems.
    func checkColumns(layer: LayerDefinition, contents: SourceContents, file: String) throws {
        let have = Set(contents.columns + [SourceFeature.positionColumn])
        let missing = layer.fields.filter { $0.required && !have.contains($0.source) }.map(\.source)
        if !missing.isEmpty {
            throw SourceError(file: file, problem: "required column(s) \(missing.joined(separator: ", ")) not found; "
                              + "the file has: \(contents.columns.joined(separator: ", "))")
        }
    }

    func report(_ layer: String, _ phase: String, _ done: Int, _ total: Int) {
        progress?(IngestProgress(layer: layer, phase: phase, done: done, total: total))
    }

    func meta(_ r: IngestReport) -> Logger.Metadata {
        ["layer": "\(r.layer)", "kind": "\(r.kind)", "files": "\(r.files.joined(separator: ","))", "status": "\(r.status.rawValue)",
         "read": "\(r.read)", "written": "\(r.written)", "repaired": "\(r.repaired)", "rejected": "\(r.rejected)",
         "run": "\(r.runId.map(String.init) ?? "-")", "seconds": "\(String(format: "%.2f", r.seconds))"]
    }

    /// SHA-256 over the files' bytes (and their sidecar files for Shapefiles), hex.
    static func checksum(_ files: [URL]) throws -> String {
        var hasher = SHA256()
        for url in files {
            var parts = [url]
            if url.pathExtension.lowercased() == "shp" {
                parts += ["dbf", "shx", "prj", "cpg"].map { url.deletingPathExtension().appendingPathExtension($0) }
                    .filter { FileManager.default.fileExists(atPath: $0.path) }
            }
            for p in parts {
                guard let data = FileManager.default.contents(atPath: p.path) else {
                    throw SourceError(file: p.lastPathComponent, problem: "cannot read the file")
                }
                hasher.update(data: data)
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Shell-style file-name patterns (`*`, `?`) as layer definitions use them.
public enum FilePattern {
    public static func matches(_ name: String, _ pattern: String) -> Bool {
        matches(Array(name.unicodeScalars), 0, Array(pattern.unicodeScalars), 0)
    }

    static func matches(_ s: [Unicode.Scalar], _ i: Int, _ p: [Unicode.Scalar], _ j: Int) -> Bool {
        if j == p.count { return i == s.count }
        if p[j] == "*" {
            var k = i
            while k <= s.count { if matches(s, k, p, j + 1) { return true }; k += 1 }
            return false
        }
        guard i < s.count else { return false }
        if p[j] == "?" || p[j].properties.lowercaseMapping == s[i].properties.lowercaseMapping { return matches(s, i + 1, p, j + 1) }
        return false
    }
}
