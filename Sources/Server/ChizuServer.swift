import Features
import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdCore
import Layers
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Store
import Tiles
import Synchronization

/// Settings of a running server.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Origins allowed by CORS on public endpoints (`*` for any).
    public var corsOrigin: String
    /// Folder for the on-disk tile cache (nil: memory only).
    public var tileCacheDirectory: URL?
    /// Bytes the in-memory tile cache may hold.
    public var tileCacheBytes: Int
    /// Built tile archives (MBTiles/PMTiles) to serve, each as a tileset named after its file.
    public var archives: [String]
    /// Bytes of recently built item pages kept in memory (0: none).
    public var responseCacheBytes: Int = 32 << 20
    /// The city's settings file (map, routing, rain).
    public var city: ChizuSettings
    /// Seconds between keep-alive comments on Server-Sent Events streams.
    public var sseKeepAliveSeconds: Double = 15
    public init(host: String = "127.0.0.1", port: Int = 8080, corsOrigin: String = "*", tileCacheDirectory: URL? = nil,
                tileCacheBytes: Int = 64 << 20, archives: [String] = [], city: ChizuSettings = ChizuSettings()) {
        self.host = host; self.port = port; self.corsOrigin = corsOrigin
        self.tileCacheDirectory = tileCacheDirectory; self.tileCacheBytes = tileCacheBytes; self.archives = archives
        self.city = city
    }
}

/// Why the server cannot be assembled from its settings.
public enum ServerSetupError: Error, CustomStringConvertible, Sendable {
    /// A tile archive's name (its file name) is already a layer id, a tileset group or another archive's.
    case archiveNameTaken(String, path: String)

    public var description: String {
        switch self {
        case let .archiveNameTaken(name, path):
            "archive \(path) would be served as tileset '\(name)', which is already a layer, a group (public, all) or another archive; rename the file"
        }
    }
}

/// Assembles the Hummingbird application: one router, small middleware, one route type per URL family.
public enum ChizuServer {
    /// Prometheus metrics for the process (swift-metrics can be bootstrapped only once).
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The router with every endpoint and middleware; `recorder` batches access counts and audit entries.
    public static func router(catalog: LayerCatalog, store: SpatialStore, recorder: AccessRecorder,
                              settings: ServerSettings = ServerSettings(),
                              filterCompiler: FilterCompiler? = CQL2Compiler.filterCompiler) throws -> Router<ChizuContext> {
        try router(catalog: catalog, store: store, recorder: recorder, settings: settings, filterCompiler: filterCompiler,
                   shortcut: nil, tileIndexes: LayerIndexCache())
    }

