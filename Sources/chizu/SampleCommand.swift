import ArgumentParser
import Foundation
import SampleCity

/// `chizu sample`: generate the Isehara-like sample city as municipal exports.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a deterministic Isehara-like sample city the way municipal systems export it.",
        discussion: """
            Roads and sewer pipes as Shapefiles (CP932 DBF, EPSG:6677 .prj), manholes as CP932 CSV with survey
            X (northing) / Y (easting), rain gauges and three days of 10-minute readings, camera sites, yard-waste
            pickup points and the depot/recycling facility. The same --seed and --scale always give the same files.
            """)

    @Option(name: .long, help: "Output directory.")
    var out: String

    @Option(name: .long, help: "Lay K×K towns side by side (about 7,000·K² road segments) for scale tests.")
    var scale = 1

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Isehara's boundary (GeoJSON, EPSG:6677); by default from ../shared/data/real/n03-isehara.")
    var boundary: String?

    func validate() throws {
        guard (1...16).contains(scale) else { throw ValidationError("--scale must be 1...16") }
    }

    func run() throws {
        guard let path = boundary ?? SampleCityOptions.defaultBoundaryPath() else {
            printError("cannot find Isehara's boundary (../shared/data/real/n03-isehara/isehara_N03_2019_epsg6677.geojson); pass --boundary PATH")
            throw ExitCode.failure
        }
        let started = Date()
        let summary = try generateSampleCity(options: SampleCityOptions(scale: scale, seed: seed, boundaryPath: path),
                                             to: URL(fileURLWithPath: out)) { step in printError("sample: \(step)") }
        for c in summary.counts { print("\(c.file.padding(toLength: 28, withPad: " ", startingAt: 0)) \(c.features)") }
        printError(String(format: "sample city (scale %d, seed %llu) written to %@ in %.1f s", scale, seed, out, Date().timeIntervalSince(started)))
    }
}
