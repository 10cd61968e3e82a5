import Foundation
import GeoCore
import Layers
import Store

/// CSV export that opens correctly in Excel: UTF-8 with a BOM, CRLF line ends, RFC 4180 quoting;
/// one column per visible field (header: canonical names, or Japanese labels with `labels`), then
/// the geometry as WKT in the output CRS.
public struct CSVWriter: Sendable {
    public let fields: [FieldDefinition]
    public let output: CoordinateOutput
    public let labels: Bool

    public init(fields: [FieldDefinition], output: CoordinateOutput, labels: Bool = false) {
        self.fields = fields; self.output = output; self.labels = labels
    }

    /// The BOM and the header row.
    public func header() -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        let names = fields.map { labels ? $0.label.ja : $0.name } + ["geometry_wkt"]
        out += Array(names.map(Self.quote).joined(separator: ",").utf8)
        out += [0x0D, 0x0A]
        return out
    }

    /// Rows for these features.
    public func rows(_ features: [StoredFeature]) throws -> [UInt8] {
        var out: [UInt8] = []
        for f in features {
            var cells = fields.map { Self.quote(f.properties[$0.name]?.description ?? "") }
            let g = try Geometry(wkb: f.wkb).transformed(with: output.transformer)
            cells.append(Self.quote(g.wkt(decimals: output.decimals)))
            out += Array(cells.joined(separator: ",").utf8)
            out += [0x0D, 0x0A]
        }
        return out
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
