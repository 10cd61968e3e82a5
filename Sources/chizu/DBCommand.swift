import ArgumentParser
import Foundation
import Layers
import Store

/// `chizu db`: create and inspect the SpatiaLite database.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Create and inspect the SpatiaLite database.",
        subcommands: [Init.self, Info.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database (or bring it up to date) with a table for every layer definition.",
            discussion: "Safe to run again: existing layers keep their data; fields added to a definition are added.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let catalog = try options.catalog()
            let dir = URL(fileURLWithPath: options.db).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let store = try SpatialStore(path: options.db, create: true)
            try store.ensureLayers(catalog.layers)
            try store.checkpoint()
            print("\(options.db): \(catalog.layers.count) layers ready")
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the layers, feature counts, versions and file size.")
        @OptionGroup var options: StoreOptions
        @Flag(name: .long, help: "Also list the latest ingest runs.")
        var runs = false

        func run() throws {
            let store = try options.openStore(readonly: true)
            let infos = try store.layerInfos()
            print("\(options.db)  \(ByteCountFormatter.string(fromByteCount: store.fileSize, countStyle: .file))")
            print("layer                 access    type            SRID   features  version  updated")
            for i in infos {
                print("\(i.id.padding(toLength: 21, withPad: " ", startingAt: 0)) \(i.access.padding(toLength: 9, withPad: " ", startingAt: 0)) \(i.geometryType.padding(toLength: 15, withPad: " ", startingAt: 0)) \(i.srid)  \(String(i.featureCount).leftPad(8))  \(String(i.version).leftPad(7))  \(i.updatedAt ?? "-")")
            }
            if runs {
                print("\nrun  layer                kind      status     read  written  rejected  files")
                for r in try store.ingestRuns(limit: 20) {
                    print("\(String(r.runId).leftPad(3))  \(r.layerId.padding(toLength: 20, withPad: " ", startingAt: 0)) \(r.kind.padding(toLength: 9, withPad: " ", startingAt: 0)) \(r.status.padding(toLength: 9, withPad: " ", startingAt: 0)) \(String(r.counts.read).leftPad(5))  \(String(r.counts.written).leftPad(7))  \(String(r.counts.rejected).leftPad(8))  \(r.files.joined(separator: ", "))")
                }
            }
        }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
