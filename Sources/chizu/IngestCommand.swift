import ArgumentParser
import Foundation
import Ingest
import Layers
import Store

extension WriteMode: ExpressibleByArgument {}
extension ErrorPolicy: ExpressibleByArgument {}

/// `chizu ingest`: load municipal exports into the store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load municipal exports (Shapefile, GeoJSON, CSV in CP932/UTF-8, ...) into a layer.",
        discussion: """
            chizu ingest LAYER FILE...      load files into one layer
            chizu ingest --all DIR          load every file under DIR into the layer whose definition names it

            Each file is checked completely before anything is written; the write is one transaction.
            With --mode replace, a layer's files together become its new contents atomically.
            Exit status: 0 when everything was stored, 1 when a file was rejected or unreadable.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "The layer id (see `chizu layers`), then the files.")
    var arguments: [String] = []

    @Option(name: .long, help: "Load every file in this directory, each into the layer whose definition names it.")
    var all: String?

    @Option(name: .long, help: "replace (atomic swap), append, or upsert (by the layer's key).")
    var mode: WriteMode = .replace

    @Option(name: .customLong("on-error"), help: "reject-file (store nothing from a file with problems) or skip-feature.")
    var onError: ErrorPolicy = .rejectFile

    @Flag(name: .customLong("dry-run"), help: "Check everything, store nothing.")
    var dryRun = false

    @Option(name: .long, help: "Also write the report as JSON to this path.")
    var report: String?

    func validate() throws {
        if all == nil && arguments.count < 2 { throw ValidationError("give a LAYER and at least one FILE, or --all DIR") }
        if all != nil && !arguments.isEmpty { throw ValidationError("--all DIR takes no LAYER or FILE arguments") }
    }

    func run() throws {
        let catalog: LayerCatalog
        do { catalog = try store.catalog() } catch let e as LayerCatalogError { printError(e.description); throw ExitCode(2) }
        let db = try store.openStore()
        let logger = Terminal.logger("chizu.ingest")
        let bar = ProgressBar()
        let ingestor = Ingestor(store: db, logger: logger) { p in
            bar.update("\(p.layer): \(p.phase)", done: p.done, total: p.total)
        }
        let options = IngestOptions(mode: mode, onError: onError, dryRun: dryRun)
        var plan: [(LayerDefinition, [URL])] = []
        if let all {
            plan = try Self.plan(directory: URL(fileURLWithPath: all), catalog: catalog)
            if plan.isEmpty { printError("\(all): no file matches any layer definition's source.files"); throw ExitCode.failure }
        } else {
            guard let layer = catalog.layer(arguments[0]) else {
                printError("unknown layer \"\(arguments[0])\"; known: \(catalog.layers.map(\.id).joined(separator: ", "))")
                throw ExitCode.failure
            }
            let files = arguments.dropFirst().map { URL(fileURLWithPath: $0) }
            for f in files where !FileManager.default.fileExists(atPath: f.path) {
                printError("\(f.path): no such file"); throw ExitCode.failure
            }
            plan = [(layer, files)]
        }
        var reports: [IngestReport] = []
        var failed = false
        for (layer, files) in plan {
            do {
                let r = try ingestor.ingest(layer: layer, files: files, options: options)
                bar.finish()
                for one in r { print(one.text) }
                reports += r
                if r.contains(where: { $0.status == .rejected }) { failed = true }
            } catch {
                bar.finish()
                printError("error: \(error)")
                logger.error("ingest failed", metadata: ["layer": "\(layer.id)", "error": "\(error)"])
                failed = true
            }
        }
        if let report {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try e.encode(reports).write(to: URL(fileURLWithPath: report))
        }
        if failed { throw ExitCode.failure }
    }

    /// Which files in `directory` go to which layer (sites before readings, in catalog order).
    static func plan(directory: URL, catalog: LayerCatalog) throws -> [(LayerDefinition, [URL])] {
        // Every file under the directory, sub-folders included, in a stable order.
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else {
            throw ValidationError("\(directory.path): not a readable directory")
        }
        let paths = walker.compactMap { $0 as? String }.sorted()
        var plan: [(LayerDefinition, [URL])] = []
        for layer in catalog.layers {
            let patterns = layer.source.files + (layer.readings?.source.files ?? [])
            let files = paths.filter { p in patterns.contains { FilePattern.matches((p as NSString).lastPathComponent, $0) } }
                .map { directory.appendingPathComponent($0) }
                .sorted { !Ingestor.isReadingsFile($0, of: layer) && Ingestor.isReadingsFile($1, of: layer) }
            if !files.isEmpty { plan.append((layer, files)) }
        }
        return plan
    }
}
