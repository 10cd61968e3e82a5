import Foundation
import Store

/// Fixed inputs for replaying rainfall through the live endpoints (tests and `chizu rain bench`):
/// the sample city's 10-minute readings and real AMeDAS hourly series, spread over many sites.
public enum RainReplay {
    /// The sample city's `rain_readings.csv` by gauge (`///`, `欠測`, `-` and empty cells are missing).
    public static func sampleSeries(_ csv: URL) throws -> [(String, [Reading])] {
        var bySite: [String: [Reading]] = [:]
        for line in try String(contentsOf: csv, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard c.count >= 3, let t = RainTime.parse(c[1].replacingOccurrences(of: " ", with: "T") + ":00+09:00") else { continue }
            bySite[c[0], default: []].append(Reading(site: c[0], observedAt: t, value: Double(c[2])))
        }
        return bySite.keys.sorted().map { ("sample-\($0)", bySite[$0]!.sorted { $0.observedAt < $1.observedAt }) }
    }

    /// AMeDAS hourly precipitation (`obs_time_jst,amdno,station,precipitation1h_mm,…`) by station; hours
    /// without a run are absent (gaps), as in the source.
    public static func amedasSeries(_ csv: URL) throws -> [(String, [Reading])] {
        var bySite: [String: [Int64: Double?]] = [:]
        for line in try String(contentsOf: csv, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard c.count >= 4, let t = RainTime.parse(c[0]) else { continue }
            bySite[c[1], default: [:]][t] = Double(c[3])
        }
        return bySite.keys.sorted().map { station in
            ("amedas-\(station)", bySite[station]!.sorted { $0.key < $1.key }.map { Reading(site: station, observedAt: $0.key, value: $0.value) })
        }
    }

    /// `count` sites named R001…, each replaying one source series (round robin).
    public static func sites(_ count: Int, from sources: [(String, [Reading])]) -> [(site: String, source: String, readings: [Reading])] {
        (0..<count).map { i in
            let site = String(format: "R%03d", i + 1)
            let (name, series) = sources[i % sources.count]
            return (site, name, series.map { Reading(site: site, observedAt: $0.observedAt, value: $0.value) })
        }
    }

    /// Splits a site's readings into batches of `size`, in time order (a gateway catching up).
    public static func batches(_ readings: [Reading], size: Int) -> [[Reading]] {
        stride(from: 0, to: readings.count, by: size).map { Array(readings[$0..<min($0 + size, readings.count)]) }
    }
}
