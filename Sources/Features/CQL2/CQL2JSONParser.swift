import Foundation
import GeoCore

/// Parses CQL2 JSON (`filter-lang=cql2-json`): `{"op": "and", "args": […]}`, `{"property": "x"}`,
/// literals, `{"date": …}`, `{"timestamp": …}`, `{"bbox": […]}` and GeoJSON geometries. Errors name
/// the JSON path of the problem, e.g. `/args/1/args/0`.
public enum CQL2JSONParser {
    public static func parse(_ text: String) throws -> CQL2Expression {
        guard text.utf8.count <= CQL2Limits.maxLength else { throw FilterError("/", "the filter is longer than \(CQL2Limits.maxLength) bytes") }
        // Reject deep nesting before Foundation's parser recurses into it.
        var level = 0, inString = false, escaped = false
        for b in text.utf8 {
            if inString { if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }; continue }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                level += 1
                if level > CQL2Limits.maxDepth * 2 { throw FilterError("/", "the filter nests deeper than \(CQL2Limits.maxDepth) levels") }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): level -= 1
            default: break
            }
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) } catch {
            throw FilterError("/", "not valid JSON")
        }
        return try expression(object, "", depth: 0).checkedSize(at: "/")
    }

    static func expression(_ any: Any, _ path: String, depth: Int) throws -> CQL2Expression {
        guard depth <= CQL2Limits.maxDepth else { throw FilterError(path.isEmpty ? "/" : path, "the filter nests deeper than \(CQL2Limits.maxDepth) levels") }
        if let b = any as? Bool, !(any is NSNumber) || "\(type(of: any))".contains("Bool") { return .literal(b) }
        guard let o = any as? [String: Any] else { throw FilterError(path.isEmpty ? "/" : path, "expected an object with \"op\" and \"args\"") }
        guard let op = (o["op"] as? String)?.lowercased() else { throw FilterError(path.isEmpty ? "/" : path, "missing \"op\"") }
        guard let args = o["args"] as? [Any] else { throw FilterError(path + "/args", "\"args\" must be an array") }
        func arg(_ i: Int) throws -> CQL2Operand {
            guard i < args.count else { throw FilterError(path + "/args", "'\(op)' needs more arguments") }
            return try operand(args[i], "\(path)/args/\(i)")
        }
        func count(_ n: Int) throws {
            guard args.count == n else { throw FilterError(path + "/args", "'\(op)' takes \(n) arguments, found \(args.count)") }
        }
        switch op {
        case "and", "or":
            guard args.count >= 2 else { throw FilterError(path + "/args", "'\(op)' needs at least 2 arguments") }
            let parts = try args.enumerated().map { try expression($0.element, "\(path)/args/\($0.offset)", depth: depth + 1) }
            return op == "and" ? .and(parts) : .or(parts)
        case "not":
            try count(1)
            return .not(try expression(args[0], path + "/args/0", depth: depth + 1))
        case "=", "<>", "<", "<=", ">", ">=":
            try count(2)
            return .comparison(CQL2Comparison(rawValue: op)!, try arg(0), try arg(1))
        case "like":
            try count(2); return .like(try arg(0), try arg(1))
        case "between":
            try count(3); return .between(try arg(0), try arg(1), try arg(2))
        case "in":
            try count(2)
            guard let list = args[1] as? [Any] else { throw FilterError(path + "/args/1", "'in' needs an array of values") }
            return .inList(try arg(0), try list.enumerated().map { try operand($0.element, "\(path)/args/1/\($0.offset)") })
        case "isnull":
            try count(1); return .isNull(try arg(0))
        case "s_intersects", "s_within", "s_contains", "s_disjoint":
            try count(2); return .spatial(CQL2Spatial(rawValue: op)!, try arg(0), try arg(1))
        case "dwithin", "s_dwithin":
            guard args.count == 3 || args.count == 4 else { throw FilterError(path + "/args", "'\(op)' takes geometry, geometry, distance[, units]") }
            guard let d = (args[2] as? NSNumber)?.doubleValue, d >= 0, d.isFinite else { throw FilterError(path + "/args/2", "the distance must be a number ≥ 0 (metres)") }
            return .dwithin(try arg(0), try arg(1), distance: d, at: path + "/args/2")
        default:
            throw FilterError(path + "/op", "unknown op '\(op)'")
        }
    }

    static func operand(_ any: Any, _ path: String) throws -> CQL2Operand {
        if let s = any as? String { return CQL2Operand(.string(s), at: path) }
        if let n = any as? NSNumber {
            if CFBooleanGetTypeIDIfAvailable(n) { return CQL2Operand(.boolean(n.boolValue), at: path) }
            guard n.doubleValue.isFinite else { throw FilterError(path, "not a finite number") }
            return CQL2Operand(.number(n.doubleValue), at: path)
        }
        guard let o = any as? [String: Any] else { throw FilterError(path, "expected a value, a property or a geometry") }
        if let p = o["property"] as? String { return CQL2Operand(.property(p), at: path) }
        if let d = o["date"] as? String { return CQL2Operand(.date(d), at: path) }
        if let t = o["timestamp"] as? String { return CQL2Operand(.timestamp(t), at: path) }
        if let b = o["bbox"] as? [Any] {
            let n = b.compactMap { ($0 as? NSNumber)?.doubleValue }
            guard n.count == 4 || n.count == 6, n.count == b.count else { throw FilterError(path + "/bbox", "needs 4 (or 6) numbers") }
            let (x0, y0, x1, y1) = n.count == 4 ? (n[0], n[1], n[2], n[3]) : (n[0], n[1], n[3], n[4])
            guard x0 <= x1, y0 <= y1 else { throw FilterError(path + "/bbox", "must be minx, miny, maxx, maxy") }
            return CQL2Operand(.geometry(BoundingBox(minX: x0, minY: y0, maxX: x1, maxY: y1).polygon), at: path)
        }
        if o["type"] is String, o["coordinates"] != nil || o["geometries"] != nil {
            do { return CQL2Operand(.geometry(try Geometry(geoJSONObject: o)), at: path) } catch {
                throw FilterError(path, "invalid geometry: \(error)")
            }
        }
        if o["op"] != nil { throw FilterError(path, "a predicate cannot be used as a value") }
        throw FilterError(path, "expected a value, {\"property\": …}, {\"date\": …}, {\"timestamp\": …}, {\"bbox\": …} or a GeoJSON geometry")
    }

    /// True when a Foundation number came from a JSON `true`/`false`.
    static func CFBooleanGetTypeIDIfAvailable(_ n: NSNumber) -> Bool {
        n === (true as NSNumber) || n === (false as NSNumber) || String(cString: n.objCType) == "c" && (n.intValue == 0 || n.intValue == 1) && "\(type(of: n))".contains("Bool")
    }
}
