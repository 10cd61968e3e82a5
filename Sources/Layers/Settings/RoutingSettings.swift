import Foundation

/// Settings of the road graph and the collection-run planner.
public struct RoutingSettings: Sendable, Codable, Equatable {
    /// Travel speed in km/h per road class (`road_class` values); `default` for any other class.
    public var speedsKmh: [String: Double]
    /// Segment ends closer than this (metres) are joined into one node.
    public var snapToleranceM: Double
    /// Roads narrower than this (metres) are closed to the truck.
    public var truckMinWidthM: Double
    /// Pickup points farther than this (metres) from any usable road are reported, not planned.
    public var maxSnapDistanceM: Double
    /// Seconds the crew spends at every stop, plus seconds per bundle (束).
    public var serviceFixedS: Double, servicePerBundleS: Double
    /// Seconds to unload at the recycling facility after each trip.
    public var unloadS: Double
    /// Extra seconds a stop costs when the truck arrives with it across the road (Japan drives on the left).
    public var kerbPenaltyS: Double
    /// Yard waste the city aims to recycle a year (t); reports compare the collected total with it.
    public var yearlyTargetT: Double

    public init(speedsKmh: [String: Double] = ["1級": 30, "2級": 25, "その他市道": 20, "default": 15],
                snapToleranceM: Double = 0.5, truckMinWidthM: Double = 3.0, maxSnapDistanceM: Double = 100,
                serviceFixedS: Double = 60, servicePerBundleS: Double = 10, unloadS: Double = 900, kerbPenaltyS: Double = 30,
                yearlyTargetT: Double = 1510) {
        self.speedsKmh = speedsKmh; self.snapToleranceM = snapToleranceM
        self.truckMinWidthM = truckMinWidthM; self.maxSnapDistanceM = maxSnapDistanceM
        self.serviceFixedS = serviceFixedS; self.servicePerBundleS = servicePerBundleS
        self.unloadS = unloadS; self.kerbPenaltyS = kerbPenaltyS; self.yearlyTargetT = yearlyTargetT
    }

    enum CodingKeys: String, CodingKey {
        case speedsKmh = "speeds_kmh", snapToleranceM = "snap_tolerance_m", truckMinWidthM = "truck_min_width_m"
        case maxSnapDistanceM = "max_snap_distance_m", serviceFixedS = "service_fixed_s"
        case servicePerBundleS = "service_per_bundle_s", unloadS = "unload_s", kerbPenaltyS = "kerb_penalty_s"
        case yearlyTargetT = "yearly_target_t"
    }

    public init(from decoder: any Decoder) throws {
        let d = RoutingSettings()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        speedsKmh = try c.value(.speedsKmh, or: d.speedsKmh)
        snapToleranceM = try c.value(.snapToleranceM, or: d.snapToleranceM)
        truckMinWidthM = try c.value(.truckMinWidthM, or: d.truckMinWidthM)
        maxSnapDistanceM = try c.value(.maxSnapDistanceM, or: d.maxSnapDistanceM)
        serviceFixedS = try c.value(.serviceFixedS, or: d.serviceFixedS)
        servicePerBundleS = try c.value(.servicePerBundleS, or: d.servicePerBundleS)
        unloadS = try c.value(.unloadS, or: d.unloadS)
        kerbPenaltyS = try c.value(.kerbPenaltyS, or: d.kerbPenaltyS)
        yearlyTargetT = try c.value(.yearlyTargetT, or: d.yearlyTargetT)
    }
}
