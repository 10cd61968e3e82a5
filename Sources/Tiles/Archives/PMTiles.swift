import Foundation
import GeoCore
import Synchronization

/// PMTiles v3 structures: the Hilbert tile id, directory entries and their varint encoding.
public enum PMTiles {
    /// The fixed header length.
    static let headerLength = 127
    /// Header plus root directory must fit in the first 16 KiB, so one range request gets both.
    static let rootBudget = 16_384 - headerLength

    /// The PMTiles tile id: tiles of lower zooms first, then the position along the Hilbert curve.
    public static func tileID(z: Int, x: Int, y: Int) -> UInt64 {
        var acc: UInt64 = ((1 << (2 * UInt64(z))) - 1) / 3
        var tx = UInt64(x), ty = UInt64(y)
        var s: UInt64 = z == 0 ? 0 : 1 << UInt64(z - 1)
        while s > 0 {
            let rx: UInt64 = tx & s > 0 ? 1 : 0
            let ry: UInt64 = ty & s > 0 ? 1 : 0
            acc += s * s * ((3 * rx) ^ ry)
            if ry == 0 {
                if rx == 1 { tx = s &- 1 &- tx; ty = s &- 1 &- ty }
                swap(&tx, &ty)
            }
            s >>= 1
        }
        return acc
    }

    /// One directory entry: `runLength` consecutive tile ids share the bytes at `offset`; 0 means a leaf directory.
    struct Entry: Hashable {
        var tileID: UInt64
        var offset: UInt64
        var length: UInt64
        var runLength: UInt64
    }

    static func serialize(_ entries: [Entry]) -> [UInt8] {
        var w = ProtobufWriter(reservingCapacity: entries.count * 6)
        w.varint(UInt64(entries.count))
        var last: UInt64 = 0
        for e in entries { w.varint(e.tileID - last); last = e.tileID }
        for e in entries { w.varint(e.runLength) }
        for e in entries { w.varint(e.length) }
        for (i, e) in entries.enumerated() {
            if i > 0, e.offset == entries[i - 1].offset + entries[i - 1].length { w.varint(0) } else { w.varint(e.offset + 1) }
        }
        return w.bytes
    }

    static func deserialize(_ bytes: [UInt8]) throws -> [Entry] {
        var pos = 0
        func varint() throws -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard pos < bytes.count, shift < 64 else { throw TilesError.invalidArchive(path: "", reason: "truncated directory") }
                let b = bytes[pos]; pos += 1
                v |= UInt64(b & 0x7f) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        let n = Int(try varint())
        guard n <= bytes.count else { throw TilesError.invalidArchive(path: "", reason: "directory claims \(n) entries") }
        var entries = [Entry](repeating: Entry(tileID: 0, offset: 0, length: 0, runLength: 0), count: n)
        var last: UInt64 = 0
        for i in 0..<n { last += try varint(); entries[i].tileID = last }
        for i in 0..<n { entries[i].runLength = try varint() }
        for i in 0..<n { entries[i].length = try varint() }
        for i in 0..<n {
            let v = try varint()
            entries[i].offset = v == 0 && i > 0 ? entries[i - 1].offset + entries[i - 1].length : v - 1
        }
        return entries
    }

    /// The root directory and, when the entries do not fit in it, the leaf directories (all gzip'd).
    static func directories(_ entries: [Entry], rootBudget: Int = rootBudget, minLeafSize: Int = 4096) throws -> (root: Data, leaves: Data) {
        let whole = try Gzip.compress(serialize(entries))
        if whole.count <= rootBudget { return (whole, Data()) }
        var leafSize = max(minLeafSize, entries.count / 3500)
        while true {
            var leaves = Data(), root: [Entry] = []
            var start = 0
            while start < entries.count {
                let chunk = Array(entries[start..<min(start + leafSize, entries.count)])
                let bytes = try Gzip.compress(serialize(chunk))
                root.append(Entry(tileID: chunk[0].tileID, offset: UInt64(leaves.count), length: UInt64(bytes.count), runLength: 0))
                leaves.append(bytes)
                start += leafSize
            }
            let rootBytes = try Gzip.compress(serialize(root))
            if rootBytes.count <= rootBudget { return (rootBytes, leaves) }
            leafSize += leafSize / 5
        }
    }
}

