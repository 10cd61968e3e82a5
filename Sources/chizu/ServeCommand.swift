import ArgumentParser
import Foundation
import Layers
import Server
import Store

/// `chizu serve`: the HTTP server (OGC API Features, the web map).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the database over HTTP: OGC API - Features and Tiles, vector tiles, HTML pages, metrics.",
        discussion: "Anonymous callers see public layers and fields; internal ones need 'Authorization: Bearer TOKEN' (see `chizu token`).")

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free port).")
    var port = 8080

    @Option(name: .customLong("cors-origin"), help: "Origin allowed by CORS (* for any).")
    var corsOrigin = "*"

    @Option(name: .customLong("tile-cache"), help: "Folder for the on-disk tile cache (default tiles/cache; 'none' for memory only).")
    var tileCache = "tiles/cache"

    @Option(name: .customLong("archive"), help: "Also serve a built tile archive (.mbtiles/.pmtiles) as a tileset named after the file. Repeatable.")
    var archives: [String] = []

    @Option(name: .customLong("response-cache-mb"), help: "Memory for recently built item pages, in MiB (0: none). Pages are keyed by layer version and the caller's rights.")
    var responseCacheMB = 32

    @Option(name: .customLong("anonymous-rate"), help: "Anonymous requests a second per client address, after the burst (default: limits.anonymous_rate_per_s in the settings; 0: no rate limit).")
    var anonymousRate: Double?

    @Option(name: .customLong("anonymous-burst"), help: "Anonymous requests a client address may make at once (default: limits.anonymous_burst in the settings).")
    var anonymousBurst: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        if let anonymousRate, anonymousRate < 0 { throw ValidationError("--anonymous-rate must be 0 or more") }
        if let anonymousBurst, anonymousBurst < 1 { throw ValidationError("--anonymous-burst must be 1 or more") }
    }

    func run() async throws {
        let catalog: LayerCatalog
        do { catalog = try store.catalog() } catch let e as LayerCatalogError { printError(e.description); throw ExitCode(2) }
        var city = try store.citySettings()
        if let anonymousRate { city.limits.anonymousRatePerSecond = anonymousRate }
        if let anonymousBurst { city.limits.anonymousBurst = anonymousBurst }
        let db = try store.openStore()
        try db.ensureLayers(catalog.layers)
        let logger = Terminal.logger("chizu.server")
        let cacheDir = tileCache == "none" ? nil : URL(fileURLWithPath: tileCache)
        var serverSettings = ServerSettings(host: host, port: port, corsOrigin: corsOrigin,
                                            tileCacheDirectory: cacheDir, archives: archives, city: city)
        serverSettings.responseCacheBytes = max(0, responseCacheMB) << 20
        let app = try ChizuServer.application(catalog: catalog, store: db,
                                          settings: serverSettings,
                                          logger: logger) { port in
            printError("Chizu is serving \(catalog.layers.count) layers on http://\(host):\(port)/  (API: /api, tiles: /tiles/public.json)")
        }
        try await app.runService()
    }
}
