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