/// Writes PMTiles v3 (one file for static hosting): header, root directory, JSON metadata, leaf
/// directories, then tile data in tile-id order; identical tiles are stored once, consecutive
/// repeats become one run-length entry. Directories and metadata are gzip'd, tiles are gzip'd MVT.
public enum PMTilesWriter {
    /// Writes `tiles` to `path`, replacing any file there.
    public static func write(_ tiles: [BuiltTile], metadata: TileArchiveMetadata, to path: String) throws {
        try write(tiles, metadata: metadata, to: path, rootBudget: PMTiles.rootBudget, minLeafSize: 4096)
    }

    /// `write` with a smaller root budget and leaf size, so tests can force leaf directories.
    static func write(_ tiles: [BuiltTile], metadata: TileArchiveMetadata, to path: String,
                      rootBudget: Int, minLeafSize: Int) throws {
        let sorted = tiles.map { (PMTiles.tileID(z: $0.key.z, x: $0.key.x, y: $0.key.y), $0) }.sorted { $0.0 < $1.0 }
        var data = Data()
        var offsets: [Data: (offset: UInt64, length: UInt64)] = [:]
        var entries: [PMTiles.Entry] = []
        for (id, tile) in sorted {
            let place: (offset: UInt64, length: UInt64)
            if let known = offsets[tile.digest] { place = known } else {
                place = (UInt64(data.count), UInt64(tile.gzipped.count))
                offsets[tile.digest] = place
                data.append(tile.gzipped)
            }
            if var last = entries.last, last.offset == place.offset, last.tileID + last.runLength == id {
                last.runLength += 1
                entries[entries.count - 1] = last
            } else {
                entries.append(PMTiles.Entry(tileID: id, offset: place.offset, length: place.length, runLength: 1))
            }
        }
        let (root, leaves) = try PMTiles.directories(entries, rootBudget: rootBudget, minLeafSize: minLeafSize)
        let json = try Gzip.compress(metadata.vectorLayersJSON(extra: [
            "name": metadata.name, "description": metadata.description, "attribution": metadata.attribution,
            "type": "overlay", "format": "pbf",
        ]))
        let rootOffset = UInt64(PMTiles.headerLength)
        let metadataOffset = rootOffset + UInt64(root.count)
        let leavesOffset = metadataOffset + UInt64(json.count)
        let dataOffset = leavesOffset + UInt64(leaves.count)

        var h = [UInt8]()
        h.reserveCapacity(PMTiles.headerLength)
        h += Array("PMTiles".utf8) + [3]
        for v in [rootOffset, UInt64(root.count), metadataOffset, UInt64(json.count), leavesOffset, UInt64(leaves.count),
                  dataOffset, UInt64(data.count), UInt64(sorted.count), UInt64(entries.count), UInt64(offsets.count)] {
            withUnsafeBytes(of: v.littleEndian) { h += $0 }
        }
        h += [1, 2, 2, 1]   // clustered, internal compression gzip, tile compression gzip, tile type MVT
        h += [UInt8(clamping: metadata.minZoom), UInt8(clamping: metadata.maxZoom)]
        func e7(_ d: Double) -> [UInt8] { withUnsafeBytes(of: Int32(clamping: Int64((d * 1e7).rounded())).littleEndian, Array.init) }
        let b = metadata.bounds.count == 4 ? metadata.bounds : [-180, -85, 180, 85]
        h += e7(b[0]) + e7(b[1]) + e7(b[2]) + e7(b[3])
        let c = metadata.center.count == 3 ? metadata.center : [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, Double(metadata.minZoom)]
        h += [UInt8(clamping: Int(c[2]))] + e7(c[0]) + e7(c[1])
        precondition(h.count == PMTiles.headerLength, "PMTiles header is \(h.count) bytes")

        var file = Data(h)
        file.append(root); file.append(json); file.append(leaves); file.append(data)
        try file.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Reads a PMTiles v3 file (memory-mapped); leaf directories are parsed once and kept.
final class PMTilesReader: Sendable {
    let path: String
    let file: Data
    let metadata: TileArchiveMetadata
    let root: [PMTiles.Entry]
    let leavesOffset: Int, dataOffset: Int
    let tileCompression: UInt8
    private let leaves = Mutex<[UInt64: [PMTiles.Entry]]>([:])

    init(path: String) throws {
        self.path = path
        let file = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        self.file = file
        func fail(_ r: String) -> TilesError { .invalidArchive(path: path, reason: r) }
        guard file.count >= PMTiles.headerLength, file.prefix(7) == Data("PMTiles".utf8) else { throw fail("no PMTiles magic") }
        let bytes = [UInt8](file.prefix(PMTiles.headerLength))
        guard bytes[7] == 3 else { throw fail("PMTiles version \(bytes[7]), only 3 is supported") }
        func u64(_ at: Int) -> Int { Int(bytes[at..<at + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
        func i32(_ at: Int) -> Double { Double(Int32(bitPattern: bytes[at..<at + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })) / 1e7 }
        let internalCompression = bytes[97]
        tileCompression = bytes[98]
        guard internalCompression == 1 || internalCompression == 2 else { throw fail("internal compression \(internalCompression) is not supported") }
        let size = file.count
        func section(_ off: Int, _ len: Int) throws -> Data {
            guard off >= 0, len >= 0, off + len <= size else { throw fail("a section lies beyond the end of the file") }
            let raw = file.subdata(in: off..<off + len)
            return internalCompression == 2 ? try Gzip.decompress(raw) : raw
        }
        root = try PMTiles.deserialize([UInt8](try section(u64(8), u64(16))))
        let json = try section(u64(24), u64(32))
        leavesOffset = u64(40); dataOffset = u64(56)
        struct Meta: Decodable { var name: String?; var description: String?; var attribution: String? }
        let meta = try? JSONDecoder().decode(Meta.self, from: json)
        metadata = TileArchiveMetadata(name: meta?.name ?? "", description: meta?.description ?? "",
                                       attribution: meta?.attribution ?? "", minZoom: Int(bytes[100]), maxZoom: Int(bytes[101]),
                                       bounds: [i32(102), i32(106), i32(110), i32(114)],
                                       center: [i32(119), i32(123), Double(bytes[118])],
                                       vectorLayers: TileArchiveMetadata.vectorLayers(fromJSON: json))
        self.internalCompression = internalCompression
    }

    private let internalCompression: UInt8

    func tile(z: Int, x: Int, y: Int) throws -> Data? {
        let id = PMTiles.tileID(z: z, x: x, y: y)
        var directory = root
        for _ in 0..<4 {   // the spec allows at most three levels below the root
            guard let e = Self.find(id, in: directory) else { return nil }
            if e.runLength > 0 {
                let start = dataOffset + Int(e.offset)
                guard start + Int(e.length) <= file.count else { throw TilesError.invalidArchive(path: path, reason: "tile beyond the end") }
                return file.subdata(in: start..<start + Int(e.length))
            }
            if let cached = leaves.withLock({ $0[e.offset] }) { directory = cached; continue }
            let start = leavesOffset + Int(e.offset)
            guard start + Int(e.length) <= file.count else { throw TilesError.invalidArchive(path: path, reason: "leaf beyond the end") }
            let raw = file.subdata(in: start..<start + Int(e.length))
            let leaf = try PMTiles.deserialize([UInt8](internalCompression == 2 ? try Gzip.decompress(raw) : raw))
            leaves.withLock { $0[e.offset] = leaf }
            directory = leaf
        }
        return nil
    }

    /// The entry covering `id`: a tile run containing it, or the leaf whose range may hold it.
    static func find(_ id: UInt64, in entries: [PMTiles.Entry]) -> PMTiles.Entry? {
        var lo = 0, hi = entries.count - 1, found = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if entries[mid].tileID <= id { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        guard found >= 0 else { return nil }
        let e = entries[found]
        if e.runLength == 0 { return e }
        return id - e.tileID < e.runLength ? e : nil
    }
}
