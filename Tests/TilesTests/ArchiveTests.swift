import Crypto
import Foundation
import Store
import GeoCore
import Testing
@testable import Tiles

@Suite struct ArchiveTests {
    @Test func tileIDsFollowTheHilbertCurveZoomByZoom() {
        #expect(PMTiles.tileID(z: 0, x: 0, y: 0) == 0)
        #expect([(0, 0), (0, 1), (1, 1), (1, 0)].map { PMTiles.tileID(z: 1, x: $0.0, y: $0.1) } == [1, 2, 3, 4])
        #expect(PMTiles.tileID(z: 2, x: 0, y: 0) == 5)
        #expect(PMTiles.tileID(z: 12, x: 3423, y: 1763) == 19_078_479)
    }

    @Test func directoriesRoundTripIncludingRunsAndContiguousOffsets() throws {
        let entries = [PMTiles.Entry(tileID: 5, offset: 0, length: 10, runLength: 1),
                       PMTiles.Entry(tileID: 6, offset: 10, length: 20, runLength: 3),
                       PMTiles.Entry(tileID: 100, offset: 0, length: 10, runLength: 1)]
        #expect(try PMTiles.deserialize(PMTiles.serialize(entries)) == entries)
    }

    func fakeTiles(_ n: Int) throws -> [BuiltTile] {
        try (0..<n).map { i in
            let key = try TileKey(z: 16, x: 58000 + i % 300, y: 25800 + i / 300)
            let mvt = Data("tile \(i % 7)".utf8)   // seven distinct contents, many repeats
            return BuiltTile(key: key, gzipped: try Gzip.compress(mvt), digest: Data(SHA256.hash(data: mvt)))
        }
    }

    let metadata = TileArchiveMetadata(name: "public", description: "テスト", attribution: "伊勢原市", minZoom: 16, maxZoom: 16,
                                       bounds: [139.19, 35.33, 139.40, 35.49], center: [139.31, 35.40, 16],
                                       vectorLayers: [TileJSON.VectorLayer(id: "roads", description: "道路", minzoom: 10, maxzoom: 18,
                                                                           fields: ["segment_id": "区間番号"])])

