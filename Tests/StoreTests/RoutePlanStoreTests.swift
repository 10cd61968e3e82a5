import Foundation
import Testing
import TestSupport
import Store

@Suite struct RoutePlanStoreTests {
    @Test func aSavedPlanComesBackByIdWithItsDateSummaryAndGeoJSON() throws {
        let dir = try TestSupport.temporaryDirectory("plans"); defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SpatialStore(path: dir.appendingPathComponent("c.sqlite").path, create: true)
        let a = try store.saveRoutePlan(date: "2026-11-17", summary: "{\"stops\":3}", geojson: "{\"type\":\"FeatureCollection\",\"features\":[]}")
        let b = try store.saveRoutePlan(date: "2026-11-18", summary: "{}", geojson: "{}")
        #expect(b == a + 1)
        let plan = try #require(try store.routePlan(id: a))
        #expect(plan.date == "2026-11-17" && plan.summary == "{\"stops\":3}" && plan.geojson.contains("FeatureCollection"))
        #expect(try store.routePlan(id: 999) == nil)
    }

    @Test func recordedTripWeightsSumPerMonthAndARecordAgainCorrectsIt() throws {
        let dir = try TestSupport.temporaryDirectory("plans"); defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SpatialStore(path: dir.appendingPathComponent("c.sqlite").path, create: true)
        let nov = try store.saveRoutePlan(date: "2026-11-17", summary: "{}", geojson: "{}")
        let dec = try store.saveRoutePlan(date: "2026-12-01", summary: "{}", geojson: "{}")
        try store.recordCollection(planId: nov, truck: 1, trip: 1, weightKg: 900)
        try store.recordCollection(planId: nov, truck: 1, trip: 2, weightKg: 700)
        try store.recordCollection(planId: nov, truck: 1, trip: 2, weightKg: 650)   // corrected
        try store.recordCollection(planId: dec, truck: 2, trip: 1, weightKg: 1200)
        #expect(try store.monthlyCollections(year: 2026) == [MonthlyCollection(month: "2026-11", weightKg: 1550, trips: 2),
                                                            MonthlyCollection(month: "2026-12", weightKg: 1200, trips: 1)])
        #expect(try store.monthlyCollections(year: 2025).isEmpty)
        #expect(throws: RoutePlanStoreError.self) { try store.recordCollection(planId: 99, truck: 1, trip: 1, weightKg: 1) }
    }
}
