import Crypto
import Foundation
import GeoCore
import Layers
import Logging
import Store
import Synchronization

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
        let source = RunSource(files: files.map(\.path), checksum: checksum, startedAt: started)
        var rep = IngestReport(layer: layer.id, kind: "features", files: files.map(\.lastPathComponent), checksum: checksum,
                               encoding: "", sourceCRS: nil, mode: options.mode.rawValue, status: .committed)
        if options.dryRun {
            var records = 0
            try readAndCheck(layer: layer, files: files, options: options, into: &rep) { chunk, _ in records += chunk.count }
            rep.status = .dryRun
            rep.written = rep.rejected > 0 && options.onError == .rejectFile ? 0 : records
            rep.seconds = Date().timeIntervalSince(started)
            logger.info("ingest dry run", metadata: meta(rep))
            return rep
        }
        // The file is read and checked on this thread while a writer thread stores the checked chunks in
        // one transaction; with reject-file, the first rejected feature stops the writing and the whole
        // transaction is rolled back once the rest of the file has been checked for the report.
        let pipe = ChunkPipe<[FeatureRecord], Ending>()
        let writer = WriterThread(store: store, layer: layer, mode: options.mode, source: source, pipe: pipe)
        writer.start()
        var readError: (any Error)?
        do {
            try readAndCheck(layer: layer, files: files, options: options, into: &rep) { records, rejectedSoFar in
                guard rejectedSoFar == 0 || options.onError == .skipFeature else { return }
                try pipe.send(records)
            }
        } catch {
            readError = error
        }
        let abandon = readError != nil || (rep.rejected > 0 && options.onError == .rejectFile)
        rep.seconds = Date().timeIntervalSince(started)
        pipe.close(abandon ? nil : Ending(counts: RunCounts(read: rep.read, written: 0, repaired: rep.repaired, rejected: rep.rejected),
                                          report: rep.text))
        let readSeconds = Date().timeIntervalSince(started)
        let outcome = writer.wait()
        logger.debug("ingest timing", metadata: ["layer": "\(layer.id)", "read_check_s": "\(String(format: "%.2f", readSeconds))",
                                                 "writer_tail_s": "\(String(format: "%.2f", Date().timeIntervalSince(started) - readSeconds))"])
        if case .failure(let error) = outcome { throw error }  // the writer's error explains a stopped reader
        if let readError { throw readError }
        guard case .success(let result?) = outcome else {
            rep.status = .rejected
            rep.runId = try store.recordRejectedRun(layer: layer.id, source: source, mode: options.mode.rawValue,
                                                    counts: RunCounts(read: rep.read, written: 0, repaired: rep.repaired,
                                                                      rejected: rep.rejected), report: rep.text)
            logger.warning("ingest rejected", metadata: meta(rep))
            return rep
        }
        rep.written = result.written
        rep.runId = result.runId
        rep.layerVersion = result.layerVersion
        rep.seconds = Date().timeIntervalSince(started)
        report(layer.id, "done", rep.written, rep.written)
        logger.info("ingest committed", metadata: meta(rep))
        return rep
    }

    /// The final word the reader gives the writer: the run's counts and report.
    struct Ending: Sendable { var counts: RunCounts; var report: String }

    /// Reads each file a chunk at a time, types, checks and repairs the features on every core, and
    /// hands each chunk's good records to `emit` (with the count of features rejected so far); problems go into `rep`.
    func readAndCheck(layer: LayerDefinition, files: [URL], options: IngestOptions, into rep: inout IngestReport,
                      emit: (_ records: [FeatureRecord], _ rejectedSoFar: Int) throws -> Void) throws {
        let preparer = FeaturePreparer(layer: layer)
        // Where each key was first given; the message is only built for a duplicate.
        var keys: [String: (file: Int, location: String)] = [:]
        var encodings = Set<String>()
        for (fileNumber, url) in files.enumerated() {
            let file = url.lastPathComponent
            var crs: CRS?
            var transformer: CoordinateTransformer?
            var expected: Int?
            var done = 0
            report(layer.id, "loading \(file)", 0, 0)
            let onHeader = { (h: SourceHeader) throws in
                try self.checkColumns(layer: layer, columns: h.columns, file: file)
                guard let c = h.crs else {
                    throw SourceError(file: file, problem: "no CRS: the file has no .prj/crs and the layer definition gives no source.crs")
                }
                crs = c
                transformer = try CoordinateTransformer.between(c, layer.storageCRS)
                expected = h.expectedCount
                encodings.insert(h.encodingUsed)
                if rep.sourceCRS == nil { rep.sourceCRS = c.description }
            }
            let onChunk = { (chunk: SourceChunk) throws in
                guard let crs, let transformer else { return }
                for p in chunk.rowProblems {
                    rep.read += 1; rep.rejected += 1
                    rep.add(FeatureProblem(file: file, location: p.location, kind: "unreadable-row", message: p.problem))
                }
                let positions = chunk.features.first.map { preparer.positions(in: $0.attributes.columns) } ?? []
                let prepared = chunk.features.parallelMap {
                    preparer.prepare($0, file: file, sourceCRS: crs, transformer: transformer,
                                     positions: $0.attributes.columns === chunk.features.first?.attributes.columns ? positions : nil)
                }
                var records: [FeatureRecord] = []
                records.reserveCapacity(prepared.count)
                for (feature, outcome) in zip(chunk.features, prepared) {
                    rep.read += 1
                    switch outcome {
                    case .failure(let problems):
                        rep.rejected += 1
                        problems.forEach { rep.add($0) }
                    case .success(let p):
                        let key = p.record.properties[layer.keyField]?.description ?? ""
                        if let seen = keys[key] {
                            let first = "\(files[seen.file].lastPathComponent) \(seen.location)"
                            rep.rejected += 1
                            rep.add(FeatureProblem(file: file, location: feature.location, field: layer.keyField, kind: "duplicate-key",
                                                   message: "key \"\(key)\" was already given at \(first)"))
                            continue
                        }
                        keys[key] = (fileNumber, feature.location)
                        if let repair = p.repair { rep.repaired += 1; rep.add(repair) }
                        records.append(p.record)
                    }
                }
                done += chunk.features.count + chunk.rowProblems.count
                self.report(layer.id, "loading \(file)", done, expected ?? done)
                if !records.isEmpty { try emit(records, rep.rejected) }
            }
            if layer.source.format == .csv {
                try CSVReader.stream(url, source: layer.source, header: onHeader, chunk: onChunk)
            } else {
                try OGRReader.stream(url, source: layer.source, header: onHeader, chunk: onChunk)
            }
        }
        rep.encoding = encodings.sorted().joined(separator: "+")
    }

    /// Every required field's source column must exist in the file: a renamed export column is a
    /// file-level error, not thousands of "missing value" problems.
    func checkColumns(layer: LayerDefinition, columns: [String], file: String) throws {
        let have = Set(columns + [SourceFeature.positionColumn])
        let missing = layer.fields.filter { $0.required && !have.contains($0.source) }.map(\.source)
        if !missing.isEmpty {
            throw SourceError(file: file, problem: "required column(s) \(missing.joined(separator: ", ")) not found; "
                              + "the file has: \(columns.joined(separator: ", "))")
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

/// Stores the chunks coming through a pipe in one transaction on a thread of its own, so that
/// writing overlaps reading and checking.
final class WriterThread: Sendable {
    typealias Outcome = Result<LoadResult?, any Error>
    let store: SpatialStore
    let layer: LayerDefinition
    let mode: WriteMode
    let source: RunSource
    let pipe: ChunkPipe<[FeatureRecord], Ingestor.Ending>
    private let outcome = Mutex<Outcome?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(store: SpatialStore, layer: LayerDefinition, mode: WriteMode, source: RunSource,
         pipe: ChunkPipe<[FeatureRecord], Ingestor.Ending>) {
        self.store = store; self.layer = layer; self.mode = mode; self.source = source; self.pipe = pipe
    }

    func start() {
        let thread = Thread { [self] in
            let result = Outcome {
                try store.load(into: layer, mode: mode, source: source,
                               next: { pipe.receive() },
                               finish: { pipe.ending().map { ($0.counts, $0.report) } })
            }
            if case .failure = result { pipe.writerFailed() }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        thread.name = "chizu-ingest-writer"
        thread.start()
    }

    /// Waits for the writer: the committed load, nil if the reader abandoned it, or the writer's error.
    func wait() -> Outcome {
        finished.wait()
        return outcome.withLock { $0! }
    }
}
