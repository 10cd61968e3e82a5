// swift-tools-version:6.1
import PackageDescription

/// Coverage-guided fuzzers (libFuzzer) over Chizu's parsers of untrusted text: CQL2 (text and JSON),
/// CSV (decoding, splitting, geometry columns), GeoJSON geometries and GeoJSON files read through OGR.
///
/// A package of its own so the main `swift build` / `swift test` never see it. Sources/GeoCore,
/// Layers, Features and Ingest are links to the real modules; only the files the parsers need are
/// compiled (no SQLite, YAML or crypto), so the fuzzers build in about a minute. Build and run:
///
///     swift build -c release --sanitize=fuzzer --package-path Fuzz
///     Fuzz/.build/release/FuzzCQL2Text -max_total_time=600 Fuzz/Corpus/FuzzCQL2Text
///
/// (`hard/hostile.sh` does both for every fuzzer; see README, Hardening.)
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "ChizuFuzz",
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos"),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj"),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal"),
        .target(name: "GeoCore", dependencies: ["CGEOS", "CPROJ"]),
        .target(name: "Layers", dependencies: ["GeoCore"],
                sources: ["Access.swift", "FieldConversion.swift", "FieldValue.swift", "JapaneseDate.swift", "LayerDefinition.swift", "TextTrimming.swift"]),
        .target(name: "Features", dependencies: ["GeoCore"],
                sources: ["CQL2/CQL2AST.swift", "CQL2/CQL2TextParser.swift", "CQL2/CQL2JSONParser.swift"]),
        .target(name: "Ingest", dependencies: ["GeoCore", "Layers", "CGDAL"],
                sources: ["CSVParser.swift", "CSVReader.swift", "TextDecoding.swift", "SourceFeature.swift", "OGRReader.swift"]),
        .executableTarget(name: "FuzzCQL2Text", dependencies: ["Features"], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzCQL2JSON", dependencies: ["Features"], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzCSV", dependencies: ["Ingest", "Layers", "GeoCore"], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzGeoJSON", dependencies: ["GeoCore"], swiftSettings: fuzzer),
        .executableTarget(name: "FuzzOGR", dependencies: ["Ingest", "Layers", "GeoCore", "CGDAL"], swiftSettings: fuzzer),
    ],
    swiftLanguageModes: [.v6]
)
