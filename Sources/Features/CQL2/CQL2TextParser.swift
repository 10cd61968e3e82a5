import Foundation
import GeoCore

/// Parses CQL2 text (`filter-lang=cql2-text`): comparisons, LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT with
/// the standard precedence, DATE/TIMESTAMP literals, WKT and BBOX geometry literals, S_INTERSECTS,
/// S_WITHIN, S_CONTAINS, S_DISJOINT and DWITHIN(geometry, POINT(lon lat), metres). Keywords are
/// case-insensitive; errors give the character offset (1-based) and what was expected.
public struct CQL2TextParser {
    enum Token: Equatable {
        case word(String)          // identifiers and keywords
        case quotedName(String)    // "property"
        case string(String)
        case number(Double)
        case symbol(String)        // ( ) , = <> < <= > >= -
        case end
    }

    let text: [Character]
    var tokens: [(Token, Int)] = []
    var index = 0
    var depth = 0

    /// Parses a whole filter.
    public static func parse(_ text: String) throws -> CQL2Expression {
        guard text.utf8.count <= CQL2Limits.maxLength else {
            throw FilterError("1", "the filter is longer than \(CQL2Limits.maxLength) bytes")
        }
        var p = CQL2TextParser(text: Array(text))
        try p.tokenize()
        let e = try p.orExpression()
        guard case .end = p.peek else { throw p.error("unexpected \(p.describe(p.peek)) after the end of the filter") }
        return try e.checkedSize(at: "1")
    }

    // MARK: Tokens

    mutating func tokenize() throws {
        var i = 0
        while i < text.count {
            let c = text[i]
            if c.isWhitespace { i += 1; continue }
            let start = i
            if c == "'" {
                var s = ""
                i += 1
                while true {
                    guard i < text.count else { throw FilterError("\(start + 1)", "a string starting here is never closed (')") }
                    if text[i] == "'" {
                        if i + 1 < text.count, text[i + 1] == "'" { s.append("'"); i += 2; continue }
                        i += 1; break
                    }
                    s.append(text[i]); i += 1
                }
                tokens.append((.string(s), start))
            } else if c == "\"" {
                var s = ""
                i += 1
                while i < text.count, text[i] != "\"" { s.append(text[i]); i += 1 }
                guard i < text.count else { throw FilterError("\(start + 1)", "a quoted property name is never closed (\")") }
                i += 1
                tokens.append((.quotedName(s), start))
            } else if c.isNumber || (c == "." && i + 1 < text.count && text[i + 1].isNumber) {
                var s = ""
                while i < text.count, text[i].isNumber || text[i] == "." || text[i] == "e" || text[i] == "E"
                        || ((text[i] == "+" || text[i] == "-") && (text[i - 1] == "e" || text[i - 1] == "E")) {
                    s.append(text[i]); i += 1
                }
                guard let v = Double(s), v.isFinite else { throw FilterError("\(start + 1)", "'\(s)' is not a number") }
                tokens.append((.number(v), start))
            } else if c.isLetter || c == "_" {
                var s = ""
                while i < text.count, text[i].isLetter || text[i].isNumber || text[i] == "_" || text[i] == ":" || text[i] == "." { s.append(text[i]); i += 1 }
                tokens.append((.word(s), start))
            } else if "(),=-".contains(c) {
                tokens.append((.symbol(String(c)), start)); i += 1
            } else if c == "<" || c == ">" {
                if i + 1 < text.count, text[i + 1] == "=" || (c == "<" && text[i + 1] == ">") {
                    tokens.append((.symbol(String([c, text[i + 1]])), start)); i += 2
                } else { tokens.append((.symbol(String(c)), start)); i += 1 }
            } else {
                throw FilterError("\(start + 1)", "unexpected character '\(c)'")
            }
        }
        tokens.append((.end, text.count))
    }

    var peek: Token { tokens[index].0 }
    var position: String { "\(tokens[index].1 + 1)" }

    func describe(_ t: Token) -> String {
        switch t {
        case .word(let w): "'\(w)'"
        case .quotedName(let n): "\"\(n)\""
        case .string(let s): "'\(s)'"
        case .number(let n): "\(n)"
        case .symbol(let s): "'\(s)'"
        case .end: "end of input"
        }
    }

