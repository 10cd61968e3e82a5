import ArgumentParser
import Foundation
import Layers
import Store
import Tiles

/// `chizu tiles`: build and inspect vector-tile archives.
struct TilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiles",
        abstract: "Build and inspect vector-tile archives (MBTiles 1.3, PMTiles v3).",
        subcommands: [Build.self, Info.self, Bench.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render every tile of a tileset over a zoom range into an MBTiles or PMTiles file.",
            discussion: """
                The format follows --out's extension: .mbtiles or .pmtiles (PMTiles can be hosted as a static file).
                Tiles covering each layer's data are rendered on all cores; empty tiles are skipped and identical
                tiles stored once. Archives contain what an anonymous caller sees (public layers, public fields).
                Example: chizu tiles build --tileset public --minzoom 10 --maxzoom 18 --out tiles/public.pmtiles
                """)
        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "A layer id or a group: public (every public layer).")
        var tileset = "public"

        @Option(name: .long, help: "Lowest zoom (default: the tileset layers' lowest min zoom).")
        var minzoom: Int?

        @Option(name: .long, help: "Highest zoom (default: the tileset layers' highest max zoom).")
        var maxzoom: Int?

        @Option(name: .long, help: "Output file, ending in .mbtiles or .pmtiles.")
        var out: String

        func validate() throws {
            guard out.hasSuffix(".mbtiles") || out.hasSuffix(".pmtiles") else {
                throw ValidationError("--out must end in .mbtiles or .pmtiles")
            }
            for z in [minzoom, maxzoom].compactMap({ $0 }) where !(0...30).contains(z) {
                throw ValidationError("zoom \(z) is outside 0…30")
            }
            if let lo = minzoom, let hi = maxzoom, lo > hi { throw ValidationError("--minzoom \(lo) is above --maxzoom \(hi)") }
        }

        func run() throws {
            let catalog = try store.catalog()
            let db = try store.openStore(readonly: true)
            let resolved: Tileset
            do { resolved = try Tileset.resolve(tileset, catalog: catalog, access: .public) } catch TilesError.forbidden {
                printError("error: \(tileset) is an internal layer; archives hold public content only (public layers, public fields)")
                throw ExitCode.failure
            } catch {
                printError("error: \(error)"); throw ExitCode.failure
            }
            let lo = minzoom ?? resolved.minZoom, hi = maxzoom ?? resolved.maxZoom
            let renderer = TileRenderer(store: db, catalog: catalog)
            let bar = ProgressBar()
            let started = Date()
            let pyramid = try TilePyramidBuilder(renderer: renderer, tileset: resolved).build(minZoom: lo, maxZoom: hi) { p in
                bar.update("tiles \(resolved.id) z\(lo)–\(hi)", done: p.done, total: p.total)
            }
            bar.finish()
            let rendered = Date().timeIntervalSince(started)
            let tileJSON = try TileJSON.make(tileset: resolved, tilesURL: "{z}/{x}/{y}.mvt", store: db)
            let metadata = TileArchiveMetadata(tileJSON: tileJSON, minZoom: lo, maxZoom: hi)
            let dir = URL(fileURLWithPath: out).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            if out.hasSuffix(".pmtiles") {
                try PMTilesWriter.write(pyramid.tiles, metadata: metadata, to: out)
            } else {
                try MBTilesWriter.write(pyramid.tiles, metadata: metadata, to: out)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? NSNumber)?.int64Value ?? 0
            print("\(out): \(pyramid.tiles.count) tiles (\(pyramid.uniqueContents) distinct, \(pyramid.visited - pyramid.tiles.count) empty skipped), z\(lo)–\(hi), \(ByteCountFormatter.string(fromByteCount: size, countStyle: .file)), rendered in \(String(format: "%.2f", rendered)) s, total \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an archive's format and metadata; with --tile Z/X/Y, that tile's size.")
        @Argument(help: "An .mbtiles or .pmtiles file.")
        var archive: String

        @Option(name: .long, help: "A tile to look up, as Z/X/Y.")
        var tile: String?

        func run() throws {
            let a = try TileArchive.open(archive)
            let m = a.metadata
            print("\(archive): \(a.format.rawValue) \"\(m.name)\" z\(m.minZoom)–\(m.maxZoom) bounds \(m.bounds) center \(m.center)")
            print("layers: \(m.vectorLayers.map(\.id).joined(separator: ", "))")
            if let tile {
                let p = tile.split(separator: "/").compactMap { Int($0) }
                guard p.count == 3 else { throw ValidationError("--tile must be Z/X/Y") }
                if let data = try a.tile(z: p[0], x: p[1], y: p[2]) { print("\(tile): \(data.count) bytes") } else { print("\(tile): absent") }
            }
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time on-the-fly rendering: every tile covering the data, one at a time, without cache.",
            discussion: """
                Prints one line: tiles, non-empty, total seconds, p50/p99/max milliseconds per tile, MVT bytes, the in-memory
                layer indexes' size and the process's peak resident memory. The first tile of each layer pays for building
                its index (reading and reprojecting the whole layer), and that time is in the total.
                """)
        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "A layer id or a group (public, all).")
        var tileset = "public"

        @Option(name: .long, help: "Lowest zoom.")
        var minzoom = 12

        @Option(name: .long, help: "Highest zoom.")
        var maxzoom = 17

        @Flag(name: .long, help: "Also time each pipeline step on its own and print a second line.")
        var steps = false

        @Option(name: .customLong("tiles-out"), help: "Also write the tile list (z,x,y lines) here, for other tools to render the same tiles.")
        var tilesOut: String?

        func run() throws {
            let catalog = try store.catalog()
            let db = try store.openStore(readonly: true)
            let resolved = try Tileset.resolve(tileset, catalog: catalog, access: .public)
            let renderer = TileRenderer(store: db, catalog: catalog)
            let builder = TilePyramidBuilder(renderer: renderer, tileset: resolved)
            let keys = try (minzoom...maxzoom).flatMap { try builder.coveringTiles(zoom: $0) }
            if let tilesOut {
                try keys.map { "\($0.z),\($0.x),\($0.y)\n" }.joined().write(toFile: tilesOut, atomically: true, encoding: .utf8)
            }
            var times: [Double] = []
            times.reserveCapacity(keys.count)
            var bytes = 0, nonEmpty = 0
            let clock = ContinuousClock()
            let total = try clock.measure {
                for key in keys {
                    var mvt: Data?
                    let t = try clock.measure { mvt = try renderer.render(key, tileset: resolved).mvt }
                    times.append(Double(t.components.attoseconds) / 1e15 + Double(t.components.seconds) * 1e3)
                    if let mvt { bytes += mvt.count; nonEmpty += 1 }
                }
            }
            times.sort()
            func pct(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
            let secs = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
            func f(_ v: Double) -> String { String(format: "%.2f", v) }
            let indexMB = Double(renderer.indexes.held.reduce(0) { $0 + $1.memoryBytes }) / 1_048_576
            print("tiles-onthefly tileset=\(resolved.id) z\(minzoom)-\(maxzoom) tiles=\(keys.count) nonempty=\(nonEmpty) "
                + "total=\(f(secs))s p50=\(f(pct(0.5)))ms p99=\(f(pct(0.99)))ms max=\(f(times.last ?? 0))ms mvt_bytes=\(bytes) "
                + "index_mb=\(f(indexMB)) peak_rss_mb=\(f(StepTimer.peakResidentMB()))")
            if steps { print(try StepTimer.run(keys, tileset: resolved, renderer: renderer)) }
        }
    }
}
