import Layers

extension TilePipeline {
    /// A stored value as an MVT value: text, date and datetime as strings, integers, reals as doubles,
    /// booleans; nil for null (nulls are omitted from tiles).
    public static func mvtValue(_ value: FieldValue) -> MVTValue? {
        switch value {
        case .null: nil
        case let .text(s), let .date(s), let .datetime(s): .string(s)
        case let .integer(i): .int(i)
        case let .real(d): .double(d)
        case let .boolean(b): .bool(b)
        }
    }

    /// Where each of `fields` (a caller's visible fields) is among the index's fields; nil if absent.
    public static func fieldPositions(_ fields: [FieldDefinition], in index: LayerTileIndex) -> [(key: String, position: Int?)] {
        fields.map { f in (f.name, index.fieldNames.firstIndex(of: f.name)) }
    }

    /// Feature `i`'s properties from the index, for the fields `fieldPositions` found, nulls left out.
    public static func properties(of i: Int, in index: LayerTileIndex, fields: [(key: String, position: Int?)]) -> [(key: String, value: MVTValue)] {
        var out: [(key: String, value: MVTValue)] = []
        out.reserveCapacity(fields.count)
        for (key, position) in fields {
            if let position, let v = index.value(i, field: position) { out.append((key, v)) }
        }
        return out
    }
}
