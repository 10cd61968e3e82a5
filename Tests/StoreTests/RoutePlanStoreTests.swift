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
}
