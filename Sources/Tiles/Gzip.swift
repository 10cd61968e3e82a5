import CompressNIO
import Foundation
import NIOCore

/// gzip for tiles, archives' directories and metadata (zlib through CompressNIO).
public enum Gzip {
    /// The gzip member of `data` (deterministic: no file name, no time stamp).
    public static func compress(_ data: some Collection<UInt8>) throws(TilesError) -> Data {
        var input = ByteBuffer(bytes: data)
        do {
            var out = try input.compress(with: .gzip())
            return Data(out.readBytes(length: out.readableBytes) ?? [])
        } catch {
            throw .compression("cannot compress \(data.count) bytes: \(error)")
        }
    }

    /// The bytes inside a gzip member; throws on corrupt input.
    public static func decompress(_ data: some Collection<UInt8>) throws(TilesError) -> Data {
        var input = ByteBuffer(bytes: data)
        do {
            var out = try input.decompress(with: .gzip())
            return Data(out.readBytes(length: out.readableBytes) ?? [])
        } catch {
            throw .compression("cannot decompress \(data.count) bytes: \(error)")
        }
    }

    /// True when `data` starts with the gzip magic bytes 1f 8b.
    public static func isCompressed(_ data: some Collection<UInt8>) -> Bool {
        var it = data.makeIterator()
        return it.next() == 0x1f && it.next() == 0x8b
    }
}
