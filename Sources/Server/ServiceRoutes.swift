import Features
import Foundation
import Hummingbird
import Prometheus
import Store

/// `/`, `/conformance`, `/api`, `/health`, `/metrics`.
struct ServiceRoutes: Sendable {
    let access: LayerAccess
    let metrics: PrometheusCollectorRegistry

    func register(on router: Router<ChizuContext>) {
        router.get("/") { request, _ in
            if try request.format(allowed: [.json, .html]) == .html { return Responses.html(HTMLPages(lang: request.language).landing(), for: request) }
            return Responses.bytes(OGCDocuments(base: ServerBase.url(for: request)).landing().serialized(), "application/json", for: request)
        }
        router.get("/conformance") { request, _ in
            _ = try request.format(allowed: [.json])
            return Responses.bytes(OGCDocuments(base: ServerBase.url(for: request)).conformance().serialized(), "application/json", for: request)
        }
        router.get("/api") { request, _ in
            Responses.bytes(OpenAPI.document(base: ServerBase.url(for: request)).serialized(), "application/vnd.oai.openapi+json;version=3.0", for: request)
        }
        router.get("/health") { _, context in
            let ok = (try? access.store.layerInfos()) != nil
            // The layers this caller may see: a count of all of them would tell the public how many are internal.
            let doc: JSONValue = .object([("status", .string(ok ? "ok" : "database unavailable")),
                                          ("layers", .int(Int64(access.layers(for: context.caller).count)))])
            return Responses.bytes(doc.serialized(), "application/json", status: ok ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Responses.bytes(buffer, "text/plain; version=0.0.4")
        }
    }
}
