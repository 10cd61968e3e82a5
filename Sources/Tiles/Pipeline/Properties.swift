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

    /// The feature's properties in field order, nulls left out.
    public static func properties(_ values: [FieldValue], fields: [FieldDefinition]) -> [(key: String, value: MVTValue)] {
        var out: [(key: String, value: MVTValue)] = []
        out.reserveCapacity(fields.count)
        for (field, value) in zip(fields, values) {
            if let v = mvtValue(value) { out.append((field.name, v)) }
        }
        return out
    }
}
