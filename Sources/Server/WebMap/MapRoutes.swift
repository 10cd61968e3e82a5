import Features
import Foundation
import HTTPTypes
import Hummingbird
import Layers
import RoutePlanning
import Store

/// The web map: `/map` (the page), `/map/static/{file}` (its JS/CSS from the web folder),
/// `/map/vendor/{file}` (MapLibre GL JS, unpacked by `make setup`), `/map/style.json` (the caller's
/// style) and `/map/admin.json` (the administrators' dashboard figures).
struct MapRoutes: Sendable {
    let access: LayerAccess
    let settings: MapSettings
    /// The web map's own files (served from disk so they can change without a rebuild).
    let web: StaticFolder
    /// MapLibre GL JS.
    let vendor: StaticFolder

    init(access: LayerAccess, settings: MapSettings) {
        self.access = access; self.settings = settings
        web = StaticFolder(root: settings.webDirectory ?? "web", cacheControl: "no-cache")
        vendor = StaticFolder(root: settings.vendorDirectory ?? "var/vendor/maplibre", cacheControl: "public, max-age=86400")
    }

    func register(on router: Router<ChizuContext>) {
        router.get("/map") { request, _ in try web.serve("index.html", for: request) }
        router.get("/map/static/:file") { request, context in try web.serve(try context.parameters.require("file"), for: request) }
        router.get("/map/vendor/:file") { request, context in
            do { return try vendor.serve(try context.parameters.require("file"), for: request) } catch let p as Problem where p.status == .notFound {
                throw Problem.notFound("\(p.detail) — run `make setup`, which unpacks MapLibre GL JS into \(vendor.root)")
            }
        }
        router.get("/map/style.json") { request, context in
            let style = MapStyle(layers: access.layers(for: context.caller), caller: context.caller, settings: settings,
                                 base: ServerBase.url(for: request),
                                 plannerLayer: RouteRoutes.mayPlan(context.caller, catalog: access.catalog) ? CityNetworkReader.pickupLayer : nil)
            return Responses.bytes(style.document().serialized(), "application/json",
                                   headers: [.cacheControl: "private, no-cache", .vary: "Authorization"], for: request)
        }
        router.get("/map/admin.json") { request, context in try dashboard(request, context) }
    }

    /// Layers published, public accesses per day per layer, and the latest ingest runs; administrators only.
    func dashboard(_ request: Request, _ context: ChizuContext) throws -> Response {
        switch context.caller.kind {
        case .admin: break
        case .anonymous:
            throw Problem(.unauthorized, "Unauthorized", detail: "the dashboard needs an administrator's token", headers: [.wwwAuthenticate: "Bearer"])
        case .department, .device:
            throw Problem(.forbidden, "Forbidden", detail: "the dashboard is for administrators (role admin)")
        }
        let infos = try access.store.layerInfos()
        let layers: [JSONValue] = access.catalog.layers.map { l in
            let info = infos.first { $0.id == l.id }
            return .object([("id", .string(l.id)), ("title", .object([("ja", .string(l.title.ja)), ("en", .string(l.title.en))])),
                            ("access", .string(l.access.rawValue)), ("department", .string(l.department)),
                            ("features", .int(info?.featureCount ?? 0)), ("version", .int(info?.version ?? 0)),
                            ("updatedAt", info?.updatedAt.map(JSONValue.string) ?? .null)])
        }
        let counts = try access.store.publicAccessCounts()
        let accesses: [JSONValue] = counts.map { .object([("day", .string($0.day)), ("layer", .string($0.layer)), ("count", .int(Int64($0.count)))]) }
        var perYear: [String: Int] = [:]
        for c in counts { perYear[String(c.day.prefix(4)), default: 0] += c.count }
        let runs: [JSONValue] = try access.store.ingestRuns(limit: 20).map { r in
            .object([("runId", .int(r.runId)), ("layer", .string(r.layerId)), ("kind", .string(r.kind)), ("mode", .string(r.mode)),
                     ("status", .string(r.status)), ("startedAt", .string(r.startedAt)), ("finishedAt", r.finishedAt.map(JSONValue.string) ?? .null),
                     ("files", .array(r.files.map(JSONValue.string))), ("layerVersion", r.layerVersion.map(JSONValue.int) ?? .null)])
        }
        let doc: JSONValue = .object([
            ("layers", .array(layers)),
            ("publicAccesses", .array(accesses)),
            ("publicAccessesPerYear", .object(perYear.keys.sorted().map { ($0, .int(Int64(perYear[$0]!))) })),
            ("ingestRuns", .array(runs)),
        ])
        return Responses.bytes(doc.serialized(), "application/json", headers: [.cacheControl: "private, no-store"], for: request)
    }
}

/// Files of one folder served by name: a single path segment of safe characters, resolved and
/// checked to stay inside the folder, so no request reaches outside it (`..`, `/`, `%2F`, dotfiles).
struct StaticFolder: Sendable {
    let root: String
    let cacheControl: String

    static let contentTypes = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                               "svg": "image/svg+xml", "png": "image/png", "json": "application/json", "ico": "image/x-icon"]

    /// The file's path, or nil when the name is not a plain file name of this folder.
    func path(of name: String) -> String? {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 100, !name.hasPrefix("."), !name.contains(".."),
              name.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        let full = URL(fileURLWithPath: base).appendingPathComponent(name).standardizedFileURL.resolvingSymlinksInPath().path
        guard full.hasPrefix(base + "/") else { return nil }
        return full
    }

    func serve(_ name: String, for request: Request) throws -> Response {
        guard let path = path(of: name), let type = Self.contentTypes[(name as NSString).pathExtension.lowercased()],
              let attrs = try? FileManager.default.attributesOfItem(atPath: path), attrs[.type] as? FileAttributeType == .typeRegular,
              let data = FileManager.default.contents(atPath: path) else {
            throw Problem.notFound("no file '\(name)'")
        }
        let modified = (attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let etag = Responses.etag([name, String(data.count), String(modified)])
        if let r = Responses.notModified(request, etag: etag) { return r }
        return Responses.bytes(Array(data), type, headers: [.eTag: etag, .cacheControl: cacheControl], for: request)
    }
}