    func error(_ message: String) -> FilterError { FilterError(position, message) }

    func isKeyword(_ k: String) -> Bool {
        if case .word(let w) = peek { return w.uppercased() == k }
        return false
    }

    mutating func accept(_ k: String) -> Bool {
        if isKeyword(k) { index += 1; return true }
        return false
    }

    mutating func expectSymbol(_ s: String, _ what: String) throws {
        guard case .symbol(s) = peek else { throw error("expected '\(s)' \(what), found \(describe(peek))") }
        index += 1
    }

    // MARK: Boolean structure

    mutating func nested<T>(_ body: (inout CQL2TextParser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= CQL2Limits.maxDepth else { throw error("the filter nests deeper than \(CQL2Limits.maxDepth) levels") }
        return try body(&self)
    }

    mutating func orExpression() throws -> CQL2Expression {
        try nested { p in
            var parts = [try p.andExpression()]
            while p.accept("OR") { parts.append(try p.andExpression()) }
            return parts.count == 1 ? parts[0] : .or(parts)
        }
    }

    mutating func andExpression() throws -> CQL2Expression {
        var parts = [try notExpression()]
        while accept("AND") { parts.append(try notExpression()) }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    mutating func notExpression() throws -> CQL2Expression {
        if accept("NOT") { return try nested { p in .not(try p.notExpression()) } }
        return try primary()
    }

    mutating func primary() throws -> CQL2Expression {
        if case .symbol("(") = peek {
            index += 1
            let e = try orExpression()
            try expectSymbol(")", "to close the parenthesis")
            return e
        }
        if case .word(let w) = peek {
            let upper = w.uppercased()
            if let op = CQL2Spatial(rawValue: upper.lowercased()) {
                index += 1
                try expectSymbol("(", "after \(w)")
                let a = try operand()
                try expectSymbol(",", "between the arguments of \(w)")
                let b = try operand()
                try expectSymbol(")", "to close \(w)(…)")
                return .spatial(op, a, b)
            }
            if upper == "DWITHIN" || upper == "S_DWITHIN" {
                let at = position
                index += 1
                try expectSymbol("(", "after \(w)")
                let a = try operand()
                try expectSymbol(",", "after the first argument of \(w)")
                let b = try operand()
                try expectSymbol(",", "before the distance of \(w)")
                guard case .number(let d) = peek, d >= 0 else { throw error("expected a distance in metres (a number ≥ 0), found \(describe(peek))") }
                index += 1
                if case .symbol(",") = peek {
                    index += 1
                    guard case .word(let unit) = peek, ["meters", "metres", "m"].contains(unit.lowercased()) else {
                        throw error("the distance unit must be meters")
                    }
                    index += 1
                }
                try expectSymbol(")", "to close \(w)(…)")
                return .dwithin(a, b, distance: d, at: at)
            }
        }
        let lhs = try operand()
        if case .boolean(let b) = lhs.kind, !continuesPredicate { return .literal(b) }
        return try predicate(lhs)
    }

    var continuesPredicate: Bool {
        if case .symbol(let s) = peek, ["=", "<>", "<", "<=", ">", ">="].contains(s) { return true }
        return ["LIKE", "BETWEEN", "IN", "IS", "NOT"].contains { isKeyword($0) }
    }

    mutating func predicate(_ lhs: CQL2Operand) throws -> CQL2Expression {
        if case .symbol(let s) = peek, let op = CQL2Comparison(rawValue: s) {
            index += 1
            return .comparison(op, lhs, try operand())
        }
        let negated = accept("NOT")
        if accept("LIKE") {
            let e = CQL2Expression.like(lhs, try operand())
            return negated ? .not(e) : e
        }
        if accept("BETWEEN") {
            let lo = try operand()
            guard accept("AND") else { throw error("expected AND in BETWEEN … AND …, found \(describe(peek))") }
            let e = CQL2Expression.between(lhs, lo, try operand())
            return negated ? .not(e) : e
        }
        if accept("IN") {
            try expectSymbol("(", "after IN")
            var items = [try operand()]
            while case .symbol(",") = peek { index += 1; items.append(try operand()) }
            try expectSymbol(")", "to close the IN list")
            let e = CQL2Expression.inList(lhs, items)
            return negated ? .not(e) : e
        }
        if !negated, accept("IS") {
            let not = accept("NOT")
            guard accept("NULL") else { throw error("expected NULL after IS\(not ? " NOT" : ""), found \(describe(peek))") }
            return not ? .not(.isNull(lhs)) : .isNull(lhs)
        }
        throw error("expected a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL), found \(describe(peek))")
    }

    // MARK: Operands

    static let geometryWords: Set<String> = ["POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"]

    mutating func operand() throws -> CQL2Operand {
        let at = position
        switch peek {
        case .string(let s): index += 1; return CQL2Operand(.string(s), at: at)
        case .number(let n): index += 1; return CQL2Operand(.number(n), at: at)
        case .quotedName(let n): index += 1; return CQL2Operand(.property(n), at: at)
        case .symbol("-"):
            index += 1
            guard case .number(let n) = peek else { throw error("expected a number after '-', found \(describe(peek))") }
            index += 1
            return CQL2Operand(.number(-n), at: at)
        case .word(let w):
            let upper = w.uppercased()
            switch upper {
            case "TRUE", "FALSE": index += 1; return CQL2Operand(.boolean(upper == "TRUE"), at: at)
            case "DATE", "TIMESTAMP":
                index += 1
                try expectSymbol("(", "after \(w)")
                guard case .string(let s) = peek else { throw error("expected a quoted \(upper.lowercased()) like '2023-04-01', found \(describe(peek))") }
                index += 1
                try expectSymbol(")", "to close \(w)(…)")
                return CQL2Operand(upper == "DATE" ? .date(s) : .timestamp(s), at: at)
            case "BBOX":
                index += 1
                try expectSymbol("(", "after BBOX")
                var n: [Double] = []
                while true {
                    var sign = 1.0
                    if case .symbol("-") = peek { sign = -1; index += 1 }
                    guard case .number(let v) = peek else { throw error("expected a number in BBOX(…), found \(describe(peek))") }
                    n.append(sign * v); index += 1
                    if case .symbol(",") = peek { index += 1; continue }
                    break
                }
                try expectSymbol(")", "to close BBOX(…)")
                guard n.count == 4 || n.count == 6 else { throw FilterError(at, "BBOX needs 4 (or 6) numbers") }
                let (x0, y0, x1, y1) = n.count == 4 ? (n[0], n[1], n[2], n[3]) : (n[0], n[1], n[3], n[4])
                guard x0 <= x1, y0 <= y1 else { throw FilterError(at, "BBOX must be minx, miny, maxx, maxy") }
                return CQL2Operand(.geometry(BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1).polygon), at: at)
            case _ where Self.geometryWords.contains(upper):
                return CQL2Operand(.geometry(try wktLiteral()), at: at)
            default:
                index += 1
                return CQL2Operand(.property(w), at: at)
            }
        case .end: throw error("expected a value or a property, found end of input")
        default: throw error("expected a value or a property, found \(describe(peek))")
        }
    }

    /// A WKT literal: the keyword and its balanced parentheses, handed to GEOS's WKT reader.
    mutating func wktLiteral() throws -> Geometry {
        let startOffset = tokens[index].1
        let at = position
        index += 1
        if isKeyword("EMPTY") { throw error("an empty geometry cannot be used in a filter") }
        guard case .symbol("(") = peek else { throw error("expected '(' after the geometry type, found \(describe(peek))") }
        var level = 0
        repeat {
            if case .symbol("(") = peek { level += 1 }
            if case .symbol(")") = peek { level -= 1 }
            if case .end = peek { throw FilterError(at, "the geometry's parentheses are never closed") }
            index += 1
        } while level > 0
        let endOffset = index < tokens.count ? tokens[index].1 : text.count
        let wkt = String(text[startOffset..<endOffset])
        do { return try Geometry(wkt: wkt) } catch { throw FilterError(at, "invalid geometry: \(error)") }
    }
}
