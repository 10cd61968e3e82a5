import Foundation
import Testing
import TestSupport
import Layers
@testable import Store

/// A storm with gaps and missing values: 10-minute readings, a 7-hour dry spell, then more rain.
func stormReadings(site: String = "G1", start: Int64 = 1_795_000_200) -> [Reading] {
    var out: [Reading] = []
    for i in 0..<400 where i % 37 != 5 {   // some readings never arrive
        let t = start + Int64(i) * 600
        var v: Double? = 0
        if (20..<90).contains(i) { v = Double((i * 7) % 11) * 0.5 }
        if (150..<200).contains(i) { v = Double((i * 5) % 13) * 1.0 }
        if i % 53 == 0 { v = nil }
        out.append(Reading(site: site, observedAt: t, value: v))
    }
    return out
}

@Suite struct RainStoreTests {
    let settings = RainSettings()

    func fixture() throws -> StoreFixture { try StoreFixture() }

    @Test func derivedSumsEqualReferenceAtEveryReading() throws {
        let readings = stormReadings()
        let series = RainSeries(readings, dryHours: 6)
        let ref = RainReference(readings.map { ($0.observedAt, $0.value) }, dry: 6 * 3600)
        for r in readings {
            let m = series.measures(at: r.observedAt)
            #expect(abs(m.sum60m - ref.sum(r.observedAt, 3600)) < 1e-6)
            #expect(abs(m.sum24h - ref.sum(r.observedAt, 86400)) < 1e-6)
            #expect(abs(m.eventTotal - ref.event(r.observedAt)) < 1e-6, "event at \(r.observedAt)")
        }
        #expect(ref.event(readings[135].observedAt) == 0 && series.eventTotal(at: readings[135].observedAt) == 0)   // after the dry spell the event is over
    }

    @Test func gaugeStateCarriesLatestSumsAndStatus() throws {
        let f = try fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let readings = stormReadings()
        _ = try f.store.storeLiveReadings(readings.shuffled(), layer: "rain_gauges", settings: settings)
        let last = readings.last!
        let ref = RainReference(readings.map { ($0.observedAt, $0.value) }, dry: 6 * 3600)
        let state = try f.store.gaugeStates(layer: "rain_gauges", sites: ["G1", "G2"], now: last.observedAt + 60, settings: settings)
        let g1 = try #require(state["G1"])
        #expect(g1.observedAt == last.observedAt && g1.latest == last.value && g1.status == .ok)
        #expect(abs(g1.measures.sum60m - ref.sum(last.observedAt, 3600)) < 1e-6)
        #expect(abs(g1.measures.sum24h - ref.sum(last.observedAt, 86400)) < 1e-6)
        #expect(abs(g1.measures.eventTotal - ref.event(last.observedAt)) < 1e-6)
        #expect(state["G2"]?.status == .stale && state["G2"]?.observedAt == nil)
        let later = try f.store.gaugeStates(layer: "rain_gauges", sites: ["G1"], now: last.observedAt + 31 * 60, settings: settings)
        #expect(later["G1"]?.status == .stale)
    }

    /// An acknowledged reading must survive a power loss, not only a crash of the server: its commit
    /// syncs the WAL (synchronous=FULL); other writes keep GRDB's NORMAL.
    @Test func durableWriteCommitsWithFullSyncThenRestoresNormal() throws {
        let f = try fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let inside = try f.store.durableWrite { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(inside == 2)
        #expect(throws: (any Error).self) { try f.store.durableWrite { db in try db.execute(sql: "SELECT nonsense FROM nowhere") } }
        let after = try f.store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(after == 1)
    }

    @Test func upsertIsIdempotentAndCorrectionsReplace() throws {
        let f = try fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let batch = [Reading(site: "G1", observedAt: 1_795_000_200, value: 1.5), Reading(site: "G1", observedAt: 1_795_000_800, value: nil)]
        let first = try f.store.storeLiveReadings(batch, layer: "rain_gauges", settings: settings)
        #expect(first.inserted == 2 && first.messages.count == 2)
        let again = try f.store.storeLiveReadings(batch, layer: "rain_gauges", settings: settings)
        #expect(again.unchanged == 2 && again.messages.isEmpty)
        let fix = try f.store.storeLiveReadings([Reading(site: "G1", observedAt: 1_795_000_800, value: 2.0)], layer: "rain_gauges", settings: settings)
        #expect(fix.corrected == 1)
        guard case .reading(let r, _, let corrected)? = fix.messages.first?.content else { Issue.record("no reading message"); return }
        #expect(corrected && r.value == 2.0)
        #expect(try f.store.readings(layer: "rain_gauges", site: "G1", from: 0, to: .max).map(\.value) == [1.5, 2.0])
        let feed = try f.store.rainFeed(after: 0)
        #expect(feed.map(\.seq) == [1, 2, 3] && feed == first.messages + fix.messages)
    }

    @Test func crossingAThresholdRecordsOneAlertEvenWhenReposted() throws {
        let f = try fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let t0: Int64 = 1_795_000_200
        let batch = (0..<6).map { Reading(site: "G3", observedAt: t0 + Int64($0) * 600, value: 4) }   // 24 mm in an hour
        let r = try f.store.storeLiveReadings(batch, layer: "rain_gauges", settings: settings)
        #expect(r.alerts.map(\.thresholdId) == ["jma-10", "jma-20"])
        #expect(r.alerts.first?.observedAt == t0 + 2 * 600)   // 12 mm after three readings
        _ = try f.store.storeLiveReadings(batch.map { var c = $0; c.value = 4.5; return c }, layer: "rain_gauges", settings: settings)
        let _ = try f.store.storeLiveReadings(batch, layer: "rain_gauges", settings: settings)
        #expect(try f.store.rainAlerts().count == 2)
        let alerts = try f.store.rainFeed(after: 0).compactMap { if case .alert(let a) = $0.content { a } else { nil } }
        #expect(alerts == r.alerts)
    }

    @Test func bucketsSumHoursAndJSTDays() throws {
        let f = try fixture(); defer { try? FileManager.default.removeItem(at: f.dir) }
        let midnightJST = RainTime.parse("2026-11-21")!
        let readings = (1...144 * 2).map { Reading(site: "G1", observedAt: midnightJST + Int64($0) * 600, value: $0 == 7 ? nil : 0.5) }
        _ = try f.store.storeLiveReadings(readings, layer: "rain_gauges", settings: settings)
        let hours = try f.store.rainBuckets(layer: "rain_gauges", site: "G1", from: midnightJST, to: midnightJST + 86400, interval: 3600)
        #expect(hours.count == 24 && hours[0].value == 3.0 && hours[1].value == 2.5 && hours[1].missing == 1)
        #expect(RainTime.jst(hours[0].end) == "2026-11-21T01:00:00+09:00")
        let days = try f.store.rainBuckets(layer: "rain_gauges", site: "G1", from: midnightJST, to: midnightJST + 2 * 86400, interval: 86400)
        #expect(days.map(\.value) == [71.5, 72.0] && days.map(\.count) == [144, 144])
    }
}
