import Foundation

/// Numbers the distinct field values of a layer while its index is built.
///
/// Equal means what `MVTValue ==` means (strings by canonical equivalence, as Swift compares them), so
/// the encoder's deduplication by number is its deduplication by value. Building an index interns every
/// value of a layer, and `Dictionary` hashes with SipHash and, for strings, normalizes as it goes (slow
/// for Japanese text); so values are kept here in an open-addressing table under FNV-1a, a string keyed
/// by its NFC UTF-8 bytes. Most strings are NFC already and a quick scan sees it; the rest are normalized.
struct ValueInterner {
    private(set) var values: [MVTValue] = []
    /// Entries: the key (a string in NFC), its hash and its number; `slots` holds entry positions (-1: free).
    private var keys: [MVTValue] = [], hashes: [UInt64] = [], numbers: [Int32] = []
    private var slots = [Int32](repeating: -1, count: 1024)
    private var shift: UInt64 = 64 - 10

    /// The slot to start probing at: the top bits of the hash times the golden ratio (FNV-1a's low bits
    /// are weak for keys that differ only at the end, like R000001, R000002…).
    private func home(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The number of `value`, given on first sight in order 0, 1, 2…
    mutating func number(_ value: MVTValue) -> Int32 {
        var key = value
        if case let .string(s) = value, !Self.isCertainlyNFC(s) { key = .string(s.precomposedStringWithCanonicalMapping) }
        let h = Self.hash(key)
        let mask = slots.count - 1
        var slot = home(h)
        while slots[slot] >= 0 {
            let e = Int(slots[slot])
            if hashes[e] == h, Self.same(keys[e], key) { return numbers[e] }
            slot = (slot + 1) & mask
        }
        let n = Int32(values.count)
        values.append(value)
        slots[slot] = Int32(keys.count)
        keys.append(key); hashes.append(h); numbers.append(n)
        if keys.count * 2 > slots.count { grow() }
        return n
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for (e, h) in hashes.enumerated() {
            var slot = home(h)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(e)
        }
    }

    /// FNV-1a over the value's kind and bytes (a string's UTF-8, a number's bit pattern).
    private static func hash(_ v: MVTValue) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        func mix(_ word: UInt64, kind: UInt8) {
            mix(kind)
            for i in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: word >> UInt64(i))) }
        }
        switch v {
        case var .string(s): mix(0); s.withUTF8 { for b in $0 { mix(b) } }
        case let .int(i): mix(UInt64(bitPattern: i), kind: 1)
        case let .double(d): mix(d.bitPattern, kind: 2)
        case let .bool(b): mix(b ? 1 : 0, kind: 3)
        }
        return h
    }

    /// Keys are equal: strings (both NFC) byte for byte, other values as `MVTValue ==` says.
    private static func same(_ a: MVTValue, _ b: MVTValue) -> Bool {
        guard case var .string(x) = a, case var .string(y) = b else { return a == b }
        return x.withUTF8 { p in y.withUTF8 { q in p.count == q.count && (p.isEmpty || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) } }
    }

    /// True when every scalar of `s` is one whose NFC quick-check is Yes and that never combines with
    /// its neighbours (Latin below U+0300, CJK punctuation, kana without the combining sound marks, CJK
    /// ideographs, full- and half-width forms): such a string is its own NFC form.
    static func isCertainlyNFC(_ s: String) -> Bool {
        for u in s.unicodeScalars {
            switch u.value {
            case 0..<0x300, 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF9D:
                continue
            default:
                return false
            }
        }
        return true
    }
}
