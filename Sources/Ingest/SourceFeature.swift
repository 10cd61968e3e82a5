import GeoCore
import Layers

/// Where a source feature's geometry came from, before it is parsed and checked.
public enum GeometryInput: Sendable, Hashable {
    case missing
    /// ISO WKB from GDAL/OGR.
    case wkb([UInt8])
    /// A point from coordinate columns, already in (x = easting/lon, y = northing/lat) order.
    case point(Coordinate)
    /// WKT text from a column.
    case wkt(String)
}

/// One feature as read from a source file, with its location for error messages.
///
/// Besides the file's own columns, `attributes` holds `$feature`: the feature's 1-based position in
/// its file, for sources that have no identifier column (a definition maps it like any column).
public struct SourceFeature: Sendable {
    /// The pseudo-column holding a feature's position in its file.
    public static let positionColumn = "$feature"

    /// "line 12" for CSV, "feature 12" for OGR sources.
    public var location: String
    /// Attribute values by source column name.
    public var attributes: SourceAttributes
    public var geometry: GeometryInput
}

/// A file's column names, shared by all of its features; the position pseudo-column comes last.
public final class SourceColumns: Sendable {
    public let names: [String]
    private let index: [String: Int]

    public init(_ fileColumns: [String]) {
        names = fileColumns + [SourceFeature.positionColumn]
        // A repeated column name means its last occurrence, as a dictionary built in order would.
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() { index[n] = i }
        self.index = index
    }

    /// Where a column's value sits in each feature's values.
    public func position(of name: String) -> Int? { index[name] }
}

/// One feature's raw values, in the order of its file's columns. Looking a column up by name hashes
/// the name; the preparer looks positions up once per file instead (column names are mostly Japanese,
/// whose hashing normalises them first).
public struct SourceAttributes: Sendable {
    public let columns: SourceColumns
    public var values: [RawValue]

    /// Values for `columns` in order; the feature's 1-based position fills the pseudo-column.
    public init(columns: SourceColumns, values: [RawValue], position: Int) {
        self.columns = columns
        self.values = values + Array(repeating: .missing, count: max(0, columns.names.count - 1 - values.count))
        self.values.append(.integer(Int64(position)))
    }

    public subscript(name: String) -> RawValue? { columns.position(of: name).map { values[$0] } }
    public subscript(position i: Int) -> RawValue { values[i] }
}

/// A problem with a whole source file (it cannot be used at all).
public struct SourceError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var location: String?
    public var problem: String
    public init(file: String, location: String? = nil, problem: String) {
        self.file = file; self.location = location; self.problem = problem
    }
    public var description: String { location.map { "\(file), \($0): \(problem)" } ?? "\(file): \(problem)" }
}

/// What a reader knows of a file before its features: the CRS, the columns, the encoding, how many features.
public struct SourceHeader: Sendable {
    public var crs: CRS?
    public var columns: [String]
    public var encodingUsed: String
    /// The number of features if the format says so up front (Shapefile, GeoPackage), for progress.
    public var expectedCount: Int?
}

/// A reader's output a chunk at a time: the features and the rows it could not split into cells.
public struct SourceChunk: Sendable {
    public var features: [SourceFeature] = []
    public var rowProblems: [(location: String, problem: String)] = []
    public var isEmpty: Bool { features.isEmpty && rowProblems.isEmpty }
}

/// What a reader found in a file: the features, the CRS of their coordinates, the encoding used.
public struct SourceContents: Sendable {
    public var features: [SourceFeature]
    /// CRS of the coordinates, from the definition or the file; nil if neither says.
    public var crs: CRS?
    /// Column names as found in the file.
    public var columns: [String]
    /// Problems with single rows that the reader could not even split into cells.
    public var rowProblems: [(location: String, problem: String)]
    public var encodingUsed: String
}

extension SourceContents {
    /// Collects a streaming read into one value.
    static func collect(_ stream: (_ header: (SourceHeader) throws -> Void, _ chunk: (SourceChunk) throws -> Void) throws -> Void) rethrows -> SourceContents {
        var header = SourceHeader(crs: nil, columns: [], encodingUsed: "", expectedCount: nil)
        var all = SourceChunk()
        try stream({ header = $0 }, { all.features += $0.features; all.rowProblems += $0.rowProblems })
        return SourceContents(features: all.features, crs: header.crs, columns: header.columns, rowProblems: all.rowProblems,
                              encodingUsed: header.encodingUsed)
    }
}
