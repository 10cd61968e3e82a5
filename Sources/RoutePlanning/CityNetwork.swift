import Foundation
import GeoCore
import Layers
import Routing
import Store

/// Why the city's routing inputs cannot be read from the database.
public enum RoutePlanningError: Error, CustomStringConvertible, Sendable {
    case layerMissing(String)
    case facilityMissing(kind: String)
    case noPickupPoints(date: String)
    case placeOffRoad(what: String, distance: Double?)

    public var description: String {
        switch self {
        case .layerMissing(let id): "layer \(id) is not defined; check the layers directory"
        case .facilityMissing(let kind): "no facility of kind \(kind) in layer facilities; ingest facilities first"
        case .noPickupPoints(let date): "no yard-waste pickup points recorded on \(date)"
        case .placeOffRoad(let what, let d):
            "\(what) is \(d.map { "\(Int($0.rounded())) m" } ?? "too far") from any road the truck may use; raise max_snap_distance_m or fix the data"
        }
    }
}

/// A yard-waste pickup point (草木類排出地点) from the store.
public struct PickupPoint: Sendable, Hashable {
    public var id: String
    public var district: String
    public var weightKg: Double
    public var bundles: Int
    public var recordedAt: String
    /// Position in EPSG:6677.
    public var position: Coordinate

    public init(id: String, district: String, weightKg: Double, bundles: Int, recordedAt: String, position: Coordinate) {
        self.id = id; self.district = district; self.weightKg = weightKg; self.bundles = bundles
        self.recordedAt = recordedAt; self.position = position
    }
}

/// The depot (車庫) or recycling facility (資源化施設).
public struct Facility: Sendable, Hashable {
    public var id: String
    public var kind: String
    public var name: String
    public var position: Coordinate

    public init(id: String, kind: String, name: String, position: Coordinate) {
        self.id = id; self.kind = kind; self.name = name; self.position = position
    }
}

/// Reads the road ledger, facilities and pickup points from the store.
public struct CityNetworkReader: Sendable {
    let store: SpatialStore
    let catalog: LayerCatalog

    public init(store: SpatialStore, catalog: LayerCatalog) { self.store = store; self.catalog = catalog }

    /// The layer of yard-waste pickup points (草木類排出地点) that plans are made from.
    public static let pickupLayer = "yard_waste_points"

    private func all(_ id: String) throws -> [StoredFeature] {
        guard let layer = catalog.layer(id) else { throw RoutePlanningError.layerMissing(id) }
        var out: [StoredFeature] = []
        while true {
            let page = try store.features(of: layer, limit: 10_000, offset: out.count)
            out += page
            if page.count < 10_000 { return out }
        }
    }

    /// Road segments of the ledger (multi-part lines become one segment per part).
    public func roadSegments() throws -> [RoadSegment] {
        try all("roads").flatMap { f -> [RoadSegment] in
            let id = f.properties["segment_id"]?.description ?? String(f.fid)
            let cls = f.properties["road_class"]?.description ?? ""
            let width = f.properties["width_m"]?.doubleValue
            let oneWay = Int(f.properties["one_way"]?.doubleValue ?? 0)
            let parts: [[Coordinate]]
            switch (try? Geometry(wkb: f.wkb))?.value {
            case .lineString(let c): parts = [c]
            case .multiLineString(let l): parts = l
            default: parts = []
            }
            return parts.enumerated().map { k, c in
                RoadSegment(id: parts.count > 1 ? "\(id)#\(k + 1)" : id, points: c, roadClass: cls, widthM: width,
                            oneWay: oneWay > 0 ? 1 : oneWay < 0 ? -1 : 0)
            }
        }
    }

    /// Facilities (depot and recycling facility).
    public func facilities() throws -> [Facility] {
        try all("facilities").compactMap { f in
            guard case .point(let c) = (try? Geometry(wkb: f.wkb))?.value else { return nil }
            return Facility(id: f.properties["facility_id"]?.description ?? "", kind: f.properties["kind"]?.description ?? "",
                            name: f.properties["name"]?.description ?? "", position: c)
        }
    }

    /// Pickup points recorded on `date` (YYYY-MM-DD, local time as recorded), in id order.
    public func pickupPoints(on date: String) throws -> [PickupPoint] {
        try all(Self.pickupLayer).compactMap { f in
            let recorded = f.properties["recorded_at"]?.description ?? ""
            guard recorded.hasPrefix(date), case .point(let c) = (try? Geometry(wkb: f.wkb))?.value else { return nil }
            let kg = f.properties["weight_kg"]?.doubleValue ?? 0
            return PickupPoint(id: f.properties["point_id"]?.description ?? String(f.fid),
                               district: f.properties["district"]?.description ?? "", weightKg: kg,
                               bundles: Int(f.properties["bundles"]?.doubleValue ?? 1), recordedAt: recorded, position: c)
        }.sorted { $0.id < $1.id }
    }
}

extension GraphProfile {
    /// The truck profile from the city's routing settings.
    public init(_ s: RoutingSettings) {
        self.init(speedsKmh: s.speedsKmh, snapToleranceM: s.snapToleranceM, minWidthM: s.truckMinWidthM,
                  maxSnapDistanceM: s.maxSnapDistanceM, kerbPenaltyS: s.kerbPenaltyS)
    }
}
