import Testing
@testable import Ingest

@Suite struct CSVParserTests {
    @Test func quotedCellsMayHoldCommasQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"line one\nline two\",z\r\n3,,\r\n"
        let records = try CSVParser.parse(text)
        #expect(records.map(\.cells) == [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "line one\nline two", "z"], ["3", "", ""]])
        #expect(records.map(\.line) == [1, 2, 3, 5])
    }

    @Test func blankLinesAreSkippedAndTheLastLineBreakIsOptional() throws {
        let records = try CSVParser.parse("h\n\n1\n2")
        #expect(records.map(\.cells) == [["h"], ["1"], ["2"]])
        #expect(records.map(\.line) == [1, 3, 4])
    }

    @Test func anUnclosedQuoteNamesItsLine() {
        #expect(throws: CSVSyntaxError(line: 2, problem: "a quoted cell is never closed")) {
            try CSVParser.parse("h\n\"open\n")
        }
    }

    @Test func otherDelimiters() throws {
        #expect(try CSVParser.parse("a\tb\n1\t2", delimiter: "\t").last?.cells == ["1", "2"])
    }
}
