import Foundation
import GeoCore
import Testing
@testable import Tiles

@Suite struct CacheTests {
    @Test func reloadingALayerMeansTheNextFetchIsNotStale() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let service = TileService(renderer: f.renderer, cache: TileCache(maxBytes: 1 << 20, directory: f.dir.appendingPathComponent("tiles")))
        let s = TileFixture.station, key = TileFixture.tile(16)
        try f.load("cameras", [f.camera("C1", s.lon, s.lat)])
        let first = try #require(try service.tile(key, tileset: "public", access: .public))
        #expect(try service.tile(key, tileset: "public", access: .public) == first)   // cached
        try f.load("cameras", [f.camera("C2", s.lon, s.lat)])
        let second = try #require(try service.tile(key, tileset: "public", access: .public))
        #expect(second.gzipped != first.gzipped && second.etag != first.etag)
        let ids = try DecodedTile(Gzip.decompress(second.gzipped)).layer("cameras")?.features.map { $0.properties["camera_id"] }
        #expect(ids == [.string("C2")])
    }

    @Test func theDiskCacheSurvivesANewServiceAndStillHonoursVersions() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let dir = f.dir.appendingPathComponent("tiles")
        let s = TileFixture.station, key = TileFixture.tile(16)
        try f.load("cameras", [f.camera("C1", s.lon, s.lat)])
        let a = try #require(try TileService(renderer: f.renderer, cache: TileCache(directory: dir)).tile(key, tileset: "cameras", access: .public))
        let files = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".mvt.gz") }
        #expect(files?.count == 1)
        try f.load("cameras", [f.camera("C1", s.lon, s.lat, model: "changed"), f.camera("C3", s.lon + 0.0001, s.lat)])
        let b = try #require(try TileService(renderer: f.renderer, cache: TileCache(directory: dir)).tile(key, tileset: "cameras", access: .public))
        #expect(a.gzipped != b.gzipped)
        #expect(try DecodedTile(Gzip.decompress(b.gzipped)).layer("cameras")?.features.count == 2)
    }

    @Test func aCallerWithFewerRightsNeverGetsATileCachedForMore() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let service = TileService(renderer: f.renderer, cache: TileCache(directory: f.dir.appendingPathComponent("tiles")))
        let s = TileFixture.station, key = TileFixture.tile(16)
        try f.load("cameras", [f.camera("C1", s.lon, s.lat)])
        let dept = TileAccess.department("citizen_cooperation", in: f.catalog)
        let rich = try #require(try service.tile(key, tileset: "public", access: dept))
        let poor = try #require(try service.tile(key, tileset: "public", access: .public))
        #expect(rich.gzipped != poor.gzipped)
        let props = try DecodedTile(Gzip.decompress(poor.gzipped)).layer("cameras")?.features.first?.properties
        #expect(props?["model"] == nil)
    }

    @Test func emptyTilesAreCachedAsEmptyAndServedAsNil() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let cache = TileCache()
        let service = TileService(renderer: f.renderer, cache: cache)
        #expect(try service.tile(TileFixture.tile(16), tileset: "public", access: .public) == nil)
        #expect(try service.tile(TileFixture.tile(16), tileset: "public", access: .public) == nil)
    }

    @Test func theMemoryCacheEvictsLeastRecentlyUsedBeyondItsBound() {
        var lru = LRUCache<Int, Data>(capacity: 300)
        for i in 0..<3 { lru.set(i, Data(count: 100), cost: 100) }
        _ = lru.get(0)
        lru.set(3, Data(count: 100), cost: 100)
        #expect(lru.get(1) == nil && lru.get(0) != nil && lru.get(3) != nil && lru.totalCost <= 300)
    }
}

@Suite struct ConcurrentServingTests {
    @Test func manyTasksGetTheSameTilesAsOneCallerWouldAndMemoryStaysBounded() async throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        try f.load("cameras", (0..<200).map { f.camera("C\($0)", s.lon + Double($0 % 20) * 0.002, s.lat + Double($0 / 20) * 0.002) })
        let keys = try TileKey.covering(lonLatBounds: BoundingBox(minX: s.lon, minY: s.lat, maxX: s.lon + 0.04, maxY: s.lat + 0.02), zoom: 16).map { $0 }
        let sequential = try keys.map { try f.renderer.render($0, tileset: Tileset.resolve("public", catalog: f.catalog, access: .public)).mvt }
        let service = TileService(renderer: f.renderer, cache: TileCache(maxBytes: 4_000))
        let results = try await withThrowingTaskGroup(of: (Int, Data?).self) { group in
            for round in 0..<3 {
                for (i, key) in keys.enumerated() {
                    group.addTask {
                        let access: TileAccess = round == 1 ? .department("citizen_cooperation", in: f.catalog) : .public
                        return (round == 1 ? -1 : i, try service.tile(key, tileset: "public", access: access)?.gzipped)
                    }
                }
            }
            var out: [Int: Data?] = [:]
            for try await (i, data) in group where i >= 0 { out[i] = data }
            return out
        }
        for (i, expected) in sequential.enumerated() {
            #expect(try results[i].flatMap { $0 }.map { try Gzip.decompress($0) } == expected)
        }
        #expect(service.cache.memoryBytes <= 4_000)
    }
}
