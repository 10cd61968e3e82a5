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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.40.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.20.0"),
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
        .target(name: "Features", dependencies: ["GeoCore", "Layers", "Store"], swiftSettings: strict),
        .target(name: "Server", dependencies: [
            "GeoCore", "Layers", "Store", "Features", "Tiles", "RoutePlanning",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], swiftSettings: strict),
        .target(name: "RainClient", dependencies: ["Store",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        .target(name: "Routing", dependencies: ["GeoCore"], swiftSettings: strict),
        .target(name: "RoutePlanning", dependencies: ["GeoCore", "Layers", "Store", "Routing"], swiftSettings: strict),
        .executableTarget(name: "chizu", dependencies: [
            "GeoCore", "Layers", "Store", "Ingest", "SampleCity", "Server", "Tiles", "RainClient", "Routing", "RoutePlanning",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        .target(name: "TestSupport", dependencies: ["GeoCore"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "LayersTests", dependencies: ["Layers", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Layers", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "IngestTests", dependencies: [
            "Ingest", "Store", "Layers", "GeoCore", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Store", "Layers", "GeoCore", "Ingest", "Tiles", "TestSupport", "RainClient", "SampleCity",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], swiftSettings: strict),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "Store", "Layers", "GeoCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "chizuTests", dependencies: ["TestSupport"], swiftSettings: strict),
        .testTarget(name: "TilesTests", dependencies: ["Tiles", "Store", "Layers", "GeoCore", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SampleCityTests", dependencies: ["SampleCity", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RoutePlanningTests", dependencies: ["RoutePlanning", "Routing", "GeoCore", "Layers"], swiftSettings: strict),
        .testTarget(name: "RoutingTests", dependencies: ["Routing", "GeoCore", "TestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
