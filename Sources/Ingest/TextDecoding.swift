import Foundation
import Synchronization
import Layers
#if canImport(Glibc)
import Glibc
#endif

/// Why bytes could not be decoded as text.
public struct DecodingFailure: Error, Sendable, Hashable {
    /// Byte offset of the first undecodable byte.
    public var offset: Int
    public var encoding: String
}

/// Decodes municipal text files: CP932 (Windows Shift_JIS, via the C library's iconv, which knows
/// CP932's NEC and IBM extensions), UTF-8, and UTF-8 with a BOM. Undecodable bytes are an error with
/// their position, never mojibake.
public enum TextDecoder {
    /// The UTF-8 byte-order mark.
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Decodes `bytes`; with `.auto`: a BOM means UTF-8, then valid UTF-8, then CP932.
    /// Returns the text and the encoding actually used.
    public static func decode(_ bytes: [UInt8], as encoding: TextEncoding) throws(DecodingFailure) -> (String, TextEncoding) {
        // Plain ASCII reads the same in every encoding we accept (most ledger cells are numbers and codes).
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return (String(decoding: bytes, as: UTF8.self), encoding == .auto ? .utf8 : encoding)
        }
        switch encoding {
        case .utf8:
            return (try utf8(bytes), .utf8)
        case .cp932:
            return (try cp932(bytes), .cp932)
        case .auto:
            if bytes.starts(with: bom) { return (try utf8(bytes), .utf8) }
            if let s = try? utf8(bytes) { return (s, .utf8) }
            return (try cp932(bytes), .cp932)
        }
    }

    static func utf8(_ bytes: [UInt8]) throws(DecodingFailure) -> String {
        let start = bytes.starts(with: bom) ? 3 : 0
        let body = bytes[start...]
        if let s = String(validating: body, as: UTF8.self) { return s }
        throw DecodingFailure(offset: start + firstInvalidUTF8Offset(body), encoding: "UTF-8")
    }

    /// Offset (from the slice's start) of the first byte that is not part of a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ body: ArraySlice<UInt8>) -> Int {
        let b = Array(body)
        var i = 0
        while i < b.count {
            let c = b[i]
            let n: Int
            if c < 0x80 { n = 1 } else if c & 0xE0 == 0xC0, c >= 0xC2 { n = 2 }
            else if c & 0xF0 == 0xE0 { n = 3 } else if c & 0xF8 == 0xF0, c <= 0xF4 { n = 4 } else { return i }
            guard i + n <= b.count else { return i }
            for k in 1..<n where b[i + k] & 0xC0 != 0x80 { return i }
            if let _ = String(validating: b[i..<(i + n)], as: UTF8.self) { i += n } else { return i }
        }
        return b.count
    }

    static func cp932(_ bytes: [UInt8]) throws(DecodingFailure) -> String {
        if bytes.isEmpty { return "" }
        guard let cd = converters.take() else { throw DecodingFailure(offset: 0, encoding: "CP932 (iconv unavailable)") }
        defer { converters.give(cd) }
        iconv(cd, nil, nil, nil, nil)  // back to the initial shift state
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 3 + 4)
        let outCapacity = output.count
        var failedAt: Int?
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                var outLeft = outCapacity
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if rc == -1 || inLeft > 0 { failedAt = inBuf.count - inLeft }
                produced = outCapacity - outLeft
            }
        }
        if let failedAt { throw DecodingFailure(offset: failedAt, encoding: "CP932") }
        return String(decoding: output[0..<produced].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Open CP932→UTF-8 converters for reuse: opening one per cell cost more than the conversion.
    static let converters = ConverterPool()

    /// 1-based line number of a byte offset (for error messages).
    public static func line(ofByte offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[0..<min(offset, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}


/// A few iconv descriptors shared by the decoding threads; each is used by one thread at a time.
final class ConverterPool: Sendable {
    /// Descriptors as bit patterns (iconv_t is a raw pointer, not Sendable); only touched under the lock.
    private let idle = Mutex<[Int]>([])

    func take() -> iconv_t? {
        if let bits = idle.withLock({ $0.popLast() }) { return iconv_t(bitPattern: bits) }
        let cd = iconv_open("UTF-8", "CP932")
        return cd == iconv_t(bitPattern: -1) ? nil : cd
    }

    func give(_ cd: iconv_t) {
        idle.withLock { pool in
            if pool.count < 16 { pool.append(Int(bitPattern: cd)) } else { iconv_close(cd) }
        }
    }
}
