import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RouteRoutesTests {
    @Test func storedPlansAreServedToSanitationAndAdminsOnly() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let id = try f.store.saveRoutePlan(date: "2026-11-17", summary: "{}", geojson: "{\"type\":\"FeatureCollection\",\"features\":[]}")
        try await f.app().test(.router) { client in
            for (caller, status) in [("sanitation", 200), ("admin", 200), ("sewer", 403), ("anonymous", 401)] {
                try await client.execute(uri: "/routes/plans/\(id)", method: .get, headers: f.headers(caller)) { r in
                    #expect(Int(r.status.code) == status, "\(caller)")
                    if status == 200 { #expect(r.text.contains("FeatureCollection") && r.headers[.contentType] == "application/geo+json") }
                }
            }
            try await client.execute(uri: "/routes/plans/999", method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.status == .notFound)
            }
        }
    }

    @Test func planningADayWithoutPickupPointsIsUnprocessableWithTheReason() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let body = ByteBuffer(string: "{\"date\":\"2030-01-05\",\"trucks\":2,\"capacity_kg\":1000,\"time_limit_s\":1}")
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/routes/plans", method: .post, headers: f.headers("sanitation"), body: body) { r in
                #expect(r.status == .unprocessableContent)
                #expect(r.text.contains("no yard-waste pickup points recorded on 2030-01-05"))
            }
            try await client.execute(uri: "/routes/plans", method: .post, headers: f.headers("crisis_management"), body: body) { r in
                #expect(r.status == .forbidden)
            }
            let bad = ByteBuffer(string: "{\"date\":\"5 Jan\",\"trucks\":2,\"capacity_kg\":1000}")
            try await client.execute(uri: "/routes/plans", method: .post, headers: f.headers("sanitation"), body: bad) { r in
                #expect(r.status == .badRequest)
            }
        }
    }
}
