/// Whitespace trimming without Foundation's CharacterSet machinery: ingest trims every cell of every
/// row, and `trimmingCharacters(in:)` bridges through NSString for each call.
extension StringProtocol {
    /// The text without leading and trailing white space (Unicode White_Space: spaces including the
    /// ideographic space U+3000, tabs, line breaks). Returns the text itself when there is none to trim.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !isWhitespace(first) && !isWhitespace(last) { return String(self) }
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isWhitespace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(self[start..<end])
    }
}

/// Unicode White_Space, with ASCII answered without the property tables.
@inline(__always) func isWhitespace(_ u: Unicode.Scalar) -> Bool {
    u.value < 0x80 ? (u.value == 0x20 || (0x09...0x0D).contains(u.value)) : u.properties.isWhitespace
}

/// Zero-padded decimal text, as `String(format: "%0*d")` writes it, without the varargs formatter.
func zeroPadded(_ n: Int, _ width: Int) -> String {
    let digits = String(n.magnitude)
    let pad = digits.count < width ? String(repeating: "0", count: width - digits.count) : ""
    return (n < 0 ? "-" : "") + pad + digits
}
