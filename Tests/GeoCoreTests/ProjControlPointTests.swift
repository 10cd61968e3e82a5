import Foundation
import Testing
@testable import GeoCore

/// Control points computed by PROJ's own `cs2cs` in the same run, compared with `CoordinateTransformer`.
///
/// cs2cs uses each CRS's official axis order: EPSG:4326 is (latitude, longitude), EPSG:6677 is
/// (X northing, Y easting), EPSG:3857 is (easting, northing). Chizu's `Coordinate` is always (east, north).
private let cs2csPath = "/usr/bin/cs2cs"

@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: cs2csPath),
                "cs2cs not found at /usr/bin/cs2cs; install Debian package proj-bin to run the PROJ control-point tests"))
struct ProjControlPointTests {
    /// Lon/lat points in and around Isehara: city hall, Isehara station, Oyama summit, Aiko-Ishida,
    /// the Tomei interchange and a point in Sagami Bay.
    static let lonLat: [Coordinate] = [
        Coordinate(x: 139.3144, y: 35.3964), Coordinate(x: 139.3140, y: 35.4023), Coordinate(x: 139.2311, y: 35.4408),
        Coordinate(x: 139.3286, y: 35.3787), Coordinate(x: 139.3014, y: 35.4153), Coordinate(x: 139.35, y: 35.25),
    ]

    /// Survey (X northing, Y easting) points in EPSG:6677 around the city.
    static let survey: [(x: Double, y: Double)] = [
        (-66116, -47083), (-66841.137, -47138.383), (-62000.5, -55000.25), (-70500, -40000), (-60000, -45000), (-75000.125, -52000.875),
    ]

    /// Runs cs2cs with `-f %.9f` over lines of two numbers, returning the first two numbers of each output line.
    static func cs2cs(_ from: String, _ to: String, _ rows: [(Double, Double)]) throws -> [(Double, Double)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cs2csPath)
        process.arguments = ["-f", "%.9f", from, to]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let text = rows.map { String(format: "%.10f %.10f", $0.0, $0.1) }.joined(separator: "\n") + "\n"
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return try lines.map { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            guard fields.count >= 2 else { throw GeometryError.invalidStructure("cs2cs printed \(line)") }
            return (fields[0], fields[1])
        }
    }

    @Test func wgs84ToZoneIXMatchesCs2csToTheMillimetre() throws {
        let expected = try Self.cs2cs("EPSG:4326", "EPSG:6677", Self.lonLat.map { ($0.y, $0.x) })  // in: lat lon
        let ours = try CoordinateTransformer.between(.wgs84, .jgd2011ZoneIX).transform(Self.lonLat)
        #expect(expected.count == ours.count)
        for (e, o) in zip(expected, ours) {  // out: northing easting
            #expect(abs(o.y - e.0) < 1e-3 && abs(o.x - e.1) < 1e-3, "ours \(o), cs2cs N \(e.0) E \(e.1)")
        }
    }

    @Test func zoneIXToWGS84MatchesCs2csToLessThanAMillimetre() throws {
        let expected = try Self.cs2cs("EPSG:6677", "EPSG:4326", Self.survey.map { ($0.x, $0.y) })  // in: northing easting
        let ours = try CoordinateTransformer.between(.jgd2011ZoneIX, .wgs84)
            .transform(Self.survey.map { Coordinate(surveyX: $0.x, surveyY: $0.y) })
        #expect(expected.count == ours.count)
        for (e, o) in zip(expected, ours) {  // out: lat lon
            #expect(abs(o.y - e.0) < 1e-8 && abs(o.x - e.1) < 1e-8, "ours \(o), cs2cs lat \(e.0) lon \(e.1)")
        }
    }

    @Test func wgs84ToWebMercatorMatchesCs2csToTheMillimetre() throws {
        let expected = try Self.cs2cs("EPSG:4326", "EPSG:3857", Self.lonLat.map { ($0.y, $0.x) })
        let ours = try CoordinateTransformer.between(.wgs84, .webMercator).transform(Self.lonLat)
        #expect(expected.count == ours.count)
        for (e, o) in zip(expected, ours) {  // out: easting northing
            #expect(abs(o.x - e.0) < 1e-3 && abs(o.y - e.1) < 1e-3, "ours \(o), cs2cs E \(e.0) N \(e.1)")
        }
    }

    @Test func closedFormWebMercatorMatchesCs2cs() throws {
        let expected = try Self.cs2cs("EPSG:4326", "EPSG:3857", Self.lonLat.map { ($0.y, $0.x) })
        for (e, ll) in zip(expected, Self.lonLat) {
            let m = WebMercator.project(ll)
            #expect(abs(m.x - e.0) < 1e-3 && abs(m.y - e.1) < 1e-3, "closed form \(m), cs2cs E \(e.0) N \(e.1)")
        }
    }

    @Test func geometryTransformMatchesCs2csForEveryVertex() throws {
        let line = try Geometry(.lineString(Self.lonLat))
        let projected = try line.transformed(with: .between(.wgs84, .jgd2011ZoneIX))
        let expected = try Self.cs2cs("EPSG:4326", "EPSG:6677", Self.lonLat.map { ($0.y, $0.x) })
        for (e, o) in zip(expected, projected.coordinates) {
            #expect(abs(o.y - e.0) < 1e-3 && abs(o.x - e.1) < 1e-3)
        }
    }
}