    /// The router, remembering anonymous tile answers in `shortcut` (which also lends its rate limiter).
    static func router(catalog: LayerCatalog, store: SpatialStore, recorder: AccessRecorder, settings: ServerSettings,
                       filterCompiler: FilterCompiler?, shortcut: PublicTileShortcut?,
                       tileIndexes: LayerIndexCache) throws -> Router<ChizuContext> {
        let router = Router(context: ChizuContext.self)
        let access = LayerAccess(catalog: catalog, store: store)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MetricsMiddleware())
        let limits = settings.city.limits
        router.add(middleware: RequestLimitsMiddleware(maxBodyBytes: limits.maxBodyBytes, maxHeaderBytes: limits.maxHeaderBytes,
                                                       timeout: .milliseconds(Int64(limits.requestTimeoutSeconds * 1000)),
                                                       bodyStall: .milliseconds(Int64(limits.bodyStallSeconds * 1000))))
        router.add(middleware: CORSMiddleware(allowOrigin: settings.corsOrigin == "*" ? .all : .custom(settings.corsOrigin),
                                              allowHeaders: [.accept, .authorization, .contentType, .ifNoneMatch, HTTPField.Name("Last-Event-ID")!],
                                              allowMethods: [.get, .head, .options, .post],
                                              exposedHeaders: ["ETag", "Content-Crs", "Link"]))
        // One rate limiter for the router and the tile shortcut: one budget per client.
        router.add(middleware: try shortcut?.limits ?? RateLimitMiddleware(settings: limits))
        router.add(middleware: AuthMiddleware(tokens: TokenService(store: store)))
        router.add(middleware: AccessLogMiddleware())
        ServiceRoutes(access: access, metrics: metrics).register(on: router)
        var decorations = FeatureDecorations()
        if let rain = RainService(catalog: catalog, store: store, settings: settings.city.rain,
                                  hub: RainHub(keepAliveSeconds: settings.sseKeepAliveSeconds)) {
            RainRoutes(access: access, service: rain).register(on: router)
            decorations.byLayer[rain.layer.id] = RainGaugeDecorator(service: rain)
        }
        CollectionRoutes(access: access, recorder: recorder, decorations: decorations).register(on: router)
        ItemsRoutes(access: access, recorder: recorder, filterCompiler: filterCompiler, decorations: decorations,
                    cache: settings.responseCacheBytes > 0 ? ResponseCache(maxBytes: settings.responseCacheBytes) : nil).register(on: router)
        MapRoutes(access: access, settings: settings.city.map).register(on: router)
        var archives: [String: ServedArchive] = [:]
        for path in settings.archives {
            let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            // An archive named like a layer or a group would stand in for it, for every caller.
            guard catalog.layer(name) == nil, !Tileset.groups.contains(name), archives[name] == nil else {
                throw ServerSetupError.archiveNameTaken(name, path: path)
            }
            archives[name] = ServedArchive(try TileArchive.open(path), catalog: catalog)
        }
        let tiles = TileService(renderer: TileRenderer(store: store, catalog: catalog, indexes: tileIndexes),
                                cache: TileCache(maxBytes: settings.tileCacheBytes, directory: settings.tileCacheDirectory))
        TileRoutes(access: access, service: tiles, recorder: recorder, archives: archives, shortcut: shortcut).register(on: router)
        // A plan's search must end well within the request timeout, or its caller gets 503 instead of the plan.
        RouteRoutes(access: access, settings: settings.city.routing,
                    maxSearchSeconds: max(1, min(300, limits.requestTimeoutSeconds - 10))).register(on: router)
        return router
    }

    /// A runnable application bound to `settings.host:port` (port 0 picks a free port).
    public static func application(catalog: LayerCatalog, store: SpatialStore, settings: ServerSettings,
                                   logger: Logger = Logger(label: "chizu.server"),
                                   onServerRunning: (@Sendable (Int) async -> Void)? = nil) throws -> some ApplicationProtocol {
        let recorder = AccessRecorder(store: store)
        let limits = settings.city.limits
        let tileIndexes = LayerIndexCache()
        _ = metrics   // bootstraps the metrics system before the shortcut makes its counters
        let shortcut = PublicTileShortcut(maxBytes: PublicTileShortcut.defaultMaxBytes, maxHeaderBytes: limits.maxHeaderBytes,
                                          watch: store.versionWatch, recorder: recorder, limits: try RateLimitMiddleware(settings: limits))
        let router = try router(catalog: catalog, store: store, recorder: recorder, settings: settings,
                                filterCompiler: CQL2Compiler.filterCompiler, shortcut: shortcut, tileIndexes: tileIndexes)
        // The parser refuses a head four times over the limit outright (400, connection closed);
        // up to that, RequestLimitsMiddleware answers 431 with a problem document.
        let decoder = HTTP1Channel.Configuration.DecoderConfiguration(maxHeaderFieldSize: limits.maxHeaderBytes * 4,
                                                                      maxHeaderListSize: limits.maxHeaderBytes * 4)
        let http1 = HTTP1Channel.Configuration(idleTimeout: .milliseconds(Int64(limits.idleTimeoutSeconds * 1000)),
                                               httpDecoderConfiguration: decoder)
        var app = Application(router: router, server: TileShortcutHTTP1Channel.builder(configuration: http1, shortcut: shortcut),
                              configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Chizu"),
                              onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
                              logger: logger)
        app.addServices(recorder, TileIndexWarmer(store: store, catalog: catalog, indexes: tileIndexes, interval: .seconds(1)))
        return app
    }
}
