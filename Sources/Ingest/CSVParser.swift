/// One CSV record and the line it starts on (1-based, counting the header).
public struct CSVRecord: Sendable, Hashable {
    public var line: Int
    public var cells: [String]
}

/// A CSV syntax problem (an unterminated quote).
public struct CSVSyntaxError: Error, Sendable, Hashable {
    public var line: Int
    public var problem: String
}

/// RFC 4180 CSV as municipal systems write it: quoted cells may hold delimiters, doubled quotes and
/// line breaks; CRLF or LF line ends; a trailing line break is optional; blank lines are skipped.
public enum CSVParser {
    /// Splits decoded text into records.
    public static func parse(_ text: String, delimiter: Character = ",") throws(CSVSyntaxError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var cells: [String] = []
        var cell = String.UnicodeScalarView()
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var cellWasQuoted = false
        let delim = delimiter.unicodeScalars.first!
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            cells.append(String(cell))
            cell = String.UnicodeScalarView()
            if !(cells.count == 1 && cells[0].isEmpty && !cellWasQuoted) {
                records.append(CSVRecord(line: recordLine, cells: cells))
            }
            cells = []
            cellWasQuoted = false
        }

        while let c = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    let next = scalars.next()
                    if next == "\"" { cell.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if c == "\n" { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.isEmpty:
                inQuotes = true
                cellWasQuoted = true
            case delim:
                cells.append(String(cell))
                cell = String.UnicodeScalarView()
            case "\r":
                let next = scalars.next()
                if next != "\n" { pending = next }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                cell.append(c)
            }
        }
        if inQuotes { throw CSVSyntaxError(line: recordLine, problem: "a quoted cell is never closed") }
        if !cell.isEmpty || !cells.isEmpty || cellWasQuoted { endRecord() }
        return records
    }
}
