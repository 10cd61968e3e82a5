import Foundation
import GeoCore
import Layers

/// Reads delimited text the way the layer definition says: encoding (CP932, UTF-8, UTF-8 with BOM or
/// detected), delimiter, and where the geometry is (lat/lon, survey northing/easting, or WKT columns).
public enum CSVReader {
    /// Reads `url` into source features. Lines whose bytes cannot be decoded are reported as row
    /// problems (with their line number) and left out; the rest of the file is still read.
    public static func read(_ url: URL, source: SourceDefinition) throws -> SourceContents {
        try SourceContents.collect { header, chunk in try stream(url, source: source, header: header, chunk: chunk) }
    }

    /// Reads `url` (decoded whole: CSV exports are small beside their geometry-laden kin) and hands
    /// its features over `chunkSize` at a time after the header.
    public static func stream(_ url: URL, source: SourceDefinition, chunkSize: Int = 4096,
                              header: (SourceHeader) throws -> Void, chunk: (SourceChunk) throws -> Void) throws {
        let file = url.lastPathComponent
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: url)) } catch {
            throw SourceError(file: file, problem: "cannot read the file: \(error.localizedDescription)")
        }
        try stream(bytes: bytes, file: file, source: source, chunkSize: chunkSize, header: header, chunk: chunk)
    }

    /// Reads a file's bytes already in memory; `file` names it in problems (the fuzzer calls this).
    public static func read(bytes: [UInt8], file: String, source: SourceDefinition) throws -> SourceContents {
        try SourceContents.collect { header, chunk in try stream(bytes: bytes, file: file, source: source, header: header, chunk: chunk) }
    }

    /// `stream` over bytes already in memory.
    static func stream(bytes: [UInt8], file: String, source: SourceDefinition, chunkSize: Int = 4096,
                       header: (SourceHeader) throws -> Void, chunk: (SourceChunk) throws -> Void) throws {
        // Text never contains NUL: a file that does is binary (or UTF-16), and is refused at once.
        if let nul = bytes.prefix(65_536).firstIndex(of: 0) {
            throw SourceError(file: file, location: "byte \(nul)", problem: "binary data, not delimited text (CSV must be CP932 or UTF-8)")
        }
        let (text, used, badLines) = decode(bytes, as: source.encoding)
        if badLines.first == 1 {
            // Without a readable header nothing can be mapped: say which encoding would have worked.
            let hint = used == .utf8 && (try? TextDecoder.decode(bytes, as: .cp932)) != nil
                ? "; the file decodes as CP932: set source.encoding to cp932 (or auto)"
                : used == .cp932 && (try? TextDecoder.decode(bytes, as: .utf8)) != nil
                ? "; the file decodes as UTF-8: set source.encoding to utf-8 (or auto)" : ""
            throw SourceError(file: file, location: "line 1", problem: "bytes are not valid \(used == .utf8 ? "UTF-8" : "CP932")\(hint)")
        }
        let records: [CSVRecord]
        do { records = try CSVParser.parse(text, delimiter: source.delimiter) } catch {
            throw SourceError(file: file, location: "line \(error.line)", problem: error.problem)
        }
        guard let headerRecord = records.first else { throw SourceError(file: file, problem: "the file is empty (no header row)") }
        let columns = headerRecord.cells.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (i, c) in columns.enumerated() where index[c] == nil { index[c] = i }

        var needed: [String] = []
        switch source.geometry {
        case .latLon(let lat, let lon)?: needed = [lat, lon]
        case .northingEasting(let n, let e)?: needed = [n, e]
        case .wkt(let w)?: needed = [w]
        case nil: break
        }
        for column in needed where index[column] == nil {
            throw SourceError(file: file, location: "line 1",
                              problem: "geometry column \"\(column)\" is missing (columns: \(columns.joined(separator: ", ")))")
        }
        let missing = Set(source.missingValues.map { $0.trimmingCharacters(in: .whitespaces) })
        try header(SourceHeader(crs: source.crs, columns: columns, encodingUsed: used.rawValue, expectedCount: records.count - 1))
        let sourceColumns = SourceColumns(columns)
        var pending = SourceChunk()
        pending.rowProblems = badLines.map { ("line \($0)", "bytes are not valid \(used == .utf8 ? "UTF-8" : "CP932")") }
        for (position, record) in records.dropFirst().enumerated() {
            if pending.features.count >= chunkSize { try chunk(pending); pending = SourceChunk() }
            let location = "line \(record.line)"
            if record.cells.count > columns.count, record.cells[columns.count...].contains(where: { !$0.isEmpty }) {
                pending.rowProblems.append((location, "\(record.cells.count) cells but the header has \(columns.count) columns"))
                continue
            }
            let values: [RawValue] = (0..<columns.count).map { i in i < record.cells.count ? .string(record.cells[i]) : .missing }
            func cell(_ name: String) -> String? {
                guard let i = index[name], i < record.cells.count else { return nil }
                let v = record.cells[i].trimmingWhitespace()
                return missing.contains(v) || v.isEmpty ? nil : v
            }
            var geometry = GeometryInput.missing
            switch source.geometry {
            case .latLon(let lat, let lon)?:
                if let a = cell(lat), let o = cell(lon) {
                    guard let la = Double(FieldConverter.asciiNumber(a)), let lo = Double(FieldConverter.asciiNumber(o)) else {
                        pending.rowProblems.append((location, "coordinates \(lat)=\"\(a)\", \(lon)=\"\(o)\" are not numbers")); continue
                    }
                    geometry = .point(Coordinate(x: lo, y: la))
                }
            case .northingEasting(let n, let e)?:
                if let a = cell(n), let b = cell(e) {
                    guard let north = Double(FieldConverter.asciiNumber(a)), let east = Double(FieldConverter.asciiNumber(b)) else {
                        pending.rowProblems.append((location, "coordinates \(n)=\"\(a)\", \(e)=\"\(b)\" are not numbers")); continue
                    }
                    geometry = .point(Coordinate(surveyX: north, surveyY: east))
                }
            case .wkt(let w)?:
                if let s = cell(w) { geometry = .wkt(s) }
            case nil: break
            }
            pending.features.append(SourceFeature(location: location, attributes: SourceAttributes(columns: sourceColumns, values: values, position: position + 1),
                                                  geometry: geometry))
        }
        if !pending.isEmpty { try chunk(pending) }
    }

    /// Decodes the whole file; if that fails, decodes line by line so only the bad lines are lost.
    /// (Splitting at LF is safe in CP932 and UTF-8: 0x0A is never part of a multi-byte character.)
    static func decode(_ bytes: [UInt8], as declared: TextEncoding) -> (String, TextEncoding, [Int]) {
        if let (text, used) = try? TextDecoder.decode(bytes, as: declared) { return (text, used, []) }
        let encoding: TextEncoding
        if declared == .auto {
            // Most lines decide: whichever encoding decodes more of them.
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let utf = lines.filter { (try? TextDecoder.decode(Array($0), as: .utf8)) != nil }.count
            let sjis = lines.filter { (try? TextDecoder.decode(Array($0), as: .cp932)) != nil }.count
            encoding = utf >= sjis ? .utf8 : .cp932
        } else { encoding = declared }
        var out: [String] = []
        var bad: [Int] = []
        for (i, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if let (s, _) = try? TextDecoder.decode(Array(line), as: encoding) { out.append(s) } else { bad.append(i + 1); out.append("") }
        }
        return (out.joined(separator: "\n"), encoding, bad)
    }
}
