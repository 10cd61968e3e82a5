import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

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

    /// Found by hard/hostile.sh: malformed bodies were 500s, and a capacity of 1e308 kg trapped
    /// converting it to Int and killed the server. Each is now a 400 problem naming what is wrong.
    @Test func malformedAndAbsurdPlanRequestsAreBadRequests() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let bodies = ["", "{", "[]", "null", "{\"date\":\"2026-11-17\"}", "{\"date\":1,\"trucks\":1,\"capacity_kg\":1}",
                      "{\"date\":\"2026-11-17\",\"trucks\":1,\"capacity_kg\":1e308}",
                      "{\"date\":\"2026-11-17\",\"trucks\":1,\"capacity_kg\":1e-300}",
                      "{\"date\":\"2026-11-17\",\"trucks\":9223372036854775807,\"capacity_kg\":2000}",
                      "{\"date\":\"2026-11-17\",\"trucks\":1,\"capacity_kg\":2000,\"shift\":\"0:00-inf:00\"}",
                      "{\"date\":\"2026-11-17\",\"trucks\":1,\"capacity_kg\":2000,\"shift\":\"-1:00-25:00\"}"]
        try await f.app().test(.router) { client in
            for body in bodies {
                try await client.execute(uri: "/routes/plans", method: .post, headers: f.headers("sanitation"), body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .badRequest, "\(body): \(r.status)")
                    #expect(r.headers[.contentType] == "application/problem+json", "\(body)")
                }
            }
        }
    }

    /// A one-truck, one-trip plan as `RunPlan.geoJSON()` writes it.
    static let planGeoJSON = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"role":"depot","name":"市車庫"},"geometry":{"type":"Point","coordinates":[139.31,35.40]}},
        {"type":"Feature","properties":{"role":"facility","name":"清掃工場"},"geometry":{"type":"Point","coordinates":[139.33,35.41]}},
        {"type":"Feature","properties":{"role":"trip","truck":1,"trip":1,"stops":2,"load_kg":120.0,"km":5.25,"departure":"08:30","facility_arrival":"09:40"},
         "geometry":{"type":"LineString","coordinates":[[139.31,35.40],[139.32,35.405],[139.33,35.41]]}},
        {"type":"Feature","properties":{"role":"stop","truck":1,"trip":1,"order":2,"point_id":"Y-0002","district":"桜台 & 東","weight_kg":70.0,"bundles":7,"arrival":"09:05"},
         "geometry":{"type":"Point","coordinates":[139.325,35.407]}},
        {"type":"Feature","properties":{"role":"stop","truck":1,"trip":1,"order":1,"point_id":"Y-0001","district":"伊勢原","weight_kg":50.0,"bundles":5,"arrival":"08:45"},
         "geometry":{"type":"Point","coordinates":[139.32,35.405]}},
        {"type":"Feature","properties":{"role":"return","truck":1,"arrival":"10:05","km":2.5},"geometry":{"type":"LineString","coordinates":[[139.33,35.41],[139.31,35.40]]}}
        ]}
        """

    @Test func routeSheetsGpxAndTheListAreServedFromTheStoredPlan() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let older = try f.store.saveRoutePlan(date: "2026-11-16", summary: "{\"km\":1}", geojson: Self.planGeoJSON)
        let id = try f.store.saveRoutePlan(date: "2026-11-17", summary: "{\"km\":7.75}", geojson: Self.planGeoJSON)
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/routes/plans/\(id)/sheets/1", method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.status == .ok && r.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = r.text
                #expect(html.contains("収集日 2026-11-17 ・ 車両 1") && html.contains("市車庫") && html.contains("清掃工場 到着 09:40"))
                #expect(html.contains("走行 7.8 km") && html.contains("桜台 &amp; 東"))
                let first = try #require(html.range(of: "Y-0001")), second = try #require(html.range(of: "Y-0002"))
                #expect(first.lowerBound < second.lowerBound, "stops in visiting order")
            }
            try await client.execute(uri: "/routes/plans/\(id)/gpx/1", method: .get, headers: f.headers("admin")) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "application/gpx+xml")
                #expect(r.text.contains("<wpt lat=\"35.4050000\" lon=\"139.3200000\"><name>1. Y-0001</name>"))
                #expect(r.text.components(separatedBy: "<trkseg>").count == 3, "one segment per trip and the way back")
            }
            for uri in ["/routes/plans/\(id)/gpx/2", "/routes/plans/\(id)/sheets/x", "/routes/plans/999/sheets/1"] {
                try await client.execute(uri: uri, method: .get, headers: f.headers("sanitation")) { r in #expect(r.status == .notFound, "\(uri)") }
            }
            for (caller, status) in [("sewer", 403), ("anonymous", 401)] {
                for uri in ["/routes/plans/\(id)/sheets/1", "/routes/plans/\(id)/gpx/1", "/routes/plans"] {
                    try await client.execute(uri: uri, method: .get, headers: f.headers(caller)) { r in #expect(Int(r.status.code) == status, "\(caller) \(uri)") }
                }
            }
            try await client.execute(uri: "/routes/plans", method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.status == .ok)
                let list = try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]
                let plans = try #require(list?["plans"] as? [[String: Any]])
                #expect(plans.map { ($0["id"] as? NSNumber)?.int64Value } == [id, older], "newest first")
                #expect(plans.first?["date"] as? String == "2026-11-17" && (plans.first?["summary"] as? [String: Any])?["km"] as? Double == 7.75)
            }
        }
    }

    @Test func plannersRecordTripWeightsAndTheYearReportSumsThem() async throws {
        let f = try ServerFixture(); defer { f.cleanUp() }
        let id = try f.store.saveRoutePlan(date: "2026-11-17", summary: "{}", geojson: Self.planGeoJSON)
        let editor = try TokenService(store: f.store).create(department: "sanitation", role: .editor).token
        let editorHeaders: HTTPFields = [.authorization: "Bearer \(editor)"]
        try await f.app().test(.router) { client in
            let one = ByteBuffer(string: "{\"truck\":1,\"trip\":1,\"collected_kg\":118.5}")
            try await client.execute(uri: "/routes/plans/\(id)/collections", method: .post, headers: editorHeaders, body: one) { r in
                #expect(r.status == .created)
                #expect(r.text.contains("\"collected_on\":\"2026-11-17\"") && r.text.contains("\"collected_kg\":118.5"))
            }
            // Recording again corrects the trip instead of adding to it.
            let corrected = ByteBuffer(string: "[{\"truck\":1,\"trip\":1,\"collected_kg\":120}]")
            try await client.execute(uri: "/routes/plans/\(id)/collections", method: .post, headers: editorHeaders, body: corrected) { r in
                #expect(r.status == .created)
            }
            for (body, why) in [("{\"truck\":2,\"trip\":1,\"collected_kg\":5}", "no truck 2"), ("{\"truck\":1,\"trip\":2,\"collected_kg\":5}", "one trip"),
                                ("{\"truck\":1,\"trip\":1,\"collected_kg\":-5}", "negative"), ("{\"truck\":1}", "incomplete"), ("[]", "empty")] {
                try await client.execute(uri: "/routes/plans/\(id)/collections", method: .post, headers: editorHeaders,
                                         body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .badRequest, "\(why)")
                    #expect(r.headers[.contentType] == "application/problem+json", "\(why)")
                }
            }
            try await client.execute(uri: "/routes/plans/999/collections", method: .post, headers: editorHeaders, body: one) { r in
                #expect(r.status == .notFound)
            }
            // A sanitation reader may look but not record; other departments and the public neither.
            for (caller, status) in [("sanitation", 403), ("sewer", 403), ("anonymous", 401)] {
                try await client.execute(uri: "/routes/plans/\(id)/collections", method: .post, headers: f.headers(caller), body: one) { r in
                    #expect(Int(r.status.code) == status, "\(caller)")
                }
            }
            try await client.execute(uri: "/routes/collections?year=2026", method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.status == .ok)
                let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any])
                let months = try #require(doc["months"] as? [[String: Any]])
                #expect(months.count == 1 && months[0]["month"] as? String == "2026-11" && months[0]["collected_kg"] as? Double == 120)
                #expect(doc["total_kg"] as? Double == 120 && doc["target_t"] as? Double == 1510)
            }
            try await client.execute(uri: "/routes/collections?year=2025", method: .get, headers: f.headers("admin")) { r in
                #expect(r.status == .ok && r.text.contains("\"months\":[]") && r.text.contains("\"total_kg\":0"))
            }
            try await client.execute(uri: "/routes/collections?year=twenty", method: .get, headers: f.headers("sanitation")) { r in
                #expect(r.status == .badRequest)
            }
            for (caller, status) in [("sewer", 403), ("anonymous", 401)] {
                try await client.execute(uri: "/routes/collections", method: .get, headers: f.headers(caller)) { r in
                    #expect(Int(r.status.code) == status, "\(caller)")
                }
            }
        }
    }
}
