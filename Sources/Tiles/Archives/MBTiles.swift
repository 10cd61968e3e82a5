import Foundation
import GeoCore
import GRDB

/// Writes MBTiles 1.3: `metadata` (with the `json` row holding `vector_layers`) and a `tiles` view over
/// deduplicated `map`/`images` tables; rows are TMS (`tile_row` counted from the south), data gzip'd MVT.
public enum MBTilesWriter {
    /// Writes `tiles` to a new file at `path` (an existing file is replaced) in one transaction.
    public static func write(_ tiles: [BuiltTile], metadata: TileArchiveMetadata, to path: String) throws {
        let fm = FileManager.default
        for suffix in ["", "-wal", "-shm", "-journal"] where fm.fileExists(atPath: path + suffix) {
            try fm.removeItem(atPath: path + suffix)
        }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE metadata (name TEXT NOT NULL PRIMARY KEY, value TEXT);
                CREATE TABLE images (tile_id TEXT NOT NULL PRIMARY KEY, tile_data BLOB NOT NULL);
                CREATE TABLE map (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL,
                                  tile_id TEXT NOT NULL);
                CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);
                CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
                    map.tile_row AS tile_row, images.tile_data AS tile_data
                    FROM map JOIN images ON images.tile_id = map.tile_id;
                """)
            let m = metadata
            let rows: [(String, String)] = [
                ("name", m.name), ("description", m.description), ("attribution", m.attribution),
                ("format", "pbf"), ("type", "overlay"), ("version", "1.3"),
                ("minzoom", String(m.minZoom)), ("maxzoom", String(m.maxZoom)),
                ("bounds", m.bounds.map { String($0) }.joined(separator: ",")),
                ("center", m.center.map { String($0) }.joined(separator: ",")),
                ("json", String(decoding: try m.vectorLayersJSON(), as: UTF8.self)),
            ]
            for (k, v) in rows { try db.execute(sql: "INSERT INTO metadata (name, value) VALUES (?, ?)", arguments: [k, v]) }
            let image = try db.makeStatement(sql: "INSERT OR IGNORE INTO images (tile_id, tile_data) VALUES (?, ?)")
            let map = try db.makeStatement(sql: "INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?, ?, ?, ?)")
            for t in tiles {
                let id = t.digest.map { String(format: "%02x", $0) }.joined()
                try image.execute(arguments: [id, t.gzipped])
                try map.execute(arguments: [t.key.z, t.key.x, t.key.tmsY, id])
            }
        }
    }
}

/// Reads an MBTiles file (any MBTiles with a `tiles` table or view).
final class MBTilesReader: Sendable {
    let queue: DatabaseQueue
    let metadata: TileArchiveMetadata

    init(path: String) throws {
        var config = Configuration()
        config.readonly = true
        queue = try DatabaseQueue(path: path, configuration: config)
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT name, value FROM metadata").reduce(into: [String: String]()) { $0[$1[0]] = $1[1] }
        }
        func numbers(_ key: String) -> [Double] { (rows[key] ?? "").split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
        metadata = TileArchiveMetadata(name: rows["name"] ?? "", description: rows["description"] ?? "",
                                       attribution: rows["attribution"] ?? "", minZoom: Int(rows["minzoom"] ?? "") ?? 0,
                                       maxZoom: Int(rows["maxzoom"] ?? "") ?? 0, bounds: numbers("bounds"),
                                       center: numbers("center"),
                                       vectorLayers: TileArchiveMetadata.vectorLayers(fromJSON: Data((rows["json"] ?? "{}").utf8)))
    }

    func tile(z: Int, x: Int, y: Int) throws -> Data? {
        try queue.read { db in
            try Data.fetchOne(db, sql: "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                              arguments: [z, x, (1 << z) - 1 - y])
        }
    }

    func tileCount() throws -> Int { try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tiles") ?? 0 } }
}