    @Test func pmTilesWithoutLeavesKeepEverythingInTheRoot() throws {
        let dir = try TileFixture.temporary(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.pmtiles").path
        let tiles = try fakeTiles(1000)
        try PMTilesWriter.write(tiles, metadata: metadata, to: path)
        let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(127))
        #expect(header[48..<56].allSatisfy { $0 == 0 })
        let archive = try TileArchive.open(path)
        for t in tiles { #expect(try archive.tile(z: t.key.z, x: t.key.x, y: t.key.y) == t.gzipped) }
    }

    @Test func pmTilesHeaderAndDirectoriesRoundTripThroughTheReader() throws {
        let dir = try TileFixture.temporary(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.pmtiles").path
        let tiles = try fakeTiles(60_000)
        // A small root budget forces leaf directories (a city's directory fits the real 16 KiB root).
        try PMTilesWriter.write(tiles, metadata: metadata, to: path, rootBudget: 200, minLeafSize: 500)
        let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(127))
        #expect(Array(header[0..<8]) == Array("PMTiles".utf8) + [3])
        let leafLength = header[48..<56].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(leafLength > 0)   // the entries did not fit in the root: leaf directories were written
        #expect(Array(header[96..<100]) == [1, 2, 2, 1])   // clustered, gzip directories, gzip tiles, MVT
        let archive = try TileArchive.open(path)
        #expect(archive.format == .pmtiles)
        #expect(archive.metadata.minZoom == 16 && archive.metadata.maxZoom == 16 && archive.metadata.name == "public")
        #expect(abs(archive.metadata.bounds[0] - 139.19) < 1e-6 && archive.metadata.vectorLayers.map(\.id) == ["roads"])
        for t in tiles.prefix(200) + tiles.suffix(200) {
            #expect(try archive.tile(z: t.key.z, x: t.key.x, y: t.key.y) == t.gzipped)
        }
        #expect(try archive.tile(z: 16, x: 0, y: 0) == nil)
        let tj = TileJSON.make(archive: archive, tilesURL: "/tiles/archive/{z}/{x}/{y}.mvt")
        #expect(tj.minzoom == 16 && tj.vector_layers.map(\.id) == ["roads"] && tj.attribution == "伊勢原市")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size < 400_000)   // seven contents stored once each
    }

    @Test(.enabled(if: ExternalTools.pythonHas("pmtiles"), "python3 cannot import pmtiles (pip install pmtiles)"))
    func pmTilesAreReadableByTheReferencePythonReader() throws {
        let dir = try TileFixture.temporary(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.pmtiles").path
        let tiles = try fakeTiles(20_000)
        try PMTilesWriter.write(tiles, metadata: metadata, to: path, rootBudget: 200, minLeafSize: 500)   // with leaves
        let t = tiles[12345]
        let script = """
            import gzip, sys
            from pmtiles.reader import Reader, MmapSource
            with open(sys.argv[1], 'rb') as f:
                r = Reader(MmapSource(f))
                h = r.header()
                data = r.get(\(t.key.z), \(t.key.x), \(t.key.y))
                print(h['tile_type'].value, h['tile_compression'].value, h['addressed_tiles_count'], gzip.decompress(data).decode(), r.metadata()['name'])
            """
        let out = try #require(ExternalTools.run("python3", ["-c", script, path]))
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "1 2 20000 tile \(12345 % 7) public")
    }

    @Test func mbTilesAreWrittenWithTMSRowsAndReadBack() throws {
        let dir = try TileFixture.temporary(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("t.mbtiles").path
        let tiles = try fakeTiles(500)
        try MBTilesWriter.write(tiles, metadata: metadata, to: path)
        let archive = try TileArchive.open(path)
        #expect(archive.format == .mbtiles && archive.metadata.vectorLayers.map(\.id) == ["roads"])
        #expect(archive.metadata.center == [139.31, 35.40, 16])
        for t in tiles.prefix(50) { #expect(try archive.tile(z: t.key.z, x: t.key.x, y: t.key.y) == t.gzipped) }
        if ExternalTools.has("sqlite3") {
            let k = tiles[0].key
            let rows = ExternalTools.run("sqlite3", [path, "SELECT count(*) FROM tiles; SELECT count(*) FROM images; SELECT count(*) FROM tiles WHERE zoom_level=\(k.z) AND tile_column=\(k.x) AND tile_row=\(k.tmsY); SELECT value FROM metadata WHERE name='format';"])
            #expect(rows?.split(separator: "\n") == ["500", "7", "1", "pbf"])
        }
    }

    @Test(.enabled(if: ExternalTools.has("ogrinfo"), "ogrinfo (gdal-bin) is not installed"))
    func gdalOpensTheMBTilesAsVectorTiles() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        try f.load("cameras", [f.camera("C1", s.lon, s.lat), f.camera("C2", s.lon + 0.01, s.lat + 0.01)])
        let tileset = try Tileset.resolve("public", catalog: f.catalog, access: .public)
        let pyramid = try TilePyramidBuilder(renderer: f.renderer, tileset: tileset).build(minZoom: 12, maxZoom: 14)
        let tj = try TileJSON.make(tileset: tileset, tilesURL: "x", store: f.store)
        let path = f.dir.appendingPathComponent("p.mbtiles").path
        try MBTilesWriter.write(pyramid.tiles, metadata: TileArchiveMetadata(tileJSON: tj, minZoom: 12, maxZoom: 14), to: path)
        let out = try #require(ExternalTools.run("ogrinfo", ["-ro", "-al", "-so", path, "-oo", "ZOOM_LEVEL=14"]))
        #expect(out.contains("Layer name: cameras"))
        #expect(out.contains("Feature Count: 2"))
    }

    @Test func aPyramidHoldsExactlyTheTilesWithFeatures() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station
        // Two cameras 4 km apart: the box covering them is mostly empty tiles, which are skipped.
        let cams = [(s.lon, s.lat), (s.lon + 0.04, s.lat + 0.04)]
        try f.load("cameras", cams.enumerated().map { f.camera("C\($0.offset)", $0.element.0, $0.element.1) })
        let tileset = try Tileset.resolve("cameras", catalog: f.catalog, access: .public)
        let pyramid = try TilePyramidBuilder(renderer: f.renderer, tileset: tileset).build(minZoom: 12, maxZoom: 16)
        var expected = Set<TileKey>()
        for z in 12...16 {
            for c in cams {
                let m = WebMercator.project(Coordinate(x: c.0, y: c.1))
                // Every tile whose buffered bounds hold the camera draws it.
                let near = try TileKey.covering(mercatorBounds: BoundingBox(minX: m.x, minY: m.y, maxX: m.x, maxY: m.y).expandedBy(WebMercator.tileSize(zoom: z) * 64 / 4096), zoom: z)
                expected.formUnion(near.filter { TilePipeline.bufferedBounds($0, options: TileOptions()).contains(m) })
            }
        }
        #expect(Set(pyramid.tiles.map(\.key)) == expected)
        #expect(pyramid.visited > pyramid.tiles.count)
        #expect(pyramid.tiles.allSatisfy { Gzip.isCompressed($0.gzipped) })
        #expect(pyramid.tiles.map(\.key) == pyramid.tiles.map(\.key).sorted())
    }

    @Test(.enabled(if: ExternalTools.pythonHas("mapbox_vector_tile"), "python3 cannot import mapbox_vector_tile (pip install mapbox-vector-tile)"))
    func theReferencePythonDecoderReadsOurTiles() throws {
        let f = try TileFixture(); defer { f.cleanUp() }
        let s = TileFixture.station, d = 0.001
        try f.load("cameras", [f.camera("C1", s.lon, s.lat)])
        try f.load("roads", [FeatureRecordFactory.road("R1", [(s.lon - d, s.lat), (s.lon + d, s.lat + d)])])
        try f.load("parcels", [FeatureRecordFactory.parcel("P1", [[(s.lon - d, s.lat - d), (s.lon + d, s.lat - d), (s.lon + d, s.lat + d), (s.lon - d, s.lat + d), (s.lon - d, s.lat - d)]])])
        let key = TileFixture.tile(15)
        let data = try #require(try f.renderer.tile(key, tileset: "public", access: .public))
        let script = """
            import sys, json, mapbox_vector_tile
            t = mapbox_vector_tile.decode(sys.stdin.buffer.read(), default_options={'y_coord_down': True})
            out = {name: [{'id': f['id'], 'type': f['geometry']['type'], 'props': f['properties'], 'coords': f['geometry']['coordinates']} for f in l['features']] for name, l in t.items()}
            print(json.dumps(out, ensure_ascii=False, sort_keys=True))
            """
        let out = try #require(ExternalTools.run("python3", ["-c", script], stdin: data))
        struct F: Decodable { var id: Int; var type: String; var props: [String: JSONValue] }
        let decoded = try JSONDecoder().decode([String: [F]].self, from: Data(out.utf8))
        #expect(Set(decoded.keys) == ["cameras", "roads", "parcels"])
        #expect(decoded["cameras"]?.first?.type == "Point")
        #expect(decoded["cameras"]?.first?.props["camera_id"] == .string("C1"))
        #expect(decoded["cameras"]?.first?.props["model"] == nil)
        #expect(decoded["roads"]?.first?.type == "LineString")
        #expect(decoded["parcels"]?.first?.type == "Polygon")
        #expect(decoded["parcels"]?.first?.props["area_m2"] == .number(100))
        // Coordinates: the camera's tile position computed independently from its lon/lat.
        let m = WebMercator.project(Coordinate(x: s.lon, y: s.lat)), b = key.mercatorBounds
        let ex = Int(((m.x - b.minX) / b.width * 4096).rounded()), ey = Int(((b.maxY - m.y) / b.height * 4096).rounded())
        #expect(out.contains("\"coords\": [\(ex), \(ey)]"))
    }
}

enum JSONValue: Decodable, Equatable {
    case string(String), number(Double), bool(Bool), other
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let d = try? c.decode(Double.self) { self = .number(d) } else if let s = try? c.decode(String.self) { self = .string(s) } else { self = .other }
    }
}

enum FeatureRecordFactory {
    static func road(_ id: String, _ pts: [(Double, Double)]) -> FeatureRecord {
        FeatureRecord(properties: ["segment_id": .text(id), "route_number": .text("1"), "road_class": .text("2級")],
                      wkb: TileFixture.lineWKB(pts))
    }
    static func parcel(_ id: String, _ rings: [[(Double, Double)]]) -> FeatureRecord {
        FeatureRecord(properties: ["parcel_id": .text(id), "area_m2": .real(100), "manager": .text("公園課")],
                      wkb: TileFixture.polygonWKB(rings))
    }
}
