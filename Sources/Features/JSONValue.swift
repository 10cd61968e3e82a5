import Foundation

/// A JSON value with ordered object members, for documents whose key order matters to people
/// reading them (landing pages, collection metadata) and byte-exact tests.
public indirect enum JSONValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(Int64(value)) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
    public func hash(into h: inout Hasher) { h.combine(serialized()) }

    /// The member named `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// Compact UTF-8 JSON.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    /// Compact JSON as a string.
    public var text: String { String(decoding: serialized(), as: UTF8.self) }

    func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d): JSONWriter.number(d, to: &out)
        case .string(let s): JSONWriter.string(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.string(k, to: &out)
                out.append(UInt8(ascii: ":"))
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// Low-level JSON writing into a byte buffer: strings escaped per RFC 8259, numbers shortest.
public enum JSONWriter {
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string.
    public static func string(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        // Fast path: most values need no escaping and are copied in one go.
        let plain: Bool = s.withUTF8 { buf in
            for b in buf where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: buf)
            return true
        }
        if plain { out.append(UInt8(ascii: "\"")); return }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a finite number (non-finite numbers become null: JSON has no NaN).
    public static func number(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else { out += Array("null".utf8); return }
        if d.rounded() == d, abs(d) < 1e15 { out += Array(String(Int64(d)).utf8) } else { out += Array("\(d)".utf8) }
    }

    /// Appends a coordinate value rounded to `decimals` places, without trailing zeros, writing
    /// digits straight into the buffer (no String per number: this runs for every position served).
    public static func coordinate(_ d: Double, decimals: Int, to out: inout [UInt8]) {
        guard d.isFinite else { out += [0x6E, 0x75, 0x6C, 0x6C]; return }
        let scale = pow10[decimals]
        let scaled = (d * scale).rounded()
        if abs(scaled) >= 9e15 { number(d, to: &out); return }
        var n = Int64(scaled)
        if n < 0 { out.append(UInt8(ascii: "-")); n = -n }
        let unit = Int64(scale)
        appendDigits(n / unit, to: &out)
        var frac = n % unit
        if frac != 0 {
            out.append(UInt8(ascii: "."))
            var width = decimals
            while frac % 10 == 0 { frac /= 10; width -= 1 }
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var i = width - 1
            while frac > 0 { digits[i] = UInt8(ascii: "0") + UInt8(frac % 10); frac /= 10; i -= 1 }
            out += digits
        }
    }

    /// Appends a non-negative integer's decimal digits.
    static func appendDigits(_ v: Int64, to out: inout [UInt8]) {
        if v < 10 { out.append(UInt8(ascii: "0") + UInt8(v)); return }
        var buf: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = v, count = 0
        withUnsafeMutableBytes(of: &buf) { b in
            while n > 0 { b[19 - count] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; count += 1 }
            out.append(contentsOf: b[(20 - count)...])
        }
    }

    static let pow10: [Double] = (0...15).map { pow(10, Double($0)) }
}
