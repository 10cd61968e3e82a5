import Foundation
import Testing
import TestSupport
@testable import Layers

@Suite struct SettingsTests {
    @Test func repositorySettingsFileLoads() throws {
        let s = try ChizuSettings.load(path: TestSupport.repositoryRoot.appendingPathComponent("settings.yaml").path)
        #expect(s.routing.truckMinWidthM == 3.0)
        #expect(s.routing.speedsKmh["1級"] == 30)
        #expect(s.rain.staleAfterMinutes == 30)
        #expect(s.map.basemap == nil)
        // The shipped file documents the defaults: it must say what the code does without it.
        #expect(s.limits == LimitSettings())
    }

    @Test func limitsMustBePositive() throws {
        #expect(try ChizuSettings.parse("limits:\n  anonymous_rate_per_s: 5\n").limits.anonymousRatePerSecond == 5)
        #expect(throws: SettingsError.self) { try ChizuSettings.parse("limits:\n  request_timeout_s: 0\n") }
        #expect(throws: SettingsError.self) { try ChizuSettings.parse("limits:\n  anonymous_burst: 0\n") }
    }

    @Test func missingKeysTakeDefaults() throws {
        let s = try ChizuSettings.parse("routing:\n  truck_min_width_m: 2.5\n")
        #expect(s.routing.truckMinWidthM == 2.5)
        #expect(s.routing.snapToleranceM == 0.5)
        #expect(s.rain == RainSettings())
        #expect(try ChizuSettings.parse("") == ChizuSettings())
    }

    @Test func missingFileGivesDefaults() throws {
        #expect(try ChizuSettings.load(path: "/nonexistent/settings.yaml") == ChizuSettings())
    }

    @Test func wrongTypeSaysWhichKey() throws {
        do {
            _ = try ChizuSettings.parse("routing:\n  truck_min_width_m: wide\n", file: "s.yaml")
            Issue.record("expected an error")
        } catch let e as SettingsError {
            #expect(e.description.hasPrefix("s.yaml: routing.truck_min_width_m"))
        }
    }
}
