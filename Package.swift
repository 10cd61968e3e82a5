// swift-tools-version:6.1
import PackageDescription

/// Chizu (地図): a geospatial service for a Japanese city.
/// Data flows one way: files → Ingest → Store → (Features | Tiles | Routing) → Server / CLI.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Chizu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chizu", targets: ["chizu"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.40.0"),
    ],
    targets: [
        // System libraries: a module map and a shim header, nothing else.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),

        .target(name: "GeoCore", dependencies: ["CGEOS", "CPROJ"], swiftSettings: strict),
        .target(name: "Layers", dependencies: ["GeoCore", "Yams"], swiftSettings: strict),
        .target(name: "Store", dependencies: [
            "GeoCore", "Layers",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ], swiftSettings: strict),
        .target(name: "Ingest", dependencies: ["GeoCore", "Layers", "Store", "CGDAL",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "Tiles", dependencies: ["GeoCore", "Layers", "Store",
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        .target(name: "SampleCity", dependencies: ["GeoCore", "CGDAL"], swiftSettings: strict),
        .executableTarget(name: "chizu", dependencies: [
            "GeoCore", "Layers", "Store", "Ingest", "SampleCity", "Tiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        .target(name: "TestSupport", dependencies: ["GeoCore"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Layers", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Store", "Layers", "GeoCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "TilesTests", dependencies: ["Tiles", "Store", "Layers", "GeoCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SampleCityTests", dependencies: ["SampleCity", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
